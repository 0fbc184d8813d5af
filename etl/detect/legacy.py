"""A detected sheet -> canonical columns, column by column.

A 1,048,576-row sheet must not be walked cell by cell in Python more than once, so each
mapped column is pulled out whole and handed to the column parsers of ``etl.normalise.values``;
per-cell word parsers (type, yes/no, channel) run once per distinct value.
"""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from etl.detect import layout, tally
from etl.contract import CANONICAL_COLUMNS, Answer, Reject
from kokemus.i18n import t

_LANGUAGE_WORDS = {
    "fi": "fi", "suomi": "fi", "finnish": "fi", "finska": "fi", "suomeksi": "fi",
    "sv": "sv", "ruotsi": "sv", "svenska": "sv", "swedish": "sv", "ruotsiksi": "sv", "på svenska": "sv",
    "en": "en", "englanti": "en", "english": "en", "engelska": "en", "englanniksi": "en",
}


def reason(code: str) -> tuple[str, str]:
    """(fi, en) text of a layout reject code from the catalogue."""
    key = f"layout_reject_{code}"
    return t(key, "fi"), t(key, "en")


def _values():
    import etl.normalise.values as values
    return values


def _column(rows: list[list[Any]], idx: list[int], c: int) -> list[Any]:
    return [rows[i][c] if c < len(rows[i]) else None for i in idx]


def _row_text(row: list[Any]) -> str:
    return " | ".join("" if v is None else str(v) for v in row)


def _by_distinct(values: list[Any], fn) -> list[Any]:
    """Apply a cell parser once per distinct value: columns of words repeat a handful of
    values a million times."""
    cache: dict[Any, Any] = {}
    out = []
    for v in values:
        try:
            out.append(cache[v])
        except KeyError:
            r = cache[v] = None if v is None else fn(v)
            out.append(r)
        except TypeError:  # unhashable
            out.append(None if v is None else fn(v))
    return out


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    return s or None


def data_rows(rows: list[list[Any]], plan: layout.SheetPlan) -> list[int]:
    """Indices of non-blank data rows (blank rows inside the data are skipped silently)."""
    cols = list(plan.columns)
    return [i for i in range(plan.data_start, plan.data_end)
            if any(v is not None and v != "" for v in (rows[i][c] for c in cols if c < len(rows[i])))]


_LABELS = frozenset({"ka", "ka.", "vastaajia", "vastaajat", "vastauksia", "lkm", "n", "yht", "yht.",
                     "medelvärde", "medeltal", "antal", "svarande", "respondents", "count", "mean",
                     "keskiarvo", "yhteensä", "total", "summa", "average", "median", "mediaani", "%"})
_CONTENT_PREFIXES = ("question:", "text:")


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def response_rows(rows: list[list[Any]], plan: layout.SheetPlan) -> tuple[list[int], dict[str, int]]:
    """Data rows that are responses, and the others counted by why they are not: a row
    with only a date (a pre-filled paper-form row), only a label ("Ka.", "Vastaajia",
    "Medelvärde") or no answer at all. Rows under a totals row are counted too."""
    from etl.detect.synonyms import is_totals_label, normalise_header
    content = [c for c, f in plan.columns.items()
               if f in layout.CONTENT_FIELDS or f.startswith(_CONTENT_PREFIXES)]
    period = [c for c, f in plan.columns.items() if f in layout.PERIOD_FIELDS]
    keep: list[int] = []
    skipped: dict[str, int] = {}
    width_cols = list(plan.columns)
    for i in data_rows(rows, plan):
        row = rows[i]
        if any(not _blank(row[c]) for c in content if c < len(row)):
            if not _label_row(row, width_cols):
                keep.append(i)
                continue
        filled = [row[c] for c in width_cols if c < len(row) and not _blank(row[c])]
        if filled and all(isinstance(v, str) and (normalise_header(v) in _LABELS or is_totals_label(v))
                          or isinstance(v, (int, float)) for v in filled) and any(isinstance(v, str) for v in filled):
            code = "label_only"
        elif filled and all(c in period for c in width_cols if c < len(row) and not _blank(row[c])):
            code = "date_only"
        else:
            code = "no_answers"
        skipped[code] = skipped.get(code, 0) + 1
    below = sum(1 for r in rows[plan.data_end:] if any(not _blank(v) for v in r))
    if below:
        skipped["below_totals"] = below
    return keep, skipped


