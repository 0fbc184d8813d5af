"""The upload page end to end in Streamlit's AppTest: real files, a real warehouse.

Each test uploads bytes written by the test (template CSV, a messy legacy workbook, an
unknown layout, a broken file), reads what the page shows and, after Confirm, checks the
warehouse itself.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from kokemus import upload_files
from tests.conftest import mark_fictional, write_template_csv

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "upload.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_page(lang: str = "fi") -> AppTest:
    mark_fictional()
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, XLSX) for name, data in files])
    at.run()
    assert not at.exception, at.exception
    return at


def unescaped(markdown: str) -> str:
    """What a reader sees of Markdown whose file values were escaped (kokemus.plain.md)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def buttons(at: AppTest, prefix: str):
    return [b for b in at.button if (b.key or "").startswith(prefix)]


def confirm(at: AppTest, index: int = 0) -> AppTest:
    buttons(at, "upload_confirm::")[index].click()
    at.run()
    assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    """The first table on the page that has ``column`` (tables are told apart by content)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def texts(at: AppTest, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def count(db: Path, sql: str, params=()) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchone()[0]


def template_rows(month: int, unit: str = "Osasto 5B", n: int = 6) -> list[dict]:
    return [{"Päivämäärä": f"{d}.{month}.2024", "Yksikkö": unit, "Arvio": str(1 + d % 5),
             "Tyyppi": "kiitos" if d % 2 else "moite",
             "Palaute": f"=HYPERLINK(\"x\") **lihava** käynti {d}" if d == 1 else f"Käynti {d} sujui."}
            for d in range(1, n + 1)]


def legacy_workbook(path: Path) -> Path:
    """A nurse's workbook: a title row, a header on row 3, an instructions sheet, a row
    with an impossible date and an unreadable score, a totals row."""
    wb = Workbook()
    ohje = wb.active
    ohje.title = "Ohje"
    ohje["A1"] = "Kirjaa jokainen lomake omalle rivilleen."
    ws = wb.create_sheet("Tammi")
    ws["A1"] = "Osasto 7A – asiakaspalaute 2024"
    ws.append([])
    ws.append(["Pvm", "Arvio (1-5)", "Palautteen tyyppi", "Vapaa palaute"])
    ws.append(["12.1.2024", 5, "kiitos", "Hoitajat olivat kiireettömiä."])
    ws.append(["15.1.2024", 4, "kiitos", None])
    ws.append(["31.2.2024", 3, "moite", "Odotin pitkään."])
    ws.append(["20.1.2024", "hyvä?", "kehitysehdotus", "Enemmän vaihtoehtoja ruokaan."])
    ws.append(["Yhteensä", "=SUM(B4:B7)", None, None])
    wb.save(path)
    return path


def unknown_workbook(path: Path) -> Path:
    """Headers no synonym list knows; the unit, stars and text show in the values, but the
    visit day is an Excel day number in a general-format column, which nothing can tell
    apart from any other number: the nurse is asked which column is the date."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Taul1"
    ws.append(["Kirjauskerta", "Paikka", "Tähtiä", "Teksti"])
    for d in range(1, 6):
        serial = (dt.date(2024, 6, d) - dt.date(1899, 12, 30)).days
        ws.append([serial, "Osasto 9C", 1 + d % 5, f"Palaute numero {d} hoidosta."])
    wb.save(path)
    return path


# ------------------------------------------------------------------------------ safe files

def test_user_file_name_never_reaches_the_path(tmp_path):
    stored = upload_files.store(b"a;b\n1;2\n", "../../etc/cron.d/evil.csv", tmp_path)
    assert stored.path.parent == tmp_path
    assert stored.path.suffix == ".csv" and "evil" not in stored.path.name
    assert stored.display_name == "evil.csv"
    assert upload_files.display_name("C:\\Users\\x\\Palaute\u0000.xlsx") == "Palaute.xlsx"


