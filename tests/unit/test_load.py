"""Template import end to end into a real warehouse: counts, values, identity, undo, rebuild."""
import os
import stat
from datetime import date

import pytest

from etl import pipeline
from kokemus import db
from tests.conftest import write_template_csv

ROWS = [
    {"Päivämäärä": "15.3.2024", "Yksikkö": "Osasto 5B", "Palvelualue": "Vuodeosastot", "Kanava": "paperi",
     "Kieli": "fi", "Arvio": "5", "Asteikko": "1-5", "Tyyppi": "kiitos", "Palaute": "Kiitos ihanille hoitajille!"},
    {"Päivämäärä": "2024-03-16", "Yksikkö": "os. 5 B", "Arvio": "8", "Asteikko": "4-10", "Suosittelu": "9",
     "Tyyppi": "moite", "Palaute": "Jonotin päivystyksessä kuusi tuntia.", "Vastaus toivottu": "kyllä"},
    {"Päivämäärä": "31.2.2024", "Yksikkö": "Osasto 5B", "Arvio": "4"},          # impossible date
    {"Päivämäärä": "17.3.2024", "Yksikkö": "Osasto 5B", "Arvio": "kuusi", "Palaute": "Soittakaa 040 123 4567"},
    {"Päivämäärä": "17.3.2024", "Yksikkö": "Osasto 5B", "Arvio": "9"},          # out of 1-5
    {"Päivämäärä": "18.4.2024", "Yksikkö": "Keskustan terveysasema", "Arvio": "4,5", "Suosittelu": "6"},
]


@pytest.fixture
def template_file(tmp_path):
    return write_template_csv(tmp_path / "palautteet.csv", ROWS)


def test_template_import_counts_values_and_rejects(tmp_db, template_file):
    r = pipeline.import_file(template_file, db_path=tmp_db)
    assert r.status == "loaded", r.error_en
    assert (r.rows_read, r.rows_loaded, r.rows_rejected, r.cells_rejected) == (6, 5, 1, 2)
    assert r.redactions == 1
    assert sorted(r.new_units) == ["Keskustan terveysasema", "Osasto 5B"]
    with db.connect(tmp_db) as con:
        rows = con.execute("SELECT unit, submitted_on, month, score_5, raw_score, nps, feedback_type, "
                           "wants_reply, comment, source_row FROM feedback ORDER BY source_row").fetchall()
        rejected = con.execute("SELECT source_row, column_name, reason_code, row_kept FROM rejected_rows "
                               "ORDER BY source_row").fetchall()
    assert [x[0] for x in rows] == ["Osasto 5B"] * 4 + ["Keskustan terveysasema"]  # alias merged
    assert rows[0][1] == date(2024, 3, 15) and rows[0][2] == date(2024, 3, 1)
    assert rows[0][3] == 5.0
    assert rows[1][3] == pytest.approx(1 + 4 * 4 / 6)  # 8 on 4-10
    assert rows[1][5] == 9 and rows[1][6] == "complaint" and rows[1][7] is True
    assert rows[2][3] is None and rows[2][4] == "kuusi" and "[PUHELIN]" in rows[2][8]
    assert rows[4][3] == 4.5
    assert rejected == [(4, "Päivämäärä", "invalid_date", False), (5, "Arvio", "score_unreadable", True),
                        (6, "Arvio", "score_out_of_range", True)]


def test_reimport_loads_nothing_twice(tmp_db, template_file, tmp_path):
    first = pipeline.import_file(template_file, db_path=tmp_db)
    again = pipeline.import_file(template_file, db_path=tmp_db)
    assert again.status == "already_imported" and again.batch_id == first.batch_id
    # the same rows plus one new in other bytes, without response ids and with only one
    # sentence-long comment: nothing shows it is a re-export rather than five more people
    # (tests/unit/test_duplicates.py), so the rows are kept and the result says so
    overlap = write_template_csv(tmp_path / "uusi.csv", ROWS + [
        {"Päivämäärä": "19.4.2024", "Yksikkö": "Osasto 5B", "Arvio": "3"}], sep=",")
    r = pipeline.import_file(overlap, db_path=tmp_db)
    assert (r.rows_loaded, r.rows_duplicate) == (6, 0)
    assert [(g.batch_id, g.rows) for g in r.identical_kept] == [(first.batch_id, 5)]
    with db.connect(tmp_db) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchone()[0] == 11


def test_identical_rows_in_one_file_stay_separate(tmp_db, tmp_path):
    same = {"Päivämäärä": "1.5.2024", "Yksikkö": "Osasto 3A", "Arvio": "5"}
    f = write_template_csv(tmp_path / "tally.csv", [same] * 12)
    assert pipeline.import_file(f, db_path=tmp_db).rows_loaded == 12


def test_rollups_follow_imports_and_undo(tmp_db, template_file):
    r = pipeline.import_file(template_file, db_path=tmp_db)
    with db.connect(tmp_db) as con:
        assert con.execute("SELECT sum(responses), sum(scored), sum(satisfied) FROM monthly_rollup").fetchone() \
            == (5, 3, 2)  # 5; 8 on 4-10 = 3.67; 4.5
    removed = pipeline.undo(r.batch_id, db_path=tmp_db)
    assert removed == 5
    with db.connect(tmp_db) as con:
        assert con.execute("SELECT count(*) FROM responses").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM monthly_rollup").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM rejected_rows").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 0
        assert con.execute("SELECT status FROM import_batches").fetchone()[0] == "undone"
    again = pipeline.import_file(template_file, db_path=tmp_db)
    assert again.status == "loaded" and again.rows_loaded == 5


