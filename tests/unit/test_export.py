"""Exports must never let a patient's text run as an Excel formula, and must hide small counts."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from kokemus import export

DANGEROUS = [
    '=HYPERLINK("http://evil.example","klikkaa")',
    "+358401234567",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_formula_starts(text):
    assert export.neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Kiitos hyvästä hoidosta", "a=b", "", 5, -3, 2.5, None])
def test_neutralise_leaves_harmless_values(value):
    assert export.neutralise(value) == value


def _frame():
    return pd.DataFrame({
        "Kommentti": DANGEROUS + ["Hyvä <script>alert(1)</script> **bold**"],
        "Arvio": [1.0, 2.5, None, 4.0, 5.0, 3.0, -1.0],
        "Päivä": [dt.date(2025, 3, i + 1) for i in range(7)],
    })


def test_xlsx_has_no_formula_cells_and_keeps_text(tmp_path):
    data = export.to_xlsx_bytes(_frame(), sheet_name="Kommentit")
    path = tmp_path / "out.xlsx"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as zf:
        sheet_xml = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Kommentti", "Arvio", "Päivä")
    texts = [r[0] for r in rows[1:]]
    # Typed as text with Excel's quote prefix: shown as written, no apostrophe needed.
    # (XML line-end normalisation turns a stored CR into LF.)
    assert texts[:6] == [t.replace("\r", "\n") for t in DANGEROUS]
    assert all(c.quotePrefix for c in list(ws.iter_rows(min_row=2, max_row=7, max_col=1))[0])
    assert texts[6] == "Hyvä <script>alert(1)</script> **bold**"
    assert rows[2][1] == 2.5 and rows[3][1] is None and rows[7][1] == -1.0


def test_xlsx_readable_by_calamine(tmp_path):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "out.xlsx"
    path.write_bytes(export.to_xlsx_bytes(_frame()))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == DANGEROUS[0]


def test_csv_is_finnish_excel_friendly_and_neutralised():
    data = export.to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kommentti", "Arvio", "Päivä"]
    assert [r[0] for r in rows[1:7]] == ["'" + t for t in DANGEROUS]
    assert rows[2][1] == "2,5"
    assert not any(r[0].startswith(export.FORMULA_STARTS) for r in rows)


def test_small_counts_are_hidden_in_both_formats(tmp_path):
    frame = pd.DataFrame({"Teema": ["jonot", "puhelin", "tieto"], "Vastauksia": [12, 4, 0]})
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(frame, count_columns=["Vastauksia"]).decode("utf-8-sig")),
                           delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["12", "*", "0"]
    path = tmp_path / "c.xlsx"
    path.write_bytes(export.to_xlsx_bytes(frame, count_columns=["Vastauksia"], min_n=13))
    values = [r[1] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert values == ["*", "*", 0]


def test_threshold_follows_configuration(monkeypatch):
    frame = pd.DataFrame({"n": [7]})
    monkeypatch.setenv("KOKEMUS_MIN_N", "10")
    assert export.suppress_small_counts(frame, ["n"])["n"].tolist() == ["*"]
    monkeypatch.setenv("KOKEMUS_MIN_N", "5")
    assert export.suppress_small_counts(frame, ["n"])["n"].tolist() == [7]


def test_xlsx_is_ready_to_filter_in_excel(tmp_path):
    frame = pd.DataFrame({
        "Kuukausi": [dt.date(2025, 3, 1), dt.date(2025, 4, 1)],
        "Päivä": [dt.date(2025, 3, 14), dt.date(2025, 4, 2)],
        "Tuotu": [True, False],
        "Kommentti": ["Lyhyt", "Hyvin pitkä kommentti " * 3],
    })
    path = tmp_path / "f.xlsx"
    path.write_bytes(export.to_xlsx_bytes(frame, month_columns=["Kuukausi"]))
    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws["A2"].number_format == export.MONTH_FORMAT and ws["A2"].value == dt.datetime(2025, 3, 1)
    assert ws["B2"].number_format == "d.m.yyyy" and ws["B2"].value == dt.datetime(2025, 3, 14)
    assert [ws["C2"].value, ws["C3"].value] == ["kyllä", "ei"]
    assert ws["A1"].font.bold
    widths = {k: ws.column_dimensions[k].width for k in "ABCD"}
    assert widths["D"] > widths["C"] >= export.MIN_WIDTH and widths["D"] <= export.MAX_WIDTH


@pytest.mark.parametrize("lang, words", [("fi", ["kyllä", "ei"]), ("sv", ["ja", "nej"]), ("en", ["yes", "no"])])
def test_booleans_are_words_in_the_users_language(tmp_path, lang, words):
    frame = pd.DataFrame({"x": [True, False]})
    rows = list(csv.reader(io.StringIO(export.to_csv_bytes(frame, lang=lang).decode("utf-8-sig")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == words
    path = tmp_path / "b.xlsx"
    path.write_bytes(export.to_xlsx_bytes(frame, lang=lang))
    assert [r[0] for r in load_workbook(path).active.iter_rows(min_row=2, values_only=True)] == words
