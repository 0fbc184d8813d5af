"""Originals of imported files, content-addressed, so `rebuild` can recreate the warehouse.

Kept outside the warehouse (it may be deleted and rebuilt) with owner-only permissions
because the files hold patient comments. A manifest (JSON lines) records each import and
undo in order, with the options used, so a rebuild replays exactly what happened.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from kokemus import config


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
    root = _root(db)
    event = {"at": datetime.now(timezone.utc).isoformat(), **event}
    manifest = root / "manifest.jsonl"
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(event, ensure_ascii=False) + "\n")
    os.chmod(manifest, 0o600)


def replay_plan(db: Path | None = None) -> list[dict]:
    """Imports still in force, in order (undone batches removed)."""
    manifest = config.archive_dir(db) / "manifest.jsonl"
    if not manifest.exists():
        return []
    events = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    undone = {e["batch_id"] for e in events if e.get("event") == "undo"}
    return [e for e in events if e.get("event") == "import" and e["batch_id"] not in undone]
