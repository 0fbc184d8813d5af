"""Hostile names (issue 14 item 6): a warehouse whose file, unit, sheet and service-area names
and comments carry Markdown, HTML and Streamlit directives, and a scan of what a page sends
to the browser for any of it left uninterpreted. Shared by the AppTest and browser tests."""
from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import Workbook

from etl import pipeline
from tests.conftest import write_template_csv

# each kind of formatting a name could smuggle in; the tokens below must never reach a
# Markdown or HTML context unescaped
UNITS = [
    "Osasto **5B** :red[punainen]",
    "<img src=x onerror=alert(1)> ![x](http://127.0.0.1:9/kuva.png)",
    "Poli $x$ [linkki](http://127.0.0.1:9/l) <b>lihava</b>",
]
AREA = ":red[Alue] **b** _k_"
FILE = "**tiedosto** :red[x] <img src=x onerror=alert(2)> $x$.csv"
SHEET = "<b>lihava $x$ __v__ <img"           # Excel forbids : [ ] * ? / \ in sheet names
WORKBOOK = "![x](http) **työkirja** $y$.xlsx"
COMMENT = "Hoitaja oli **todella** ystävällinen :red[kiitos] <img src=x onerror=alert(3)> $x$ ![k](http://127.0.0.1:9/c.png)"

TOKENS = ["**5B**", ":red[punainen]", ":red[Alue]", ":red[x]", ":red[kiitos]", "<img", "![x](", "$x$", "[linkki](", "<b>", "**b**", "**tiedosto**",
          "**työkirja**", "**todella**", "__v__", "![k](", "$y$", "_k_"]


def build(db: Path, tmp_path: Path) -> None:
    """Import files whose names and values carry the tokens: a template CSV under FILE and a
    workbook under WORKBOOK with a SHEET and a rejected row (so the sheet name is stored)."""
    rows = []
    for y, m in [(2025, m) for m in range(7, 13)] + [(2026, m) for m in range(1, 7)]:
        for d, unit in enumerate(UNITS, start=1):
            for k in range(10):
                rows.append({"Päivämäärä": f"{d + k}.{m}.{y}", "Yksikkö": unit, "Palvelualue": AREA,
                             "Arvio": str(2 + (d + k + m) % 4), "Suosittelu": str((d * k + m) % 11),
                             "Tyyppi": "moite" if k == 0 else "kiitos",
                             "Palaute": f"{COMMENT} ({m}/{d}/{k}) Jonotin kauan." if k < 3 else "",
                             "Vastaus toivottu": "kyllä" if k == 0 else "ei"})
    path = write_template_csv(tmp_path / "hostile.csv", rows)
    r = pipeline.import_file(path, file_name=FILE, db_path=db, imported_by="hoitaja")
    assert r.status == "loaded", r.error_en
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Päivämäärä", "Yksikkö", "Arvio", "Palaute"])
    ws.append(["3.6.2026", UNITS[0], 4, COMMENT])
    ws.append(["ei päivää", UNITS[1], 5, COMMENT])
    book = tmp_path / "hostile.xlsx"
    wb.save(book)
    r = pipeline.import_file(book, file_name=WORKBOOK, db_path=db, imported_by="hoitaja")
    assert r.status == "loaded", r.error_en


# proto fields Streamlit renders as Markdown (bodies, labels, tooltips; radio/pills options)
_MARKDOWN_FIELDS = {"body", "label", "help", "caption", "captions"}
_OPTION_MARKDOWN = {"Radio", "ButtonGroup"}
_PLAIN_PROTOS = {"Text", "Code", "Json", "Arrow", "Selectbox", "MultiSelect", "TextInput", "TextArea"}


def _items(value):
    repeated = not isinstance(value, (str, bytes)) and not hasattr(value, "ListFields") \
        and hasattr(value, "__iter__")
    return list(value) if repeated else [value]


def _strings(message, path=""):
    for field, value in message.ListFields():
        name = f"{path}.{field.name}" if path else field.name
        if field.type == field.TYPE_MESSAGE:
            for item in _items(value):
                if hasattr(item, "ListFields"):
                    yield from _strings(item, name)
        elif field.type == field.TYPE_STRING:
            for item in _items(value):
                for text in (_items(item) if not isinstance(item, str) else [item]):
                    if isinstance(text, str):
                        yield field.name, name, text


def _plotly_texts(spec: str):
    """Every string a plotly figure renders as (pseudo-)HTML: titles, names, ticks, texts."""
    fig = json.loads(spec)

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("customdata", "meta", "uid", "hovertemplate_src"):
                    yield from walk(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v, key)
        elif isinstance(node, str) and key in ("text", "name", "x", "y", "hovertext", "ticktext",
                                              "labels", "title", "hovertemplate", "texttemplate"):
            yield node
    yield from walk(fig)


def _unescaped(text: str) -> str:
    """What Markdown would still see: every backslash-escaped character blanked out."""
    return re.sub(r"\\.", "\x00", text)


def violations(at) -> list[str]:
    """Every Markdown/HTML-rendered string on the page that carries a raw token."""
    found = []

    def visit(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            kind = type(proto).__name__
            if kind == "PlotlyChart":
                spec = proto.spec or getattr(proto, "figure", None) and proto.figure.spec
                for text in _plotly_texts(spec or "{}"):
                    found.extend([f"PlotlyChart: {text!r}" for tok in ("<img", "<b>") if tok in text][:1])
            elif kind not in _PLAIN_PROTOS:
                for field, name, text in _strings(proto):
                    markdown = field in _MARKDOWN_FIELDS or (field == "options" and kind in _OPTION_MARKDOWN)
                    if markdown and any(tok in _unescaped(text) for tok in TOKENS):
                        found.append(f"{kind}.{name}: {text!r}")
        for child in getattr(node, "children", {}).values() if isinstance(getattr(node, "children", None), dict) \
                else getattr(node, "children", []) or []:
            visit(child)
    visit(at._tree)
    return found
