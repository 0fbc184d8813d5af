"""Bytes -> sheets of cells, for every spreadsheet a wellbeing area really has.

Readers know nothing about feedback: they hand layout detection raw cells (row 0 = Excel
row 1, so row numbers in messages match what the nurse sees) and refuse, with a message
in Finnish and English, any file that cannot be read whole. A refused file loads nothing.

The kind of a file is decided from its first bytes, never from its name: nurses rename
files, and a Word document called ``palaute.xlsx`` must be told apart from a damaged
workbook. Workbooks are read with python-calamine, which parses the stored cell values
and never executes macros or formulas, so an ``.xlsm`` is as safe to read as an ``.xlsx``.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import olefile
import python_calamine as pc

from etl.contract import ImportError_
from etl.read.columns import column_index
from kokemus.i18n import t

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNCOMPRESSED = 1 << 30          # 1 GiB: a full 1,048,576-row sheet unpacks to ~400 MB
MAX_RATIO = 200                     # real xlsx files compress 5-20:1
RATIO_CHECK_FROM = 16 << 20         # a small file cannot hurt, whatever its ratio
MAX_ZIP_MEMBERS = 10_000
MAX_TEXT_BYTES = 1 << 30
SNIFF_BYTES = 65_536
DELIMITERS = (";", "\t", ",", "|")  # order breaks ties: Finnish Excel writes ';'

csv.field_size_limit(64 << 20)      # one long comment must not look like a broken file


@dataclass
class RawSheet:
    name: str
    hidden: bool
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    kind: str = "worksheet"         # worksheet | chart | dialog | macro
    formula_cells: int = 0          # xlsx/xlsm only: cells holding a formula


@dataclass
class Workbook:
    file_name: str
    kind: str
    sheets: list[RawSheet]
    encoding: str | None = None     # csv only
    delimiter: str | None = None    # csv only


# --------------------------------------------------------------------------- errors

def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _fail(code: str, file: str, *, sheet: str | None = None, row: int | None = None,
          details: dict | None = None, **params) -> ImportError_:
    """Build the one exception readers raise, with both languages from the catalogue."""
    key = f"readers_{code}"
    fmt = {"file": file, "sheet": sheet or "", "row": row or "", **params}
    return ImportError_(t(key, "fi", **fmt), t(key, "en", **fmt), file=file, sheet=sheet,
                        row=row, code=code, details=details or params)


# --------------------------------------------------------------------------- sniffing

def sniff_kind(path) -> str:
    """Decide what a file is from its bytes.

    Returns one of ``xlsx xlsm xlsb ods xls csv`` (readable) or ``encrypted doc docx html
    zip ole binary empty`` (not readable; :func:`read_workbook` explains why).
    """
    p = Path(path)
    with p.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return _sniff_zip(p)
    if head.startswith(OLE2_MAGIC):
        return _sniff_ole(p)
    return _sniff_text(head)


def _sniff_zip(p: Path) -> str:
    try:
        with zipfile.ZipFile(p) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mime:
                    return "ods"
                if b"opendocument.text" in mime:
                    return "docx"
            if "xl/workbook.xml" in names:
                if "xl/vbaProject.bin" in names:
                    return "xlsm"
                ct = zf.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
                return "xlsm" if b"macroEnabled" in ct else "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "word/document.xml" in names:
                return "docx"
            if "content.xml" in names:       # ODS without a mimetype member
                return "ods"
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError, NotImplementedError,
            RuntimeError, zlib.error):  # zlib.error: a damaged deflate stream
        return "zip"
    return "zip"


def _sniff_ole(p: Path) -> str:
    try:
        if not olefile.isOleFile(str(p)):
            return "ole"
        with olefile.OleFileIO(str(p)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=False)}
    except Exception:  # olefile raises many kinds on damaged headers
        return "ole"
    if "EncryptedPackage" in streams or "EncryptionInfo" in streams:
        return "encrypted"
    if "WordDocument" in streams:
        return "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    return "ole"


def _sniff_text(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv"
    # a few stray NUL bytes (a kiosk's export, a bad copy) do not make text binary: they
    # are stripped when read; many of them do
    if head.count(b"\x00") > max(4, len(head) // 100):
        return "binary"
    controls = sum(1 for b in head if b < 32 and b not in (0, 9, 10, 13, 12))
    if controls > len(head) // 100:
        return "binary"
    start = head.lstrip(codecs.BOM_UTF8).lstrip()[:200].lower()
    if start.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"<meta")):
        return "html"
    return "csv"


# --------------------------------------------------------------------------- entry point

def read_workbook(path, file_name: str | None = None) -> Workbook:
    """Read every sheet (hidden ones too) of one file, or raise :class:`ImportError_`.

    ``file_name`` is the name the user knows (an upload is stored under a temporary
    path); messages use it.
    """
    p = Path(path)
    name = file_name or p.name
    try:
        size = p.stat().st_size
    except OSError:
        raise _fail("missing", name) from None
    if size == 0:
        raise _fail("empty_file", name)
    kind = sniff_kind(p)
    if kind in ("xlsx", "xlsm", "xlsb", "ods"):
        scans = _check_zip(p, name, kind)
        return _read_calamine(p, name, kind, scans)
    if kind == "xls":
        return _read_calamine(p, name, kind, {})
    if kind == "csv":
        if size > MAX_TEXT_BYTES:
            raise _fail("too_large", name, size=_human_size(size), limit=_human_size(MAX_TEXT_BYTES))
        return _read_csv(p, name)
    if kind == "encrypted":
        raise _fail("password", name)
    if kind in ("doc", "docx"):
        raise _fail("word_document", name)
    if kind == "html":
        raise _fail("html_export", name)
    if kind in ("zip", "ole"):
        # a zip/OLE2 container that is not a workbook we know, or one too damaged to list
        raise _fail("corrupt", name, details={"container": kind})
    raise _fail("not_a_workbook", name, what=kind)


# --------------------------------------------------------------------------- zip checks

_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*\bt=\"e\"[^>]*)>(.*?)</(?:\w+:)?c>", re.S)
_REF = re.compile(rb"\br=\"([A-Z]+)([0-9]+)\"")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_FORMULA_NS = re.compile(rb"<\w+:f[\s>/]")
_ROW_END = re.compile(rb"</(?:\w+:)?row>")


def _check_zip(p: Path, name: str, kind: str) -> dict[str, "_SheetScan"]:
    """Refuse zip bombs before any parser inflates the file, then stream the members once.

    The declared sizes are checked first (cheap); streaming through :mod:`zipfile` then
    proves them, because it stops at the declared size and verifies the CRC. The same pass
    collects what calamine drops for xlsx: formula error cells (#DIV/0!, #N/A ...) and
    formulas saved without values.
    """
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _fail("zip_bomb", name, size=f"{len(infos)} osaa/parts", ratio="-")
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            ratio = total / packed
            if total > MAX_UNCOMPRESSED or (total > RATIO_CHECK_FROM and ratio > MAX_RATIO):
                raise _fail("zip_bomb", name, size=_human_size(total), ratio=f"{ratio:.0f}")
            sheet_paths = _xlsx_sheet_paths(zf) if kind in ("xlsx", "xlsm") else {}
            by_path = {v: k for k, v in sheet_paths.items()}
            scans: dict[str, _SheetScan] = {}
            for info in infos:
                if info.is_dir():
                    continue
                sheet = by_path.get(info.filename)
                with zf.open(info) as fh:
                    if sheet is None:
                        while fh.read(4 << 20):
                            pass
                    else:
                        scans[sheet] = _scan_sheet_xml(fh)
            return scans
    except ImportError_:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error):
        raise _fail("corrupt", name) from None


def _xlsx_sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet XML member, from workbook.xml and its relationships."""
    try:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    out = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                out[el.get("name")] = targets[rid]
    return out


@dataclass
class _SheetScan:
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formula_cells: int = 0


def _scan_sheet_xml(fh) -> _SheetScan:
    scan = _SheetScan()
    rest = b""
    while True:
        chunk = fh.read(4 << 20)
        buf = rest + chunk
        if chunk:
            cut = max((m.end() for m in _ROW_END.finditer(buf, max(0, len(buf) - 65536))), default=-1)
            if cut < 0 and len(buf) < (64 << 20):
                rest = buf
                continue
            cut = len(buf) if cut < 0 else cut
            work, rest = buf[:cut], buf[cut:]
        else:
            work, rest = buf, b""
        if b"<f" in work or b":f" in work:
            scan.formula_cells += work.count(b"<f>") + work.count(b"<f ") + len(_FORMULA_NS.findall(work))
        if b't="e"' in work:
            for m in _ERROR_CELL.finditer(work):
                ref = _REF.search(m.group(1))
                val = _VALUE.search(m.group(2))
                if ref and val:
                    scan.errors[(int(ref.group(2)) - 1, column_index(ref.group(1)))] = \
                        val.group(1).decode("utf-8", "replace")
        if not chunk:
            return scan


# --------------------------------------------------------------------------- calamine

_SHEET_KINDS = {"WorkSheet": "worksheet", "ChartSheet": "chart", "DialogSheet": "dialog",
                "MacroSheet": "macro", "Vba": "macro"}


def reader_failure(exc: BaseException) -> bool:
    """An error a spreadsheet library raised about the file: its exceptions, and a panic in
    its Rust code (pyo3's PanicException, a BaseException) on a damaged file."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _read_calamine(p: Path, name: str, kind: str, scans: dict) -> Workbook:
    try:
        wb = pc.CalamineWorkbook.from_path(str(p))
    except pc.PasswordError:
        raise _fail("password", name) from None
    except BaseException as exc:  # calamine's errors (Xml, Zip, Calamine, ValueError, a panic) mean damage
        if not reader_failure(exc):
            raise
        raise _fail("corrupt", name) from None
    sheets: list[RawSheet] = []
    with wb:
        for meta in wb.sheets_metadata:
            sheet_kind = _SHEET_KINDS.get(str(meta.typ).rsplit(".", 1)[-1], "worksheet")
            hidden = meta.visible != pc.SheetVisibleEnum.Visible
            if sheet_kind == "chart":
                sheets.append(RawSheet(meta.name, hidden, [], [], sheet_kind))
                continue
            try:
                sh = wb.get_sheet_by_name(meta.name)
                raw = sh.to_python(skip_empty_area=False)
                merged_raw = sh.merged_cell_ranges or []
            except BaseException as exc:
                if not reader_failure(exc):
                    raise
                raise _fail("corrupt", name, sheet=meta.name) from None
            rows = _clean_rows(raw)
            scan = scans.get(meta.name)
            if scan and scan.errors:
                _put_errors(rows, scan.errors)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in merged_raw]
            _fill_merged(rows, merged)
            sheets.append(RawSheet(meta.name, hidden, rows, merged, sheet_kind,
                                   scan.formula_cells if scan else 0))
    _require_content(sheets, name)
    return Workbook(name, kind, sheets)


def _clean_rows(raw: list[list[Any]]) -> list[list[Any]]:
    """calamine writes empty cells as ''; layout detection wants None, and a cell holding
    only spaces is as empty to a reader as a blank one."""
    out = []
    for row in raw:
        out.append([None if (v == "" or (v.__class__ is str and not v.strip())) else v for v in row])
    while out and not any(v is not None for v in out[-1]):
        out.pop()
    return out


def _put_errors(rows: list[list[Any]], errors: dict[tuple[int, int], str]) -> None:
    for (r, c), text in errors.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([None] * (c + 1 - len(row)))
        if row[c] is None:
            row[c] = text


def _fill_merged(rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> None:
    """Copy a merged range's top-left value into the cells it covers: a nurse merges the
    unit or month cell over many rows, and every one of those rows belongs to it. Ranges
    are clipped to the filled rows (and 256 columns) so a merge over a whole column or
    row costs nothing."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    for r1, c1, r2, c2 in merged:
        if r1 >= height or c1 >= len(rows[r1]):
            continue
        value = rows[r1][c1]
        if value is None:
            continue
        for r in range(r1, min(r2, height - 1) + 1):
            row = rows[r]
            last = max(min(c2, width - 1), min(c2, 255))
            if len(row) <= last:
                row.extend([None] * (last + 1 - len(row)))
            for c in range(c1, last + 1):
                if row[c] is None:
                    row[c] = value


def _require_content(sheets: list[RawSheet], name: str) -> None:
    if any(any(v is not None for v in row) for s in sheets for row in s.rows):
        return
    with_formulas = [s for s in sheets if s.formula_cells]
    if with_formulas:
        raise _fail("formulas_not_calculated", name, sheet=with_formulas[0].name)
    raise _fail("empty_workbook", name)


# --------------------------------------------------------------------------- text files

codecs.register_error("kokemus_latin1", lambda e: (e.object[e.start:e.end].decode("latin-1"), e.end))


def decode_text(data: bytes) -> tuple[str, str, list[int]]:
    """Decode a text export without losing a character.

    Returns (text, encoding, cp1252_lines). UTF-8 (with or without BOM) and UTF-16 with a
    BOM are taken as they are; otherwise the file is Windows-1252, as Finnish Excel saves
    CSV. When a UTF-8 file has only some lines that are not UTF-8 (two exports pasted
    together), those lines alone are decoded as Windows-1252, so neither half turns into
    mojibake; the encoding is then ``utf-8+cp1252`` and the 1-based line numbers are listed.
    The five bytes Windows-1252 leaves undefined are kept as their Latin-1 characters.
    """
    if data.startswith(codecs.BOM_UTF8):
        body, enc = data[3:], "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16", []
    else:
        body, enc = data, "utf-8"
    try:
        return body.decode("utf-8"), enc, []
    except UnicodeDecodeError:
        pass
    lines = body.split(b"\n")
    good = bad = 0
    decoded, fallback = [], []
    for i, line in enumerate(lines, 1):
        try:
            decoded.append(line.decode("utf-8"))
            if any(b > 127 for b in line):
                good += 1
        except UnicodeDecodeError:
            decoded.append(line.decode("cp1252", errors="kokemus_latin1"))
            fallback.append(i)
            bad += 1
    if good == 0:  # nothing proves UTF-8: the whole file is Windows-1252
        return body.decode("cp1252", errors="kokemus_latin1"), "cp1252", []
    return "\n".join(decoded), "utf-8+cp1252", fallback


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of fields most
    consistently; quotes are respected, so commas inside quoted comments and decimal
    commas in a ';' file do not fool it."""
    sample = [ln for ln in text[:SNIFF_BYTES].splitlines()[:60] if ln.strip()]
    if len(sample) > 1 and len(text) > SNIFF_BYTES:
        sample = sample[:-1]  # the last sampled line may be cut
    best, best_score = ",", (0.0, 0)
    for d in DELIMITERS:
        try:
            counts = [len(r) - 1 for r in csv.reader(sample, delimiter=d)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode == 0:
            continue
        score = (round(counts.count(mode) / len(counts), 6), mode)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv_text(path) -> tuple[str, str, str]:
    """(text, encoding, delimiter) of a CSV/TSV/TXT export."""
    text, enc, _ = decode_text(Path(path).read_bytes())
    return text, enc, sniff_delimiter(text)


def _read_csv(p: Path, name: str) -> Workbook:
    text, enc, delim = read_csv_text(p)
    if "\x00" in text:
        text = text.replace("\x00", "")
    rows: list[list[Any]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        for row in reader:
            rows.append([None if not v.strip() else v for v in row])
    except csv.Error:
        raise _fail("corrupt_csv_row", name, row=reader.line_num) from None
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    sheets = [RawSheet(p.stem if p.name == name else Path(name).stem, False, rows)]
    _require_content(sheets, name)
    return Workbook(name, "csv", sheets, encoding=enc, delimiter=delim)
