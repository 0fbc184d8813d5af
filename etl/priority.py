"""Bulk imports yield the CPU to the people reading the dashboard.

On a two-core server a 200,000-row import would otherwise take both cores for a minute
(the parse worker, the tagger and its forked second process) while viewers' pages wait for
a core. The heavy, lock-free phases of a big file - parsing in the worker and tagging - run
at a lower CPU priority (``nice``): on an idle machine they run as fast as before, and when a
viewer needs a core the viewer gets it. The load itself keeps the caller's priority: it holds
the writer's lock, readers wait for it, and slowing it down would make them wait longer.

Linux gives each thread its own nice value and an unprivileged process cannot raise it
back, so tagging runs in a thread of its own that lowers only itself (the second process it
forks inherits that), and the worker lowers itself after the fork.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

BULK_FILE_BYTES = 1 << 20
"""From 1 MB a file holds tens of thousands of rows: seconds of CPU. Smaller files (a
month of a ward's forms, a kiosk export) finish in a second and keep full priority."""


def for_file(path: str | os.PathLike) -> int:
    """How much lower the heavy phases of importing ``path`` run (``KOKEMUS_IMPORT_NICE``,
    default 10; 0 keeps full priority)."""
    try:
        step = int(os.environ.get("KOKEMUS_IMPORT_NICE", "10"))
        big = Path(path).stat().st_size >= BULK_FILE_BYTES
    except (OSError, ValueError):
        return 0
    return max(0, min(step, 19)) if big else 0


def lower_self(step: int) -> None:
    """Lower the calling thread's (or a worker process's) priority by ``step``."""
    if step > 0:
        try:
            os.nice(step)
        except OSError:
            pass


def run_lowered(step: int, fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a thread at ``step`` lower priority; its result or its
    exception, as if called here. ``step`` 0 calls it directly."""
    if step <= 0:
        return fn(*args, **kwargs)
    out: dict = {}

    def run() -> None:
        lower_self(step)
        try:
            out["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller
            out["error"] = exc

    thread = threading.Thread(target=run, name="kokemus-bulk", daemon=True)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]
