"""Bulk imports yield the CPU to viewers (issue 14, item 5): which files, and that only the
lowered thread (and what it forks) runs lower, never the load or the caller."""
from __future__ import annotations

import os
import threading

import pytest

from etl import priority


def _file(path, size: int):
    path.write_bytes(b"x" * size)
    return path


def test_only_big_files_are_lowered(tmp_path, monkeypatch):
    monkeypatch.delenv("KOKEMUS_IMPORT_NICE", raising=False)
    small = _file(tmp_path / "maaliskuu.csv", 40_000)
    big = _file(tmp_path / "vuosi_2025.xlsx", priority.BULK_FILE_BYTES)
    assert priority.for_file(small) == 0
    assert priority.for_file(big) == 10
    monkeypatch.setenv("KOKEMUS_IMPORT_NICE", "0")
    assert priority.for_file(big) == 0
    monkeypatch.setenv("KOKEMUS_IMPORT_NICE", "abc")
    assert priority.for_file(big) == 0
    assert priority.for_file(tmp_path / "missing.xlsx") == 0


def test_work_runs_lowered_in_its_own_thread_and_the_caller_keeps_its_priority():
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    seen = {}

    def work(a, b=0):
        seen["thread"] = threading.current_thread() is not threading.main_thread()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, 0)
        return a + b

    assert priority.run_lowered(3, work, 1, b=2) == 3
    assert seen == {"thread": True, "nice": min(19, mine + 3)}
    assert os.getpriority(os.PRIO_PROCESS, 0) == mine
    assert priority.run_lowered(0, work, 4) == 4 and seen["thread"] is False


def test_an_error_in_lowered_work_reaches_the_caller():
    def fails():
        raise ValueError("kaatui")

    with pytest.raises(ValueError, match="kaatui"):
        priority.run_lowered(2, fails)
