"""Demo files from before the template era: the workbooks and exports real units kept.

The template files of :mod:`demo.area` start in 2023-01; these three files are 2022, so
importing them never duplicates a template row. They exist so the demo warehouse (and a
newcomer trying the Upload page) goes through the legacy paths of the ETL as well:

* ``osasto_5b_palautteet_2022.xlsx``: a nurse's hand-kept workbook (generic layout
  detection, Finnish dates without a year, grades and words in one score column, type
  words in many spellings, totals rows, an instruction sheet, bad cells for the rejects);
* ``hymiopaate_keskustan_ta_2022.xlsx``: smiley-terminal counts per month (tally sheet);
* ``webropol_psykiatrian_poliklinikka_2022.csv``: a Webropol export with the THL national
  recommendation question and statements (survey-format detection).

Unit names are written the way people write them ("os. 5 B", "Keskustan TA"); each resolves
through :func:`etl.detect.units.alias_key` to a unit of ``demo.area.UNITS``. Every file draws from
its own ``numpy`` generator seeded by (seed, file number), so adding a file never changes
another, and the template files of :mod:`demo.area` do not change at all.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from demo import comments as words
from demo.area import SEASON_VOLUME

YEAR = 2022
WARD_FILE = "osasto_5b_palautteet_2022.xlsx"
TALLY_FILE = "hymiopaate_keskustan_ta_2022.xlsx"
WEBROPOL_FILE = "webropol_psykiatrian_poliklinikka_2022.csv"

# Canonical demo unit each file is about, and the spelling the file uses for it.
WARD_UNIT, WARD_SPELLING = "Osasto 5B", "os. 5 B"
TALLY_UNIT, TALLY_SPELLING = "Keskustan terveysasema", "Keskustan TA"
WEBROPOL_UNIT = "Psykiatrian poliklinikka"

MONTH_SHEETS = ("Tammi", "Helmi", "Maalis", "Huhti", "Touko", "Kesä", "Heinä", "Elo", "Syys",
                "Loka", "Marras", "Joulu")
MONTH_NAMES = ("Tammikuu", "Helmikuu", "Maaliskuu", "Huhtikuu", "Toukokuu", "Kesäkuu",
               "Heinäkuu", "Elokuu", "Syyskuu", "Lokakuu", "Marraskuu", "Joulukuu")

# Mean responses per month at scale 1.0: the ward typed in every paper form; the health
# station's terminal and the clinic's web survey take their channel's share of the unit's
# volume in demo.area.PROFILES.
WARD_MONTHLY = 45.0
TALLY_MONTHLY = 380 * 0.35
WEBROPOL_MONTHLY = 110 * 0.35
# The fewest rows a sheet or month gets, so the bad cells below always have a row to sit
# in and a scale-0.02 demo still shows every layout feature.
WARD_MIN_ROWS = 3
WEBROPOL_MIN_ROWS = 1

# The ward workbook's deliberately bad cells: (sheet, 0-based data row, column, value).
# "31.2." is no date (the row keeps the sheet's month), "10+" is beyond the 4-10 grade
# scale, "?" is the nurse's "could not read it" (an unanswered score, not an error).
WARD_BAD_CELLS = (("Helmi", 1, "Pvm", "31.2."), ("Maalis", 0, "Arvosana (4-10)", "?"),
                  ("Touko", 2, "Arvosana (4-10)", "10+"))
# The terminal was away for service in July: a note where a count should be.
TALLY_BAD_CELL = (7, "Erittäin hyvä", "huollossa")

_KIND_PRAISE, _KIND_COMPLAINT, _KIND_SUGGESTION, _KIND_QUESTION = range(4)
_KIND_P = np.array([0.74, 0.16, 0.07, 0.03])  # 5B before its 2024 change: more complaints
# Type words as different nurses wrote them, by kind (order of words.KINDS).
_TYPE_WORDS = (("kiitos", "Kiitos!", "kiitos", "KIITOS"), ("moite", "valitus", "Moite"),
               ("kehitysehdotus", "Kehitysehdotus"), ("kysymys",))
# Grades 4-10 by kind (columns 4..10), and the grade written as a word.
_GRADE_P = np.array([
    [0.00, 0.00, 0.01, 0.05, 0.24, 0.40, 0.30],
    [0.06, 0.18, 0.28, 0.28, 0.15, 0.05, 0.00],
    [0.00, 0.03, 0.10, 0.30, 0.35, 0.17, 0.05],
    [0.00, 0.02, 0.08, 0.25, 0.35, 0.20, 0.10],
])
_GRADE_WORDS = {4: "huono", 5: "huono", 6: "kohtalainen", 7: "kohtalainen", 8: "hyvä",
                9: "erittäin hyvä", 10: "erittäin hyvä"}
# Complaint themes on Osasto 5B in 2022: interaction leads, as demo.area plants until 2024-08.
_WARD_COMPLAINT_THEMES = {"interaction": 0.45, "staffing": 0.15, "food": 0.12,
                          "relatives": 0.10, "facilities": 0.10, "communication": 0.08}
_PRAISE_THEMES = {"interaction": 0.35, "care": 0.35, "staffing": 0.20, "communication": 0.10}
_PSY_COMPLAINT_THEMES = {"access": 0.30, "interaction": 0.25, "phone": 0.15,
                         "communication": 0.15, "relatives": 0.15}

# Smiley buttons, best first, and how often each is pressed at a health station.
TALLY_BUTTONS = ("Erittäin hyvä", "Hyvä", "Huono", "Erittäin huono")
_BUTTON_P = np.array([0.56, 0.29, 0.10, 0.05])

# THL national model: the recommendation question, five statements, an open comment.
NPS_QUESTION = ("Kuinka todennäköisesti suosittelisit saamaasi palvelua läheisellesi "
                "tai ystävällesi?")
THL_STATEMENTS = ("Pääsin hoitoon riittävän nopeasti",
                  "Minua kohdeltiin ystävällisesti ja minua kuunneltiin",
                  "Hoitoni oli turvallista",
                  "Sain riittävästi ymmärrettävää tietoa",
                  "Sain apua asiaani")
AGREEMENT = ("Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä",
             "Jokseenkin eri mieltä", "Täysin eri mieltä")
DONT_KNOW = "En osaa sanoa"
WEBROPOL_HEADERS = ("Vastaajan numero", "Vastausaika", "Yksikkö", NPS_QUESTION,
                    *THL_STATEMENTS, "Kerro vapaasti kokemuksestasi")
# The one unfinished answer Webropol exports with an empty response time.
WEBROPOL_UNFINISHED = 1


def write_legacy_samples(out_dir: Path, *, seed: int, scale: float) -> list[Path]:
    """Write the three pre-template files into ``out_dir``; same seed, same cells."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_ward_workbook(out_dir / WARD_FILE, np.random.default_rng([seed, 1]), scale),
        write_smiley_tally(out_dir / TALLY_FILE, np.random.default_rng([seed, 2]), scale),
        write_webropol_export(out_dir / WEBROPOL_FILE, np.random.default_rng([seed, 3]), scale),
    ]


