"""Small imports stay cheap without giving up the parse worker's limits (issue 14, item 8).

A CLI run forks its parse worker from itself (no fork server: no second Python start, no
second import of pandas, pyarrow and DuckDB), the fork server of a long-lived process hands its
workers the lemmatiser already loaded, one import opens the warehouse once to read and once to
write, and the CLI's import path never imports the dashboard's libraries. Each check runs in a
fresh interpreter where it depends on what that process has done before.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from etl import sandbox
from etl.pipeline import import_file
from kokemus import db
from tests.hostile import template_xlsx

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_LIBRARIES = ("streamlit", "plotly", "sklearn", "matplotlib", "openpyxl", "fpdf", "playwright")


def _python(code: str, tmp_path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180,
                         env={"PATH": "/usr/bin:/bin", "KOKEMUS_LANG": "en", "HOME": str(tmp_path),
                              "KOKEMUS_CACHE_DIR": str(Path.home() / ".cache" / "kokemus"),
                              "KOKEMUS_DB": str(tmp_path / "w.duckdb")})
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_cli_run_forks_its_worker_directly_and_keeps_its_limits(tmp_path):
    far = template_xlsx(tmp_path / "kaukana.xlsx", extra='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    good = template_xlsx(tmp_path / "hyvä.xlsx")
    code = f"""
import json
from multiprocessing import forkserver
from etl.cli import main
from etl import sandbox
from etl.contract import ImportError_
rc = main(["import", {str(far)!r}, {str(good)!r}])
direct = sandbox.forks_directly()
refused = []
for kwargs in (dict(memory=60 << 20), dict(seconds=0.01)):   # readers abort without memory; the clock
    try:
        sandbox.parse_file_isolated({str(good)!r}, **kwargs)
    except ImportError_ as exc:
        refused.append(exc.code)
rows = len(sandbox.parse_file_isolated({str(good)!r}).frame)
print(json.dumps({{"rc": rc, "direct": direct, "server": forkserver._forkserver._forkserver_pid,
                  "refused": refused, "rows": rows}}))
"""
    res = _python(code, tmp_path)
    assert res["rc"] == 1, "the far-away file is refused, the good one loads"
    assert res["direct"] and res["server"] is None, "a CLI run (and these parses) start no fork server"
    assert res["refused"] == ["unsafe", "unsafe_timeout"], "memory and time limits hold in a direct worker"
    assert res["rows"] == 2, "and the next file reads normally"


def test_a_thread_of_its_own_sends_the_worker_to_the_fork_server(tmp_path):
    good = template_xlsx(tmp_path / "hyvä.xlsx")
    code = f"""
import json, threading
from multiprocessing import forkserver
import etl.pipeline
from etl import sandbox
sandbox.fork_directly()
before = sandbox.forks_directly()
stop = threading.Event()
thread = threading.Thread(target=stop.wait)
thread.start()
during = sandbox.forks_directly()
rows = len(sandbox.parse_file_isolated({str(good)!r}).frame)
server = forkserver._forkserver._forkserver_pid
stop.set(); thread.join()
print(json.dumps({{"before": before, "during": during, "rows": rows, "server": server}}))
"""
    res = _python(code, tmp_path)
    assert res["before"] and not res["during"]
    assert res["server"] is not None and res["rows"] == 2


def _report_inherited(conn) -> None:
    """Runs in a worker forked by the fork server: what did it inherit?"""
    import gc

    from etl.themes import lemma_store
    conn.send({"lemmas": lemma_store._default is not None, "simplemma": "simplemma" in sys.modules,
               "frozen": gc.get_freeze_count()})
    conn.close()


def test_fork_server_hands_its_workers_the_lemmatiser_loaded():
    assert "etl.sandbox_warm" in sandbox.PRELOAD
    if not sandbox.enabled():
        pytest.skip("KOKEMUS_SANDBOX=0")
    ctx = sandbox._ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_report_inherited, args=(sender,), daemon=True)
    proc.start()
    sender.close()
    try:
        assert receiver.poll(120)
        got = receiver.recv()
    finally:
        proc.join(10)
    assert got["lemmas"] and got["simplemma"], got
    assert got["frozen"] > 0, "the workers' collector leaves the inherited heap alone"


def test_one_import_opens_the_warehouse_once_to_read_and_once_to_write(tmp_path, tmp_db, monkeypatch):
    opened: list[str] = []
    real_open = db._open

    def counting_open(path, wait_s):
        if threading.current_thread() is threading.main_thread():
            opened.append(Path(path).name)
        return real_open(path, wait_s)

    first = template_xlsx(tmp_path / "maaliskuu.xlsx", rows=[["2024-03-04", "Ortopedian poliklinikka", 4, "Hyvä"]])
    assert import_file(first, db_path=tmp_db).status == "loaded"
    monkeypatch.setattr(db, "_open", counting_open)
    rows = [["2024-04-02", "Ortopedian poliklinikka", 5, "Hyvä hoito"],
            ["2024-04-03", "Ortopedinen poliklinikka", 3, "Odotin kauan"]]
    second = template_xlsx(tmp_path / "huhtikuu.xlsx", rows=rows)
    r = import_file(second, db_path=tmp_db)
    assert r.status == "loaded" and r.new_units == ["Ortopedinen poliklinikka"], (r.error_en, r.new_units)
    assert r.unit_suggestions == {"Ortopedinen poliklinikka": [("Ortopedian poliklinikka", 84.2)]}, \
        "a new unit like an old one is still pointed out"
    assert opened == [tmp_db.name, tmp_db.name]


def test_cli_import_path_leaves_the_dashboards_libraries_alone(tmp_path):
    good = template_xlsx(tmp_path / "hyvä.xlsx")
    code = f"""
