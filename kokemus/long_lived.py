"""The dashboard server's long-lived objects, kept out of the collector's way.

Why: Streamlit runs a full garbage collection after every script run (its
``runner.postScriptGC``, on by default, so a page's frames and frames of data are freed at
once). A full collection walks every tracked object of the process, and a dashboard server
holds some 130,000 that never die: pandas, pyarrow, plotly, DuckDB and Streamlit themselves,
and the tagger's tables loaded for uploads. Walking them cost about 60 ms of the ~120 ms of
server CPU a page load takes (benchmarks/page_cost.py, issue 14 item 5): with ten viewers on
two cores, half the server's work was that walk. ``gc.freeze()`` moves the objects alive at
that moment to a generation the collector never visits; the per-run collection keeps
freeing each run's own garbage, and reference counting still frees any frozen object that
is let go. It is done once per server, after the libraries and the tagger are loaded, from
the dashboard's warm-up thread - only in a server process started by
``kokemus.streamlit_run`` (``make run``, the browser tests, the benchmarks), which calls
:func:`enable`: a test process that runs the dashboard with AppTest keeps its own collector
as it is.
"""
from __future__ import annotations

import gc
import threading

_enabled = threading.Event()
_done = threading.Event()


def enable() -> None:
    """This process is a dashboard server: :func:`freeze` may freeze."""
    _enabled.set()


def enabled() -> bool:
    return _enabled.is_set()


def freeze() -> int:
    """Collect once, then freeze what is left; returns the number of frozen objects. Does
    nothing outside a server process, and only the first call freezes (it is the one
    that holds the libraries). It runs from the warm-up thread, so a page run under way at
    that moment has its objects frozen too; those that later become cyclic garbage stay
    until the server stops. That is a bounded, one-off cost (one run's objects, once per
    server), accepted for a freeze that needs no hook into Streamlit's run loop."""
    if not _enabled.is_set() or _done.is_set():
        return gc.get_freeze_count()
    _done.set()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def warm_libraries() -> None:
    """Import what every page's run needs before the freeze, so it is frozen too."""
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from kokemus import cached, charts, queries  # noqa: F401
