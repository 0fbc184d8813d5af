"""What every Kokemus PDF shares: fpdf2 with real (searchable, selectable) text in the
DejaVu fonts that ship inside matplotlib's wheel - so Finnish and Swedish letters render
on any machine without system fonts - and fixed metadata, so the same data gives the same
bytes (the creation date is the data's date, not the clock's).

Why fpdf2 (with matplotlib for charts) and not a browser or WeasyPrint: it is pure Python
from PyPI, starts in milliseconds (a headless Chromium via kaleido takes seconds and is a
moving part on a server), writes text as text, and needs no system libraries (WeasyPrint
needs Pango). Text is never parsed as markup (``markdown=False``), so a comment or an
action title containing ``**`` or ``<b>`` prints as written.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import matplotlib
from fpdf import FPDF

FONT = "DejaVu"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def new_pdf(*, lang: str, title: str, as_of: date, orientation: str = "P") -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(FONT, "", str(_FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(_FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.set_font(FONT, size=10)
    pdf.set_lang({"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}.get(lang, "fi-FI"))
    pdf.set_title(title)
    pdf.set_author("Kokemus")
    pdf.set_creator("Kokemus")
    pdf.set_producer("Kokemus (fpdf2)")
    pdf.set_creation_date(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc))
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def heading_style():
    from fpdf.fonts import FontFace
    return FontFace(family=FONT, emphasis="BOLD", fill_color=(232, 237, 238))
