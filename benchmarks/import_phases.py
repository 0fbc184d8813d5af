"""Where an import's time goes: each phase of ``etl.pipeline.import_file`` with its start, wall
clock and CPU seconds (this process's threads, and the waited-for children: the parse worker
and the tagging helper), so one can see which core idles when.

    .venv/bin/python benchmarks/import_phases.py FILE.xlsx
    .venv/bin/python benchmarks/import_phases.py --rows 200000      # a bench_import workbook

The import runs as ``python -m etl import`` runs it (worker forked directly). Phases that run
in a thread beside the others (``ahead: ...``, tagging while the worker parses) overlap the
main thread's; their CPU column is the whole process's meanwhile. On a shared machine read
the CPU columns and compare runs made one after another.
"""
from __future__ import annotations

import argparse
import functools
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--rows", type=int, help="write a bench_import workbook of this many rows first")
    args = ap.parse_args()
    if args.rows:
        from bench_import import write_workbook
        path = Path(tempfile.mkdtemp(prefix="kokemus-phases-")) / f"bench_{args.rows}.xlsx"
        write_workbook(path, args.rows)
    elif args.file:
        path = Path(args.file)
    else:
        ap.error("give FILE or --rows N")
    t0 = time.perf_counter()
    import etl.pipeline as pipeline
    from etl import sandbox
    from etl.normalise import annotate, tag_ahead
    from etl.store import archive, load
    imported = time.perf_counter() - t0
    sandbox.fork_directly()
    rows = []

    def wrap(owner, name: str, label: str) -> None:
        fn = getattr(owner, name)

        @functools.wraps(fn)
        def timed(*a, **k):
            w, c, kids = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
            try:
                return fn(*a, **k)
            finally:
                rows.append((w - t0, label, time.perf_counter() - w, _cpu(resource.RUSAGE_SELF) - c,
                             _cpu(resource.RUSAGE_CHILDREN) - kids))
        setattr(owner, name, timed)

    for owner, name, label in [
            (archive, "file_hash", "hash"), (pipeline, "known_units", "known units"),
            (pipeline, "parse_file_isolated", "parse (worker)"),
            (tag_ahead.TagAhead, "_run", "ahead: redact + tag (thread)"),
            (pipeline, "redact_copies", "redact copies"), (pipeline, "extract_contacts", "contacts"),
            (pipeline, "redact_frame", "redact comments"), (pipeline, "add_comment_questions", "questions"),
            (tag_ahead.TagAhead, "wait", "wait for tagging ahead"), (pipeline, "tag_frame", "tag frame"),
            (annotate, "tag_texts", "tag after the parse"), (archive, "store", "archive"),
            (load, "load_parsed", "load (one transaction)")]:
        wrap(owner, name, label)
    db = Path(tempfile.mkdtemp()) / "phases.duckdb"
    w, c, kids = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    result = pipeline.import_file(path, db_path=db)
    assert result.status == "loaded", result.error_en
    total = (time.perf_counter() - w, _cpu(resource.RUSAGE_SELF) - c, _cpu(resource.RUSAGE_CHILDREN) - kids)
    print(f"{path.name}: {result.rows_loaded} rows; modules imported in {imported:.2f} s")
    print(f"{'phase':<30}{'start':>7}{'wall':>7}{'CPU':>7}{'CPU kids':>9}")
    for start, label, wall, cpu, kid in sorted(rows):
        print(f"{label:<30}{start:7.2f}{wall:7.2f}{cpu:7.2f}{kid:9.2f}")
    print(f"{'import_file':<30}{'':>7}{total[0]:7.2f}{total[1]:7.2f}{total[2]:9.2f}   peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, worker {sandbox.last_peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
