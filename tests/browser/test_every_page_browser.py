"""Issue 10's items on the pages test_polish_browser.py leaves out - Vastattavat, Te
sanoitte me teimme, Raportti, and the administrators' Käyttäjät and Tapahtumaloki - and
the parts of items 2, 3, 5, 7, 8 and 9 it does not reach, in a real browser.

Coverage of issue 10's items (fi everywhere, sv/en spot checks) by page; "p" =
test_polish_browser.py, "e" = this file, "o" = test_overview_browser.py, "c" =
test_close_loop_browser.py, "r" = test_problems_browser.py; items 4 and 6 (Recurring
problems' words, Upload and import log) are covered by their own tests::

    item       overview trends problems comments replies actions report upload log users audit
    1 values   p,e      p      p,e      p        e       e       e      p      p   e     e
      sv/en    p        p      e        p        e       e       e      e      e   e     e
    2 overview p,e      .      .        .        .       .       .      .      .   .     .
    3 trends   .        p,e,o  .        p        .       .       .      .      .   .     .
    5 comments .        .      .        p,e      .       .       .      .      .   .     .
    7 exports  .        .      e        e        .       c       c      .      .   .     e
    8 phones   p,e      p,e    p        p        p       p       p      p      p   e     e
    9 a11y     p,e      p,e    p,e      p,e      p,e     p,e     p,e    p,e    p,e e     e

(item 9: axe-core with no violation of any impact, which includes colour contrast; "e" adds
an explicit check that headings never skip a level. The sv/en checks of upload, log, users
and audit read the heading, a table's column names and a value in the chosen language - the
preview's channel and month, the log's status and an empty rejected cell, a role, an audit
action - and that no Finnish sentence of those pages nor a raw None/nan shows.)
"""
from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from kokemus import charts, comment_queries as cq, db, filters
from kokemus.auth.roles import ROLES
from kokemus.i18n import catalogue, t
from tests.browser.conftest import download, start_dashboard, wait_for_app
from tests.browser.test_polish_browser import (ENGLISH_MONTH, PAGES, PHONE, RAW, TABLET, main_text,
                                               open_page, settle, title_is)

ROOT = Path(__file__).resolve().parents[2]
LOOP_PAGES = [p for p in ("replies", "actions", "report") if p in PAGES]
TITLES = {"overview": "ov_title", "problems": "pr_title", "replies": "rp_title", "actions": "ac_title",
          "report": "rep_title", "users": "us_title", "audit": "au_title"}
FINNISH_MONTH = re.compile(r"\b(tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu) 20\d\d")


