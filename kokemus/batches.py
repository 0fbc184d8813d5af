"""Read side of the import log: which files came in, and what each one left out.

Writes (import, undo) go through ``etl.pipeline`` only; this module just reads, through
short-lived connections so the log page never holds the warehouse lock. ``scope`` (unit
ids, None = all) and ``me`` (the user's name) limit what is read to the batches the user
may see: their own uploads and batches wholly inside their units.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from kokemus import db, export
from kokemus.filters import scope_params
from kokemus.i18n import t

_SQL_DIR = Path(__file__).parent / "sql"


def _sql(name: str) -> str:
    return (_SQL_DIR / name).read_text(encoding="utf-8")


def _scope(scope, me) -> dict[str, object]:
    return {**scope_params(scope), "me": me}


def batches(db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
            me: str | None = None) -> pd.DataFrame:
    """The batches the user may see, newest first: who, when, file, counts, status."""
    with db.connect(db_path) as con:
        return con.execute(_sql("batches_list.sql"), _scope(scope, me)).df()


def rejected_rows(batch_id: int, lang: str = "fi",
                  db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
                  me: str | None = None) -> pd.DataFrame:
    """The rows and cells ``batch_id`` could not use, with the reason in ``lang``."""
    with db.connect(db_path) as con:
        return con.execute(_sql("batches_rejects.sql"),
                           {"batch_id": int(batch_id), "lang": lang, **_scope(scope, me)}).df()


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


def reject_reasons(batch_id: int, lang: str = "fi",
                   db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
                   me: str | None = None) -> pd.DataFrame:
    """Rejects of a batch grouped by reason, most frequent first (a quick summary)."""
    frame = rejected_rows(batch_id, lang, db_path, scope, me)
    if frame.empty:
        return pd.DataFrame({"reason": [], "count": []})
    return (frame.groupby("reason", sort=False).size().rename("count").reset_index()
            .sort_values("count", ascending=False, kind="stable").reset_index(drop=True))


def rejects_table(frame: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """Rejected rows with headers a nurse reads; shown on the log and downloaded as is."""
    return pd.DataFrame({
        t("upload_col_sheet", lang): frame["sheet"],
        t("log_col_row", lang): frame["source_row"],
        t("log_col_column", lang): frame["column_name"],
        t("log_col_value", lang): frame["value"],
        t("log_col_reason", lang): frame["reason"],
        t("log_col_row_kept", lang): frame["row_kept"],
        t("log_col_row_values", lang): frame["row_values"],
    })


def rejects_xlsx(batch_id: int, lang: str = "fi",
                 db_path: str | os.PathLike | None = None, scope: tuple[int, ...] | None = None,
                 me: str | None = None) -> bytes:
    """The rejected rows as an Excel file to fix and upload again. Goes through
    ``kokemus.export`` because the rows hold patient free text that must not run as a
    formula when opened."""
    table = rejects_table(rejected_rows(batch_id, lang, db_path, scope, me), lang)
    return export.to_xlsx_bytes(table, sheet_name=t("log_col_rejected", lang), lang=lang)
