"""Import speed and memory: end-to-end `import_file` against the reader alone.

Generates template workbooks of 10k, 100k and 1,048,576 rows (the largest an .xlsx sheet
holds), with a distinct comment on 60 % of rows, then for each reports rows/s and peak RSS of
  (a) fastexcel reading the same sheet alone (the floor),
  (b) pandas.read_excel(engine="openpyxl") (what a hand-written script would do),
  (c) Kokemus end to end (parse, redact, tag, load into a fresh warehouse).
Each measurement runs in its own process so peak RSS is its own.
pandas+openpyxl on 1,048,576 rows takes ~4 minutes; it is skipped there unless --all.

Usage: python benchmarks/bench_import.py [--sizes 10000,100000,1048576] [--all]
"""
from __future__ import annotations

import argparse
import json
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
    return [next(texts) if (i * 7) % 10 < 10 * COMMENT_SHARE else None for i in range(n)]


def write_workbook(path: Path, n: int) -> None:
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Palautteet")
    ws.append(HEADERS)
    start = date(2024, 1, 1)
    units = [f"Osasto {i}" for i in range(1, 21)]
    types = ["kiitos"] * 8 + ["moite", "kehitysehdotus"]
    comments = comments_for(n)
    for i in range(n):
        # no type on half the rows: those get the inferred type, as in hand-made files
        ws.append([start + timedelta(days=i % 700), units[i % 20], "paperi", 1 + i % 5, i % 11,
                   types[i % 10] if i % 2 else None, comments[i]])
    wb.save(path)


def measure(kind: str, path: str) -> dict:
    t0 = time.perf_counter()
    if kind == "fastexcel":
        import fastexcel
        rows = fastexcel.read_excel(path).load_sheet(0).to_arrow().num_rows
    elif kind == "openpyxl":
        import pandas as pd
        rows = len(pd.read_excel(path, engine="openpyxl"))
    else:
        from etl.pipeline import import_file
        db = Path(tempfile.mkdtemp()) / "bench.duckdb"
        r = import_file(path, db_path=db)
        assert r.status == "loaded", r.error_en
        rows = r.rows_loaded
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": elapsed, "peak_mb": peak_mb}


def run_child(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1048576")
    ap.add_argument("--all", action="store_true", help="also run pandas+openpyxl on the largest sheet")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    work = Path(tempfile.mkdtemp(prefix="kokemus-bench-"))
    print(f"{'rows':>9} {'reader':<22} {'seconds':>8} {'rows/s':>10} {'peak RSS MB':>12}")
    for n in [int(x) for x in args.sizes.split(",")]:
        path = work / f"bench_{n}.xlsx"
        t0 = time.perf_counter()
        write_workbook(path, n)
        print(f"# wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        results = {}
        for kind in ("fastexcel", "openpyxl", "kokemus"):
            if kind == "openpyxl" and n > 200_000 and not args.all:
                continue
            r = run_child(kind, path)
            results[kind] = r
            label = {"fastexcel": "fastexcel (floor)", "openpyxl": "pandas+openpyxl",
                     "kokemus": "Kokemus end to end"}[kind]
            print(f"{n:>9} {label:<22} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>10.0f} {r['peak_mb']:>12.0f}")
        k, f = results["kokemus"], results["fastexcel"]
        line = f"{n:>9} Kokemus / fastexcel rate: {f['seconds'] / k['seconds']:.0%}"
        if "openpyxl" in results:
            line += f"; speed-up over pandas+openpyxl: {results['openpyxl']['seconds'] / k['seconds']:.1f}x"
        print(line)


if __name__ == "__main__":
    main()
