"""The last step of reading any file, whatever path parsed it: what no stored cell may hold.

- NUL bytes are removed from every text value (they cut strings short in other tools and
  hide text from a reader);
- a formula error (``#DIV/0!``, ``#N/A``, ``#JAKO/0!`` ...) is never a patient's comment:
  it becomes a rejected cell and the row is kept without it;
- comments longer than :data:`etl.limits.COMMENT_MAX_CHARS` are cut and the cut marked.
"""
from __future__ import annotations

import pandas as pd

from etl import limits
from etl.contract import ParsedFile, Reject
from etl.normalise.values import REASONS, is_formula_error


def _strip_nul(value):
    return value.replace("\x00", "") if value.__class__ is str and "\x00" in value else value


def _contains(col: pd.Series, part: str) -> pd.Series:
    """Text cells holding ``part`` (a bool per cell): vectorised for a text column, cell
    by cell for a column of mixed values."""
    if str(col.dtype) in ("str", "string"):
        return col.str.contains(part, regex=False).fillna(False).astype(bool)
    filled = col.notna()
    if not filled.any():   # a column nobody filled in (the template's unused ones): no cell to visit
        return filled
    return col.map(lambda v: v.__class__ is str and part in v).astype(bool)


def sanitise_parsed(parsed: ParsedFile) -> ParsedFile:
    frame: pd.DataFrame = parsed.frame
    if len(frame):
        text_cols = [c for c in frame.columns if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string")]
        changed = {}
        for c in text_cols:
            col = frame[c]
            if _contains(col, "\x00").any():
                changed[c] = col.map(_strip_nul)
        if changed:
            frame = frame.assign(**changed)
        if "comment" in frame:
            comments = frame["comment"]
            # only a cell with "#" or "Err:" can be a formula error: the rest skip the check
            maybe = _contains(comments, "#") | _contains(comments, "Err:")
            errors = pd.Series(False, index=comments.index)
            if maybe.any():
                errors[maybe] = comments[maybe].map(is_formula_error).astype(bool)
            if errors.any():
                header = next((h for s in parsed.sheets for h, f in (s.columns or {}).items() if f == "comment"),
                              "comment")
                fi, en = REASONS["formula_error"]
                for i in frame.index[errors]:
                    row = frame.at[i, "source_row"] if "source_row" in frame else None
                    parsed.rejects.append(Reject(
                        sheet=frame.at[i, "source_sheet"] if "source_sheet" in frame else None,
                        row=None if pd.isna(row) else int(row), column=header, value=frame.at[i, "comment"],
                        code="formula_error", fi=fi, en=en, row_kept=True))
                frame = frame.copy()
                frame.loc[errors, "comment"] = None
        frame, parsed.comments_cut = limits.cap_comments(frame)
    parsed.frame = frame
    for r in parsed.rejects:
        r.value = _strip_nul(r.value)
        r.row_values = _strip_nul(r.row_values)
    for a in parsed.answers:
        a.raw_value = _strip_nul(a.raw_value)
    return parsed
