"""The upload preview's tables in the nurse's language: headers from the catalogue and
values as she writes them (15.3.2025, maaliskuu 2025, 4,5, kyllä, Paperilomake) - never a
field key such as ``submitted_on`` or ``score_5``, nor a stored code such as ``records``.

Pure functions (DataFrame in, DataFrame of text out) so the page holds layout only and the
tests can read what the nurse reads.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from kokemus import charts, export
from kokemus.i18n import catalogue, t
from kokemus.queries import format_number

# canonical column -> catalogue key of its header, in the order the preview shows them
PREVIEW_HEADERS = (
    ("submitted_on", "field_submitted_on"), ("month", "field_month"), ("unit_name", "field_unit"),
    ("service_area", "field_service_area"), ("channel", "field_channel"), ("language", "field_language"),
    ("raw_score", "upload_col_raw_score"), ("score_5", "upload_col_score_5"), ("nps", "field_nps"),
    ("feedback_type", "field_feedback_type"), ("comment", "field_comment"), ("wants_reply", "field_wants_reply"),
)
_YEAR_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b")


def _missing(v) -> bool:
    return v is None or (not isinstance(v, (str, list, tuple)) and pd.isna(v))


def _word(prefix: str, code, lang: str) -> str:
    """A stored code in words (``flt_channel_paper`` -> "Paperilomake"); unknown codes as they are."""
    if _missing(code):
        return ""
    key = f"{prefix}{code}"
    return t(key, lang) if key in catalogue() else str(code)


def date_text(v) -> str:
    if _missing(v):
        return ""
    d = pd.Timestamp(v)
    return f"{d.day}.{d.month}.{d.year}"


def month_text(v, lang: str) -> str:
    return "" if _missing(v) else charts.month_label(v, lang)


def _number(v, lang: str, decimals: int) -> str:
    if _missing(v):
        return ""
    try:
        return format_number(float(v), decimals, lang)
    except (TypeError, ValueError):
        return str(v)


def _text(v) -> str:
    return "" if _missing(v) else str(v)


def _type_text(v, lang: str) -> str:
    if _missing(v):
        return ""
    return _word("theme_type_" if v == "mixed" else "flt_type_", v, lang)


def first_rows_table(frame: pd.DataFrame, lang: str, rows: int = 20) -> pd.DataFrame:
    """The first rows as they would be stored, as plain text under the nurse's headers."""
    if frame is None or len(frame) == 0:
        return pd.DataFrame()
    head = frame.head(rows)
    fmt = {
        "submitted_on": date_text,
        "month": lambda v: month_text(v, lang),
        "channel": lambda v: _word("flt_channel_", v, lang),
        "language": lambda v: _word("flt_lang_", v, lang),
        "raw_score": lambda v: _text(v).replace(".", ",") if lang != "en" else _text(v),
        "score_5": lambda v: _number(v, lang, 1),
        "nps": lambda v: _number(v, lang, 0),
        "feedback_type": lambda v: _type_text(v, lang),
        "wants_reply": lambda v: "" if _missing(v) else export.boolean_word(bool(v), lang),
    }
    out = {}
    for column, key in PREVIEW_HEADERS:
        if column in head.columns:
            out[t(key, lang)] = [fmt.get(column, _text)(v) for v in head[column]]
    return pd.DataFrame(out)


def period_text(period, lang: str) -> str:
    """"2025-03 – 2025-04" -> "maalis 2025 – huhti 2025"; a date as a date."""
    if _missing(period):
        return ""
    if isinstance(period, (dt.date, pd.Timestamp)):
        return month_text(period, lang)
    return _YEAR_MONTH.sub(lambda m: charts.month_label(f"{m.group(1)}-{m.group(2)}-01", lang), str(period))


def sheets_table(sheets, lang: str) -> pd.DataFrame:
    """One line per sheet: used or not and why, what kind of sheet, where the header is."""
    cat = catalogue()
    rows = []
    for s in sheets:
        reason = ""
        if not s.used and s.reason:
            key = f"layout_skip_{s.reason}"
            reason = t(key, lang) if key in cat else s.reason
        rows.append({
            t("upload_col_sheet", lang): s.name,
            t("upload_col_used", lang): export.boolean_word(bool(s.used), lang),
            t("upload_col_kind", lang): _word("upload_kind_", s.kind, lang),
            t("upload_col_reason", lang): reason,
            t("upload_col_header_row", lang): "" if _missing(s.header_row) else str(s.header_row),
            t("upload_col_unit", lang): _text(s.unit),
            t("upload_col_period", lang): period_text(s.period, lang),
            t("upload_col_rows", lang): format_number(s.rows or 0, 0, lang),
        })
    return pd.DataFrame(rows)
