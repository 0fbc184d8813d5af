"""Where things live and the few numbers a deployment may want to change.

Everything is read from the environment at call time (not import time) so tests can point
a fresh process, or the same process, at another warehouse.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DB = DATA_DIR / "kokemus.duckdb"
SAMPLES_DIR = DATA_DIR / "samples"


def db_path(override: str | os.PathLike | None = None) -> Path:
    """The warehouse file: explicit override, then ``KOKEMUS_DB``, then the default."""
    if override:
        return Path(override)
    env = os.environ.get("KOKEMUS_DB")
    return Path(env) if env else DEFAULT_DB


def archive_dir(db: Path | None = None) -> Path:
    """Imported originals live beside the warehouse so ``rebuild`` can find them."""
    env = os.environ.get("KOKEMUS_ARCHIVE")
    if env:
        return Path(env)
    db = db or db_path()
    return db.parent / (db.stem + "-archive")


def profiles_dir(db: Path | None = None) -> Path:
    """Saved column-mapping profiles, reused when the same header signature returns."""
    env = os.environ.get("KOKEMUS_PROFILES")
    if env:
        return Path(env)
    db = db or db_path()
    return db.parent / (db.stem + "-profiles")


def min_n() -> int:
    """Small-number rule: figures from fewer responses than this are hidden."""
    return int(os.environ.get("KOKEMUS_MIN_N", "5"))


def max_upload_mb() -> int:
    return int(os.environ.get("KOKEMUS_MAX_UPLOAD_MB", "200"))


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


def allowed_hosts() -> list[str]:
    """Host names the server answers to (the Host header of every request and websocket;
    anything else gets 400, which defeats DNS rebinding). ``KOKEMUS_ALLOWED_HOSTS`` is a
    comma-separated list: the public name behind a reverse proxy, e.g. ``palaute.example.fi``
    (a leading ``*.`` allows subdomains). localhost and the loopback addresses always work."""
    extra = [h.strip() for h in os.environ.get("KOKEMUS_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return [*LOOPBACK_HOSTS, *extra]