@pytest.mark.parametrize("name", ["macro.exe", "kaavio.xlsx.js", "noext", "data.XLSB"])
def test_extensions_outside_the_allow_list_are_refused(tmp_path, name):
    with pytest.raises(upload_files.UploadRejected) as err:
        upload_files.store(b"x", name, tmp_path)
    assert err.value.code == "upload_bad_extension"
    assert list(tmp_path.iterdir()) == []


def test_size_limit_comes_from_config(tmp_path, monkeypatch):
    monkeypatch.setenv("KOKEMUS_MAX_UPLOAD_MB", "1")
    with pytest.raises(upload_files.UploadRejected) as err:
        upload_files.store(b"x" * (1024 * 1024 + 1), "iso.csv", tmp_path)
    assert err.value.code == "upload_too_large"
    assert upload_files.store(b"x" * 1024, "pieni.CSV", tmp_path).path.suffix == ".csv"


# ------------------------------------------------------------------------------ page flow

def test_template_csv_preview_then_import(tmp_db, tmp_path):
    csv = write_template_csv(tmp_path / "maaliskuu.csv", template_rows(3))
    at = upload(open_page(), ("maaliskuu.csv", csv.read_bytes()))
    assert metric(at, "Tuodaan") == "6"
    assert metric(at, "Hylätyt rivit") == "0"
    preview = frame_with(at, "Palaute (vapaa teksti)")
    assert any("**lihava**" in str(v) for v in preview.astype(str).values.ravel()), \
        "comments are shown as typed, not rendered"
    assert not Path(tmp_db).exists() or count(tmp_db, "SELECT count(*) FROM responses") == 0

    confirm(at)
    assert any("Tuonti valmis" in s for s in texts(at, "success"))
    assert count(tmp_db, "SELECT count(*) FROM responses") == 6
    assert count(tmp_db, "SELECT count(*) FROM import_batches WHERE file_name = 'maaliskuu.csv'") == 1
    assert any("Osasto 5B" in (p.label or "") for p in at.get("page_link")) or \
        any("unit=Osasto" in m.value for m in at.markdown)


def test_same_file_twice_is_not_imported_twice(tmp_db, tmp_path):
    data = write_template_csv(tmp_path / "a.csv", template_rows(4)).read_bytes()
    confirm(upload(open_page(), ("a.csv", data)))
    at = upload(open_page(), ("a-kopio.csv", data))
    assert metric(at, "Tuodaan") == "0" and metric(at, "Jo tuotu aiemmin") == "6"
    assert not buttons(at, "upload_confirm::"), "nothing new: no import button"
    assert count(tmp_db, "SELECT count(*) FROM responses") == 6


def test_legacy_workbook_shows_sheets_rejects_and_imports(tmp_db, tmp_path):
    path = legacy_workbook(tmp_path / "Osasto_7A_2024.xlsx")
    at = upload(open_page(), ("Osasto_7A_2024.xlsx", path.read_bytes()))
    sheets = frame_with(at, "Välilehti")
    assert list(sheets["Välilehti"]) == ["Ohje", "Tammi"]
    assert list(sheets["Käytetään"]) == ["ei", "kyllä"]
    assert sheets["Otsikkorivi"].iloc[1] == "3"
    assert int(metric(at, "Hylätyt rivit")) + int(metric(at, "Hylätyt solut")) >= 1
    rejects = frame_with(at, "Syy")
    assert len(rejects) >= 1 and "rivi" in " ".join(rejects["Arvo"])

    loaded = int(metric(at, "Tuodaan"))
    confirm(at)
    assert count(tmp_db, "SELECT count(*) FROM responses") == loaded
    assert count(tmp_db, "SELECT count(*) FROM rejected_rows") >= 1
    assert count(tmp_db, "SELECT count(*) FROM units WHERE name ILIKE '%7A%'") == 1


