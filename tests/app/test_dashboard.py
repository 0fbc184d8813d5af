"""The dashboard frame: navigation, language switch, filters shared across pages and URL."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import mark_fictional

from kokemus import db, filters

ROOT = Path(__file__).resolve().parents[2]
EXISTING = [p for p in filters.PAGES if (ROOT / filters.page_file(p)).exists()]


def start(query: dict | None = None) -> AppTest:
    mark_fictional()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if query:
        at.query_params.update(query)
    return at.run()


def some_unit() -> str:
    with db.connect() as con:
        return con.execute("SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]


@pytest.mark.parametrize("page", EXISTING)
def test_every_existing_page_loads(demo_db, page):
    at = start()
    at.switch_page(filters.page_file(page)).run()
    assert not at.exception, [e.message for e in at.exception]


def test_overview_is_the_default_page(demo_db):
    at = start()
    assert not at.exception
    assert at.title[0].value == "Yleiskuva"


def test_filters_follow_the_user_across_pages_and_into_the_url(demo_db):
    unit = some_unit()
    at = start()
    at.multiselect(key="flt_units").set_value([unit]).run()
    assert at.query_params.get("unit") == unit
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert at.multiselect(key="flt_units").value == [unit]
    assert at.query_params.get("unit") == unit
    at.switch_page("pages/overview.py").run()
    assert at.multiselect(key="flt_units").value == [unit]


def test_shared_link_reproduces_the_view(demo_db):
    unit = some_unit()
    with db.connect() as con:
        last = con.execute("SELECT max(month) FROM feedback").fetchone()[0]
    first = filters.add_months(last, -2)
    at = start({"unit": unit, "period": "custom", "from": filters.month_key(first),
                "to": filters.month_key(last), "channel": ["paper", "web"], "lang": "en"})
    assert not at.exception
    assert at.multiselect(key="flt_units").value == [unit]
    assert at.selectbox(key="flt_preset").value == "custom"
    assert at.selectbox(key="flt_from").value == filters.month_key(first)
    assert at.selectbox(key="flt_to").value == filters.month_key(last)
    assert at.multiselect(key="flt_channels").value == ["paper", "web"]
    assert at.session_state["lang"] == "en"
    with db.connect() as con:
        n = con.execute("SELECT count(*) FROM feedback WHERE unit = ? AND month BETWEEN ? AND ? "
                        "AND channel IN ('paper', 'web')", [unit, first, last]).fetchone()[0]
    from kokemus.queries import format_kpi
    assert at.metric[0].value == format_kpi("responses", n if n >= 5 else None, "en")


def test_period_preset_changes_the_figures(demo_db):
    at = start()
    last12 = at.metric[0].value
    at.selectbox(key="flt_preset").set_value("last_year").run()
    assert not at.exception
    with db.connect() as con:
        n = con.execute("SELECT count(*) FROM feedback WHERE year(month) = "
                        "(SELECT year(max(month)) - 1 FROM feedback)").fetchone()[0]
    from kokemus.queries import format_kpi
    assert at.metric[0].value == format_kpi("responses", n if n >= 5 else None, "fi")
    assert at.query_params.get("period") == "last_year"
    assert last12 != at.metric[0].value


def test_language_switch_translates_the_frame(demo_db):
    at = start()
    assert at.selectbox(key="flt_preset").label == "Ajanjakso"
    at.selectbox(key="lang").set_value("en").run()
    assert at.selectbox(key="flt_preset").label == "Period"
    assert at.title[0].value == "Overview"
    at.selectbox(key="lang").set_value("sv").run()
    assert at.title[0].value == "Översikt"
