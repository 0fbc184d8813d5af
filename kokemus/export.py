"""Turn a selection (a DataFrame) into xlsx or csv bytes that are safe to open in Excel.

Patients write free text, and a comment such as ``=HYPERLINK("http://x","klikkaa")`` would
run as a formula when a manager opens the export (CSV/formula injection). Every text cell
that begins with a character Excel reads as the start of a formula is therefore prefixed
with an apostrophe, in both formats, so it shows as the text the patient wrote.

Exports obey the same small-number rule as the screen: counts in ``count_columns`` that
come from fewer than ``kokemus.config.min_n()`` responses are written as ``*``.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from typing import Iterable

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
                 min_n: int | None = None) -> bytes:
    """CSV as Finnish Excel opens it by double-click: UTF-8 with BOM, ``;`` and decimal comma."""
    out = safe_frame(frame, count_columns, min_n)
    text = out.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _xlsx_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if isinstance(value, str):
        return _ILLEGAL_XML.sub("", value)
    if hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):
        return value.item()  # numpy scalar -> Python
    return value


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet_name: str = "Kokemus",
                  count_columns: Iterable[str] = (), min_n: int | None = None) -> bytes:
    """An xlsx workbook with one sheet; text cells are always typed as strings.

    Typing each text cell as a string (besides the apostrophe) matters because openpyxl
    otherwise stores any string that starts with ``=`` as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    out = safe_frame(frame, count_columns, min_n)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_name[:31] or "Kokemus")

    def cell(value):
        c = WriteOnlyCell(ws, value=_xlsx_value(value))
        if isinstance(c.value, str):
            c.data_type = "s"
        return c

    ws.append([cell(c) for c in out.columns])
    for row in out.itertuples(index=False, name=None):
        ws.append([cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
