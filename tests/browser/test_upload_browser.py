"""A nurse's path in a real browser: drop a legacy workbook, map nothing, import, see it on
Trends. Screenshots of each step go to docs/screenshots/upload-*.png for docs/upload.md."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from etl.pipeline import import_file
from tests.browser.conftest import start_dashboard, wait_for_app
from tests.conftest import write_template_csv

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
UNIT = "Osasto 7A"


def earlier_months(directory: Path) -> Path:
    rows = [{"Päivämäärä": f"{1 + d % 27}.{m}.2024", "Yksikkö": UNIT, "Arvio": str(2 + d % 4),
             "Tyyppi": "kiitos", "Palaute": f"Hyvä käynti {d}."} for m in (1, 2, 3) for d in range(12)]
    return write_template_csv(directory / "alku_2024.csv", rows)


def legacy_april(directory: Path) -> Path:
    """The ward's own April sheet: a title naming unit and year, a blank row, the header
    on row 3, an instructions sheet first and a totals row at the end."""
    wb = Workbook()
    ohje = wb.active
    ohje.title = "Ohje"
    ohje["A1"] = "Kirjaa jokainen palautelomake omalle rivilleen."
    ws = wb.create_sheet("Huhti")
    ws["A1"] = f"{UNIT} – asiakaspalaute 2024"
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["Pvm", "Arvio (1-5)", "Palautteen tyyppi", "Vapaa palaute"])
    for d in range(1, 13):
        ws.append([f"{d}.4.2024", 1 + d % 5, "kiitos" if d % 3 else "moite",
                   f"Palaute {d}: hoitajat ehtivät kuunnella."])
    ws.append(["Yhteensä", "=SUM(B4:B15)", None, None])
    path = directory / "Osasto_7A_huhtikuu_2024.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def fresh_dashboard(tmp_path):
    db = tmp_path / "kokemus.duckdb"
    assert import_file(earlier_months(tmp_path), db_path=db).status == "loaded"
    proc, url = start_dashboard(db, {"KOKEMUS_PROFILES": str(tmp_path / "profiles"),
                                     "KOKEMUS_ARCHIVE": str(tmp_path / "archive")})
    yield url, db
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_legacy_workbook_through_the_page_to_trends(fresh_dashboard, browser_page, tmp_path):
    url, _db = fresh_dashboard
    page = browser_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    workbook = legacy_april(tmp_path)

    page.goto(url)
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tuo tiedostoja").click()
    wait_for_app(page)
    page.get_by_text("Tuo tiedostoja").first.wait_for()
    page.screenshot(path=str(SHOTS / "upload-1-page.png"), full_page=True)

    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(workbook))
    confirm = page.get_by_role("button", name=f"Tuo {workbook.name}")
    confirm.wait_for(timeout=60_000)
    wait_for_app(page)
    page.get_by_text("Tunnistettu rakenne").first.wait_for()
    page.screenshot(path=str(SHOTS / "upload-2-preview.png"), full_page=True)

    confirm.click()
    page.get_by_text(f"Tuonti valmis: {workbook.name}").wait_for(timeout=120_000)
    wait_for_app(page)
    page.screenshot(path=str(SHOTS / "upload-3-result.png"), full_page=True)

    page.get_by_role("link", name=f"Näytä yksikön {UNIT} kehitys").click()
    wait_for_app(page)
    page.wait_for_url("**/kehitys**")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "upload-4-trends.png"), full_page=True)
    # the period presets anchor on the latest month with data: April is now that month
    page.locator('[data-testid="stSidebar"]').get_by_text("– 2024-04").first.wait_for(timeout=30_000)

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tuontiloki").click()
    wait_for_app(page)
    page.get_by_text(workbook.name).first.wait_for(state="attached")
    page.screenshot(path=str(SHOTS / "upload-5-import-log.png"), full_page=True)
