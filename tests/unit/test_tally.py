"""Tally sheets: counts per answer per month become counted responses."""
import datetime as dt

from etl.detect import legacy, tally
from etl.read.readers import RawSheet


def test_answer_words_and_scales():
    assert tally.answer_rank("Erittäin hyvä") == 5 and tally.answer_rank("Don't know") == 0
    assert tally.answer_rank("mycket dålig") == 1 and tally.answer_rank("Kiitos") is None
    scale, scores = tally.level_scores({1, 2, 4, 5})
    assert scale == "smiley4" and [scores[k] for k in (1, 2, 4, 5)] == [1.0, 2.0, 4.0, 5.0]
    scale, scores = tally.level_scores({0, 1, 2, 3, 4, 5})
    assert scale == "words" and scores[4] == 4.0 and scores[0] is None


def test_tally_sheet_in_memory():
    rows = [["Kuukausi", "Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"],
            ["Tammikuu", 2, 1, 0, 0, 1, 1],
            ["Helmikuu", 0, "", 1, 0, 0, 0],
            ["Total", 2, 1, 1, 0, 1, 1]]
    s = RawSheet("FFT 2024", False, rows, [])
    header = tally.find_tally_header(rows)
    assert header == 0
    plan = tally.plan_tally(s, header, "ward10.xlsx")
    assert plan.year_hint == 2024 and plan.data_end == 3
    cols, _, rejects = legacy.build_records(s, plan, default_unit="Ward 10")
    assert rejects == []
    assert cols["month"] == [dt.date(2024, 1, 1)] * 5 + [dt.date(2024, 2, 1)]
    assert cols["score_5"] == [5.0, 5.0, 4.0, 1.0, None, 3.0]
    assert cols["counted"] == [True] * 6 and cols["unit_name"] == ["Ward 10"] * 6
    assert cols["source_row"] == [2, 2, 2, 2, 2, 3]


def test_tally_row_without_period_rejected():
    rows = [["Kuukausi", "Hyvä", "Huono"], ["???", 3, 1], ["Maalis", 1, 0]]
    s = RawSheet("Hymiöt 2022", False, rows, [])
    plan = tally.plan_tally(s, 0, "x.xlsx")
    cols, _, rejects = legacy.build_records(s, plan, default_unit="A")
    assert cols["month"] == [dt.date(2022, 3, 1)]
    assert [(r.row, r.code, r.row_kept) for r in rejects] == [(2, "no_period", False)]
