"""Writers of a realistic test corpus: the workbooks nurses keep and the files survey
platforms export. Each function writes one file into ``directory`` and returns its path;
``write_all`` writes every one. Reused by the parse, import and upload-page tests.

Every value here is asserted somewhere, so change a writer and its test together.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference


def _save(wb: Workbook, directory: Path, name: str) -> Path:
    path = Path(directory) / name
    wb.save(path)
    return path


def _csv(directory: Path, name: str, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = Path(directory) / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def month_sheets(directory: Path) -> Path:
    """Osasto 5B's year: merged title row "... 2023", a header under it, one sheet per
    month (Tammi, Helmi, Maalis), "12.1." dates without a year, a totals row, a hidden
    sheet (Maalis), an instruction sheet and a chart sheet."""
    wb = Workbook()
    ohje = wb.active
    ohje.title = "Ohje"
    ohje["A1"] = "Kirjaa jokainen palautelomake omalle rivilleen. Älä kirjoita henkilötunnuksia."
    data = {
        "Tammi": [("12.1.", 5, "kiitos", "Hoitajat olivat ystävällisiä ja kiireettömiä."),
                  ("15.1.", 4, "kiitos", None),
                  ("31.2.", 3, "moite", "Odotin lääkäriä pitkään käytävällä."),
                  (None, None, None, None),
                  ("20.1.", "hyvä?", "kehitysehdotus", "Ruokailuun enemmän vaihtoehtoja.")],
        "Helmi": [(dt.datetime(2023, 2, 3), 5, "kiitos", "Kiitos hyvästä hoidosta."),
                  ("14.2.2023", 2, "valitus", "Kukaan ei kertonut, milloin pääsen kotiin.")],
        "Maalis": [("1.3.", 4, "kiitos", "Selkeät ohjeet kotiin."),
                   ("xx", 5, "kiitos", "Lämmin vastaanotto.")],
    }
    for name, rows in data.items():
        ws = wb.create_sheet(name)
        ws["A1"] = "Osasto 5B – asiakaspalaute 2023"
        ws.merge_cells("A1:D1")
        ws.append([])
        ws.append(["Pvm", "Arvio (1-5)", "Palautteen tyyppi", "Vapaa palaute"])
        for r in rows:
            ws.append(list(r))
        ws.append(["Yhteensä", f"=SUM(B4:B{3 + len(rows)})", None, None])
        ws.append(["Keskiarvo", 4.2, None, None])
    wb["Maalis"].sheet_state = "hidden"
    chart_ws = wb.create_sheet("Kaavio")
    chart_ws.append(["Kuukausi", "Määrä"])
    chart_ws.append(["Tammi", 4])
    chart = BarChart()
    chart.add_data(Reference(chart_ws, min_col=2, min_row=1, max_row=2))
    chart_ws.add_chart(chart, "D2")
    return _save(wb, directory, "Osasto_5B_palautteet_2023.xlsx")


def unit_sheets(directory: Path) -> Path:
    """One sheet per unit, names written three ways; "Datum"/"Betyg" Swedish headers on one
    sheet; period from the file name and a date column."""
    wb = Workbook()
    first = wb.active
    first.title = "Osasto 5B"
    first.append(["Päivämäärä", "Arvosana", "Kommentti"])
    first.append(["3.4.2024", 9, "Erinomainen hoito."])
    first.append(["5.4.2024", 7, None])
    second = wb.create_sheet("os. 5 C")
    second.append(["Päivämäärä", "Arvosana", "Kommentti"])
    second.append(["8.4.2024", 10, "Kiitos kaikille."])
    third = wb.create_sheet("Avdelning 7")
    third.append(["Datum", "Betyg", "Kommentar"])
    third.append(["2024-04-09", 8, "Bra bemötande."])
    return _save(wb, directory, "yksikot_huhtikuu_2024.xlsx")


def unit_column(directory: Path) -> Path:
    """A single sheet with a unit column in three spellings and a yes/no reply column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Taul1"
    ws.append(["Pvm", "Yksikkö", "Tyytyväisyys", "Suosittelisitko (0-10)", "Palaute", "Haluan vastauksen"])
    ws.append([dt.date(2024, 5, 2), "Osasto 5B", 5, 10, "Hyvä kohtelu.", "ei"])
    ws.append([dt.date(2024, 5, 3), "os. 5 B", 4, 8, "Soittakaa minulle.", "kyllä"])
    ws.append([dt.date(2024, 5, 4), "5B", 1, 2, "Liian pitkä jono.", "kyllä"])
    return _save(wb, directory, "palaute_toukokuu.xlsx")


