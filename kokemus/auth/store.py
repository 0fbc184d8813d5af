"""The auth store: accounts, scopes and the audit trail, in a DuckDB file of their own.

Why not in the warehouse: ``etl rebuild`` recreates the warehouse from the archived files
(accounts would vanish), and every write to the warehouse changes its data version, which
would empty the dashboard's caches on each sign-in or audited page view. The file sits
beside the warehouse (``kokemus-auth.duckdb`` for ``kokemus.duckdb``) unless
``KOKEMUS_AUTH_DB`` says otherwise. Connections are short-lived, as in kokemus.db.
"""
from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Iterator

import duckdb

from kokemus import config, db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_migrated: set[str] = set()
_lock = threading.Lock()


def path(warehouse: str | os.PathLike | None = None) -> Path:
    env = os.environ.get("KOKEMUS_AUTH_DB")
    if env:
        return Path(env)
    wh = config.db_path(warehouse)
    return wh.with_name(wh.stem + "-auth.duckdb")


def _migrate(con: duckdb.DuckDBPyConnection, key: str) -> None:
    if key in _migrated:
        return
    with _lock:
        con.execute("CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, "
                    "name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)")
        done = {v for (v,) in con.execute("SELECT version FROM _migrations").fetchall()}
        for f in sorted(MIGRATIONS_DIR.glob("*.sql")):
            version = int(f.name.split("_", 1)[0])
            if version in done:
                continue
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f.read_text(encoding="utf-8"))
                con.execute("INSERT INTO _migrations (version, name) VALUES (?, ?)", [version, f.stem])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        _migrated.add(key)


@contextlib.contextmanager
def connect(warehouse: str | os.PathLike | None = None, *, wait_s: float = 30.0
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    p = path(warehouse)
    p.parent.mkdir(parents=True, exist_ok=True)
    con = db._open(p, wait_s)
    db.owner_only(p)        # accounts and the audit trail: owner-only like the warehouse
    try:
        _migrate(con, str(p))
        yield con
    finally:
        con.close()


def version(warehouse: str | os.PathLike | None = None) -> str:
    """Changes whenever the auth store is written (cache key for account look-ups)."""
    return db.data_version(path(warehouse))


def exists(warehouse: str | os.PathLike | None = None) -> bool:
    return path(warehouse).exists()
