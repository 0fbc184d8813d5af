"""The pack's three forms from one list of sections: PDF (fpdf2, real text, charts as
PNG), XLSX (openpyxl, one sheet per table, numbers as numbers, every text cell neutralised
against formulas) and a printable HTML page (every value escaped, charts inlined).
"""
from __future__ import annotations

import base64
import html
import io
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from kokemus import export, pdf_kit
from kokemus.filters import month_key
from kokemus.i18n import t
from kokemus.report.content import Section, cell, cover_lines, sections, signed
from kokemus.report.data import ReportData

FORMATS = ("pdf", "xlsx", "html")


def _title(d: ReportData) -> str:
    return t("rep_title", d.lang)


# ------------------------------------------------------------------------------ PDF

def _pdf_table(pdf, frame: pd.DataFrame, lang: str) -> None:
    if frame.empty:
        pdf.set_font(pdf_kit.FONT, "I", 9)
        pdf.multi_cell(0, 5, t("rep_none", lang), new_x="LMARGIN", new_y="NEXT")
        return
    pdf.set_font(pdf_kit.FONT, "", 8)
    with pdf.table(text_align="LEFT", line_height=4.6, first_row_as_headings=True,
                   headings_style=pdf_kit.heading_style()) as table:
        table.row([str(c) for c in frame.columns])
        for values in frame.itertuples(index=False):
            table.row([cell(v, lang) for v in values])


