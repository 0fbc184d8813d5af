"""Kill points for the crash tests: ``KOKEMUS_FAULT=<name>`` makes this process die with
SIGKILL (no cleanup, like a power cut or the OOM killer) when it reaches that point.

Only the tests set it; the points mark the moments where a kill used to lose data (a
batch committed but not yet in the archive manifest, a rebuild between its steps).
"""
from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    if os.environ.get("KOKEMUS_FAULT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
