"""Upload as a nurse reads it (issue 10, item 6): the preview in her language, the result
linking to the unit and months she imported, one "do not import" choice with sample values.

Workbooks are written the way wards keep them: a title row, headers in their own words, a
recorder's initials and a phone column nobody should import, dates typed and as cells.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from openpyxl import Workbook

from etl.pipeline import import_file
from tests.app.test_upload import buttons, confirm, frame_with, open_page, upload
from tests.conftest import write_template_csv

CANONICAL = {"submitted_on", "month", "unit_name", "service_area", "channel", "language", "raw_score",
             "score_5", "nps", "feedback_type", "comment", "wants_reply", "records", "tally", "skipped"}
TEXTS = ["Hoitajat olivat ystävällisiä", "Jouduin odottamaan pitkään aulassa", "kiitos kaikesta!!",
         "Lääkäri ei ehtinyt kuunnella", "Ruoka kylmää", "Selkeät ohjeet kotiin"]


def ward_workbook(path: Path, unit_title: str, month: int, seed: int = 3) -> Path:
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "Kevät"
    ws["A1"] = f"{unit_title} – potilaspalaute 2024"
    ws.append([])
    ws.append(["Pvm", "Arvio (1-5)", "Palautteen tyyppi", "Vapaa palaute", "Kirjaaja", "Puhelin"])
    for d in range(1, 9):
        when = dt.datetime(2024, month + d % 2, d) if d % 3 else f"{d}.{month + d % 2}.2024"
        ws.append([when, rng.choice([2, 3, 4, 5]), rng.choice(["kiitos", "moite", "kehitysehdotus"]),
                   f"{rng.choice(TEXTS)} ({d})", rng.choice(["MK", "tl", "A.K."]), f"040 555 {1000 + d}"])
    wb.save(path)
    return path


def link_queries(at) -> list[dict]:
    """Trends links of the result card (page_link when the page is registered, otherwise the
    markdown fallback of a page run alone)."""
    out = []
    for m in at.markdown:
        for target in re.findall(r"\]\(([^)]*kehitys[^)]*)\)", m.value):
            out.append(parse_qs(urlparse(target).query))
    for p in at.get("page_link"):
        out.append(parse_qs(urlparse(p.proto.page).query) if p.proto.page else {})
    return out


def test_preview_tables_speak_finnish(tmp_db, tmp_path):
    path = ward_workbook(tmp_path / "kevät.xlsx", "Osasto 4", 3)
    at = upload(open_page(), (path.name, path.read_bytes()))
    rows = frame_with(at, "Palaute (vapaa teksti)")
    assert not CANONICAL & set(rows.columns), rows.columns
    assert all(re.fullmatch(r"\d{1,2}\.\d{1,2}\.2024", v) for v in rows["Päivämäärä"]), rows["Päivämäärä"].tolist()
    assert set(rows["Kuukausi"]) <= {"maalis 2024", "huhti 2024"}
    assert set(rows["Palautteen tyyppi"]) <= {"Kiitos", "Moite", "Kehitysehdotus"}, set(rows["Palautteen tyyppi"])
    assert all(re.fullmatch(r"\d(,\d)?", v) for v in rows["Arvio asteikolla 1–5"])
    sheets = frame_with(at, "Välilehti")
    assert list(sheets["Laji"]) == ["Vastausrivejä"] and list(sheets["Käytetään"]) == ["kyllä"]
    editors = {id(e.proto) for e in at.data_editor}  # the editor shows field labels for its codes
    shown = " ".join(str(v) for d in at.dataframe if id(d.proto) not in editors
                     for v in [*d.value.columns, *d.value.astype(str).values.ravel()])
    assert not re.search(r"\b(None|nan|NaT|True|False|submitted_on|score_5|records|skipped)\b", shown)


def test_preview_in_swedish_and_english(tmp_db, tmp_path):
    path = ward_workbook(tmp_path / "var.xlsx", "Osasto 4", 3)
    for lang, comment, kind in (("sv", "Kommentar (fritext)", "Svar, ett per rad"),
                                ("en", "Comment (free text)", "Responses, one per row")):
        at = upload(open_page(lang), (path.name, path.read_bytes()))
        headers = [c for d in at.dataframe for c in d.value.columns]
        assert not CANONICAL & set(headers)
        assert kind in frame_with(at, headers[0]).astype(str).values.ravel().tolist() or \
            any(kind in d.value.astype(str).values.ravel().tolist() for d in at.dataframe)


def test_result_links_to_the_stored_unit_and_the_imported_months(tmp_db, tmp_path):
    earlier = write_template_csv(tmp_path / "alku.csv", [
        {"Päivämäärä": f"{d}.1.2024", "Yksikkö": "Osasto 4", "Arvio": "4", "Palaute": f"ok {d}"} for d in range(1, 7)])
    assert import_file(earlier, db_path=tmp_db).status == "loaded"
    # the ward's own workbook spells the unit its own way
    path = ward_workbook(tmp_path / "kevät.xlsx", "OSASTO 4", 4)
    at = confirm(upload(open_page(), (path.name, path.read_bytes())))
    assert any("Tuonti valmis" in s.value for s in at.success)
    queries = [q for q in link_queries(at) if q.get("unit")]
    assert queries, [m.value for m in at.markdown]
    assert queries[0]["unit"] == ["Osasto 4"], queries
    assert (queries[0]["period"], queries[0]["from"], queries[0]["to"]) == (["custom"], ["2024-04"], ["2024-05"])
    labels = " ".join(m.value for m in at.markdown)
    assert "huhti 2024 – touko 2024" in labels


def field_options(editor) -> list:
    config = json.loads(editor.proto.columns)
    spec = next(v for k, v in config.items() if "field" in k or v.get("label") == "Luetaan tietona")
    return spec["type_config"]["options"]


def test_one_do_not_import_choice_and_redacted_samples(tmp_db, tmp_path):
    path = ward_workbook(tmp_path / "kevät.xlsx", "Osasto 4", 3)
    at = upload(open_page(), (path.name, path.read_bytes()))
    editor = at.data_editor[0]
    table = editor.value.set_index("column")
    assert list(editor.value.columns) == ["column", "samples", "field"]
    options = [o["value"] for o in field_options(editor)]
    labels = [o["label"] for o in field_options(editor)]
    assert "" not in options and options.count("ignore") == 1 and "Älä tuo tätä saraketta" in labels
    assert table.loc["Kirjaaja", "field"] == "ignore" and table.loc["Puhelin", "field"] == "ignore"
    assert "[PUHELIN]" in table.loc["Puhelin", "samples"] and "555" not in table.loc["Puhelin", "samples"]
    assert re.search(r"\d{1,2}\.3\.2024", table.loc["Pvm", "samples"])

    # the nurse decides the free text stays out of this import
    row = list(editor.value["column"]).index("Vapaa palaute")
    at.session_state[editor.key] = {"edited_rows": {row: {"field": "ignore"}}, "added_rows": [],
                                    "deleted_rows": []}
    buttons(at, "upload_repreview::")[0].click()
    at.run()
    assert not at.exception, at.exception
    not_imported = frame_with(at, "Miksi ei tuoda")
    assert "Vapaa palaute" in set(not_imported.iloc[:, 1])
    rows = frame_with(at, "Päivämäärä")
    assert "Palaute (vapaa teksti)" not in rows.columns or not rows["Palaute (vapaa teksti)"].str.len().any()
