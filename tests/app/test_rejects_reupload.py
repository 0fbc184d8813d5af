"""The rejects workbook goes back in as it is: a nurse downloads the rejected rows from the
import log, fixes a cell in Excel (here: openpyxl), uploads the same file, and only the
fixed rows land - nothing loaded before is counted twice."""
from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import duckdb
from openpyxl import Workbook, load_workbook

from etl.pipeline import import_file
from kokemus import batches
from tests.conftest import write_template_csv

PRAISE = ["Hoitajat olivat tosi ystävällisiä, kiitos!", "kaikki meni hyvin", "Lääkäri selitti asiat selkeästi.",
          "Ruoka oli hyvää ja huone siisti", "Kiitos hyvästä hoidosta :)"]
GRIPES = ["Jouduin odottamaan päivystyksessä yli 4 tuntia", "puhelimeen ei vastattu koko aamupäivänä",
          "Kukaan ei kertonut milloin pääsen kotiin..", "Melua yöllä, en saanut nukuttua"]


def ward_workbook(path: Path, seed: int = 7) -> dict:
    """Two ward sheets as a ward keeps them: a title row, a header row, mixed date cells,
    a score column titled with its scale, some rows typed wrong."""
    rng = random.Random(seed)
    wb = Workbook()
    wb.remove(wb.active)
    expect = {"loaded": 0, "rejected_rows": [], "kept_cells": 0}
    for unit, month in (("Osasto 5B", 3), ("Osasto 7", 4)):
        ws = wb.create_sheet(unit)
        ws.append([f"Palautteet {unit} kevät 2025"])
        ws.append(["Pvm", "Arvio (1-5)", "Vapaa palaute", "Kirjaaja"])
        for day in range(1, 13):
            text = rng.choice(PRAISE + GRIPES)
            date = dt.datetime(2025, month, day) if day % 2 else f"{day}.{month}.2025"
            ws.append([date, rng.choice([2, 3, 4, 5]), f"{text} ({day})", rng.choice(["MK", "tl", None])])
            expect["loaded"] += 1
        # typed wrong: a day that does not exist, a forgotten date, a score as a word
        ws.append([f"31.{month - 1 if month == 3 else 2}.2025", 4, f"Päivä väärin {unit}", "MK"])
        ws.append([None, 5, f"Päivä unohtui, soittakaa 040 123 4567 ({unit})", None])
        ws.append([dt.datetime(2025, month, 20), "neljä", f"Arvio sanana ({unit})", "tl"])
        expect["loaded"] += 1
        expect["kept_cells"] += 1
        expect["rejected_rows"] += [f"Päivä väärin {unit}", f"Päivä unohtui ({unit})"]
    wb.save(path)
    return expect


def counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*), count(DISTINCT comment) FROM responses").fetchone()


def test_rejects_come_back_as_the_files_own_columns_and_reupload_as_they_are(tmp_db, tmp_path):
    path = tmp_path / "palautteet_kevat.xlsx"
    expect = ward_workbook(path)
    first = import_file(path, db_path=tmp_db, imported_by="hoitaja")
    assert first.status == "loaded", first.error_en
    assert first.rows_loaded == expect["loaded"] and first.rows_rejected == 4

    data = batches.rejects_xlsx(first.batch_id, "fi", tmp_db)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Osasto 5B", "Osasto 7", "Huomiot"]
    ws = wb["Osasto 5B"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Pvm", "Arvio (1-5)", "Vapaa palaute", "Kirjaaja", "Hylkäyksen syy"]
    assert len(rows) == 3, "one line per rejected row, the loaded one with a bad score is not here"
    assert rows[1][:3] == ["31.2.2025", 4, "Päivä väärin Osasto 5B"] and rows[1][4]
    assert rows[2][0] is None and "[PUHELIN]" in rows[2][2] and "040" not in rows[2][2]
    notes = [[c.value for c in row] for row in wb["Huomiot"].iter_rows()]
    assert len(notes) == 1 + expect["kept_cells"] and all(r[3] == "neljä" for r in notes[1:])

    # the nurse fixes one date and uploads the file just as Excel saved it
    ws["A2"] = "28.2.2025"
    fixed = tmp_path / batches.rejects_file_name(path.name, first.batch_id)
    wb.save(fixed)
    before = counts(tmp_db)
    again = import_file(fixed, db_path=tmp_db, imported_by="hoitaja")
    assert again.status == "loaded", again.error_en
    assert (again.rows_loaded, again.rows_duplicate, again.rows_rejected) == (1, 0, 3)
    after = counts(tmp_db)
    assert after == (before[0] + 1, before[1] + 1), "the fixed row landed, nothing twice"
    used = {s.name: s for s in again.parsed.sheets}
    assert not used["Huomiot"].used and used["Osasto 5B"].unit == "Osasto 5B"
    assert "Hylkäyksen syy" in used["Osasto 5B"].not_imported, "the reason column is listed, not imported"

    # uploading the same rejects file once more adds nothing
    third = import_file(fixed, db_path=tmp_db, imported_by="hoitaja")
    assert counts(tmp_db) == after and third.rows_loaded == 0


def test_template_rejects_come_back_under_the_template_headers(tmp_db, tmp_path):
    rows = [{"Päivämäärä": f"{d}.5.2025", "Yksikkö": "Päivystys", "Arvio": "4", "Palaute": f"ok {d}"}
            for d in range(1, 6)]
    rows += [{"Päivämäärä": "5/13/2025", "Yksikkö": "Päivystys", "Arvio": "2", "Palaute": "Jono oli pitkä"},
             {"Päivämäärä": "14.5.2025", "Yksikkö": "", "Arvio": "3", "Palaute": "Yksikkö puuttuu"}]
    path = write_template_csv(tmp_path / "paivystys_toukokuu.csv", rows)
    first = import_file(path, db_path=tmp_db, imported_by="hoitaja")
    assert first.rows_loaded == 5 and first.rows_rejected == 2
    wb = load_workbook(io.BytesIO(batches.rejects_xlsx(first.batch_id, "sv", tmp_db)))
    ws = wb[wb.sheetnames[0]]
    table = [[c.value for c in row] for row in ws.iter_rows()]
    assert table[0][:2] == ["Päivämäärä", "Yksikkö"] and table[0][-1] == "Orsak till avvisning"
    assert [r[table[0].index("Palaute")] for r in table[1:]] == ["Jono oli pitkä", "Yksikkö puuttuu"]
    ws["A2"] = "13.5.2025"
    ws["B3"] = "Päivystys"
    fixed = tmp_path / "korjattu.xlsx"
    wb.save(fixed)
    again = import_file(fixed, db_path=tmp_db, imported_by="hoitaja")
    assert again.status == "loaded", again.error_en
    assert (again.rows_loaded, again.rows_rejected) == (2, 0)
    assert counts(tmp_db)[0] == 7