def to_pdf(d: ReportData, secs: Sequence[Section]) -> bytes:
    lang = d.lang
    pdf = pdf_kit.new_pdf(lang=lang, title=f"{_title(d)} {d.period_text}", as_of=d.end)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_margins(16, 16, 16)
    pdf.set_footer = None
    pdf.add_page()
    pdf.set_font(pdf_kit.FONT, "B", 22)
    pdf.ln(30)
    pdf.multi_cell(0, 11, _title(d), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf_kit.FONT, "", 15)
    pdf.multi_cell(0, 8, d.organisation, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(pdf_kit.FONT, "", 11)
    for line in cover_lines(d):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    # KPI tiles on the cover: value, n and the Making Data Count icon in words
    kpis = secs[0].tables[0].frame
    pdf.ln(4)
    x0, y0, w, h = 16, pdf.get_y(), 58, 27
    for i, row in enumerate(kpis.itertuples(index=False)):
        x, y = x0 + (i % 3) * (w + 2), y0 + (i // 3) * (h + 2)
        pdf.set_draw_color(89, 89, 89)
        pdf.rect(x, y, w, h)
        pdf.set_xy(x + 2, y + 1.5)
        pdf.set_font(pdf_kit.FONT, "", 8)
        pdf.multi_cell(w - 4, 4, str(row[0]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(x + 2)
        pdf.set_font(pdf_kit.FONT, "B", 15)
        value = cell(row[1], lang) + (" %" if row[1] is not None and row[0] in (
            t("kpi_pct_satisfied", lang), t("kpi_praise_share", lang), t("kpi_reply_promise", lang)) else "")
        pdf.cell(w - 4, 7, value)
        pdf.set_xy(x + 2, y + 16)
        pdf.set_font(pdf_kit.FONT, "", 7)
        pdf.multi_cell(w - 4, 3.4, t("rep_tile_line", lang, n=cell(row[2], lang), prev=signed(row[5], lang),
                                     icon=row[6]), new_x="LMARGIN", new_y="NEXT")
    for sec in secs:
        pdf.add_page()
        pdf.set_font(pdf_kit.FONT, "B", 14)
        pdf.multi_cell(0, 8, sec.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for table in sec.tables:
            if sec.heading != table.caption:
                pdf.set_font(pdf_kit.FONT, "B", 10)
                pdf.multi_cell(0, 6, table.caption, new_x="LMARGIN", new_y="NEXT")
            _pdf_table(pdf, table.frame, lang)
            pdf.ln(3)
        pdf.set_font(pdf_kit.FONT, "", 8.5)
        for line in sec.lines:
            pdf.multi_cell(0, 4.4, line, new_x="LMARGIN", new_y="NEXT")
        for _, png in sec.charts:
            if pdf.get_y() > 297 - 16 - 62:
                pdf.add_page()
            pdf.image(io.BytesIO(png), x=16, w=178)
            pdf.ln(1)
    pages = pdf.pages_count
    pdf.set_auto_page_break(False)
    for n in range(1, pages + 1):
        pdf.page = n
        pdf.set_xy(16, 297 - 11)
        pdf.set_font(pdf_kit.FONT, "", 8)   # two sizes: fpdf2 re-emits the font on a revisited page
        pdf.set_font(pdf_kit.FONT, "", 7)
        pdf.cell(0, 4, f"{d.organisation} · {_title(d)} {month_key(d.start)}–{month_key(d.end)} · "
                       + t("rep_page_no", lang, n=n))
    pdf.page = pages
    return pdf_kit.pdf_bytes(pdf)


# ------------------------------------------------------------------------------ XLSX

def to_xlsx(d: ReportData, secs: Sequence[Section]) -> bytes:
    wb = Workbook()
    cover = wb.active
    cover.title = "Kansi" if d.lang == "fi" else "Omslag" if d.lang == "sv" else "Cover"
    cover["A1"] = export.neutralise(_title(d))
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = export.neutralise(d.organisation)
    for i, line in enumerate(cover_lines(d), start=4):
        cover.cell(row=i, column=1, value=export.neutralise(line))
    cover.column_dimensions["A"].width = 120
    used = {cover.title}
    for sec in secs:
        for table in sec.tables:
            name = table.key[:31]
            while name in used:
                name = name[:29] + "_2"
            used.add(name)
            ws = wb.create_sheet(name)
            ws.append([export.neutralise(table.caption)])
            ws["A1"].font = Font(bold=True)
            ws.append([export.neutralise(str(c)) for c in table.frame.columns])
            for c in ws[2]:
                c.font = Font(bold=True)
            for values in table.frame.itertuples(index=False):
                ws.append([_xlsx(v) for v in values])
            for col, header in zip(ws.iter_cols(min_row=2, max_row=2), table.frame.columns):
                width = max([len(str(header))] + [len(str(v)) for v in table.frame[header].head(200)])
                ws.column_dimensions[col[0].column_letter].width = min(80, max(10, width + 2))
            ws.freeze_panes = "A3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx(value):
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    if isinstance(value, pd.Timestamp):
        return value.date()
    return export.neutralise(value) if isinstance(value, str) else value


# ------------------------------------------------------------------------------ HTML

_CSS = """body{font-family:'DejaVu Sans',Arial,sans-serif;color:#212b32;max-width:190mm;margin:auto}
h1{font-size:22pt}h2{font-size:14pt;page-break-before:always}table{border-collapse:collapse;margin:4px 0 12px}
td,th{border:1px solid #999;padding:2px 6px;font-size:9pt;text-align:left}th{background:#e8edee}
.tiles{display:flex;flex-wrap:wrap;gap:6px}.tile{border:1px solid #595959;padding:6px;width:55mm}
.tile b{font-size:15pt;display:block}img{max-width:100%}p.q{font-size:9pt;white-space:pre-wrap}
@page{size:A4;margin:15mm}"""


def to_html(d: ReportData, secs: Sequence[Section]) -> bytes:
    e = html.escape
    lang = d.lang
    parts = [f'<!doctype html><html lang="{e(lang)}"><head><meta charset="utf-8">',
             f"<title>{e(_title(d))} {e(d.period_text)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{e(_title(d))}</h1><p>{e(d.organisation)}</p>"]
    parts += [f"<p>{e(line)}</p>" for line in cover_lines(d)]
    parts.append('<div class="tiles">')
    for row in secs[0].tables[0].frame.itertuples(index=False):
        parts.append(f'<div class="tile">{e(str(row[0]))}<b>{e(cell(row[1], lang))}</b>'
                     f'{e(t("rep_tile_line", lang, n=cell(row[2], lang), prev=signed(row[5], lang), icon=row[6]))}</div>')
    parts.append("</div>")
    for sec in secs:
        parts.append(f"<h2>{e(sec.heading)}</h2>")
        for table in sec.tables:
            parts.append(f"<h3>{e(table.caption)}</h3>")
            if table.frame.empty:
                parts.append(f"<p>{e(t('rep_none', lang))}</p>")
                continue
            parts.append("<table><tr>" + "".join(f"<th>{e(str(c))}</th>" for c in table.frame.columns) + "</tr>")
            for values in table.frame.itertuples(index=False):
                parts.append("<tr>" + "".join(f"<td>{e(cell(v, lang))}</td>" for v in values) + "</tr>")
            parts.append("</table>")
        parts += [f'<p class="q">{e(line)}</p>' for line in sec.lines]
        for caption, png in sec.charts:
            parts.append(f'<img alt="{e(caption)}" src="data:image/png;base64,{base64.b64encode(png).decode()}">')
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


# ------------------------------------------------------------------------------ all

@dataclass
class Pack:
    files: dict[str, bytes]
    seconds: float
    data: ReportData
    sections: list = None


def make(d: ReportData, formats: Sequence[str] = FORMATS, started: float | None = None) -> Pack:
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(bad[0])
    secs = sections(d, charts="pdf" in formats or "html" in formats)
    files = {}
    if "pdf" in formats:
        files["pdf"] = to_pdf(d, secs)
    if "xlsx" in formats:
        files["xlsx"] = to_xlsx(d, secs)
    if "html" in formats:
        files["html"] = to_html(d, secs)
    return Pack(files, time.perf_counter() - (started or time.perf_counter()), d, list(secs))


def file_name(d: ReportData, fmt: str) -> str:
    return f"palautekatsaus-{d.level}-{month_key(d.start)}-{month_key(d.end)}-{d.lang}.{fmt}"


def write(pack: Pack, out_dir: Path) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt, data in pack.files.items():
        path = out_dir / file_name(pack.data, fmt)
        path.write_bytes(data)
        paths.append(path)
    return paths
