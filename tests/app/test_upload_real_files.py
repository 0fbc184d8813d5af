"""Every kind of real file through the upload page, asking at most one question.

One corpus file (tests/real_files.py) per layout and file format, uploaded as bytes,
confirmed, and checked in the warehouse; plus a file that names no unit, where the page
asks exactly that and nothing else."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from tests import real_files
from tests.conftest import mark_fictional

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "upload.py")
QUESTION_KEYS = ("upload_askunit::", "upload_askcol::")


def _kinds() -> list[int]:
    seen, seeds = set(), []
    for seed in real_files.SEEDS:
        s = real_files.spec(seed)
        if (s.layout, s.fmt) not in seen:
            seen.add((s.layout, s.fmt))
            seeds.append(seed)
    return seeds


def _page(path: Path) -> AppTest:
    mark_fictional()
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state["lang"] = "fi"
    at.run()
    at.file_uploader[0].set_value([(path.name, path.read_bytes(), "application/octet-stream")])
    at.run()
    assert not at.exception, at.exception
    return at


def _questions(at: AppTest) -> list:
    return [s for s in at.selectbox if (s.key or "").startswith(QUESTION_KEYS)]


def _confirm(at: AppTest) -> AppTest:
    button = next(b for b in at.button if (b.key or "").startswith("upload_confirm::"))
    button.click()
    at.run()
    assert not at.exception, at.exception
    return at


def _count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


@pytest.mark.parametrize("seed", _kinds())
def test_each_file_kind_through_the_page(tmp_db, tmp_path, seed):
    path, spec, exp = real_files.write(seed, tmp_path)
    at = _page(path)
    assert len(_questions(at)) <= 1, spec
    assert not _questions(at), (spec, [e.value for e in at.error], [w.value for w in at.warning])
    _confirm(at)
    assert at.success, (spec, [e.value for e in at.error])
    assert _count(tmp_db, "SELECT count(*) FROM responses") == exp.responses, spec


def test_file_without_a_unit_offers_registry_units(tmp_db, tmp_path):
    first, _, _ = real_files.write(4, tmp_path)    # a file that names its own unit
    _confirm(_page(first))
    units = _count(tmp_db, "SELECT count(*) FROM units")
    wb = Workbook()
    ws = wb.active
    ws.append(["Pvm", "Arvio", "Palaute"])
    ws.append(["1.3.2024", 4, "Hyvä käynti kaikin puolin."])
    path = tmp_path / "vastaukset.xlsx"
    wb.save(path)
    at = _page(path)
    question = _questions(at)[0]
    assert len(question.options) == units and question.value is None
    question.set_value(question.options[0]).run()
    next(b for b in at.button if (b.key or "").startswith("upload_askunit_apply::")).click()
    at.run()
    _confirm(at)
    assert _count(tmp_db, "SELECT count(*) FROM units") == units


def test_file_without_a_unit_asks_one_question(tmp_db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Taul1"
    ws.append(["Pvm", "Arvio", "Palaute"])
    for d in range(1, 5):
        ws.append([f"{d}.3.2024", 1 + d % 5, f"Käynti {d} sujui hyvin."])
    path = tmp_path / "vastaukset.xlsx"
    wb.save(path)
    at = _page(path)
    questions = _questions(at)
    assert len(questions) == 1 and questions[0].key.startswith("upload_askunit::")
    assert questions[0].value is None                   # nothing chosen for the nurse
    assert not any("--unit" in e.value for e in [*at.error, *at.info, *at.caption, *at.markdown])
    next(x for x in at.text_input if (x.key or "").startswith("upload_askunit_new::")).input(
        "Keuhkotautiosasto 2").run()
    next(b for b in at.button if (b.key or "").startswith("upload_askunit_apply::")).click()
    at.run()
    assert not _questions(at)
    _confirm(at)
    assert _count(tmp_db, "SELECT count(*) FROM responses") == 4
    assert _count(tmp_db, "SELECT count(*) FROM units WHERE name = 'Keuhkotautiosasto 2'") == 1
