"""The Comments page on real warehouses built by the real ETL (template CSV -> import)."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from tests.conftest import open_app_page, write_template_csv

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = '<script>alert("x")</script> Hoitaja oli ihana'
BOLD = "**lihava** teksti ja _kursiivi_"
FORMULA = '=HYPERLINK("http://evil.example","klikkaa")'


def _import(tmp_path: Path, db: Path, rows: list[dict]) -> None:
    from etl.pipeline import import_files

    path = write_template_csv(tmp_path / "palaute.csv", rows)
    results = import_files([path], db_path=db)
    assert all(getattr(r, "ok", True) for r in results), results


def _row(day: str, comment: str, kind: str = "moite", unit: str = "Osasto 5B", score: str = "2") -> dict:
    return {"Päivämäärä": day, "Yksikkö": unit, "Palvelualue": "Sisätaudit", "Kanava": "paperi",
            "Kieli": "fi", "Arvio": score, "Tyyppi": kind, "Palaute": comment, "Vastaus toivottu": "ei"}


def _comments_page(**query) -> AppTest:
    return open_app_page("comments", query_after_switch=query, timeout=60)


def _shown_comments(at: AppTest) -> list[str]:
    frame = at.dataframe[0].value
    return frame["Kommentti"].tolist()


def _count(at: AppTest) -> int:
    heading = next(s.value for s in at.header if s.value.endswith("kommenttia"))
    return int(heading.replace("\u00a0", "").replace("\u202f", "").split()[0])


@pytest.fixture
def hostile_db(tmp_db, tmp_path):
    today = date.today().replace(day=1)
    day = today.isoformat()
    _import(tmp_path, tmp_db, [
        _row(day, SCRIPT, "kiitos", score="5"),
        _row(day, BOLD, "kehitysehdotus", score="3"),
        _row(day, FORMULA, "moite", score="1"),
        _row(day, "Pääsy hoitoon kesti viikkoja, jonossa odotettiin", "moite", score="2"),
        _row(day, "PAASY päivystykseen oli nopea", "kiitos", score="5"),
        _row(day, "Olin 100% tyytyväinen", "kiitos", score="5"),
        _row(day, "Olin 1000 kertaa paikalla", "moite", score="2"),
    ])
    return tmp_db


def test_hostile_comments_are_shown_verbatim_as_plain_text(hostile_db):
    at = _comments_page()
    shown = _shown_comments(at)
    for text in (SCRIPT, BOLD, FORMULA):
        assert text in shown
    # Patient text never goes through Markdown (which would render ** and accept HTML).
    for md in at.markdown:
        assert "lihava" not in md.value and "<script>" not in md.value and "HYPERLINK" not in md.value


def test_export_of_the_selection_neutralises_formulas(hostile_db, tmp_path):
    from kokemus import comment_queries as cq, export
    from kokemus.filters import Filters

    f = Filters(start=date(2000, 1, 1), end=date(2100, 1, 1))
    table = cq.export_table(f, cq.CommentFilters(), "fi", db_path=hostile_db)
    assert len(table) == 7
    wb = load_workbook(io.BytesIO(export.to_xlsx_bytes(table)))
    comments = [r[9] for r in wb.active.iter_rows(min_row=2, values_only=True)]
    # typed as text with Excel's quote prefix: shown as written, never run
    assert FORMULA in comments
    cell = next(c for row in wb.active.iter_rows(min_row=2, min_col=10, max_col=10) for c in row
                if c.value == FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix
    assert SCRIPT in comments and BOLD in comments
    assert not any(c.data_type == "f" for row in wb.active.iter_rows() for c in row)
    csv_text = export.to_csv_bytes(table).decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in csv_text


def test_search_ignores_case_and_accents_and_escapes_wildcards(hostile_db):
    at = _comments_page()
    assert _count(at) == 7
    at.text_input(key="cm_text").input("pääsy").run()
    assert sorted(_shown_comments(at)) == sorted([
        "Pääsy hoitoon kesti viikkoja, jonossa odotettiin", "PAASY päivystykseen oli nopea"])
    at.text_input(key="cm_text").input("100%").run()
    assert _shown_comments(at) == ["Olin 100% tyytyväinen"]
    at.text_input(key="cm_text").input("hyperlink").run()
    assert _shown_comments(at) == [FORMULA]
    q = at.query_params["q"]
    assert (q if isinstance(q, str) else q[0]) == "hyperlink"


def test_search_finds_other_inflections_through_the_lemma(hostile_db):
    at = _comments_page(q="jonoissa")  # plural inessive; the comment says "jonossa"
    assert _shown_comments(at) == ["Pääsy hoitoon kesti viikkoja, jonossa odotettiin"]


def test_score_and_type_filters_change_the_selection(hostile_db):
    # the score range arrives as a link sets it (AppTest cannot drag a range select_slider;
    # the browser test drags nothing either but reads the handles)
    at = _comments_page(type="praise")
    assert _count(at) == 3
    at = _comments_page(type="praise", score="1-2")
    assert at.select_slider(key="cm_score").value == (1.0, 2.0)
    assert _count(at) == 0
    at = _comments_page(score="1-2")
    assert _count(at) == 3
    assert at.select_slider(key="cm_score").options[:3] == ["1", "1,5", "2"], "no '1.0'"


def _sql_count(db: Path, where: str = "", params: list | None = None) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        last = con.execute("SELECT max(month) FROM feedback").fetchone()[0]
        first = date(last.year - 1, last.month, 1) if last.month == 12 else date(last.year - 1, last.month + 1, 1)
        sql = ("SELECT count(*) FROM feedback WHERE comment IS NOT NULL AND comment <> '' "
               "AND month BETWEEN ? AND ? " + where)
        return con.execute(sql, [first, last, *(params or [])]).fetchone()[0]


def test_demo_counts_equal_an_independent_sql_count_and_pages_do_not_overlap(demo_db):
    at = _comments_page()
    assert _count(at) == _sql_count(demo_db)
    first_page = at.dataframe[0].value
    assert len(first_page) == 50
    at.number_input(key="cm_page").set_value(2).run()
    second_page = at.dataframe[0].value
    assert len(second_page) == 50 and not first_page.equals(second_page)

    at = _comments_page(type="complaint")
    assert _count(at) == _sql_count(demo_db, "AND feedback_type = 'complaint'")


def test_pages_cover_the_selection_exactly_once(demo_db):
    from kokemus import comment_queries as cq
    from kokemus.filters import Filters

    f = Filters(start=date(2000, 1, 1), end=date(2100, 1, 1))
    total = cq.count_comments(f, cq.CommentFilters(), demo_db)
    seen = []
    for page in range(-(-total // 500)):
        seen += cq.comments_page(f, cq.CommentFilters(), page, 500, demo_db)["response_id"].tolist()
    assert len(seen) == len(set(seen)) == total


def test_theme_link_shows_the_comments_filed_under_it(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        theme = con.execute("SELECT theme FROM comment_tags GROUP BY theme ORDER BY count(*) DESC LIMIT 1").fetchone()
    if theme is None:
        pytest.skip("the demo warehouse has no theme tags")
    at = _comments_page(theme=theme[0])
    assert at.selectbox(key="cm_theme").value == theme[0]
    expected = _sql_count(demo_db, "AND list_contains(themes, ?)", [theme[0]])
    assert _count(at) == expected > 0
    from kokemus.comment_queries import theme_label
    label = theme_label(theme[0], "fi")
    assert label != theme[0], "the theme has a Finnish name in the catalogue"
    assert all(str(v).startswith(label) or f"; {label}" in str(v)
               for v in at.dataframe[0].value["Aiheet (tunnistetut sanat)"])


def test_a_person_corrects_themes_and_type_and_the_reason_says_so(tmp_db, tmp_path):
    """Issue 13 item 4: the correction form stores who/when/before/after, the table shows
    the new theme at once with "corrected by a person" as its reason."""
    day = date.today().replace(day=1).isoformat()
    _import(tmp_path, tmp_db, [_row(day, "Apotti kaatui kesken käynnin.", "", score="2")])
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        rid = con.execute("SELECT response_id FROM responses").fetchone()[0]
    at = _comments_page(comment=str(rid))
    form_themes = next(m for m in at.multiselect if m.key == f"cr_themes_{rid}")
    assert "digital" not in form_themes.value
    form_themes.set_value([*form_themes.value, "digital"])
    at.selectbox(key=f"cr_type_{rid}").set_value("complaint")
    next(b for b in at.button if "Tallenna" in b.label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Korjaus tallennettu" in s.value for s in at.success)
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        stored = con.execute("SELECT corrected_by, type_after, themes_after, themes_before FROM tag_corrections"
                             ).fetchall()
        ftype, source = con.execute("SELECT feedback_type, type_source FROM responses").fetchone()
    assert len(stored) == 1 and stored[0][1] == "complaint" and "digital" in stored[0][2]
    assert stored[0][0] and "digital" not in stored[0][3]
    assert (ftype, source) == ("complaint", "corrected")
    themes_cell = at.dataframe[0].value["Aiheet (tunnistetut sanat)"].iloc[0]
    from kokemus.comment_queries import theme_label
    assert f"{theme_label('digital', 'fi')}: korjattu käsin" in themes_cell


@pytest.mark.parametrize("lang,comment,saved,themes_col,reason", [
    ("en", "Apotti crashed during my visit.", "Correction saved", "Themes (words that triggered them)",
     "corrected by a person"),
    ("sv", "Apotti kraschade under mitt besök.", "Rättelsen sparad", "Teman (ord som utlöste dem)",
     "rättad för hand"),
], ids=["en", "sv"])
def test_the_correction_form_in_english_and_swedish(tmp_db, tmp_path, lang, comment, saved, themes_col, reason):
    """The same correction through the English and the Swedish UI, on a comment in that
    language: stored, applied at once, and the reason is in the UI's language."""
    from kokemus.comment_queries import theme_label
    from kokemus.i18n import t

    day = date.today().replace(day=1).isoformat()
    _import(tmp_path, tmp_db, [{**_row(day, comment, "", score="2"), "Kieli": lang}])
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        rid = con.execute("SELECT response_id FROM responses").fetchone()[0]
    at = open_app_page("comments", lang=lang, query_after_switch={"comment": str(rid)}, timeout=60)
    form_themes = next(m for m in at.multiselect if m.key == f"cr_themes_{rid}")
    assert "digital" not in form_themes.value
    form_themes.set_value([*form_themes.value, "digital"])
    at.selectbox(key=f"cr_type_{rid}").set_value("complaint")
    next(b for b in at.button if b.label == t("cr_save", lang)).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(saved in s.value for s in at.success), [s.value for s in at.success]
    with duckdb.connect(str(tmp_db), read_only=True) as con:
        stored = con.execute("SELECT corrected_by, corrected_at, type_before, type_after, themes_before, themes_after"
                             " FROM tag_corrections").fetchall()
        ftype, source = con.execute("SELECT feedback_type, type_source FROM responses").fetchone()
    assert len(stored) == 1
    who, when, type_before, type_after, themes_before, themes_after = stored[0]
    assert who and when is not None and type_after == "complaint"
    assert "digital" in themes_after and "digital" not in themes_before
    assert (ftype, source) == ("complaint", "corrected")
    cell = at.dataframe[0].value[themes_col].iloc[0]
    assert f"{theme_label('digital', lang)}: {reason}" in cell, cell


def test_a_shared_link_with_a_thousand_word_search_returns_promptly_with_a_reason(hostile_db):
    """A link may carry any ?q=: it is checked as a typed search is, so a pasted paragraph
    neither runs for minutes nor holds the warehouse; the reason is shown, nothing else."""
    import time

    words = " ".join(f"sana{i}" for i in range(1000))
    t0 = time.monotonic()
    at = _comments_page(q=words)
    assert time.monotonic() - t0 < 30
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("liian pitkä" in w or "liian monta sanaa" in w for w in warnings), warnings
    assert not at.dataframe                      # nothing was searched
    at.text_input(key="cm_text").input(" ".join(f"sana{i}" for i in range(9))).run()
    assert any("liian monta sanaa (9; enintään 8)" in w.value for w in at.warning)
    at.text_input(key="cm_text").input("pääsy").run()   # back within the bounds: results again
    assert sorted(_shown_comments(at)) == sorted([
        "Pääsy hoitoon kesti viikkoja, jonossa odotettiin", "PAASY päivystykseen oli nopea"])
