"""Fuzz the import with malformed files and report what reached the caller.

Each file (tests/fuzz_files.py: seeds of every kind x bit flips, truncation, encodings,
swapped/dropped/renamed zip members, far cell references, NUL bytes, huge dimensions and
repeats, error cells, garbage) goes through `etl.pipeline.preview_file` - the path the
upload page and the CLI take - in a harness process. Reported:
  unexpected   failures that were not a planned refusal (code 'unexpected' / 'unsafe_unexpected')
  raw          messages that look like a library error (class names, zlib, codec, Traceback)
  contained    native aborts / out-of-memory / timeouts the parse worker turned into a message
  aborts       harness processes that died: a native abort reaching the caller
  hangs        files taking longer than 30 s
  peak memory  of the parse workers and of the harness (the server's share)
Then a hypothesis run writes generated cell contents as csv and xlsx.

Usage: python benchmarks/fuzz_import.py [--files 10000] [--seed 14] [--chunk 250] [--hypothesis 300]
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RAW = re.compile(r"Traceback|Error\b|Exception|zlib|codec|ArrowInvalid|LookupError|Unicode|\bat 0x|File \"")


def classify(result) -> str:
    if result.ok:
        return "ok"
    code = str(result.error_details.get("code") or "")
    if code in ("unexpected", "unsafe_unexpected"):
        return "unexpected"
    if code.startswith("unsafe"):
        return "contained"
    return "refused"


def run_chunk(directory: Path, start: int, n: int, seed: int, out: Path) -> None:
    """Harness process: import files start..start+n, one JSON line per file."""
    import random

    from etl import sandbox
    from etl.pipeline import preview_file
    from tests.fuzz_files import mutate, seeds
    db = directory / "fuzz.duckdb"
    with open(out, "a", encoding="utf-8") as fh:
        for i in range(start, start + n):
            rng = random.Random(seed * 1_000_003 + i)
            bases = seeds(random.Random(seed))
            ext, data = bases[i % len(bases)]
            kinds = []
            for _ in range(rng.randint(1, 3)):
                data, kind = mutate(data, rng)
                kinds.append(kind)
            path = directory / f"fuzz{i:05d}{ext}"
            path.write_bytes(data)
            t0 = time.perf_counter()
            r = preview_file(path, db_path=db)
            took = time.perf_counter() - t0
            message = r.error_en or ""
            fh.write(json.dumps({"i": i, "ext": ext, "kinds": kinds, "class": classify(r), "s": round(took, 2),
                                 "code": r.error_details.get("code") if not r.ok else None,
                                 "raw": bool(RAW.search(message)), "msg": message[:200] if not r.ok else "",
                                 "worker_kb": sandbox.last_peak_kb,
                                 "harness_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}) + "\n")
            fh.flush()
            path.unlink()


def hypothesis_run(directory: Path, examples: int) -> collections.Counter:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from etl.pipeline import preview_file
    from tests.hostile import TEMPLATE_HEADER, sheet, write_xlsx
    seen: collections.Counter = collections.Counter()
    cells = st.one_of(st.none(), st.text(max_size=40), st.integers(-10**9, 10**9),
                      st.sampled_from(["#DIV/0!", "31.2.2024", "\x00", "=cmd|' /C calc'!A0", "2024-03-01", "Osasto 1"]))

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=20), st.booleans())
    def one(rows, as_csv):
        if as_csv:
            path = directory / "h.csv"
            text = "\n".join(";".join("" if v is None else str(v) for v in r) for r in [TEMPLATE_HEADER, *rows])
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        else:
            path = directory / "h.xlsx"
            clean = [[v if not isinstance(v, str) else re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", "", v)
                      for v in r] for r in rows]
            write_xlsx(path, sheet([TEMPLATE_HEADER, *clean]))
        r = preview_file(path, db_path=directory / "h.duckdb")
        seen[classify(r)] += 1
        if not r.ok and RAW.search(r.error_en or ""):
            seen["raw"] += 1

    one()
    return seen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--chunk", type=int, default=250)
    ap.add_argument("--hypothesis", type=int, default=300)
    ap.add_argument("--chunk-run", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.chunk_run:
        d, start, n, out = args.chunk_run
        run_chunk(Path(d), int(start), int(n), args.seed, Path(out))
        return
    work = Path(tempfile.mkdtemp(prefix="kokemus-fuzz-"))
    out = work / "results.jsonl"
    t0 = time.perf_counter()
    aborts = 0
    start = 0
    while start < args.files:
        n = min(args.chunk, args.files - start)
        done_before = sum(1 for _ in open(out)) if out.exists() else 0
        proc = subprocess.run([sys.executable, __file__, "--seed", str(args.seed), "--chunk-run", str(work),
                               str(start), str(n), str(out)], cwd=ROOT, capture_output=True, text=True)
        done = (sum(1 for _ in open(out)) if out.exists() else 0) - done_before
        if proc.returncode != 0:  # the harness died: a native abort (or worse) reached the caller
            aborts += 1
            print(f"harness died at file {start + done} (exit {proc.returncode})", file=sys.stderr)
            start += done + 1
        else:
            start += n
        print(f"{start}/{args.files} files, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    rows = [json.loads(line) for line in open(out)]
    classes = collections.Counter(r["class"] for r in rows)
    hangs = [r for r in rows if r["s"] > 30]
    raw = [r for r in rows if r["raw"]]
    print(f"files fuzzed: {len(rows)} (+{aborts} lost to harness deaths) in {time.perf_counter() - t0:.0f} s")
    print(f"outcomes: {dict(classes)}")
    print(f"refusal codes: {dict(collections.Counter(r['code'] for r in rows if r['code']).most_common(20))}")
    print(f"unexpected exceptions: {classes.get('unexpected', 0)}")
    print(f"raw library messages: {len(raw)}")
    print(f"native aborts / OOM / timeouts contained by the parse worker: {classes.get('contained', 0)}")
    print(f"native aborts reaching the caller (harness deaths): {aborts}")
    print(f"hangs over 30 s: {len(hangs)}; slowest file {max(r['s'] for r in rows):.1f} s")
    print(f"peak memory: parse worker {max(r['worker_kb'] for r in rows) / 1024:.0f} MB, "
          f"harness {max(r['harness_kb'] for r in rows) / 1024:.0f} MB")
    for r in [r for r in rows if r["class"] == "unexpected" or r["raw"]][:10]:
        print("  example:", r["ext"], r["kinds"], r["code"], r["msg"][:120])
    if args.hypothesis:
        print(f"hypothesis ({args.hypothesis} generated csv/xlsx): {dict(hypothesis_run(work, args.hypothesis))}")


if __name__ == "__main__":
    main()
