"""Tally sheets: counts per answer per month (smiley terminals, FFT monthly returns).

A tally row "Maaliskuu | 120 | 30 | 5 | 2" becomes 157 responses marked ``counted`` so every
metric (mean, % positive, n) is computed the same way as for single responses.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from etl.detect import layout
from etl.normalise import values
from etl.contract import Reject
from etl.detect.synonyms import match_field, month_from_word, normalise_header

# answer word -> level: 5 very positive .. 1 very negative, 0 = "don't know" (no score,
# but still a response: FFT counts it in the denominator).
_LEVELS: dict[int, tuple[str, ...]] = {
    5: ("erittäin hyvä", "erittäin hyvin", "erittäin tyytyväinen", "tosi hyvä", "very good",
        "very happy", "very positive", "very satisfied", "extremely likely", "mycket bra",
        "mycket nöjd", "mycket positiv", "täysin samaa mieltä", "strongly agree",
        "helt av samma åsikt"),
    4: ("hyvä", "hyvin", "tyytyväinen", "good", "happy", "positive", "satisfied", "likely",
        "bra", "nöjd", "positiv", "jokseenkin samaa mieltä", "agree", "delvis av samma åsikt"),
    3: ("kohtalainen", "ei hyvä eikä huono", "neutraali", "neither good nor poor", "neutral",
        "neither likely nor unlikely", "varken bra eller dålig", "ok",
        "ei samaa eikä eri mieltä", "neither agree nor disagree"),
    2: ("huono", "huonosti", "tyytymätön", "poor", "unhappy", "negative", "dissatisfied",
        "unlikely", "dålig", "missnöjd", "negativ", "jokseenkin eri mieltä", "disagree",
        "delvis av annan åsikt"),
    1: ("erittäin huono", "erittäin huonosti", "erittäin tyytymätön", "very poor",
        "very unhappy", "very negative", "very dissatisfied", "extremely unlikely",
        "mycket dålig", "mycket missnöjd", "mycket negativ", "täysin eri mieltä",
        "strongly disagree", "helt av annan åsikt"),
    0: ("ei osaa sanoa", "en osaa sanoa", "eos", "don't know", "dont know", "do not know",
        "vet ej", "kan inte säga", "ei vastausta", "no answer"),
}
_WORDS = {normalise_header(w): level for level, words in _LEVELS.items() for w in words}


def answer_rank(text: object) -> int | None:
    """Level 0..5 of an answer word ("Erittäin hyvä" -> 5, "Don't know" -> 0), else None."""
    if not isinstance(text, str):
        return None
    return _WORDS.get(normalise_header(text).replace("’", "'"))


def level_scores(levels: set[int]) -> tuple[str, dict[int, float | None]]:
    """(scale, level -> score 1..5). Four buttons without a middle are the 4-smiley scale,
    scored 1/2/4/5 (docs/metrics.md), so "Hyvä" on a terminal counts as satisfied."""
    scored = levels - {0}
    if scored and 3 not in scored and len(scored) == 4:
        pos = {1: 1, 2: 2, 4: 3, 5: 4}
        return "smiley4", {lv: (values.smiley4_to_5(pos[lv]) if lv else None) for lv in levels}
    return "words", {lv: (float(lv) if lv else None) for lv in levels}


def find_tally_header(rows: list[list[Any]], max_scan: int = layout.HEADER_SCAN_ROWS) -> int | None:
    """A row with two or more answer words as headers and numbers under them."""
    for i, row in enumerate(rows[:max_scan]):
        word_cols = [c for c, v in enumerate(row) if answer_rank(v) is not None]
        if len(word_cols) < 2:
            continue
        below = [r for r in rows[i + 1:i + 6] if any(v not in (None, "") for v in r)]
        cells = [_count(r[c] if c < len(r) else None)[1] for r in below for c in word_cols]
        if cells and sum(cells) >= 0.8 * len(cells):
            return i
    return None


def _count(value: Any) -> tuple[int, bool]:
    """(count, readable). Blank is a readable zero."""
    if value is None or value == "":
        return 0, True
    if isinstance(value, bool):
        return 0, False
    if isinstance(value, (int, float)) and float(value).is_integer() and value >= 0:
        return int(value), True
    if isinstance(value, str):
        s = value.strip().replace("\u00a0", "").replace(" ", "")
        if s.isdigit():
            return int(s), True
    return 0, False


def plan_tally(sheet, header_row: int, file_name: str, known_units: dict[str, str] | None = None
               ) -> layout.SheetPlan:
    rows = sheet.rows
    headers = layout.header_texts(rows[header_row])
    columns: dict[int, str] = {}
    for c, text in headers.items():
        level = answer_rank(text)
        if layout.synonyms.is_totals_label(text):
            continue
        if level is not None:
            columns[c] = f"count:{level}"
        else:
            fld, _ = match_field(text)
            if fld in ("month", "submitted_on", "unit", "channel"):
                columns[c] = "month" if fld == "submitted_on" else fld
    if not any(f == "month" for f in columns.values()):
        first = min(headers) if headers else 0
        if first not in columns:
            columns[first] = "month"
    start = header_row + 1
    end = layout.find_data_end(rows, start)
    year, period, clue = layout.sheet_clues(sheet.name, layout.title_text(rows, header_row), file_name,
                                            known_units)
    return layout.SheetPlan(name=sheet.name, kind="tally", header_row=header_row, data_start=start,
                            data_end=end, headers=headers, columns=columns, unit=clue[0] if clue else None,
                            unit_reason=clue[1] if clue else None,
                            period=period, year_hint=year, channel="kiosk")


def period_of(value: Any, year_hint: int | None) -> dt.date | None:
    """The month a tally row is about: a date cell, "Maaliskuu", "3/2023", "2023-03" or 3."""
    if isinstance(value, dt.datetime):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and year_hint and 1 <= value <= 12:
        return dt.date(year_hint, int(value), 1)
    if isinstance(value, str):
        p = layout.period_from_text(value, year_hint)
        if p and p[0]:
            return dt.date(p[0], p[1], 1)
        m = month_from_word(value)
        if m and year_hint:
            return dt.date(year_hint, m, 1)
    return None


def expand_tally(sheet, plan: layout.SheetPlan, reasons) -> tuple[dict[str, list], list[Reject]]:
    """Canonical columns (as lists) with one row per counted answer, and the rejects.

    ``reasons(code) -> (fi, en)`` gives reject texts so messages stay in one catalogue.
    """
    rows = sheet.rows
    month_col = next(c for c, f in plan.columns.items() if f == "month")
    unit_col = next((c for c, f in plan.columns.items() if f == "unit"), None)
    counts = {c: int(f.split(":")[1]) for c, f in plan.columns.items() if f.startswith("count:")}
    scale, scores = level_scores(set(counts.values()))
    out: dict[str, list] = {k: [] for k in ("month", "score_5", "raw_score", "source_row", "unit_name")}
    rejects: list[Reject] = []
    for i in range(plan.data_start, plan.data_end):
        row = rows[i]
        if not any(v not in (None, "") for v in row):
            continue
        label = row[month_col] if month_col < len(row) else None
        month = period_of(label, plan.year_hint) or (plan.period if label in (None, "") else None)
        if month is None:
            fi, en = reasons("no_period")
            rejects.append(Reject(sheet.name, i + 1, plan.headers.get(month_col), label, "no_period",
                                  fi, en, row_values=_row_text(row)))
            continue
        unit = row[unit_col] if unit_col is not None and unit_col < len(row) else None
        for c, level in counts.items():
            value = row[c] if c < len(row) else None
            n, ok = _count(value)
            if not ok:
                fi, en = reasons("bad_count")
                rejects.append(Reject(sheet.name, i + 1, plan.headers.get(c), value, "bad_count",
                                      fi, en, row_kept=True, row_values=_row_text(row)))
                continue
            out["month"] += [month] * n
            out["score_5"] += [scores[level]] * n
            out["raw_score"] += [plan.headers[c]] * n
            out["source_row"] += [i + 1] * n
            out["unit_name"] += [unit] * n
    out["scale"] = [scale] * len(out["month"])
    out["counted"] = [True] * len(out["month"])
    return out, rejects


def _row_text(row: list[Any]) -> str:
    return " | ".join("" if v is None else str(v) for v in row)
