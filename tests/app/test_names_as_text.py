"""Names are text (issue 14 item 6) in AppTest: with file, unit, sheet and service-area names
and comments full of Markdown, HTML and Streamlit directives, no page puts one of them raw
into anything Streamlit renders as Markdown (headings, alerts, labels, links, options), and
no chart gets them as HTML. The rendered DOM is checked in tests/browser/test_names_browser.py."""
from __future__ import annotations

import pytest

from tests import names_as_text as hostile
from tests.conftest import open_app_page


@pytest.fixture
def hostile_db(tmp_db, tmp_path):
    hostile.build(tmp_db, tmp_path)
    return tmp_db


def clean(at, where: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    found = hostile.violations(at)
    assert not found, f"{where}: " + "\n".join(found[:20])


@pytest.mark.parametrize("page", ["overview", "trends", "problems", "comments", "replies", "actions",
                                  "report", "upload", "import_log"])
def test_no_page_interprets_a_name(hostile_db, page):
    at = open_app_page(page)
    clean(at, page)


@pytest.mark.parametrize("unit", hostile.UNITS)
def test_a_hostile_unit_chosen_everywhere(hostile_db, unit):
    for page in ("trends", "comments", "problems", "overview"):
        at = open_app_page(page, query={"unit": unit})
        clean(at, f"{page} ?unit={unit}")
    at = open_app_page("actions")
    at.selectbox(key="ac_unit").set_value(unit).run()
    clean(at, "actions unit")
    at = open_app_page("replies")
    at.multiselect(key="rp_units").set_value([unit]).run()
    clean(at, "replies unit")
    opens = [b for b in at.button if (b.key or "").startswith("rp_open_")]
    if opens:
        opens[0].click().run()
        clean(at, "replies case")


def test_import_log_batches_and_undo_confirmation(hostile_db):
    at = open_app_page("import_log")
    for batch_id in (1, 2):
        at.selectbox(key="log_batch").set_value(batch_id).run()
        clean(at, f"import log batch {batch_id}")
        undo = [b for b in at.button if (b.key or "") == f"log_undo::{batch_id}"]
        if undo:
            undo[0].click().run()
            clean(at, f"undo confirmation {batch_id}")
            at.button(key=f"log_undo_no::{batch_id}").click().run()


def test_upload_preview_and_result_of_a_hostile_file(hostile_db, tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = hostile.SHEET
    ws.append(["Päivämäärä", "Yksikkö", "Arvio", "Palaute"])
    ws.append(["3.7.2026", "Uusi " + hostile.UNITS[2], 4, hostile.COMMENT])
    ws.append(["4.7.2026", hostile.UNITS[0], 5, "Jonotin kaksi tuntia eikä kukaan kertonut mitään."])
    ws.append(["ei päivää", hostile.UNITS[0], 5, hostile.COMMENT])
    path = tmp_path / "preview.xlsx"
    wb.save(path)
    at = open_app_page("upload")
    at.file_uploader[0].set_value([("![x](http) **työkirja** $y$ :red[x].xlsx", path.read_bytes(),
                                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
    at.run()
    clean(at, "upload preview")
    for sb in at.selectbox:
        if (sb.key or "").startswith("upload_unitpick::"):
            sb.set_value(sb.options[0]).run()
    confirm = [b for b in at.button if (b.key or "").startswith("upload_confirm::")]
    assert confirm, "the preview offers an import"
    confirm[0].click().run()
    clean(at, "upload result")
