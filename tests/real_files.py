"""A corpus of feedback files as people and platforms really make them, each trait varied
independently from a seed: layout, language (fi/sv/en), header wording, date style, how
the unit is named, sheet structure, noise and file format.

Nothing here imports the ETL: files are written with openpyxl, xlwt, odfpy and plain
csv the way a nurse's Excel, Microsoft Forms, Google Forms, Webropol or an NHS Friends and
Family Test feed writes them, and every file comes with what a person expects from it
(``Expected``): how many responses, which unit, which sheets are copies, how many rows are
not responses, which columns carry a second open question.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

LAYOUTS = ("ward", "ward", "ward", "msforms", "googleforms", "webropol", "fft")
LANGS = ("fi", "sv", "en")
WORDINGS = ("short", "question")
DATE_STYLES = ("dot", "cell", "iso", "dot_time")
UNIT_NAMING = ("title", "file", "column", "sheet")
STRUCTURES = ("single", "months", "notes", "copy", "quarters")
NOISE = ("none", "date_only", "labels", "blank_column", "second_comment")
FORMATS = ("xlsx", "xls", "ods", "csv")

COMMENTS = {
    "fi": ["Hoitajat olivat ystävällisiä ja kiireettömiä.", "Jouduin odottamaan lääkäriä pitkään.",
           "Kiitos hyvästä hoidosta ja selkeistä ohjeista.", "Ruoka oli kylmää ja mautonta.",
           "Sain vastauksen kaikkiin kysymyksiini.", "Puhelimeen ei vastattu moneen päivään."],
    "sv": ["Personalen var vänlig och lyssnade på mig.", "Jag fick vänta länge på läkaren.",
           "Tack för god vård och tydliga råd.", "Maten var kall och smaklös.",
           "Jag fick svar på alla mina frågor.", "Ingen svarade i telefonen på flera dagar."],
    "en": ["The nurses were kind and took their time.", "I had to wait a long time for the doctor.",
           "Thank you for the good care and clear advice.", "The food was cold and tasteless.",
           "All my questions were answered.", "Nobody answered the phone for days."],
}
BETTER = {"fi": "Mitä voisimme tehdä paremmin?", "sv": "Vad kunde vi göra bättre?",
          "en": "What could we do better?"}
BETTER_TEXT = {"fi": "Enemmän aikaa keskustelulle lääkärin kanssa.",
               "sv": "Mer tid för samtal med läkaren.", "en": "More time to talk with the doctor."}
HEADERS = {  # (date, score, comment, unit) per language and wording
    ("fi", "short"): ("Pvm", "Arvio (1-5)", "Vapaa palaute", "Yksikkö"),
    ("fi", "question"): ("Käyntipäivä", "Miten tyytyväinen olit saamaasi palveluun?",
                         "Kerro vapaasti kokemuksestasi", "Yksikkö, jossa kävit"),
    ("sv", "short"): ("Datum", "Betyg", "Kommentar", "Enhet"),
    ("sv", "question"): ("Besöksdatum", "Hur nöjd var du med vården?", "Berätta fritt om ditt besök",
                         "Avdelning"),
    ("en", "short"): ("Date", "Rating", "Comments", "Ward"),
    ("en", "question"): ("Visit date", "How satisfied were you with your care?",
                         "Please tell us about your experience", "Which ward were you on?"),
}
TITLE_UNITS = {"fi": ["Keuhkotautiosasto 2", "Ortopedian vuodeosasto 6", "Silmätautipoliklinikka",
                      "TK-osasto 3"],
               "sv": ["Avdelning 7", "Barnavdelning 4"], "en": ["Ward 10", "Ward 22"]}
FILE_UNITS = {"fi": [("osasto7C", "Osasto 7C"), ("ta_pohjoinen", "TA Pohjoinen"), ("os9", "Os 9")],
              "sv": [("avdelning8", "Avdelning 8")], "en": [("ward12", "Ward 12")]}
COLUMN_UNITS = {"fi": ["Ortopedian vuodeosasto 6", "Keskustan terveysasema"],
                "sv": ["Avdelning 7", "Hälsostation Centrum"], "en": ["Ward 10", "Ward 14"]}
SHEET_UNITS = {"fi": ["Os 9", "Os 11"], "sv": ["Avdelning 7", "Avdelning 8"], "en": ["Ward 3", "Ward 5"]}
TITLE_WORDS = {"fi": "palautteet", "sv": "respons", "en": "patient feedback"}
LABELS = {"fi": ("Ka.", "Vastaajia"), "sv": ("Medelvärde", "Antal svar"), "en": ("Mean", "Respondents")}
NOTES = {"fi": ("Ohjeet", "Kirjaa jokainen lomake omalle rivilleen. Älä kirjoita henkilötunnuksia."),
         "sv": ("Anvisning", "Skriv varje blankett på en egen rad."),
         "en": ("Notes", "Enter one form per row. Do not enter patient identifiers.")}
MONTHS = {"fi": ["Tammi", "Helmi", "Maalis", "Huhti"], "sv": ["Januari", "Februari", "Mars", "April"],
          "en": ["January", "February", "March", "April"]}
QUARTERS = {"fi": ["1. neljännes", "2. neljännes"], "sv": ["Kvartal 1", "Kvartal 2"], "en": ["Q1", "Q2"]}


@dataclass
class Expected:
    """What a person expects from the file."""
    responses: int                              # rows loaded into the warehouse
    units: set[str]
    skipped_rows: dict[str, int] = field(default_factory=dict)   # reason -> n (date_only, label_only)
    copies: int = 0
    second_comments: int = 0                    # answers rows of a second open question
    dates_assumed: int = 0
    questions_asked: int = 0                    # the upload page may ask this many (0 or 1)
    unit_answer: str | None = None              # what the nurse answers when asked


@dataclass
class Spec:
    seed: int
    layout: str
    lang: str
    wording: str
    date_style: str
    unit_naming: str
    structure: str
    noise: str
    fmt: str

    @property
    def name(self) -> str:
        return (f"{self.seed:02d}-{self.layout}-{self.lang}-{self.wording}-{self.date_style}-"
                f"{self.unit_naming}-{self.structure}-{self.noise}.{self.fmt}")


def spec(seed: int) -> Spec:
    """Each trait drawn on its own, then only impossible pairs adjusted (a csv has one
    sheet; platform exports have their own structure)."""
    r = random.Random(seed)
    s = Spec(seed, LAYOUTS[seed % len(LAYOUTS)], r.choice(LANGS), r.choice(WORDINGS),
             r.choice(DATE_STYLES), r.choice(UNIT_NAMING), r.choice(STRUCTURES), r.choice(NOISE),
             r.choice(FORMATS))
    if s.layout != "ward":
        s.structure, s.wording = "single", "question"
        s.fmt = {"msforms": "xlsx", "googleforms": "csv", "webropol": r.choice(("xlsx", "csv")),
                 "fft": "csv"}[s.layout]
        if s.layout == "fft":
            s.lang = "en"
        if s.noise in ("labels", "date_only"):
            s.noise = "none"
    if s.fmt == "csv" and (s.structure != "single" or s.unit_naming == "sheet"):
        s.fmt = "xlsx"
    if s.unit_naming == "sheet":
        s.structure = "notes" if s.structure in ("months", "quarters", "copy") else s.structure
    if s.fmt == "csv" and s.unit_naming == "title":
        s.unit_naming = "file"
    return s


# ------------------------------------------------------------------------------ sheets

@dataclass
class Sheet:
    name: str
    rows: list[list] = field(default_factory=list)
    hidden_columns: tuple[int, ...] = ()


def _date(d: dt.datetime, style: str):
    if style == "cell":
        return d
    if style == "iso":
        return d.strftime("%Y-%m-%d")
    if style == "dot_time":
        return f"{d.day}.{d.month}.{d.year} {d.hour}.{d.minute:02d}"
    return f"{d.day}.{d.month}.{d.year}"


def _ward(s: Spec, r: random.Random) -> tuple[list[Sheet], str, Expected]:
    h_date, h_score, h_comment, h_unit = HEADERS[(s.lang, s.wording)]
    year = 2024
    unit_names: list[str] = []
    file_stem = {"fi": "palautteet", "sv": "respons", "en": "feedback"}[s.lang] + f"_{year}"
    title = f"Asiakaspalaute {year}" if s.lang == "fi" else f"{TITLE_WORDS[s.lang].capitalize()} {year}"
    if s.unit_naming == "title":
        unit = r.choice(TITLE_UNITS[s.lang])
        title = f"{unit} – {TITLE_WORDS[s.lang]} {year}"
        unit_names = [unit]
    elif s.unit_naming == "file":
        stem, unit = r.choice(FILE_UNITS[s.lang])
        file_stem = f"{stem}_{year}"
        unit_names = [unit]
    elif s.unit_naming == "column":
        unit_names = COLUMN_UNITS[s.lang]
    else:
        unit_names = SHEET_UNITS[s.lang]

    headers = [h_date, h_score, h_comment]
    if s.unit_naming == "column":
        headers.insert(1, h_unit)
    if s.noise == "blank_column":
        headers.insert(len(headers) - 1, None)
    if s.noise == "second_comment":
        headers.append(BETTER[s.lang])

    def data_row(d: dt.datetime, k: int, unit: str | None, second: bool) -> list:
        row = [_date(d, s.date_style), 1 + (k * 7 + d.day) % 5, COMMENTS[s.lang][k % 6]]
        if s.unit_naming == "column":
            row.insert(1, unit)
        if s.noise == "blank_column":
            row.insert(len(row) - 1, None)
        if s.noise == "second_comment":
            row.append(BETTER_TEXT[s.lang] if second else None)
        return row

    exp = Expected(0, set(unit_names))
    sheets: list[Sheet] = []
    if s.structure in ("notes",) or s.unit_naming == "sheet" and s.structure == "notes":
        name, text = NOTES[s.lang]
        sheets.append(Sheet(name, [[text], [h_date + ": " + {"fi": "käyntipäivä", "sv": "besöksdag",
                                                             "en": "day of visit"}[s.lang]]]))
    if s.unit_naming == "sheet":
        groups = [(u, [1, 2]) for u in unit_names]
    elif s.structure == "months":
        groups = [(m, [i + 1]) for i, m in enumerate(MONTHS[s.lang][:3])]
    elif s.structure == "quarters":
        groups = [(q, [1 + 3 * i, 2 + 3 * i]) for i, q in enumerate(QUARTERS[s.lang])]
    else:
        groups = [({"fi": "Taul1", "sv": "Blad1", "en": "Sheet1"}[s.lang], [3, 4])]
    for g, (sheet_name, months) in enumerate(groups):
        sheet = Sheet(sheet_name)
        sheet.rows.append([title])
        sheet.rows.append([])
        sheet.rows.append(list(headers))
        k = 0
        for m in months:
            n = 3 + (s.seed + g + m) % 4
            for day in range(n):
                d = dt.datetime(year, m, 2 + day * 3, 9 + day % 8, (day * 13) % 60)
                unit = unit_names[k % len(unit_names)] if s.unit_naming == "column" else None
                second = s.noise == "second_comment" and k % 2 == 0
                sheet.rows.append(data_row(d, k, unit, second))
                exp.responses += 1
                exp.second_comments += int(second)
                k += 1
        if s.noise == "date_only":
            for day in (25, 26, 27):
                row = [None] * len(headers)
                row[0] = _date(dt.datetime(year, months[-1], day), s.date_style)
                sheet.rows.append(row)
                exp.skipped_rows["date_only"] = exp.skipped_rows.get("date_only", 0) + 1
        if s.noise == "labels":
            label, count_label = LABELS[s.lang]
            row = [None] * len(headers)
            row[0], row[headers.index(h_score)] = label, 3.4
            sheet.rows.append(row)
            row = [None] * len(headers)
            row[0], row[headers.index(h_score)] = count_label, k
            sheet.rows.append(row)
            exp.skipped_rows["labels"] = exp.skipped_rows.get("labels", 0) + 2
        sheets.append(sheet)
    if s.structure == "copy":
        original = sheets[-1]
        sheets.append(Sheet(f"{original.name} (2)", [list(r) for r in original.rows]))
        exp.copies = 1
    if s.unit_naming == "column":
        exp.units = set(unit_names)
    return sheets, file_stem, exp


def _msforms(s: Spec, r: random.Random) -> tuple[list[Sheet], str, Expected]:
    q = {"fi": ("Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi",
                "Millä osastolla olit?", "Miten tyytyväinen olit hoitoon?", "Kerro vapaasti"),
         "sv": ("ID", "Starttid", "Slutförandetid", "E-post", "Namn", "Avdelning",
                "Hur nöjd var du med vården?", "Berätta fritt"),
         "en": ("ID", "Start time", "Completion time", "Email", "Name", "Which ward were you on?",
                "How satisfied were you with your care?", "Please tell us why")}[s.lang]
    unit = r.choice(COLUMN_UNITS[s.lang])
    rows = [list(q) + ([BETTER[s.lang]] if s.noise == "second_comment" else [])]
    n = 6 + s.seed % 5
    exp = Expected(n, {unit})
    for k in range(n):
        start = dt.datetime(2024, 5, 1 + k, 10, k)
        row = [k + 1, start, start + dt.timedelta(minutes=3), "anonymous", None, unit,
               {"fi": ["Erittäin tyytyväinen", "Tyytyväinen", "Tyytymätön"],
                "sv": ["Mycket nöjd", "Nöjd", "Missnöjd"],
                "en": ["Very satisfied", "Satisfied", "Dissatisfied"]}[s.lang][k % 3],
               COMMENTS[s.lang][k % 6]]
        if s.noise == "second_comment":
            row.append(BETTER_TEXT[s.lang] if k % 3 == 0 else None)
            exp.second_comments += int(k % 3 == 0)
        rows.append(row)
    return [Sheet("Form1" if s.lang != "fi" else "Lomake1", rows)], "Patient feedback(1-%d)" % n, exp


def _googleforms(s: Spec, r: random.Random) -> tuple[list[Sheet], str, Expected]:
    q = {"fi": ("Aikaleima", "Millä terveysasemalla asioit?", "Kuinka todennäköisesti suosittelisit meitä?",
                "Kerro vapaasti kokemuksestasi"),
         "sv": ("Tidstämpel", "Vilken hälsostation besökte du?", "Hur sannolikt är det att du skulle rekommendera oss?",
                "Berätta fritt om ditt besök"),
         "en": ("Timestamp", "Which health centre did you visit?",
                "How likely are you to recommend us to friends and family?", "Tell us about your visit")}[s.lang]
    unit = {"fi": "Keskustan terveysasema", "sv": "Hälsostation Centrum", "en": "Riverside Health Centre"}[s.lang]
    rows = [list(q)]
    n = 8 + s.seed % 4
    exp = Expected(n, {unit})
    us = s.lang == "en"
    for k in range(n):
        d = dt.datetime(2024, 7, 1 + k, 8 + k % 9, 15, 0)    # July 1..12: every day <= 12
        stamp = f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}:{d.second:02d}" if us else \
            f"{d.day}.{d.month}.{d.year} klo {d.hour}.{d.minute:02d}.{d.second:02d}"
        rows.append([stamp, unit, k % 11, COMMENTS[s.lang][k % 6]])
        exp.dates_assumed += int(us and d.month != d.day)
    return [Sheet("Form Responses 1", rows)], ("Lomakevastaukset" if s.lang == "fi" else "Form responses"), exp


def _webropol(s: Spec, r: random.Random) -> tuple[list[Sheet], str, Expected]:
    q = {"fi": ("Vastaajan numero", "Vastausaika", "Yksikkö", "Arvioi saamaasi palvelua asteikolla 1-5",
                "Kerro vapaasti", "Haluan, että minuun otetaan yhteyttä"),
         "sv": ("Svarandens nummer", "Svarstid", "Enhet", "Hur nöjd var du?", "Berätta fritt",
                "Vill bli kontaktad"),
         "en": ("Respondent", "Response time", "Unit", "How satisfied were you?", "Tell us more",
                "I would like to be contacted")}[s.lang]
    unit = r.choice(COLUMN_UNITS[s.lang])
    headers = list(q) + ([BETTER[s.lang]] if s.noise == "second_comment" else [])
    rows = [[{"fi": "Potilaspalautekysely 2024", "sv": "Patientenkät 2024", "en": "Patient survey 2024"}[s.lang]],
            headers]
    n = 5 + s.seed % 6
    exp = Expected(n, {unit})
    for k in range(n):
        d = dt.datetime(2024, 10, 3 + k, 14, 32)
        row = [101 + k, f"{d.day}.{d.month}.{d.year} {d.hour}.{d.minute:02d}", unit, 1 + k % 5,
               COMMENTS[s.lang][k % 6], {"fi": "Kyllä", "sv": "Ja", "en": "Yes"}[s.lang] if k == 0 else
               {"fi": "Ei", "sv": "Nej", "en": "No"}[s.lang]]
        if s.noise == "second_comment":
            row.append(BETTER_TEXT[s.lang] if k % 2 else None)
            exp.second_comments += int(k % 2 == 1)
        rows.append(row)
    return [Sheet("Raakadata" if s.lang == "fi" else "Raw data", rows)], \
        {"fi": "Webropol_raportti", "sv": "Webropol_rapport", "en": "Webropol_report"}[s.lang], exp


def _fft(s: Spec, r: random.Random) -> tuple[list[Sheet], str, Expected]:
    """An NHS trust's FFT feed: numeric codes, a trust-wide date column mixing day-first
    entry with a minority of month-first rows from one ward's kiosk."""
    rows = [["Date", "Ward", "FFT Score", "Please tell us why"]]
    unit = r.choice(["Ward 10", "Ward 22"])
    exp = Expected(0, {unit})
    k = 0
    for day in range(13, 29):                    # unambiguous day-first
        rows.append([f"{day}/03/2024", unit, 1 + k % 6, COMMENTS["en"][k % 6]])
        k += 1
    for day in (14, 15):                         # a few unambiguous month-first
        rows.append([f"03/{day}/2024", unit, 2, COMMENTS["en"][k % 6]])
        k += 1
    for day in (2, 3, 4, 5):                     # ambiguous: follow the day-first majority
        rows.append([f"{day:02d}/04/2024", unit, 1, COMMENTS["en"][k % 6]])
        exp.dates_assumed += int(day != 4)      # 04/04 reads the same both ways
        k += 1
    exp.responses = k
    return [Sheet("fft", rows)], f"FFT_{unit.replace(' ', '')}_2024", exp


