"""Items 4 and 6 of issue 10 in a real browser, in Finnish.

A nurse uploads a ward workbook that spells the unit its own way and has rows typed wrong:
the preview speaks Finnish, the result links to Trends for the stored unit and the imported
months; in the import log she downloads the rejected rows, fixes one in Excel (openpyxl)
and uploads that file as it is - the fixed row lands, nothing is counted twice. A ward
manager reads the emerging words on Recurring problems, and no list item is cut off.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from etl.pipeline import import_file
from tests.browser.conftest import download, start_dashboard, wait_for_app
from tests.browser.test_polish_browser import settle
from tests.conftest import write_template_csv

TEXTS = ["Hoitajat olivat ystävällisiä", "Jouduin odottamaan pitkään aulassa", "kiitos kaikesta!!",
         "Lääkäri ei ehtinyt kuunnella", "Ruoka kylmää", "Selkeät ohjeet kotiin"]


def workbook(path: Path) -> Path:
    rng = random.Random(8)
    wb = Workbook()
    ws = wb.active
    ws.title = "Palautteet"
    ws["A1"] = "OSASTO 4 – potilaspalaute"
    ws.append([])
    ws.append(["Pvm", "Arvio (1-5)", "Palautteen tyyppi", "Vapaa palaute", "Kirjaaja"])
    for d in range(1, 11):
        ws.append([dt.datetime(2026, 5, d), rng.choice([2, 4, 5]), rng.choice(["kiitos", "moite"]),
                   f"{rng.choice(TEXTS)} ({d})", "MK"])
    ws.append(["31.4.2026", 3, "moite", "Päivä kirjattiin väärin", "tl"])
    ws.append([None, 4, "kiitos", "Päivä unohtui", "tl"])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nurse")
    db = tmp / "kokemus.duckdb"
    from tests.unit.test_emerging_problem_words import month

    rng = random.Random(21)   # half a year of complaints, then June brings a new problem
    rows = []
    for year, m in ((2025, 12), (2026, 1), (2026, 2), (2026, 3), (2026, 4), (2026, 6)):
        texts = month(rng, 70 if m != 6 else 60, new_share=0.0 if m != 6 else 0.35,
                      praise_share=0.1 if m != 6 else 0.6, others=0)
        rows += [{"Päivämäärä": f"{1 + i % 28}.{m}.{year}", "Yksikkö": "Osasto 4", "Arvio": "2",
                  "Tyyppi": "moite", "Palaute": text} for i, (text, _lang) in enumerate(texts)]
    assert import_file(write_template_csv(tmp / "alku.csv", rows), db_path=db).status == "loaded"
    proc, url = start_dashboard(db, {"KOKEMUS_PROFILES": str(tmp / "profiles"),
                                     "KOKEMUS_ARCHIVE": str(tmp / "archive")})
    yield url, db, tmp
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def grid_text(page, until: str | None = None, timeout_ms: int = 30_000) -> str:
    """The main area's text once the grids have drawn: a grid draws its header first and its
    cells after the data arrives, so with ``until`` (a JavaScript regular expression) wait up
    to ``timeout_ms`` for the text to match; the caller's assertion then fails with the text
    when it never does."""
    page.wait_for_timeout(700)
    if until is not None:
        try:
            page.wait_for_function(
                """([pattern]) => new RegExp(pattern).test(
                    document.querySelector('[data-testid="stMain"]').textContent)""",
                arg=[until], timeout=timeout_ms, polling=200)
        except PlaywrightTimeout:
            pass
    return page.locator('[data-testid="stMain"]').evaluate("e => e.textContent")


def upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name=f"Tuo {path.name}").wait_for(timeout=90_000)
    settle(page)


def counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*), count(DISTINCT comment) FROM responses").fetchone()


def test_upload_fix_rejects_and_upload_again(browser_page, ward):
    url, db, tmp = ward
    page = browser_page
    page.goto(f"{url}/tuonti")      # the first visit after the server started
    wait_for_app(page)
    settle(page)
    assert not page.locator('[role="dialog"]').count(), "no 'Page not found' notice"
    path = workbook(tmp / "osasto4_touko.xlsx")
    upload(page, path)
    page.get_by_text("Ensimmäiset rivit").first.scroll_into_view_if_needed()  # grids draw visible cells only
    finnish_date = r"1\.5\.2026(?!\d)"
    text = grid_text(page, until=finnish_date)
    for raw in ("submitted_on", "score_5", "unit_name", "records", "feedback_type"):
        assert raw not in text, raw
    assert "Palaute (vapaa teksti)" in text and "Arvio asteikolla 1–5" in text and "touko 2026" in text
    assert re.search(finnish_date, text), "dates as Finnish people write them"
    page.get_by_role("button", name=f"Tuo {path.name}").click()
    page.get_by_text(f"Tuonti valmis: {path.name}").wait_for(timeout=120_000)
    settle(page)
    link = page.get_by_role("link", name=re.compile(r"Näytä yksikön Osasto 4 kehitys: touko 2026"))
    query = parse_qs(urlparse(link.get_attribute("href")).query)
    assert query["unit"] == ["Osasto 4"] and query["from"] == ["2026-05"] and query["to"] == ["2026-05"]
    before = counts(db)

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tuontiloki", exact=True).click()
    settle(page)
    assert "Hylätyt syyn mukaan" in grid_text(page, until="Hylätyt syyn mukaan")
    rejected = download(page, page.get_by_role("button", name="Lataa hylätyt rivit (xlsx)"), url)
    assert rejected.suggested_filename.startswith("osasto4_touko_hylatyt_era_")
    downloaded = tmp / rejected.suggested_filename
    rejected.save_as(downloaded)
    book = load_workbook(downloaded)
    ws = book["Palautteet"]
    assert [c.value for c in ws[1]] == ["Pvm", "Arvio (1-5)", "Palautteen tyyppi", "Vapaa palaute", "Kirjaaja",
                                        "Hylkäyksen syy"]
    ws["A2"] = "30.4.2026"          # the nurse fixes the impossible date
    fixed = downloaded      # saved over, as Excel does
    book.save(fixed)

    page.locator('[data-testid="stSidebarNav"]').get_by_text("Tuo tiedostoja", exact=True).click()
    settle(page)
    upload(page, fixed)
    page.get_by_role("button", name=f"Tuo {fixed.name}").click()
    page.get_by_text(f"Tuonti valmis: {fixed.name}").wait_for(timeout=120_000)
    assert counts(db) == (before[0] + 1, before[1] + 1), "the fixed row landed, nothing twice"


def test_emerging_words_and_lists_in_the_browser(browser, ward):
    url, _db, _tmp = ward
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fi-FI")
    page = context.new_page()
    try:
        page.goto(f"{url}/ongelmat")
        wait_for_app(page)
        settle(page)
        page.get_by_role("heading", name="Uudet sanat viimeisimmässä kuussa").scroll_into_view_if_needed()
        listed = r"maksuautomaat\w*\s*\d+ / \d+ \(\d+,\d %\)"
        text = grid_text(page, until=listed)
        assert "Tässä kuussa" in text and "Kuutena edellisenä kuukautena" in text and "Kasvu" in text
        assert re.search(listed, text), "the new problem is listed"
        words = page.get_by_text(re.compile(r"^(ihana|kiitos|hyvä|ystävällinen|tyytyväinen)$"))
        assert not words.count(), "no praise word is an emerging problem"
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stPageLink"] a *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)""")
        assert not cut, cut
    finally:
        context.close()
