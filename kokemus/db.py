"""The one place that opens the warehouse.

Connections are short-lived on purpose: DuckDB locks the file across processes for as long
as any connection is open, so a dashboard that kept one open would block a CLI import.
Every caller opens, works and closes; when another process holds the lock we wait a
little and then raise :class:`WarehouseBusy` with a message a person can act on.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Iterator

import duckdb

from kokemus import config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_LOCK_ERROR = re.compile(r"lock|Conflicting", re.IGNORECASE)
_migrated: set[str] = set()
_migrate_lock = threading.Lock()
# duckdb.connect() on one file from two threads at the same instant can race while
# attaching ("Unique file handle conflict"); opening is quick, so serialise just that.
_open_lock = threading.Lock()


class WarehouseError(Exception):
    """A warehouse problem explained for people (Finnish and English)."""

    def __init__(self, fi: str, en: str):
        super().__init__(en)
        self.fi = fi
        self.en = en


class WarehouseBusy(WarehouseError):
    pass


def _open(path: Path, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            with _open_lock:
                return duckdb.connect(str(path))
        except duckdb.Error as exc:  # IOException: another process holds the file lock
            locked = isinstance(exc, duckdb.IOException) and bool(_LOCK_ERROR.search(str(exc)))
            if not locked or time.monotonic() >= deadline:
                if locked:
                    raise WarehouseBusy(
                        f"Tietovarasto {path.name} on toisen ohjelman käytössä (esim. tuonti käynnissä). "
                        "Yritä hetken päästä uudelleen.",
                        f"The warehouse {path.name} is in use by another program (an import may be "
                        "running). Try again in a moment.",
                    ) from exc
                # DuckDB's own words go to the server log only (an open error holds a path and
                # a reason, never a cell); people get plain words
                log.error("opening the warehouse %s failed: %s: %s", path, type(exc).__name__, exc)
                raise WarehouseError(
                    f"Tietovarastoa {path.name} ei voitu avata: tiedosto puuttuu, on vioittunut tai "
                    "siihen ei ole lukuoikeutta. Mitään ei muutettu; ota yhteys ylläpitoon.",
                    f"Could not open the warehouse {path.name}: the file is missing, damaged or not "
                    "readable. Nothing was changed; contact support.",
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


_run_local = threading.local()


@contextlib.contextmanager
def one_connection_per_run() -> Iterator[None]:
    """Within this block, every :func:`connect` of this thread reuses one connection per
    warehouse, closed when the block ends.

    A dashboard page that misses the cache runs six or seven queries, and opening the
    file costs about as much as a query (~40 ms, more on a busy machine), so the
    dashboard wraps each page run in this. The connection still lives for one run only
    (well under a second), so a CLI import waits at most that long. Writers never share it.
    """
    if getattr(_run_local, "cons", None) is not None:  # nested: the outer block owns them
        yield
        return
    _run_local.cons = {}
    try:
        yield
    finally:
        cons, _run_local.cons = _run_local.cons, None
        for key, con in cons.items():
            con.close()
            _hold(Path(key), -1)


def owner_only(p: Path) -> None:
    """The warehouse holds patient comments: readable by its owner only, whatever the
    umask of the process that created it."""
    for f in (p, p.with_name(p.name + ".wal")):
        try:
            if f.stat().st_mode & 0o077:
                os.chmod(f, 0o600)
        except OSError:
            pass


def _intent_path(p: Path) -> Path:
    return p.with_name(p.name + ".writing.lock")


@contextlib.contextmanager
def _writing(p: Path) -> Iterator[None]:
    """Say "a writer wants this file" for as long as it opens and writes it (a lock file
    held exclusively). DuckDB lets one process at a time have the file open, so a steady
    stream of short reads (ten viewers) could keep an import out for ever; readers that see
    this wait instead of opening, the readers already in finish their run, and the writer
    gets in. Rebuild's long writer lock is not this one: it writes a copy, readers go on."""
    fd = os.open(_intent_path(p), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


_held = threading.local()      # connections this thread has open, per warehouse
_open_here: dict[str, int] = {}  # connections the whole process has open, per warehouse
_open_here_lock = threading.Lock()
# how long a reader defers to a writer while other threads of this process have the file
# open anyway: the writer cannot get in before they close, and one of them may be waiting
# for this very reader (a page run holds its connection while it waits for a cached query
# another session is computing), so a long deferral would only stall both (issue 14 item 5)
DEFER_BESIDE_OPEN_S = 2.0


def _hold(p: Path, step: int) -> None:
    counts = getattr(_held, "counts", None)
    if counts is None:
        counts = _held.counts = {}
    counts[str(p)] = counts.get(str(p), 0) + step
    with _open_here_lock:
        _open_here[str(p)] = _open_here.get(str(p), 0) + step


def _open_in_other_threads(p: Path) -> bool:
    mine = getattr(_held, "counts", {}).get(str(p), 0)
    with _open_here_lock:
        return _open_here.get(str(p), 0) > mine


def _defer_to_writer(p: Path, wait_s: float) -> None:
    """Before a read opens the file: wait while a writer wants it (at most ``wait_s``;
    then the open itself waits and, if it must, says the warehouse is busy). Not when this
    thread has the file open already (a nested read): the writer waits for that one anyway.
    While other threads of this process keep the file open, at most DEFER_BESIDE_OPEN_S:
    the writer waits for them anyway, and one of them may be waiting for this reader."""
    intent = _intent_path(p)
    if getattr(_held, "counts", {}).get(str(p)) or not intent.exists():
        return
    try:
        fd = os.open(intent, os.O_RDONLY)
    except OSError:
        return
    try:
        start = time.monotonic()
        deadline = start + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
                return
            except BlockingIOError:
                now = time.monotonic()
                if now >= deadline or (now - start >= DEFER_BESIDE_OPEN_S and _open_in_other_threads(p)):
                    return
                time.sleep(0.05)
    finally:
        os.close(fd)


@contextlib.contextmanager
def connect(path: str | os.PathLike | None = None, *, wait_s: float = 30.0,
            migrate: bool = True, shared: bool = True, _writer: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse (creating and migrating it when needed) for one unit of work
    (inside :func:`one_connection_per_run`, reuse that run's connection). A reader waits
    while a writer wants the file (:func:`_writing`)."""
    p = config.db_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    cons = getattr(_run_local, "cons", None) if shared else None
    if cons is not None:
        con = cons.get(str(p))
        if con is None:
            _defer_to_writer(p, wait_s)
            con = _open(p, wait_s)
            _hold(p, 1)
            cons[str(p)] = con
            if migrate:
                ensure_schema(con, p)
        yield con
        return
    if not _writer:
        _defer_to_writer(p, wait_s)
    con = _open(p, wait_s)
    _hold(p, 1)
    owner_only(p)
    try:
        if migrate:
            ensure_schema(con, p)
        yield con
    finally:
        con.close()
        _hold(p, -1)


_path_locks: dict[str, threading.Lock] = {}
_path_locks_guard = threading.Lock()


def _thread_lock(lock_path: Path) -> threading.Lock:
    with _path_locks_guard:
        return _path_locks.setdefault(str(lock_path.resolve()), threading.Lock())


@contextlib.contextmanager
def writer_lock(path: str | os.PathLike | None = None, *, wait_s: float = 600.0) -> Iterator[Path]:
    """Be the only writer of a warehouse without opening it (a lock file, plus a thread
    lock per warehouse): `rebuild` holds this for its whole run while readers keep reading
    the old file, and imports to another warehouse (the rebuild's own) are not blocked."""
    p = config.db_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    lock_path = p.with_name(p.name + ".writer.lock")
    with _thread_lock(lock_path):
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a+") as fh:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WarehouseBusy(
                            "Toinen tuonti on käynnissä. Yritä hetken päästä uudelleen.",
                            "Another import is running. Try again in a moment.",
                        )
                    time.sleep(0.1)
            try:
                yield p
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def writer(path: str | os.PathLike | None = None, *, wait_s: float = 600.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is the only writer: imports and undos are serialised across
    threads (two uploads at once) and processes (CLI beside the dashboard) by a lock file,
    so two batches never race for the same response ids."""
    with writer_lock(path, wait_s=wait_s) as p:
        with _writing(p), connect(p, wait_s=wait_s, shared=False, _writer=True) as con:
            yield con


def migrations() -> list[tuple[int, str, str]]:
    out = []
    for f in sorted(MIGRATIONS_DIR.glob("*.sql")):
        version = int(f.name.split("_", 1)[0])
        out.append((version, f.stem, f.read_text(encoding="utf-8")))
    return out


def ensure_schema(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> list[int]:
    """Apply the numbered migrations not yet recorded in ``_migrations``; return them."""
    key = str(path) if path else None
    if key and key in _migrated:
        return []
    with _migrate_lock:
        con.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
            "applied_at TIMESTAMP DEFAULT current_timestamp)"
        ).fetchall()
        done = {v for (v,) in con.execute("SELECT version FROM _migrations").fetchall()}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            con.execute("BEGIN TRANSACTION").fetchall()
            try:
                con.execute(sql).fetchall()
                con.execute("INSERT INTO _migrations (version, name) VALUES (?, ?)", [version, name]).fetchall()
                con.execute("COMMIT").fetchall()
            except Exception:
                con.execute("ROLLBACK").fetchall()
                raise
            applied.append(version)
        if key:
            _migrated.add(key)
        return applied


def data_version(path: str | os.PathLike | None = None) -> str:
    """A cheap fingerprint that changes whenever the warehouse is written.

    Used as a cache key by the dashboard so new imports (from the page or the CLI) show
    without a restart, and cached figures are reused otherwise.
    """
    p = config.db_path(path)
    parts = []
    for f in (p, p.with_name(p.name + ".wal")):
        try:
            st = f.stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return "|".join(parts)