def test_unknown_layout_is_mapped_on_the_page_and_remembered(tmp_db, tmp_path):
    path = unknown_workbook(tmp_path / "kesakuu.xlsx")
    at = upload(open_page(), ("kesakuu.xlsx", path.read_bytes()))
    assert at.warning and "ei tunnistettu" in at.warning[0].value
    assert not buttons(at, "upload_confirm::")
    # one question: which column is the date, each option with its sample values
    pick = next(s for s in at.selectbox if (s.key or "").startswith("upload_askcol::"))
    assert pick.value is None and "Kirjauskerta" in pick.options[0] and "45444" in pick.options[0]
    pick.set_value("Kirjauskerta").run()
    buttons(at, "upload_askcol_apply::")[0].click()
    at.run()
    assert not at.exception, at.exception
    assert metric(at, "Tuodaan") == "5"
    confirm(at)
    assert count(tmp_db, "SELECT count(*) FROM responses WHERE comment LIKE 'Palaute numero%'") == 5
    assert count(tmp_db, "SELECT count(*) FROM responses WHERE month = DATE '2024-06-01'") == 5

    # the next month's file with the same header imports without asking
    again = unknown_workbook(tmp_path / "heinakuu.xlsx")
    at2 = upload(open_page(), ("heinakuu.xlsx", again.read_bytes()))
    assert not at2.warning, [w.value for w in at2.warning]
    assert metric(at2, "Jo tuotu aiemmin") == "5"


def test_broken_file_says_so_in_finnish(tmp_db):
    at = upload(open_page(), ("rikki.xlsx", b"PK\x03\x04 this is not really a workbook"))
    assert at.error, "a broken file must be reported"
    message = unescaped(at.error[0].value)
    assert "Traceback" not in message and "rikki.xlsx" in message
    assert not buttons(at, "upload_confirm::")
    assert not tmp_db.exists() or count(tmp_db, "SELECT count(*) FROM import_batches") == 0


def test_uploaded_name_with_a_path_is_shown_as_its_base_name(tmp_db, tmp_path):
    csv = write_template_csv(tmp_path / "x.csv", template_rows(7))
    at = upload(open_page(), ("../../../tmp/evil.csv", csv.read_bytes()))
    assert unescaped(at.subheader[0].value) == "evil.csv"
    confirm(at)
    assert count(tmp_db, "SELECT count(*) FROM import_batches WHERE file_name = 'evil.csv'") == 1


def test_close_unit_name_is_offered_not_created(tmp_db, tmp_path):
    first = write_template_csv(tmp_path / "a.csv", template_rows(3, unit="Osasto 5B Kirurgia"))
    confirm(upload(open_page(), ("a.csv", first.read_bytes())))
    second = write_template_csv(tmp_path / "b.csv", template_rows(4, unit="Osasto 5B Kirurgiaa"))
    at = upload(open_page(), ("b.csv", second.read_bytes()))
    pick = [s for s in at.selectbox if (s.key or "").startswith("upload_unitpick::")]
    assert pick, "a close match must be offered"
    assert pick[0].value == "Osasto 5B Kirurgia"
    confirm(at)
    assert count(tmp_db, "SELECT count(*) FROM units") == 1
    assert count(tmp_db, "SELECT count(*) FROM responses") == 12


def test_several_files_each_get_their_own_card(tmp_db, tmp_path):
    a = write_template_csv(tmp_path / "a.csv", template_rows(1)).read_bytes()
    b = write_template_csv(tmp_path / "b.csv", template_rows(2, n=3)).read_bytes()
    at = upload(open_page(), ("tammi.csv", a), ("helmi.csv", b))
    assert [m.value for m in at.metric if m.label == "Tuodaan"] == ["6", "3"]
    confirm(at, 1)
    assert count(tmp_db, "SELECT count(*) FROM responses") == 3
    assert len(buttons(at, "upload_confirm::")) == 1


def test_english_labels_when_language_is_english(tmp_db, tmp_path):
    csv = write_template_csv(tmp_path / "m.csv", template_rows(5))
    at = upload(open_page("en"), ("m.csv", csv.read_bytes()))
    assert at.title[0].value == "Upload files"
    assert metric(at, "To load") == "6"
