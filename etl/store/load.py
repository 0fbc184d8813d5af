"""Write one parsed file into the warehouse as one batch, in one transaction.

Either everything of a file lands (responses, answers, rejects, tags, new units, rollups,
the batch record) or nothing does: a failure half way rolls back and the caller reports it.
The caller holds :func:`kokemus.db.writer`, so batches never race for ids.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from etl.store import cases as reply_cases
from etl.store import reject_cells
from etl.detect import units as unit_registry
from etl.contract import CANONICAL_COLUMNS, ParsedFile
from kokemus.db import WarehouseError
from kokemus.i18n import t

_SQL_DIR = Path(__file__).parent.parent / "sql"


def _sql(name: str) -> str:
    return (_SQL_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def sql_statements(name: str) -> tuple[str, ...]:
    """The statements of a multi-statement file in etl/sql, comment lines dropped: read and
    split once per process, since imports run them for every file."""
    lines = [ln for ln in _sql(name).splitlines() if not ln.lstrip().startswith("--")]
    return tuple(s.strip() for s in "\n".join(lines).split(";") if s.strip())


@dataclass
class LoadResult:
    batch_id: int
    rows_read: int
    rows_loaded: int
    rows_duplicate: int
    rows_rejected: int
    new_units: list[str] = field(default_factory=list)
    duplicates_of: list[DuplicateGroup] = field(default_factory=list)
    identical_kept: list[DuplicateGroup] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicateGroup:
    """``rows`` rows of the new file against earlier batch ``batch_id`` (``file_name``):
    duplicates for ``reason`` 'same_id' | 're_export', or, in ``identical_kept``, rows
    identical to that batch's but kept because nothing shows they are the same responses."""
    batch_id: int
    file_name: str
    reason: str
    rows: int


def stage_rows(con: duckdb.DuckDBPyConnection, *, batch_id: int, first_id: int) -> None:
    """Temp tables ``incoming`` (registered ``parsed_frame`` + ``unit_map``), ``duplicates``
    (rows already loaded, each naming its batch) and ``fresh`` (the rest, with keys and ids)."""
    con.execute(_sql("stage_incoming.sql")).fetchall()
    for statement in sql_statements("stage_duplicates.sql"):
        params = {k: v for k, v in (("batch_id", batch_id), ("first_id", first_id)) if f"${k}" in statement}
        con.execute(statement, params).fetchall()


def duplicate_groups(con: duckdb.DuckDBPyConnection) -> tuple[list[DuplicateGroup], list[DuplicateGroup]]:
    """After :func:`stage_rows`: the duplicates per earlier batch, and the identical rows
    kept per earlier batch (for the summary: a nurse may know it is a re-export after all)."""
    dups = con.execute(
        "SELECT d.duplicate_of, b.file_name, d.reason, count(*) FROM duplicates d "
        "JOIN import_batches b ON b.batch_id = d.duplicate_of GROUP BY ALL ORDER BY 1, 3").fetchall()
    kept = con.execute(
        "SELECT o.batch_id, b.file_name, 'identical', o.rows_matched FROM overlap o "
        "JOIN import_batches b USING (batch_id) WHERE NOT o.re_export ORDER BY 1").fetchall()
    return ([DuplicateGroup(int(b), f, r, int(n)) for b, f, r, n in dups],
            [DuplicateGroup(int(b), f, r, int(n)) for b, f, r, n in kept])


