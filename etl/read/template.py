"""Kokemus's own import template (docs/template.md): the fast path.

The template's columns are known, so nothing is guessed: fastexcel (xlsx) or pyarrow (csv)
reads every column as text into Arrow and DuckDB normalises the whole file in one SQL
statement. That keeps a 1,048,576-row sheet close to the reader's own speed.
"""
from __future__ import annotations

import codecs
import json
import shutil
import tempfile
import unicodedata
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from etl import limits
from etl.read.samples import sample_text
from etl.contract import CANONICAL_COLUMNS, ParsedFile, ProgressCallback, Reject, SheetReport
from etl.normalise.values import FORMULA_ERRORS

# header (normalised) -> field
TEMPLATE_COLUMNS = {
    "paivamaara": "submitted_on",
    "yksikko": "unit_name",
    "palvelualue": "service_area",
    "kanava": "channel",
    "kieli": "language",
    "arvio": "raw_score",
    "asteikko": "scale",
    "suosittelu": "nps",
    "tyyppi": "feedback_type",
    "palaute": "comment",
    "vastaus toivottu": "wants_reply",
    "vastaus-id": "external_id",
}
REQUIRED = {"submitted_on", "unit_name"}
TEMPLATE_SQL_MEMORY = "400MB"   # DuckDB's share while it normalises the sheet
_SQL_DIR = Path(__file__).parent.parent / "sql"
_PARSE_SQL = (_SQL_DIR / "normalise_template.sql").read_text(encoding="utf-8")
_FRAME_SQL = (_SQL_DIR / "template_frame.sql").read_text(encoding="utf-8")
_REJECTS_SQL = (_SQL_DIR / "template_rejects.sql").read_text(encoding="utf-8")

REASONS = {
    "no_date": ("Päivämäärä puuttuu tai sitä ei voi lukea; rivi hylättiin.",
                "The date is missing or unreadable; row rejected."),
    "invalid_date": ("Päivämäärää ei ole olemassa (esim. 31.2.); rivi hylättiin.",
                     "The date does not exist (e.g. 31 Feb); row rejected."),
    "no_unit": ("Yksikkö puuttuu; rivi hylättiin.", "The unit is missing; row rejected."),
    "score_unreadable": ("Arviota ei voi lukea; rivi tuotiin ilman arviota.",
                         "The score cannot be read; row loaded without a score."),
    "score_out_of_range": ("Arvio on asteikon ulkopuolella; rivi tuotiin ilman arviota.",
                           "The score is outside its scale; row loaded without a score."),
    "nps_out_of_range": ("Suosittelu ei ole kokonaisluku 0–10; rivi tuotiin ilman sitä.",
                         "The recommendation is not a whole number 0-10; row loaded without it."),
    "unknown_type": ("Tuntematon palautteen tyyppi; rivi tuotiin ilman tyyppiä.",
                     "Unknown feedback type; row loaded without a type."),
    "unknown_scale": ("Tuntematon asteikko; rivi tuotiin ilman arviota.",
                      "Unknown scale; row loaded without a score."),
}


def header_key(text: object) -> str:
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(s.lower().replace("_", " ").split())


def _is_template(headers: list[str]) -> bool:
    keys = [header_key(h) for h in headers]
    known = [k for k in keys if k in TEMPLATE_COLUMNS]
    return bool(known) and len(known) == len([k for k in keys if k]) and \
        REQUIRED <= {TEMPLATE_COLUMNS[k] for k in known}


def _csv_encoding_and_delimiter(path: Path) -> tuple[str, str]:
    head = path.read_bytes()[:65536]
    if head.startswith(codecs.BOM_UTF8):
        enc = "utf-8"
    else:
        try:
            head.decode("utf-8")
            enc = "utf-8"
        except UnicodeDecodeError as exc:
            # a cut multi-byte char at the 64 KiB edge is still UTF-8
            enc = "utf-8" if exc.start >= len(head) - 3 else "cp1252"
    first = head.decode(enc, errors="replace").lstrip("\ufeff").splitlines()[0] if head else ""
    delim = max([";", ",", "\t", "|"], key=first.count)
    return enc, delim


