"""Time building the full demo warehouse (generate files + import them with the real ETL).

Target: under 60 s on 2 cores. Usage: python benchmarks/bench_demo.py [--scale 1.0]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    from demo import area as demo
    from etl.cli import DEMO_ORGANISATION
    from etl.pipeline import import_files
    from kokemus import db

    work = Path(tempfile.mkdtemp(prefix="kokemus-demo-bench-"))
    t0 = time.perf_counter()
    files = demo.generate(work / "samples", scale=args.scale)
    t1 = time.perf_counter()
    results = import_files(files, db_path=work / "demo.duckdb", organisation=DEMO_ORGANISATION)
    t2 = time.perf_counter()
    failed = [r for r in results if r.status != "loaded"]
    with db.connect(work / "demo.duckdb") as con:
        n, tags = con.execute("SELECT count(*), (SELECT count(*) FROM comment_tags) FROM responses").fetchone()
    print(f"files: {len(files)}, failed: {len(failed)}")
    print(f"responses: {n}, theme tags: {tags}")
    print(f"generate: {t1 - t0:.1f} s, import: {t2 - t1:.1f} s, total: {t2 - t0:.1f} s (target < 60 s)")
    print(f"import rate: {n / (t2 - t1):.0f} responses/s; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
