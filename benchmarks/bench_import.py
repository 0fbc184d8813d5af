"""Import speed and memory: end-to-end `import_file` against the reader alone.

Generates template workbooks of 10k, 100k and 1,048,576 rows (the largest an .xlsx sheet
holds), with a distinct comment on 60 % of rows, then for each reports rows/s and peak RSS of
  (a) fastexcel reading the same sheet alone (the floor),
  (b) pandas.read_excel(engine="openpyxl") (what a hand-written script would do),
  (c) Kokemus end to end (parse, redact, tag, load into a fresh warehouse).
Each measurement runs in its own process so peak RSS is its own; Kokemus goes through the
real path (``etl.pipeline.import_file``, the file parsed in the sandbox worker) as a one-shot
``python -m etl import`` runs it (the worker forked from the process itself before
it opens the warehouse, ``etl.standby``; a dashboard forks it from its warm fork server instead), and
its CPU seconds (parent + parse worker + tagging helper) are printed beside the wall clock,
because on a shared machine the wall clock also counts waiting for a core.
pandas+openpyxl on 1,048,576 rows takes ~4 minutes; it is skipped there unless --all.

Then small files (``--small``, on by default): a 10-row template workbook imported
  (d) in a fresh process: ``python -m etl import FILE`` as a nurse's CLI run or a cron job
      does, wall clock from the process start to its end, and its peak RSS (the parse
      worker's peak beside it);
  (e) warm: by a process that has already loaded the tagger and started the parse server,
      as the dashboard has when a nurse uploads, into a warehouse that already holds data:
      the median of five different 10-row files.

The fresh process is ``python -m etl import FILE --db NEW``: it forks its parse worker from
itself (``etl.sandbox.fork_directly``) and skips Python's teardown (``etl/__main__.py``), as
every CLI run does; its CPU seconds and peak RSS (the process and its worker, from ``wait4``)
are printed beside the wall clock.

Usage: python benchmarks/bench_import.py [--sizes 10000,100000,1048576] [--all] [--no-small] [--small-only]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = ["Päivämäärä", "Yksikkö", "Kanava", "Arvio", "Suosittelu", "Tyyppi", "Palaute"]
COMMENT_SHARE = 0.6     # rows with a comment; every comment is distinct, as in real files


def comments_for(n: int) -> list[str | None]:
    """Distinct realistic comments (benchmarks/distinct_comments.py) on ~60 % of rows: a
    benchmark that repeats a handful of texts measures the tagger's cache, not the tagger."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from distinct_comments import distinct_comments
    texts = iter(distinct_comments(n))
    out = [next(texts) if (i * 7) % 10 < 10 * COMMENT_SHARE else None for i in range(n)]
    given = [c for c in out if c]
    assert len(set(given)) == len(given), "the benchmark's comments must all be distinct"
    return out


def write_workbook(path: Path, n: int, seed_offset: int = 0) -> None:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Palautteet")
    ws.append(HEADERS)
    start = date(2024, 1, 1)
    units = [f"Osasto {i}" for i in range(1, 21)]
    types = ["kiitos"] * 8 + ["moite", "kehitysehdotus"]
    comments = comments_for(n) if not seed_offset else _small_comments(n, seed_offset)
    for i in range(n):
        # no type on half the rows: those get the inferred type, as in hand-made files
        ws.append([start + timedelta(days=i % 700), units[i % 20], "paperi", 1 + i % 5, i % 11,
                   types[i % 10] if i % 2 else None, comments[i]])
    wb.save(path)


def _small_comments(n: int, seed: int) -> list[str | None]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from distinct_comments import distinct_comments
    return distinct_comments(n, seed=100 + seed)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def measure(kind: str, path: str) -> dict:
    t0 = time.perf_counter()
    if kind == "fastexcel":
        import fastexcel
        rows = fastexcel.read_excel(path).load_sheet(0).to_arrow().num_rows
    elif kind == "openpyxl":
        import pandas as pd
        rows = len(pd.read_excel(path, engine="openpyxl"))
    else:
        from etl import sandbox, standby
        from etl.pipeline import import_file
        sandbox.fork_directly()   # as the CLI: no fork server started inside the timing
        standby.start()           # and the first file's worker forked before the warehouse opens
        db = Path(tempfile.mkdtemp()) / "bench.duckdb"
        r = import_file(path, db_path=db)
        assert r.status == "loaded", r.error_en
        rows = r.rows_loaded
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the largest of the parse worker and the tagging helper (each counts what it shares)
    helper_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rows": rows, "seconds": elapsed, "peak_mb": peak_mb, "cpu": _cpu(), "helper_mb": helper_mb}