def _read_header(path: Path, kind: str) -> list[str]:
    if kind == "csv":
        enc, delim = _csv_encoding_and_delimiter(path)
        with path.open(encoding=enc, errors="replace") as fh:
            first = fh.readline().lstrip("\ufeff")
        return [c.strip().strip('"') for c in first.rstrip("\r\n").split(delim)]
    sheet = _excel_reader(path).load_sheet(0, n_rows=0, dtypes="string")
    return [str(c) for c in sheet.to_arrow().schema.names]


def _read_table(path: Path, kind: str) -> pa.Table:
    if kind == "csv":
        enc, delim = _csv_encoding_and_delimiter(path)
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding=enc, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True),
            # only an empty cell is empty: "NA", "null", "N/A" are what a patient wrote; "#N/A" is
            # a formula error, rejected by etl.read.sanitise like on every other path
            convert_options=pacsv.ConvertOptions(
                column_types={}, strings_can_be_null=True, null_values=[""], auto_dict_encode=False,
                include_missing_columns=True),
        )
        return table.cast(pa.schema([pa.field(n, pa.string()) for n in table.schema.names]))
    return pa.Table.from_batches([_excel_reader(path).load_sheet(0, dtypes="string").to_arrow()])


_FORMULA_ERRORS = pa.array(sorted(FORMULA_ERRORS))
_ERROR_REASON = ("Solussa on kaavan virhe (esim. #DIV/0!, #N/A), ei arvoa; solu hylättiin.",
                 "The cell holds a formula error (e.g. #DIV/0!, #N/A), not a value; cell rejected.")
_ERROR_ROW_REASON = ("Solussa on kaavan virhe (esim. #DIV/0!, #N/A) pakollisessa sarakkeessa; rivi hylättiin.",
                     "A required column holds a formula error (e.g. #DIV/0!, #N/A), not a value; row rejected.")


def _fold_error_cells(error_rejects: list[Reject], row_rejects: list[Reject]) -> list[Reject]:
    """One reject per rejected row: an error cell in a required column empties it, so the
    normalising SQL rejects the row again for a missing date or unit. The row's reject keeps
    its cells (for the re-uploadable rejects workbook) and takes the error as its cause;
    an error cell whose row was not rejected stays a rejected cell (row kept)."""
    rejected_rows = {(r.row, r.column): r for r in row_rejects if not r.row_kept}
    kept = []
    for e in error_rejects:
        # only the reject the error itself caused (same row, same column): a row rejected for
        # another cell (a bad date beside a #REF! unit) keeps its own cause
        target = rejected_rows.get((e.row, e.column)) if e.code == "formula_error" and e.row_kept is False else None
        if target is None:
            if e.code == "formula_error":
                e.row_kept = True
            kept.append(e)
            continue
        target.column, target.value, target.code = e.column, e.value, "formula_error"
        target.fi, target.en = _ERROR_ROW_REASON
        del rejected_rows[(e.row, e.column)]
    return kept


def _header_of(headers: list[str], fields: list[str | None]) -> dict[str, str]:
    out: dict[str, str] = {}
    for h, f in zip(headers, fields):
        if f and f not in out:
            out[f] = str(h)
    return out


def _clean_columns(cols: list, names: list[str], headers: dict[str, str], _sheet) -> tuple[list, list[Reject]]:
    """NUL bytes out of every text cell; formula error cells (#DIV/0!, #N/A ...) become
    rejected cells wherever they stand, never a comment or a unit name."""
    import pyarrow.compute as pc
    out, rejects = [], []
    for col, name in zip(cols, names):
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            if pc.any(pc.match_substring(col, "\x00")).as_py():
                col = pc.replace_substring(col, "\x00", "")
            # every formula error holds a "#": a column without one needs no closer look
            has_hash = pc.any(pc.match_substring(col, "#")).as_py()
            is_error = (pc.is_in(pc.utf8_upper(pc.utf8_trim_whitespace(col)), value_set=_FORMULA_ERRORS)
                        if has_hash else None)
            if has_hash and pc.any(is_error).as_py():
                rows = pc.indices_nonzero(pc.fill_null(is_error, False)).to_pylist()
                values = col.take(pa.array(rows)).to_pylist()
                for i, v in zip(rows, values):
                    rejects.append(Reject(sheet=None, row=i + 2, column=headers.get(name, name), value=v,
                                          code="formula_error", fi=_ERROR_REASON[0], en=_ERROR_REASON[1],
                                          row_kept=name not in REQUIRED))
                col = pc.if_else(is_error, pa.scalar(None, col.type), col)
        out.append(col)
    return out, rejects