def _label_row(row: list[Any], cols: list[int]) -> bool:
    """"Ka. | 4,2 | | " - a label in the first filled cell and numbers after it."""
    from etl.detect.synonyms import normalise_header
    filled = [row[c] for c in cols if c < len(row) and not _blank(row[c])]
    return bool(filled) and isinstance(filled[0], str) and normalise_header(filled[0]) in _LABELS \
        and all(isinstance(v, (int, float)) or normalise_header(v) in _LABELS for v in filled[1:])


def build_records(sheet, plan: layout.SheetPlan, *, default_unit: str | None = None
                  ) -> tuple[dict[str, Any], list[Answer], list[Reject]]:
    """Canonical columns (lists or arrays), per-question answers and rejects for a sheet."""
    if plan.kind == "tally":
        cols, rejects = tally.expand_tally(sheet, plan, reason)
        n = len(cols["month"])
        cols["source_sheet"] = [sheet.name] * n
        cols["channel"] = [plan.channel] * n
        cols["unit_name"] = [u if u is not None else (plan.unit or default_unit) for u in cols["unit_name"]]
        return cols, [], rejects

    values = _values()
    rows = sheet.rows
    idx, skipped = response_rows(rows, plan)
    plan.skipped_rows = skipped
    n = len(idx)
    source_row = [i + 1 for i in idx]
    by_field = {f: c for c, f in reversed(list(plan.columns.items()))}
    cols: dict[str, Any] = {"source_row": source_row, "source_sheet": [sheet.name] * n}
    rejects: list[Reject] = []
    row_dropped = np.zeros(n, dtype=bool)
    # every column with a header or a field (a date column may have no header text)
    headers = [(i, plan.headers.get(i) or layout.column_letter(i))
               for i in sorted(set(plan.headers) | set(plan.columns))]

    def cell_reject(j: int, c: int, value: Any, code: str, fi: str, en: str, kept: bool) -> None:
        row = rows[idx[j]]
        rejects.append(Reject(sheet.name, source_row[j], plan.headers.get(c), value, code, fi, en,
                              row_kept=kept, row_values=_row_text(row),
                              row_cells=[(h, row[i] if i < len(row) else None) for i, h in headers]))

    # --- when: a date column, a month column, or the sheet's own period
    submitted = [None] * n
    month = [plan.period] * n
    date_bad = np.zeros(n, dtype=bool)
    if "submitted_on" in by_field:
        c = by_field["submitted_on"]
        raw = _column(rows, idx, c)
        dates, date_rejects, meta = values.parse_date_column(raw, year_hint=plan.year_hint,
                                                             default_order=plan.date_order)
        plan.dates_assumed = meta["assumed"]
        if meta["assumed"]:
            plan.decisions.append(("detect_dates_assumed", {
                "column": plan.headers.get(c) or layout.column_letter(c), "n": meta["assumed"],
                "order": meta["order"], "dmy": meta["day_first"], "mdy": meta["month_first"]}))
        submitted = [d.date() if isinstance(d, dt.datetime) else d for d in dates]
        for j, code, fi, en in date_rejects:
            date_bad[j] = True
        month = [dt.date(d.year, d.month, 1) if d is not None else m for d, m in zip(submitted, month)]
        for j, code, fi, en in date_rejects:
            cell_reject(j, c, raw[j], code, fi, en, kept=month[j] is not None)
    if "month" in by_field:
        c = by_field["month"]
        raw = _column(rows, idx, c)
        periods = _by_distinct(raw, lambda v: tally.period_of(v, plan.year_hint))
        month = [p if p is not None else m for p, m in zip(periods, month)]
    for j in range(n):
        if month[j] is None:
            row_dropped[j] = True
            if not date_bad[j]:
                fi, en = reason("no_period")
                c = by_field.get("submitted_on", by_field.get("month"))
                cell_reject(j, c, rows[idx[j]][c] if c is not None and c < len(rows[idx[j]]) else None,
                            "no_period", fi, en, kept=False)
            else:  # the date reject already names the cell; it now drops the row
                for r in reversed(rejects):
                    if r.row == source_row[j]:
                        r.row_kept = False
                        break
    cols["submitted_on"] = submitted
    cols["month"] = month

    # --- what: score, nps, type, comment, reply wish
    if "score" in by_field:
        c = by_field["score"]
        raw = _column(rows, idx, c)
        if plan.word_scale == "words" and _fft_codes(raw):
            plan.decisions.append(("detect_fft_codes", {"column": plan.headers.get(c) or layout.column_letter(c)}))
            levels = _by_distinct(raw, _fft_level)
            cols["score_5"] = [float(lv) if lv else None for lv in levels]
            cols["raw_score"] = [_text(v) for v in raw]
            cols["scale"] = ["words" if lv is not None else None for lv in levels]
            for j, (v, lv) in enumerate(zip(raw, levels)):
                if v is not None and lv is None:
                    fi, en = reason("bad_score")
                    cell_reject(j, c, v, "bad_score", fi, en, kept=True)
        elif plan.word_scale:
            levels = _by_distinct(raw, tally.answer_rank)
            present = {lv for lv in levels if lv is not None}
            scale, scores = tally.level_scores({0, 1, 2, 4, 5} if plan.word_scale == "smiley4" else present | {1, 3, 5})
            cols["score_5"] = [scores.get(lv) if lv is not None else None for lv in levels]
            cols["raw_score"] = [_text(v) for v in raw]
            cols["scale"] = [scale if lv is not None else None for lv in levels]
            for j, (v, lv) in enumerate(zip(raw, levels)):
                if v is not None and lv is None:
                    fi, en = reason("bad_score")
                    cell_reject(j, c, v, "bad_score", fi, en, kept=True)
        else:
            scale = values.detect_scale(plan.headers.get(c), raw)
            score5, raw_text, scale, score_rejects = values.parse_score_column(raw, scale, plan.headers.get(c))
            cols["score_5"] = score5
            cols["raw_score"] = raw_text
            cols["scale"] = [scale if r is not None else None for r in raw_text]
            for j, code, fi, en in score_rejects:
                cell_reject(j, c, raw[j], code, fi, en, kept=True)
    if "nps" in by_field:
        c = by_field["nps"]
        raw = _column(rows, idx, c)
        nps, nps_rejects = values.parse_nps_column(raw)
        cols["nps"] = nps
        for j, code, fi, en in nps_rejects:
            cell_reject(j, c, raw[j], code, fi, en, kept=True)
    if "feedback_type" in by_field:
        c = by_field["feedback_type"]
        raw = _column(rows, idx, c)
        types = _by_distinct(raw, values.parse_type)
        cols["feedback_type"] = types
        cols["type_source"] = ["source" if x is not None else None for x in types]
        for j, (v, x) in enumerate(zip(raw, types)):
            if x is None and v is not None:
                fi, en = reason("unknown_type")
                cell_reject(j, c, v, "unknown_type", fi, en, kept=True)
    if "comment" in by_field:
        cols["comment"] = [_text(v) for v in _column(rows, idx, by_field["comment"])]
    extra_text = [(c, f.split(":", 1)[1]) for c, f in plan.columns.items() if f.startswith("text:")]
    if extra_text:
        # a second open question is kept whole in answers and also as comment text, so the
        # comment page and the tagger see it ("What could we do better?: ...")
        base = cols.get("comment") or [None] * n
        joined = list(base)
        for c, question in extra_text:
            for j, v in enumerate(_column(rows, idx, c)):
                text = _text(v)
                if text and _looks_open(text):
                    joined[j] = f"{joined[j]}\n\n{question}: {text}" if joined[j] else f"{question}: {text}"
        cols["comment"] = joined
    if "wants_reply" in by_field:
        cols["wants_reply"] = _by_distinct(_column(rows, idx, by_field["wants_reply"]), values.parse_yes_no)
    if "channel" in by_field:
        ch = _by_distinct(_column(rows, idx, by_field["channel"]), values.parse_channel)
        cols["channel"] = [x or plan.channel for x in ch]
    elif plan.channel:
        cols["channel"] = [plan.channel] * n
    if "language" in by_field:
        lang = _by_distinct(_column(rows, idx, by_field["language"]),
                            lambda v: _LANGUAGE_WORDS.get(str(v).strip().lower()[:20]))
        cols["language"] = [x or plan.language for x in lang]
    elif plan.language:
        cols["language"] = [plan.language] * n
    if "external_id" in by_field:
        cols["external_id"] = [_text(v) for v in _column(rows, idx, by_field["external_id"])]
    if "service_area" in by_field:
        cols["service_area"] = [_text(v) for v in _column(rows, idx, by_field["service_area"])]

    # --- where: a unit column, else the sheet / title / file name, else the caller's unit
    fallback = plan.unit or default_unit
    if "unit" in by_field:
        c = by_field["unit"]
        cols["unit_name"] = [_text(v) or fallback for v in _column(rows, idx, c)]
        for j, u in enumerate(cols["unit_name"]):
            if u is None and not row_dropped[j]:
                row_dropped[j] = True
                fi, en = reason("no_unit")
                cell_reject(j, c, None, "no_unit", fi, en, kept=False)
    else:
        cols["unit_name"] = [fallback] * n

    answers = _answers(sheet, plan, rows, idx, source_row, row_dropped, values)

    if row_dropped.any():
        keep = ~row_dropped
        cols = {k: (list(np.asarray(v, dtype=object)[keep]) if len(v) == n else v) for k, v in cols.items()}
    return cols, answers, rejects