def canonical_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every canonical column present (missing optional ones as nulls), plus a row index."""
    out = frame.copy(deep=False)   # copy-on-write (pandas 3): the caller's frame stays as it is
    for col, dtype in CANONICAL_COLUMNS.items():
        if col not in out.columns:
            out[col] = pd.Series([None] * len(out), dtype="object" if dtype in ("object",) else dtype,
                                 index=out.index)
    out = out[list(CANONICAL_COLUMNS)]
    out["_idx"] = range(len(out))
    return out


def next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches").fetchall()[0][0]


def load_parsed(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, *, file_hash: str,
                archive_path: str | None, options: dict, imported_by: str | None = None,
                tags: pd.DataFrame | None = None, organisation: str | None = None,
                unit_choices: dict[str, str] | None = None,
                contacts: pd.DataFrame | None = None, batch_id: int | None = None) -> LoadResult:
    """Load ``parsed`` as a new batch. ``tags`` has columns _idx, theme, polarity,
    sentence, triggers, taxonomy_version (rows of the frame by position); ``contacts``
    (_idx, phone, email) the contact details left for a reply (see etl.normalise.contacts)."""
    frame = canonical_frame(parsed.frame)
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        batch_id = batch_id or next_batch_id(con)  # a rebuild keeps each batch's id
        con.execute(
            "INSERT INTO import_batches (batch_id, file_name, file_hash, archive_path, profile, "
            "imported_by, status, rows_read, redactions, sheets_used, sheets_skipped) "
            "VALUES (?, ?, ?, ?, ?, ?, 'loading', ?, ?, ?, ?)",
            [batch_id, parsed.file_name, file_hash, archive_path, json.dumps(options, ensure_ascii=False),
             imported_by, len(frame) + sum(1 for r in parsed.rejects if not r.row_kept),
             parsed.redactions,
             [s.name for s in parsed.sheets if s.used], [s.name for s in parsed.sheets if not s.used]],
        ).fetchall()
        counts = frame["unit_name"].dropna().value_counts().to_dict()
        names = list(unit_registry.preferred_spelling(counts))
        service_areas = (frame.dropna(subset=["unit_name"]).groupby("unit_name")["service_area"]
                         .first().to_dict())
        unit_ids, new_units = unit_registry.resolve_units(
            con, names, batch_id=batch_id, service_areas=service_areas,
            organisation=organisation, choices=unit_choices)
        con.register("unit_map", pd.DataFrame({"unit_name": list(unit_ids), "unit_id": list(unit_ids.values())}))
        con.register("parsed_frame", frame)
        first_id = con.execute("SELECT coalesce(max(response_id), 0) + 1 FROM responses").fetchall()[0][0]
        stage_rows(con, batch_id=batch_id, first_id=first_id)
        con.execute(_sql("insert_responses.sql"), {"batch_id": batch_id, "file_name": parsed.file_name}).fetchall()
        con.execute(_sql("insert_duplicates.sql"), {"batch_id": batch_id}).fetchall()
        duplicates_of, identical_kept = duplicate_groups(con)
        loaded = con.execute("SELECT count(*) FROM fresh").fetchall()[0][0]
        if parsed.answers:
            answers = pd.DataFrame([a.__dict__ for a in parsed.answers])
            con.register("answers_in", answers)
            con.execute(
                "INSERT INTO answers SELECT f.response_id, $batch_id, a.question, a.raw_value, a.value "
                "FROM answers_in a JOIN fresh f ON f.source_row = a.row "
                "AND coalesce(f.source_sheet, '') = coalesce(a.sheet, '')", {"batch_id": batch_id}).fetchall()
        if tags is not None and len(tags):
            con.register("tags_in", tags)
            con.execute(
                "INSERT INTO comment_tags SELECT f.response_id, $batch_id, t.theme, t.polarity, "
                "t.sentence, t.triggers, t.taxonomy_version FROM tags_in t JOIN fresh f USING (_idx)",
                {"batch_id": batch_id}).fetchall()
        if parsed.rejects:
            rej = pd.DataFrame([{
                "batch_id": batch_id, "file_name": parsed.file_name, "sheet": r.sheet,
                "source_row": r.row, "column_name": r.column,
                "value": None if r.value is None else str(r.value)[:1000],
                "reason_code": r.code, "reason_fi": r.fi, "reason_en": r.en,
                "row_kept": bool(r.row_kept), "row_values": r.row_values,
                "row_cells": reject_cells.encode(r.row_cells),
            } for r in parsed.rejects])
            con.register("rejects_in", rej)
            con.execute("INSERT INTO rejected_rows BY NAME SELECT * FROM rejects_in").fetchall()
        reply_cases.create_cases(con, batch_id, contacts)
        con.execute("CREATE OR REPLACE TEMP TABLE affected AS SELECT DISTINCT unit_id, month FROM fresh").fetchall()
        refresh_rollups(con)
        rejected_rows = sum(1 for r in parsed.rejects if not r.row_kept)
        duplicates = len(frame) - loaded
        con.execute(
            "UPDATE import_batches SET status = 'loaded', rows_loaded = ?, rows_duplicate = ?, "
            "rows_rejected = ?, new_units = ? WHERE batch_id = ?",
            [loaded, duplicates, rejected_rows, new_units, batch_id]).fetchall()
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    finally:
        for view in ("unit_map", "parsed_frame", "answers_in", "tags_in", "rejects_in"):
            try:
                con.unregister(view)
            except Exception:
                pass
    return LoadResult(batch_id, len(frame) + rejected_rows, loaded, duplicates, rejected_rows, new_units,
                      duplicates_of, identical_kept)


def refresh_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute rollups for the (unit, month) cells listed in temp table ``affected``."""
    for statement in sql_statements("refresh_rollups.sql"):
        con.execute(statement).fetchall()


