"""One named test per class of real file the import must take (issue 9), each on a file
written here the way a nurse or a platform writes it, with exact counts."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from etl.contract import ImportError_
from etl.detect import units as unit_registry
from etl.detect.periods import is_period_name
from etl.detect.unit_names import device_channel, find_unit
from etl.parse import parse_file
from etl.pipeline import import_file, preview_file, remember_profile, undo
from kokemus import db as kdb

ROOT = Path(__file__).resolve().parents[2]


def workbook(path: Path, sheets: dict[str, list[list]], hidden_cols: dict[str, str] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        for col in (hidden_cols or {}).get(name, ""):
            ws.column_dimensions[col].hidden = True
    wb.save(path)
    return path


def rows(db: Path, sql: str, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def simple(title: str | None, n: int = 3, header=("Pvm", "Arvio", "Palaute")) -> list[list]:
    out = [[title], []] if title else []
    out.append(list(header))
    for d in range(1, n + 1):
        out.append([f"{d}.3.2024", 1 + d % 5, f"Käynti numero {d} sujui hyvin."])
    return out


# ------------------------------------------------------------------- 1. detection

@pytest.mark.parametrize("text, file_name, unit", [
    ("Keuhkotautiosasto 2 – palautteet 2021", False, "Keuhkotautiosasto 2"),
    ("Ortopedian vuodeosasto 6", False, "Ortopedian vuodeosasto 6"),
    ("Silmätautipoliklinikka – asiakaspalaute", False, "Silmätautipoliklinikka"),
    ("osasto7C_2021.xlsx", True, "Osasto 7C"),
    ("ta_pohjoinen_2022.xlsx", True, "TA Pohjoinen"),
    ("TK-osasto 3", False, "TK-osasto 3"),
    ("Os 9", False, "Os 9"),
    ("Avdelning 7 – respons 2023", False, "Avdelning 7"),
])
def test_unit_from_compound_and_glued_names(text, file_name, unit):
    assert find_unit(text, from_file_name=file_name).name == unit


def test_unit_from_title_with_its_reason(tmp_path):
    path = workbook(tmp_path / "palautteet.xlsx", {"Taul1": simple("Keuhkotautiosasto 2 – palautteet 2021")})
    pf = parse_file(path)
    assert set(pf.frame["unit_name"]) == {"Keuhkotautiosasto 2"} and len(pf.frame) == 3
    keys = [k for k, _ in pf.sheets[0].decisions]
    assert "detect_unit_from_title" in keys


def test_registry_unit_in_a_title_is_the_unit(tmp_path):
    known = {unit_registry.alias_key("Keuhkotautiosasto 2"): "Keuhkotautiosasto 2"}
    path = workbook(tmp_path / "x.xlsx", {"Taul1": simple("Palautteet keuhkotautiosasto 2:lta 2024")})
    pf = parse_file(path, known_units=known)
    assert set(pf.frame["unit_name"]) == {"Keuhkotautiosasto 2"}


@pytest.mark.parametrize("name", ["Q1", "1. neljännes", "tammi-maalis", "kvartal 2", "H2 2023", "2024",
                                  "Maalis (2)", "Tammikuu 2023"])
def test_period_sheet_names_are_never_units(name):
    assert is_period_name(name)


def test_quarter_and_device_sheets_do_not_become_units(tmp_path):
    path = workbook(tmp_path / "os.xlsx", {
        "Q1": simple("Osasto 5B – palautteet 2024", 2),
        "Q2": simple("Osasto 5B – palautteet 2024", 4),
        "Hymiölaite": [["Osasto 5B"], ["Pvm", "Hymiö"], ["3.3.2024", "Erittäin hyvä"], ["4.3.2024", "Huono"]],
    })
    pf = parse_file(path)
    assert set(pf.frame["unit_name"]) == {"Osasto 5B"}
    assert len(pf.frame) == 8
    assert device_channel("Hymiölaite") == "kiosk" and device_channel("HappyOrNot") == "kiosk"
    kiosk = pf.frame[pf.frame["source_sheet"] == "Hymiölaite"]
    assert kiosk["channel"].tolist() == ["kiosk", "kiosk"]


def test_copied_sheet_loads_once(tmp_path):
    data = simple("Osasto 5B 2024", 5)
    path = workbook(tmp_path / "os5b.xlsx", {"Maalis": data, "Maalis (2)": [list(r) for r in data]})
    pf = parse_file(path)
    assert len(pf.frame) == 5
    copy = next(s for s in pf.sheets if s.name == "Maalis (2)")
    assert not copy.used and copy.reason == "copy" and copy.copy_of == "Maalis"


def test_date_only_label_only_rows_are_not_responses(tmp_path):
    data = simple("Osasto 5B 2024", 4)
    data += [["20.3.2024", None, None], ["21.3.2024", None, None], ["Vastaajia", 4, None], ["Ka.", 3.5, None]]
    pf = parse_file(workbook(tmp_path / "a.xlsx", {"Maalis": data}))
    assert len(pf.frame) == 4 and pf.rejects == []
    skipped = pf.sheets[0].skipped_rows
    assert skipped == {"date_only": 2, "below_totals": 2}


def test_columns_recognised_from_values(tmp_path):
    known = {unit_registry.alias_key("Kirurgian poliklinikka"): "Kirurgian poliklinikka"}
    rows_ = [["Kirjattu", "Paikka", "Teksti"]]
    for d in range(1, 6):
        rows_.append([dt.datetime(2024, 6, d, 10), "Kirurgian poliklinikka", f"Palaute numero {d} hoidosta."])
    pf = parse_file(workbook(tmp_path / "x.xlsx", {"Taul1": rows_}), known_units=known)
    cols = pf.sheets[0].columns
    assert cols == {"Kirjattu": "submitted_on", "Paikka": "unit", "Teksti": "comment"}
    keys = [k for k, _ in pf.sheets[0].decisions]
    assert keys.count("detect_col_dates") == 1 and "detect_col_units" in keys and "detect_col_text" in keys
    assert len(pf.frame) == 5 and set(pf.frame["unit_name"]) == {"Kirurgian poliklinikka"}


def test_question_text_headers_and_wants_reply_variants(tmp_path):
    header = ["Vastauspäivä", "Millä terveysasemalla asioit?", "Miten tyytyväinen olit saamaasi palveluun?",
              "Kerro vapaasti kokemuksestasi", "Haluan, että minuun otetaan yhteyttä"]
    data = [header] + [[f"{d}.4.2024", "Keskustan terveysasema", 1 + d % 5, f"Asiointi {d} sujui.",
                        "Kyllä" if d == 1 else "Ei"] for d in range(1, 5)]
    pf = parse_file(workbook(tmp_path / "k.xlsx", {"Vastaukset": data}))
    assert list(pf.sheets[0].columns.values()) == ["submitted_on", "unit", "score", "comment", "wants_reply"]
    assert pf.frame["wants_reply"].tolist() == [True, False, False, False]


@pytest.mark.parametrize("header, yes, no", [
    ("Vastaus toivottu (k/e)", "k", "e"), ("Yhteydenottopyyntö", "x", None),
    ("Vill bli kontaktad", "Ja", "Nej"), ("Haluan, että minuun otetaan yhteyttä", "Kyllä", "Ei"),
])
def test_wants_reply_variants(tmp_path, header, yes, no):
    data = [["Datum", "Typ av feedback", "Kommentar", header],
            ["3.4.2024", "beröm", "Bra bemötande av personalen.", yes],
            ["4.4.2024", "klagomål", "Lång väntetid på akuten.", no]]
    pf = parse_file(workbook(tmp_path / "avdelning7.xlsx", {"Blad1": data}))
    assert pf.frame["feedback_type"].tolist() == ["praise", "complaint"]
    assert pf.frame["wants_reply"].tolist()[0] is True
    assert set(pf.frame["unit_name"]) == {"Avdelning 7"}


def test_two_row_header_far_header_blank_and_hidden_columns(tmp_path):
    top = [[f"Ohjerivi {i}: kirjaa lomakkeet huolellisesti."] for i in range(40)]
    group = ["Taustatiedot", "Taustatiedot", None, "Arviot", "Arviot", "Vapaa sana"]
    header = ["Pvm", "Yksikkö", None, "Yleisarvio", "Apu", None]
    data = [[f"{d}.5.2024", "Osasto 6C", None, 1 + d % 5, d * 10, f"Kommentti numero {d} tästä."]
            for d in range(1, 7)]
    path = workbook(tmp_path / "lomakkeet.xlsx", {"Taul1": top + [group, header] + data}, {"Taul1": "E"})
    pf = parse_file(path)
    s = pf.sheets[0]
    assert s.header_row == 42 and len(pf.frame) == 6
    assert s.columns["Vapaa sana"] == "comment" and s.columns["Yleisarvio"] == "score"
    assert s.not_imported == {"Apu": "unrecognised"}
    keys = [k for k, _ in s.decisions]
    assert "detect_two_row_header" in keys and "detect_header_far" in keys


def test_mixed_date_conventions_counted_as_assumed(tmp_path):
    lines = ["Date,Ward,Rating,Comments"]
    lines += [f"{d}/03/2024,Ward 10,4,Kind staff and quick care" for d in range(13, 29)]   # 16 day-first
    lines += ["03/14/2024,Ward 10,2,Long wait", "03/15/2024,Ward 10,3,Ok visit"]          # 2 month-first
    lines += [f"0{d}/04/2024,Ward 10,5,Great nurses" for d in (2, 3, 5)]                  # 3 ambiguous
    path = tmp_path / "trust.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = import_file(path, db_path=tmp_path / "k.duckdb")
    assert r.status == "loaded" and r.rows_loaded == 21 and r.rows_rejected == 0
    assert r.dates_assumed == 3
    assert rows(tmp_path / "k.duckdb", "SELECT dates_assumed FROM import_batches")[0][0] == 3
    assert rows(tmp_path / "k.duckdb", "SELECT count(*) FROM responses WHERE month = DATE '2024-04-01'")[0][0] == 3


def test_google_forms_us_timestamps_whole_column(tmp_path):
    path = tmp_path / "Form responses.csv"
    path.write_text("Timestamp,Which ward were you on?,How satisfied were you?,Tell us more\n" + "".join(
        f"7/{d}/2024 9:00:00,Ward 3,{1 + d % 5},Visit {d} went well today\n" for d in range(1, 8)), encoding="utf-8")
    pf = parse_file(path)
    assert sorted(pf.frame["submitted_on"].tolist()) == [dt.date(2024, 7, d) for d in range(1, 8)]
    assert pf.dates_assumed == 6          # 7/7/2024 reads the same both ways


def test_fft_numeric_codes(tmp_path):
    path = tmp_path / "fft_ward10.csv"
    path.write_text("Date,Ward,FFT Score,Please tell us why\n" + "".join(
        f"2024-03-0{c},Ward 10,{c},reason {c}\n" for c in range(1, 7)), encoding="utf-8")
    pf = parse_file(path)
    assert pf.frame["score_5"].tolist()[:5] == [5.0, 4.0, 3.0, 2.0, 1.0]
    assert str(pf.frame["score_5"].tolist()[5]) == "nan" and len(pf.frame) == 6   # 6 = don't know, a response


def test_empty_fft_template_says_no_responses(tmp_path):
    notes = [[f"Note {i}: how to complete the Friends and Family Test return."] for i in range(37)]
    path = workbook(tmp_path / "FFT_template.xlsx", {
        "Notes": notes, "Data": [["Date", "Ward", "FFT Score", "Please tell us why"]]})
    with pytest.raises(ImportError_) as e:
        parse_file(path)
    assert e.value.code in ("no_responses", "unknown_layout")
    r = import_file(path, db_path=tmp_path / "k.duckdb")
    assert r.status == "failed"
    assert not (tmp_path / "k.duckdb").exists() or rows(tmp_path / "k.duckdb", "SELECT count(*) FROM units")[0][0] == 0


# ------------------------------------------------------------------- 2. ask, don't refuse

def test_no_unit_names_the_files_own_candidates_in_the_cli(tmp_path):
    path = workbook(tmp_path / "vastaukset.xlsx", {"Taul1": simple(None, 3)})
    r = preview_file(path, db_path=tmp_path / "k.duckdb")
    assert r.status == "failed" and r.error_details["code"] == "no_unit"
    assert "--unit" not in (r.error_fi or "")       # the page asks; only the CLI names options
    out = subprocess.run([sys.executable, "-m", "etl", "import", str(path), "--db", str(tmp_path / "k.duckdb")],
                         cwd=ROOT, capture_output=True, text=True, env={"KOKEMUS_LANG": "en", "PATH": "/usr/bin"})
    assert out.returncode == 1 and "--unit" in out.stderr and "Osasto 5B" not in out.stderr
    r = import_file(path, unit="Os 9", db_path=tmp_path / "k.duckdb")
    assert r.status == "loaded" and r.rows_loaded == 3


@pytest.mark.parametrize("a, b", [("Os 9", "Os 11"), ("Avdelning 7", "Avdelning 8"), ("Osasto 6C", "Osasto 3A"),
                                  ("Aikuisten päivystys", "Lasten päivystys")])
def test_generic_words_are_no_evidence_and_codes_rule_out(tmp_path, a, b):
    with kdb.connect(tmp_path / "k.duckdb") as con:
        con.execute("INSERT INTO units (unit_id, name) VALUES (1, ?)", [b]).fetchall()
        assert unit_registry.suggest(con, a) == []


def test_spelling_variants_merge_to_the_majority_spelling(tmp_path):
    data = [["Pvm", "Yksikkö", "Arvio"]] + [[f"{d}.3.2024", "Osasto 5B", 4] for d in range(1, 4)] + \
        [["9.3.2024", "OSASTO 5B", 3], ["10.3.2024", "os. 5 B", 5]]
    r = import_file(workbook(tmp_path / "x.xlsx", {"Taul1": data}), db_path=tmp_path / "k.duckdb")
    assert r.new_units == ["Osasto 5B"] and r.rows_loaded == 5
    assert rows(tmp_path / "k.duckdb", "SELECT name FROM units") == [("Osasto 5B",)]


def test_undo_removes_new_units_aliases_and_profiles(tmp_path):
    dbp = tmp_path / "k.duckdb"
    first = import_file(workbook(tmp_path / "a.xlsx", {"Taul1": simple("Osasto 5B 2024", 2)}), db_path=dbp)
    data = [["Kirjattu", "Paikka", "Tähdet"]] + [[45444 + d, "5 B", 3] for d in range(3)]
    second = import_file(workbook(tmp_path / "b.xlsx", {"Taul1": data}), db_path=dbp,
                         mapping={"Kirjattu": "submitted_on"}, unit_choices={"5 B": "Osasto 5B"})
    assert second.status == "loaded", second.error_en
    profile = remember_profile(second.batch_id, "sig123", {"Kirjattu": "submitted_on"}, "b", db_path=dbp)
    assert profile.exists()
    assert rows(dbp, "SELECT count(*) FROM unit_aliases WHERE batch_id = ?", [second.batch_id])[0][0] == 1
    undo(second.batch_id, db_path=dbp)
    assert not profile.exists()
    assert rows(dbp, "SELECT count(*) FROM unit_aliases WHERE batch_id = ?", [second.batch_id])[0][0] == 0
    assert rows(dbp, "SELECT count(*) FROM units")[0][0] == 1
    undo(first.batch_id, db_path=dbp)
    assert rows(dbp, "SELECT count(*) FROM units")[0][0] == 0


# ------------------------------------------------------------------- 3. every cell accounted for

def test_every_column_lands_somewhere(tmp_path):
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Which ward were you on?",
              "How satisfied were you?", "Please tell us why", "What could we do better?", "Sain tietoa"]
    data = [header]
    for k in range(4):
        t0 = dt.datetime(2024, 5, 1 + k, 10)
        data.append([k + 1, t0, t0 + dt.timedelta(minutes=2), "anonymous", None, "Ward 3", 1 + k,
                     "Friendly staff", "Shorter waits please, call me 040 123 4567" if k < 2 else None, 4])
    dbp = tmp_path / "k.duckdb"
    r = import_file(workbook(tmp_path / "forms.xlsx", {"Form1": data}), db_path=dbp)
    assert r.status == "loaded" and r.rows_loaded == 4
    s = r.parsed.sheets[0]
    assert s.not_imported == {"Start time": "bookkeeping", "Email": "personal", "Name": "personal"}
    mapped = set(s.columns) | set(s.not_imported)
    assert mapped == set(header)
    answers = rows(dbp, "SELECT question, raw_value FROM answers WHERE raw_value LIKE 'Shorter%' ORDER BY 1")
    assert answers == [("What could we do better?", "Shorter waits please, call me [PUHELIN]")] * 2
    comments = [c for (c,) in rows(dbp, "SELECT comment FROM responses WHERE comment LIKE '%better%'")]
    assert len(comments) == 2 and all("What could we do better?: Shorter waits" in c for c in comments)
    assert rows(dbp, "SELECT count(*) FROM answers WHERE question = 'Sain tietoa'")[0][0] == 4
    accounting = rows(dbp, "SELECT accounting FROM import_batches")[0][0]
    assert '"Email": "personal"' in accounting


def test_zero_rows_is_a_failure_with_reasons(tmp_path):
    data = [["Pvm", "Arvio", "Palaute"]] + [[f"31.2.2024", 3, "Kommentti tähän"] for _ in range(5)]
    r = import_file(workbook(tmp_path / "os5b.xlsx", {"Taul1": [["Osasto 5B"]] + data}), db_path=tmp_path / "k.duckdb")
    assert r.status == "failed" and r.rows_loaded == 0 and r.rows_rejected == 5
    assert "(5)" in r.error_fi and "Päivämäärää ei ole olemassa" in r.error_fi


def test_preview_warns_when_most_rows_would_be_rejected(tmp_path):
    data = [["Osasto 5B"], ["Pvm", "Arvio", "Palaute"], ["1.3.2024", 3, "Hyvä hoito kaikin puolin"]] + \
        [["31.2.2024", 3, "Kommentti tähän"] for _ in range(3)]
    r = preview_file(workbook(tmp_path / "os5b.xlsx", {"Taul1": data}), db_path=tmp_path / "k.duckdb")
    assert r.status == "preview" and r.rows_rejected == 3 and r.mostly_rejected


def test_rows_without_unit_are_rejected_not_duplicates(tmp_path):
    data = [["Pvm", "Yksikkö", "Arvio"], ["1.3.2024", "Osasto 5B", 4], ["2.3.2024", None, 3], ["3.3.2024", None, 5]]
    r = import_file(workbook(tmp_path / "x.xlsx", {"Taul1": data}), db_path=tmp_path / "k.duckdb")
    assert (r.rows_loaded, r.rows_duplicate, r.rows_rejected) == (1, 0, 2)
    assert {x.code for x in r.rejects} == {"no_unit"}


def test_possible_identity_code_redacted_in_comments_and_answers(tmp_path):
    data = [["Pvm", "Arvio", "Palaute", "What could we do better?"],
            ["1.3.2024", 3, "Hetuni 131052-308U, soittakaa", "Kysykää 131052-308U tiedot"]]
    dbp = tmp_path / "k.duckdb"
    r = import_file(workbook(tmp_path / "os5b.xlsx", {"Taul1": [["Osasto 5B"]] + data}), db_path=dbp)
    assert r.status == "loaded"
    stored = rows(dbp, "SELECT comment FROM responses")[0][0] + rows(dbp, "SELECT raw_value FROM answers")[0][0]
    assert "308U" not in stored and "[MAHDOLLINEN_HETU]" in stored
