"""Reject reasons in the reader's language: the stored fi/en texts gain Swedish from the
catalogue on the import log, the rejects workbook, the upload summary and the CLI."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from etl.normalise import values
from etl.pipeline import import_file
from etl.read import template
from kokemus import batches
from kokemus.i18n import LANGUAGES, catalogue, t
from kokemus.reject_reasons import reason_text
from tests.conftest import ROOT, mark_fictional, write_template_csv

PAGE = str(ROOT / "pages" / "import_log.py")
SV_DATE = "Datumet finns inte (t.ex. 31.2.); raden avvisades."
SV_FORMULA = "Cellen innehåller ett formelfel (t.ex. #DIV/0!, #N/A), inte ett värde; cellen avvisades."


def stored_reasons() -> list[tuple[str, str, str]]:
    """Every (code, fi, en) a reader stores, from the readers' own tables."""
    found = [(code, fi, en) for code, (fi, en) in values.REASONS.items()]
    found += [(code, fi, en) for code, (fi, en) in template.REASONS.items()]
    found += [("formula_error", *template._ERROR_REASON), ("formula_error", *template._ERROR_ROW_REASON)]
    found += [(key.removeprefix("layout_reject_"), texts["fi"], texts["en"])
              for key, texts in catalogue().items() if key.startswith("layout_reject_")]
    return found


def test_every_stored_reason_has_a_catalogue_entry_in_three_languages():
    reasons = stored_reasons()
    assert len({code for code, _, _ in reasons}) >= 15
    for code, fi, en in reasons:
        assert reason_text(code, fi, en, "fi") == fi and reason_text(code, fi, en, "en") == en
        sv = reason_text(code, fi, en, "sv")
        assert sv and sv not in (fi, en), (code, fi)
    for key, texts in catalogue().items():
        if key.startswith("reject_reason_"):
            assert all(texts.get(lang, "").strip() for lang in LANGUAGES), key


def test_a_reason_the_catalogue_does_not_know_is_shown_as_stored():
    # an older batch's wording, or a code no catalogue entry has
    assert reason_text("invalid_date", "Vanha teksti.", "Old text.", "sv") == "Vanha teksti."
    assert reason_text("new_code", "Uusi.", "New.", "en") == "New."


def rows() -> list[dict]:
    return [{"Päivämäärä": "1.3.2024", "Yksikkö": "Osasto 3A", "Arvio": "4"},
            {"Päivämäärä": "31.2.2024", "Yksikkö": "Osasto 3A", "Arvio": "4"},
            {"Päivämäärä": "2.3.2024", "Yksikkö": "Osasto 3A", "Arvio": "#DIV/0!"}]


def test_import_log_and_workbook_in_swedish(tmp_db, tmp_path):
    result = import_file(write_template_csv(tmp_path / "mars.csv", rows()), db_path=tmp_db,
                         imported_by="hoitaja.testi")
    assert result.status == "loaded", result.error_en
    assert {r.code for r in result.rejects} == {"invalid_date", "formula_error"}
    mark_fictional()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["lang"] = "sv"
    at.run()
    assert not at.exception, at.exception
    by_reason = at.dataframe[1].value
    assert set(by_reason[t("log_col_reason", "sv")]) == {SV_DATE, SV_FORMULA}
    shown = at.dataframe[2].value
    assert set(shown[t("log_col_reason", "sv")]) == {SV_DATE, SV_FORMULA}
    book = load_workbook(io.BytesIO(batches.rejects_xlsx(result.batch_id, "sv", tmp_db)))
    rejected = book.worksheets[0]
    header = [c.value for c in rejected[1]]
    assert header[-1] == "Orsak till avvisning"
    assert rejected.cell(2, len(header)).value == SV_DATE
    notes = [str(c.value) for ws in book.worksheets[1:] for row in ws.iter_rows() for c in row]
    assert SV_FORMULA in notes
    # Finnish stays exactly what was stored
    assert set(batches.reject_summary(result.batch_id, "fi", tmp_db)["reason"]) == \
        {template.REASONS["invalid_date"][0], template._ERROR_REASON[0]}


def test_upload_summary_in_swedish(tmp_db, tmp_path):
    sys.path.insert(0, str(ROOT))
    from pages.upload import reject_summary
    result = import_file(write_template_csv(tmp_path / "mars.csv", rows()), db_path=tmp_db)
    table = reject_summary(result, "sv")
    assert set(table[t("log_col_reason", "sv")]) == {SV_DATE, SV_FORMULA}


def test_cli_in_swedish(tmp_path):
    f = write_template_csv(tmp_path / "mars.csv", rows())
    r = subprocess.run([sys.executable, "-m", "etl", "import", str(f), "--db", str(tmp_path / "w.duckdb")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "KOKEMUS_LANG": "sv"})
    assert r.returncode == 0, r.stderr
    assert SV_DATE in r.stdout and SV_FORMULA in r.stdout, r.stdout
    assert "hylättiin" not in r.stdout
