"""Every page as a ward manager, an executive and a nurse see it, in a real browser:
values in the user's language, phones and tablets, accessibility and shared links.

Runs on every page in Finnish, with Swedish and English spot checks. Phone screenshots go
to docs/screenshots/phone-*.png for the README.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from kokemus import comment_queries as cq, db, filters
from kokemus.i18n import t
from tests.browser.conftest import wait_for_app, wait_for_run_end

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
PAGES = [p for p in filters.PAGES if (ROOT / filters.page_file(p)).exists()]
# The raw-value check covers the pages of issue 10; the replies/actions/report pages are
# checked by axe and for sideways scrolling here, their own values by their own tests.
VALUE_PAGES = [p for p in ("overview", "trends", "problems", "comments", "upload", "import_log") if p in PAGES]
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}

RAW = re.compile(r"\b(None|NaN|nan|True|False|NaT|null)\b|\b(flt|kpi|theme|mdc|tr|cm|pr|ov|log)_[a-z_]+\b")
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w* 20\d\d\b")


def settle(page) -> None:
    """Until a heading is drawn and the script run has finished (see ``wait_for_run_end``)."""
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_run_end(page)


def open_page(browser, base: str, page_name: str, viewport=None, lang: str = "fi", query: str = ""):
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 1000}, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(60_000)
    sep = "&" if query else ""
    params = (f"lang={lang}" if lang != "fi" else "") + (sep if lang != "fi" else "") + query
    page.goto(f"{base}/{filters.page_path(page_name)}" + (f"?{params}" if params else ""))
    wait_for_app(page)
    settle(page)
    if page.locator('[role="dialog"]').count():  # Streamlit's first-run "page not found" notice
        page.keyboard.press("Escape")
    if page.locator(".js-plotly-plot").count():
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        page.wait_for_timeout(500)
    return context, page


def title_is(page, title: str) -> None:
    """The browser tab's title (Streamlit sets it once the run's page config arrives)."""
    page.wait_for_function("t => document.title === t", arg=title, timeout=10_000)


def main_text(page) -> str:
    """All text of the page body, charts' SVG text included."""
    return page.locator('[data-testid="stMain"]').evaluate("e => e.textContent")


@pytest.mark.parametrize("page_name", VALUE_PAGES)
def test_every_value_speaks_finnish(dashboard_url, browser, page_name):
    context, page = open_page(browser, dashboard_url, page_name)
    try:
        text = main_text(page)
        assert not RAW.search(text), RAW.search(text).group(0)
        assert not ENGLISH_MONTH.search(text), ENGLISH_MONTH.search(text).group(0)
        title_is(page, t("app_title", "fi"))
        assert not re.search(r"\d\.\d+ ?%", text), "a percentage with a decimal point"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page_name", ["overview", "trends", "comments"])
def test_swedish_and_english_spot_checks(dashboard_url, browser, page_name, lang):
    context, page = open_page(browser, dashboard_url, page_name, lang=lang)
    try:
        text = main_text(page)
        title_is(page, t("app_title", lang))
        assert t(f"nav_{page_name}", lang) in page.locator("h1").first.inner_text()
        assert not RAW.search(text), RAW.search(text).group(0)
        finnish_months = re.search(r"\b(tammi|helmi|maalis|huhti|touko|loka|marras|joulu) 20\d\d", text)
        assert not finnish_months, finnish_months.group(0)
        if lang == "sv":
            assert not ENGLISH_MONTH.search(text.replace("maj ", "")), ENGLISH_MONTH.search(text).group(0)
    finally:
        context.close()


