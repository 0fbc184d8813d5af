"""axe-core on every page: no serious or critical accessibility violation."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import wait_for_app

ROOT = Path(__file__).resolve().parents[2]
PAGES = [p for p in ("overview", "trends", "problems", "comments", "upload", "import_log")
         if (ROOT / "pages" / f"{p}.py").exists()]


@pytest.mark.parametrize("page_name", PAGES)
def test_no_serious_or_critical_violations(dashboard_url, browser_page, page_name):
    from axe_playwright_python.sync_playwright import Axe

    page = browser_page
    from kokemus.filters import URL_PATHS
    page.goto(f"{dashboard_url}/{URL_PATHS[page_name]}")
    wait_for_app(page)
    # Streamlit fades elements left from the previous run (opacity) until the run ends; axe
    # would measure the faded colour, so wait until no element is stale.
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    page.wait_for_timeout(500)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in bad]
    assert not bad, details
