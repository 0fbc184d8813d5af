"""The browserless Streamlit client (tests/streamlit_client.py) against a real server: a
page opened and a sidebar move finish without an exception and carry the page's own
texts, and what it must report (page not found, a "busy" text) it does report.
bench_concurrency.py's viewers are these sessions."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from kokemus.filters import page_path
from kokemus.i18n import t
from tests.streamlit_client import ProtocolSession


def run(coro_fn):
    """Run the client in a thread of its own: the browser tests' Playwright (sync API) may
    have left an event loop running in this one, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coro_fn())).result(timeout=300)


def test_a_page_opens_and_the_session_moves_on_like_a_browser(dashboard_url):
    async def visit():
        async with ProtocolSession(dashboard_url, keep_texts=True) as session:
            first = await session.open(page_path("overview"))
            moved = await session.navigate(page_path("trends"))
            again = await session.navigate(page_path("overview"))
            return first, moved, again, session.pages

    first, moved, again, pages = run(visit)
    assert first.problems == [] and first.seconds is not None and first.runs >= 1
    assert t("ov_title", "fi") in first.texts
    assert page_path("trends") in pages and page_path("import_log") in pages
    assert moved.problems == [] and moved.seconds is not None
    assert t("tr_title", "fi") in moved.texts and t("ov_title", "fi") not in moved.texts
    assert again.problems == [] and again.seconds is not None and t("ov_title", "fi") in again.texts


def test_what_a_viewer_would_see_go_wrong_is_reported(dashboard_url):
    async def visit():
        async with ProtocolSession(dashboard_url, busy_texts=(t("flt_heading", "fi"),)) as session:
            busy = await session.open(page_path("trends"))
            unknown = await session.navigate("ei-tallaista-sivua")
        async with ProtocolSession(dashboard_url) as session:
            missing = await session.open("ei-tallaista-sivua")
        return busy, unknown, missing

    busy, unknown, missing = run(visit)
    assert any(p.startswith("busy:") for p in busy.problems)     # a text on the page is found
    assert unknown.seconds is None and unknown.problems
    assert any(p.startswith("page not found") for p in missing.problems)
