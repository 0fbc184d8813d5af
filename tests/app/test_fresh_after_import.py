"""A page opened after an import in another process shows the new data without a restart,
also while other viewers keep reading the warehouse (issue 14, item 5).

The import runs as the CLI does (`python -m etl import`, its own process); the pages run in
this process through AppTest with their real caches, keyed on the warehouse's data version.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from etl.pipeline import import_file
from tests.conftest import open_app_page, write_template_csv
from tests.unit.test_concurrent_import import Browsing

ROOT = Path(__file__).resolve().parents[2]


def _rows(unit: str, n: int, word: str) -> list[dict]:
    month = date.today().replace(day=1)
    return [{"Päivämäärä": month.replace(day=1 + i % 27).isoformat(), "Yksikkö": unit, "Arvio": str(1 + i % 5),
             "Palaute": f"{word} {i}: hoitaja kuunteli ja selitti hoidon."} for i in range(n)]


def _count(at) -> int:
    heading = next(s.value for s in at.header if s.value.endswith("kommenttia"))
    return int(heading.replace("\u00a0", "").replace("\u202f", "").split()[0])


def test_pages_opened_after_a_cli_import_show_it_while_others_browse(tmp_db, tmp_path):
    assert import_file(write_template_csv(tmp_path / "tammi.csv", _rows("Osasto 5B", 40, "Ensimmäinen")),
                       db_path=tmp_db).status == "loaded"
    before = open_app_page("comments")
    assert _count(before) == 40
    readers = [Browsing(tmp_db) for _ in range(3)]   # other viewers reading all the while
    for r in readers:
        r.start()
    try:
        new = write_template_csv(tmp_path / "helmi.csv", _rows("Osasto 7A", 25, "Toinen"))
        proc = subprocess.run([sys.executable, "-m", "etl", "import", str(new), "--db", str(tmp_db)], cwd=ROOT,
                              env={**os.environ, "KOKEMUS_DB": str(tmp_db)}, capture_output=True, text=True,
                              timeout=600)
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        after = open_app_page("comments")          # a new visitor, same server process
        assert not after.exception
        assert _count(after) == 65
        before.run()                                # and the page that was already open, on its next run
        assert _count(before) == 65
        log = open_app_page("import_log")
        batches = log.dataframe[0].value.astype(str)
        assert batches.apply(lambda col: col.str.contains("helmi.csv", regex=False)).any().any(), batches
    finally:
        for r in readers:
            r.stop.set()
        for r in readers:
            r.join(10)
    assert all(r.reads > 0 for r in readers)
    assert not [e for r in readers for e in r.errors], [e for r in readers for e in r.errors][:3]
