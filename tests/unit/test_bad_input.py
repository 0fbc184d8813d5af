"""Every kind of file a person may upload by mistake is refused whole, with a message in
Finnish and English that names the file - never a traceback."""
from __future__ import annotations

import datetime as dt
import os
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from etl.contract import ImportError_
from etl.read.readers import MAX_UNCOMPRESSED, read_workbook, sniff_kind
from etl.normalise.values import parse_date_column, parse_score_column


def _refused(path: Path, code: str, name: str | None = None) -> ImportError_:
    with pytest.raises(ImportError_) as info:
        read_workbook(path, file_name=name)
    err = info.value
    shown = name or path.name
    assert err.code == code, (err.code, err.en)
    assert err.file == shown
    assert shown in err.fi and shown in err.en
    assert err.fi != err.en
    return err


def _simple_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Pvm", "Arvio"])
    wb.active.append([dt.date(2024, 1, 2), 4])
    wb.save(path)


def _rename_ole_stream(data: bytearray, old: str, new: str) -> None:
    """Rename a directory entry of a compound file in place (names are UTF-16, 64 bytes)."""
    at = data.find(old.encode("utf-16-le"))
    assert at >= 0
    data[at:at + 64] = (new.encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
    data[at + 64:at + 66] = struct.pack("<H", len(new) * 2 + 2)


def test_password_protected_workbook(tmp_path):
    plain = tmp_path / "plain.xlsx"
    _simple_xlsx(plain)
    locked = tmp_path / "salattu.xlsx"
    with plain.open("rb") as src, locked.open("wb") as out:
        OOXMLFile(src).encrypt("Salasana1", out)
    assert sniff_kind(locked) == "encrypted"
    err = _refused(locked, "password")
    assert "salasana" in err.fi.lower() and "password" in err.en.lower()


def test_word_docx_renamed_xlsx(tmp_path):
    path = tmp_path / "palaute.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert sniff_kind(path) == "docx"
    err = _refused(path, "word_document")
    assert "Word" in err.fi and "Word" in err.en


def test_word_doc_renamed_xls(tmp_path):
    plain = tmp_path / "plain.xlsx"
    _simple_xlsx(plain)
    ole = tmp_path / "ole.bin"
    with plain.open("rb") as src, ole.open("wb") as out:
        OOXMLFile(src).encrypt("x", out)
    data = bytearray(ole.read_bytes())
    _rename_ole_stream(data, "EncryptedPackage", "WordDocument")
    _rename_ole_stream(data, "EncryptionInfo", "1Table")
    path = tmp_path / "vanha.xls"
    path.write_bytes(bytes(data))
    assert sniff_kind(path) == "doc"
    _refused(path, "word_document")


def test_truncated_xlsx_is_corrupt(tmp_path):
    good = tmp_path / "good.xlsx"
    _simple_xlsx(good)
    bad = tmp_path / "katkennut.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _refused(bad, "corrupt")


def test_damaged_sheet_xml_is_corrupt(tmp_path):
    good = tmp_path / "good.xlsx"
    _simple_xlsx(good)
    bad = tmp_path / "rikki.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body[: len(body) // 2] + b"<<<\x00garbage"
            zout.writestr(item, body)
    _refused(bad, "corrupt")


def test_garbage_with_ole_magic_is_corrupt(tmp_path):
    path = tmp_path / "vanha.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000))
    _refused(path, "corrupt")


def test_random_bytes_are_not_a_workbook(tmp_path):
    path = tmp_path / "kuva.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    err = _refused(path, "not_a_workbook")
    assert err.details["what"] == "binary"


def test_html_saved_as_xls(tmp_path):
    path = tmp_path / "raportti.xls"
    path.write_text("<html><body><table><tr><td>Pvm</td></tr></table></body></html>", encoding="utf-8")
    _refused(path, "html_export")


def test_empty_file_and_empty_workbook(tmp_path):
    empty = tmp_path / "tyhja.csv"
    empty.write_bytes(b"")
    _refused(empty, "empty_file")
    wb = openpyxl.Workbook()
    wb.create_sheet("Toinen")
    path = tmp_path / "tyhja.xlsx"
    wb.save(path)
    _refused(path, "empty_workbook")
    blank_csv = tmp_path / "tyhjat.csv"
    blank_csv.write_text(";;\n ; ;\n\n", encoding="utf-8")
    _refused(blank_csv, "empty_workbook")


def test_formulas_without_values(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Laskenta"
    ws["A1"] = "=1+1"
    ws["B1"] = "=SUM(A1:A1)"
    path = tmp_path / "kaavat.xlsx"
    wb.save(path)
    err = _refused(path, "formulas_not_calculated")
    assert err.sheet == "Laskenta" and "Laskenta" in err.fi


def test_formula_error_cells_come_through_and_are_rejected_per_cell(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tammi"
    ws.append(["Pvm", "Arvio"])
    ws.append([dt.date(2024, 1, 2), 4])
    ws.append(["#N/A", "#DIV/0!"])
    ws.append([dt.date(2024, 1, 4), "#VALUE!"])
    path = tmp_path / "virheet.xlsx"
    wb.save(path)
    sheet = read_workbook(path).sheets[0]
    assert sheet.rows[2] == ["#N/A", "#DIV/0!"] and sheet.rows[3][1] == "#VALUE!"
    scores, raw, _, rejects = parse_score_column([r[1] for r in sheet.rows[1:]], "1-5")
    assert scores == [4.0, None, None] and raw == ["4", "#DIV/0!", "#VALUE!"]
    assert [(i, code) for i, code, _, _ in rejects] == [(1, "formula_error"), (2, "formula_error")]
    dates, date_rejects, _ = parse_date_column([r[0] for r in sheet.rows[1:]])
    assert dates[1] is None and [(i, c) for i, c, _, _ in date_rejects] == [(1, "formula_error")]


def _zip_with_member(path: Path, member: str, payload: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr(member, payload)


def test_zip_bomb_by_ratio(tmp_path):
    path = tmp_path / "pommi.xlsx"
    _zip_with_member(path, "xl/worksheets/sheet1.xml", b"\0" * (40 << 20))
    assert path.stat().st_size < (1 << 20)
    err = _refused(path, "zip_bomb")
    assert int(err.details["ratio"]) > 200


def test_zip_bomb_by_declared_size(tmp_path):
    """A member that claims more than 1 GiB is refused before anything inflates it."""
    path = tmp_path / "valhe.xlsx"
    _zip_with_member(path, "xl/worksheets/sheet1.xml", b"<worksheet/>")
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    struct.pack_into("<I", data, central + 24, MAX_UNCOMPRESSED + 1)
    path.write_bytes(bytes(data))
    _refused(path, "zip_bomb")


def test_zip_with_lying_sizes_is_refused_not_inflated(tmp_path):
    """Sizes that understate the content are caught by streaming (CRC/length check)."""
    path = tmp_path / "lying.xlsx"
    _simple_xlsx(path)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        name = bytes(data[at + 46: at + 46 + name_len])
        if name == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, at + 24, 10)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    _refused(path, "corrupt")


def test_missing_file(tmp_path):
    _refused(tmp_path / "ei-ole.xlsx", "missing")


def test_message_uses_given_file_name(tmp_path):
    path = tmp_path / "tmp123"
    path.write_bytes(b"")
    _refused(path, "empty_file", name="Osasto 5B.xlsx")