# ------------------------------------------------------------------ shared draws
def _monthly_counts(rng: np.random.Generator, monthly: float, scale: float,
                    floor: int) -> np.ndarray:
    """Responses per calendar month with the demo's seasons, never fewer than ``floor``."""
    return np.maximum(rng.poisson(monthly * SEASON_VOLUME * scale), floor)


def _days(rng: np.random.Generator, month: int, n: int) -> list[dt.date]:
    """``n`` sorted days of ``month`` in YEAR: a nurse types the forms in date order."""
    first = dt.date(YEAR, month, 1)
    length = ((dt.date(YEAR + month // 12, month % 12 + 1, 1)) - first).days
    return [first + dt.timedelta(days=int(d)) for d in np.sort(rng.integers(0, length, n))]


def _themes(rng: np.random.Generator, kinds: np.ndarray, complaint: dict[str, float]) -> np.ndarray:
    """A theme per row (THEMES index): complaints and suggestions from ``complaint``,
    praise and questions from what praise is about."""
    def pick(weights: dict[str, float], n: int) -> np.ndarray:
        idx = np.array([words.THEME_INDEX[t] for t in weights])
        p = np.array(list(weights.values()))
        return idx[rng.choice(len(idx), size=n, p=p / p.sum())]
    negative = (kinds == _KIND_COMPLAINT) | (kinds == _KIND_SUGGESTION)
    return np.where(negative, pick(complaint, len(kinds)), pick(_PRAISE_THEMES, len(kinds)))


def _comments(rng: np.random.Generator, kinds: np.ndarray, themes: np.ndarray,
              langs: np.ndarray, place: str) -> list[str]:
    n = len(kinds)
    return words.compose(rng, lang=langs, kind=kinds, theme=themes, second_theme=np.full(n, -1),
                         place=[place] * n, pii=np.zeros(n, dtype=bool))


# ------------------------------------------------------------------ 1. ward workbook
def _ward_sheet_rows(rng: np.random.Generator, month: int, n: int) -> list[dict[str, object]]:
    """One dict per typed form: header text -> cell value as the nurse typed it."""
    kinds = rng.choice(4, size=n, p=_KIND_P)
    grades = 4 + np.array([rng.choice(7, p=_GRADE_P[k]) for k in kinds])
    style = rng.random(n)                       # how the grade is written
    has_comment = (rng.random(n) < 0.65) | (kinds >= _KIND_SUGGESTION)
    has_type = rng.random(n) < 0.93
    type_pick = rng.integers(0, 4, n)
    comments = _comments(rng, kinds, _themes(rng, kinds, _WARD_COMPLAINT_THEMES),
                         np.zeros(n, dtype=int), "osastolla")
    clerk = rng.choice(("MK", "AL", "TP", "sihteeri"), size=n)
    out = []
    for i, day in enumerate(_days(rng, month, n)):
        grade = int(grades[i])
        if style[i] < 0.18:
            score: object = _GRADE_WORDS[grade]
        elif style[i] < 0.26 and 5 <= grade <= 9:
            score = f"{grade},5" if style[i] < 0.22 else f"{grade + 1}-"   # 8,5 and 9- grades
        else:
            score = grade
        variants = _TYPE_WORDS[kinds[i]]
        out.append({
            "Pvm": _ward_date(day),
            "Arvosana (4-10)": score,
            "Palautteen tyyppi": variants[type_pick[i] % len(variants)] if has_type[i] else None,
            "Palaute": comments[i] if has_comment[i] else None,
            "Kirjaaja": str(clerk[i]),
        })
    return out


def _ward_date(day: dt.date) -> object:
    """Spring sheets say "12.1." (the year is in the title), summer ones hold real date
    cells, autumn ones "12.9.2022": three nurses, three habits."""
    if day.month <= 4:
        return f"{day.day}.{day.month}."
    if day.month <= 8:
        return day
    return f"{day.day}.{day.month}.{day.year}"


def _ward_headers(month: int) -> list[str]:
    """From September a new secretary added a unit column and wrote the ward her way."""
    base = ["Pvm", "Arvosana (4-10)", "Palautteen tyyppi", "Palaute", "Kirjaaja"]
    return base[:1] + ["Yksikkö"] + base[1:] if month >= 9 else base


def write_ward_workbook(path: Path, rng: np.random.Generator, scale: float) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    counts = _monthly_counts(rng, WARD_MONTHLY, scale, WARD_MIN_ROWS)
    wb = Workbook()
    info = wb.active
    info.title = "Ohjeet"
    for line in ("Näin kirjaat palautteen",
                 "Kirjaa jokainen palautelomake omalle rivilleen kuukauden välilehdelle.",
                 "Arvosana 4-10 kuten lomakkeessa; jos potilas kirjoitti sanan, kirjoita sana.",
                 "Älä kirjoita potilaan nimeä, henkilötunnusta tai terveystietoja.",
                 "Yhteensä- ja keskiarvorivit aina viimeiseksi."):
        info.append([line])
    bad = {(s, r, c): v for s, r, c, v in WARD_BAD_CELLS}
    for k, sheet_name in enumerate(MONTH_SHEETS):
        month = k + 1
        headers = _ward_headers(month)
        ws = wb.create_sheet(sheet_name)
        ws["A1"] = f"Osasto 5B asiakaspalautteet {YEAR}"
        ws["A1"].font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws["A2"] = f"{MONTH_NAMES[k]} – kirjattu paperilomakkeilta"
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
        ws.append([])
        ws.append(headers)
        rows = _ward_sheet_rows(rng, month, int(counts[k]))
        for j, rec in enumerate(rows):
            rec["Yksikkö"] = WARD_SPELLING
            line = []
            for h in headers:
                value = bad.get((sheet_name, j, h), rec[h])
                line.append(value)
            ws.append(line)
            if isinstance(line[0], dt.date):
                ws.cell(row=ws.max_row, column=1).number_format = "d.m.yyyy"
        grades = [r["Arvosana (4-10)"] for r in rows if isinstance(r["Arvosana (4-10)"], int)]
        mean = f"{sum(grades) / len(grades):.1f}".replace(".", ",") if grades else ""
        score_col = headers.index("Arvosana (4-10)") + 1
        ws.append(["Yhteensä"] + [None] * (score_col - 2) + [len(rows)])
        ws.append(["Keskiarvo"] + [None] * (score_col - 2) + [mean])
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions[chr(ord("A") + headers.index("Palaute"))].width = 60
    wb.save(path)
    return path


# ------------------------------------------------------------------ 2. smiley tally
def tally_counts(rng: np.random.Generator, scale: float) -> np.ndarray:
    """12 x 4 button counts; the July "Erittäin hyvä" count is lost to the service note."""
    totals = _monthly_counts(rng, TALLY_MONTHLY, scale, 0)
    counts = np.array([rng.multinomial(int(n), _BUTTON_P) for n in totals])
    month, button, _ = TALLY_BAD_CELL
    counts[month - 1, TALLY_BUTTONS.index(button)] = 0
    return counts


def write_smiley_tally(path: Path, rng: np.random.Generator, scale: float) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    counts = tally_counts(rng, scale)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Hymiöt {YEAR}"
    ws["A1"] = f"{TALLY_SPELLING} – hymiöpäätteen vastaukset {YEAR}"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    ws["A2"] = "Luvut siirretty kuukausittain laitteen raportista (aula, 1. krs)"
    ws.append([])
    ws.append(["Kuukausi", *TALLY_BUTTONS, "Yhteensä"])
    bad_month, bad_button, note = TALLY_BAD_CELL
    for k, name in enumerate(MONTH_NAMES):
        cells: list[object] = [int(c) for c in counts[k]]
        if k + 1 == bad_month:
            cells[TALLY_BUTTONS.index(bad_button)] = note
        ws.append([name, *cells, int(counts[k].sum())])
    ws.append(["Yhteensä", *[int(c) for c in counts.sum(axis=0)], int(counts.sum())])
    ws.column_dimensions["A"].width = 14
    wb.save(path)
    return path


# ------------------------------------------------------------------ 3. Webropol export
def _agreement(rng: np.random.Generator, nps: np.ndarray) -> list[list[str]]:
    """Statement answers that agree more the likelier the respondent is to recommend."""
    n = len(nps)
    level = np.clip(np.rint(4 - nps / 2.5 + rng.normal(0, 0.8, (len(THL_STATEMENTS), n))), 0, 4)
    dont_know = rng.random((len(THL_STATEMENTS), n)) < 0.04
    return [[DONT_KNOW if dont_know[s, i] else AGREEMENT[int(level[s, i])]
             for s in range(len(THL_STATEMENTS))] for i in range(n)]


def webropol_rows(rng: np.random.Generator, scale: float) -> list[list[object]]:
    """Export rows in WEBROPOL_HEADERS order, the unfinished answer last."""
    counts = _monthly_counts(rng, WEBROPOL_MONTHLY, scale, WEBROPOL_MIN_ROWS)
    days = [d for k, n in enumerate(counts) for d in _days(rng, k + 1, int(n))]
    n = len(days)
    kinds = rng.choice(4, size=n, p=np.array([0.70, 0.20, 0.07, 0.03]))
    base = np.where(kinds == _KIND_PRAISE, 9.0, np.where(kinds == _KIND_COMPLAINT, 4.0, 7.0))
    nps = np.clip(np.rint(base + rng.normal(0, 1.4, n)), 0, 10).astype(int)
    nps_blank = rng.random(n) < 0.03
    langs = np.where(rng.random(n) < 0.06, 1, 0)
    has_comment = (rng.random(n) < 0.55) | (kinds >= _KIND_SUGGESTION)
    comments = _comments(rng, kinds, _themes(rng, kinds, _PSY_COMPLAINT_THEMES), langs,
                         "psykiatrian poliklinikalla")
    statements = _agreement(rng, nps)
    minutes = rng.integers(7 * 60, 22 * 60, n)
    out = []
    for i, day in enumerate(days):
        when = f"{day.day}.{day.month}.{day.year} {minutes[i] // 60}.{minutes[i] % 60:02d}"
        out.append([1000 + i, when, WEBROPOL_UNIT, None if nps_blank[i] else int(nps[i]),
                    *statements[i], comments[i] if has_comment[i] else None])
    for j in range(WEBROPOL_UNFINISHED):
        out.append([1000 + n + j, None, WEBROPOL_UNIT, 8, AGREEMENT[1], None, None, None, None,
                    None])
    return out


def write_webropol_export(path: Path, rng: np.random.Generator, scale: float) -> Path:
    """Semicolon CSV in Windows-1252, as Webropol's "Excel (CSV)" export opens in Finnish
    Excel; cells with ; or quotes are quoted."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(WEBROPOL_HEADERS)
    for row in webropol_rows(rng, scale):
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path