def wide_questions(directory: Path) -> Path:
    """One column per question (answers 1-5) beside the date and a free comment."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Vastaukset"
    ws.append(["Lomakepalautteet – Terveysasema Keskusta 2024"])
    ws.append(["Pvm", "Henkilökunta oli ystävällistä", "Odotusaika oli kohtuullinen", "Vapaa sana"])
    ws.append(["2.9.2024", 5, 3, "Hyvä palvelu."])
    ws.append(["3.9.2024", 4, 2, None])
    return _save(wb, directory, "keskusta_syyskuu.xlsx")


def tally_sheet(directory: Path) -> Path:
    """Smiley terminal counts per month, 4 buttons, with a totals row and column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Hymiöt 2023"
    ws.append(["Päivystys – hymiölaitteen vastaukset 2023"])
    ws.append(["Kuukausi", "Erittäin hyvä", "Hyvä", "Huono", "Erittäin huono", "Yhteensä"])
    ws.append(["Tammikuu", 3, 2, 1, 0, 6])
    ws.append(["Helmikuu", 1, 0, 0, 2, 3])
    ws.append(["Maaliskuu", 2, "n/a", 1, 0, 3])
    ws.append(["Yhteensä", 6, 2, 2, 2, 12])
    return _save(wb, directory, "Päivystys_hymiöt.xlsx")


