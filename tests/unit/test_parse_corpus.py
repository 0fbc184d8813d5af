"""Every corpus file parsed end to end: exact counts, values, units, periods, rejects."""
import datetime as dt

import pandas as pd
import pytest

from etl.contract import CANONICAL_COLUMNS, ImportError_
from etl.parse import parse_file
from tests import corpus

D = dt.date


def _parse(tmp_path, writer, **kw):
    return parse_file(writer(tmp_path), **kw)


def test_month_sheets(tmp_path):
    pf = _parse(tmp_path, corpus.month_sheets)
    assert pf.format == "legacy"
    assert list(pf.frame.columns) == list(CANONICAL_COLUMNS)
    used = {s.name: (s.unit, s.period, s.rows, s.header_row) for s in pf.sheets if s.used}
    assert used == {"Tammi": ("Osasto 5B", "2023-01", 4, 3), "Helmi": ("Osasto 5B", "2023-02", 2, 3),
                    "Maalis": ("Osasto 5B", "2023-03", 2, 3)}
    skipped = {s.name for s in pf.sheets if not s.used}
    assert skipped == {"Ohje", "Kaavio"}
    f = pf.frame
    assert len(f) == 8 and set(f["unit_name"]) == {"Osasto 5B"}
    assert f["submitted_on"].tolist()[:2] == [D(2023, 1, 12), D(2023, 1, 15)]   # "12.1." + title year
    assert f["month"].tolist() == [D(2023, 1, 1)] * 4 + [D(2023, 2, 1)] * 2 + [D(2023, 3, 1)] * 2
    assert f["source_row"].tolist() == [4, 5, 6, 8, 4, 5, 4, 5]                 # blank row 7 skipped
    assert f["feedback_type"].tolist()[:6] == ["praise", "praise", "complaint", "suggestion",
                                                "praise", "complaint"]
    assert f["score_5"].tolist()[:3] == [5.0, 4.0, 3.0]
    assert not f["counted"].any()
    # 31.2. and "xx" are unusable dates, but the sheet names the month: rows kept, cells rejected.
    bad = sorted((r.sheet, r.row, r.column, r.value, r.row_kept) for r in pf.rejects)
    assert bad == [("Maalis", 5, "Pvm", "xx", True), ("Tammi", 6, "Pvm", "31.2.", True)]
    assert all(r.fi and r.en for r in pf.rejects)
    assert pf.header_signature


def test_unit_per_sheet(tmp_path):
    pf = _parse(tmp_path, corpus.unit_sheets)
    assert pf.frame["unit_name"].tolist() == ["Osasto 5B", "Osasto 5B", "os. 5 C", "Avdelning 7"]
    assert pf.frame["raw_score"].tolist() == ["9", "7", "10", "8"]
    assert pf.frame["scale"].tolist() == ["4-10"] * 4
    assert pf.frame["score_5"].round(3).tolist() == [4.333, 3.0, 5.0, 3.667]
    assert pf.frame["comment"].tolist()[-1] == "Bra bemötande."


def test_unit_column_and_reply(tmp_path):
    pf = _parse(tmp_path, corpus.unit_column)
    f = pf.frame
    assert f["unit_name"].tolist() == ["Osasto 5B", "os. 5 B", "5B"]
    assert f["nps"].tolist() == [10, 8, 2]
    assert f["wants_reply"].tolist() == [False, True, True]
    assert f["score_5"].tolist() == [5.0, 4.0, 1.0]


def test_wide_questions_to_answers(tmp_path):
    pf = _parse(tmp_path, corpus.wide_questions)
    assert pf.frame["unit_name"].tolist() == ["Terveysasema Keskusta"] * 2
    assert pf.frame["comment"].tolist() == ["Hyvä palvelu.", None]
    got = sorted((a.row, a.question, a.raw_value, a.value) for a in pf.answers)
    assert got == [(3, "Henkilökunta oli ystävällistä", "5", 5.0), (3, "Odotusaika oli kohtuullinen", "3", 3.0),
                   (4, "Henkilökunta oli ystävällistä", "4", 4.0), (4, "Odotusaika oli kohtuullinen", "2", 2.0)]


def test_tally_expands_counts(tmp_path):
    pf = _parse(tmp_path, corpus.tally_sheet)
    assert pf.format == "tally"
    f = pf.frame
    assert len(f) == 12 and f["counted"].all()
    assert set(f["channel"]) == {"kiosk"} and set(f["unit_name"]) == {"Päivystys"}
    per_month = f.groupby("month").size().to_dict()
    assert per_month == {D(2023, 1, 1): 6, D(2023, 2, 1): 3, D(2023, 3, 1): 3}
    assert f["raw_score"].value_counts().to_dict() == {"Erittäin hyvä": 6, "Hyvä": 2, "Huono": 2,
                                                       "Erittäin huono": 2}
    assert f.loc[f["raw_score"] == "Hyvä", "score_5"].unique().tolist() == [4.0]  # satisfied
    assert [(r.row, r.column, r.value, r.row_kept) for r in pf.rejects] == [(5, "Hyvä", "n/a", True)]


