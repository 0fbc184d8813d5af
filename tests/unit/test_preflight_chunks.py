"""The preflight reads sheet XML in chunks: a cell split by a chunk boundary must still count."""
import io

from etl.read import preflight


def _row(i: int, text: bytes) -> bytes:
    return b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (i, i, text)


def test_an_error_cell_split_by_a_chunk_boundary_is_still_seen():
    rows, i, size = [b"<worksheet><sheetData>"], 1, 22
    while size < preflight._CHUNK - 400:
        rows.append(_row(i, b"Hoito oli hyvaa ja henkilokunta ystavallista")); size += len(rows[-1]); i += 1
    n = i + 1
    cell = b'<row r="%d"><c r="B%d" t="e"><v>#DIV/0!</v></c></row>' % (n, n)
    split_at = cell.index(b"#DIV") + 3           # the boundary falls inside the error value
    pad = preflight._CHUNK - size - split_at - len(_row(i, b""))
    rows.append(_row(i, b"x" * pad))
    body = b"".join(rows)
    assert len(body) + split_at == preflight._CHUNK
    xml = body + cell + b"</sheetData></worksheet>"
    preflight._scan_sheet(io.BytesIO(xml), "x.xlsx", "Sheet1", path="p")
    assert preflight.error_cells("p", "Sheet1") == {(n - 1, 1): "#DIV/0!"}
