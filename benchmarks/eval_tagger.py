"""Evaluate the theme tagger on the labelled development set and measure its speed.

    .venv/bin/python benchmarks/eval_tagger.py            # figures
    .venv/bin/python benchmarks/eval_tagger.py --errors   # also list every miss

Prints per-theme precision / recall / F1 (a theme counts once per comment, whatever its
polarity), macro F1, type accuracy, language accuracy and comments per second on one core.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from etl.themes import THEME_KEYS, Tagger  # noqa: E402

DEV_SET = ROOT / "tests" / "data" / "tagger_dev.jsonl"


def load(path: Path = DEV_SET) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(tagger: Tagger, rows: list[dict]) -> dict:
    results = [tagger.tag(r["text"]) for r in rows]
    per_theme = {}
    for theme in THEME_KEYS:
        tp = fp = fn = 0
        for row, res in zip(rows, results):
            gold = theme in row["themes"]
            pred = theme in res.theme_keys
            tp += gold and pred
            fp += pred and not gold
            fn += gold and not pred
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_theme[theme] = {"precision": p, "recall": r, "f1": f, "support": tp + fn}
    macro = sum(v["f1"] for v in per_theme.values()) / len(per_theme)
    type_ok = sum(res.type == row["type"] for row, res in zip(rows, results))
    lang_ok = sum(res.language == row["language"] for row, res in zip(rows, results))
    return {"per_theme": per_theme, "macro_f1": macro, "type_accuracy": type_ok / len(rows),
            "language_accuracy": lang_ok / len(rows), "results": results}


def throughput(texts: list[str], repeat_to: int = 20_000) -> tuple[float, float]:
    """(cold, warm) comments per second. Cold = a fresh tagger on the dev set (every word
    lemmatised for the first time); warm = a large batch once the word cache is filled,
    which is what an import of thousands of comments sees."""
    fresh = Tagger.load(ROOT / "etl" / "themes" / "taxonomy.toml")
    from etl.themes import lemmas as lemma_module
    lemma_module._lemma_cache.clear()
    t0 = time.perf_counter()
    fresh.tag_many(texts)
    cold = len(texts) / (time.perf_counter() - t0)
    batch = (texts * (repeat_to // len(texts) + 1))[:repeat_to]
    t0 = time.perf_counter()
    fresh.tag_many(batch)
    warm = len(batch) / (time.perf_counter() - t0)
    return cold, warm


def demo_throughput(n: int = 20_000) -> float | None:
    """Comments/s for a fresh tagger on n composed demo comments (a large first import:
    cold word cache, varied vocabulary). None when the demo composer is unavailable."""
    try:
        import numpy as np
        from demo import comments as dc
    except ImportError:
        return None
    rng = np.random.default_rng(7)
    texts = dc.compose(rng, lang=rng.choice(3, n, p=[0.85, 0.1, 0.05]), kind=rng.integers(0, len(dc.KINDS), n),
                       theme=rng.integers(0, len(dc.THEMES), n),
                       second_theme=np.where(rng.random(n) < 0.2, rng.integers(0, len(dc.THEMES), n), -1),
                       place=["päivystyksessä"] * n, pii=rng.random(n) < 0.02)
    from etl.themes import lemmas as lemma_module
    lemma_module._lemma_cache.clear()
    fresh = Tagger.load(ROOT / "etl" / "themes" / "taxonomy.toml")
    t0 = time.perf_counter()
    fresh.tag_many(texts)
    return n / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list comments whose themes or type were wrong")
    args = ap.parse_args(argv)
    rows = load()
    tagger = Tagger.default()
    out = evaluate(tagger, rows)
    print(f"development set: {len(rows)} comments, taxonomy {tagger.taxonomy_version}")
    print(f"{'theme':<14}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}")
    for theme, v in out["per_theme"].items():
        print(f"{theme:<14}{v['precision']:7.2f}{v['recall']:7.2f}{v['f1']:7.2f}{v['support']:5d}")
    print(f"macro F1          {out['macro_f1']:.3f}   (target >= 0.80)")
    print(f"type accuracy     {out['type_accuracy']:.3f}   (target >= 0.90)")
    print(f"language accuracy {out['language_accuracy']:.3f}")
    cold, warm = throughput([r["text"] for r in rows])
    print(f"throughput        {cold:,.0f} comments/s cold (new words), {warm:,.0f} comments/s warm"
          "   (target >= 5,000, one core)")
    demo = demo_throughput()
    if demo is not None:
        print(f"throughput        {demo:,.0f} comments/s on 20,000 composed demo comments, fresh tagger")
    if args.errors:
        for row, res in zip(rows, out["results"]):
            gold, pred = set(row["themes"]), set(res.theme_keys)
            if gold != pred or row["type"] != res.type:
                print(f"- {row['text']}\n    type {row['type']} -> {res.type}; missing {sorted(gold - pred)}; "
                      f"extra {sorted(pred - gold)}; "
                      + "; ".join(f"{t.theme}:{t.polarity}:{'/'.join(t.triggers)}" for t in res.themes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
