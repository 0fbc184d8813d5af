"""Read side of the import log: which files came in, and what each one left out.

Writes (import, undo) go through ``etl.pipeline`` only; this module just reads, through
short-lived connections so the log page never holds the warehouse lock. ``scope`` (unit
ids, None = all) and ``me`` (the user's name) limit what is read to the batches the user
may see: their own uploads and batches wholly inside their units.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pandas as pd

from kokemus import db, export, plain
from kokemus.filters import scope_params
from kokemus.i18n import t
from kokemus.reject_reasons import reason_text

_SQL_DIR = Path(__file__).parent / "sql"
NO_LIMIT = 2 ** 62
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$")


def _sql(name: str) -> str:
    return (_SQL_DIR / name).read_text(encoding="utf-8")


def _scope(scope, me) -> dict[str, object]:
    return {**scope_params(scope), "me": me}


def batches(db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
            me: str | None = None) -> pd.DataFrame:
    """The batches the user may see, newest first: who, when, file, counts, status."""
    with db.connect(db_path) as con:
        return con.execute(_sql("batches_list.sql"), _scope(scope, me)).df()


def batch_extent(batch_id: int, db_path: str | os.PathLike | None = None,
                 scope: tuple[int, ...] | None = None) -> pd.DataFrame:
    """unit (stored name), first_month, last_month, responses of what a batch loaded."""
    with db.connect(db_path) as con:
        return con.execute(_sql("batches_extent.sql"), {"batch_id": int(batch_id), **scope_params(scope)}).df()


def rejected_rows(batch_id: int, lang: str = "fi",
                  db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
                  me: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The rows and cells ``batch_id`` could not use, with the reason in ``lang``
    (the first ``limit`` of them, in file order, when given)."""
    with db.connect(db_path) as con:
        frame = con.execute(_sql("batches_rejects.sql"),
                            {"batch_id": int(batch_id), "lang": lang, **_scope(scope, me),
                             "limit": NO_LIMIT if limit is None else int(limit)}).df()
    if lang == "sv" and len(frame):
        frame["reason"] = _reasons(frame, lang)
    return frame


def _reasons(frame: pd.DataFrame, lang: str) -> list[str]:
    """Each row's reason in ``lang`` from its stored code and fi/en texts."""
    return [reason_text(c, f, e, lang) for c, f, e in
            zip(frame["reason_code"], frame["reason_fi"], frame["reason_en"])]


def reject_summary(batch_id: int, lang: str = "fi",
                   db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
                   me: str | None = None) -> pd.DataFrame:
    """reason, rows_rejected, cells_rejected, total - one line per reason, in one query,
    so a batch with 50,000 rejects opens as fast as one with five."""
    with db.connect(db_path) as con:
        stored = con.execute(_sql("batches_rejects_summary.sql"),
                             {"batch_id": int(batch_id), **_scope(scope, me)}).df()
    stored["reason"] = _reasons(stored, lang)
    counts = ["rows_rejected", "cells_rejected", "total"]
    summary = stored.groupby("reason", sort=False)[counts].sum().reset_index()
    return summary.sort_values(["total", "reason"], ascending=[False, True], kind="stable",
                               ignore_index=True)[["reason", *counts]]


def duplicate_rows(batch_id: int, db_path: str | os.PathLike | None = None,
                   scope: tuple[int, ...] | None = None, me: str | None = None) -> pd.DataFrame:
    """The rows ``batch_id`` did not load as duplicates, each naming the batch it duplicates."""
    with db.connect(db_path) as con:
        return con.execute(_sql("batches_duplicates.sql"),
                           {"batch_id": int(batch_id), **_scope(scope, me)}).df()