# what DuckDB's trim() strips (checked against DuckDB: the Zs space separators)
_DUCKDB_TRIMS = " \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
EARLY_MAX_BYTES = 256 * 1024 * 1024


def _trimmed_comments(comments) -> pa.Array:
    """The comment column as the frame has it: ``nullif(trim(comment), '')`` in DuckDB's terms
    (its trim takes Unicode's space separators, not tabs or line breaks; the same for every
    code point, tests/unit/test_template_frame.py), worked out in Arrow. The comment is the
    one wide column and needs no parsing, so it does not go through the normalising SQL: the
    frame takes it from here by source row, and the same array is what is sent ahead."""
    import pyarrow.compute as pc
    col = comments.combine_chunks() if isinstance(comments, pa.ChunkedArray) else comments
    col = pc.utf8_trim(col, _DUCKDB_TRIMS)
    return pc.if_else(pc.equal(col, ""), pa.scalar(None, col.type), col)


def _send_comments(early, col: pa.Array, headers: list[str]) -> None:
    """The comment column as the frame will have it (:func:`_trimmed_comments`), with the
    header the comments answered. A column over EARLY_MAX_BYTES is not sent: the copy the
    message makes would be spent inside the worker's memory limit, and tagging after the
    parse gives the same tags."""
    import pyarrow.compute as pc
    if col.null_count == len(col) or col.nbytes > EARLY_MAX_BYTES:
        return
    # cut as etl.limits.cap_comments cuts, so a pasted document costs the parent no more here
    long = pc.greater(pc.utf8_length(col), limits.COMMENT_MAX_CHARS)
    if pc.any(long).as_py():
        keep = limits.COMMENT_MAX_CHARS - len(limits.CUT_MARK)
        cut = pc.utf8_rtrim_whitespace(pc.utf8_slice_codeunits(col, 0, keep))
        col = pc.if_else(long, pc.binary_join_element_wise(cut, limits.CUT_MARK, ""), col)
    # the last header taken for the comment, as the sheet report lists its columns
    question = next((str(h) for h in reversed(headers) if TEMPLATE_COLUMNS.get(header_key(h)) == "comment"), None)
    early(question, col)


def _dropped_error_cells(path: Path, sheet_name: str, headers: list[str]) -> list[Reject]:
    """fastexcel reads a formula error cell as empty; the preflight scan saw it."""
    from etl.read.preflight import error_cells
    out = []
    for (r, c), text in sorted(error_cells(path, sheet_name).items()):
        if r == 0 or c >= len(headers):
            continue
        field = TEMPLATE_COLUMNS.get(header_key(headers[c]))
        if field is None:
            continue
        out.append(Reject(sheet=None, row=r + 1, column=str(headers[c]), value=text, code="formula_error",
                          fi=_ERROR_REASON[0], en=_ERROR_REASON[1], row_kept=field not in REQUIRED))
    return out


def kind_of(path: Path, file_name: str) -> str | None:
    ext = Path(file_name).suffix.lower()
    if ext in (".csv", ".txt", ".tsv"):
        return "csv"
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    return None