def test_overview_tile_shows_one_labelled_change(dashboard_url, browser):
    context, page = open_page(browser, dashboard_url, "overview")
    try:
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        deltas = page.locator('[data-testid="stMetricDelta"]').all_inner_texts()
        assert deltas, "no change badge"
        assert all(re.search(r"(vuoden takaiseen|edelliseen jaksoon)$", d.strip()) for d in deltas), deltas
        tiles = page.locator(".st-key-ov_tiles").inner_text()
        assert "n =" not in tiles and "vs." not in tiles, tiles
        # the unit table fits a 1366 px screen: no horizontal scrollbar inside it
        grid = page.locator('[data-testid="stDataFrame"]').first
        sizes = grid.evaluate("""e => { const s = e.querySelector('.dvn-scroller') || e;
                                        return [s.scrollWidth, s.clientWidth]; }""")
        assert sizes[0] <= sizes[1] + 2, sizes
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["phone", "tablet"])
@pytest.mark.parametrize("page_name", PAGES)
def test_no_sideways_scrolling_on_phones_and_tablets(dashboard_url, browser, page_name, viewport):
    context, page = open_page(browser, dashboard_url, page_name, viewport=viewport)
    try:
        widths = page.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return [document.documentElement.scrollWidth, window.innerWidth,
                    main.scrollWidth, main.clientWidth];
        }""")
        assert widths[0] <= widths[1] and widths[2] <= widths[3] + 1, widths
        if viewport is PHONE and page_name in ("overview", "trends", "problems", "comments"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"phone-{page_name}.png"))
    finally:
        context.close()


def test_phone_tiles_two_per_row_and_comment_cards(dashboard_url, browser):
    context, page = open_page(browser, dashboard_url, "overview", viewport=PHONE)
    try:
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        boxes = [m.bounding_box() for m in page.locator('[data-testid="stMetricValue"]').all()[:3]]
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2, "the first two tiles share a row"
        assert boxes[2]["y"] > boxes[0]["y"] + 20, "the third tile starts the next row"
        assert boxes[1]["x"] + boxes[1]["width"] <= PHONE["width"]
    finally:
        context.close()
    context, page = open_page(browser, dashboard_url, "comments", viewport=PHONE)
    try:
        cards = page.locator(".st-key-cm_cards")
        assert cards.is_visible() and not page.locator(".st-key-cm_table_box").is_visible()
        assert cards.locator('[data-testid="stText"]').count() >= 2
    finally:
        context.close()


def test_phone_heatmap_keeps_readable_cells(dashboard_url, browser):
    context, page = open_page(browser, dashboard_url, "problems", viewport=PHONE)
    try:
        chart = page.locator(".st-key-pr_heatmap_box .js-plotly-plot").first
        assert chart.bounding_box()["width"] >= 700, "squeezed into the phone's width"
    finally:
        context.close()


def test_chart_legends_sit_below_the_plot(dashboard_url, browser, demo_db):
    with db.connect(demo_db) as con:
        unit = con.execute("SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    context, page = open_page(browser, dashboard_url, "trends", query=f"unit={unit}", viewport=PHONE)
    try:
        chart = page.locator('.st-key-tr_spc_chart .js-plotly-plot, [class*="st-key-tr_spc_chart"] .js-plotly-plot').first
        legend = chart.locator(".legend").bounding_box()
        plot = chart.locator(".nsewdrag").first.bounding_box()
        assert legend["y"] >= plot["y"] + plot["height"], (legend, plot)
    finally:
        context.close()


@pytest.mark.parametrize("page_name", PAGES)
def test_axe_finds_nothing_of_any_impact(dashboard_url, browser, page_name):
    from axe_playwright_python.sync_playwright import Axe

    context, page = open_page(browser, dashboard_url, page_name)
    try:
        violations = Axe().run(page).response["violations"]
        if violations:  # elements fade while a late rerun finishes: judge the settled page
            settle(page)
            page.wait_for_timeout(1500)
            violations = Axe().run(page).response["violations"]
        details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        assert not violations, details
    finally:
        context.close()


def test_trends_link_carries_every_setting(dashboard_url, browser, demo_db):
    with db.connect(demo_db) as con:
        unit = con.execute("SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    query = f"unit={unit}&kpi=nps&run=8&trend=7&org=0"
    context, page = open_page(browser, dashboard_url, "trends", query=query)
    try:
        main = page.locator('[data-testid="stMain"]')
        # the page rewrites the URL from its widgets: a value is held when it is still there
        assert parse_qs(urlparse(page.url).query)["kpi"] == ["nps"]
        link = main.locator('[data-testid="stCode"]').inner_text().strip()
        assert link.startswith("http") and "/kehitys?" in link, link
        got = parse_qs(urlparse(link).query)
        assert got["kpi"] == ["nps"] and got["run"] == ["8"] and got["trend"] == ["7"] and got["org"] == ["0"]
        assert got["unit"] == [unit] and got["subject"] == [unit]
        # the link opens the same view in a new session
        other, page2 = browser.new_context(), None
        page2 = other.new_page()
        page2.goto(link)
        wait_for_app(page2)
        settle(page2)
        # the page rewrites the URL from its widgets: the values survived if they are still there
        again = parse_qs(urlparse(page2.url).query)
        assert {k: again.get(k) for k in ("kpi", "run", "trend", "org", "subject")} == {
            k: got[k] for k in ("kpi", "run", "trend", "org", "subject")}
        other.close()
    finally:
        context.close()


def test_comments_search_and_score_survive_a_shared_link(dashboard_url, browser, demo_db):
    from datetime import date

    context, page = open_page(browser, dashboard_url, "comments", query="q=puhelin&score=1-3")
    try:
        heading = page.get_by_text(re.compile(r"^[\d\u202f]+ kommenttia$"))
        heading.wait_for()
        shown = int(heading.inner_text().replace("\u202f", "").split()[0])
        with db.connect(demo_db) as con:
            last = con.execute("SELECT max(month) FROM feedback").fetchone()[0]
        f = filters.Filters(start=filters.add_months(last, -11), end=last)
        expected = cq.count_comments(f, cq.CommentFilters(text="puhelin", score_min=None, score_max=3.0),
                                     demo_db, cq.default_lemmatiser())
        assert shown == expected
        assert page.locator('[data-testid="stTextInput"] input').first.input_value() == "puhelin"
        handles = page.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()
        assert handles == ["1", "3"], handles    # as people write scores, not "1.0"
    finally:
        context.close()