def unknown_layout(directory: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Taul1"
    ws.append(["Kerta", "Huone", "Merkintä"])
    ws.append([1, "A12", "Ikkuna jumissa"])
    ws.append([2, "B03", "Lamppu rikki"])
    return _save(wb, directory, "huoltolista.xlsx")


def webropol_xlsx(directory: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Raakadata"
    ws.append(["Potilaspalautekysely, Osasto 12"])
    ws.append(["Vastaajan numero", "Vastausaika", "Arvio palvelusta", "Kommentti"])
    ws.append([101, "10.10.2024 14.32", 5, "Kaikki sujui hyvin."])
    ws.append([102, "11.10.2024 09.05", 3, None])
    return _save(wb, directory, "webropol_osasto12.xlsx")


def webropol_csv(directory: Path) -> Path:
    return _csv(directory, "webropol_osasto12.csv", [
        "Vastaajan numero;Vastausaika;Arvio palvelusta;Kommentti",
        "201;2024-11-02;4;Ystävällinen henkilökunta",
        "202;2024-11-03;2;Jonotin tunnin",
    ], encoding="cp1252")


def msforms(directory: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(["ID", "Start time", "Completion time", "Email", "Name", "Unit",
               "How likely are you to recommend us to a friend?", "Comments"])
    ws.append([1, dt.datetime(2024, 6, 1, 10, 0), dt.datetime(2024, 6, 1, 10, 3), "anonymous", None,
               "Ward 3", 9, "Very kind staff"])
    ws.append([2, dt.datetime(2024, 6, 2, 11, 0), dt.datetime(2024, 6, 2, 11, 4), "anonymous", None,
               "Ward 3", 4, "Too long wait"])
    return _save(wb, directory, "msforms_export.xlsx")


def googleforms(directory: Path) -> Path:
    return _csv(directory, "google_forms.csv", [
        'Timestamp,Yksikkö,Arvio (1-5),Palaute',
        '2024-07-01 08:15:00,Terveysasema Pohjoinen,5,"Sain ajan heti, kiitos"',
        '2024-07-02 12:00:00,Terveysasema Pohjoinen,4,',
    ])


def qualtrics(directory: Path) -> Path:
    return _csv(directory, "qualtrics.csv", [
        "StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),Finished,RecordedDate,"
        "ResponseId,UserLanguage,Q1,Q2,Q3",
        "Start Date,End Date,Response Type,IP Address,Progress,Duration (in seconds),Finished,"
        "Recorded Date,Response ID,User Language,Yksikkö,Kuinka todennäköisesti suosittelisit palvelua?,Vapaa palaute",
        '{"ImportId":"startDate"},{"ImportId":"endDate"},{"ImportId":"status"},{"ImportId":"ipAddress"},'
        '{"ImportId":"progress"},{"ImportId":"duration"},{"ImportId":"finished"},{"ImportId":"recordedDate"},'
        '{"ImportId":"_recordId"},{"ImportId":"userLanguage"},{"ImportId":"QID1"},{"ImportId":"QID2"},{"ImportId":"QID3"}',
        "2024-08-05 10:00:00,2024-08-05 10:02:00,0,,100,120,1,2024-08-05 10:02:01,R_abc1,FI,Neuvola Etelä,10,Hyvä",
        "2024-08-06 10:00:00,2024-08-06 10:02:00,0,,100,120,1,2024-08-06 10:02:01,R_abc2,FI,Neuvola Etelä,6,",
    ])


def redcap(directory: Path) -> Path:
    return _csv(directory, "redcap.csv", [
        "record_id,redcap_survey_identifier,palaute_timestamp,yksikko,arvio,palaute,palaute_complete",
        "1,,2024-09-10 12:00,Poliklinikka 2,4,Selkeä ohjeistus,2",
        "2,,2024-09-11 12:00,Poliklinikka 2,5,,2",
    ])


def happyornot(directory: Path) -> Path:
    return _csv(directory, "happyornot.csv", [
        "Date,Time,Survey,Touchpoint,Button",
        "2024-10-01,08:01,Miten onnistuimme?,Päivystys aula,Very happy",
        "2024-10-01,08:05,Miten onnistuimme?,Päivystys aula,Unhappy",
        "2024-10-02,09:00,Miten onnistuimme?,Päivystys aula,Happy",
    ])


def fft(directory: Path) -> Path:
    return _csv(directory, "fft_ward.csv", [
        'Date,Ward,"Overall, how was your experience of our service?",Please tell us why',
        '2024-03-01,Ward 10,Very good,"Lovely nurses"',
        "2024-03-02,Ward 10,Don't know,",
        "2024-03-03,Ward 10,Very poor,Cold food",
    ])


def thl(directory: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Vastaukset"
    ws.append(["Päivämäärä", "Yksikkö",
               "Kuinka todennäköisesti suosittelisit saamaasi palvelua läheisellesi tai ystävällesi?",
               "Pääsin hoitoon riittävän nopeasti", "Minua kohdeltiin ystävällisesti",
               "Hoitoni oli turvallista", "Kerro vapaasti"])
    ws.append(["4.11.2024", "Terveysasema Länsi", 9, 5, 4, 5, "Hyvä kokemus"])
    ws.append(["5.11.2024", "Terveysasema Länsi", 3, 2, 3, 4, None])
    return _save(wb, directory, "thl_kysely.xlsx")


WRITERS = (month_sheets, unit_sheets, unit_column, wide_questions, tally_sheet, unknown_layout,
           webropol_xlsx, webropol_csv, msforms, googleforms, qualtrics, redcap, happyornot, fft, thl)


def write_all(directory: Path) -> dict[str, Path]:
    Path(directory).mkdir(parents=True, exist_ok=True)
    return {w.__name__: w(Path(directory)) for w in WRITERS}
