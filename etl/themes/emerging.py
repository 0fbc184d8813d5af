"""Emerging words: lemmas whose share of comments rose most in the latest period.

They surface new problems (a new records system, a vaccination campaign) before anyone
adds them to the taxonomy. Rates are per comment (a word counts once per comment) so one
long rant cannot make a word "emerge"; the score is a smoothed log ratio so a word that
went from 0 to 3 mentions in a small period does not outrank a real rise.
"""
from __future__ import annotations

import math
from collections import Counter


def _document_counts(texts: list[str | None], tagger) -> tuple[Counter, int]:
    counts: Counter = Counter()
    n = 0
    for text in texts:
        lemmas = set(tagger.content_lemmas(text))
        if lemmas:
            n += 1
            counts.update(lemmas)
    return counts, n


def emerging_words(latest: list[str | None], baseline: list[str | None], tagger, top: int = 20,
                   min_count: int = 3) -> list[tuple[str, float, float, float]]:
    """(lemma, latest_rate, baseline_rate, score), highest score first.

    latest_rate / baseline_rate = share of comments (with any words) that use the lemma.
    score = log((latest hits + 0.5) / (n_latest + 1)) - log((baseline hits + 0.5) / (n_baseline + 1)).
    Lemmas used in fewer than ``min_count`` latest comments are left out.
    """
    new, n_new = _document_counts(latest, tagger)
    old, n_old = _document_counts(baseline, tagger)
    if not n_new:
        return []
    rows = []
    for lemma, hits in new.items():
        if hits < min_count:
            continue
        base_hits = old.get(lemma, 0)
        score = math.log((hits + 0.5) / (n_new + 1)) - math.log((base_hits + 0.5) / (n_old + 1))
        if score <= 0:
            continue
        rows.append((lemma, hits / n_new, base_hits / n_old if n_old else 0.0, round(score, 4)))
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return rows[:top]