def duplicates_table(frame: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """Duplicate rows with headers a nurse reads."""
    return pd.DataFrame({
        t("upload_col_sheet", lang): frame["sheet"],
        t("log_col_row", lang): frame["source_row"],
        t("dup_col_duplicate_of", lang): frame["duplicate_of"],
        t("dup_col_file", lang): frame["duplicate_file"],
        t("dup_col_reason", lang): frame["reason"].map(lambda r: t(f"dup_reason_{r}", lang)),
    })


def summary_table(summary: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    return pd.DataFrame({
        t("log_col_reason", lang): summary["reason"],
        t("log_col_rows_rejected", lang): summary["rows_rejected"].astype(int),
        t("log_col_cells_rejected", lang): summary["cells_rejected"].astype(int),
    })


def rejects_table(frame: pd.DataFrame, lang: str = "fi", *, on_page: bool = False) -> pd.DataFrame:
    """Rejected rows with headers a nurse reads; shown on the log and in the workbook's
    notes. ``on_page``, an empty rejected cell reads "(tyhjä)"; in the workbook it stays
    an empty cell."""
    def text(col: str) -> pd.Series:  # a missing value is an empty cell, never "None"/"nan"
        return frame[col].map(lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))

    return pd.DataFrame({
        t("upload_col_sheet", lang): text("sheet"),
        t("log_col_row", lang): frame["source_row"].astype("Int64"),
        t("log_col_column", lang): text("column_name"),
        t("log_col_value", lang): frame["value"].map(lambda v: plain.cell(v, lang)) if on_page else text("value"),
        t("log_col_reason", lang): frame["reason"],
        t("log_col_row_kept", lang): frame["row_kept"].map(lambda v: export.boolean_word(bool(v), lang)),
        t("log_col_row_values", lang): text("row_values"),
    })


def rejects_xlsx(batch_id: int, lang: str = "fi",
                 db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
                 me: str | None = None) -> bytes:
    """The rejected rows as an Excel file to fix and upload again as it is.

    Each rejected row comes back once, on a sheet named as the file's sheet (a unit or a
    month in the sheet name is read again), under the file's own headers, one value per
    column, with the reason in a last column the import recognises and leaves out. Rows
    that were loaded with one cell left out are not among them (uploading them again
    would count those responses twice): they are listed on a notes sheet, which the
    import never reads as data. Goes through ``kokemus.export``: the rows hold patient free
    text that must not run as a formula when opened."""
    return export.to_xlsx_sheets_bytes(
        rejects_sheets(rejected_rows(batch_id, lang, db_path, scope, me), lang), lang=lang)


def rejects_file_name(file_name: str | None, batch_id: int) -> str:
    """``<original name>_hylatyt_era_<id>.xlsx``: a unit or year in the original file name
    is read again when the fixed file is uploaded."""
    stem = plain.download_name(Path(str(file_name or "")).stem, fallback="")[:80].strip(" ._")
    return f"{stem + '_' if stem else ''}hylatyt_era_{int(batch_id)}.xlsx"


def _cell_value(value):
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return dt.date.fromisoformat(value)
        if _ISO_DATETIME.match(value):
            return dt.datetime.fromisoformat(value)
    return value


def rejects_sheets(frame: pd.DataFrame, lang: str = "fi") -> list[tuple[str, pd.DataFrame]]:
    """(sheet name, table) pairs of :func:`rejects_xlsx`: the re-uploadable sheets first,
    then the notes sheet when something cannot go back as a row."""
    reason_header = t("log_xlsx_reason", lang)
    groups: dict[tuple, dict] = {}
    notes = []
    for rec in frame.itertuples(index=False):
        cells = json.loads(rec.row_cells) if isinstance(rec.row_cells, str) and rec.row_cells else None
        if rec.row_kept or not cells:
            notes.append(rec)
            continue
        headers = tuple(h for h, _ in cells)
        group = groups.setdefault((rec.sheet, headers), {"rows": {}, "order": []})
        key = rec.source_row if pd.notna(rec.source_row) else ("#", len(group["order"]))
        if key in group["rows"]:
            if rec.reason not in group["rows"][key][1]:
                group["rows"][key][1].append(rec.reason)
            continue
        group["rows"][key] = ([_cell_value(v) for _, v in cells], [rec.reason])
        group["order"].append(key)
    sheets = []
    for (sheet, headers), group in groups.items():
        data = [[*group["rows"][k][0], "; ".join(group["rows"][k][1])] for k in group["order"]]
        table = pd.DataFrame(data, columns=range(len(headers) + 1))
        table.columns = [*headers, reason_header]
        sheets.append((sheet if isinstance(sheet, str) and sheet else t("log_xlsx_sheet", lang), table))
    if notes:
        table = rejects_table(pd.DataFrame(notes, columns=frame.columns), lang)
        sheets.append((t("log_xlsx_notes_sheet", lang), table))
    return sheets
