"""Checks on an untrusted file's bytes before anything read from it leaves the parse worker,
on every import path (Kokemus's template included). The worker runs them beside its reader
(:class:`etl.sandbox._ChecksBeside`); in-process (``KOKEMUS_SANDBOX=0``) they run first.

The spreadsheet readers are fast native code that trusts what a file says: a zip member
that inflates to gigabytes, one value parked at XFD1048576 (the reader lays out a
17-billion-cell grid and aborts the process) or a 100 MB cell. Each of those is found here
by streaming the file once, cheaply, and refused with a message that names the file and
sheet and says what to do. What slips through is still caught by the parse worker's memory
and time limits (:mod:`etl.sandbox`).
"""
from __future__ import annotations

import re
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Callable

from etl import limits
from etl.contract import ImportError_
from etl.read.columns import column_index, column_letter
from kokemus.i18n import t

_CHUNK = 4 << 20
_ROW_NUM = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"[^>/]*>")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>]")
# The same without the namespace prefix, for a chunk with no "<x:row": a pattern that starts
# with a literal is found by a fast scan instead of a try at every "<" (4-5x faster). Such a
# chunk's row tags (``<row[\s>]``) are counted by _runs_and_tags.
_ROW_NUM_PLAIN = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"[^>/]*>")
# Cell references, written from their literal (r=") on; the word boundary before it is
# checked by _search_ref (a leading \b would cost the fast scan).
_FIRST_CELL = re.compile(rb"r=\"([A-Z]{1,3})\d+\"[^>/]*>")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _fail(code: str, file: str, *, sheet: str | None = None, **params) -> ImportError_:
    key = f"safety_{code}"
    fmt = {"file": file, "sheet": sheet or "", **params}
    return ImportError_(t(key, "fi", **fmt), t(key, "en", **fmt), file=file, sheet=sheet,
                        code=code, details={k: v for k, v in params.items()})


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB" if n >= 1 << 20 else f"{n / 1024:.0f} KB"


def check(path: str | Path, file_name: str | None = None) -> None:
    """Raise :class:`ImportError_` when the file is unsafe to hand to a parser."""
    p = Path(path)
    name = file_name or p.name
    for key in [k for k in _errors_seen if k[0] == str(p)]:
        del _errors_seen[key]
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return  # the readers explain a missing file
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _check_zip(p, name)
    elif head and not head.startswith(b"\xd0\xcf\x11\xe0"):
        _check_text(p, name)


# ------------------------------------------------------------------------------- zip

def _check_zip(p: Path, name: str) -> None:
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return  # the readers refuse it as damaged
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.MAX_ZIP_MEMBERS:
            raise _fail("zip_members", name, n=len(infos), limit=limits.MAX_ZIP_MEMBERS)
        total = sum(max(0, i.file_size) for i in infos)
        if total > limits.MAX_UNCOMPRESSED:
            raise _fail("zip_size", name, size=_mb(total), limit=_mb(limits.MAX_UNCOMPRESSED))
        for info in infos:
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > limits.RATIO_CHECK_FROM and ratio > limits.MAX_MEMBER_RATIO:
                raise _fail("zip_ratio", name, size=_mb(info.file_size), ratio=f"{ratio:.0f}")
        names = {i.filename for i in infos}
        sheets = _xlsx_sheets(zf) if "xl/workbook.xml" in names else {}
        for info in infos:
            if info.is_dir():
                continue
            sheet = sheets.get(info.filename)
            try:
                with zf.open(info) as fh:
                    if sheet is not None:
                        _scan_sheet(fh, name, sheet, str(p))
                    elif info.filename.endswith(("sharedStrings.xml", "content.xml")):
                        _scan_long_text(fh, name, None)
                    else:
                        _drain(fh)
            except ImportError_:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
                    RuntimeError, zipfile.LargeZipFile, zlib.error):
                # CRC mismatch, a member longer than it declared, an unknown compression,
                # a damaged deflate stream:
                # the readers refuse the file as damaged with their own message
                return


def _drain(fh) -> None:
    while fh.read(_CHUNK):
        pass


