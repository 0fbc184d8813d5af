"""Cell values as people typed them -> canonical values, with a reason for every refusal.

Each column parser works on the column's *distinct* values and maps the answers back:
a million-row sheet holds a few hundred distinct scores or dates, so parsing stays fast
without giving up readable per-value rules. A cell that cannot be used is reported as
``(index, code, fi, en)``; the caller keeps the rest of the row.

Decisions that need the whole column are taken on the whole column: whether ``03/04/2024``
is day-first is read from the other dates in the same column, never guessed per cell.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- reasons

REASONS: dict[str, tuple[str, str]] = {
    "invalid_date": ("Päivämäärää ei ole olemassa tai sitä ei voi lukea (esim. 31.2.).",
                     "The date does not exist or cannot be read (e.g. 31 Feb)."),
    "ambiguous_date": ("Päivämäärä voi olla päivä/kuukausi tai kuukausi/päivä, eikä sarake kerro "
                       "kumpi; kirjoita muodossa p.k.vvvv.",
                       "The date could be day/month or month/day and the column does not tell "
                       "which; write it as d.m.yyyy."),
    "no_year": ("Päivämäärästä puuttuu vuosi, eikä sitä löydy taulukon nimestä tai otsikosta.",
                "The date has no year, and none was found in the sheet name or title."),
    "no_date": ("Päivämäärä puuttuu.", "The date is missing."),
    "score_out_of_range": ("Arvio on asteikon ulkopuolella; rivi tuotiin ilman arviota.",
                           "The score is outside its scale; row loaded without a score."),
    "score_unreadable": ("Arviota ei voi lukea; rivi tuotiin ilman arviota.",
                         "The score cannot be read; row loaded without a score."),
    "unknown_scale": ("Arvioasteikkoa ei tunnistettu; rivi tuotiin ilman arviota.",
                      "The score scale was not recognised; row loaded without a score."),
    "nps_out_of_range": ("Suosittelu ei ole kokonaisluku 0–10; rivi tuotiin ilman sitä.",
                         "The recommendation is not a whole number 0-10; row loaded without it."),
    "nps_unreadable": ("Suosittelua ei voi lukea; rivi tuotiin ilman sitä.",
                       "The recommendation cannot be read; row loaded without it."),
    "formula_error": ("Solussa on kaavan virhe (esim. #DIV/0!, #N/A), ei arvoa.",
                      "The cell holds a formula error (e.g. #DIV/0!, #N/A), not a value."),
    "unknown_type": ("Tuntematon palautteen tyyppi; rivi tuotiin ilman tyyppiä.",
                     "Unknown feedback type; row loaded without a type."),
    "unknown_yes_no": ("Kyllä/ei-arvoa ei tunnistettu; rivi tuotiin ilman sitä.",
                       "The yes/no value was not recognised; row loaded without it."),
    "unknown_channel": ("Tuntematon kanava; rivi tuotiin ilman kanavaa.",
                        "Unknown channel; row loaded without a channel."),
}

Reject = tuple[int, str, str, str]

FORMULA_ERRORS = frozenset({
    "#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
    "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#N/A!",
    "#JAKO/0!", "#PUUTTUU", "#ARVO!", "#VIITTAUS!", "#NIMI?", "#LUKU!", "#TYHJÄ!",  # Finnish Excel
})
_ODS_ERROR = re.compile(r"^Err:\d{3}$")


def is_formula_error(value: Any) -> bool:
    return isinstance(value, str) and (value.strip().upper() in FORMULA_ERRORS
                                       or bool(_ODS_ERROR.match(value.strip())))


def _reject(i: int, code: str) -> Reject:
    fi, en = REASONS[code]
    return (i, code, fi, en)


# --------------------------------------------------------------------------- helpers

def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return value is pd.NA or value is pd.NaT


def cell_text(value: Any) -> str | None:
    """How a person would write the cell: ``5`` not ``5.0``, dates as ISO."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    try:
        return str(value).strip()
    except ValueError:  # an integer past Python's 4,300-digit str() limit
        return "<number too large>"


