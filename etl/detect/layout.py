"""Find the table inside a hand-made sheet: header row, columns, where data ends, and the
unit and period the sheet is about when no column says so.

Nurses' workbooks put titles above the header, totals below the data, one sheet per month
or per ward, and instructions or charts on sheets of their own. Nothing here reads files;
everything works on :class:`etl.read.readers.RawSheet`-shaped grids so it is testable in memory.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from etl.detect import synonyms
from etl.detect.synonyms import match_field, month_from_word, normalise_header
from etl.read.columns import column_letter

HEADER_SCAN_ROWS = 30
HEADER_SCAN_FAR = 120          # headers under a long instruction block
CONTENT_FIELDS = ("score", "nps", "comment", "feedback_type")
PERIOD_FIELDS = ("submitted_on", "month")

_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
_NUMERIC_PERIOD = (
    re.compile(r"(?<!\d)(?P<y>20\d\d)[-/.](?P<m>0?[1-9]|1[0-2])(?!\d)"),
    re.compile(r"(?<![\d.])(?P<m>0?[1-9]|1[0-2])[-/.](?P<y>20\d\d)(?!\d)"),
)
_UNIT_WORDS = re.compile(
    r"\b(osasto(?=\d)|osasto|os\.|os|yksikkö|terveysasema|ta|poliklinikka|pkl|vastaanotto|päivystys|"
    r"klinikka|neuvola|avdelning|avd\.?|enhet|mottagning|hälsostation|ward|clinic|unit)\b",
    re.IGNORECASE)
_LONE_GENERIC = re.compile(r"(osasto|os\.?|yksikkö|ta|pkl|avd\.?|avdelning|enhet|ward|unit|clinic)",
                           re.IGNORECASE)
_UNIT_CODE = re.compile(r"^\s*\d{1,3}\s?[a-zåäö]?\s*$", re.IGNORECASE)
_GENERIC_SHEETS = re.compile(
    r"^(sheet|taul|taulukko|blad|data|tiedot|palautteet|palaute|vastaukset|responses|"
    r"form|lomake|kysely|export|raakadata|raw data|results|tulokset)\s*\d*$", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s[-–—|]\s|[–—|:;,()]")
_FILLER_WORDS = re.compile(
    r"\b(asiakaspalaute|asiakaspalautteet|palautteet|palaute|potilaspalaute|vastaukset|"
    r"feedback|respons|kysely|seuranta|taulukko|raportti|vuosi|year|år|webropol|forms|export)\b", re.IGNORECASE)


@dataclass
class SheetPlan:
    """How to read one sheet: filled in by detection, a survey format or a mapping."""
    name: str
    kind: str = "records"                      # records | tally
    header_row: int = 0                        # 0-based index into RawSheet.rows
    data_start: int = 1
    data_end: int = 0                          # exclusive
    headers: dict[int, str] = field(default_factory=dict)   # column index -> header text
    columns: dict[int, str] = field(default_factory=dict)   # column index -> field
    unit: str | None = None                    # sheet-wide unit (no unit column)
    period: dt.date | None = None              # sheet-wide month (no date column)
    year_hint: int | None = None               # completes "12.1." dates
    channel: str | None = None                 # sheet-wide channel (kiosk for terminals)
    language: str | None = None
    word_scale: str | None = None              # score column holds answer words: "smiley4" | "words"
    unit_reason: tuple[str, dict] | None = None  # (catalogue key, params) of where the unit came from
    decisions: list = field(default_factory=list)     # [(catalogue key, params)] shown in preview and CLI
    not_imported: dict[int, str] = field(default_factory=dict)  # column index -> reason code
    date_order: str | None = None              # 'mdy' when the platform writes month first
    skipped_rows: dict[str, int] = field(default_factory=dict)  # rows that are not responses
    dates_assumed: int = 0


# ----------------------------------------------------------------------------- text clues

def year_from_text(text: object) -> int | None:
    m = _YEAR.search(str(text or ""))
    return int(m.group(1)) if m else None


def period_from_text(text: object, year_hint: int | None = None) -> tuple[int | None, int] | None:
    """(year or None, month) that a sheet name or title names: "Maalis", "Maaliskuu 2023",
    "03/2023", "2023-03". The year is left None when the text has none."""
    s = str(text or "").strip()
    if not s:
        return None
    for pattern in _NUMERIC_PERIOD:
        m = pattern.search(s)
        if m:
            return int(m.group("y")), int(m.group("m"))
    year = year_from_text(s)
    for word in re.split(r"[\s_\-–/.,]+", s):
        month = month_from_word(word)
        if month:
            return (year or year_hint), month
    return None


def unit_from_text(text: object, known: dict[str, str] | None = None,
                   from_file_name: bool = False) -> str | None:
    """The unit a title, sheet name or file name names ("Palautteet – Osasto 5B – 2023",
    "Keuhkotautiosasto 2", "osasto7C_2021.xlsx"); see :mod:`etl.detect.unit_names`."""
    from etl.detect.unit_names import find_unit
    clue = find_unit(text, known=known, from_file_name=from_file_name)
    if clue is not None:
        return clue.name
    return _old_unit_from_text(text)


def _old_unit_from_text(text: object) -> str | None:
    s = str(text or "").replace("_", " ").strip()
    if not s:
        return None
    if _UNIT_CODE.match(s):
        return s.strip()
    for part in _TITLE_SPLIT.split(s):
        if not _UNIT_WORDS.search(part):
            continue
        part = _FILLER_WORDS.sub(" ", _YEAR.sub(" ", part))
        for word, _ in synonyms.MONTH_WORDS.items():
            part = re.sub(rf"\b{re.escape(word)}\b", " ", part, flags=re.IGNORECASE)
        part = " ".join(part.split()).strip(" -.")
        if part and not _LONE_GENERIC.fullmatch(part):
            return part
    return None


def is_generic_sheet_name(name: str) -> bool:
    return bool(_GENERIC_SHEETS.match(name.strip()))


# ----------------------------------------------------------------------------- header row

def _cell_text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def score_header_row(cells: list[Any]) -> int:
    """How much a row looks like a header: sure matches count most, each field once."""
    seen: dict[str, int] = {}
    texts = 0
    for cell in cells:
        text = _cell_text(cell)
        if text is None:
            continue
        texts += 1
        fld, sure = match_field(text)
        if fld and fld != "ignore":
            seen[fld] = max(seen.get(fld, 0), sure)
        elif fld == "ignore":
            seen.setdefault("ignore", 1)
    distinct = len({normalise_header(c) for c in cells if _cell_text(c)})
    return sum(seen.values()) + (1 if distinct >= 3 else 0) if texts else 0


def find_header_row(rows: list[list[Any]], max_scan: int = HEADER_SCAN_ROWS) -> int | None:
    """The first best-scoring row among the first rows; None when nothing looks like one."""
    best, best_score = None, 0
    for i, row in enumerate(rows[:max_scan]):
        s = score_header_row(row)
        if s > best_score:
            best, best_score = i, s
    return best if best_score >= 3 else None


def guess_header_row(rows: list[list[Any]], max_scan: int = HEADER_SCAN_ROWS) -> int | None:
    """A header guess that needs no dictionary: the first row with the most distinct texts.
    Used for the header signature and for the unknown-layout message."""
    best, best_n = None, 1
    for i, row in enumerate(rows[:max_scan]):
        n = len({normalise_header(c) for c in row if _cell_text(c)})
        if n > best_n:
            best, best_n = i, n
    return best


def header_texts(row: list[Any]) -> dict[int, str]:
    return {i: str(c).strip() for i, c in enumerate(row) if c is not None and str(c).strip()}


def map_columns(headers: dict[int, str], mapping: dict[str, str] | None = None) -> dict[int, str]:
    """Column index -> field. An explicit mapping wins; each field goes to its surest column
    (the first one on ties), so "Pvm" and "Kellonaika" do not both become the date."""
    wanted = {normalise_header(k): v for k, v in (mapping or {}).items()}
    out: dict[int, str] = {}
    best: dict[str, tuple[int, int]] = {}
    for i, text in headers.items():
        key = normalise_header(text)
        if key in wanted:
            out[i] = wanted[key]
            continue
        fld, sure = match_field(text)
        if fld is None or fld == "ignore":
            continue
        if fld not in best or sure > best[fld][1]:
            best[fld] = (i, sure)
    taken = set(out.values()) - {"ignore"}
    for fld, (i, _) in best.items():
        if fld not in taken:
            out[i] = fld
    return {i: out[i] for i in sorted(out)}


# ----------------------------------------------------------------------------- data extent

def find_data_end(rows: list[list[Any]], start: int, label_columns: int = 3) -> int:
    """Exclusive end of the data: the first totals row ("Yhteensä", "Keskiarvo", "Total")
    in one of the first columns. Blank rows inside the data are skipped later, not here,
    so a stray empty row never hides the rows under it."""
    end = len(rows)
    checked: dict[str, bool] = {}   # a unit column repeats one name a million times
    for c in range(label_columns):
        col = [r[c] if c < len(r) else None for r in rows[start:end]]
        for j, v in enumerate(col):
            if v.__class__ is str:
                hit = checked.get(v)
                if hit is None:
                    hit = checked[v] = synonyms.is_totals_label(v)
                if hit:
                    end = start + j
                    break
    while end > start and not any(v not in (None, "") for v in rows[end - 1]):
        end -= 1
    return end


# ----------------------------------------------------------------------------- whole sheet

def title_text(rows: list[list[Any]], header_row: int) -> str:
    """The words above the header (merged title cells repeat; each text counted once)."""
    seen: list[str] = []
    for row in rows[:header_row]:
        for c in row:
            t = _cell_text(c)
            if t and t not in seen:
                seen.append(t)
    return " | ".join(seen)


def sheet_context(sheet_name: str, title: str, file_name: str, known: dict[str, str] | None = None
                  ) -> tuple[int | None, dt.date | None, str | None]:
    """(year hint, sheet period, unit) from the sheet name, then the title, then the file
    name: the nearest source wins."""
    year, period, clue = sheet_clues(sheet_name, title, file_name, known)
    return year, period, clue[0] if clue else None


def sheet_clues(sheet_name: str, title: str, file_name: str, known: dict[str, str] | None = None
                ) -> tuple[int | None, dt.date | None, tuple[str, tuple[str, dict]] | None]:
    """(year hint, period, (unit, (reason key, params)) or None). Period and device sheet
    names never name the unit."""
    from etl.detect.periods import is_period_name
    from etl.detect.unit_names import device_channel, find_unit
    stem = PurePath(file_name).stem
    year = year_from_text(sheet_name) or year_from_text(title) or year_from_text(stem.replace("_", " "))
    period = None
    for text in (sheet_name, title):
        p = period_from_text(text, year)
        if p and p[0]:
            period = dt.date(p[0], p[1], 1)
            break
    candidates = []
    if not is_generic_sheet_name(sheet_name) and not period_from_text(sheet_name) \
            and not is_period_name(sheet_name) and not device_channel(sheet_name) \
            and not synonyms.is_skip_sheet_name(sheet_name) and not _YEAR.fullmatch(sheet_name.strip()):
        candidates.append(("sheet", sheet_name, False))
    if title:
        candidates.append(("title", title, False))
    candidates.append(("file", PurePath(file_name).name, True))
    for where, text, is_file in candidates:
        clue = find_unit(text, known=known, from_file_name=is_file)
        if clue is None and not is_file:
            old = _old_unit_from_text(text)
            if old and not is_period_name(old) and not device_channel(old):
                clue = type("Clue", (), {"name": old, "reason": "head"})()
        if clue is not None:
            key = "detect_unit_registry" if clue.reason == "registry" else f"detect_unit_from_{where}"
            return year, period, (clue.name, (key, {"unit": clue.name, "text": text[:80]}))
    return year, period, None


def sheet_name_as_unit(sheet_name: str) -> str | None:
    """A sheet name that is neither a month, a year, generic nor an instruction sheet: in a
    workbook of several such sheets, each names its unit ("Kirurgia", "Sisätaudit")."""
    from etl.detect.periods import is_period_name
    from etl.detect.unit_names import device_channel
    n = sheet_name.strip()
    if (not n or is_generic_sheet_name(n) or period_from_text(n) or _YEAR.fullmatch(n)
            or synonyms.is_skip_sheet_name(n) or is_period_name(n) or device_channel(n)):
        return None
    return n


def has_period(plan: SheetPlan) -> bool:
    return plan.period is not None or any(f in PERIOD_FIELDS for f in plan.columns.values())


def has_content(plan: SheetPlan) -> bool:
    return any(f in CONTENT_FIELDS or f.startswith("question:") for f in plan.columns.values())


def missing_fields(plan: SheetPlan | None) -> list[str]:
    """What the unknown-layout message lists as missing."""
    missing = []
    if plan is None or not has_period(plan):
        missing.append("submitted_on")
    if plan is None or not has_content(plan):
        missing.append("score|nps|comment|feedback_type")
    return missing


# ----------------------------------------------------------------------------- planning

def _numeric_like(value: Any) -> bool:
    from etl.detect.tally import answer_rank
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return 0 <= value <= 10
    if isinstance(value, str):
        s = value.strip().replace(",", ".")
        try:
            return 0 <= float(s) <= 10
        except ValueError:
            return answer_rank(s) is not None
    return False


def question_columns(rows: list[list[Any]], start: int, end: int, headers: dict[int, str],
                     mapped: dict[int, str], sample: int = 200) -> dict[int, str]:
    """Wide layouts: an unmatched header whose cells are numbers 0..10 or answer words is one
    question ("Pääsin hoitoon nopeasti" | 4 | 5 ...); its answers go to ``answers``."""
    out = {}
    for i, text in headers.items():
        if i in mapped or match_field(text)[0] == "ignore" or synonyms.is_totals_label(text):
            continue
        vals = [r[i] for r in rows[start:min(end, start + sample)] if i < len(r) and r[i] not in (None, "")]
        if vals and sum(_numeric_like(v) for v in vals) >= 0.8 * len(vals):
            out[i] = "question:" + " ".join(text.split())
    return out


def _row_matching_mapping(rows: list[list[Any]], mapping: dict[str, str]) -> int | None:
    keys = {normalise_header(k) for k in mapping}
    best, best_n = None, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        n = sum(1 for c in row if _cell_text(c) and normalise_header(c) in keys)
        if n > best_n:
            best, best_n = i, n
    return best


def column_label(i: int, headers: dict[int, str]) -> str:
    return headers.get(i) or t_column(i)


def t_column(i: int) -> str:
    return f"({column_letter(i)})"


_PERSONAL = ("nimi", "name", "namn", "sähköposti", "email", "e-mail", "e-post", "puhelin", "phone",
             "ip address", "ipaddress", "sähköpostiosoite", "email address", "e-postadress",
             "recipientemail", "recipientfirstname", "recipientlastname")


def _ignored_reason(header: str) -> str:
    """Why a column the dictionary knows is left out: personal data is never stored,
    platform bookkeeping carries nothing about the experience."""
    h = normalise_header(header)
    return "personal" if h in _PERSONAL or "mail" in h or "puhelin" in h else "bookkeeping"


def _label_row(row: list[Any]) -> bool:
    """Two or more filled cells, all short texts: how a header looks whatever its words."""
    filled = [v for v in row if v is not None and v != ""]
    return len(filled) >= 2 and all(isinstance(v, str) and len(v.strip()) <= 60 for v in filled)


def _value_row(row: list[Any]) -> bool:
    return any(isinstance(v, (int, float, dt.date)) and not isinstance(v, bool) for v in row)


def _find_header(rows: list[list[Any]]) -> int | None:
    """The dictionary's best header row; but a row holding dates or numbers is data, so a
    row of labels right above it is the header ("Kirjattu | Paikka | Teksti" above the
    first response). With no dictionary match at all, the first row of labels above a row
    of values is taken, and the columns are recognised from their values."""
    found = find_header_row(rows)
    if found is None and len(rows) > HEADER_SCAN_ROWS:
        far = find_header_row(rows[HEADER_SCAN_ROWS:HEADER_SCAN_FAR], HEADER_SCAN_FAR)
        found = None if far is None else far + HEADER_SCAN_ROWS
    if found is not None and found > 0 and _value_row(rows[found]):
        j = found - 1
        while j >= 0 and not any(v not in (None, "") for v in rows[j]):
            j -= 1
        if j >= 0 and _label_row(rows[j]):
            return j
    if found is None:
        for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            if _label_row(row) and i + 1 < len(rows) and _value_row(rows[i + 1]):
                return i
    return found


def _group_header(rows: list[list[Any]], header_row: int, headers: dict[int, str]) -> dict[int, str]:
    """A merged group header above the field names ("Taustatiedot" over "Pvm | Yksikkö")
    names the columns the lower row leaves blank."""
    if header_row == 0:
        return {}
    above = rows[header_row - 1]
    texts = {i: str(v).strip() for i, v in enumerate(above) if isinstance(v, str) and v.strip()}
    if len(texts) < 2 or len(set(texts.values())) == len(texts) and len(texts) > len(headers) // 2:
        return {}
    return {i: t for i, t in texts.items() if i not in headers}


def _column_values(rows, i, start, end, limit=900):
    return [r[i] if i < len(r) else None for r in rows[start:min(end, start + limit)]]


def recognise_columns(rows, start, end, headers, columns, known_units=None) -> tuple[dict, list, dict]:
    """Columns the dictionary did not place: question-text headers, then the values.
    Returns (new columns, decisions, not imported {index: reason code})."""
    from etl.detect import column_values
    from etl.detect.header_words import match_question
    new: dict[int, str] = {}
    decisions: list = []
    skipped: dict[int, str] = {}
    taken = set(columns.values())
    width = max((len(r) for r in rows[start:min(end, start + 200)]), default=0)
    candidates = sorted(set(range(width)) | set(headers))
    for i in candidates:
        if i in columns:
            continue
        text = headers.get(i, "")
        fld0, _ = match_field(text) if text else (None, 0)
        values = _column_values(rows, i, start, end)
        g = column_values.guess(values, known_units)
        label = text or column_letter(i)
        pct = round(100 * g.share)
        if g.kind == "empty":
            if text:
                skipped[i] = "empty"
            continue
        if fld0 == "ignore":
            if g.kind == "date" and "submitted_on" not in taken and "month" not in taken:
                new[i] = "submitted_on"
                taken.add("submitted_on")
                decisions.append(("detect_col_dates", {"column": label, "pct": pct}))
            else:
                skipped[i] = _ignored_reason(text)
            continue
        q = match_question(text) if text else None
        if q and q[0] not in taken and _fits(q[0], g.kind):
            new[i] = q[0]
            taken.add(q[0])
            decisions.append(("detect_col_question", {"column": label, "field": q[0], "word": q[1]}))
            continue
        if g.kind == "date" and "submitted_on" not in taken:
            new[i] = "submitted_on"
            taken.add("submitted_on")
            decisions.append(("detect_col_dates", {"column": label, "pct": pct}))
        elif g.kind == "unit" and "unit" not in taken:
            new[i] = "unit"
            taken.add("unit")
            decisions.append(("detect_col_units", {"column": label, "pct": pct}))
        elif g.kind == "text":
            if "comment" not in taken:
                new[i] = "comment"
                taken.add("comment")
                decisions.append(("detect_col_text", {"column": label, "pct": pct}))
            else:
                new[i] = "text:" + " ".join(label.split())
                decisions.append(("detect_col_second_text", {"column": label}))
        elif g.kind in ("number", "words") and text and not synonyms.is_totals_label(text):
            new[i] = "question:" + " ".join(text.split())
        elif g.kind in ("number", "words") and "score" not in taken and not text:
            new[i] = "score"
            taken.add("score")
            decisions.append(("detect_col_score", {"column": label, "pct": pct}))
        elif g.kind == "yes_no" and text:
            new[i] = "text:" + " ".join(text.split())
        elif text or g.kind != "empty":
            if g.kind in ("other", "yes_no") and any(isinstance(v, str) for v in values):
                new[i] = "text:" + " ".join(label.split())
            else:
                skipped[i] = "unrecognised"
    # a lone numeric question beside no score: it is the score ("Tähtiä", "Pisteet")
    numeric_q = [i for i, f in new.items() if f.startswith("question:")]
    if "score" not in taken and "nps" not in taken and len(numeric_q) == 1 and len(new) + len(columns) <= 6:
        i = numeric_q[0]
        new[i] = "score"
        decisions.append(("detect_col_score", {"column": headers.get(i, column_letter(i)), "pct": 100}))
    return new, decisions, skipped


def _fits(fld: str, kind: str) -> bool:
    """A question header's field must agree with what its cells are."""
    return {
        "submitted_on": kind == "date",
        "score": kind in ("number", "words"),
        "nps": kind == "number",
        "comment": kind in ("text", "other"),
        "unit": kind in ("unit", "other", "text"),
        "wants_reply": kind in ("yes_no", "other", "number"),
        "feedback_type": kind in ("other", "text", "words"),
    }.get(fld, True)


