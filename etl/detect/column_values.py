"""Columns recognised from their values when the header says nothing we know.

A header such as "Kirjauskerta", "Sarake3" or a question nobody listed can still hold
dates, a score, unit names or free text; what the cells are decides, and the reason names
the share ("Sarake C: 97 % päivämääriä") so a person can check it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from etl.detect.unit_names import find_unit
from etl.detect.units import alias_key

SAMPLE = 300
SHARE = 0.8


@dataclass(frozen=True)
class ColumnGuess:
    kind: str        # date | unit | text | number | words | yes_no | empty | other
    share: float     # of the non-blank cells


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _is_date(v: Any) -> bool:
    from etl.normalise.values import _read_date
    if isinstance(v, (dt.date, dt.datetime)):
        return True
    if isinstance(v, str):
        s = v.strip()
        if not re.search(r"\d{1,4}[./-]\d{1,2}", s):
            return False
        cell = _read_date(s, 2000)
        return cell.code is None and (cell.value is not None or cell.slash is not None)
    return False


def _is_number(v: Any) -> bool:
    from etl.normalise.values import parse_number
    if isinstance(v, bool):
        return False
    x = v if isinstance(v, (int, float)) else parse_number(v) if isinstance(v, str) else None
    return x is not None and 0 <= x <= 10


def _is_words(v: Any) -> bool:
    from etl.detect.tally import answer_rank
    from etl.normalise.values import SCORE_WORDS, _word_key
    return isinstance(v, str) and (answer_rank(v) is not None or _word_key(v) in SCORE_WORDS)


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and len(v.strip()) >= 12 and " " in v.strip()


def _is_yes_no(v: Any) -> bool:
    from etl.normalise.values import parse_yes_no
    return not isinstance(v, (int, float)) and parse_yes_no(v) is not None


def guess(values: list[Any], known_units: dict[str, str] | None = None) -> ColumnGuess:
    """What most cells of a column are. Order matters: a date column is not numbers, a
    column of "Osasto 5B" is not free text."""
    cells = [v for v in values[:SAMPLE * 3] if not _blank(v)][:SAMPLE]
    if not cells:
        return ColumnGuess("empty", 0.0)
    n = len(cells)

    def share(test) -> float:
        return sum(1 for v in cells if test(v)) / n

    s = share(_is_date)
    if s >= SHARE:
        return ColumnGuess("date", s)
    distinct = {str(v).strip() for v in cells}
    if known_units or len(distinct) <= max(3, n // 3):
        keys = set(known_units or {})
        s = share(lambda v: isinstance(v, str) and (alias_key(v) in keys or find_unit(v) is not None))
        if s >= SHARE:
            return ColumnGuess("unit", s)
    s = share(_is_words)
    if s >= SHARE:
        return ColumnGuess("words", s)
    s = share(_is_number)
    if s >= SHARE:
        return ColumnGuess("number", s)
    s = share(_is_yes_no)
    if s >= 0.9 and len(distinct) <= 6:
        return ColumnGuess("yes_no", s)
    s = share(_is_text)
    if s >= 0.5:
        return ColumnGuess("text", s)
    return ColumnGuess("other", 1.0)