def test_archive_is_private_and_rebuild_recreates(tmp_db, template_file, tmp_path):
    r = pipeline.import_file(template_file, db_path=tmp_db)
    archived = r.parsed and pipeline.archive.replay_plan(tmp_db)
    assert len(archived) == 1
    from kokemus import config
    root = config.archive_dir(tmp_db)
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
    stored = root / archived[0]["hash"][:2] / archived[0]["hash"]
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    with db.connect(tmp_db) as con:
        before = con.execute("SELECT unit, month, score_5, comment FROM feedback ORDER BY ALL").fetchall()
    results = pipeline.rebuild(db_path=tmp_db)
    assert [x.status for x in results] == ["loaded"]
    with db.connect(tmp_db) as con:
        after = con.execute("SELECT unit, month, score_5, comment FROM feedback ORDER BY ALL").fetchall()
    assert after == before


def test_failure_leaves_nothing_partial(tmp_db, tmp_path):
    bad = tmp_path / "rikki.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    r = pipeline.import_file(bad, db_path=tmp_db)
    assert r.status == "failed" and "rikki.xlsx" in r.error_fi
    with db.connect(tmp_db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 0


def test_themes_and_inferred_type_are_stored(tmp_db, tmp_path):
    f = write_template_csv(tmp_path / "t.csv", [
        {"Päivämäärä": "1.6.2024", "Yksikkö": "Päivystys", "Palaute": "Odotusaika oli aivan liian pitkä."},
        {"Päivämäärä": "1.6.2024", "Yksikkö": "Päivystys", "Tyyppi": "kiitos",
         "Palaute": "Odotusaika oli aivan liian pitkä."},
    ])
    pipeline.import_file(f, db_path=tmp_db)
    with db.connect(tmp_db) as con:
        rows = con.execute("SELECT feedback_type, type_source, themes FROM feedback ORDER BY source_row").fetchall()
    assert rows[0] == ("complaint", "inferred", ["access"])
    assert rows[1][:2] == ("praise", "source")  # an explicit type always wins


def test_na_and_null_comments_stay_text_and_an_error_cell_is_rejected(tmp_db, tmp_path):
    words = ["NA", "null", "N/A", "NULL", "nan", "#N/A"]
    f = write_template_csv(tmp_path / "na.csv", [
        {"Päivämäärä": f"{d}.6.2024", "Yksikkö": "Osasto 5B", "Arvio": "4", "Palaute": w}
        for d, w in enumerate(words, start=1)])
    r = pipeline.import_file(f, db_path=tmp_db)
    assert r.status == "loaded" and r.rows_loaded == 6
    with db.connect(tmp_db) as con:
        comments = [c for (c,) in con.execute("SELECT comment FROM responses ORDER BY source_row").fetchall()]
        rejected = con.execute("SELECT source_row, reason_code, row_kept FROM rejected_rows").fetchall()
    assert comments == words[:5] + [None]
    assert rejected == [(7, "formula_error", True)]


def _registry(tmp_db):
    with db.connect(tmp_db) as con:
        return (con.execute("SELECT name FROM units ORDER BY name").fetchall(),
                con.execute("SELECT alias_key, alias FROM unit_aliases ORDER BY alias_key").fetchall(),
                con.execute("SELECT unit, month, score_5, comment FROM feedback ORDER BY ALL").fetchall())


def test_undo_keeps_the_spellings_of_a_unit_a_later_batch_uses(tmp_db, tmp_path):
    """A unit stays when a later batch has rows in it, so its spellings stay with it: undo
    used to delete every alias the batch had taught, the unit's own name included, and
    re-importing the file then failed on the units insert. Undoing the later batch too
    removes the unit the undone batch left behind."""
    first = write_template_csv(tmp_path / "maalis.csv", [
        {"Päivämäärä": "15.3.2024", "Yksikkö": "Osasto 9", "Arvio": "5", "Palaute": "Hyvä hoito"},
        {"Päivämäärä": "16.3.2024", "Yksikkö": "os. 9", "Arvio": "3"}])
    later = write_template_csv(tmp_path / "huhti.csv", [
        {"Päivämäärä": "15.4.2024", "Yksikkö": "Osasto 9", "Arvio": "4", "Palaute": "Odotin kauan"}])
    a = pipeline.import_file(first, db_path=tmp_db)
    b = pipeline.import_file(later, db_path=tmp_db)
    assert a.status == b.status == "loaded"
    before = _registry(tmp_db)
    assert pipeline.undo(a.batch_id, db_path=tmp_db) == 2
    units, aliases, rows = _registry(tmp_db)
    assert units == before[0] and aliases == before[1], "the unit and all its spellings stay"
    assert len(rows) == 1
    again = pipeline.import_file(first, db_path=tmp_db)
    assert again.status == "loaded" and again.rows_loaded == 2
    assert _registry(tmp_db) == before, "undo, then the same file again: as before"
    pipeline.undo(again.batch_id, db_path=tmp_db)
    pipeline.undo(b.batch_id, db_path=tmp_db)
    assert _registry(tmp_db) == ([], [], []), "no unit is left with no batch behind it"
