"""Two uploads at once, readers browsing meanwhile, and a CLI import beside the dashboard.

Every thread and the subprocess use the real entry points (``etl.pipeline.import_file``,
``kokemus.db.connect``, ``python -m etl import``) on one real warehouse file.
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from etl.pipeline import import_file
from kokemus import db
from tests.conftest import write_template_csv

ROOT = Path(__file__).resolve().parents[2]


def month_file(directory: Path, name: str, unit: str, month: int, n: int) -> Path:
    rows = [{"Päivämäärä": f"{1 + d % 28}.{month}.2024", "Yksikkö": unit, "Arvio": str(1 + d % 5),
             "Palaute": f"{unit}: palaute {d}."} for d in range(n)]
    return write_template_csv(directory / name, rows)


class Browsing(threading.Thread):
    """Reads the warehouse in a loop, as dashboard pages do, until told to stop."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.stop, self.reads, self.errors = path, threading.Event(), 0, []

    def run(self):
        while not self.stop.is_set():
            try:
                with db.connect(self.path) as con:
                    con.execute("SELECT count(*) FROM responses").fetchall()
                self.reads += 1
            except Exception as exc:  # noqa: BLE001 - collected and asserted on
                self.errors.append(exc)
            time.sleep(0.005)


def counts(path: Path) -> dict[str, int]:
    with db.connect(path) as con:
        rows = con.execute("SELECT b.file_name, count(r.response_id) FROM import_batches b "
                           "LEFT JOIN responses r USING (batch_id) WHERE b.status = 'loaded' "
                           "GROUP BY ALL").fetchall()
    return dict(rows)


def test_two_uploads_at_once_while_others_browse(tmp_db, tmp_path):
    files = [month_file(tmp_path, "5b.csv", "Osasto 5B", 3, 1500),
             month_file(tmp_path, "7a.csv", "Osasto 7A", 4, 900)]
    with db.connect(tmp_db):
        pass  # create and migrate first so both importers start from the same schema
    reader = Browsing(tmp_db)
    reader.start()
    results: dict[str, object] = {}
    start = threading.Barrier(2)

    def upload(path: Path):
        start.wait()
        results[path.name] = import_file(path, db_path=tmp_db, imported_by="hoitaja")

    threads = [threading.Thread(target=upload, args=(f,)) for f in files]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    reader.stop.set()
    reader.join(10)

    assert {n: r.status for n, r in results.items()} == {"5b.csv": "loaded", "7a.csv": "loaded"}
    assert {n: r.rows_loaded for n, r in results.items()} == {"5b.csv": 1500, "7a.csv": 900}
    assert counts(tmp_db) == {"5b.csv": 1500, "7a.csv": 900}
    with db.connect(tmp_db) as con:
        ids = con.execute("SELECT count(*), count(DISTINCT response_id) FROM responses").fetchone()
    assert ids == (2400, 2400), "two batches must never share response ids"
    assert reader.reads > 0 and not reader.errors, reader.errors[:3]


def test_cli_import_while_the_dashboard_reads(tmp_db, tmp_path):
    first = month_file(tmp_path, "tammi.csv", "Osasto 5B", 1, 200)
    assert import_file(first, db_path=tmp_db).status == "loaded"
    second = month_file(tmp_path, "helmi.csv", "Osasto 5B", 2, 300)
    reader = Browsing(tmp_db)
    reader.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "etl", "import", str(second), "--db", str(tmp_db)],
                              cwd=ROOT, env={**os.environ, "KOKEMUS_DB": str(tmp_db)},
                              capture_output=True, text=True, timeout=180)
    finally:
        reader.stop.set()
        reader.join(10)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert counts(tmp_db) == {"tammi.csv": 200, "helmi.csv": 300}
    assert reader.reads > 0
    # readers wait while the writer has the file; none is turned away as "busy"
    assert not reader.errors, reader.errors[:3]


def test_a_writer_gets_in_while_many_readers_keep_reading(tmp_db, tmp_path):
    """Five threads reading back to back (as ten viewers' pages do) never leave the file
    unopened for long; the writer's intent makes new reads wait, so the CLI import gets in."""
    first = month_file(tmp_path, "tammi.csv", "Osasto 5B", 1, 100)
    assert import_file(first, db_path=tmp_db).status == "loaded"
    readers = [Browsing(tmp_db) for _ in range(5)]
    for r in readers:
        r.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "etl", "import", str(month_file(tmp_path, "helmi.csv", "Osasto 5B", 2, 150)),
                               "--db", str(tmp_db)], cwd=ROOT, env={**os.environ, "KOKEMUS_DB": str(tmp_db)},
                              capture_output=True, text=True, timeout=600)
    finally:
        for r in readers:
            r.stop.set()
        for r in readers:
            r.join(10)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert counts(tmp_db) == {"tammi.csv": 100, "helmi.csv": 150}
    assert all(r.reads > 0 for r in readers)
    assert not [e for r in readers for e in r.errors], [e for r in readers for e in r.errors][:3]


def test_a_reader_beside_an_open_connection_does_not_wait_out_the_writer(tmp_db, tmp_path):
    """A page run keeps its connection while it waits for a cached query that another
    session is computing; if that session's read deferred to a waiting writer for the full
    30 s, all three would wait on each other until then (every viewer saw one 31-37 s load
    during a 200k import). Beside a connection this process holds, the deferral is short."""
    assert import_file(month_file(tmp_path, "tammi.csv", "Osasto 5B", 1, 20), db_path=tmp_db).status == "loaded"
    opened, reader_done, release = threading.Event(), threading.Event(), threading.Event()
    got: list[int] = []

    def page_run():                          # holds its run's connection until told
        with db.connect(tmp_db) as con:
            con.execute("SELECT 1").fetchall()
            opened.set()
            release.wait(60)

    def cached_query():                      # another session's query the page run waits for
        with db.connect(tmp_db, wait_s=60) as con:
            got.append(con.execute("SELECT count(*) FROM responses").fetchone()[0])
        reader_done.set()

    holder = threading.Thread(target=page_run, daemon=True)
    holder.start()
    assert opened.wait(30)
    with db._writing(db.config.db_path(tmp_db)):     # a writer wants the file meanwhile
        reader = threading.Thread(target=cached_query, daemon=True)
        reader.start()
        finished_while_writer_waits = reader_done.wait(40)
        release.set()
    holder.join(30)
    reader.join(60)
    assert finished_while_writer_waits, "the reader waited out the writer although this process holds the file"
    assert got == [20]
