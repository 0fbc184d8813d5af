"""Build the tagger's memory-mapped word tables (see :mod:`etl.themes.lemma_store`).

    python -m etl.themes.build_lemmas            # once per simplemma version; `make` runs it
    python -m etl.themes.build_lemmas --where    # the folder, and whether it is built
"""
from __future__ import annotations

import time
from pathlib import Path

from etl.themes.lemma_store import build, cache_dir, is_built


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m etl.themes.build_lemmas",
                                 description="Build the tagger's memory-mapped word tables (once per simplemma version).")
    ap.add_argument("--where", action="store_true", help="only say where the tables are and whether they are built")
    ap.add_argument("--dir", help="folder to build into (default: the cache folder for this simplemma)")
    args = ap.parse_args(argv)
    directory = Path(args.dir) if args.dir else cache_dir()
    if args.where:
        print(directory, "(built)" if is_built(directory) else "(not built)")
        return 0
    try:
        from etl.themes import langid_model
        langid_model.identifier()      # the language model cut to fi/sv/en, cached beside them
        if is_built(directory):
            print(f"word tables ready in {directory}")
            return 0
        t0 = time.monotonic()
        print(f"building the tagger's word tables in {directory} (once, about 15 s) ...", flush=True)
        build(directory, progress=lambda frac, lang: lang and print(f"  {lang} ...", flush=True))
        print(f"word tables ready in {time.monotonic() - t0:.0f} s", flush=True)
        return 0
    finally:
        (directory / ".building").unlink(missing_ok=True)


if __name__ == "__main__":
    raise SystemExit(main())