def _looks_open(text: str) -> bool:
    """Free text worth reading as a comment, not a yes/no tick or a number."""
    return len(text) >= 3 and not text.replace(",", "").replace(".", "").isdigit()


def _fft_codes(raw: list[Any]) -> bool:
    """NHS Friends and Family Test exports code the answer 1 = very good .. 5 = very poor,
    6 = don't know."""
    vals = [v for v in raw if v is not None and v != ""]
    if not vals:
        return False
    def code(v):
        try:
            x = float(str(v).strip())
        except ValueError:
            return None
        return int(x) if x.is_integer() and 1 <= x <= 6 else None
    return sum(code(v) is not None for v in vals) >= 0.9 * len(vals)


def _fft_level(v: Any) -> int | None:
    """FFT code -> level: 1 -> 5 (very good) .. 5 -> 1 (very poor), 6 -> 0 (don't know:
    a response without a score)."""
    level = tally.answer_rank(v) if isinstance(v, str) else None
    if level is not None:
        return level
    try:
        x = float(str(v).strip())
    except ValueError:
        return None
    return {1: 5, 2: 4, 3: 3, 4: 2, 5: 1, 6: 0}.get(int(x)) if x.is_integer() else None


def _answers(sheet, plan, rows, idx, source_row, dropped, values) -> list[Answer]:
    from etl.normalise.redact import redact_text
    out: list[Answer] = []
    for c, f in plan.columns.items():
        if f.startswith("text:"):
            question = f.split(":", 1)[1]
            for j, v in enumerate(_column(rows, idx, c)):
                text = _text(v)
                if text is None or dropped[j]:
                    continue
                out.append(Answer(sheet.name, source_row[j], question, redact_text(text)[0][:4000], None))
            continue
        if not f.startswith("question:"):
            continue
        question = f.split(":", 1)[1]
        raw = _column(rows, idx, c)
        levels = _by_distinct(raw, tally.answer_rank)
        if any(lv is not None for lv in levels):
            score = [float(lv) if lv else None for lv in levels]
        else:
            scale = values.detect_scale(plan.headers.get(c), raw)
            score, _, _, _ = values.parse_score_column(raw, scale, plan.headers.get(c))
        for j, (v, s) in enumerate(zip(raw, score)):
            if v is None or dropped[j]:
                continue
            value = None if s is None or (isinstance(s, float) and math.isnan(s)) else float(s)
            out.append(Answer(sheet.name, source_row[j], question, _text(v), value))
    return out


def canonical_frame(parts: list[dict[str, Any]]) -> pd.DataFrame:
    """One DataFrame with exactly CANONICAL_COLUMNS from per-sheet column dicts."""
    frames = []
    for cols in parts:
        n = len(cols["month"])
        data = {}
        for name, dtype in CANONICAL_COLUMNS.items():
            v = cols.get(name)
            if v is None:
                v = [False] * n if name == "counted" else [None] * n
            data[name] = pd.Series(v, dtype=_dtype(dtype, name))
        frames.append(pd.DataFrame(data))
    if not frames:
        return pd.DataFrame({k: pd.Series([], dtype=_dtype(v, k)) for k, v in CANONICAL_COLUMNS.items()})
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return frame[list(CANONICAL_COLUMNS)]


def _dtype(dtype: str, name: str):
    if dtype == "float64":
        return "float64"
    return dtype
