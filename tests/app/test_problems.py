"""The Recurring problems page on real warehouses."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import mark_fictional, open_app_page

ROOT = Path(__file__).resolve().parents[2]


def _problems_page(**query) -> AppTest:
    return open_app_page("problems", query_after_switch=query, timeout=60)


def _heatmap_cells(at: AppTest) -> dict[tuple[str, str], str]:
    """(theme, month ISO) -> the number written in the cell ('' when hidden)."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    trace = spec["data"][0]
    return {(th, m): txt for (th, m), txt in zip(trace["customdata"], trace["text"])}


def _independent_counts(db: Path) -> dict[tuple[str, str], int]:
    """Complaints and suggestions per theme and month in the default period, counted from
    raw responses and tags (the page reads the rollup)."""
    with duckdb.connect(str(db), read_only=True) as con:
        last = con.execute("SELECT max(month) FROM responses").fetchone()[0]
        first = date(last.year - 1, last.month % 12 + 1, 1) if last.month != 12 else date(last.year, 1, 1)
        rows = con.execute("""
            SELECT theme, month, count(*) FROM (
                SELECT DISTINCT t.response_id, t.theme, t.polarity, r.month
                FROM comment_tags t JOIN responses r USING (response_id)
                WHERE r.feedback_type IN ('complaint', 'suggestion') AND r.month BETWEEN ? AND ?)
            GROUP BY ALL""", [first, last]).fetchall()
    return {(th, m.isoformat()): n for th, m, n in rows}


def test_empty_tags_are_said_plainly(tmp_db):
    at = _problems_page()
    assert any("ei ole vielä luokiteltu" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_heatmap_counts_equal_an_independent_count(demo_db):
    at = _problems_page()
    cells = _heatmap_cells(at)
    expected = _independent_counts(demo_db)
    assert cells, "the demo warehouse should have themes among complaints"
    assert set(cells) == set(expected)
    for key, n in expected.items():
        assert cells[key] == (str(n) if n >= 5 else ""), key


def test_small_counts_are_hidden(demo_db, monkeypatch):
    monkeypatch.setenv("KOKEMUS_MIN_N", "100000")
    at = _problems_page()
    assert set(_heatmap_cells(at).values()) == {""}
    labels = [pl.proto.label for pl in at.get("page_link")]
    assert all("n = " not in label for label in labels)


def test_filters_change_the_figures(demo_db):
    all_types = _heatmap_cells(_problems_page())
    suggestions = _heatmap_cells(_problems_page(type="suggestion"))
    assert suggestions != all_types
    at = _problems_page(type="praise")
    assert any("moitteita" in i.value for i in at.info)


def test_list_links_lead_to_the_comments_behind_them(demo_db):
    at = _problems_page()
    links = at.get("page_link")
    if not links:
        pytest.skip("no recurring or rising theme in the demo warehouse")
    link = links[0].proto
    from kokemus.filters import URL_PATHS
    assert link.page.endswith(URL_PATHS["comments"])
    query = {k: v for k, v in parse_qs(link.query_string).items()}
    theme, unit = query["theme"][0], query["unit"][0]
    mark_fictional()
    comments = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    comments.switch_page("pages/comments.py").run()
    for key, values in query.items():
        comments.query_params[key] = values if len(values) > 1 else values[0]
    comments.run()
    assert not comments.exception
    frame = comments.dataframe[0].value
    assert len(frame) > 0
    assert set(frame["Yksikkö"]) == {unit}
    from kokemus.comment_queries import theme_label
    assert all(theme_label(theme, "fi") in str(v) for v in frame["Aiheet (tunnistetut sanat)"])
    assert set(frame["Tyyppi"]) <= {"Moite", "Kehitysehdotus"}


@pytest.fixture(scope="module")
def new_problem_db(tmp_path_factory):
    """Half a year of complaints, then a month in which a new payment machine breaks down
    (comments as in tests/unit/test_emerging_problem_words.py)."""
    import random

    from etl.pipeline import import_file
    from tests.conftest import write_template_csv
    from tests.unit.test_emerging_problem_words import month

    rng = random.Random(11)
    rows = []
    for m in range(4, 11):
        texts = month(rng, 80 if m < 10 else 60, new_share=0.0 if m < 10 else 0.35,
                      praise_share=0.1 if m < 10 else 0.6, others=1 if m < 10 else 8)
        rows += [{"Päivämäärä": f"{1 + i % 28}.{m}.2026", "Yksikkö": "Poliklinikka 2", "Arvio": "2",
                  "Tyyppi": "moite", "Kieli": lang or "", "Palaute": text} for i, (text, lang) in enumerate(texts)]
    directory = tmp_path_factory.mktemp("emerging")
    db = directory / "kokemus.duckdb"
    assert import_file(write_template_csv(directory / "kevät.csv", rows), db_path=db).status == "loaded"
    return db


@pytest.mark.parametrize("lang, columns, explained", [
    ("fi", ["Sana", "Tässä kuussa", "Kuutena edellisenä kuukautena", "Kasvu"], "moninkertainen"),
    ("sv", ["Ord", "Denna månad", "De sex månaderna innan", "Ökning"], "gånger större"),
])
def test_emerging_words_table_has_named_columns_and_an_explanation(new_problem_db, monkeypatch, lang, columns,
                                                                   explained):
    monkeypatch.setenv("KOKEMUS_DB", str(new_problem_db))
    mark_fictional(new_problem_db)
    at = open_app_page("problems", lang=lang, timeout=90)
    table = next(d.value for d in at.dataframe if columns[0] in d.value.columns)
    assert list(table.columns) == columns
    assert all(re.fullmatch(r"\d+ (/|av) \d+ \(\d+,\d %\)", v.replace("\u202f", "")) for v in table[columns[1]])
    assert all(v in ("uusi", "ny") or re.fullmatch(r"\d+,\d(-kertainen| gånger)", v) for v in table[columns[3]])
    assert any(explained in c.value for c in at.caption)
    if lang == "fi":
        assert table["Sana"].iloc[0].startswith("maksuautomaat") and table["Kasvu"].iloc[0] == "uusi"
        assert not set(table["Sana"]) & {"ihana", "kiitos", "hyvä", "ystävällinen", "parking", "the"}
    else:  # a Swedish page lists the Swedish comments' words, or says there are none
        assert not any(w.startswith("maksuautomaat") for w in table["Ord"])
