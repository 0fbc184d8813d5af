"""Sheet names and titles that name a period: months, quarters, half-years, years, ranges.

A period sheet ("Q1", "1. neljännes", "tammi-maalis", "kvartal 2", "H2 2023", "2024") is
never a unit; a workbook of quarter sheets must not become four wards.
"""
from __future__ import annotations

import re

from etl.detect.synonyms import month_from_word

_PERIOD_WORDS = frozenset({
    "q1", "q2", "q3", "q4", "h1", "h2", "neljännes", "vuosineljännes", "kvartaali", "kvartal",
    "kvartalet", "quarter", "qtr", "vuosipuolisko", "puolivuotinen", "puolivuotis", "halvår",
    "half", "kevät", "syksy", "kesä", "talvi", "vår", "höst", "sommar", "vinter", "spring",
    "autumn", "summer", "winter", "vuosi", "år", "year", "viikko", "vko", "vecka", "week",
    "tammi-maalis", "huhti-kesä", "heinä-syys", "loka-joulu", "ytd", "kk", "month", "månad",
    "kuukausi", "jakso", "period", "ajanjakso",
})
_ORDINAL = re.compile(r"^\d\.?$|^(i|ii|iii|iv)$", re.IGNORECASE)
_YEAR = re.compile(r"^(19[89]\d|20\d\d)(/\d{2,4})?$")
_RANGE = re.compile(r"^[a-zåäö]+-[a-zåäö]+$", re.IGNORECASE)
_SEP = re.compile(r"[\s_/.,()]+")


def is_period_word(word: str) -> bool:
    w = word.lower().strip(".,()")
    if not w:
        return False
    if w in _PERIOD_WORDS or month_from_word(w) or _YEAR.match(w):
        return True
    if re.fullmatch(r"[qh][1-4](-\d{2,4})?", w) or re.fullmatch(r"(19|20)\d\dq[1-4]", w):
        return True
    if _RANGE.match(w):
        a, b = w.split("-", 1)
        return bool(month_from_word(a) and month_from_word(b))
    return w.endswith("neljännes") or w.endswith("kvartal")


def is_period_name(name: object) -> bool:
    """Every word is a period word, a year, an ordinal or a number: "Q1 2023",
    "1. neljännes", "Tammi-maalis", "kvartal 2", "2024", "Maalis (2)" is a month too."""
    words = [w for w in _SEP.split(str(name or "").strip()) if w]
    if not words:
        return False
    return any(is_period_word(w) for w in words) and all(
        is_period_word(w) or _ORDINAL.match(w) or w.isdigit() for w in words)