def measure_warm(paths: list[str]) -> dict:
    """A process like the dashboard's: tagger loaded, parse server started, a warehouse
    with data; then each 10-row file imported and timed."""
    from etl import sandbox
    from etl.pipeline import import_file, warm_tagger
    sandbox.start_server()
    warm_tagger()
    db = Path(tempfile.mkdtemp()) / "warm.duckdb"
    first = import_file(paths[0], db_path=db)
    assert first.status == "loaded", first.error_en
    times = []
    for p in paths[1:]:
        t0 = time.perf_counter()
        r = import_file(p, db_path=db)
        times.append(time.perf_counter() - t0)
        assert r.status == "loaded", r.error_en
    times.sort()
    return {"median": times[len(times) // 2], "max": times[-1], "n": len(times),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def fresh_cli(path: Path) -> dict:
    """``python -m etl import FILE`` in a new process, exactly as a nurse or a cron job runs
    it: wall clock from start to exit, CPU seconds and peak RSS of the process and the parse
    worker it waits for (the kernel's account of that one child, ``wait4``)."""
    db = Path(tempfile.mkdtemp()) / "fresh.duckdb"
    with tempfile.TemporaryFile("w+") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "etl", "import", str(path), "--db", str(db)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    assert proc.returncode == 0 and "tuotu 10" in text, text
    return {"seconds": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def small(work: Path) -> None:
    paths = []
    for k in range(6):
        p = work / f"small_{k}.xlsx"
        write_workbook(p, 10, seed_offset=k + 1)
        paths.append(p)
    runs = [fresh_cli(paths[k]) for k in range(3)]
    runs.sort(key=lambda r: r["seconds"])
    mid = runs[1]
    print(f"{10:>9} {'fresh process (CLI)':<22} {mid['seconds']:>8.2f} {'':>10} {mid['peak_mb']:>12.0f}"
          f"   (median of 3, {mid['cpu']:.2f} s CPU; target < 1.5 s, < 300 MB)")
    out = subprocess.run([sys.executable, __file__, "--child-warm", *map(str, paths)],
                         capture_output=True, text=True, check=True)
    w = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{10:>9} {'warm server':<22} {w['median']:>8.2f} {'':>10} {w['peak_mb']:>12.0f}"
          f"   (median of {w['n']}, max {w['max']:.2f} s; target < 0.5 s)")


def run_child(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1048576")
    ap.add_argument("--all", action="store_true", help="also run pandas+openpyxl on the largest sheet")
    ap.add_argument("--no-openpyxl", action="store_true", help="skip pandas+openpyxl (minutes on large sheets)")
    ap.add_argument("--no-small", action="store_true", help="skip the 10-row fresh-process and warm imports")
    ap.add_argument("--small-only", action="store_true", help="only the 10-row fresh-process and warm imports")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    ap.add_argument("--child-warm", nargs="+", metavar="PATH")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    if args.child_warm:
        print(json.dumps(measure_warm(args.child_warm)))
        return
    work = Path(tempfile.mkdtemp(prefix="kokemus-bench-"))
    print(f"{'rows':>9} {'reader':<22} {'seconds':>8} {'rows/s':>10} {'peak RSS MB':>12}")
    if not args.no_small:
        small(work)
    for n in [] if args.small_only else [int(x) for x in args.sizes.split(",") if x]:
        path = work / f"bench_{n}.xlsx"
        t0 = time.perf_counter()
        write_workbook(path, n)
        print(f"# wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        results = {}
        for kind in ("fastexcel", "openpyxl", "kokemus"):
            if kind == "openpyxl" and ((n > 200_000 and not args.all) or args.no_openpyxl):
                continue
            r = run_child(kind, path)
            results[kind] = r
            label = {"fastexcel": "fastexcel (floor)", "openpyxl": "pandas+openpyxl",
                     "kokemus": "Kokemus end to end"}[kind]
            cpu = (f"   ({r['cpu']:.1f} s CPU; worker/helper peak {r['helper_mb']:.0f} MB)"
                   if kind == "kokemus" else f"   ({r['cpu']:.1f} s CPU)")
            print(f"{n:>9} {label:<22} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>10.0f} {r['peak_mb']:>12.0f}{cpu}")
        k, f = results["kokemus"], results["fastexcel"]
        line = f"{n:>9} Kokemus / fastexcel rate: {f['seconds'] / k['seconds']:.0%} (target >= 50 %)"
        if "openpyxl" in results:
            line += f"; speed-up over pandas+openpyxl: {results['openpyxl']['seconds'] / k['seconds']:.1f}x"
        print(line)


if __name__ == "__main__":
    main()
