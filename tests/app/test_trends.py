"""Trends page through AppTest on the demo warehouse."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kokemus import db
from tests.conftest import open_app_page

ROOT = Path(__file__).resolve().parents[2]


def open_trends(query: dict | None = None, lang: str | None = None) -> AppTest:
    return open_app_page("trends", lang=lang, query=query)


def busiest_unit() -> str:
    with db.connect() as con:
        return con.execute("SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]


def chart(at: AppTest, key: str) -> dict:
    import json
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        if any(tr.get("meta") for tr in spec["data"]) and (
                key == "spc" and any(tr.get("meta") == "centre" for tr in spec["data"])
                or key == "volume" and any(tr.get("meta") == "volume" for tr in spec["data"])):
            return spec
    raise AssertionError(f"no {key} chart")


def test_trends_runs_with_spc_and_volume(demo_db):
    at = open_trends()
    spc = chart(at, "spc")
    metas = {tr.get("meta") for tr in spc["data"]}
    assert {"centre", "limits", "value_line"} <= metas
    assert "org_average" in metas
    assert chart(at, "volume")


def test_unit_deep_link_selects_the_unit(demo_db):
    unit = busiest_unit()
    at = open_trends({"unit": unit})
    assert at.selectbox(key="tr_subject").value == unit
    assert at.multiselect(key="flt_units").value == [unit]


def test_volume_bars_equal_sql_for_the_unit(demo_db):
    unit = busiest_unit()
    at = open_trends({"unit": unit})
    bars = next(tr for tr in chart(at, "volume")["data"] if tr.get("meta") == "volume")
    with db.connect() as con:
        last = con.execute("SELECT max(month) FROM feedback").fetchone()[0]
        rows = dict(con.execute(
            "SELECT month, count(*) FROM feedback WHERE unit = ? AND month > (?::DATE - INTERVAL 24 MONTH)"
            " GROUP BY month", [unit, last]).fetchall())
    shown = [v for v in bars["y"] if v]
    assert sorted(shown) == sorted(float(v) for v in rows.values())


def test_change_month_recalculates_limits(demo_db):
    from kokemus.filters import parse_month

    at = open_trends()
    before = chart(at, "spc")
    labels = at.selectbox(key="tr_change_month").options  # first is "no recalculation"
    assert len(labels) > 6
    middle = parse_month(labels[len(labels) // 2][:7])  # "YYYY-MM" (+ an action's title)
    at.selectbox(key="tr_change_month").set_value(middle).run()
    assert not at.exception
    after = chart(at, "spc")

    def centre(spec):
        return [y for tr in spec["data"] if tr.get("meta") == "centre" for y in tr["y"]]

    assert None in centre(after) and None not in centre(before), "limits did not break at the change"


def test_run_length_is_settable(demo_db):
    at = open_trends()
    at.number_input(key="tr_run_length").set_value(4).run()
    assert not at.exception
    assert at.number_input(key="tr_run_length").value == 4


def test_english_labels(demo_db):
    at = open_trends(lang="en")
    assert at.title[0].value == "Trends: signal or noise?"
    assert at.selectbox(key="tr_kpi").label == "Measure"


def test_shared_link_sets_rule_lengths_without_a_widget_warning(demo_db):
    """A link's run/trend lengths reach the widgets, the defaults hold without one, and
    Streamlit logs no "default value but also set via the Session State API" warning (each
    one came with a stack in the server log on every run of a shared link)."""
    import logging

    from kokemus import spc

    seen: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    log = logging.getLogger("streamlit.elements.lib.policies")
    handler = Keep(level=logging.WARNING)
    log.addHandler(handler)
    try:
        linked = open_trends(query={"run": "6", "trend": "5"})
        plain_view = open_trends()
    finally:
        log.removeHandler(handler)
    assert not linked.exception and not plain_view.exception
    assert (linked.number_input(key="tr_run_length").value, linked.number_input(key="tr_trend_length").value) == (6, 5)
    assert (plain_view.number_input(key="tr_run_length").value,
            plain_view.number_input(key="tr_trend_length").value) == (spc.RUN_LENGTH, spc.TREND_LENGTH)
    assert not [m for m in seen if "Session State API" in m], seen