def parse_template(path: Path, file_name: str | None = None,
                   progress: ProgressCallback | None = None, early=None) -> ParsedFile | None:
    """Parse a file in the template format, or return None when it is not one.
    ``early(question, comments)``: handed the comment column (a pyarrow array, one value
    per row, trimmed as the frame's) and its header as soon as they are known, before the
    rest of the sheet is normalised (etl.normalise.tag_ahead tags it meanwhile)."""
    path = Path(path)
    file_name = file_name or path.name
    kind = kind_of(path, file_name)
    if kind is None:
        return None
    try:
        # fastexcel parses the whole sheet even for its header row, so an xlsx is read once,
        # completely, and its header taken from the result
        raw = _read_table(path, kind) if kind == "xlsx" else None
        headers = list(raw.schema.names) if raw is not None else _read_header(path, kind)
    except BaseException as exc:  # a library error or a panic in its Rust code
        from etl.read.readers import reader_failure
        if not reader_failure(exc):
            raise
        _reader_cache.clear()
        return None  # let the general readers explain what is wrong with the file
    if not _is_template(headers):
        _reader_cache.clear()
        return None
    if progress:
        progress(0.05, file_name)
    if raw is None:
        try:
            raw = _read_table(path, kind)
        except Exception:  # noqa: BLE001 - pyarrow's ArrowInvalid and the like: the general
            _reader_cache.clear()  # readers read the file row by row and explain what is wrong
            return None
    fields = [TEMPLATE_COLUMNS.get(header_key(h)) for h in raw.schema.names]
    raw_headers = list(raw.schema.names)
    cols, names = [], []
    for name, field in zip(raw.schema.names, fields):
        if field and field not in names:
            cols.append(raw.column(name))
            names.append(field)
    for field in set(TEMPLATE_COLUMNS.values()) - set(names):
        cols.append(pa.nulls(raw.num_rows, pa.string()))
        names.append(field)
    header_of = _header_of(raw.schema.names, fields)
    sheet_arg = "" if kind == "csv" else None
    found: list[list[Reject] | None] = [None] * len(names)

    def clean(i: int) -> None:
        (cols[i],), found[i] = _clean_columns([cols[i]], [names[i]], header_of, sheet_arg)

    # the comments first: sent ahead, the other columns are cleaned while they are tagged
    at_comment = names.index("comment")
    clean(at_comment)
    comments = _trimmed_comments(cols[at_comment])
    if early is not None:
        _send_comments(early, comments, headers)
    for i in range(len(names)):
        if found[i] is None:
            clean(i)
    error_rejects = [r for rejects in found for r in rejects]
    # Excel row number: header is row 1
    cols.append(pa.array(range(2, raw.num_rows + 2), pa.int64()))
    names.append("source_row")
    src = pa.Table.from_arrays(cols, names=names)
    src_comments = src.select(["source_row", "comment"])   # the cells as written, for the rejects
    if progress:
        progress(0.3, file_name)
    sheet_name = "" if kind == "csv" else _first_sheet_name(path)
    _reader_cache.clear()   # the workbook reader still holds the whole sheet: free it first
    spill = tempfile.mkdtemp(prefix="kokemus-template-")   # owner-only, removed below
    # One thread and a memory limit (spilling to the owner-only directory beyond it) keep
    # a full 1,048,575-row sheet within the parse worker's budget (docs/upload.md).
    con = duckdb.connect(config={"threads": 1, "memory_limit": TEMPLATE_SQL_MEMORY, "temp_directory": spill,
                                 "preserve_insertion_order": True})
    try:
        con.register("src", src)
        con.register("src_comments", src_comments)
        del raw, cols
        con.execute(_PARSE_SQL).fetchall()
        con.unregister("src")
        del src
        table = con.sql(_FRAME_SQL, params={"sheet": sheet_name}).to_arrow_table()
        rej = con.execute(_REJECTS_SQL).fetchall()
        con.unregister("src_comments")
        del src_comments
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    # each kept row's comment, by its source row (the header is row 1, the first data row 2)
    import pyarrow.compute as pc
    kept = pc.subtract(table.column("source_row"), 2)
    table = table.add_column(table.column_names.index("type_source") + 1, "comment", comments.take(kept))
    del comments, kept
    frame = pandas_frame(table)
    del table
    frame = frame.astype({k: v for k, v in CANONICAL_COLUMNS.items() if k in frame.columns and v in ("Int16", "Int64", "boolean", "bool", "float64")})
    if kind == "xlsx":
        error_rejects += _dropped_error_cells(path, sheet_name, list(raw_headers))
    for r in error_rejects:
        r.sheet = sheet_name or None
    row_rejects = [
        Reject(sheet=sheet_name or None, row=int(r[0]), column=r[1], value=r[2], code=r[3],
               fi=REASONS[r[3]][0], en=REASONS[r[3]][1], row_kept=bool(r[4]), row_values=r[5],
               row_cells=json.loads(r[6]) if r[6] else None)
        for r in rej
    ]
    rejects = _fold_error_cells(error_rejects, row_rejects) + row_rejects
    if progress:
        progress(0.5, file_name)
    report = SheetReport(
        name=sheet_name or file_name, used=True, kind="records", header_row=1,
        columns={h: TEMPLATE_COLUMNS[header_key(h)] for h in headers if header_key(h) in TEMPLATE_COLUMNS},
        rows=len(frame),
        samples={h: [sample_text(v) for v in frame[TEMPLATE_COLUMNS[header_key(h)]].dropna().head(3)]
                 for h in headers if header_key(h) in TEMPLATE_COLUMNS
                 and TEMPLATE_COLUMNS[header_key(h)] in frame.columns},
    )
    if len(frame):
        report.unit = ", ".join(sorted(frame["unit_name"].dropna().unique()[:5]))
        report.period = f"{frame['month'].min():%Y-%m} – {frame['month'].max():%Y-%m}"
    _reader_cache.clear()
    return ParsedFile(file_name=file_name, format="template", frame=frame, rejects=rejects,
                      sheets=[report], header_signature="template")


