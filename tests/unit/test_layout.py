"""Header scoring, data extent, period and unit clues, on in-memory grids."""
import datetime as dt

from etl.detect import layout, legacy
from etl.read.readers import RawSheet
from etl.detect.synonyms import match_field, month_from_word


def test_synonyms_fi_sv_en():
    assert match_field("Pvm")[0] == "submitted_on"
    assert match_field("Datum")[0] == "submitted_on"
    assert match_field("Arvio (1-5)")[0] == "score"
    assert match_field("Kouluarvosana")[0] == "score"
    assert match_field("Palautteen tyyppi")[0] == "feedback_type"
    assert match_field("Vapaa palaute")[0] == "comment"
    assert match_field("Kuinka todennäköisesti suosittelisit palvelua?")[0] == "nps"
    assert match_field("Vastaus toivottu")[0] == "wants_reply"
    assert match_field("Huone")[0] is None


def test_month_words():
    assert [month_from_word(w) for w in ("Maalis", "maaliskuu", "Joulu", "mars", "Oct", "elo")] == [3, 3, 12, 3, 10, 8]
    assert layout.period_from_text("Maalis", 2023) == (2023, 3)
    assert layout.period_from_text("Maaliskuu 2024") == (2024, 3)
    assert layout.period_from_text("03/2023") == (2023, 3)
    assert layout.period_from_text("Taul1") is None


def test_units_from_text():
    assert layout.unit_from_text("Asiakaspalaute – Osasto 5B – 2023") == "Osasto 5B"
    assert layout.unit_from_text("5B") == "5B"
    assert layout.unit_from_text("Päivystys – hymiöt 2023") == "Päivystys"
    assert layout.unit_from_text("Palautteet 2023") is None


def test_header_below_title_rows():
    rows = [["Palautteet 2023", "Palautteet 2023", "Palautteet 2023"], [None] * 3,
            ["Pvm", "Arvio", "Kommentti"], ["1.1.2023", 5, "x"]]
    assert layout.find_header_row(rows) == 2
    assert layout.find_header_row([["a", "b"], [1, 2]]) is None


def test_data_ends_at_totals():
    rows = [["Pvm", "Arvio"], ["1.1.2023", 5], [None, None], ["2.1.2023", 4], ["Yht.", 9], ["3.1.2023", 1]]
    assert layout.find_data_end(rows, 1) == 4


def _sheet(name, rows):
    return RawSheet(name, False, rows, [])


def test_row_without_date_or_period_is_rejected():
    s = _sheet("Taul1", [["Pvm", "Yksikkö", "Arvio"], ["1.2.2023", "Os 1", 4], ["31.2.2023", "Os 1", 3],
                         [None, "Os 1", 2], ["5.2.2023", "Os 1", "kymmenen"]])
    plan = layout.plan_sheet(s, "x.xlsx")
    cols, _, rejects = legacy.build_records(s, plan)
    assert cols["source_row"] == [2, 5]
    assert cols["score_5"] == [4.0, None] or str(cols["score_5"][1]) == "nan"
    got = [(r.row, r.column, r.row_kept) for r in rejects]
    assert (3, "Pvm", False) in got and (4, "Pvm", False) in got
    assert (5, "Arvio", True) in got
    assert cols["raw_score"][1] == "kymmenen"


def test_period_from_sheet_name_and_title_year():
    s = _sheet("Maalis", [["Kysely 2023"], ["Arvio", "Palaute"], [5, "hyvä"]])
    plan = layout.plan_sheet(s, "os5.xlsx")
    assert plan.period == dt.date(2023, 3, 1) and plan.header_row == 1
    cols, _, _ = legacy.build_records(s, plan)
    assert cols["month"] == [dt.date(2023, 3, 1)]


def test_instruction_sheet_skipped():
    assert layout.plan_sheet(_sheet("Täyttöohje", [["Pvm", "Arvio"], ["1.1.2023", 5]]), "x") == "instructions"