def test_unknown_layout_explains(tmp_path):
    with pytest.raises(ImportError_) as e:
        _parse(tmp_path, corpus.unknown_layout)
    assert e.value.code == "unknown_layout"
    assert e.value.details["columns"] == ["Kerta", "Huone", "Merkintä"]
    assert e.value.details["missing"] == ["submitted_on"]   # "Merkintä" holds free text: a comment
    assert "--map" not in e.value.en and "Kerta" in e.value.fi   # the CLI adds its own hint


def test_unknown_layout_mapped(tmp_path):
    path = corpus.unknown_layout(tmp_path)
    with pytest.raises(ImportError_) as e:
        parse_file(path, mapping={"Merkintä": "comment"}, unit="Huolto")   # still no date
    assert e.value.details["missing"] == ["submitted_on"]


@pytest.mark.parametrize("writer, fmt, units, months, ids", [
    (corpus.webropol_xlsx, "webropol", ["Osasto 12"] * 2, [D(2024, 10, 1)] * 2, ["101", "102"]),
    (corpus.msforms, "msforms", ["Ward 3"] * 2, [D(2024, 6, 1)] * 2, ["1", "2"]),
    (corpus.googleforms, "googleforms", ["Terveysasema Pohjoinen"] * 2, [D(2024, 7, 1)] * 2, [None, None]),
    (corpus.qualtrics, "qualtrics", ["Neuvola Etelä"] * 2, [D(2024, 8, 1)] * 2, ["R_abc1", "R_abc2"]),
    (corpus.redcap, "redcap", ["Poliklinikka 2"] * 2, [D(2024, 9, 1)] * 2, ["1", "2"]),
    (corpus.happyornot, "happyornot", ["Päivystys aula"] * 3, [D(2024, 10, 1)] * 3, [None] * 3),
    (corpus.fft, "fft", ["Ward 10"] * 3, [D(2024, 3, 1)] * 3, [None] * 3),
    (corpus.thl, "thl", ["Terveysasema Länsi"] * 2, [D(2024, 11, 1)] * 2, [None] * 2),
])
def test_survey_exports(tmp_path, writer, fmt, units, months, ids):
    pf = _parse(tmp_path, writer)
    assert pf.format == fmt
    assert pf.frame["unit_name"].tolist() == units
    assert pf.frame["month"].tolist() == months
    assert pf.frame["external_id"].tolist() == ids
    assert pf.rejects == []


def test_export_values(tmp_path):
    q = _parse(tmp_path, corpus.qualtrics).frame
    assert q["nps"].tolist() == [10, 6] and q["source_row"].tolist() == [4, 5]
    assert q["submitted_on"].tolist() == [D(2024, 8, 5), D(2024, 8, 6)]
    h = _parse(tmp_path, corpus.happyornot).frame
    assert h["scale"].tolist() == ["smiley4"] * 3 and h["channel"].tolist() == ["kiosk"] * 3
    assert h["score_5"].round(3).tolist() == [5.0, 2.0, 4.0]
    f = _parse(tmp_path, corpus.fft).frame
    assert f["raw_score"].tolist() == ["Very good", "Don't know", "Very poor"]
    assert f["score_5"].tolist()[0] == 5.0 and pd.isna(f["score_5"].tolist()[1])
    assert f["comment"].tolist() == ["Lovely nurses", None, "Cold food"]
    m = _parse(tmp_path, corpus.msforms).frame
    assert m["nps"].tolist() == [9, 4] and m["channel"].tolist() == ["web", "web"]
    t = parse_file(corpus.thl(tmp_path))
    assert sorted({a.question for a in t.answers}) == ["kohtaaminen", "saatavuus", "turvallisuus"]
    assert t.frame["nps"].tolist() == [9, 3]


def test_webropol_csv_unit_from_the_file_name(tmp_path):
    path = corpus.webropol_csv(tmp_path)
    pf = parse_file(path)
    assert set(pf.frame["unit_name"]) == {"Osasto 12"}
    renamed = path.rename(tmp_path / "webropol_export.csv")
    with pytest.raises(ImportError_) as e:
        parse_file(renamed)
    assert e.value.code == "no_unit"
    pf = parse_file(renamed, unit="Osasto 12")
    assert pf.format == "webropol"
    assert pf.frame["external_id"].tolist() == ["201", "202"]
    assert pf.frame["comment"].tolist() == ["Ystävällinen henkilökunta", "Jonotin tunnin"]