def _word_key(text: str) -> str:
    """Lower case, punctuation to spaces, accents kept (ä and a are different words)."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.replace("_", " ").split())


def _by_unique(values, fn: Callable[[Any], Any]) -> tuple[np.ndarray, list[Any]]:
    """Apply ``fn`` once per distinct value; return (codes, results) with results[-1] the
    answer for blanks. Distinct values are few in real columns, which is what makes
    column parsing fast."""
    arr = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else \
        np.asarray(list(values) if not isinstance(values, (list, np.ndarray)) else values, dtype=object)
    if arr.ndim != 1:
        arr = arr.reshape(-1)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    results = [fn(u) for u in uniques]
    results.append(fn(None))
    codes = np.where(codes < 0, len(results) - 1, codes)
    return codes, results


def _expand(codes: np.ndarray, results: list[Any]) -> list[Any]:
    table = np.empty(len(results), dtype=object)
    table[:] = results
    return table[codes].tolist()


def _rejects_from(codes: np.ndarray, reject_code_of_unique: list[str | None]) -> list[Reject]:
    out: list[Reject] = []
    bad = [k for k, c in enumerate(reject_code_of_unique) if c]
    if not bad:
        return out
    mask = np.isin(codes, bad)
    for i in np.nonzero(mask)[0].tolist():
        out.append(_reject(i, reject_code_of_unique[codes[i]]))
    return out


# --------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_number(text: Any) -> float | None:
    """``4,5`` ``1 234,5`` (NBSP or thin space thousands) ``12 %`` ``−3`` -> float.

    A percentage keeps the number as written (``12 %`` -> 12.0). When both ``.`` and ``,``
    appear, the last one is the decimal mark (``1.234,5`` and ``1,234.5``)."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        try:
            v = float(text)
        except OverflowError:
            return None
        return v if math.isfinite(v) else None
    s = str(text).strip().replace("\u2212", "-").replace("\u2013", "-")
    if s.endswith("%"):
        s = s[:-1]
    s = _SPACES.sub("", s)
    if not s:
        return None
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    if not _NUMBER.match(s):
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


# --------------------------------------------------------------------------- dates

EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 32874, 73415          # 1.1.1990 .. 31.12.2100: feedback dates
_TIME = r"(?:\s*(?:[T ]|\s+klo\s*|\s+kl\.?\s*|,\s*)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,]\d+)?)?\s*(am|pm|AM|PM)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})" + _TIME + r"\s*$")
_DOT = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2}))?" + _TIME + r"\s*$")
_DOT_NO_TRAILING = re.compile(r"^(\d{1,2})\.(\d{1,2})$")
_SLASH = re.compile(r"^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + r"\s*$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _full_year(y: int) -> int:
    return y if y >= 100 else (2000 + y if y < 80 else 1900 + y)


def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _serial_to_date(x: float) -> date | None:
    if not (_SERIAL_MIN <= x <= _SERIAL_MAX):
        return None
    return EXCEL_EPOCH + timedelta(days=int(x))


class _DateCell:
    """What one distinct value says: a date, a slash form awaiting the column's order,
    or a reject code."""
    __slots__ = ("value", "slash", "code", "has_time", "no_year")

    def __init__(self, value=None, slash=None, code=None, has_time=False, no_year=False):
        self.value, self.slash, self.code, self.has_time, self.no_year = value, slash, code, has_time, no_year


def _read_date(v: Any, year_hint: int | None) -> _DateCell:
    if is_blank(v):
        return _DateCell()
    if isinstance(v, datetime):
        return _DateCell(v.date(), has_time=bool(v.hour or v.minute))
    if isinstance(v, date):
        return _DateCell(v)
    if isinstance(v, pd.Timestamp):
        return _DateCell(v.date())
    if isinstance(v, bool):
        return _DateCell(code="invalid_date")
    if isinstance(v, (int, float, np.integer, np.floating)):
        try:
            x = float(v)
        except OverflowError:
            return _DateCell(code="invalid_date")
        if not math.isfinite(x):
            return _DateCell(code="invalid_date")
        if x.is_integer() and 19900101 <= x <= 21001231:
            s = str(int(x))
            d = _make_date(int(s[:4]), int(s[4:6]), int(s[6:]))
            return _DateCell(d) if d else _DateCell(code="invalid_date")
        d = _serial_to_date(x)
        return _DateCell(d, has_time=not x.is_integer()) if d else _DateCell(code="invalid_date")
    if isinstance(v, time):
        return _DateCell(code="invalid_date")
    s = str(v).strip()
    if is_formula_error(s):
        return _DateCell(code="formula_error")
    m = _DOT.match(s)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        has_time = m.group(4) is not None
        if year is None:
            if year_hint is None:
                return _DateCell(code="no_year", no_year=True)
            y = year_hint
        else:
            y = _full_year(int(year))
        d = _make_date(y, month, day)
        return _DateCell(d, has_time=has_time, no_year=year is None) if d else _DateCell(code="invalid_date")
    m = _ISO.match(s)
    if m:
        d = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _DateCell(d, has_time=m.group(4) is not None) if d else _DateCell(code="invalid_date")
    m = _SLASH.match(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(3)), _full_year(int(m.group(4)))
        return _DateCell(slash=(a, b, y), has_time=m.group(5) is not None)
    m = _COMPACT.match(s)
    if m:
        d = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _DateCell(d) if d else _DateCell(code="invalid_date")
    m = _DOT_NO_TRAILING.match(s)
    if m and year_hint is not None:
        d = _make_date(year_hint, int(m.group(2)), int(m.group(1)))
        return _DateCell(d, no_year=True) if d else _DateCell(code="invalid_date")
    x = parse_number(s)
    if x is not None:
        return _read_date(x, year_hint)
    return _DateCell(code="invalid_date")


def decide_slash_order(pairs: Iterable[tuple[int, int]]) -> str | None:
    """'dmy', 'mdy', or None when the column does not tell (or contradicts itself)."""
    day_first = month_first = False
    for a, b in pairs:
        day_first |= a > 12
        month_first |= b > 12
    if day_first and not month_first:
        return "dmy"
    if month_first and not day_first:
        return "mdy"
    return None


MAJORITY = 3.0
"""One convention must be this many times more common than the other before the column's
ambiguous slash dates follow it (a real trust export: thousands day-first, a few hundred
month-first, many ambiguous)."""


def _slash_majority(cells: list, counts) -> tuple[str | None, int, int]:
    """(order the ambiguous dates follow or None, day-first count, month-first count),
    counting rows, not distinct values."""
    dmy = sum(int(counts[k]) for k, c in enumerate(cells) if c.slash and c.slash[0] > 12 >= c.slash[1])
    mdy = sum(int(counts[k]) for k, c in enumerate(cells) if c.slash and c.slash[1] > 12 >= c.slash[0])
    if dmy and not mdy:
        return "dmy", dmy, mdy
    if mdy and not dmy:
        return "mdy", dmy, mdy
    if dmy and dmy >= MAJORITY * mdy:
        return "dmy", dmy, mdy
    if mdy and mdy >= MAJORITY * dmy:
        return "mdy", dmy, mdy
    return None, dmy, mdy


def parse_date_column(values, *, year_hint: int | None = None, order: str | None = None,
                      default_order: str | None = None
                      ) -> tuple[list[date | None], list[Reject], dict]:
    """Dates of one column.

    ``order`` ('dmy' or 'mdy') is for callers that know the source; otherwise slash dates
    are decided from the whole column: a date that can only be read one way (13/2/2024,
    2/13/2024) is always read that way, and the ambiguous ones (3/4/2024) follow the
    column's clear majority and are counted in ``meta["assumed"]``. ``default_order`` is
    used when the column gives no evidence at all (Google Forms in a US locale writes
    M/d/yyyy). ``year_hint`` completes ``d.M.`` dates (the year from a sheet or file name).
    Blank cells give None without a reject: whether a row without a date is usable is the
    caller's decision.
    """
    codes, cells = _by_unique(values, lambda v: _read_date(v, year_hint))
    counts = np.bincount(codes, minlength=len(cells))
    slash_pairs = [(c.slash[0], c.slash[1]) for c in cells if c.slash]
    majority, dmy_n, mdy_n = _slash_majority(cells, counts) if slash_pairs else (None, 0, 0)
    decided = order or majority or (default_order if slash_pairs and not (dmy_n or mdy_n) else None)
    results: list[date | None] = []
    reasons: list[str | None] = []
    assumed = 0
    for k, c in enumerate(cells):
        if c.slash:
            a, b, y = c.slash
            if order is None and a > 12 >= b:
                day, month = a, b
            elif order is None and b > 12 >= a:
                day, month = b, a
            elif decided is None and a != b:
                results.append(None)
                reasons.append("ambiguous_date")
                continue
            else:
                day, month = (b, a) if decided == "mdy" else (a, b)
                if a != b and order is None:
                    assumed += int(counts[k])
            d = _make_date(y, month, day)
            results.append(d)
            reasons.append(None if d else "invalid_date")
        else:
            results.append(c.value)
            reasons.append(c.code)
    meta = {
        "order": decided if slash_pairs else None,
        "ambiguous": bool(slash_pairs) and decided is None,
        "assumed": assumed,
        "day_first": dmy_n,
        "month_first": mdy_n,
        "with_time": int(sum(counts[k] for k, c in enumerate(cells) if c.has_time)),
        "without_year": int(sum(counts[k] for k, c in enumerate(cells) if c.no_year)),
        "blank": int(sum(counts[k] for k, c in enumerate(cells)
                         if c.value is None and c.code is None and c.slash is None)),
        "parsed": int(sum(counts[k] for k, r in enumerate(results) if r is not None)),
    }
    return _expand(codes, results), _rejects_from(codes, reasons), meta


def parse_date(value: Any, *, year_hint: int | None = None, order: str | None = None) -> date | None:
    """One cell; slash dates need ``order`` (a single cell cannot decide it)."""
    dates, _, _ = parse_date_column([value], year_hint=year_hint, order=order)
    return dates[0]


# --------------------------------------------------------------------------- scores

SCALES = ("1-5", "smiley4", "smiley3", "4-10", "0-10", "words")
SCALE_RANGES = {"1-5": (1, 5), "smiley4": (1, 4), "smiley3": (1, 3), "4-10": (4, 10), "0-10": (0, 10)}

# words -> 1..5 (5 best). Keys are _word_key()-normalised.
SCORE_WORDS: dict[str, int] = {}
for _score, _words in {
    5: ["erittäin hyvä", "erinomainen", "todella hyvä", "erittäin tyytyväinen", "täysin samaa mieltä",
        "erittäin todennäköisesti", "mycket bra", "utmärkt", "mycket nöjd", "helt enig", "instämmer helt",
        "very good", "excellent", "very satisfied", "strongly agree", "extremely likely", "very happy",
        "erittäin hyvin", "mycket sannolikt"],
    4: ["hyvä", "melko hyvä", "tyytyväinen", "melko tyytyväinen", "jokseenkin samaa mieltä", "hyvin",
        "todennäköisesti", "bra", "ganska bra", "nöjd", "ganska nöjd", "delvis enig", "instämmer delvis",
        "good", "satisfied", "fairly good", "agree", "likely", "happy", "sannolikt"],
    3: ["kohtalainen", "keskinkertainen", "neutraali", "ei hyvä eikä huono", "en hyvä enkä huono",
        "ei tyytyväinen eikä tyytymätön", "ei samaa eikä eri mieltä", "varken bra eller dålig",
        "varken nöjd eller missnöjd", "varken enig eller oenig", "neutral", "neither good nor poor",
        "neither good nor bad", "fair", "average", "ok", "okay", "neither agree nor disagree",
        "neither likely nor unlikely", "neither satisfied nor dissatisfied", "ei todennäköisesti eikä epätodennäköisesti"],
    2: ["huono", "melko huono", "tyytymätön", "melko tyytymätön", "jokseenkin eri mieltä", "huonosti",
        "epätodennäköisesti", "dålig", "ganska dålig", "missnöjd", "delvis oenig", "poor", "bad",
        "fairly poor", "dissatisfied", "disagree", "unlikely", "unhappy", "osannolikt"],
    1: ["erittäin huono", "todella huono", "erittäin tyytymätön", "täysin eri mieltä", "erittäin huonosti",
        "erittäin epätodennäköisesti", "mycket dålig", "mycket missnöjd", "helt oenig", "very poor",
        "very bad", "very dissatisfied", "strongly disagree", "extremely unlikely", "very unhappy",
        "mycket osannolikt"],
}.items():
    for _w in _words:
        SCORE_WORDS[_word_key(_w)] = _score

# a 4-button smiley terminal's labels: 1..4 on the smiley scale
SMILEY4_WORDS = {_word_key(w): s for s, ws in {
    4: ["erittäin hyvä", "erittäin tyytyväinen", "very good", "very happy", "very satisfied", "mycket bra", "mycket nöjd"],
    3: ["hyvä", "tyytyväinen", "good", "happy", "satisfied", "bra", "nöjd"],
    2: ["huono", "tyytymätön", "poor", "bad", "unhappy", "dissatisfied", "dålig", "missnöjd"],
    1: ["erittäin huono", "erittäin tyytymätön", "very poor", "very bad", "very unhappy",
        "very dissatisfied", "mycket dålig", "mycket missnöjd"],
}.items() for w in ws}

NO_ANSWER_WORDS = frozenset(_word_key(w) for w in [
    "ei vastausta", "en osaa sanoa", "eos", "ei osaa sanoa", "ei koske minua", "ei koske", "ei sovellu",
    "en halua vastata", "ei tietoa", "don't know", "dont know", "do not know", "not applicable", "n a",
    "na", "no answer", "prefer not to say", "not sure", "vet ej", "vet inte", "ej tillämpligt",
    "inget svar", "kan inte säga", "tyhjä", "-", "–", "?",
])

_GRADE = re.compile(r"^(\d{1,2})\s*(\+|-|½|1/2|\u00bd)$")
_LABELLED = re.compile(r"^\s*(\d{1,2}(?:[.,]\d+)?)\s*(?:[=:)\-–.]|\s)\s*(.*\S)\s*$")
_REVERSED_HEADER = re.compile(
    r"\b1\s*(?:=|:|-|–|on)?\s*(?:paras|parhain|erittäin hyvä|erinomainen|täysin samaa|"
    r"best|very good|excellent|strongly agree|bäst|mycket bra|utmärkt)"
    r"|\b(?:5|4|10)\s*(?:=|:|-|–|on)?\s*(?:huonoin|heikoin|erittäin huono|worst|very poor|very bad|sämst|mycket dålig)",
    re.IGNORECASE)


def detect_reversed(header: str | None, values=()) -> bool:
    """True when 1 means the best answer: said in the header ("1 = paras") or shown by
    labelled cells ("1 = erittäin hyvä")."""
    if header and _REVERSED_HEADER.search(str(header)):
        return True
    low = high = None
    for v in (list(values)[:2000] if values is not None else []):
        if not isinstance(v, str):
            continue
        m = _LABELLED.match(v)
        if not m:
            continue
        word = SCORE_WORDS.get(_word_key(m.group(2)))
        x = parse_number(m.group(1))
        if word is None or x is None:
            continue
        if low is None or x < low[0]:
            low = (x, word)
        if high is None or x > high[0]:
            high = (x, word)
    return bool(low and high and low[0] < high[0] and low[1] > high[1])


def _score_number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        try:
            x = float(v)
        except OverflowError:
            return None
        return x if math.isfinite(x) else None
    s = str(v).strip()
    m = _GRADE.match(s)
    if m:  # school grades: 8+ = 8.25, 9- = 8.75, 7½ = 7.5
        base = float(m.group(1))
        return base + {"+": 0.25, "-": -0.25}.get(m.group(2), 0.5)
    x = parse_number(s)
    if x is not None:
        return x
    m = _LABELLED.match(s)
    if m:
        return parse_number(m.group(1))
    return None


def detect_scale(header: str | None, values) -> str:
    """The scale of a score column, from header words first and the values second."""
    h = _word_key(str(header or ""))
    raw = str(header or "").lower().replace("–", "-").replace(" ", "")
    if "4-10" in raw or "kouluarvosan" in h or "school grade" in h:
        return "4-10"
    if "0-10" in raw or "suosittel" in h or "recommend" in h or "rekommend" in h or "nps" in h.split():
        return "0-10"
    smiley = any(w in h for w in ("hymiö", "hymi", "smiley", "naama", "happyornot", "happy or not", "emoji"))
    sample = pd.Series(values, dtype=object).dropna()
    if len(sample) > 20000:
        sample = sample.sample(20000, random_state=0)
    distinct = pd.unique(sample.to_numpy(dtype=object))
    nums, words = [], 0
    for v in distinct:
        if is_blank(v) or is_formula_error(v):
            continue
        x = _score_number(v)
        if x is not None:
            nums.append(x)
        elif isinstance(v, str) and (_word_key(v) in SCORE_WORDS):
            words += 1
    if words and words >= len(nums):
        return "smiley4" if smiley else "words"
    if "1-5" in raw:
        return "1-5"
    if "1-4" in raw:
        return "smiley4"
    if "1-3" in raw:
        return "smiley3" if smiley else "1-5"
    if not nums:
        return "words" if words else "1-5"
    lo, hi = min(nums), max(nums)
    if smiley and hi <= 4 and lo >= 1:
        return "smiley4" if hi > 3 or "4" in raw else ("smiley3" if hi <= 3 else "smiley4")
    if hi <= 5 and lo >= 1:
        return "1-5"
    if lo < 1 or (lo < 4 and hi > 5):
        return "0-10"
    if hi <= 10:
        grade_words = any(w in h for w in ("arvosana", "grade", "betyg"))
        return "4-10" if grade_words or lo >= 4 else "0-10"
    return "1-5"


SMILEY4_TO_5 = {1: 1.0, 2: 2.0, 3: 4.0, 4: 5.0}
"""A 4-button smiley has no middle: its two happy faces are the two satisfied answers of
a 1-5 form (4 and 5), so "% satisfied" means the same on a kiosk as on paper."""


def smiley4_to_5(x: float) -> float:
    """1/2/3/4 -> 1/2/4/5; anything between (an average of buttons) on the lines joining them."""
    if x <= 2:
        return float(x)
    if x <= 3:
        return 2 + (x - 2) * 2
    return 4 + (x - 3)


def normalise_score(x: float, scale: str) -> float:
    """A score on its own scale -> 1..5, as docs/template.md defines."""
    if scale == "4-10":
        return 1 + (x - 4) * 4 / 6
    if scale == "0-10":
        return 1 + x * 4 / 10
    if scale == "smiley4":
        return smiley4_to_5(x)
    if scale == "smiley3":
        return 1 + (x - 1) * 2
    return x


def _score_cell(v: Any, scale: str, reverse: bool) -> tuple[float | None, str | None]:
    if is_blank(v):
        return None, None
    if is_formula_error(v):
        return None, "formula_error"
    if isinstance(v, str) and _word_key(v) in NO_ANSWER_WORDS:
        return None, None
    key = _word_key(v) if isinstance(v, str) else None
    if key is not None and scale in ("smiley4",) and key in SMILEY4_WORDS:
        return normalise_score(SMILEY4_WORDS[key], "smiley4"), None
    if key is not None and key in SCORE_WORDS and scale in ("words", "smiley4", "1-5", "smiley3"):
        return float(SCORE_WORDS[key]), None
    x = _score_number(v)
    if x is None:
        if key is not None and key in SCORE_WORDS:
            return float(SCORE_WORDS[key]), None
        return None, "score_unreadable"
    rng = SCALE_RANGES.get(scale)
    if rng is None:
        return None, "score_unreadable" if scale == "words" else "unknown_scale"
    lo, hi = rng
    if not (lo <= x <= hi):
        return None, "score_out_of_range"
    if reverse:
        x = lo + hi - x
    return normalise_score(x, scale), None


def parse_score_column(values, scale: str | None = None, header: str | None = None, *,
                       reversed_: bool | None = None
                       ) -> tuple[list[float | None], list[str | None], str, list[Reject]]:
    """(score_5, raw text, scale, rejects) for one score column.

    ``scale`` None detects it (:func:`detect_scale`); a reversed scale (1 = best) is
    detected from the header or labelled cells unless ``reversed_`` says so. "Don't know"
    answers give no score and no reject: they are answers, not errors.
    """
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    scale = scale or detect_scale(header, values)
    if scale not in SCALES:
        scale = {"hymiö4": "smiley4", "hymio4": "smiley4", "hymiö3": "smiley3", "1–5": "1-5",
                 "4–10": "4-10", "0–10": "0-10"}.get(str(scale).strip().lower(), scale)
    reverse = detect_reversed(header, pd.unique(np.asarray(values, dtype=object))
                              if len(values) else ()) if reversed_ is None else reversed_
    codes, pairs = _by_unique(values, lambda v: (_score_cell(v, scale, reverse), cell_text(v)))
    scores = _expand(codes, [p[0][0] for p in pairs])
    raw = _expand(codes, [p[1] for p in pairs])
    return scores, raw, scale, _rejects_from(codes, [p[0][1] for p in pairs])


def _nps_cell(v: Any) -> tuple[int | None, str | None]:
    if is_blank(v):
        return None, None
    if is_formula_error(v):
        return None, "formula_error"
    if isinstance(v, str) and _word_key(v) in NO_ANSWER_WORDS:
        return None, None
    x = _score_number(v)
    if x is None:
        return None, "nps_unreadable"
    if not (0 <= x <= 10) or not float(x).is_integer():
        return None, "nps_out_of_range"
    return int(x), None


def parse_nps_column(values) -> tuple[list[int | None], list[Reject]]:
    """0..10 whole numbers ("10 = erittäin todennäköisesti" labels allowed)."""
    codes, pairs = _by_unique(values, _nps_cell)
    return _expand(codes, [p[0] for p in pairs]), _rejects_from(codes, [p[1] for p in pairs])


# --------------------------------------------------------------------------- words

def _word_table(groups: dict[str, list[str]]) -> dict[str, str]:
    return {_word_key(w): k for k, ws in groups.items() for w in ws}


TYPE_WORDS = _word_table({
    "praise": ["kiitos", "kiitokset", "kiitoksia", "kiitospalaute", "kehu", "kehut", "positiivinen",
               "positiivinen palaute", "myönteinen", "myönteinen palaute", "kiittävä", "ruusu", "ruusut",
               "beröm", "tack", "positiv", "positiv feedback", "praise", "compliment", "compliments",
               "positive", "positive feedback", "thanks", "thank you", "kudos"],
    "complaint": ["moite", "moitteet", "moitteita", "valitus", "valitukset", "kritiikki", "negatiivinen",
                  "negatiivinen palaute", "kielteinen", "kielteinen palaute", "epäkohta", "epäkohdat",
                  "epäkohtailmoitus", "reklamaatio", "risu", "risut", "tyytymättömyys", "klagomål", "kritik",
                  "negativ", "missnöje", "anmärkning", "complaint", "complaints", "criticism", "negative",
                  "negative feedback", "concern"],
    "suggestion": ["kehitysehdotus", "kehitysehdotukset", "kehittämisehdotus", "kehittämisehdotukset",
                   "kehitysidea", "kehittämisidea", "idea", "ideat", "ehdotus", "ehdotukset",
                   "parannusehdotus", "toive", "toiveet", "förslag", "utvecklingsförslag", "idé",
                   "förbättringsförslag", "suggestion", "suggestions", "improvement", "improvement suggestion",
                   "development idea"],
    "question": ["kysymys", "kysymykset", "tiedustelu", "kysyttävää", "fråga", "frågor", "question",
                 "questions", "query", "enquiry", "inquiry"],
})

YES_NO_WORDS = {**{_word_key(w): True for w in ["kyllä", "kylla", "kyl", "joo", "juu", "k", "x", "ja",
                                                  "yes", "y", "true", "tosi", "1", "✓", "✔", "haluan",
                                                  "haluan vastauksen"]},
                **{_word_key(w): False for w in ["ei", "e", "nej", "no", "n", "false", "epätosi", "0",
                                                   "en halua", "ei kiitos"]}}

CHANNEL_WORDS = _word_table({
    "paper": ["paperi", "paperilomake", "lomake", "paperinen", "paperikysely", "kirje", "paper",
              "paper form", "papper", "pappersblankett", "blankett"],
    "kiosk": ["kioski", "hymiöpääte", "hymiöpäätte", "pääte", "päätte", "palautepääte", "tabletti",
              "happyornot", "happy or not", "kiosk", "terminal", "smiley terminal", "tablet"],
    "web": ["verkko", "verkkolomake", "verkkokysely", "web", "qr", "qr koodi", "kysely", "nettilomake",
            "netti", "internet", "webropol", "online", "webb", "webbenkät", "enkät", "forms", "url"],
    "email": ["sähköposti", "sposti", "s posti", "email", "e mail", "mail", "e post", "epost"],
    "sms": ["tekstiviesti", "sms", "tekstari", "textmeddelande", "text message", "text"],
    "phone": ["puhelin", "puhelu", "puh", "phone", "telephone", "telefon", "call"],
})


def _lookup(value: Any, table: dict[str, Any]) -> Any:
    """Exact word, else every known word in the text agreeing ("Kiitos!", "QR-kysely",
    "moite / valitus"); disagreeing words give None rather than a guess."""
    if is_blank(value) or is_formula_error(value):
        return None
    key = _word_key(str(value))
    if key in table:
        return table[key]
    tokens = key.split()
    found = {table[tok] for tok in tokens if tok in table}
    for n in (2, 3):
        for i in range(len(tokens) - n + 1):
            phrase = " ".join(tokens[i:i + n])
            if phrase in table:
                found.add(table[phrase])
    return found.pop() if len(found) == 1 else None


def parse_type(value: Any) -> str | None:
    """'praise' | 'complaint' | 'suggestion' | 'question' | None."""
    return _lookup(value, TYPE_WORDS)


def parse_yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
        return {1: True, 0: False}.get(value)
    if is_blank(value):
        return None
    return YES_NO_WORDS.get(_word_key(str(value)))


def parse_channel(value: Any) -> str | None:
    """paper | kiosk | web | email | sms | phone | None."""
    return _lookup(value, CHANNEL_WORDS)


def _word_column(values, fn: Callable[[Any], Any], code: str) -> tuple[list[Any], list[Reject]]:
    codes, results = _by_unique(values, lambda v: (fn(v), None if is_blank(v) or fn(v) is not None
                                                   else ("formula_error" if is_formula_error(v) else code)))
    return _expand(codes, [r[0] for r in results]), _rejects_from(codes, [r[1] for r in results])


def parse_type_column(values) -> tuple[list[str | None], list[Reject]]:
    return _word_column(values, parse_type, "unknown_type")


def parse_yes_no_column(values) -> tuple[list[bool | None], list[Reject]]:
    return _word_column(values, parse_yes_no, "unknown_yes_no")


def parse_channel_column(values) -> tuple[list[str | None], list[Reject]]:
    return _word_column(values, parse_channel, "unknown_channel")