BUILDERS = {"ward": _ward, "msforms": _msforms, "googleforms": _googleforms, "webropol": _webropol,
            "fft": _fft}


# ------------------------------------------------------------------------------ writers

def _xlsx(sheets: list[Sheet], path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    wb.remove(wb.active)
    for sh in sheets:
        ws = wb.create_sheet(sh.name[:31])
        for row in sh.rows:
            ws.append(row)
        for c in sh.hidden_columns:
            ws.column_dimensions[chr(65 + c)].hidden = True
        for cell in ws["A"]:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "d.m.yyyy h:mm"
    wb.save(path)


def _xls(sheets: list[Sheet], path: Path) -> None:
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="D.M.YYYY h:mm")
    for sh in sheets:
        ws = wb.add_sheet(sh.name[:31])
        for i, row in enumerate(sh.rows):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.datetime):
                    ws.write(i, j, v, date_style)
                else:
                    ws.write(i, j, v)
    wb.save(str(path))


def _ods(sheets: list[Sheet], path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    for sh in sheets:
        table = Table(name=sh.name)
        for row in sh.rows:
            tr = TableRow()
            for v in row:
                if v is None:
                    tr.addElement(TableCell())
                elif isinstance(v, dt.datetime):
                    cell = TableCell(valuetype="date", datevalue=v.strftime("%Y-%m-%dT%H:%M:%S"))
                    cell.addElement(P(text=v.strftime("%d.%m.%Y %H:%M")))
                    tr.addElement(cell)
                elif isinstance(v, (int, float)):
                    cell = TableCell(valuetype="float", value=v)
                    cell.addElement(P(text=str(v)))
                    tr.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(v)))
                    tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _csv(sheets: list[Sheet], path: Path, lang: str) -> None:
    buf = io.StringIO()
    delimiter = ";" if lang in ("fi", "sv") else ","
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for row in sheets[0].rows:
        w.writerow(["" if v is None else v.strftime("%d.%m.%Y %H:%M") if isinstance(v, dt.datetime) else v
                    for v in row])
    encoding = "cp1252" if lang == "fi" and path.name.startswith("0") else "utf-8-sig"
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))


def write(seed: int, directory: Path) -> tuple[Path, Spec, Expected]:
    s = spec(seed)
    r = random.Random(seed * 7919)
    sheets, stem, exp = BUILDERS[s.layout](s, r)
    path = Path(directory) / f"{stem}.{s.fmt}"
    if path.exists():
        path = Path(directory) / f"{stem}-{seed}.{s.fmt}"
    if s.fmt == "xlsx":
        _xlsx(sheets, path)
    elif s.fmt == "xls":
        _xls(sheets, path)
    elif s.fmt == "ods":
        _ods(sheets, path)
    else:
        _csv(sheets, path, s.lang)
    return path, s, exp


SEEDS = tuple(range(48))
