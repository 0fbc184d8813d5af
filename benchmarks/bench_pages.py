"""Page speed benchmark on a 10,000,000-response warehouse.

Usage::

    .venv/bin/python benchmarks/bench_pages.py [--responses 10000000] [--db PATH] [--reuse]

The warehouse is generated with DuckDB SQL straight into the tables and rollups instead of
through the ETL: importing 10M rows from Excel would take far longer than the pages we
want to time, and the pages only read the tables, so how the rows got there does not
matter here. Reports, in one run: each query's time (median of warm runs), each page's
first load and warm rerun through AppTest, against the targets in issue 4.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_WARM_MS = 300
TARGET_QUERY_MS = 50
TARGET_FIRST_MS = 2000

SERVICE_AREAS = ("Päivystys", "Vuodeosastot", "Perusterveydenhuolto", "Psykiatria",
                 "Lasten ja nuorten palvelut", "Suun terveydenhuolto")
UNITS_PER_AREA = 10
MONTHS = 36
FIRST_MONTH = "2023-01-01"

PRAISE = ("Kiitos ystävällisestä kohtelusta.", "Hoitaja kuunteli ja selitti selkeästi.",
          "Lääkäri otti aikaa ja katsoi silmiin.", "Tunsin itseni tervetulleeksi.")
COMPLAINT = ("Jonotin puhelimessa yli tunnin.", "Kukaan ei kertonut, mitä seuraavaksi tapahtuu.",
             "Takaisinsoittoa ei tullut luvatusti.", "Odotusaika päivystyksessä oli pitkä.")
THEMES = ("waiting_time", "telephone", "information", "encounter", "staff", "cleanliness")


def build_warehouse(path: Path, responses: int, seed: float = 0.42) -> None:
    """Fill an empty warehouse with ``responses`` synthetic rows plus their rollups.

    The rollup SQL mirrors what the loader maintains (same grain and columns), so the pages
    read what they would read in production.
    """
    from kokemus import db

    units = len(SERVICE_AREAS) * UNITS_PER_AREA
    with db.connect(path) as con:
        con.execute("SELECT setseed(?)", [seed])
        con.execute("INSERT INTO organisations VALUES (1, 'Esimerkin hyvinvointialue')")
        for i, name in enumerate(SERVICE_AREAS, start=1):
            con.execute("INSERT INTO service_areas VALUES (?, 1, ?)", [i, name])
        con.execute(
            """INSERT INTO units (unit_id, service_area_id, name)
               SELECT u, 1 + (u - 1) // $per, 'Yksikkö ' || lpad(u::VARCHAR, 3, '0')
               FROM range(1, $units + 1) r(u)""",
            {"per": UNITS_PER_AREA, "units": units},
        )
        con.execute(
            """
            INSERT INTO responses (response_id, row_key, batch_id, unit_id, submitted_on, month,
                channel, language, score_5, scale, raw_score, nps, feedback_type, type_source,
                comment, wants_reply, counted, source_file)
            WITH base AS (
                SELECT i,
                       1 + floor(random() * $units)::INTEGER AS unit_id,
                       floor(random() * $months)::INTEGER AS m,
                       random() AS r1, random() AS r2, random() AS r3, random() AS r4
                FROM range($n) t(i)
            ), typed AS (
                SELECT *, CASE WHEN r3 < 0.78 THEN 'praise' WHEN r3 < 0.90 THEN 'complaint'
                               WHEN r3 < 0.96 THEN 'suggestion' WHEN r3 < 0.98 THEN 'question' END AS ftype
                FROM base
            )
            SELECT i, 'bench:' || i, 1, unit_id,
                   ($first::DATE + to_months(m) + to_days((r4 * 27)::INTEGER))::DATE,
                   ($first::DATE + to_months(m))::DATE,
                   ['paper', 'kiosk', 'web', 'sms'][1 + (hash(i, 3) % 4)::INTEGER],
                   CASE WHEN r2 < 0.9 THEN 'fi' WHEN r2 < 0.97 THEN 'sv' ELSE 'en' END,
                   CASE WHEN r1 < 0.03 THEN NULL
                        ELSE least(5, greatest(1, round(5.6 - 4 * r1 * r1 * (CASE WHEN ftype = 'praise' THEN 0.5 ELSE 1.3 END)))) END,
                   '1-5', NULL,
                   CASE WHEN r2 < 0.5 THEN least(10, greatest(0, round(10.8 - 9 * r1 * (CASE WHEN ftype = 'praise' THEN 0.6 ELSE 1.4 END))))::SMALLINT END,
                   ftype, CASE WHEN ftype IS NOT NULL THEN 'source' END,
                   CASE WHEN r4 < 0.35 THEN
                        CASE WHEN ftype = 'praise' THEN $praise[1 + (hash(i, 4) % 4)::INTEGER]
                             ELSE $complaint[1 + (hash(i, 4) % 4)::INTEGER] END END,
                   r4 < 0.03, false, 'bench.xlsx'
            FROM typed
            ORDER BY m, unit_id  -- files arrive period by period, so rows lie roughly by month
            """,
            {"n": responses, "units": units, "months": MONTHS, "first": FIRST_MONTH,
             "praise": list(PRAISE), "complaint": list(COMPLAINT)},
        )
        con.execute(
            """
            INSERT INTO monthly_rollup (unit_id, month, channel, feedback_type, language, responses,
                   scored, score_sum, satisfied, nps_n, promoters, detractors, typed, praise,
                   wants_reply, comments, score_sq_sum)
            SELECT unit_id, month, channel, feedback_type, language,
                   count(*), count(score_5), coalesce(sum(score_5), 0), count(*) FILTER (score_5 >= 4),
                   count(nps), count(*) FILTER (nps >= 9), count(*) FILTER (nps <= 6),
                   count(feedback_type), count(*) FILTER (feedback_type = 'praise'),
                   count(*) FILTER (wants_reply), count(*) FILTER (comment IS NOT NULL AND comment <> ''),
                   coalesce(sum(score_5 * score_5), 0)
            FROM responses GROUP BY ALL
            """
        )
        con.execute(
            """
            INSERT INTO comment_tags (response_id, batch_id, theme, polarity, sentence, triggers)
            SELECT response_id, 1, $themes[1 + (hash(response_id, 5) % 6)::INTEGER],
                   CASE WHEN feedback_type = 'praise' THEN 'positive' ELSE 'negative' END, 1, []
            FROM responses WHERE comment IS NOT NULL
            """,
            {"themes": list(THEMES)},
        )
        con.execute(
            """
            INSERT INTO theme_rollup
            SELECT r.unit_id, r.month, t.theme, t.polarity, r.feedback_type, count(DISTINCT r.response_id)
            FROM comment_tags t JOIN responses r USING (response_id) GROUP BY ALL
            """
        )
        con.execute("CHECKPOINT")


def _median_ms(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def bench_queries() -> list[tuple[str, float]]:
    """Time every query the pages run, uncached, on the default filters."""
    from kokemus import db, filters, queries

    def connect_only() -> None:
        with db.connect():
            pass

    options = queries.filter_options()
    f = filters.default_filters(options)
    timings = [("(open + close only)", _median_ms(connect_only))]
    return timings + [(name, _median_ms(lambda call=call: call(f)))
                      for name, call in queries.page_queries().items()]


def bench_pages() -> list[tuple[str, float, float]]:
    """First load (cold cache) and warm rerun (median of 5) of each page.

    The app is started on another page first, the cache cleared, and then the page is
    opened: "first load" is that page's own run with nothing cached, without AppTest's
    start-up.
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out = []
    for page in ("pages/overview.py", "pages/trends.py", "pages/problems.py", "pages/comments.py",
                 "pages/upload.py", "pages/import_log.py"):
        if not (ROOT / page).exists():
            continue
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
        if page == "pages/overview.py":
            at.switch_page("pages/import_log.py" if (ROOT / "pages/import_log.py").exists()
                           else "pages/trends.py").run()
        st.cache_data.clear()
        t0 = time.perf_counter()
        at.switch_page(page).run()
        first = (time.perf_counter() - t0) * 1000
        if at.exception:
            print(f"  {page}: exception {at.exception[0].message}", file=sys.stderr)
        warm = []
        for _ in range(5):
            t0 = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - t0) * 1000)
        out.append((page, first, statistics.median(warm)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--responses", type=int, default=10_000_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--reuse", action="store_true", help="reuse an existing warehouse at --db")
    args = ap.parse_args(argv)

    db_path = args.db or Path(tempfile.mkdtemp(prefix="kokemus-bench-")) / "bench.duckdb"
    os.environ["KOKEMUS_DB"] = str(db_path)
    if not (args.reuse and db_path.exists()):
        db_path.unlink(missing_ok=True)
        t0 = time.perf_counter()
        build_warehouse(db_path, args.responses)
        print(f"built {args.responses:,} responses in {time.perf_counter() - t0:.1f} s -> {db_path}")

    print(f"\nqueries incl. opening the warehouse (median of 5, uncached; target <= {TARGET_QUERY_MS} ms)")
    ok = True
    for name, ms in bench_queries():
        flag = "ok" if ms <= TARGET_QUERY_MS else "SLOW"
        ok &= ms <= TARGET_QUERY_MS
        print(f"  {name:28s} {ms:8.1f} ms  {flag}")

    print(f"\npages (first load target <= {TARGET_FIRST_MS} ms, warm rerun <= {TARGET_WARM_MS} ms)")
    for page, first, warm in bench_pages():
        flags = ("ok" if first <= TARGET_FIRST_MS else "SLOW", "ok" if warm <= TARGET_WARM_MS else "SLOW")
        ok &= first <= TARGET_FIRST_MS and warm <= TARGET_WARM_MS
        print(f"  {page:24s} first {first:8.1f} ms {flags[0]:4s}  warm {warm:7.1f} ms {flags[1]}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
