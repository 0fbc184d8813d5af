"""The audit trail: who did what, when - for the data-protection officer.

Append-only by construction: this module offers ``record`` and reads, and deletes only
rows older than the retention period (``KOKEMUS_AUDIT_RETENTION_DAYS``, default 1,825 =
five years), leaving a row that says the purge happened. Details are JSON (filters, old
and new values); no patient text is ever written here - a view is logged by its filter.

Actions: sign_in, sign_out, sign_in_failed, account_locked, comments_viewed, export,
import, undo, role_change, scope_change, account_add/enable/disable/update, password_reset,
password_change, group_mapping, tag_correction, audit_export, audit_purge, access_denied.
"""
from __future__ import annotations

import dataclasses
import json
import os
from datetime import date, datetime, timedelta
from typing import Any, Mapping

import pandas as pd

from kokemus.auth import store

ACTIONS = ("sign_in", "sign_out", "sign_in_failed", "account_locked", "comments_viewed",
           "export", "import", "undo", "role_change", "scope_change", "account_add",
           "account_enable", "account_disable", "account_update", "password_reset",
           "password_change", "group_mapping", "tag_correction", "audit_export", "audit_purge",
           "access_denied", "session_expired")


def retention_days() -> int:
    return int(os.environ.get("KOKEMUS_AUDIT_RETENTION_DAYS", "1825"))


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(dataclasses.asdict(value))
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def record(action: str, *, actor: str | None = None, account_id: int | None = None,
           role: str | None = None, page: str | None = None, target: object = None,
           rows: int | None = None, format: str | None = None,
           detail: Mapping[str, Any] | None = None, warehouse=None) -> None:
    """Append one audit row. Callers in the dashboard use ``kokemus.auth.record``, which
    fills in the signed-in user; the command line passes its OS user as ``actor``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with store.connect(warehouse) as con:
        con.execute(
            "INSERT INTO audit_log (actor, account_id, role, action, page, target, row_count, file_format, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [actor, account_id, role, action, page, None if target is None else str(target),
             None if rows is None else int(rows), format,
             json.dumps(_jsonable(detail), ensure_ascii=False, sort_keys=True) if detail else None])


def search(*, start: date | None = None, end: date | None = None, actor: str | None = None,
           actions: tuple[str, ...] = (), limit: int = 10_000, warehouse=None) -> pd.DataFrame:
    """Audit rows newest first; ``end`` is inclusive (a whole day)."""
    with store.connect(warehouse) as con:
        return con.execute(
            "SELECT audit_id, occurred_at, actor, role, action, page, target, row_count, file_format, detail "
            "FROM audit_log "
            "WHERE ($start IS NULL OR occurred_at >= $start) AND ($end IS NULL OR occurred_at < $end) "
            "  AND ($actor IS NULL OR lower(actor) LIKE lower($actor)) "
            "  AND (len($actions) = 0 OR list_contains($actions, action)) "
            "ORDER BY audit_id DESC LIMIT $limit",
            {"start": datetime.combine(start, datetime.min.time()) if start else None,
             "end": datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None,
             "actor": f"%{actor.strip()}%" if actor and actor.strip() else None,
             "actions": list(actions), "limit": int(limit)}).df()


def purge(*, actor: str, days: int | None = None, now: datetime | None = None, warehouse=None) -> int:
    """Delete audit rows older than the retention period; returns how many went."""
    keep = retention_days() if days is None else int(days)
    cutoff = (now or datetime.now()) - timedelta(days=keep)
    with store.connect(warehouse) as con:
        n = int(con.execute("SELECT count(*) FROM audit_log WHERE occurred_at < ?", [cutoff]).fetchone()[0])
        if n:
            con.execute("DELETE FROM audit_log WHERE occurred_at < ?", [cutoff])
    if n:
        record("audit_purge", actor=actor, rows=n,
               detail={"retention_days": keep, "before": cutoff}, warehouse=warehouse)
    return n
