"""Shared fixtures: real warehouses built by the real ETL.

No test touches data/kokemus.duckdb: KOKEMUS_DB points at a session temp file unless a
fixture says otherwise.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

_SESSION_DIR = Path(tempfile.mkdtemp(prefix="kokemus-tests-"))
os.environ["KOKEMUS_DB"] = str(_SESSION_DIR / "default.duckdb")
os.environ.setdefault("KOKEMUS_LANG", "fi")

DEMO_SCALE = 0.02


@pytest.fixture(scope="session")
def demo_db() -> Path:
    """A small demo warehouse (about 3,000 responses) built with `python -m etl demo`."""
    from etl.cli import main

    db = _SESSION_DIR / "demo" / "kokemus.duckdb"
    rc = main(["demo", "--scale", str(DEMO_SCALE), "--out", str(_SESSION_DIR / "demo" / "samples"),
               "--db", str(db)])
    assert rc == 0, "building the demo warehouse failed"
    os.environ["KOKEMUS_DB"] = str(db)
    return db


@pytest.fixture
def tmp_db(tmp_path, monkeypatch) -> Path:
    """An empty warehouse path of the test's own (created on first connect)."""
    db = tmp_path / "kokemus.duckdb"
    monkeypatch.setenv("KOKEMUS_DB", str(db))
    return db


def write_template_csv(path: Path, rows: list[dict], sep: str = ";", encoding: str = "utf-8") -> Path:
    """Write a file in the Kokemus template format (docs/template.md)."""
    headers = ["Päivämäärä", "Yksikkö", "Palvelualue", "Kanava", "Kieli", "Arvio", "Asteikko",
               "Suosittelu", "Tyyppi", "Palaute", "Vastaus toivottu"]
    lines = [sep.join(headers)]
    for r in rows:
        cells = []
        for h in headers:
            v = str(r.get(h, ""))
            if sep in v or '"' in v or "\n" in v:
                v = '"' + v.replace('"', '""') + '"'
            cells.append(v)
        lines.append(sep.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.fixture(scope="session")
def full_demo_db() -> Path:
    """The full-size demo warehouse `make run` serves (~170,000 responses, about a minute):
    the planted signals are tuned for this volume."""
    from etl.cli import main

    db = _SESSION_DIR / "full" / "kokemus.duckdb"
    rc = main(["demo", "--out", str(_SESSION_DIR / "full" / "samples"), "--db", str(db)])
    assert rc == 0, "building the full demo warehouse failed"
    return db


def mark_fictional(db: Path | None = None) -> None:
    """Test warehouses hold generated data only; mark them as `etl demo` marks its own, so
    the pages open without sign-in (demo mode). Sign-in itself is tested in test_auth_*."""
    from kokemus.auth import mode
    mode.mark_demo(db)


def open_app_page(page: str, *, lang: str | None = None, query: dict | None = None,
                  query_after_switch: dict | None = None, timeout: int = 120):
    """Start from the entry point like a visitor, then switch to ``pages/<page>.py``.

    ``query`` arrives with the first request (a shared link); ``query_after_switch`` is set
    after switching, because AppTest's switch_page drops the query string.
    """
    from streamlit.testing.v1 import AppTest

    mark_fictional()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
    if query:
        at.query_params.update(query)
    at.run()
    if lang:
        at.selectbox(key="lang").set_value(lang).run()
    at.switch_page(f"pages/{page}.py").run()
    if query_after_switch:
        for key, value in query_after_switch.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
