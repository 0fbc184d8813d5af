"""etl.read.readers on real files written here: xlsx, xlsm, xls, ods, csv/tsv in the encodings
Finnish offices produce."""
from __future__ import annotations

import codecs
import datetime as dt
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlwt

from etl.read.readers import RawSheet, Workbook, decode_text, read_csv_text, read_workbook, sniff_delimiter, sniff_kind


def _nurse_workbook(path: Path) -> None:
    """A hand-made workbook: title rows, a merged unit cell, a hidden sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Maalis"
    ws["A1"] = "Potilaspalaute osasto 5B 2023"
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["Pvm", "Yksikkö", "Arvio", "Palaute"])
    ws.append([dt.datetime(2023, 3, 1, 14, 30), "Osasto 5B", 5, "Hyvä hoito"])
    ws.append([dt.date(2023, 3, 2), None, 4, "Kiitos"])
    ws.append([dt.date(2023, 3, 3), None, 3.5, None])
    ws.merge_cells("B4:B6")
    hidden = wb.create_sheet("Piilo")
    hidden["A1"] = "apu"
    hidden.sheet_state = "hidden"
    wb.save(path)


def test_xlsx_cells_rows_hidden_and_merged(tmp_path):
    path = tmp_path / "palaute.xlsx"
    _nurse_workbook(path)
    wb = read_workbook(path)
    assert isinstance(wb, Workbook) and wb.kind == "xlsx" and wb.file_name == "palaute.xlsx"
    assert [(s.name, s.hidden) for s in wb.sheets] == [("Maalis", False), ("Piilo", True)]
    sheet = wb.sheets[0]
    assert isinstance(sheet, RawSheet)
    # row 0 is Excel row 1: the title, filled across its merge
    assert sheet.rows[0][:4] == ["Potilaspalaute osasto 5B 2023"] * 4
    assert all(v is None for v in sheet.rows[1])
    assert sheet.rows[2] == ["Pvm", "Yksikkö", "Arvio", "Palaute"]
    assert sheet.rows[3] == [dt.datetime(2023, 3, 1, 14, 30), "Osasto 5B", 5, "Hyvä hoito"]
    # the merged unit cell reaches every row it covers
    assert [r[1] for r in sheet.rows[3:6]] == ["Osasto 5B"] * 3
    assert sheet.rows[5][2] == 3.5 and sheet.rows[5][3] is None
    assert sorted(sheet.merged) == [(0, 0, 0, 3), (3, 1, 5, 1)]
    assert wb.sheets[1].rows == [["apu"]]


def test_file_name_overrides_temporary_path(tmp_path):
    path = tmp_path / "upload-1234.tmp"
    _nurse_workbook(path)
    wb = read_workbook(path, file_name="Palaute 2023.xlsx")
    assert wb.file_name == "Palaute 2023.xlsx" and wb.kind == "xlsx"


def test_xlsm_sniffed_by_content_not_name(tmp_path):
    src = tmp_path / "a.xlsx"
    _nurse_workbook(src)
    macro = tmp_path / "makro.xlsx"  # wrong extension on purpose
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(macro, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert sniff_kind(macro) == "xlsm"
    wb = read_workbook(macro)
    assert wb.kind == "xlsm" and wb.sheets[0].rows[2][0] == "Pvm"


def test_xls_with_merge_and_hidden_sheet(tmp_path):
    book = xlwt.Workbook()
    s = book.add_sheet("Tammi")
    s.write_merge(0, 0, 0, 2, "Palautteet 2024")
    s.write(1, 0, "Pvm")
    s.write(1, 1, "Arvio")
    s.write(1, 2, "Yksikkö")
    s.write(2, 0, "2.1.2024")
    s.write(2, 1, 4)
    s.write_merge(2, 3, 2, 2, "TA Keskusta")
    s.write(3, 0, "3.1.2024")
    s.write(3, 1, 5)
    h = book.add_sheet("Ohje")
    h.write(0, 0, "ohje")
    h.visibility = 1
    path = tmp_path / "vanha.xls"
    book.save(str(path))
    wb = read_workbook(path)
    assert wb.kind == "xls"
    assert [(s.name, s.hidden) for s in wb.sheets] == [("Tammi", False), ("Ohje", True)]
    rows = wb.sheets[0].rows
    assert rows[0] == ["Palautteet 2024"] * 3
    assert rows[2] == ["2.1.2024", 4, "TA Keskusta"]
    assert rows[3] == ["3.1.2024", 5, "TA Keskusta"]


def test_ods(tmp_path):
    path = tmp_path / "libre.ods"
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame({"Pvm": ["1.2.2024", "2.2.2024"], "Arvio": [4, 5]}).to_excel(writer, sheet_name="Helmi", index=False)
        pd.DataFrame({"x": ["y"]}).to_excel(writer, sheet_name="Toinen", index=False)
    wb = read_workbook(path)
    assert wb.kind == "ods"
    assert [s.name for s in wb.sheets] == ["Helmi", "Toinen"]
    assert wb.sheets[0].rows == [["Pvm", "Arvio"], ["1.2.2024", 4.0], ["2.2.2024", 5.0]]


def test_csv_cp1252_semicolon_decimal_comma(tmp_path):
    path = tmp_path / "vienti.csv"
    path.write_bytes("Pvm;Arvio;Palaute\r\n1.2.2024;4,5;Hyvä hoito, kiitos\r\n2.2.2024;3;\"Odotin; liian kauan\"\r\n"
                     .encode("cp1252"))
    wb = read_workbook(path)
    assert (wb.kind, wb.encoding, wb.delimiter) == ("csv", "cp1252", ";")
    assert wb.sheets[0].name == "vienti"
    assert wb.sheets[0].rows == [["Pvm", "Arvio", "Palaute"], ["1.2.2024", "4,5", "Hyvä hoito, kiitos"],
                                 ["2.2.2024", "3", "Odotin; liian kauan"]]


def test_csv_utf8_bom_comma_and_tsv(tmp_path):
    path = tmp_path / "webropol.csv"
    path.write_bytes(codecs.BOM_UTF8 + "Vastaus-ID,Arvio,Kommentti\n1,5,\"Hyvä, nopea\"\n2,4,Åbo\n".encode())
    wb = read_workbook(path)
    assert (wb.encoding, wb.delimiter) == ("utf-8-sig", ",")
    assert wb.sheets[0].rows[0] == ["Vastaus-ID", "Arvio", "Kommentti"]  # no BOM left in the header
    assert wb.sheets[0].rows[1] == ["1", "5", "Hyvä, nopea"]
    tsv = tmp_path / "data.tsv"
    tsv.write_text("Datum\tBetyg\n1.2.2024\t4,5\n", encoding="utf-8")
    wb = read_workbook(tsv)
    assert wb.delimiter == "\t" and wb.sheets[0].rows == [["Datum", "Betyg"], ["1.2.2024", "4,5"]]


def test_csv_utf16_unicode_text_export(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("Pvm\tPalaute\n1.2.2024\tÄiti kiittää\n".encode("utf-16"))
    wb = read_workbook(path)
    assert wb.encoding == "utf-16" and wb.delimiter == "\t"
    assert wb.sheets[0].rows[1] == ["1.2.2024", "Äiti kiittää"]


def test_mixed_encodings_lose_nothing(tmp_path):
    """Two exports pasted together: UTF-8 lines and Windows-1252 lines."""
    data = "Pvm;Palaute\n1.2.2024;Hyvä hoito\n".encode("utf-8") + "2.2.2024;Mäntsälä öljy\n".encode("cp1252")
    text, enc, lines = decode_text(data)
    assert enc == "utf-8+cp1252" and lines == [3]
    assert "Hyvä hoito" in text and "Mäntsälä öljy" in text
    path = tmp_path / "sekava.csv"
    path.write_bytes(data)
    wb = read_workbook(path)
    assert wb.sheets[0].rows == [["Pvm", "Palaute"], ["1.2.2024", "Hyvä hoito"], ["2.2.2024", "Mäntsälä öljy"]]


def test_cp1252_undefined_bytes_kept():
    text, enc, _ = decode_text(b"a;b\n\x81x;\xe4\n")
    assert enc == "cp1252" and text == "a;b\n\x81x;ä\n"


def test_read_csv_text_and_delimiter_sniffing(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("a|b|c\n1|2|3\n", encoding="utf-8")
    assert read_csv_text(path) == ("a|b|c\n1|2|3\n", "utf-8", "|")
    # decimal commas inside a ';' file do not make it comma-separated
    assert sniff_delimiter("Arvio;Keskiarvo\n4,5;3,25\n4;4,75\n") == ";"
    # quoted commas and semicolons do not fool the count
    assert sniff_delimiter('id,comment\n1,"a; b; c"\n2,"x; y"\n') == ","


def _fast_xlsx(path: Path, n_rows: int) -> None:
    """A minimal but valid xlsx written as raw XML (openpyxl is far too slow for this)."""
    rows = []
    for i in range(n_rows):
        r = i + 2
        rows.append(f'<row r="{r}"><c r="A{r}"><v>{45000 + i % 700}</v></c><c r="B{r}"><v>{1 + i % 5}</v></c>'
                    f'<c r="C{r}" t="inlineStr"><is><t>Osasto {i % 37} kommentti numero {i * 7919 % 100003}</t></is></c></row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>Pvm</t></is></c><c r="B1" t="inlineStr"><is><t>Arvio</t></is></c>'
             '<c r="C1" t="inlineStr"><is><t>Palaute</t></is></c></row>' + "".join(rows) + "</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)


def test_big_xlsx_passes_the_bomb_check_and_reads(tmp_path):
    path = tmp_path / "iso.xlsx"
    _fast_xlsx(path, 200_000)
    start = time.perf_counter()
    wb = read_workbook(path)
    elapsed = time.perf_counter() - start
    rows = wb.sheets[0].rows
    assert len(rows) == 200_001
    assert rows[0] == ["Pvm", "Arvio", "Palaute"]
    assert rows[-1][1] == 1 + 199_999 % 5
    assert elapsed < 30, elapsed


def test_fifty_megabyte_csv(tmp_path):
    path = tmp_path / "iso.csv"
    line = "15.3.2024;Osasto 5B;4;Hoito oli hyvää ja henkilökunta ystävällistä, kiitos paljon kaikille\n"
    n = 50 * 1024 * 1024 // len(line.encode("cp1252")) + 1
    path.write_bytes(("Pvm;Yksikkö;Arvio;Palaute\n" + line * n).encode("cp1252"))
    assert path.stat().st_size >= 50 * 1024 * 1024
    wb = read_workbook(path)
    assert wb.encoding == "cp1252" and wb.delimiter == ";"
    assert len(wb.sheets[0].rows) == n + 1
    assert wb.sheets[0].rows[-1][1] == "Osasto 5B"


def test_whitespace_only_cells_are_empty(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Pvm", "   ", "Arvio"])
    wb.active.append(["1.1.2024", "\t", 3])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    rows = read_workbook(path).sheets[0].rows
    assert rows == [["Pvm", None, "Arvio"], ["1.1.2024", None, 3]]
