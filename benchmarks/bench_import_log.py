"""How long a nurse waits for a batch with many rejects to open on the import log.

Usage::

    nice .venv/bin/python benchmarks/bench_import_log.py                 # 50,000 rejects
    nice .venv/bin/python benchmarks/bench_import_log.py --rejects 5000 --runs 3
    nice .venv/bin/python benchmarks/bench_import_log.py --tree /path/to/other/checkout

A fresh warehouse gets two batches: a template file with ``--rejects`` rows whose date
cannot be read (and a few good rows), then a small clean file, which the log shows first.
A real `streamlit run` serves the log to headless Chromium (bench_browser's idle
detection); in one session the batch picker is switched to the big batch and back
``--runs`` times, and the time from picking the big batch to the app being idle is
reported (median and worst). Target: under 1 s. ``--tree`` serves another checkout's
dashboard on the same warehouse, to compare before and after.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MS = 1000


def build(db: Path, rejects: int, work: Path) -> None:
    from etl.pipeline import import_file
    from tests.conftest import mark_fictional

    big = work / "osasto_3a_vuosi.csv"
    lines = ["Päivämäärä;Yksikkö;Arvio;Palaute"]
    lines += [f"{d}.3.2025;Osasto 3A;4;Hyvä käynti {d}" for d in range(1, 21)]
    lines += [f"ei muista;Osasto 3A;{1 + i % 5};Palaute numero {i}, päivä puuttuu" for i in range(rejects)]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = work / "osasto_3a_huhtikuu.csv"
    small.write_text("Päivämäärä;Yksikkö;Arvio;Palaute\n" +
                     "".join(f"{d}.4.2025;Osasto 3A;5;Kiitos {d}\n" for d in range(1, 11)), encoding="utf-8")
    for path in (big, small):
        t0 = time.perf_counter()
        result = import_file(path, db_path=db, imported_by="benchmark")
        print(f"imported {path.name}: {result.rows_loaded} loaded, {result.rows_rejected} rejected "
              f"in {time.perf_counter() - t0:.1f} s")
    mark_fictional(db)


def start(tree: Path, db: Path, port: int):
    env = {**os.environ, "KOKEMUS_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(tree / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=tree, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    import urllib.request
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def pick(page, label_start: str) -> None:
    page.get_by_role("combobox", name="Valitse erä").click()
    page.get_by_role("option").filter(has_text=label_start).first.click()


def measure(url: str, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    import bench_browser as bb
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context, page = bb._new_page(browser)
        try:
            page.goto(url + "/import_log", wait_until="commit")
            bb._wait_idle(page, 1)
            bb._close_dialog(page)
            for _ in range(runs):
                runs_before = page.evaluate("window.__kk.runs")
                t0 = page.evaluate("performance.now()")
                pick(page, "Erä 1:")
                idle = bb._wait_idle(page, runs_before + 1)
                page.get_by_text("Erä 1", exact=False).first.wait_for()
                out.append(idle - t0)
                runs_before = page.evaluate("window.__kk.runs")
                pick(page, "Erä 2:")
                bb._wait_idle(page, runs_before + 1)
        finally:
            context.close()
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rejects", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--port", type=int, default=8510)
    ap.add_argument("--tree", type=Path, action="append", default=None,
                    help="checkout(s) whose dashboard to serve (default: this one)")
    args = ap.parse_args(argv)
    trees = args.tree or [ROOT]
    with tempfile.TemporaryDirectory(prefix="bench-log-") as tmp:
        work = Path(tmp)
        db = work / "log.duckdb"
        build(db, args.rejects, work)
        for tree in trees:
            proc = start(tree, db, args.port)
            try:
                times = measure(f"http://127.0.0.1:{args.port}", args.runs)
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            med, worst = statistics.median(times), max(times)
            flag = "ok" if med <= TARGET_MS else "OVER"
            print(f"{tree}: batch with {args.rejects:,} rejects opens in median {med:,.0f} ms, "
                  f"worst {worst:,.0f} ms (target {TARGET_MS} ms: {flag})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