def pandas_frame(table: pa.Table):
    """The frame DuckDB's ``.df()`` makes of ``table``, column for column and dtype for dtype,
    built from its Arrow buffers: ``.df()`` turns every text cell into a Python string and
    pandas turns them back into Arrow strings, half a second for 200,000 rows. Text holding
    any value is pandas' Arrow-backed ``str`` (NaN for a missing one), text holding none is
    ``object`` of None; a date is ``datetime64[us]``; a decimal is float64; a whole number or
    a truth value with a missing one is nullable (Int16, boolean), else NumPy's."""
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc
    rows = table.num_rows
    columns = {}
    for name, col in zip(table.column_names, table.columns):
        kind = col.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            if col.null_count == rows:
                columns[name] = pd.Series(np.full(rows, None, dtype=object), dtype=object)
            else:
                text = pd.StringDtype("pyarrow", na_value=np.nan)
                columns[name] = pd.Series(text.__from_arrow__(pc.cast(col, pa.large_string())), dtype=text)
        elif pa.types.is_date(kind):
            columns[name] = pd.Series(pc.cast(col, pa.timestamp("us")).to_pandas(), dtype="datetime64[us]")
        elif pa.types.is_decimal(kind):
            columns[name] = pc.cast(col, pa.float64()).to_pandas()
        elif col.null_count and (pa.types.is_integer(kind) or pa.types.is_boolean(kind)):
            nullable = pd.BooleanDtype() if pa.types.is_boolean(kind) else pd.api.types.pandas_dtype(
                str(kind).replace("int", "Int").replace("uInt", "UInt"))
            columns[name] = pd.Series(nullable.__from_arrow__(col), dtype=nullable)
        else:
            columns[name] = col.to_pandas()
    return pd.DataFrame(columns, index=pd.RangeIndex(rows))


def _first_sheet_name(path: Path) -> str:
    return _excel_reader(path).sheet_names[0]


_reader_cache: dict[str, tuple[int, object]] = {}


def _excel_reader(path: Path):
    """One fastexcel reader per file for header, sheet name and data: opening a workbook
    parses its shared strings, which is a third of the reading time."""
    import fastexcel
    key = str(path)
    stamp = path.stat().st_mtime_ns
    hit = _reader_cache.get(key)
    if hit is None or hit[0] != stamp:
        _reader_cache.clear()
        _reader_cache[key] = (stamp, fastexcel.read_excel(key))
    return _reader_cache[key][1]
