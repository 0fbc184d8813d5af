"""Hand-built spreadsheet files for the hostile-file tests and the fuzz benchmark.

Written byte by byte (not with openpyxl) because the point is files no well-behaved
library writes: a value parked at XFD1048576, a lying <dimension>, formula error cells,
a member that inflates to gigabytes.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from etl.read.columns import column_letter

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '{dimension}<sheetData>')
SHEET_TAIL = '</sheetData></worksheet>'


col = column_letter   # tests name far cells the way the readers do


def cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, str) and value.startswith("#"):
        return f'<c r="{ref}" t="e"><f>1/0</f><v>{escape(value)}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list], first_row: int = 1) -> str:
    out = []
    for i, values in enumerate(rows):
        r = first_row + i
        cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(values) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def write_xlsx(path: Path, sheet_xml: str, *, sheet: str = "Palautteet",
               compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB.format(sheet=escape(sheet, {'"': "&quot;"})))
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def sheet(rows: list[list], *, extra: str = "", dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return SHEET_HEAD.format(dimension=dim) + rows_xml(rows) + extra + SHEET_TAIL


TEMPLATE_HEADER = ["Päivämäärä", "Yksikkö", "Arvio", "Palaute"]
TEMPLATE_ROWS = [["2024-03-01", "Osasto 1", 4, "Hyvä hoito, kiitos."],
                 ["2024-03-02", "Osasto 1", 2, "Odotin kaksi tuntia."]]


def template_xlsx(path: Path, *, extra: str = "", dimension: str = "", rows=None) -> Path:
    return write_xlsx(path, sheet([TEMPLATE_HEADER, *(rows or TEMPLATE_ROWS)], extra=extra, dimension=dimension))
