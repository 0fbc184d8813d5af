"""The server's long-lived objects are frozen out of the collector's walk (kokemus/long_lived.py).

Each check runs in a fresh Python process: freezing is process-wide and must not touch
the test process itself.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip()


def test_a_server_freezes_the_libraries_and_still_collects_each_runs_garbage():
    out = _run("""
        import gc, weakref
        from kokemus import long_lived
        long_lived.enable()
        long_lived.warm_libraries()
        frozen = long_lived.freeze()
        walked = len(gc.get_objects())

        class Node:
            pass
        a, b = Node(), Node()
        a.other, b.other = b, a          # a cycle made after the freeze, as a page run makes them
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        print(frozen, walked, gone() is None, long_lived.freeze() == frozen)
    """)
    frozen, walked, collected, once = out.split()
    assert int(frozen) > 50_000          # pandas, plotly, DuckDB, the dashboard's modules
    assert int(walked) < int(frozen) / 10  # what a full collection still walks
    assert collected == "True"          # a run's cyclic garbage is still freed
    assert once == "True"               # a second call freezes nothing more


def test_outside_a_server_nothing_is_frozen():
    """AppTest runs the dashboard (and its warm-up) inside the test process: no freeze there."""
    out = _run("""
        import gc
        from kokemus import long_lived
        long_lived.warm_libraries()
        print(long_lived.freeze(), gc.get_freeze_count())
    """)
    assert out == "0 0"


def test_the_dashboard_launcher_marks_its_process_as_a_server():
    out = _run("""
        import sys
        from streamlit.web import cli
        cli.main = lambda **kw: None      # stop before a server would start
        from kokemus import long_lived, streamlit_run
        sys.argv = ["x", "--version"]
        streamlit_run.main()
        print(long_lived.enabled())
    """)
    assert out == "True"