class AlreadyUndone(WarehouseError):
    """Undo of a batch that is already undone: said so, nothing changes."""

    def __init__(self, batch_id: int):
        super().__init__(t("undo_already_undone", "fi", batch=batch_id),
                         t("undo_already_undone", "en", batch=batch_id))
        self.batch_id = batch_id


def undo_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Remove everything a batch loaded; the batch record stays as 'undone' for the log."""
    row = next(iter(con.execute("SELECT status FROM import_batches WHERE batch_id = ?", [batch_id]).fetchall()), None)
    if row is None:
        raise LookupError(batch_id)
    if row[0] == "undone":
        raise AlreadyUndone(batch_id)
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE affected AS "
                    "SELECT DISTINCT unit_id, month FROM responses WHERE batch_id = ?", [batch_id]).fetchall()
        removed = con.execute("SELECT count(*) FROM responses WHERE batch_id = ?", [batch_id]).fetchall()[0][0]
        reply_cases.undo_cases(con, batch_id)
        con.execute("DELETE FROM comment_tags WHERE batch_id = ?", [batch_id]).fetchall()
        con.execute("DELETE FROM answers WHERE batch_id = ?", [batch_id]).fetchall()
        con.execute("DELETE FROM responses WHERE batch_id = ?", [batch_id]).fetchall()
        con.execute("DELETE FROM rejected_rows WHERE batch_id = ?", [batch_id]).fetchall()
        con.execute("DELETE FROM duplicate_rows WHERE batch_id = ?", [batch_id]).fetchall()
        # units this batch created, and units an undone batch created that a later batch kept,
        # once no row is left in them; a unit that stays keeps every spelling of its own
        con.execute(
            "CREATE OR REPLACE TEMP TABLE gone_units AS SELECT unit_id FROM units "
            "WHERE (created_batch_id = $b OR created_batch_id IN "
            "(SELECT batch_id FROM import_batches WHERE status = 'undone')) "
            "AND unit_id NOT IN (SELECT DISTINCT unit_id FROM responses)", {"b": batch_id}).fetchall()
        con.execute("DELETE FROM unit_aliases WHERE unit_id IN (SELECT unit_id FROM gone_units)").fetchall()
        # spellings this batch taught the registry for units that existed before it (a nurse's choice)
        con.execute("DELETE FROM unit_aliases WHERE batch_id = $b AND unit_id NOT IN "
                    "(SELECT unit_id FROM units WHERE created_batch_id = $b)", {"b": batch_id}).fetchall()
        con.execute("DELETE FROM units WHERE unit_id IN (SELECT unit_id FROM gone_units)").fetchall()
        con.execute("DROP TABLE gone_units").fetchall()
        refresh_rollups(con)
        con.execute("UPDATE import_batches SET status = 'undone' WHERE batch_id = ?", [batch_id]).fetchall()
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    return removed
