"""The "you said, we did" notice-board poster (one A4 page, PDF) and the same content as
plain text for a web page, in Finnish or Swedish (English too).

Built from :func:`kokemus.actions.stories`; only figures that rest on enough comments are
printed (small numbers suppressed), never a comment itself: a poster is public.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

from kokemus import actions, pdf_kit
from kokemus.filters import month_key
from kokemus.i18n import t
from kokemus.queries import format_number

MAX_ON_POSTER = 4
DESCRIPTION_CHARS = 320


def theme_name(theme: str, lang: str) -> str:
    label = t(f"theme_{theme}", lang)
    return theme if label == f"theme_{theme}" else label


def _pct(v, lang) -> str:
    return format_number(v, 0, lang, suffix=" %")


def said_lines(story: actions.Story, lang: str) -> list[str]:
    out = []
    for fig in story.figures:
        if fig.before.share is not None:
            out.append(t("ac_said_line", lang, theme=theme_name(fig.theme, lang), share=_pct(fig.before.share, lang),
                         months=fig.before.months))
    if not out and story.themes:
        out.append(", ".join(theme_name(th, lang) for th in story.themes))
    return out


def now_lines(story: actions.Story, lang: str) -> list[str]:
    return [t("ac_poster_now", lang, after=_pct(f.after.share, lang), before=_pct(f.before.share, lang))
            for f in story.figures if f.before.share is not None and f.after.share is not None]


def _short(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def web_text(unit: str, stories: Sequence[actions.Story], lang: str, *, last_month: date) -> str:
    """Plain text for the organisation's web page (no markup: paste it anywhere)."""
    lines = [t("ac_title", lang), unit, "", t("ac_poster_intro", lang), ""]
    for s in stories:
        lines.append(s.title)
        for line in said_lines(s, lang):
            lines.append(f"{t('ac_you_said', lang)}: {line}")
        lines.append(f"{t('ac_we_did', lang)}: {s.description or s.title}")
        for line in now_lines(s, lang):
            lines.append(line)
        lines.append("")
    lines.append(t("ac_poster_footer", lang, unit=unit, period=month_key(last_month)))
    return "\n".join(lines).strip() + "\n"


def poster_pdf(unit: str, stories: Sequence[actions.Story], lang: str, *, last_month: date) -> bytes:
    """One A4 page; stories that would not fit are left for the next poster."""
    pdf = pdf_kit.new_pdf(lang=lang, title=f"{t('ac_title', lang)} – {unit}", as_of=last_month)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_margins(18, 16, 18)
    pdf.set_fill_color(0, 94, 184)
    pdf.rect(0, 0, 210, 42, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(18, 11)
    pdf.set_font(pdf_kit.FONT, "B", 28)
    pdf.cell(0, 12, t("ac_title", lang))
    pdf.set_xy(18, 26)
    pdf.set_font(pdf_kit.FONT, "", 15)
    pdf.cell(0, 8, unit)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(18, 50)
    pdf.set_font(pdf_kit.FONT, "", 14)
    pdf.multi_cell(174, 7, t("ac_poster_intro", lang), align="L", new_x="LMARGIN", new_y="NEXT")
    bottom = 297 - 24
    for s in list(stories)[:MAX_ON_POSTER]:
        y0 = pdf.get_y() + 5
        if y0 > bottom - 40:
            break
        pdf.set_xy(18, y0)
        pdf.set_font(pdf_kit.FONT, "B", 18)
        pdf.multi_cell(174, 9, s.title, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        for label, lines in ((t("ac_you_said", lang), said_lines(s, lang)),
                             (t("ac_we_did", lang), [_short(s.description or s.title)]),
                             (t("ac_since", lang), now_lines(s, lang))):
            if not lines or pdf.get_y() > bottom - 12:
                continue
            pdf.set_x(18)
            pdf.set_font(pdf_kit.FONT, "B", 13)
            pdf.cell(46, 7, label + ":")
            pdf.set_font(pdf_kit.FONT, "", 13)
            pdf.multi_cell(128, 7, "\n".join(lines), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        pdf.set_draw_color(166, 166, 166)
        pdf.line(18, pdf.get_y() + 2, 192, pdf.get_y() + 2)
    pdf.set_xy(18, 297 - 18)
    pdf.set_font(pdf_kit.FONT, "I", 9)
    pdf.set_text_color(64, 64, 64)
    pdf.multi_cell(174, 5, t("ac_poster_footer", lang, unit=unit, period=month_key(last_month)), new_x="LMARGIN", new_y="NEXT")
    return pdf_kit.pdf_bytes(pdf)
