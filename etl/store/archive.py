"""Originals of imported files, content-addressed, so `rebuild` can recreate the warehouse.

Kept outside the warehouse (it may be deleted and rebuilt) with owner-only permissions
because the files hold patient comments. A manifest (JSON lines) records each import and
undo in order, with the options used, so a rebuild replays exactly what happened.
"""
from __future__ import annotations

import hashlib
import json
import os
import logging
import shutil
from datetime import datetime, timezone
from pathlib import Path

from kokemus import config

log = logging.getLogger(__name__)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _root(db: Path | None) -> Path:
    root = config.archive_dir(db)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(root, 0o700)
    return root


def store(path: Path, digest: str, db: Path | None = None) -> Path:
    """Copy the original into the archive (once per content) and return where it lies.
    The stored name is the hash alone: a user's file name never becomes a path."""
    root = _root(db)
    target = root / digest[:2] / digest
    if not target.exists():
        target.parent.mkdir(exist_ok=True, mode=0o700)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(path, tmp)
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    return target


def record(event: dict, db: Path | None = None) -> None:
    """Append one event. A line left half-written by a killed process is closed first, so
    it spoils only itself (it is skipped with a warning), never the next event."""
    root = _root(db)
    event = {"at": datetime.now(timezone.utc).isoformat(), **event}
    manifest = root / "manifest.jsonl"
    fd = os.open(manifest, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "r+b") as fh:
        size = fh.seek(0, os.SEEK_END)
        prefix = b""
        if size:
            fh.seek(size - 1)
            if fh.read(1) != b"\n":
                prefix = b"\n"
        fh.write(prefix + (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(manifest, 0o600)


def read_events(db: Path | None = None) -> tuple[list[dict], list[int]]:
    """(events in order, 1-based numbers of torn or unreadable lines that were skipped)."""
    manifest = config.archive_dir(db) / "manifest.jsonl"
    if not manifest.exists():
        return [], []
    events, torn = [], []
    for n, line in enumerate(manifest.read_bytes().split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line.decode("utf-8"))
            if not isinstance(event, dict) or event.get("event") not in ("import", "undo") \
                    or not isinstance(event.get("batch_id"), int):
                raise ValueError
            if event["event"] == "import" and not isinstance(event.get("hash"), str):
                raise ValueError
        except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            torn.append(n)
            continue
        events.append(event)
    if torn:
        log.warning("archive manifest: skipped %d torn or unreadable line(s): %s", len(torn), torn[:10])
    return events, torn


def plan_from(events: list[dict]) -> list[dict]:
    """Imports still in force, in order: an undo cancels the latest import of its batch id
    before it (an id can come back after a rebuild that dropped an undone last batch)."""
    active: dict[int, dict] = {}
    for e in events:
        if e["event"] == "import":
            active[e["batch_id"]] = e
        else:
            active.pop(e["batch_id"], None)
    return sorted(active.values(), key=lambda e: e["batch_id"])


def replay_plan(db: Path | None = None) -> list[dict]:
    """Imports still in force, in order (undone batches removed)."""
    return plan_from(read_events(db)[0])


def reconcile(db: Path, con) -> int:
    """Make the manifest agree with the warehouse before a rebuild: a batch committed (or
    undone) by a process killed before it wrote its manifest line is added now, from the
    batch record. Returns how many events were added."""
    events, _ = read_events(db)
    state = {e["batch_id"]: e["event"] for e in plan_from(events)}
    known = {e["batch_id"] for e in events}
    added = 0
    rows = con.execute("SELECT batch_id, file_hash, file_name, profile, status FROM import_batches "
                       "WHERE status IN ('loaded', 'undone') ORDER BY batch_id").fetchall()
    for batch_id, digest, file_name, profile, status in rows:
        if status == "loaded" and state.get(batch_id) != "import":
            try:
                options = json.loads(profile) if profile else {}
            except ValueError:
                options = {}
            if not (root_path(db) / digest[:2] / digest).exists():
                log.warning("archive: batch %s has no archived original; a rebuild cannot restore it", batch_id)
                continue
            record({"event": "import", "batch_id": batch_id, "hash": digest, "file_name": file_name,
                    "options": options if isinstance(options, dict) else {}, "reconciled": True}, db)
            added += 1
        elif status == "undone" and batch_id in known and state.get(batch_id) == "import":
            record({"event": "undo", "batch_id": batch_id, "reconciled": True}, db)
            added += 1
    return added


def root_path(db: Path | None = None) -> Path:
    return config.archive_dir(db)


def discard_original(digest: str, db: Path | None = None) -> bool:
    """Delete an archived original (its batch was undone and nobody kept it)."""
    target = config.archive_dir(db) / digest[:2] / digest
    try:
        target.unlink()
        return True
    except FileNotFoundError:
        return False
