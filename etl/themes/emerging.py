"""Emerging words: lemmas whose share of comments rose most in the latest period.

They surface new problems (a new records system, a vaccination campaign) before anyone
adds them to the taxonomy. Rates are per comment (a word counts once per comment) so one
long rant cannot make a word "emerge"; the score is a smoothed log ratio so a word that
went from 0 to 3 mentions in a small period does not outrank a real rise.
"""
from __future__ import annotations

import functools
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
    rows = [(lemma, hits / n_new, base_hits / n_old if n_old else 0.0, score)
            for lemma, hits, base_hits, score in _rising(new, n_new, old, n_old, min_count)]
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return rows[:top]


def _rising(new: Counter, n_new: int, old: Counter, n_old: int, min_count: int):
    """(lemma, hits, baseline hits, score) of every lemma used in at least ``min_count``
    latest comments whose smoothed log ratio rose (score > 0); nothing without latest comments."""
    if not n_new:
        return
    for lemma, hits in new.items():
        if hits < min_count:
            continue
        base_hits = old.get(lemma, 0)
        score = math.log((hits + 0.5) / (n_new + 1)) - math.log((base_hits + 0.5) / (n_old + 1))
        if score > 0:
            yield lemma, hits, base_hits, round(score, 4)


# --------------------------------------------------------------------- problem words only

# Lexicon roles that never name a problem: praise, function words, "nothing to say" fillers,
# negators, question words (the tagger's lexicon.toml)
_NOT_PROBLEM_ROLES = frozenset({"positive", "positive_weak", "stopwords", "negators", "filler", "nothing",
                                "question_words", "why_words", "counterfactual_aux", "modal", "too",
                                "contrast", "concession", "concession_after", "comparative", "more",
                                "absence"})
_LANGS = ("fi", "sv", "en")

# Words that say a problem was absent: the Finnish caritive adjective ("-ton"/"-tön": kiire
# -> kiireetön, jono -> jonoton, virhe -> virheetön) and its Swedish and English
# counterparts ("felfri"; "-less"). Of a word with a negative sense the
# absence is praise ("kiireetön vastaanotto") or the name of a service ("kiireetön aika", a
# non-urgent appointment), never a new problem. No word list can hold every such
# derivative, so they are recognised by their ending and the sense of their base word.
# Of a word without a negative sense ("osaamaton", "hyödytön", "careless") the absence
# is a problem, and those stay.
_ABSENCE_ENDINGS = {"fi": ("ton", "tön"), "sv": ("fri",), "en": ("less",)}
_ALL_ENDINGS = tuple({e for endings in _ABSENCE_ENDINGS.values() for e in endings})
_ABSENCE = "absence"


@functools.cache
def stop_words(lang: str) -> frozenset[str]:
    """A maintained stop list (stopwords-iso, via ``stopwordsiso``) for fi, sv or en."""
    try:
        import stopwordsiso
        return frozenset(w.lower() for w in stopwordsiso.stopwords(lang))
    except Exception:  # noqa: BLE001 - without the package the lexicon's own lists still apply
        return frozenset()


def is_problem_word(info, lang: str) -> bool:
    """A word that may name a new problem: not praise, not a stop word of the comment's
    language (its own form or its lemma), not a stop word of another language (an English
    "the" inside a Finnish comment), no number, at least three letters."""
    lemma, surface = info.lemma, info.surface
    if len(lemma) < 3 or not any(ch.isalpha() for ch in lemma) or lemma.isdigit():
        return False
    if info.roles & _NOT_PROBLEM_ROLES:
        return False
    stops = _all_stop_words()
    return lemma not in stops and surface not in stops


@functools.cache
def _all_stop_words() -> frozenset[str]:
    """The stop words of every language in one set: each word of every comment is looked
    up here (two lookups instead of six; the Problems page checks ~20,000 words a run)."""
    return frozenset().union(*(stop_words(x) for x in _LANGS))


def _base_forms(lemma: str, lang: str) -> tuple[str, ...]:
    """The base word(s) of an absence word, written so the lemmatiser finds them: a
    Finnish caritive is built on the genitive stem ("kiiree-tön", "kivu-ton", genitive
    "kiireen", "kivun"), so the stem plus "n" lemmatises to the base noun."""
    for ending in _ABSENCE_ENDINGS.get(lang, ()):
        stem = lemma[:-len(ending)]
        if lemma.endswith(ending) and len(stem) >= 3:
            return (stem + "n",) if lang == "fi" else (stem, stem + "a")
    return ()


def _mark_absence(infos: list, lang: str | None, tagger, seen: dict) -> list:
    """``infos`` with every absence word of a negative base given the role "absence"."""
    out = infos
    for k, info in enumerate(infos):
        if not info.lemma.endswith(_ALL_ENDINGS):
            continue
        key = (info.surface, lang)
        if key not in seen:  # the marked copy (or None), made once per word form
            absent = any(base.negative > 0 for form in _base_forms(info.lemma, lang)
                         for base in tagger.word_infos(form, lang)[1][:1])
            seen[key] = info.replace(roles=info.roles | {_ABSENCE}) if absent else None
        if seen[key] is not None:
            if out is infos:
                out = list(infos)
            out[k] = seen[key]
    return out


def analyse(texts, tagger) -> list[tuple[str | None, list]]:
    """(comment, stored language or None) pairs -> (language, WordInfo list) per comment:
    the language stored with the response, else detected; analysed once for every list.
    Words that say a problem was absent carry the role "absence" (never listed)."""
    seen: dict = {}
    out = []
    for text, stored in texts:
        lang, infos = tagger.word_infos(text, stored if stored in _LANGS else None)
        out.append((lang, _mark_absence(infos, lang, tagger, seen) if lang else infos))
    return out


def comment_languages(analysed) -> Counter:
    """How many comments of each language: which word lists there can be."""
    return Counter(lang for lang, infos in analysed if lang and infos)


def _problem_counts(analysed, language: str) -> tuple[Counter, int]:
    counts: Counter = Counter()
    n = 0
    verdicts: dict[int, bool] = {}  # one verdict per word object: the tagger shares them by form
    for lang, infos in analysed:
        if lang != language or not infos:
            continue
        n += 1
        words = set()
        for i in infos:
            problem = verdicts.get(id(i))
            if problem is None:
                problem = verdicts[id(i)] = is_problem_word(i, lang)
            if problem:
                words.add(i.lemma)
        counts.update(words)
    return counts, n


def emerging_problem_words(latest, baseline, language: str, top: int = 20,
                           min_count: int = 3) -> list[dict]:
    """Words of ``language`` whose share of complaint and suggestion comments rose most.

    ``latest`` / ``baseline`` come from :func:`analyse`. Only comments in ``language``
    count, so every word listed is of that language; praise words and stop words are never
    listed. Each row: word, hits and n (comments using it / comments in the period) now and
    before, their shares, ``ratio`` (share now / share before; None when the word is new)
    and the smoothed log-ratio ``score`` the list is ordered by.
    """
    new, n_new = _problem_counts(latest, language)
    old, n_old = _problem_counts(baseline, language)
    rows = []
    for lemma, hits, base_hits, score in _rising(new, n_new, old, n_old, min_count):
        share, base_share = hits / n_new, (base_hits / n_old if n_old else 0.0)
        rows.append({"word": lemma, "hits": hits, "n": n_new, "share": share,
                     "base_hits": base_hits, "base_n": n_old, "base_share": base_share,
                     "ratio": share / base_share if base_share else None, "score": score})
    rows.sort(key=lambda r: (-r["score"], -r["share"], r["word"]))
    return rows[:top]
