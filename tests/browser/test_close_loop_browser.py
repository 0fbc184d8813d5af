"""Vastattavat, Te sanoitte me teimme and Raportti in headless Chromium against a real
`streamlit run` on the demo warehouse; screenshots for the README."""
from __future__ import annotations

import subprocess
from pathlib import Path

from kokemus import db, filters
from tests.browser.conftest import download, wait_until_drawn

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"


def open_page(page, url: str, name: str) -> None:
    page.goto(f"{url}/{filters.URL_PATHS[name]}")
    wait_until_drawn(page)
    assert not page.locator('[data-testid="stException"]').count(), name


def open_count(demo_db) -> int:
    with db.connect(demo_db) as con:
        return con.execute("SELECT count(*) FROM reply_cases WHERE status IN ('open', 'in_progress')").fetchone()[0]


def test_replies_worklist_and_one_click(dashboard_url, browser_page, demo_db):
    page = browser_page
    open_page(page, dashboard_url, "replies")
    before = open_count(demo_db)
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[0].strip() == str(before)
    page.get_by_text("⚠ MYÖHÄSSÄ").first.wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "replies.png"), full_page=False)
    page.get_by_role("button", name="✓ Vastattu").first.click()
    page.get_by_text("merkitty vastatuksi").wait_for(timeout=30_000)
    wait_until_drawn(page)
    assert open_count(demo_db) == before - 1
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text().strip() == str(before - 1)


def test_you_said_we_did_page(dashboard_url, browser_page):
    page = browser_page
    open_page(page, dashboard_url, "actions")
    page.get_by_text("Esittäydymme ja kerromme, mitä teemme").first.wait_for()
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(SCREENSHOTS / "actions.png"), full_page=False)
    path = download(page, page.get_by_role("button", name="Lataa juliste (PDF, A4)"), dashboard_url).path()
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Te sanoitte, me teimme" in text


def test_report_page_makes_a_pdf(dashboard_url, browser_page):
    page = browser_page
    open_page(page, dashboard_url, "report")
    page.get_by_role("button", name="Tee raportti").click()
    page.get_by_text("Raportti valmis").wait_for(timeout=120_000)
    wait_until_drawn(page)
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=False)
    pdf = download(page, page.get_by_role("button", name="Lataa PDF"), dashboard_url)
    text = subprocess.run(["pdftotext", str(pdf.path()), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Palautekatsaus johtoryhmälle" in text
