"""No raw value on the close-the-loop and administrators' pages, in a real browser: no
"None"/"nan"/"True", no catalogue key, no English month (issue 10, item 1, extended to the
Replies, Actions, Report, Users and Audit pages).

The warehouse is tests/auth_world.py's small area plus what staff leave half filled in: an
improvement action with no owner, no description and no Swedish title, and an audit trail
with rows that carry no page or detail. An administrator signs in with a local account and
opens each page from the sidebar (a local sign-in does not survive a reload).
"""
from __future__ import annotations

import subprocess
from datetime import date

import pytest

from kokemus import actions
from kokemus.i18n import t
from tests.auth_world import PASSWORD, build
from tests.browser.conftest import start_dashboard, wait_for_app
from tests.browser.test_polish_browser import ENGLISH_MONTH, RAW, settle

PAGES = ("replies", "actions", "report", "users", "audit", "import_log")


@pytest.fixture(scope="module")
def area(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("raw")
    world = build(tmp)
    actions.save_action(title_fi="Takaisinsoittoaikoja lisättiin", start_on=date(2026, 3, 2),
                        units=["Osasto A1"], themes=["phone"], status="started", owner=None,
                        description_fi=None, db_path=world.db)
    proc, url = start_dashboard(world.db, {"KOKEMUS_AUTH_DB": str(tmp / "alue-auth.duckdb")})
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_close_the_loop_and_admin_pages_show_no_raw_values(browser_page, area):
    page = browser_page
    page.goto(area)
    wait_for_app(page)
    page.get_by_label("Käyttäjätunnus").fill("admin")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_role("heading", name="Yleiskuva").wait_for()
    for name in PAGES:
        page.locator('[data-testid="stSidebarNav"]').get_by_text(t(f"nav_{name}", "fi"), exact=True).click()
        settle(page)
        if page.locator('[data-testid="stDataFrame"]').count():
            page.wait_for_timeout(700)   # the grids' accessible cells are drawn after the frame
        text = page.locator('[data-testid="stMain"]').evaluate("e => e.textContent")
        assert text.strip(), name
        assert not page.locator('[data-testid="stException"]').count(), name
        found = RAW.search(text)
        assert not found, (name, found.group(0), text[max(0, found.start() - 80):found.end() + 40])
        month = ENGLISH_MONTH.search(text)
        assert not month, (name, month.group(0))
