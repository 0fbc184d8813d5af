"""Turn a selection (a DataFrame) into xlsx or csv bytes that are safe to open in Excel.

Patients write free text, and a comment such as ``=HYPERLINK("http://x","klikkaa")`` would
run as a formula when a manager opens the export (CSV/formula injection). In CSV, which
has no cell types, every text that begins with a character Excel reads as the start of a
formula is prefixed with an apostrophe. In xlsx every text cell is typed as a string (and
formula-like ones carry Excel's quote prefix), so it shows as the patient wrote it.

Exports obey the same small-number rule as the screen: counts in ``count_columns`` that
come from fewer than ``kokemus.config.min_n()`` responses are written as ``*``.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import Iterable

import numpy as np
import pandas as pd

from kokemus import config

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SUPPRESSED = "*"
# Characters xlsx (XML 1.0) cannot hold; openpyxl refuses them, so they are dropped.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value):
    """Text that Excel would treat as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def suppress_small_counts(frame: pd.DataFrame, count_columns: Iterable[str],
                          min_n: int | None = None) -> pd.DataFrame:
    """Counts below the threshold become ``*`` so an export never reveals a small group."""
    threshold = config.min_n() if min_n is None else min_n
    out = frame.copy()
    for col in count_columns:
        values = pd.to_numeric(out[col], errors="coerce")
        small = values.notna() & (values < threshold) & (values > 0)
        out[col] = out[col].astype(object).where(~small, SUPPRESSED)
    return out


def safe_frame(frame: pd.DataFrame, count_columns: Iterable[str] = (),
               min_n: int | None = None) -> pd.DataFrame:
    """The frame as it may leave the dashboard: small counts hidden, formulas neutralised."""
    out = suppress_small_counts(frame, count_columns, min_n)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, *, count_columns: Iterable[str] = (),
                 min_n: int | None = None, lang: str = "fi") -> bytes:
    """CSV as Finnish Excel opens it by double-click: UTF-8 with BOM, ``;`` and decimal comma."""
    out = safe_frame(frame, count_columns, min_n)
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(
                lambda v: boolean_word(bool(v), lang) if isinstance(v, (bool, np.bool_)) else v)
    text = out.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


BOOLEAN_WORDS = {"fi": ("kyllä", "ei"), "sv": ("ja", "nej"), "en": ("yes", "no")}
DATE_FORMAT = "d.m.yyyy"
DATETIME_FORMAT = "d.m.yyyy h:mm"
MONTH_FORMAT = "mmmm yyyy"   # Excel writes the month name in its own language
MIN_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 8, 60, 2000


def boolean_word(value: bool, lang: str = "fi") -> str:
    yes, no = BOOLEAN_WORDS.get(lang, BOOLEAN_WORDS["fi"])
    return yes if value else no


def _xlsx_value(value, lang: str = "fi"):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (bool, np.bool_)):
        return boolean_word(bool(value), lang)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):
        return value.item()  # numpy scalar -> Python
    return value


def _width(header: str, values: pd.Series) -> float:
    """Characters of the longest of the header and a sample of the values, within limits."""
    sample = values.head(WIDTH_SAMPLE)
    longest = max([len(str(header))] + [len(_shown(v)) for v in sample], default=0)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def _shown(value) -> str:
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return "31.12.2025 12:00"
    if isinstance(value, dt.date):
        return "31.12.2025"
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet_name: str = "Kokemus",
                  count_columns: Iterable[str] = (), min_n: int | None = None,
                  month_columns: Iterable[str] = (), lang: str = "fi") -> bytes:
    """An xlsx workbook with one sheet, ready to filter in Excel.

    The header row is frozen and carries an autofilter; columns are as wide as their
    content (within limits); dates are real Excel dates in Finnish formats (months from
    ``month_columns`` as "maaliskuu 2025"); booleans are words (kyllä/ei). Every text
    cell is typed as a string and formula-like ones also carry Excel's quote prefix, so
    they show exactly as written - without the apostrophe CSV needs - and never run.
    """
    return to_xlsx_sheets_bytes([(sheet_name, frame)], count_columns=count_columns, min_n=min_n,
                                month_columns=month_columns, lang=lang)


def to_xlsx_sheets_bytes(sheets: list[tuple[str, pd.DataFrame]], *, count_columns: Iterable[str] = (),
                         min_n: int | None = None, month_columns: Iterable[str] = (),
                         lang: str = "fi") -> bytes:
    """Several sheets in one workbook, each as :func:`to_xlsx_bytes` writes its one. Columns
    are taken by position, so two columns may share a header (a file's own columns may)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    used: set[str] = set()
    for name, frame in sheets:
        title = _sheet_title(name, used)
        _write_sheet(wb.create_sheet(title=title), frame, count_columns, min_n, set(month_columns), lang)
    if not sheets:
        wb.create_sheet(title="Kokemus")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_SHEET_ILLEGAL = re.compile(r"[\\/*?:\[\]]")


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of \\ / * ? : [ ], unique (any case)."""
    base = _SHEET_ILLEGAL.sub(" ", _ILLEGAL_XML.sub("", str(name or ""))).strip()[:31] or "Kokemus"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _write_sheet(ws, frame: pd.DataFrame, count_columns, min_n, months: set, lang: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    present = [c for c in count_columns if c in frame.columns]
    out = suppress_small_counts(frame, present, min_n)
    headers = [str(c) for c in out.columns]
    for i, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _width(header, out.iloc[:, i - 1])
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(headers)))
    ws.auto_filter.ref = f"A1:{last}{len(out) + 1}"
    formats = [MONTH_FORMAT if c in months else None for c in out.columns]
    bold = Font(bold=True)

    def cell(value, number_format=None, header=False):
        c = WriteOnlyCell(ws, value=_xlsx_value(value, lang))
        if isinstance(c.value, str):
            c.data_type = "s"
            if c.value.startswith(FORMULA_STARTS):
                c.quotePrefix = True
        elif isinstance(c.value, dt.datetime):
            c.number_format = number_format or DATETIME_FORMAT
        elif isinstance(c.value, dt.date):
            c.number_format = number_format or DATE_FORMAT
        if header:
            c.font = bold
        return c

    ws.append([cell(h, header=True) for h in headers])
    for row in out.itertuples(index=False, name=None):
        ws.append([cell(v, fmt) for v, fmt in zip(row, formats)])
