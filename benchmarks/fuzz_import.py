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

Usage: python benchmarks/fuzz_import.py [--files 10000] [--seed 14] [--chunk 250] [--jobs 2] [--hypothesis 300]
File i of a run can be made again alone: tests.fuzz_files.fuzz_case(seeds(Random(seed)), seed, i).
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
    # The product's fork server preloads the lemmatiser (etl.sandbox_warm), so each file's
    # fresh, limited worker shares it read-only, as an upload's worker does.
    from etl import sandbox
    from etl.pipeline import preview_file
    from tests.fuzz_files import fuzzed_files
    db = directory / f"fuzz{start}.duckdb"
    warm = directory / f"warm{start}.csv"   # untimed: starts the fork server (and its preload)
    warm.write_text("Päivämäärä;Yksikkö;Arvio\n1.3.2024;Osasto 1;4\n", encoding="utf-8")
    preview_file(warm, db_path=db)
    warm.unlink()
    with open(out, "a", encoding="utf-8") as fh:
        for i, path, kinds in fuzzed_files(directory, n, seed, start=start):
            t0 = time.perf_counter()
            r = preview_file(path, db_path=db)
            took = time.perf_counter() - t0
            message = r.error_en or ""
            fh.write(json.dumps({"i": i, "ext": path.suffix, "kinds": kinds, "class": classify(r), "s": round(took, 2),
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
    ap.add_argument("--jobs", type=int, default=2, help="harness processes at once (each ~0.7 GB + its worker)")
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
    todo = collections.deque(range(0, args.files, args.chunk))
    running: list[tuple[subprocess.Popen, int, int, Path]] = []
    finished = 0
    while todo or running:
        while todo and len(running) < args.jobs:  # one harness per job, each its own results file
            start = todo.popleft()
            n = min(args.chunk, args.files - start)
            part = work / f"part{start:06d}.jsonl"
            done = sum(1 for _ in open(part)) if part.exists() else 0
            proc = subprocess.Popen([sys.executable, __file__, "--seed", str(args.seed), "--chunk-run", str(work),
                                     str(start + done), str(n - done), str(part)], cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            running.append((proc, start, n, part))
        time.sleep(0.5)
        for entry in [e for e in running if e[0].poll() is not None]:
            proc, start, n, part = entry
            running.remove(entry)
            done = sum(1 for _ in open(part)) if part.exists() else 0
            if proc.returncode != 0 and done < n:  # the harness died: a native abort (or worse) reached the caller
                aborts += 1
                print(f"harness died at file {start + done} (exit {proc.returncode})", file=sys.stderr)
                with open(part, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"i": start + done, "ext": "", "kinds": [], "class": "harness_died",
                                         "s": 0, "code": None, "raw": False, "msg": "", "worker_kb": 0,
                                         "harness_kb": 0}) + "\n")
                if done + 1 < n:
                    todo.appendleft(start)   # resume after the file that killed it
                    continue
            finished += n
            print(f"{finished}/{args.files} files, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    with open(out, "w", encoding="utf-8") as fh:
        for part in sorted(work.glob("part*.jsonl")):
            fh.write(part.read_text(encoding="utf-8"))
    rows = [r for r in (json.loads(line) for line in open(out)) if r["class"] != "harness_died"]
    classes = collections.Counter(r["class"] for r in rows)
    hangs = [r for r in rows if r["s"] > 30]
    raw = [r for r in rows if r["raw"]]
    print(f"files fuzzed: {len(rows)} (+{aborts} lost to harness deaths) in {time.perf_counter() - t0:.0f} s "
          f"with {args.jobs} harnesses; results in {out}")
    print(f"outcomes: {dict(classes)}")
    print(f"refusal codes: {dict(collections.Counter(r['code'] for r in rows if r['code']).most_common(20))}")
    print(f"unexpected exceptions: {classes.get('unexpected', 0)}")
    print(f"raw library messages: {len(raw)}")
    print(f"native aborts / OOM / timeouts contained by the parse worker: {classes.get('contained', 0)}")
    print(f"native aborts reaching the caller (harness deaths): {aborts}")
    print(f"hangs over 30 s: {len(hangs)}; slowest file {max((r['s'] for r in rows), default=0):.1f} s")
    print(f"peak memory: parse worker {max((r['worker_kb'] for r in rows), default=0) / 1024:.0f} MB, "
          f"harness {max((r['harness_kb'] for r in rows), default=0) / 1024:.0f} MB")
    for r in [r for r in rows if r["class"] in ("unexpected", "contained") or r["raw"] or r["s"] > 30][:20]:
        print(f"  file {r['i']}:", r["ext"], r["kinds"], r["code"], f"{r['s']} s", r["msg"][:100])
    if args.hypothesis:
        print(f"hypothesis ({args.hypothesis} generated csv/xlsx): {dict(hypothesis_run(work, args.hypothesis))}")


if __name__ == "__main__":
    main()