def _xlsx_sheets(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member -> sheet name (best effort; a damaged workbook.xml gives {})."""
    from etl.read.readers import _xlsx_sheet_paths
    try:
        return {v: k for k, v in _xlsx_sheet_paths(zf).items()}
    except Exception:  # noqa: BLE001 - any damage here is for the readers to explain
        return {}


def _long_runs(chunk: bytes, carry: int, sep: bytes = b"<") -> tuple[int, int]:
    """(longest run without ``sep`` in ``chunk``, counting the ``carry`` bytes of the run
    it continues; length of the run open at its end). The gaps between the separators'
    positions, found by numpy, are the runs: no piece of the chunk is copied."""
    import numpy as np
    where = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == sep[0])
    if not len(where):
        return carry + len(chunk), carry + len(chunk)
    last = len(chunk) - int(where[-1]) - 1
    inner = int(np.diff(where).max()) - 1 if len(where) > 1 else 0
    return max(carry + int(where[0]), inner, last), last


def _runs_and_tags(chunk: bytes, carry: int) -> tuple[int, int, int, int]:
    r""":func:`_long_runs` of ``chunk``, the cells in it (``<c `` and ``<c>`` tags) and its
    unprefixed row tags (``<row`` then white space or ``>``, as ``rb"<row[\s>]"`` finds them),
    all from the one array of its "<" positions: ``bytes.count`` and ``findall`` took three
    more passes over the sheet."""
    import numpy as np
    data = np.frombuffer(chunk, dtype=np.uint8)
    where = np.flatnonzero(data == 60)   # "<"
    if not len(where):
        return carry + len(chunk), carry + len(chunk), 0, 0
    last = len(chunk) - int(where[-1]) - 1
    inner = int(np.diff(where).max()) - 1 if len(where) > 1 else 0
    tags = where[where < len(chunk) - 2]
    after = data[tags + 2]
    cells = int(np.count_nonzero((data[tags + 1] == 99) & ((after == 32) | (after == 62))))   # "c", " " or ">"
    tags = where[where < len(chunk) - 4]
    end = data[tags + 4]
    rows = int(np.count_nonzero((data[tags + 1] == 114) & (data[tags + 2] == 111) & (data[tags + 3] == 119)
                                & ((end == 62) | (end == 32) | ((end >= 9) & (end <= 13)))))   # "row", \s or ">"
    return max(carry + int(where[0]), inner, last), last, cells, rows


def _scan_long_text(fh, name: str, sheet: str | None) -> None:
    carry = 0
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            break
        longest, carry = _long_runs(chunk, carry)
        if longest > limits.MAX_CELL_BYTES:
            raise _fail("long_cell", name, sheet=sheet, size=_mb(longest), limit=_mb(limits.MAX_CELL_BYTES))


def _search_ref(pattern: re.Pattern, work: bytes, pos: int):
    """``pattern.search`` with a word boundary before its match, as ``\\b`` would check."""
    while True:
        m = pattern.search(work, pos)
        if m is None or m.start() == 0 or work[m.start() - 1] not in _WORD_BYTES:
            return m
        pos = m.start() + 1


@lru_cache(maxsize=4096)
def _beyond(letters: str) -> re.Pattern:
    """A pattern for a valued cell whose column lies right of ``letters`` (a cell ref is
    never self-closing when it holds a value). One scan per chunk finds the widest cell
    without matching every cell of a million-row sheet."""
    alts = ["[A-Z]{%d,3}" % (len(letters) + 1)] if len(letters) < 3 else []
    for i, ch in enumerate(letters):
        if ch < "Z":
            rest = len(letters) - i - 1
            alts.append(letters[:i] + f"[{chr(ord(ch) + 1)}-Z]" + ("[A-Z]" * rest))
    if not alts:
        return re.compile(rb"(?!)")
    return re.compile((r'r="(' + "|".join(alts) + r')\d+"[^>/]*>').encode())   # \b: _search_ref


_errors_seen: dict[tuple[str, str], dict[tuple[int, int], str]] = {}
_checking: dict[str, Callable[[], None]] = {}


def checking(path, wait: Callable[[], None]) -> None:
    """Mark a :func:`check` of ``path`` as under way in another thread (the parse worker runs
    it beside the reader, :mod:`etl.sandbox`): :func:`error_cells` of the path first calls
    ``wait()``, which returns once the check has passed."""
    _checking[str(path)] = wait


def error_cells(path, sheet: str) -> dict[tuple[int, int], str]:
    """Formula error cells ((row, column) 0-based -> text such as #DIV/0!) that the last
    :func:`check` of ``path`` saw in ``sheet``: some readers drop them silently. Waits for a
    check of the path still under way (:func:`checking`)."""
    wait = _checking.get(str(path))
    if wait is not None:
        wait()
    return _errors_seen.get((str(path), sheet), {})


def _scan_sheet(fh, name: str, sheet: str, path: str = "") -> None:
    """The real extent of the valued cells (not the stored <dimension>, which may lie)."""
    from etl.read.readers import _ERROR_CELL, _REF, _ROW_END, _VALUE
    errors: dict[tuple[int, int], str] = {}
    _errors_seen[(path, sheet)] = errors
    max_row = rows = cells = 0
    widest = ""
    carry = 0
    rest = b""
    while True:
        chunk = fh.read(_CHUNK)
        buf = rest + chunk
        if chunk:
            # Cut after the last whole row, as the readers' scan does, so no cell (an error
            # cell's <c> and its <v>) is split between two chunks; a row longer than the
            # look-back is cut after its last tag.
            row_end = max((m.end() for m in _ROW_END.finditer(buf, max(0, len(buf) - 65536))), default=-1)
            cut = row_end if row_end >= 0 else buf.rfind(b">") + 1
            work, rest = buf[:cut], buf[cut:]
            text_tail = len(rest) - (rest.rfind(b">") + 1)   # text after the last tag: an open cell
            if text_tail > limits.MAX_CELL_BYTES:
                raise _fail("long_cell", name, sheet=sheet, size=_mb(text_tail),
                            limit=_mb(limits.MAX_CELL_BYTES))
        else:
            work, rest = buf, b""
        longest, carry, n_cells, plain_rows = _runs_and_tags(work, carry)
        if longest > limits.MAX_CELL_BYTES:
            raise _fail("long_cell", name, sheet=sheet, size=_mb(longest), limit=_mb(limits.MAX_CELL_BYTES))
        plain = b":row" not in work       # no namespace prefix on any row tag
        nums = (_ROW_NUM_PLAIN if plain else _ROW_NUM).findall(work)
        if nums:
            max_row = max(max_row, max(map(int, nums)))
        rows += plain_rows if plain else len(_ROW_TAG.findall(work))
        cells += n_cells
        if b't="e"' in work and len(errors) < 100_000:
            for m in _ERROR_CELL.finditer(work):
                ref, val = _REF.search(m.group(1)), _VALUE.search(m.group(2))
                if ref and val:
                    errors[(int(ref.group(2)) - 1, column_index(ref.group(1)))] = val.group(1).decode("utf-8", "replace")
        pos = 0
        while True:
            m = _search_ref(_beyond(widest) if widest else _FIRST_CELL, work, pos)
            if not m:
                break
            widest = m.group(1).decode()
            pos = m.start()
        if not chunk:
            break
    if not widest:
        return
    max_row = max(max_row, rows)
    width = column_index(widest) + 1
    area = max_row * width
    too_big = width > limits.MAX_COLUMNS or area > limits.MAX_SHEET_CELLS
    if too_big and cells * 4 < area:
        raise _fail("far_cell", name, sheet=sheet, col=widest, row=max_row, n=cells)
    if width > limits.MAX_COLUMNS:
        raise _fail("too_many_columns", name, sheet=sheet, n=width, last=widest, limit=limits.MAX_COLUMNS)
    if area > limits.MAX_SHEET_CELLS:
        raise _fail("sheet_too_large", name, sheet=sheet, rows=max_row, cols=width,
                    limit=f"{limits.MAX_SHEET_CELLS:,}".replace(",", " "))


# ------------------------------------------------------------------------------ text

def _check_text(p: Path, name: str) -> None:
    """Line length and column count of a text export (csv/tsv/txt)."""
    longest = 0
    carry = 0
    head = b""
    with p.open("rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            if len(head) < 1 << 20:
                head += chunk[: (1 << 20) - len(head)]
            run, carry = _long_runs(chunk, carry, b"\n")
            longest = max(longest, run)
            if longest > limits.MAX_LINE_BYTES:
                raise _fail("long_line", name, size=_mb(longest), limit=_mb(limits.MAX_LINE_BYTES))
    _check_text_columns(head, name)
    if longest > limits.MAX_CELL_BYTES:  # only a line this long can hold a cell this long
        _check_text_cells(p, name)


def _check_text_cells(p: Path, name: str) -> None:
    """The longest cell of a text export: a megabyte of one character in one cell is no
    comment, and header and value matching must never meet it."""
    import csv
    import io

    from etl.read.readers import decode_text, sniff_delimiter
    try:
        text, _, _ = decode_text(p.read_bytes())
    except Exception:  # noqa: BLE001 - undecodable text is the readers' to explain
        return
    widest = 0
    try:
        for row in csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=sniff_delimiter(text)):
            widest = max(widest, max(map(len, row), default=0))
    except csv.Error:
        return
    if widest > limits.MAX_CELL_BYTES:
        raise _fail("long_cell", name, sheet=Path(name).stem, size=_mb(widest), limit=_mb(limits.MAX_CELL_BYTES))


def _check_text_columns(head: bytes, name: str) -> None:
    import csv
    import io

    from etl.read.readers import decode_text, sniff_delimiter
    try:
        text, _, _ = decode_text(head)
    except Exception:  # noqa: BLE001 - undecodable text is the readers' to explain
        return
    delim = sniff_delimiter(text)
    width = 0
    try:
        for i, row in enumerate(csv.reader(io.StringIO(text.replace("\x00", ""), newline=""), delimiter=delim)):
            width = max(width, len(row))
            if i >= 200:
                break
    except csv.Error:
        return
    if width > limits.MAX_COLUMNS:
        raise _fail("too_many_columns", name, n=width, last=column_letter(width - 1), limit=limits.MAX_COLUMNS)
