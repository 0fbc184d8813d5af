"""Review pack speed on the full demo warehouse, and the PNGs of the pack and the poster.

Usage::

    .venv/bin/python benchmarks/bench_report.py [--db PATH] [--period 2026-09..2026-10] [--shots]

Builds the demo warehouse (``python -m etl demo``) when ``--db`` does not exist. Prints, for
each level, the time to build the figures and to render PDF + XLSX + HTML (median of 3,
in one warm process), and the cold CLI wall time, against the 15 s target of issue 11.
``--shots`` renders page 1 and the first chart page of the PDF pack and the Osasto 5B
poster into docs/screenshots/ (pdftoppm).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_S = 15.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=str(ROOT / "data" / "kokemus.duckdb"))
    ap.add_argument("--period", default="2026-09..2026-10")
    ap.add_argument("--shots", action="store_true")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(db)], cwd=ROOT, check=True)
    from kokemus import actions, poster
    from kokemus.report import build, parse_period, render
    start, end = parse_period(args.period)
    out = Path(tempfile.mkdtemp(prefix="kokemus-report-"))
    for level in ("organisation", "service_area", "unit"):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            pack = render.make(build(start, end, level=level, db_path=db), started=t0)
            times.append(pack.seconds)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "etl", "report", "--db", str(db), "--period", args.period,
                        "--level", level, "--format", "pdf,xlsx,html", "--out", str(out)],
                       cwd=ROOT, check=True, capture_output=True)
        cold = time.perf_counter() - t0
        pages = subprocess.run(["pdfinfo", str(out / render.file_name(pack.data, "pdf"))],
                               capture_output=True, text=True).stdout.split("Pages:")[-1].split()[0]
        print(f"{level:<13} warm median {statistics.median(times):5.1f} s   cold CLI {cold:5.1f} s   "
              f"pages {pages}   target <= {TARGET_S:.0f} s: {'ok' if cold <= TARGET_S else 'MISSED'}")
    if args.shots:
        shots = ROOT / "docs" / "screenshots"
        pdf = out / render.file_name(build(start, end, level="service_area", db_path=db), "pdf")
        for page, name in ((1, "report-pack-page1"), (3, "report-pack-charts")):
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                            str(pdf), str(shots / name)], check=True)
        stories = actions.stories(("Osasto 5B",), "fi", last_month=end, db_path=db)
        poster_pdf = out / "poster.pdf"
        poster_pdf.write_bytes(poster.poster_pdf("Osasto 5B", stories, "fi", last_month=end))
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(poster_pdf),
                        str(shots / "poster-osasto-5b")], check=True)
        print("wrote", ", ".join(str(shots / f"{n}.png") for n in
                                 ("report-pack-page1", "report-pack-charts", "poster-osasto-5b")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