def heading_levels(page) -> list[int]:
    return page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3,'
        + '[data-testid="stMain"] h4, [data-testid="stMain"] h5, [data-testid="stMain"] h6')]
        .filter(h => h.offsetParent !== null).map(h => Number(h.tagName[1]))""")


def assert_headings_in_order(page) -> None:
    levels = heading_levels(page)
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not jumps, levels


def assert_speaks(page, lang: str) -> None:
    """Item 1 on whatever the page shows: no raw value or internal key, months in the
    page's language, percentages written the language's way."""
    text = main_text(page)
    raw = RAW.search(text)
    assert not raw, text[max(0, raw.start() - 80):raw.end() + 80]
    if lang == "fi":
        assert not ENGLISH_MONTH.search(text), ENGLISH_MONTH.search(text).group(0)
        assert not re.search(r"\d\.\d+ ?%", text), "a percentage with a decimal point"
    else:
        assert not FINNISH_MONTH.search(text), FINNISH_MONTH.search(text).group(0)
        if lang == "en":
            assert not re.search(r"\d,\d+ ?%", text), "a percentage with a decimal comma in English"


def grid_rows(page, grid, timeout: float | None = None) -> list[list[str]]:
    """The data grid's cells as its accessible table gives them to a screen reader
    (the grid itself draws on a canvas)."""
    grid.locator('[role="row"]').nth(1).wait_for(state="attached", timeout=timeout)
    return [row.locator('[role="gridcell"], [role="columnheader"]').all_inner_texts()
            for row in grid.locator('[role="row"]').all()]


# ------------------------------------------------------------------ items 1 and 9, every page

@pytest.mark.parametrize("page_name", LOOP_PAGES)
def test_close_the_loop_pages_speak_finnish(dashboard_url, browser, page_name):
    context, page = open_page(browser, dashboard_url, page_name)
    try:
        assert not page.locator('[data-testid="stException"]').count()
        title_is(page, t("app_title", "fi"))
        assert page.locator("h1").first.inner_text().strip() == t(TITLES[page_name], "fi")
        assert_speaks(page, "fi")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page_name", ["problems", *LOOP_PAGES])
def test_swedish_and_english_on_more_pages(dashboard_url, browser, page_name, lang):
    context, page = open_page(browser, dashboard_url, page_name, lang=lang)
    try:
        title_is(page, t("app_title", lang))
        assert page.locator("h1").first.inner_text().strip() == t(TITLES[page_name], lang)
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert t(f"nav_{page_name}", lang) in nav and t("nav_overview", lang) in nav, nav
        assert_speaks(page, lang)
    finally:
        context.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_headings_never_skip_a_level(dashboard_url, browser, page_name):
    context, page = open_page(browser, dashboard_url, page_name)
    try:
        assert_headings_in_order(page)
    finally:
        context.close()


# ------------------------------------------------------------------ item 2, Overview

def test_overview_unit_table_and_volume_bars(dashboard_url, browser):
    context, page = open_page(browser, dashboard_url, "overview")
    try:
        rows = grid_rows(page, page.locator('[data-testid="stDataFrame"]').first)
        header, body = rows[0], [r for r in rows[1:] if r]
        assert header[:2] == [t("ov_col_unit", "fi"), t("ov_col_area", "fi")], header
        assert body, "no unit rows"
        for cells in body:
            assert cells[1].strip(), f"service area empty: {cells}"
            assert not re.search(r"^,|,,|,$|[A-Za-z]", cells[5]), f"sparkline as text: {cells[5]!r}"
            # what a screen reader hears of the sparkline: no decimal point on a Finnish page
            assert "." not in cells[5], f"sparkline with a decimal point: {cells[5]!r}"
            assert "n =" not in " ".join(cells)
        # the monthly trend opens on the count of responses: bars, never below zero
        chart = page.locator(".st-key-ov_trend_chart .js-plotly-plot").first
        chart.locator(".main-svg").first.wait_for()
        assert chart.locator(".barlayer .point").count() >= 12
        texts = "els => els.map(e => e.textContent)"
        ticks = chart.locator(".ytick text, .y2tick text").evaluate_all(texts)  # bars sit on y2
        assert ticks and not any(x.strip().startswith(("-", "−")) for x in ticks), ticks
        months = chart.locator(".xtick text").evaluate_all(texts)
        assert months and not ENGLISH_MONTH.search(" ".join(months)), months
    finally:
        context.close()


# ------------------------------------------------------------------ item 3, Trends

def _month_order() -> dict[str, int]:
    return {charts.month_label(date(2000, m, 1), "fi").split()[0]: m for m in range(1, 13)}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_trends_title_clear_of_legend_and_latest_signal_first(dashboard_url, browser, demo_db, viewport):
    with db.connect(demo_db) as con:
        unit = con.execute("SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    context, page = open_page(browser, dashboard_url, "trends", viewport=viewport, query=f"unit={unit}")
    try:
        chart = page.locator('[class*="st-key-tr_spc_chart"] .js-plotly-plot').first
        chart.locator(".main-svg").first.wait_for()
        title, legend = chart.locator(".gtitle"), chart.locator(".legend")
        if title.count() and legend.count():
            a, b = title.first.bounding_box(), legend.first.bounding_box()
            overlap = not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                           or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
            assert not overlap, (a, b)
        grids = page.locator('[data-testid="stDataFrame"]')
        if viewport is None and grids.count():
            order = _month_order()
            rows = [r for r in grid_rows(page, grids.last)[1:] if r]
            months = [(int(r[0].split()[1]), order[r[0].split()[0]]) for r in rows]
            assert months == sorted(months, reverse=True), months
    finally:
        context.close()


# ------------------------------------------------------------------ item 5, Comments

def test_typed_search_finds_inflected_forms_and_reasons_read_finnish(dashboard_url, browser, demo_db):
    # wide enough for every column of the table to be drawn (the grid draws what is in view)
    context, page = open_page(browser, dashboard_url, "comments", viewport={"width": 2400, "height": 1000})
    try:
        box = page.locator('[data-testid="stTextInput"] input').first
        box.fill("jono")
        box.press("Enter")
        settle(page)
        heading = page.get_by_text(re.compile(r"^[\d\u202f\u00a0]+ kommenttia$"))
        heading.wait_for()
        shown = int(re.sub(r"\D", "", heading.inner_text()))
        with db.connect(demo_db) as con:
            last = con.execute("SELECT max(month) FROM feedback").fetchone()[0]
        f = filters.Filters(start=filters.add_months(last, -11), end=last)
        expected = cq.count_comments(f, cq.CommentFilters(text="jono"), demo_db, cq.default_lemmatiser())
        literal = cq.count_comments(f, cq.CommentFilters(text="jono"), demo_db, None)
        assert shown == expected and expected >= literal and expected > 0, (shown, expected, literal)
        rows = [r for r in grid_rows(page, page.locator('[data-testid="stDataFrame"]').first)[1:] if r]
        text = "\n".join(" | ".join(r) for r in rows)
        assert re.search(r"\bjono\w*", text, re.IGNORECASE), text[:500]
        names = catalogue()
        labels = [t(k, "fi") for k in names if k.startswith("theme_")]
        assert any(f"{label}:" in text for label in labels), text[:500]
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|\w+ \((hoitoon|pääsi)", text), text[:500]
    finally:
        context.close()


# ------------------------------------------------------------------ item 7, exports

def _saved(download, folder: Path) -> Path:
    """The download under the name the page gave it (openpyxl goes by the extension)."""
    path = folder / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".xlsx", path.name
    return path


def _check_workbook(path: Path, boolean_words: tuple[str, str] = ("kyllä", "ei")) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2", ws.freeze_panes
    assert ws.auto_filter.ref, "no autofilter"
    assert any((ws.column_dimensions[c].width or 0) > 10 for c in ws.column_dimensions), "no column widths"
    values = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
    assert values, "an empty export"
    assert not any(isinstance(c.value, bool) for c in values), "a boolean cell"
    assert not any(str(c.value) in ("None", "nan", "True", "False") for c in values)
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for c in values), "a visible apostrophe"
    dated = [c for c in values if hasattr(c.value, "year")]
    assert dated and all(not c.number_format.startswith("yyyy-mm-dd h") for c in dated), \
        [c.number_format for c in dated[:3]]


def test_comments_export_is_an_excel_workbook_people_can_use(dashboard_url, browser, tmp_path):
    context, page = open_page(browser, dashboard_url, "comments")
    try:
        got = download(page, page.get_by_role("button", name=t("cm_export_xlsx", "fi")), dashboard_url)
        _check_workbook(_saved(got, tmp_path))
    finally:
        context.close()


def test_heatmap_export_is_an_excel_workbook_people_can_use(dashboard_url, browser, tmp_path):
    context, page = open_page(browser, dashboard_url, "problems")
    try:
        page.get_by_text(t("pr_table_heading", "fi")).first.click()
        got = download(page, page.get_by_role("button", name=t("pr_export_heatmap", "fi")), dashboard_url)
        _check_workbook(_saved(got, tmp_path))
    finally:
        context.close()


# ------------------------------------------------------------------ item 8, phones

def test_overview_chart_legend_below_on_a_phone(dashboard_url, browser):
    context, page = open_page(browser, dashboard_url, "overview", viewport=PHONE)
    try:
        chart = page.locator(".st-key-ov_trend_chart .js-plotly-plot").first
        chart.locator(".main-svg").first.wait_for()
        legend = chart.locator(".legend")
        if legend.count():
            plot = chart.locator(".nsewdrag").first.bounding_box()
            assert legend.first.bounding_box()["y"] >= plot["y"] + plot["height"] - 1
        assert chart.bounding_box()["x"] + chart.bounding_box()["width"] <= PHONE["width"] + 1
    finally:
        context.close()


# ------------------------------------------------------------------ administrators' pages

@pytest.fixture(scope="module")
def admin_site(tmp_path_factory):
    from tests.auth_world import build

    tmp = tmp_path_factory.mktemp("admin")
    world = build(tmp)
    proc, url = start_dashboard(world.db, {"KOKEMUS_AUTH_DB": str(tmp / "alue-auth.duckdb")})
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _signed_in_admin(browser, url: str, page_name: str, lang: str = "fi"):
    """A local administrator signed in, on ``page_name`` (reached through the navigation:
    a local sign-in does not survive a reload)."""
    from tests.auth_world import PASSWORD

    context = browser.new_context(viewport={"width": 1366, "height": 1000}, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_for_app(page)
    page.get_by_label("Käyttäjätunnus").fill("admin")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_role("heading", name=t("ov_title", "fi")).wait_for()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t(f"nav_{page_name}", "fi")).click()
    page.get_by_role("heading", name=t(TITLES[page_name], "fi"), level=1).wait_for()
    settle(page)
    return context, page


@pytest.mark.parametrize("page_name", ["users", "audit"])
def test_administrators_pages_speak_finnish_fit_phones_and_pass_axe(admin_site, browser, page_name):
    from axe_playwright_python.sync_playwright import Axe

    context, page = _signed_in_admin(browser, admin_site, page_name)
    try:
        assert not page.locator('[data-testid="stException"]').count()
        title_is(page, t("app_title", "fi"))
        assert_speaks(page, "fi")
        assert_headings_in_order(page)
        violations = Axe().run(page).response["violations"]
        assert not violations, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        for viewport in (PHONE, TABLET):
            page.set_viewport_size(viewport)
            page.wait_for_timeout(500)
            widths = page.evaluate("""() => {
                const main = document.querySelector('[data-testid="stMain"]');
                return [document.documentElement.scrollWidth, window.innerWidth,
                        main.scrollWidth, main.clientWidth];
            }""")
            assert widths[0] <= widths[1] and widths[2] <= widths[3] + 1, (viewport, widths)
    finally:
        context.close()


def test_audit_export_is_an_excel_workbook_people_can_use(admin_site, browser, tmp_path):
    context, page = _signed_in_admin(browser, admin_site, "audit")
    try:
        got = download(page, page.get_by_role("button", name=t("au_export_xlsx", "fi")), admin_site)
        _check_workbook(_saved(got, tmp_path))
    finally:
        context.close()


# ------------------------------------------------------------------ item 1 in sv/en: nurses' and administrators' pages

# the catalogue areas of these pages; their Finnish sentences must not show in sv or en
NURSE_ADMIN_AREAS = ("upload_", "field_", "log_", "dup_", "us_", "au_", "auth_role_", "reject_")


def assert_no_finnish_sentence(page, lang: str) -> None:
    """No Finnish sentence of these pages' catalogue areas on a Swedish or English page (a
    sentence: several words, no placeholder - single words may be a file's own headers)."""
    text = main_text(page)
    leaks = [fi for key, texts in catalogue().items() if key.startswith(NURSE_ADMIN_AREAS)
             for fi in [texts.get("fi", "")] if " " in fi.strip() and "{" not in fi and len(fi) >= 10
             and fi != t(key, lang) and fi in text]
    assert not leaks, leaks[:5]