import json, sys
from etl.cli import main
rc = main(["import", {str(good)!r}])
print(json.dumps({{"rc": rc, "imported": sorted({{m.split(".")[0] for m in sys.modules}})}}))
"""
    res = _python(code, tmp_path)
    assert res["rc"] == 0
    assert not set(DASHBOARD_LIBRARIES) & set(res["imported"]), res["imported"]


def test_a_preload_name_that_does_not_import_costs_nothing(tmp_path, monkeypatch):
    """A fork server skips a preload module it cannot import; so does a direct worker."""
    monkeypatch.setattr(sandbox, "PRELOAD", [*sandbox.PRELOAD, "benchmarks.not_there"])
    parsed = sandbox.parse_file_isolated(template_xlsx(tmp_path / "hyvä.xlsx"))
    assert len(parsed.frame) == 2


def test_an_import_run_ends_quickly_with_all_its_output_and_data(tmp_path):
    """`python -m etl import` skips Python's teardown: its summaries (a pipe is block-buffered),
    its exit code and its batches must all be there anyway."""
    good = template_xlsx(tmp_path / "maaliskuu.xlsx")
    rejected = template_xlsx(tmp_path / "huhtikuu.xlsx",
                             rows=[["2024-04-02", "Osasto 1", 5, "Hyvä hoito"], ["", "Osasto 1", 3, "Odotin"]])
    env = {"PATH": "/usr/bin:/bin", "KOKEMUS_LANG": "en", "HOME": str(tmp_path),
           "KOKEMUS_CACHE_DIR": str(Path.home() / ".cache" / "kokemus")}
    db_path = tmp_path / "w.duckdb"
    out = subprocess.run([sys.executable, "-m", "etl", "import", str(good), str(rejected), "--strict",
                          "--db", str(db_path)], cwd=ROOT, capture_output=True, text=True, timeout=180, env=env)
    assert out.returncode == 3, out.stderr[-2000:]
    assert "maaliskuu.xlsx" in out.stdout and "huhtikuu.xlsx" in out.stdout
    with db.connect(db_path) as con:
        loaded = con.execute("SELECT file_name, rows_loaded FROM import_batches ORDER BY batch_id").fetchall()
    assert loaded == [("maaliskuu.xlsx", 2), ("huhtikuu.xlsx", 1)]


def test_a_cli_runs_first_worker_waits_forked_and_keeps_its_limits(tmp_path):
    """The worker forked before the warehouse opens (etl.standby) is the one that parses the
    first file, with the memory and time limits of any other, and each is used once."""
    good = template_xlsx(tmp_path / "hyvä.xlsx")
    code = f"""
import json, os
from multiprocessing import forkserver
import etl.pipeline
from etl import sandbox, standby
from etl.contract import ImportError_
sandbox.fork_directly()
refused, used = [], []
for kwargs in (dict(memory=60 << 20), dict(seconds=0.01)):
    standby.start()
    waiting_pid = standby._standby[0].pid
    try:
        sandbox.parse_file_isolated({str(good)!r}, **kwargs)
    except ImportError_ as exc:
        refused.append(exc.code)
    used.append(not standby.waiting())
standby.start()
rows = len(sandbox.parse_file_isolated({str(good)!r}).frame)
print(json.dumps({{"refused": refused, "used": used, "rows": rows, "waiting": standby.waiting(),
                  "server": forkserver._forkserver._forkserver_pid}}))
"""
    res = _python(code, tmp_path)
    assert res["refused"] == ["unsafe", "unsafe_timeout"], "memory and time limits hold in a waiting worker"
    assert res["used"] == [True, True] and not res["waiting"], "each waiting worker took its file"
    assert res["rows"] == 2 and res["server"] is None


def test_a_waiting_worker_given_no_file_ends_with_its_importer(tmp_path):
    """An import run that ends without needing it (the file was imported already, a usage
    error) leaves no worker behind."""
    code = """
import json, os, sys
from etl import standby
standby.start()
print(json.dumps({"pid": standby._standby[0].pid}))
sys.stdout.flush()
os._exit(0)
"""
    pid = _python(code, tmp_path)["pid"]
    import time
    until = time.monotonic() + 30
    while time.monotonic() < until:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            break
        if state in ("Z", "X"):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the waiting worker outlived its importer")
