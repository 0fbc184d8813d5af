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


class _Fold(dict):
    """``str.translate`` table of the lookalikes of the characters the patterns read, one
    character each: every Unicode decimal digit (fullwidth, Arabic-Indic, ...), fullwidth
    ASCII (＠, ＋, Ａ), dashes and the minus sign. People paste numbers from phones and
    documents that write them so, and a phone number in fullwidth digits is still a phone
    number. One character for one, so a match in the folded text has the same place in the
    original. Filled as characters are met (a table of all of Unicode costs a second to
    build in every importing process)."""

    def __missing__(self, code: int) -> str:
        import unicodedata
        ch = chr(code)
        cat = unicodedata.category(ch)
        if cat == "Nd":
            out = str(unicodedata.decimal(ch))
        elif cat == "Pd" or code == 0x2212:
            out = "-"
        elif 0xFF01 <= code <= 0xFF5E:             # fullwidth ! .. ~
            out = chr(code - 0xFF00 + 0x20)
        elif code == 0xFE6B:                         # small commercial at
            out = "@"
        elif code == 0xFE62:                         # small plus sign
            out = "+"
        else:
            out = ch
        self[code] = out
        return out


_FOLD = _Fold()
# a text holding none of these reads the same folded: the lookalikes above (the Pd dashes of
# Unicode 15 listed), and any word character from U+0660 on, where the first digits other than
# ASCII's are (it lets CJK or Arabic text through to the fold too; Finnish, Swedish and English
# text does not have them). This only decides whether folding is worth its cost; _Fold
# decides what folds.
_NEEDS_FOLD = re.compile("[\uff01-\uff5e\ufe62\ufe6b\u2212\u058a\u05be\u1400\u1806\u2010-\u2015"
                         "\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58"
                         "\ufe63\U00010ead]|[^\\W\x00-\u065f]")
# an '@' and its lookalikes: a cell holding one may hold an e-mail address
_AT = ("@", "\uff20", "\ufe6b")


def _sub(pattern: re.Pattern, replace, text: str, folded: str) -> tuple[str, str]:
    """``pattern.sub`` run on the folded text, the replacements put into both copies: the
    parts of a comment that are not personal data stay exactly as the person wrote them."""
    out, out_folded, at = [], [], 0
    for m in pattern.finditer(folded):
        new = replace(m)
        if new is None:
            continue
        out.append(text[at:m.start()])
        out_folded.append(folded[at:m.start()])
        out.append(new)
        out_folded.append(new)
        at = m.end()
    if not out:
        return text, folded
    out.append(text[at:])
    out_folded.append(folded[at:])
    return "".join(out), "".join(out_folded)


def redact_text(text: str | None) -> tuple[str | None, int]:
    """(text with placeholders, number of replacements). Idempotent: placeholders hold
    no digit and no '@', so a second pass finds nothing. Digits, dashes and '@' written with
    lookalike characters (fullwidth, other scripts' digits, the minus sign) are read as
    their ASCII selves; the text kept is the original."""
    if not text or not isinstance(text, str):
        return text, 0
    folded = text if text.isascii() or not _NEEDS_FOLD.search(text) else text.translate(_FOLD)
    has_at = "@" in folded
    if not has_at and not _HINT.search(folded):
        return text, 0
    count = 0

    def hetu(m: re.Match) -> str | None:
        nonlocal count
        if _valid_parts(m):
            count += 1
            return HETU
        if _possible_parts(m):
            count += 1
            return POSSIBLE_HETU
        return None

    def email(m: re.Match) -> str:
        nonlocal count
        count += 1
        return EMAIL

    def phone(m: re.Match) -> str | None:
        nonlocal count
        if _phone_ok(m.group(0)):
            count += 1
            return PHONE
        return None

    out = text
    if _HETU_HINT.search(folded):
        out, folded = _sub(_HETU_RE, hetu, out, folded)
    if has_at:
        out, folded = _sub(_EMAIL_RE, email, out, folded)
    if _PHONE_HINT.search(folded):
        out, folded = _sub(_PHONE_RE, phone, out, folded)
    return out, count


def redact_cell(value) -> tuple[object, int]:
    """One cell of a comment column: (value with placeholders, replacements). Cells shorter
    than an e-mail address (a@b.cd), the shortest thing replaced, and cells with neither a
    digit nor an '@' are passed over without the patterns."""
    if value.__class__ is str and len(value) >= 6 and (
            _HINT.search(value) is not None or any(at in value for at in _AT)):
        return redact_text(value)
    return value, 0


# the cells redact_cell looks at, as Arrow finds them in a whole text column: six characters or
# more (code points, as len()) holding an '@' (or a lookalike, _AT) or a digit (Python's \d is
# Unicode's Nd)
_ARROW_CANDIDATE = "[" + "".join(f"\\x{{{ord(at):04X}}}" for at in _AT) + r"\p{Nd}]"


def _arrow_text(series: pd.Series):
    """The column as a pyarrow array when it is a text column pandas keeps in Arrow (pandas'
    ``str``); None for an object column, whose cells may be anything."""
    if str(series.dtype) in ("str", "string") and hasattr(series.array, "__arrow_array__"):
        import pyarrow as pa
        return pa.array(series.array)
    return None


# A cell whose characters all lie below U+0580 reads the same folded (_Fold changes nothing
# there: the only decimal digits are 0-9, the only dash is '-', every lookalike lies above),
# so for it the patterns' hints can be tested in Arrow on the text as written. Below U+0580
# Arrow's (RE2's) \d is Python's, and RE2's ASCII \b finds a boundary wherever Python's
# Unicode \b does (and a few more, e.g. after 'ä'): these tests pass every cell Python's
# hints would pass, and perhaps a few more, which Python then passes over.
_ARROW_FOLDS = "[^\\x{0000}-\\x{057F}]"
_ARROW_HINTS = "@|" + _HETU_HINT.pattern + "|" + _PHONE_HINT.pattern


def candidate_positions(texts) -> np.ndarray:
    """Positions in a pyarrow text array of the cells :func:`redact_cell` might change (the
    others it returns unchanged), found in vectorised passes instead of one Python test per
    cell: six characters or more with a digit or an '@' (what redact_cell looks at), and of
    those, the ones that may need folding or hold one of :func:`redact_text`'s hints (an '@',
    an identity-code shape, a trunk '0' or a '+' before a digit). A date or a clock time
    ("12.3.", "klo 14.30"), half of the cells with a digit, needs no Python."""
    import pyarrow.compute as pc
    look = pc.and_(pc.greater_equal(pc.utf8_length(texts), 6), pc.match_substring_regex(texts, _ARROW_CANDIDATE))
    look = pc.fill_null(look, False)
    positions = np.flatnonzero(look.to_numpy(zero_copy_only=False))
    if not len(positions):
        return positions
    cells = texts.take(positions)
    keep = pc.or_(pc.match_substring_regex(cells, _ARROW_FOLDS), pc.match_substring_regex(cells, _ARROW_HINTS))
    return positions[pc.fill_null(keep, False).to_numpy(zero_copy_only=False)]


def redact_series(series: pd.Series, memo: dict | None = None) -> tuple[pd.Series, int]:
    """Redact a column of comments; returns a new Series and the total replaced.

    Only cells holding a digit or an '@' are looked at in Python; in a real comment
    column that is a small share (an Arrow-backed column finds them without a Python loop,
    and of them only the ones :func:`candidate_positions` keeps).
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
