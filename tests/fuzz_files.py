"""Malformed spreadsheets for the fuzz test and `benchmarks/fuzz_import.py`.

Seeds are the files people really make (Kokemus's template and a hand-made layout as xlsx,
xls, ods and csv in several encodings); each fuzzed file is one seed with one to three
mutations: bit flips, truncation, inserted NUL bytes, a re-encoding, swapped, dropped or
renamed zip members, a value far away (XFD1048576), a huge stored dimension, a huge
repeat count, an error cell, a run of a million delimiters.
"""
from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

from tests.hostile import TEMPLATE_HEADER, sheet, write_xlsx

COMMENTS = ["Kiitos ystävällisestä hoidosta.", "Jouduin odottamaan kaksi tuntia!", "",
            "Hoitaja oli ihana; lääkäri ei kuunnellut.", "Soittakaa 040 123 4567", "Bra vård, tack."]


def _rows(rng: random.Random, n: int) -> list[list]:
    start = date(2024, 1, 1)
    return [[(start + timedelta(days=rng.randrange(400))).isoformat(), f"Osasto {rng.randrange(1, 4)}",
             rng.randrange(1, 6), rng.choice(COMMENTS) or None] for _ in range(n)]


def seeds(rng: random.Random) -> list[tuple[str, bytes]]:
    """(extension, bytes) of every seed kind."""
    rows = _rows(rng, 12)
    out = []
    buf = io.BytesIO()
    write_xlsx(buf, sheet([TEMPLATE_HEADER, *rows]))
    out.append((".xlsx", buf.getvalue()))
    buf = io.BytesIO()
    write_xlsx(buf, sheet([["Osaston palaute maaliskuu"], [], ["Pvm", "Osasto", "Arvosana", "Kommentti"], *rows]))
    out.append((".xlsx", buf.getvalue()))
    text = "\n".join(";".join("" if v is None else str(v) for v in r) for r in [TEMPLATE_HEADER, *rows]) + "\n"
    out += [(".csv", text.encode("utf-8")), (".csv", text.encode("cp1252", "replace")),
            (".csv", text.encode("utf-16")), (".csv", text.replace(";", ",").encode("utf-8-sig"))]
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Palautteet")
    for i, r in enumerate([["Pvm", "Osasto", "Arvosana", "Kommentti"], *rows]):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    out.append((".xls", buf.getvalue()))
    out.append((".ods", _ods(rows)))
    return out


def _ods(rows) -> bytes:
    def c(v):
        return ("<table:table-cell/>" if v is None else
                f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>')
    body = "".join("<table:table-row>" + "".join(c(v) for v in r) + "</table:table-row>"
                   for r in [TEMPLATE_HEADER, *rows])
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Taulukko1">' + body +
               '</table:table></office:spreadsheet></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return buf.getvalue()


# ----------------------------------------------------------------------------- mutations

def _zip_members(data: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}
    except Exception:  # noqa: BLE001 - not a (readable) zip: byte mutations only
        return None


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return buf.getvalue()


def _xml_member(members: dict[str, bytes]) -> str | None:
    for n in ("xl/worksheets/sheet1.xml", "content.xml"):
        if n in members:
            return n
    return None


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    kind = rng.choice(["flip", "truncate", "nul", "encode", "swap", "drop", "rename", "far", "dimension",
                       "repeat", "error", "garbage", "delims", "insert"])
    members = _zip_members(data)
    if kind in ("swap", "drop", "rename", "far", "dimension", "repeat", "error") and members:
        names = list(members)
        xml = _xml_member(members)
        if kind == "swap" and len(names) > 1:
            a, b = rng.sample(names, 2)
            members[a], members[b] = members[b], members[a]
        elif kind == "drop":
            del members[rng.choice(names)]
        elif kind == "rename":
            n = rng.choice(names)
            members[n + rng.choice(["x", ".bak", "/"])] = members.pop(n)
        elif xml and kind == "far":
            ref = rng.choice(["XFD1048576", "A1048576", "XFD1", "ZZZ99", "AAA1000000"])
            members[xml] = members[xml].replace(b"</sheetData>", f'<row r="{re.sub("[A-Z]", "", ref)}">'
                                                f'<c r="{ref}"><v>1</v></c></row></sheetData>'.encode())
            members[xml] = members[xml].replace(b"</table:table>", b'<table:table-row table:number-rows-repeated="1048000">'
                                                b'<table:table-cell table:number-columns-repeated="16000" office:value-type="float" office:value="1"/>'
                                                b'</table:table-row></table:table>')
        elif xml and kind == "dimension":
            members[xml] = members[xml].replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
        elif xml and kind == "repeat":
            members[xml] = re.sub(rb'<row r="(\d+)"', rb'<row r="\1" spans="1:16384"', members[xml], count=1)
            members[xml] = members[xml].replace(b"<table:table-row>", b'<table:table-row table:number-rows-repeated="2000000">', 1)
        elif xml and kind == "error":
            members[xml] = re.sub(rb'<c r="D(\d+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
                                  rb'<c r="D\1" t="e"><v>#DIV/0!</v></c>', members[xml], count=3)
        return _zip(members), kind
    b = bytearray(data)
    if kind == "flip" and b:
        for _ in range(rng.randint(1, 16)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "truncate" and b:
        del b[rng.randrange(len(b)):]
    elif kind == "nul" and b:
        for _ in range(rng.randint(1, 8)):
            b.insert(rng.randrange(len(b)), 0)
    elif kind == "encode":
        try:
            text = data.decode("utf-8-sig")
            b = bytearray(text.encode(rng.choice(["utf-16-le", "utf-32", "cp1252", "latin-1", "utf-8-sig"]),
                                      "replace"))
        except UnicodeDecodeError:
            b = bytearray(data.decode("latin-1").encode("utf-8"))
    elif kind == "garbage":
        b = bytearray(rng.randbytes(rng.randint(1, 4096)))
        if rng.random() < 0.5:
            b[:4] = rng.choice([b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf<"])
    elif kind == "delims":
        b += b";" * rng.choice([1000, 100_000, 2_000_000]) + b"\n"
    elif kind == "insert" and b:
        i = rng.randrange(len(b))
        b[i:i] = rng.choice([b"\r", b'"', b"\n\n\n", b"\xff\xfe", "ä".encode("utf-16-le"), b"=1/0", b"#N/A"])
    return bytes(b), kind


def fuzz_case(bases: list[tuple[str, bytes]], seed: int, i: int, max_mutations: int = 3
              ) -> tuple[str, bytes, list[str]]:
    """File ``i`` of a fuzz run: (extension, bytes, mutation kinds). Each file has its own
    random stream (``seed`` and ``i``), so any one file of a 10,000-file run can be made
    again alone to investigate it."""
    rng = random.Random(seed * 1_000_003 + i)
    ext, data = bases[i % len(bases)]
    kinds = []
    for _ in range(rng.randint(1, max_mutations)):
        data, kind = mutate(data, rng)
        kinds.append(kind)
    return ext, data, kinds


def fuzzed_files(directory: Path, n: int, seed: int, max_mutations: int = 3, start: int = 0):
    """Yield (index, path, mutation kinds) for files ``start``..``start + n`` of the run
    with ``seed``, written to ``directory``."""
    bases = seeds(random.Random(seed))
    for i in range(start, start + n):
        ext, data, kinds = fuzz_case(bases, seed, i, max_mutations)
        path = directory / f"fuzz{i:05d}{ext}"
        path.write_bytes(data)
        yield i, path, kinds
