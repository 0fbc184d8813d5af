"""How big an uploaded file may be before Kokemus refuses to read it, and how long a
comment is kept. The numbers are documented in docs/upload.md ("Limits"); a deployment
may change the parse worker's memory and time through the environment.

Every limit exists because one file must not be able to take the dashboard down for
everyone (an attacker's zip bomb, a cell parked at XFD1048576, a 100 MB "comment"), while
every real feedback file, up to a full 1,048,576-row sheet, stays well inside them.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:      # pandas costs half a second to import; the CLI checks limits before it
    import pandas as pd

MAX_COLUMNS = 1_000                 # survey exports with one column per question stay far below
MAX_SHEET_CELLS = 25_000_000        # rows x columns a reader lays out as a grid (a full 12-column template sheet is 12.6 M)
MAX_CELL_BYTES = 1 << 20            # Excel itself stores at most 32,767 characters in a cell
MAX_LINE_BYTES = 4 << 20            # one line of a text export
MAX_UNCOMPRESSED = 1 << 30          # whole zip container, unpacked (a full sheet is ~400 MB)
MAX_MEMBER_RATIO = 200              # real xlsx members compress 5-30:1
RATIO_CHECK_FROM = 16 << 20         # a small member cannot hurt, whatever its ratio
MAX_ZIP_MEMBERS = 10_000

COMMENT_MAX_CHARS = 10_000          # longer comments are cut here and marked
CUT_MARK = " […]"


def parse_memory_bytes() -> int:
    """Data-segment limit of the parse worker (default 3 GB). ``RLIMIT_DATA`` counts reserved
    address space, which the native readers reserve generously: a full 1,048,576-row sheet
    peaks at ~1.4 GB resident and needs this much reserved."""
    return int(float(os.environ.get("KOKEMUS_PARSE_MEMORY_MB", "3072")) * 1024 * 1024)


def parse_timeout_s() -> float:
    """Wall-clock limit of the parse worker (default 60 s)."""
    return float(os.environ.get("KOKEMUS_PARSE_TIMEOUT_S", "60"))


def cap_comments(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Cut comments longer than :data:`COMMENT_MAX_CHARS` and mark the cut, so a pasted
    document costs what a long comment costs. Returns (frame, comments cut)."""
    if "comment" not in frame or frame.empty:
        return frame, 0
    col = frame["comment"]
    if str(col.dtype) in ("str", "string"):     # vectorised for a text column
        lengths = col.str.len().fillna(0)
    else:
        lengths = col.map(lambda v: len(v) if isinstance(v, str) else 0)
    long = lengths > COMMENT_MAX_CHARS
    n = int(long.sum())
    if not n:
        return frame, 0
    frame = frame.copy()
    keep = COMMENT_MAX_CHARS - len(CUT_MARK)
    frame.loc[long, "comment"] = col[long].map(lambda v: v[:keep].rstrip() + CUT_MARK)
    return frame, n
