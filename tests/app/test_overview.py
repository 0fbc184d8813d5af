"""Overview page through AppTest on the demo warehouse built by the real ETL.

Expected figures are computed with independent SQL over the `feedback` view (raw
responses), not the rollups the page reads, so a drifting rollup or a wrong formula fails.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kokemus import db, filters
from tests.conftest import open_app_page
from kokemus.queries import format_kpi

ROOT = Path(__file__).resolve().parents[2]
PERIOD_SQL = """
WITH last AS (SELECT max(month) AS m FROM feedback)
SELECT count(*) AS responses,
       100.0 * count(*) FILTER (score_5 >= 4) / nullif(count(score_5), 0) AS pct_satisfied,
       avg(score_5) AS mean_score,
       100.0 * (count(*) FILTER (nps >= 9) - count(*) FILTER (nps <= 6)) / nullif(count(nps), 0) AS nps,
       100.0 * count(*) FILTER (feedback_type = 'praise') / nullif(count(feedback_type), 0) AS praise_share,
       count(*) FILTER (wants_reply) AS replies_due
FROM feedback, last
WHERE month BETWEEN (last.m - INTERVAL 11 MONTH)::DATE AND last.m
  AND (? IS NULL OR unit = ?)
"""
KPI_ORDER = ("responses", "pct_satisfied", "mean_score", "nps", "praise_share", "replies_due")


def expected(unit: str | None = None) -> dict[str, float]:
    with db.connect() as con:
        row = con.execute(PERIOD_SQL, [unit, unit]).fetchone()
    return dict(zip(KPI_ORDER, row))


def open_page(lang: str | None = None, query: dict | None = None) -> AppTest:
    return open_app_page("overview", lang=lang, query=query)


def tile_values(at: AppTest) -> dict[str, str]:
    return {kpi: m.value for kpi, m in zip(KPI_ORDER, at.metric)}


def test_overview_runs_and_shows_six_tiles(demo_db):
    at = open_page()
    assert len(at.metric) == 6
    assert at.dataframe, "unit table missing"
    assert at.get("plotly_chart"), "trend chart missing"


def test_kpi_tiles_equal_independent_sql(demo_db):
    at = open_page()
    want = expected()
    assert want["responses"] > 0
    shown = tile_values(at)
    for kpi in KPI_ORDER:
        assert shown[kpi] == format_kpi(kpi, want[kpi], "fi"), kpi


def test_unit_filter_changes_the_figures(demo_db):
    with db.connect() as con:
        unit = con.execute(
            "SELECT unit FROM feedback GROUP BY unit ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    at = open_page()
    before = tile_values(at)
    at.multiselect(key="flt_units").set_value([unit]).run()
    assert not at.exception
    after = tile_values(at)
    want = expected(unit)
    assert after["responses"] == format_kpi("responses", want["responses"], "fi")
    assert after["nps"] == format_kpi("nps", want["nps"], "fi")
    assert after["responses"] != before["responses"]


def test_english_switch_changes_labels(demo_db):
    fi = open_page()
    en = open_page(lang="en")
    assert [m.label for m in fi.metric][0] == "Palautteita"
    assert [m.label for m in en.metric][0] == "Responses"
    assert any(s.value == "Units" for s in en.header)


def test_praise_quotes_are_plain_text(demo_db):
    at = open_page()
    with db.connect() as con:
        comments = {c for (c,) in con.execute(
            "SELECT comment FROM feedback WHERE feedback_type = 'praise' AND comment IS NOT NULL").fetchall()}
    quoted = [x.value for x in at.text if x.value in comments]
    assert quoted, "no praise quote shown as st.text"
    markdown = " ".join(m.value for m in at.markdown)
    assert not any(q in markdown for q in quoted)


@pytest.fixture
def tiny_unit_db(demo_db, tmp_path, monkeypatch):
    """A copy of the demo warehouse plus a unit with 3 responses in the last month,
    imported through the real pipeline."""
    from tests.conftest import write_template_csv
    from etl.pipeline import import_files

    copy = tmp_path / "kokemus.duckdb"
    shutil.copy(demo_db, copy)
    monkeypatch.setenv("KOKEMUS_DB", str(copy))
    with db.connect() as con:
        last = con.execute("SELECT max(month) FROM feedback").fetchone()[0]
    day = date(last.year, last.month, 10).strftime("%-d.%-m.%Y")
    rows = [{"Päivämäärä": day, "Yksikkö": "Pieni testiyksikkö", "Palvelualue": "Testialue",
             "Arvio": s, "Suosittelu": r, "Tyyppi": "kiitos", "Palaute": "Hyvä hoito"}
            for s, r in ((5, 10), (4, 9), (2, 3))]
    csv = write_template_csv(tmp_path / "pieni.csv", rows)
    results = import_files([csv], db_path=copy)
    assert all(getattr(r, "ok", True) for r in results)
    return "Pieni testiyksikkö", last


def test_small_numbers_are_hidden(tiny_unit_db):
    unit, last = tiny_unit_db
    at = open_page(query={"unit": unit, "period": "custom", "from": filters.month_key(last),
                          "to": filters.month_key(last)})
    shown = tile_values(at)
    assert set(shown.values()) == {"–"}, shown
    assert any("alle 5" in x.value for x in at.text)
    # the same unit over the demo warehouse's whole last year shows the same 3 hidden too
    table = at.dataframe[0].value
    assert (table.loc[table["unit"] == unit, "value"] == "alle 5 vastausta – piilotettu").all()
