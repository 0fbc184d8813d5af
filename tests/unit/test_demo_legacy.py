"""The demo's pre-template files: written for real, parsed by the real ETL, and (once the
theme tagger is there) imported into a real DuckDB warehouse.

Expected counts are read from the written files with openpyxl / csv, never taken from the
generator, so a generator bug and a parser bug cannot cancel out.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from demo import area as demo
from demo import legacy as demo_legacy
from etl.parse import parse_file
from etl.detect.units import alias_key

SMALL = 0.02
D = dt.date
DEMO_KEYS = {alias_key(name): name for _, name in demo.UNITS}
THL_QUESTIONS = {"saatavuus", "kohtaaminen", "turvallisuus", "tiedonsaanti", "hyödyllisyys"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    paths = demo_legacy.write_legacy_samples(tmp_path_factory.mktemp("legacy"), seed=2026, scale=SMALL)
    return {p.name: p for p in paths}


@pytest.fixture(scope="module")
def parsed(files):
    return {name: parse_file(path) for name, path in files.items()}


def _resolved_units(frame) -> set[str]:
    """Canonical demo unit of every spelling in the frame (KeyError if one is unknown)."""
    return {DEMO_KEYS[alias_key(u)] for u in frame["unit_name"]}


# ------------------------------------------------------------------ the files themselves
def test_three_files_named_as_documented(files):
    assert set(files) == {"osasto_5b_palautteet_2022.xlsx", "hymiopaate_keskustan_ta_2022.xlsx",
                          "webropol_psykiatrian_poliklinikka_2022.csv"}
    assert all(p.stat().st_size > 0 for p in files.values())


def test_spellings_resolve_to_demo_units():
    assert DEMO_KEYS[alias_key("os. 5 B")] == "Osasto 5B"
    assert DEMO_KEYS[alias_key("Keskustan TA")] == "Keskustan terveysasema"
    assert "os. 5 B" != "Osasto 5B" and "Keskustan TA" not in DEMO_KEYS.values()


def _ward_data_rows(path: Path) -> dict[str, list[tuple]]:
    """Sheet -> typed rows between the "Pvm" header and the "Yhteensä" row."""
    wb = load_workbook(path)
    out = {}
    for ws in wb.worksheets[1:]:
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        start = next(i for i, r in enumerate(rows) if r[0] == "Pvm") + 1
        end = next(i for i, r in enumerate(rows) if r[0] == "Yhteensä")
        out[ws.title] = [r for r in rows[start:end] if any(v is not None for v in r)]
    return out


def test_ward_workbook_is_messy_as_promised(files):
    wb = load_workbook(files["osasto_5b_palautteet_2022.xlsx"])
    assert wb.sheetnames == ["Ohjeet", *demo_legacy.MONTH_SHEETS]
    tammi = wb["Tammi"]
    assert tammi["A1"].value == "Osasto 5B asiakaspalautteet 2022"
    assert any(str(m).startswith("A1:") for m in tammi.merged_cells.ranges)
    rows = _ward_data_rows(files["osasto_5b_palautteet_2022.xlsx"])
    assert rows["Tammi"][0][0].endswith(".1.")                  # "12.1.": no year
    assert isinstance(rows["Kesä"][0][0], dt.datetime)           # a real date cell
    assert rows["Joulu"][0][1] == "os. 5 B"                      # the autumn unit column
    assert rows["Helmi"][1][0] == "31.2."
    assert rows["Maalis"][0][1] == "?"
    last = [tuple(r) for r in wb["Tammi"].iter_rows(values_only=True)][-2:]
    assert [r[0] for r in last] == ["Yhteensä", "Keskiarvo"] and "," in str(last[1][1])


# ------------------------------------------------------------------ parsed by the ETL
def test_ward_workbook_parses(files, parsed):
    pf = parsed["osasto_5b_palautteet_2022.xlsx"]
    expected = _ward_data_rows(files["osasto_5b_palautteet_2022.xlsx"])
    assert pf.format == "legacy"
    used = {s.name: (s.period, s.rows) for s in pf.sheets if s.used}
    assert used == {name: (f"2022-{k + 1:02d}", len(expected[name]))
                    for k, name in enumerate(demo_legacy.MONTH_SHEETS)}
    assert [(s.name, s.reason) for s in pf.sheets if not s.used] == [("Ohjeet", "instructions")]
    f = pf.frame
    assert len(f) == sum(len(r) for r in expected.values()) >= 12 * demo_legacy.WARD_MIN_ROWS
    assert _resolved_units(f) == {"Osasto 5B"} and "os. 5 B" in set(f["unit_name"])
    assert f["month"].tolist() == sorted(f["month"]) and f["month"].min() == D(2022, 1, 1)
    assert f["month"].max() == D(2022, 12, 1)
    dates = [d for d in f["submitted_on"] if d is not None]
    assert {d.year for d in dates} == {2022} and len(dates) == len(f) - 1     # only 31.2. lost
    assert set(f["scale"].dropna()) == {"4-10"}
    assert set(f["feedback_type"].dropna()) == {"praise", "complaint", "suggestion", "question"}
    words = f[f["raw_score"].isin(["hyvä", "erittäin hyvä", "kohtalainen", "huono"])]
    assert len(words) > 0 and words["score_5"].notna().all()
    question_mark = f[f["raw_score"] == "?"]
    assert len(question_mark) == 1 and math.isnan(question_mark["score_5"].iloc[0])


def test_ward_rejects_name_the_bad_cells(parsed):
    pf = parsed["osasto_5b_palautteet_2022.xlsx"]
    got = sorted((r.sheet, r.column, r.value, r.code, r.row_kept) for r in pf.rejects)
    assert got == [("Helmi", "Pvm", "31.2.", "invalid_date", True),
                   ("Touko", "Arvosana (4-10)", "10+", "score_out_of_range", True)]
    assert all(r.fi and r.en and r.row for r in pf.rejects)
    f = pf.frame
    feb = f[(f["source_sheet"] == "Helmi") & f["submitted_on"].isna()]
    assert feb["month"].tolist() == [D(2022, 2, 1)]                   # the sheet's month kept


def _tally_cells(path: Path) -> tuple[int, list[str]]:
    """(sum of the numeric month cells, texts found where counts belong)."""
    ws = load_workbook(path).active
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "Kuukausi") + 1
    total, notes = 0, []
    for r in rows[start:]:
        if r[0] == "Yhteensä":
            break
        for v in r[1:5]:
            if isinstance(v, int):
                total += v
            elif v is not None:
                notes.append(v)
    return total, notes


def test_smiley_tally_parses(files, parsed):
    pf = parsed["hymiopaate_keskustan_ta_2022.xlsx"]
    total, notes = _tally_cells(files["hymiopaate_keskustan_ta_2022.xlsx"])
    assert pf.format == "tally"
    f = pf.frame
    assert len(f) == total > 0 and notes == ["huollossa"]
    assert f["counted"].all() and set(f["channel"]) == {"kiosk"}
    assert set(f["unit_name"]) == {"Keskustan TA"} and _resolved_units(f) == {"Keskustan terveysasema"}
    assert set(f["scale"]) == {"smiley4"}
    assert {m.year for m in f["month"]} == {2022}
    assert set(f["raw_score"]) <= set(demo_legacy.TALLY_BUTTONS)
    assert [(r.column, r.value, r.code, r.row_kept) for r in pf.rejects] == [
        ("Erittäin hyvä", "huollossa", "bad_count", True)]
    july = f[(f["month"] == D(2022, 7, 1)) & (f["raw_score"] == "Erittäin hyvä")]
    assert len(july) == 0


def _webropol_lines(path: Path) -> list[list[str]]:
    with path.open(encoding="cp1252", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_webropol_export_parses(files, parsed):
    path = files["webropol_psykiatrian_poliklinikka_2022.csv"]
    lines = _webropol_lines(path)
    assert lines[0][:2] == ["Vastaajan numero", "Vastausaika"]
    unfinished = [r for r in lines[1:] if r[1] == ""]
    pf = parsed[path.name]
    assert pf.format == "webropol"
    f = pf.frame
    assert len(f) == len(lines) - 1 - len(unfinished) >= 12 and len(unfinished) == 1
    assert _resolved_units(f) == {"Psykiatrian poliklinikka"}
    assert set(f["channel"]) == {"web"}
    assert f["external_id"].is_unique and f["external_id"].notna().all()
    assert f["month"].nunique() == 12 and {m.year for m in f["month"]} == {2022}
    assert f["nps"].dropna().between(0, 10).all() and f["nps"].notna().sum() > 0
    assert {a.question for a in pf.answers} == THL_QUESTIONS
    assert {a.row for a in pf.answers} == set(f["source_row"])
    assert [(r.column, r.code, r.row_kept) for r in pf.rejects] == [("Vastausaika", "no_period", False)]


def test_all_before_the_template_era(parsed):
    for pf in parsed.values():
        assert pf.frame["month"].max() < D(2023, 1, 1), pf.file_name


# ------------------------------------------------------------------ seed and scale
def test_same_seed_same_files_other_seed_other_files(tmp_path, files):
    again = demo_legacy.write_legacy_samples(tmp_path / "a", seed=2026, scale=SMALL)
    other = demo_legacy.write_legacy_samples(tmp_path / "b", seed=7, scale=SMALL)
    csv_name = "webropol_psykiatrian_poliklinikka_2022.csv"
    by_name = {p.name: p for p in again}
    assert by_name[csv_name].read_bytes() == files[csv_name].read_bytes()
    for name in ("osasto_5b_palautteet_2022.xlsx", "hymiopaate_keskustan_ta_2022.xlsx"):
        cells = lambda p: [[tuple(r) for r in ws.iter_rows(values_only=True)]
                           for ws in load_workbook(p).worksheets]
        assert cells(by_name[name]) == cells(files[name])
    assert {p.name: p for p in other}[csv_name].read_bytes() != files[csv_name].read_bytes()


def test_volumes_follow_scale(tmp_path):
    small = {p.name: p for p in demo_legacy.write_legacy_samples(tmp_path / "s", seed=1, scale=0.5)}
    large = {p.name: p for p in demo_legacy.write_legacy_samples(tmp_path / "l", seed=1, scale=1.0)}
    ratio = (_tally_cells(large["hymiopaate_keskustan_ta_2022.xlsx"])[0]
             / _tally_cells(small["hymiopaate_keskustan_ta_2022.xlsx"])[0])
    assert 1.8 < ratio < 2.2
    n_ward = lambda p: sum(len(r) for r in _ward_data_rows(p).values())
    ratio = n_ward(large["osasto_5b_palautteet_2022.xlsx"]) / n_ward(small["osasto_5b_palautteet_2022.xlsx"])
    assert 1.7 < ratio < 2.3


def test_generate_returns_the_legacy_files_last(tmp_path):
    paths = demo.generate(tmp_path, scale=SMALL, start=D(2026, 10, 1), end=D(2026, 10, 31))
    assert [p.name for p in paths[-3:]] == ["osasto_5b_palautteet_2022.xlsx",
                                            "hymiopaate_keskustan_ta_2022.xlsx",
                                            "webropol_psykiatrian_poliklinikka_2022.csv"]
    assert all(p.parent == tmp_path and p.exists() for p in paths)


# ------------------------------------------------------------------ end to end
def test_import_lands_on_existing_units(tmp_path):
    try:
        from etl.pipeline import import_files   # needs etl.themes.Tagger
    except ImportError as exc:
        pytest.skip(f"theme tagger not importable yet: {exc}")

    db_path = tmp_path / "kokemus.duckdb"
    paths = demo.generate(tmp_path / "files", scale=0.3, start=D(2026, 10, 1), end=D(2026, 10, 31))
    expected = {p.name: parse_file(p) for p in paths[-3:]}
    results = import_files(paths, db_path=db_path, organisation=demo.ORGANISATION)
    by_name = {r.file_name: r for r in results}
    assert all(r.status == "loaded" for r in results), [(r.file_name, r.error_en) for r in results]
    for name, pf in expected.items():
        r = by_name[name]
        assert r.new_units == [], name
        assert (r.format, r.rows_loaded, len(r.rejects)) == (pf.format, len(pf.frame), len(pf.rejects))
    with duckdb.connect(str(db_path), read_only=True) as con:
        counts = dict(con.execute(
            "SELECT u.name, count(*) FROM responses r JOIN units u USING (unit_id) "
            "WHERE r.month < DATE '2023-01-01' GROUP BY u.name").fetchall())
        n_units = con.execute("SELECT count(*) FROM units").fetchone()[0]
        answers = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    assert n_units == len(demo.UNITS)
    assert counts == {
        "Osasto 5B": len(expected["osasto_5b_palautteet_2022.xlsx"].frame),
        "Keskustan terveysasema": len(expected["hymiopaate_keskustan_ta_2022.xlsx"].frame),
        "Psykiatrian poliklinikka": len(expected["webropol_psykiatrian_poliklinikka_2022.csv"].frame)}
    assert answers == len(expected["webropol_psykiatrian_poliklinikka_2022.csv"].answers)
