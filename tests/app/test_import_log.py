"""The import log in AppTest: batches listed, rejects shown and downloadable, Undo asks first."""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from etl.pipeline import import_file
from kokemus import batches
from kokemus.i18n import t
from tests.conftest import mark_fictional, write_template_csv

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_log.py")


def rows(month: int, n: int, bad: int = 0) -> list[dict]:
    good = [{"Päivämäärä": f"{d}.{month}.2024", "Yksikkö": "Osasto 3A", "Arvio": "4",
             "Palaute": f"Käynti {d} meni hyvin."} for d in range(1, n + 1)]
    broken = [{"Päivämäärä": "ei päivää", "Yksikkö": "Osasto 3A", "Arvio": "5",
               "Palaute": '=HYPERLINK("http://x","klikkaa")'} for _ in range(bad)]
    return good + broken


def imported(db: Path, tmp_path: Path, name: str, month: int, n: int, bad: int = 0) -> int:
    path = write_template_csv(tmp_path / name, rows(month, n, bad))
    result = import_file(path, db_path=db, imported_by="hoitaja.testi")
    assert result.status == "loaded", result.error_en
    return result.batch_id


def open_log(lang: str = "fi") -> AppTest:
    mark_fictional()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def responses(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM responses").fetchone()[0]


def test_empty_warehouse_says_so(tmp_db):
    at = open_log()
    assert at.info and "Yhtään tiedostoa" in at.info[0].value


def test_batches_listed_with_who_when_file_counts_status(tmp_db, tmp_path):
    imported(tmp_db, tmp_path, "tammi.csv", 1, 4)
    imported(tmp_db, tmp_path, "helmi.csv", 2, 3, bad=2)
    frame = batches.batches(tmp_db)
    assert list(frame["file_name"]) == ["helmi.csv", "tammi.csv"]
    assert list(frame["rows_loaded"]) == [3, 4] and list(frame["rows_rejected"]) == [2, 0]
    at = open_log()
    table = at.dataframe[0].value
    assert list(table["Tiedosto"]) == ["helmi.csv", "tammi.csv"]
    assert list(table["Tuoja"]) == ["hoitaja.testi"] * 2
    assert list(table["Tila"]) == ["tuotu", "tuotu"]
    assert list(table["Hylätty"]) == [2, 0]


def test_rejected_rows_shown_and_downloaded_with_formulas_neutralised(tmp_db, tmp_path):
    batch = imported(tmp_db, tmp_path, "helmi.csv", 2, 3, bad=2)
    rejects = batches.rejected_rows(batch, "fi", tmp_db)
    assert len(rejects) == 2 and rejects["reason_code"].eq("no_date").all()
    at = open_log()
    by_reason = at.dataframe[1].value
    assert list(by_reason["Hylättyjä rivejä"]) == [2] and "Päivämäärä" in by_reason["Syy"].iloc[0]
    shown = at.dataframe[2].value
    assert len(shown) == 2 and "Päivämäärä" in shown["Syy"].iloc[0]
    download = at.get("download_button")[0]
    assert download.proto.label == "Lataa hylätyt rivit (xlsx)"
    data = batches.rejects_xlsx(batch, "fi", tmp_db)
    ws = load_workbook(io.BytesIO(data)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells), "no live formulas"
    comment = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert comment and all(c.data_type == "s" and c.quotePrefix for c in comment), "shown as text, as written"


def test_undo_needs_confirmation_then_removes_the_batch(tmp_db, tmp_path):
    keep = imported(tmp_db, tmp_path, "tammi.csv", 1, 4)
    gone = imported(tmp_db, tmp_path, "helmi.csv", 2, 3)
    at = open_log()
    assert at.selectbox(key="log_batch").value == gone
    at.button(key=f"log_undo::{gone}").click()
    at.run()
    assert at.warning and "Perutaanko erä" in at.warning[0].value
    assert responses(tmp_db) == 7, "nothing removed before the confirmation"

    at.button(key=f"log_undo_no::{gone}").click()
    at.run()
    assert not at.warning and responses(tmp_db) == 7

    at.button(key=f"log_undo::{gone}").click()
    at.run()
    at.button(key=f"log_undo_yes::{gone}").click()
    at.run()
    assert not at.exception, at.exception
    assert at.success and "peruttiin" in at.success[0].value
    assert responses(tmp_db) == 4
    status = dict(zip(batches.batches(tmp_db)["batch_id"], batches.batches(tmp_db)["status"]))
    assert status == {keep: "loaded", gone: "undone"}
    assert list(at.dataframe[0].value["Tila"]) == ["peruttu", "tuotu"]


def test_duplicates_name_the_batch_they_duplicate(tmp_db, tmp_path):
    """A re-export's duplicates: each row, the batch it duplicates, in fi and en."""
    good = [{"Päivämäärä": f"{d}.5.2024", "Yksikkö": "Osasto 3A", "Arvio": "4",
             "Palaute": f"Käynnillä {d} toukokuuta hoitaja ehti kuunnella minua."} for d in range(1, 9)]
    db = tmp_db
    first = import_file(write_template_csv(tmp_path / "touko.csv", good), db_path=db, imported_by="hoitaja.testi")
    again = import_file(write_template_csv(tmp_path / "touko_uudelleen.csv", good[::-1], sep=","),
                        db_path=db, imported_by="hoitaja.testi")
    assert (again.rows_loaded, again.rows_duplicate) == (0, 8)
    for lang, words in (("fi", "on jo tuotu erässä"), ("en", "already imported in batch")):
        at = open_log(lang)
        at.selectbox(key="log_batch").set_value(again.batch_id).run()
        texts = [x.value for x in at.text]
        assert any(f"8 {'riviä' if lang == 'fi' else 'row(s)'} {words} {first.batch_id} (touko.csv)" in x
                   for x in texts), texts
        dup_table = next(d.value for d in at.dataframe if len(d.value) == 8)
        assert set(dup_table.iloc[:, 2]) == {first.batch_id}


def test_an_empty_rejected_cell_reads_as_empty_on_the_page_and_stays_blank_in_the_workbook(tmp_db, tmp_path):
    path = write_template_csv(tmp_path / "tyhja.csv", [
        {"Päivämäärä": "3.4.2024", "Yksikkö": "Osasto 3A", "Arvio": "4"},
        {"Päivämäärä": "", "Yksikkö": "Osasto 3A", "Arvio": "5", "Palaute": "Päivä puuttuu."}])
    batch = import_file(path, db_path=tmp_db, imported_by="hoitaja.testi").batch_id
    for lang, word in (("fi", "(tyhjä)"), ("sv", "(tom)"), ("en", "(empty)")):
        at = open_log(lang)
        shown = at.dataframe[2].value
        assert list(shown[t("log_col_value", lang)]) == [word], shown
        assert not shown.astype(str).isin(["None", "nan", "NaN"]).any().any(), shown
    ws = load_workbook(io.BytesIO(batches.rejects_xlsx(batch, "fi", tmp_db))).active
    header = [c.value for c in ws[1]]
    row = [c.value for c in ws[2]]
    assert row[header.index("Päivämäärä")] is None, row
    assert not any(v in ("(tyhjä)", "None") for v in row), row
