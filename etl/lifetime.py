"""A helper process ends with the process it works for.

A parse worker or a tagging helper killed with its importer (kill -9, the OOM killer) would
otherwise live on: it holds a copy of its importer's pipe ends, so it never sees the pipe
close, and waits (or keeps sending into a pipe no one reads) for good, holding its memory.
Linux sends such a helper SIGKILL when the thread that forked it ends
(``PR_SET_PDEATHSIG``); the helpers are forked by a thread that waits for them, so that
happens only when the importer itself dies.
"""
from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In a freshly forked helper: be killed when the parent dies; if it died already
    (between the fork and now), end at once."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):   # not Linux: the helper ends when its pipe breaks
        return
    if os.getppid() != parent_pid:
        os._exit(1)