def choose(page, where: str, label: str, option: str) -> None:
    """Pick ``option`` (a part of its text) in the selectbox labelled ``label``."""
    field = page.locator(f'[data-testid="{where}"]').get_by_role("combobox", name=label)
    field.click()
    field.fill(option)
    page.get_by_role("option").filter(has_text=option).first.click()
    settle(page)


def grid_with(page, header: str) -> list[list[str]]:
    """The rows of the first data grid whose header row holds ``header`` (grids without
    rows, such as a collapsed editor's, are passed over)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    import time

    grids = page.locator('[data-testid="stDataFrame"]')
    deadline = time.monotonic() + 60  # a loaded machine draws the grids' rows late
    while True:
        for i in range(grids.count()):
            try:
                rows = grid_rows(page, grids.nth(i), timeout=5_000)
            except PlaywrightTimeout:
                continue
            if rows and header in rows[0]:
                return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"no table with the column {header!r}")
        page.wait_for_timeout(1_000)


def column(rows: list[list[str]], header: str) -> list[str]:
    at = rows[0].index(header)
    return [r[at] for r in rows[1:] if len(r) > at]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_upload_preview_in_swedish_and_english(dashboard_url, browser, demo_db, tmp_path, lang):
    from tests.conftest import write_template_csv

    with db.connect(demo_db) as con:
        unit = con.execute("SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    rows = [{"Päivämäärä": f"{d}.3.2026", "Yksikkö": unit, "Kanava": "paperi", "Arvio": str(1 + d % 5),
             "Palaute": f"Käynti {d}. päivänä sujui."} for d in range(1, 7)]
    path = write_template_csv(tmp_path / f"maaliskuu_{lang}.csv", rows + [{"Päivämäärä": "", "Yksikkö": unit,
                                                                        "Arvio": "4"}])
    context, page = open_page(browser, dashboard_url, "upload", lang=lang)
    try:
        assert page.locator("h1").first.inner_text().strip() == t("upload_title", lang)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
        page.get_by_role("button", name=t("upload_confirm", lang, file=path.name)).wait_for(timeout=60_000)
        settle(page)
        preview = grid_with(page, t("field_channel", lang))
        assert t("field_submitted_on", lang) in preview[0], preview[0]
        assert set(column(preview, t("field_channel", lang))) == {t("flt_channel_paper", lang)}
        months = column(preview, t("field_month", lang))
        assert months and all(m == charts.month_label(date(2026, 3, 1), lang) for m in months), months
        rejects = grid_with(page, t("log_col_reason", lang))
        assert t("reject_value_empty", lang) in " ".join(column(rejects, t("log_col_value", lang)))
        assert_speaks(page, lang)
        assert_no_finnish_sentence(page, lang)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_import_log_in_swedish_and_english(dashboard_url, browser, lang):
    from demo.legacy import WEBROPOL_FILE

    context, page = open_page(browser, dashboard_url, "import_log", lang=lang)
    try:
        assert page.locator("h1").first.inner_text().strip() == t("log_title", lang)
        listing = grid_with(page, t("log_col_file", lang))
        assert WEBROPOL_FILE in column(listing, t("log_col_file", lang))
        assert set(column(listing, t("log_col_status", lang))) == {t("log_status_loaded", lang)}
        choose(page, "stMain", t("log_select", lang), WEBROPOL_FILE)
        heading = re.compile(re.escape(t("log_rejects_heading", lang, batch="#")).replace("\\#", r"\d+"))
        page.get_by_role("heading", name=heading).wait_for()
        rejects = grid_with(page, t("log_col_value", lang))
        # the unfinished answer's empty response time (the export's last row)
        assert column(rejects, t("log_col_value", lang)) == [t("reject_value_empty", lang)], rejects
        assert_speaks(page, lang)
        assert_no_finnish_sentence(page, lang)
    finally:
        context.close()


def _switch_language(page, lang: str) -> None:
    """The sidebar's language switch (a local sign-in does not survive a reload, so no ?lang=)."""
    field = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=t("ui_language_label"))
    field.click()
    page.get_by_role("option", name=t(f"ui_lang_{lang}"), exact=True).click()
    settle(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_administrators_pages_in_swedish_and_english(admin_site, browser, lang):
    context, page = _signed_in_admin(browser, admin_site, "users")
    try:
        _switch_language(page, lang)
        page.get_by_role("heading", name=t("us_title", lang), level=1).wait_for()
        title_is(page, t("app_title", lang))
        users = grid_with(page, t("us_col_role", lang))
        assert t("auth_username", lang) in users[0], users[0]
        assert t("auth_role_administrator", lang) in column(users, t("us_col_role", lang))
        assert_speaks(page, lang)
        assert_no_finnish_sentence(page, lang)

        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=t("nav_audit", lang)).click()
        page.get_by_role("heading", name=t("au_title", lang), level=1).wait_for()
        settle(page)
        trail = grid_with(page, t("au_col_action", lang))
        assert t("au_action_sign_in", lang) in column(trail, t("au_col_action", lang))
        roles = set(column(trail, t("us_col_role", lang))) - {""}
        assert roles and roles <= {t(f"auth_role_{r}", lang) for r in ROLES}, roles
        assert_speaks(page, lang)
        assert_no_finnish_sentence(page, lang)
    finally:
        context.close()
