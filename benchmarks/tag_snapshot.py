"""The tagger's output on three sets, written to a file, so a speed change can prove it
changed no tag.

    .venv/bin/python benchmarks/tag_snapshot.py before.jsonl          # on the old code
    .venv/bin/python benchmarks/tag_snapshot.py after.jsonl           # on the new code
    .venv/bin/python benchmarks/tag_snapshot.py --compare before.jsonl after.jsonl

The sets: the development set (tests/data/tagger_dev.jsonl), the first 10,000 NHS comments
(../shared/data/pxtextmining_phase1) and 30,000 distinct comments
(benchmarks/distinct_comments.py), tagged the ways the product tags them: one by one, as a
column (its prior language found once), under "improve" and "good" questions, with a stated
language and prior; plus the lemmas search and emerging words use. To compare two versions
of the code, export the old one (``git archive REV | tar -x -C DIR``) and run this file with
that directory first on ``sys.path``: ``--repo DIR``.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NHS = Path("/work/shared/data/pxtextmining_phase1/text_data.csv")


def snapshot(repo: Path, out: Path) -> str:
    sys.path.insert(0, str(repo / "benchmarks"))
    sys.path.insert(0, str(repo))
    from distinct_comments import distinct_comments
    from etl.themes import Tagger

    tagger = Tagger.load(repo / "etl" / "themes" / "taxonomy.toml")
    with (repo / "tests" / "data" / "tagger_dev.jsonl").open(encoding="utf-8") as fh:
        dev = [json.loads(line)["text"] for line in fh if line.strip()]
    nhs_path = repo.parent.parent / "shared" / "data" / "pxtextmining_phase1" / "text_data.csv"
    nhs_path = nhs_path if nhs_path.exists() else NHS
    with nhs_path.open(encoding="utf-8") as fh:
        nhs = [r["feedback"] for r in csv.DictReader(fh)][:10_000]
    dist = distinct_comments(30_000)
    runs = {
        "dev": lambda: [tagger.tag(t) for t in dev],
        "dev_improve": lambda: [tagger.tag(t, question="improve") for t in dev],
        "dev_good_fi": lambda: [tagger.tag(t, question="good", prior="fi") for t in dev],
        "dev_lang_en": lambda: [tagger.tag(t, "en") for t in dev],
        "nhs_many": lambda: tagger.tag_many(nhs),
        "nhs_en": lambda: tagger.tag_many(nhs, prior="en"),
        "nhs_improve": lambda: tagger.tag_many(nhs, question="improve", prior="en"),
        "nhs_good": lambda: tagger.tag_many(nhs, question="good"),
        "dist_many": lambda: tagger.tag_many(dist),
        "dist_one": lambda: [tagger.tag(t) for t in dist[:5000]],
        "dist_improve": lambda: tagger.tag_many(dist[:5000], question="improve"),
        "dist_sv": lambda: tagger.tag_many(dist[5000:10000], prior="sv"),
    }
    with out.open("w", encoding="utf-8") as fh:
        for name, run in runs.items():
            for i, r in enumerate(run()):
                fh.write(json.dumps([name, i, r.to_json()], ensure_ascii=False) + "\n")
        for i, t in enumerate(dev + nhs[:2000] + dist[:3000]):
            fh.write(json.dumps(["lemmas", i, [tagger.lemmas(t), tagger.content_lemmas(t)]], ensure_ascii=False)
                     + "\n")
    return hashlib.sha256(out.read_bytes()).hexdigest()[:16]


def compare(a: Path, b: Path, show: int = 8) -> int:
    left = a.read_text(encoding="utf-8").splitlines()
    right = b.read_text(encoding="utf-8").splitlines()
    if len(left) != len(right):
        print(f"different lengths: {len(left)} vs {len(right)} lines")
        return 1
    diffs: dict[str, int] = {}
    for x, y in zip(left, right):
        if x != y:
            key = json.loads(x)[0]
            diffs[key] = diffs.get(key, 0) + 1
            if sum(diffs.values()) <= show:
                print("-", x[:400])
                print("+", y[:400])
    print(f"{len(left)} lines; differences: {diffs or 'none'}")
    return 1 if diffs else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", help="file to write the snapshot to")
    ap.add_argument("--repo", default=str(ROOT), help="code to run (default: this checkout)")
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="compare two snapshot files")
    args = ap.parse_args(argv)
    if args.compare:
        return compare(Path(args.compare[0]), Path(args.compare[1]))
    if not args.out:
        ap.error("give a file to write, or --compare A B")
    print(snapshot(Path(args.repo).resolve(), Path(args.out)), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
