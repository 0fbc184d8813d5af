"""Personal identifiers out of every other stored copy of a cell (issue 14 item 7).

The comment column is redacted by ``annotate.redact_frame``; but a nurse types a phone
number into the score column, an identity code lands in a row that is rejected, a wide
form's answer holds an e-mail address. Rejected rows (the cell and the whole row kept for
the nurse to fix), raw scores and per-question answers are stored and shown and exported
too, so they get the same placeholders before the preview and the load see them.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from etl.contract import ParsedFile
from etl.normalise.redact import redact_series, redact_text

TEXT_COLUMNS = ("raw_score",)   # frame columns besides the comment that keep typed text (ids stay: they identify)


def _text(value) -> tuple[object, int]:
    if value is None or isinstance(value, (int, float, bool)):
        return value, 0
    return redact_text(str(value))


def redact_copies(parsed: ParsedFile) -> int:
    """Redact rejects, answers and the frame's raw text columns in place; return the count."""
    total = 0
    for i, r in enumerate(parsed.rejects):
        value, n1 = _text(r.value)
        row_values, n2 = _text(r.row_values)
        if n1 or n2:
            parsed.rejects[i] = dataclasses.replace(r, value=value, row_values=row_values)
            # a kept row's other cells are loaded (and counted) as themselves
            total += n1 + (0 if r.row_kept else n2)
    for i, a in enumerate(parsed.answers):
        raw, n = _text(a.raw_value)
        if n:
            parsed.answers[i] = dataclasses.replace(a, raw_value=raw)
            total += n
    frame = parsed.frame
    for col in TEXT_COLUMNS:
        if col in frame and not pd.api.types.is_numeric_dtype(frame[col]) and frame[col].notna().any():
            # a text column pandas keeps in Arrow is searched there; any other as objects
            column = frame[col] if str(frame[col].dtype) in ("str", "string") else frame[col].astype("object")
            redacted, n = redact_series(column)
            if n:
                frame = frame.copy() if frame is parsed.frame else frame
                frame[col] = redacted
                total += int(n)
    parsed.frame = frame
    return total
