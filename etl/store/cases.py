"""Reply cases at import: every fresh response that asks for a reply becomes a case.

Runs inside :func:`etl.load.load_parsed`'s transaction, so a file's cases land with its
responses or not at all. Duplicates of rows already in the warehouse are not fresh, so
re-importing an overlapping export leaves existing cases (and their state) alone; undoing a
batch removes its cases and their contact details.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from kokemus import promise as promise_rules


def promises_by_unit(con: duckdb.DuckDBPyConnection, unit_ids: list[int]) -> dict[int, promise_rules.Promise]:
    """Each unit's promise: its own row, else its organisation's, else the default row."""
    rows = con.execute(
        "SELECT unit_id, days, kind, retention_days FROM reply_unit_promises "
        "WHERE unit_id IN (SELECT unnest($ids))", {"ids": [int(u) for u in unit_ids]}).fetchall()
    found = {int(u): promise_rules.Promise(int(d), k, int(r)) for u, d, k, r in rows}
    return {int(u): found.get(int(u), promise_rules.DEFAULT) for u in unit_ids}


def create_cases(con: duckdb.DuckDBPyConnection, batch_id: int,
                 contacts: pd.DataFrame | None = None) -> int:
    """Cases for the temp table ``fresh`` rows with wants_reply; contacts by ``_idx``."""
    fresh = con.execute(
        "SELECT _idx, response_id, row_key, unit_id, coalesce(submitted_on, month) AS submitted_on "
        "FROM fresh WHERE wants_reply ORDER BY response_id").df()
    if fresh.empty:
        return 0
    rules = promises_by_unit(con, sorted(fresh["unit_id"].unique().tolist()))
    first = con.execute("SELECT coalesce(max(case_id), 0) + 1 FROM reply_cases").fetchall()[0][0]
    fresh["case_id"] = range(first, first + len(fresh))
    fresh["submitted_on"] = pd.to_datetime(fresh["submitted_on"]).dt.date
    p = fresh["unit_id"].map(rules)
    fresh["promise_days"] = [r.days for r in p]
    fresh["promise_kind"] = [r.kind for r in p]
    fresh["due_on"] = [promise_rules.due_date(s, r) for s, r in zip(fresh["submitted_on"], p)]
    fresh["batch_id"] = batch_id
    con.register("cases_in", fresh)
    try:
        con.execute(
            "INSERT INTO reply_cases (case_id, response_id, row_key, batch_id, unit_id, submitted_on, "
            "due_on, promise_days, promise_kind) SELECT case_id, response_id, row_key, batch_id, unit_id, "
            "submitted_on, due_on, promise_days, promise_kind FROM cases_in").fetchall()
        if contacts is not None and len(contacts):
            con.register("contacts_in", contacts)
            con.execute(
                "INSERT INTO reply_contacts (case_id, phone, email) SELECT c.case_id, k.phone, k.email "
                "FROM contacts_in k JOIN cases_in c USING (_idx)").fetchall()
            con.unregister("contacts_in")
    finally:
        con.unregister("cases_in")
    return len(fresh)


def undo_cases(con: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    con.execute("DELETE FROM reply_contacts WHERE case_id IN "
                "(SELECT case_id FROM reply_cases WHERE batch_id = ?)", [batch_id]).fetchall()
    con.execute("DELETE FROM reply_cases WHERE batch_id = ?", [batch_id]).fetchall()


CARRIED_CASE_COLUMNS = ("status", "assignee", "replied_on", "reply_channel", "close_reason",
                        "note", "closed_on", "updated_at")


def carry_over(old_db: str, con: duckdb.DuckDBPyConnection) -> None:
    """After a rebuild: the staff's work (case states, promises, actions) from the old
    warehouse into the new one, matched on the responses' stable row keys. Contact details
    that had already been deleted from the old warehouse stay deleted."""
    con.execute("ATTACH ? AS old_wh (READ_ONLY)", [old_db]).fetchall()
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'old_wh'").fetchall()}
        if "reply_cases" in tables:
            sets = ", ".join(f"{c} = o.{c}" for c in CARRIED_CASE_COLUMNS)
            con.execute(f"UPDATE reply_cases n SET {sets} FROM old_wh.reply_cases o "
                        "WHERE o.row_key = n.row_key").fetchall()
            con.execute(
                "DELETE FROM reply_contacts WHERE case_id IN (SELECT n.case_id FROM reply_cases n "
                "JOIN old_wh.reply_cases o USING (row_key) WHERE o.case_id NOT IN "
                "(SELECT case_id FROM old_wh.reply_contacts))").fetchall()
        if "reply_promises" in tables:
            con.execute("DELETE FROM reply_promises").fetchall()
            con.execute(
                "INSERT INTO reply_promises SELECT no.organisation_id, nu.unit_id, o.days, o.kind, "
                "o.retention_days FROM old_wh.reply_promises o "
                "LEFT JOIN old_wh.units ou ON ou.unit_id = o.unit_id "
                "LEFT JOIN units nu ON nu.name = ou.name "
                "LEFT JOIN old_wh.organisations oo ON oo.organisation_id = o.organisation_id "
                "LEFT JOIN organisations no ON no.name = oo.name "
                "WHERE (o.unit_id IS NULL OR nu.unit_id IS NOT NULL) "
                "AND (o.organisation_id IS NULL OR no.organisation_id IS NOT NULL)").fetchall()
        if "actions" in tables:
            for table in ("actions", "action_themes", "action_comments"):
                con.execute(f"INSERT INTO {table} SELECT * FROM old_wh.{table}").fetchall()
            con.execute(
                "INSERT INTO action_units SELECT a.action_id, nu.unit_id FROM old_wh.action_units a "
                "JOIN old_wh.units ou USING (unit_id) JOIN units nu ON nu.name = ou.name").fetchall()
    finally:
        con.execute("DETACH old_wh").fetchall()
