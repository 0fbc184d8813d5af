"""The cells of a rejected row as stored: JSON ``[[header, value], ...]`` in column order.

Stored so the import log can hand the rows back as the file's own columns (fix in Excel,
upload again as it is). Text is redacted like every stored text; dates become ISO text
(``kokemus.batches`` turns them back into Excel dates), numbers stay numbers.
"""
from __future__ import annotations

import datetime as dt
import json
import math

from etl.normalise.redact import redact_text

MAX_CELL = 10_000  # the long-comment cap (etl.limits); a rejected cell is no exception


def _value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and not math.isfinite(value) else value
    if hasattr(value, "item"):  # numpy scalar
        return _value(value.item())
    text, _ = redact_text(str(value)[:MAX_CELL])
    return text


def encode(cells: list | None) -> str | None:
    """JSON text for ``rejected_rows.row_cells`` (None when the reader gave no cells)."""
    if not cells:
        return None
    return json.dumps([[str(h), _value(v)] for h, v in cells], ensure_ascii=False)
