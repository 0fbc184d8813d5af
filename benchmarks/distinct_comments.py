"""Distinct, realistic comment texts for speed measurements.

Real files seldom repeat a long comment: people add the day of their visit, a name, a
number, a typo. A benchmark that repeats a handful of texts measures the tagger's cache,
not the tagger. These comments start from the demo composer (varied themes, types,
inflections; 85 % Finnish, 10 % Swedish, 5 % English) and vary independently:
  - a typo in one word (letters swapped, dropped or doubled) in about a third of comments,
    which gives the long tail of never-seen word forms real comments have;
  - a detail sentence with a date, a number of hours or a clock time in about 40 %;
  - a ward or health station name in about 30 %.
Every text is unique (checked), so a tagger cache cannot hide the per-comment cost.
"""
from __future__ import annotations

import numpy as np

_DETAILS = {
    "fi": ("Kävin {place} {day}.{month}.", "Olin osastolla {n} päivää.", "Aika oli klo {hh}.{mm}.",
           "Asioin {place} {day}.{month}. klo {hh}.", "Käynti kesti {n} tuntia.",
           "Tulin paikalle {day}.{month}.{year}."),
    "sv": ("Jag besökte {place} den {day}.{month}.", "Jag låg inne i {n} dagar.", "Tiden var kl. {hh}.{mm}."),
    "en": ("I visited {place} on {day}/{month}.", "I stayed for {n} days.", "My appointment was at {hh}:{mm}."),
}
_PLACES = {
    "fi": ("osastolla {u}", "terveysasemalla {u}", "poliklinikalla {u}", "päivystyksessä {u}"),
    "sv": ("avdelning {u}", "hälsostationen {u}", "polikliniken {u}"),
    "en": ("ward {u}", "the clinic {u}", "the health centre {u}"),
}
_UNIT_NAMES = ("Kivikko", "Myllypuro", "Tammisto", "Koivukylä", "Lehtola", "Kaukola", "Vaarala", "Pihlajamäki",
               "Hakunila", "Rekola", "Mäntylä", "Nummela", "Sorsakoski", "Harju", "Ristikivi", "Laakso")
_WARD_CODES = ("3A", "4B", "5", "7C", "12", "21", "K3", "M2")


def _typo(word: str, r: int) -> str:
    if len(word) < 5:
        return word
    i = 1 + r % (len(word) - 2)
    kind = (r >> 8) % 3
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def distinct_comments(n: int, seed: int = 7) -> list[str]:
    """n unique comments, deterministic for a seed."""
    from demo import comments as dc

    rng = np.random.default_rng(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        m = int((n - len(out)) * 1.3) + 50
        lang = rng.choice(3, m, p=[0.85, 0.1, 0.05])
        texts = dc.compose(rng, lang=lang, kind=rng.choice(4, m, p=[0.6, 0.25, 0.1, 0.05]),
                           theme=rng.integers(0, len(dc.THEMES), m),
                           second_theme=np.where(rng.random(m) < 0.2, rng.integers(0, len(dc.THEMES), m), -1),
                           place=["päivystyksessä"] * m, pii=rng.random(m) < 0.02)
        draws = rng.integers(0, 2**31 - 1, size=(m, 8)).tolist()
        for text, li, d in zip(texts, lang.tolist(), draws):
            code = dc.LANGS[li]
            if d[0] % 100 < 33:
                words = text.split(" ")
                k = d[1] % len(words)
                words[k] = _typo(words[k], d[2])
                text = " ".join(words)
            if d[3] % 100 < 40:
                unit = _UNIT_NAMES[d[4] % len(_UNIT_NAMES)] if d[5] % 2 else _WARD_CODES[d[4] % len(_WARD_CODES)]
                place = _PLACES[code][d[6] % len(_PLACES[code])].format(u=unit)
                detail = _DETAILS[code][d[7] % len(_DETAILS[code])].format(
                    place=place, day=1 + d[4] % 28, month=1 + d[5] % 12, year=2023 + d[6] % 3,
                    n=2 + d[7] % 9, hh=7 + d[2] % 12, mm=f"{d[1] % 60:02d}")
                text = f"{detail} {text}" if d[3] % 2 else f"{text} {detail}"
            elif d[5] % 100 < 30:
                unit = _UNIT_NAMES[d[6] % len(_UNIT_NAMES)]
                text = f"{text} ({unit})"
            if text in seen:
                continue
            seen.add(text)
            out.append(text)
            if len(out) == n:
                break
    return out