def plan_sheet(sheet, file_name: str, *, mapping: dict[str, str] | None = None,
               header_row: int | None = None, data_start: int | None = None,
               known_units: dict[str, str] | None = None) -> SheetPlan | str:
    """A plan for one sheet, or the reason (English code word) it is skipped."""
    from etl.detect import tally
    rows = sheet.rows
    if synonyms.is_skip_sheet_name(sheet.name):
        return "instructions"
    if not any(any(v not in (None, "") for v in r) for r in rows[:HEADER_SCAN_FAR * 2]):
        return "empty"
    if header_row is None and not mapping:
        t = tally.find_tally_header(rows)
        if t is not None:
            return tally.plan_tally(sheet, t, file_name, known_units=known_units)
    if header_row is None and mapping:
        header_row = _row_matching_mapping(rows, mapping)
    if header_row is None:
        header_row = _find_header(rows)
    if header_row is None:
        return "no_header"
    start = header_row + 1 if data_start is None else data_start
    headers = header_texts(rows[header_row])
    decisions: list = []
    group = _group_header(rows, header_row, headers)
    if group:
        headers.update(group)
        decisions.append(("detect_two_row_header", {"row": header_row}))
    if header_row >= HEADER_SCAN_ROWS:
        decisions.append(("detect_header_far", {"row": header_row + 1}))
    columns = map_columns(headers, mapping)
    end = find_data_end(rows, start)
    ignored = {i: _ignored_reason(headers.get(i, "")) for i, f in columns.items() if f == "ignore"}
    columns = {i: f for i, f in columns.items() if f != "ignore"}
    explicit = {normalise_header(k) for k, v in (mapping or {}).items()}
    for i in list(ignored):
        if normalise_header(headers.get(i, "")) in explicit:
            continue   # a person said "ignore": not ours to second-guess
    pinned = {i: "ignore" for i in ignored}
    new, more, skipped = recognise_columns(rows, start, end, headers, {**columns, **pinned}, known_units)
    if "submitted_on" not in columns.values() and "month" not in columns.values():
        for i in ignored:   # "time", "Start time": dates whatever the header says
            from etl.detect import column_values
            g = column_values.guess(_column_values(rows, i, start, end))
            if g.kind == "date" and normalise_header(headers.get(i, "")) not in explicit:
                new[i] = "submitted_on"
                more.append(("detect_col_dates", {"column": headers.get(i) or column_letter(i),
                                                  "pct": round(100 * g.share)}))
                del ignored[i]
                break
    columns.update(new)
    columns = {i: f for i, f in sorted(columns.items())}
    skipped.update(ignored)
    year, period, clue = sheet_clues(sheet.name, title_text(rows, header_row), file_name, known_units)
    plan = SheetPlan(name=sheet.name, header_row=header_row, data_start=start, data_end=end,
                     headers=headers, columns=columns, unit=clue[0] if clue else None,
                     period=period, year_hint=year, unit_reason=clue[1] if clue else None,
                     decisions=decisions + more, not_imported=skipped)
    from etl.detect.unit_names import device_channel
    plan.channel = device_channel(sheet.name)
    return plan
