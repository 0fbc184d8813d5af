"""Identity codes, phone numbers and e-mail addresses out of free text.

Every organisation asks people not to write these in feedback, and people still do; they
must never reach the warehouse. Checksum-valid identity codes are replaced, and so are
identity-code-shaped strings whose check character is wrong (a typo, or a code written from
memory): they are recorded as a *possible* identity code, because a person may still be
found from the birth date and individual number. Phone numbers need a trunk ``0`` or a ``+`` country code and at least seven digits, so dates
(12.3.2024), times (14.30), years and scores in the same comment stay as written.
"""
from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

HETU = "[HETU]"
PHONE = "[PUHELIN]"
EMAIL = "[SÄHKÖPOSTI]"
POSSIBLE_HETU = "[MAHDOLLINEN_HETU]"

_CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
            "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}

_HETU_RE = re.compile(r"(?<![\w+-])(\d{2})(\d{2})(\d{2})([-+ABCDEFUVWXYabcdefuvwxy])(\d{3})([0-9A-Ya-y])(?![\w])")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w])")
_PHONE_RE = re.compile(
    r"(?<![\w.,:/+-])(?:"
    r"(?:\+|00)\d{1,3}[\s-]?(?:\(0\)[\s-]?)?\d(?:[\s-]?\d){5,11}"   # +358 40 123 4567, 00358...
    r"|\(?0\d{1,3}\)?(?:[\s-]?\d){5,9}"                             # 040 123 4567, (09) 1234 5678
    r")(?![\w]|[.,]\d)")
_HINT = re.compile(r"\d")
_HETU_HINT = re.compile(r"\d{6}[-+A-FU-Ya-fu-y]\d{3}")
_PHONE_HINT = re.compile(r"(?:\+|\b0)\d")


def is_valid_hetu(code: str) -> bool:
    """A Finnish personal identity code with a real birth date and a matching check
    character (the 2023 century signs Y X W V U and B C D E F included)."""
    m = _HETU_RE.fullmatch(code.strip())
    return bool(m) and _valid_parts(m)


def _valid_parts(m: re.Match) -> bool:
    dd, mm, yy, sign, num, check = m.groups()
    sign, check = sign.upper(), check.upper()
    if num == "000" or num == "001":
        return False
    try:
        date(_CENTURY[sign] + int(yy), int(mm), int(dd))
    except ValueError:
        return False
    return _CHECK_CHARS[int(dd + mm + yy + num) % 31] == check


def _possible_parts(m: re.Match) -> bool:
    """Shaped like an identity code with a real day and month, whatever the check
    character says."""
    dd, mm = int(m.group(1)), int(m.group(2))
    return 1 <= dd <= 31 and 1 <= mm <= 12


def is_possible_hetu(code: str) -> bool:
    """Identity-code-shaped with a wrong check character: still personal data."""
    m = _HETU_RE.fullmatch(code.strip())
    return bool(m) and not _valid_parts(m) and _possible_parts(m)


_TIME_RANGE = re.compile(r"^([01]\d|2[0-4])([0-5]\d)\s?-\s?([01]\d|2[0-4])([0-5]\d)$")


def _phone_ok(text: str) -> bool:
    """Seven to fifteen digits, and not an opening-hours range such as 0930-1030."""
    digits = sum(ch.isdigit() for ch in text)
    return 7 <= digits <= 15 and not _TIME_RANGE.match(text)


def redact_text(text: str | None) -> tuple[str | None, int]:
    """(text with placeholders, number of replacements). Idempotent: placeholders hold
    no digit and no '@', so a second pass finds nothing."""
    if not text or not isinstance(text, str):
        return text, 0
    has_at = "@" in text
    if not has_at and not _HINT.search(text):
        return text, 0
    count = 0

    def hetu(m: re.Match) -> str:
        nonlocal count
        if _valid_parts(m):
            count += 1
            return HETU
        if _possible_parts(m):
            count += 1
            return POSSIBLE_HETU
        return m.group(0)

    def email(m: re.Match) -> str:
        nonlocal count
        count += 1
        return EMAIL

    def phone(m: re.Match) -> str:
        nonlocal count
        if _phone_ok(m.group(0)):
            count += 1
            return PHONE
        return m.group(0)

    out = _HETU_RE.sub(hetu, text) if _HETU_HINT.search(text) else text
    if has_at:
        out = _EMAIL_RE.sub(email, out)
    if _PHONE_HINT.search(out):
        out = _PHONE_RE.sub(phone, out)
    return out, count


def redact_cell(value) -> tuple[object, int]:
    """One cell of a comment column: (value with placeholders, replacements). Cells shorter
    than an e-mail address (a@b.cd), the shortest thing replaced, and cells with neither a
    digit nor an '@' are passed over without the patterns."""
    if value.__class__ is str and len(value) >= 6 and ("@" in value or _HINT.search(value) is not None):
        return redact_text(value)
    return value, 0


# the cells redact_cell looks at, as Arrow finds them in a whole text column: six characters or
# more (code points, as len()) holding an '@' or a digit (Python's \d is Unicode's Nd)
_ARROW_CANDIDATE = r"[@\p{Nd}]"


def _arrow_text(series: pd.Series):
    """The column as a pyarrow array when it is a text column pandas keeps in Arrow (pandas'
    ``str``); None for an object column, whose cells may be anything."""
    if str(series.dtype) in ("str", "string") and hasattr(series.array, "__arrow_array__"):
        import pyarrow as pa
        return pa.array(series.array)
    return None


def candidate_positions(texts) -> np.ndarray:
    """Positions in a pyarrow text array of the cells :func:`redact_cell` would look at (the
    others it returns unchanged), found in one vectorised pass instead of one Python test
    per cell."""
    import pyarrow.compute as pc
    look = pc.and_(pc.greater_equal(pc.utf8_length(texts), 6), pc.match_substring_regex(texts, _ARROW_CANDIDATE))
    return np.flatnonzero(pc.fill_null(look, False).to_numpy(zero_copy_only=False))


def redact_series(series: pd.Series, memo: dict | None = None) -> tuple[pd.Series, int]:
    """Redact a column of comments; returns a new Series and the total replaced.

    Only cells holding a digit or an '@' are looked at in Python; in a real comment
    column that is a small share (an Arrow-backed column finds them without a Python loop).
    ``memo``: text -> :func:`redact_cell` of it, worked out already (etl.normalise.tag_ahead
    redacts a big file's comments while it is parsed)."""
    if series.empty:
        return series.copy(), 0
    total = 0
    get = memo.get if memo else None
    arrow = _arrow_text(series)
    if arrow is not None:
        positions = candidate_positions(arrow)
        cells = zip(positions.tolist(), arrow.take(positions).to_pylist())
    else:
        cells = enumerate(series.tolist())
    at, new_values = [], []
    for i, value in cells:
        if value.__class__ is not str:
            continue
        done = get(value) if get is not None else None
        new, n = done if done is not None else redact_cell(value)
        if n:
            at.append(i)
            new_values.append(new)
            total += n
    out = series.copy()
    if total:
        out.iloc[at] = new_values   # the few changed cells, not the column rebuilt
    return out, total
