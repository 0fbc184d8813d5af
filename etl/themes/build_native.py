"""Compile the tagger's per-comment pass (see :mod:`etl.themes.native`).

    python -m etl.themes.build_native            # `make` runs it; a no-op when built
    python -m etl.themes.build_native --status   # the build for these sources, and what is in use
"""
from __future__ import annotations

import json
import sys
import time

from etl.themes import native


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m etl.themes.build_native",
                                 description="Compile the tagger's per-comment pass (Cython); "
                                             "without it the tagger runs as Python, slower.")
    ap.add_argument("--status", action="store_true", help="only print the build's state and what is in use")
    ap.add_argument("--force", action="store_true", help="rebuild even when built for these sources")
    args = ap.parse_args(argv)
    if args.status:
        import etl.themes.tagger  # noqa: F401 - loads the modules as the product does
        print(json.dumps({"key": native.build_key(), "build": native.build_status(),
                          "in_use": native.in_use(), "fallback_reason": native.install()}))
        return 0
    t0 = time.monotonic()
    status = native.build(force=args.force)
    if status.get("ok"):
        print(f"tagger compiled in {native.build_dir()} ({time.monotonic() - t0:.0f} s)", flush=True)
    else:
        # not a failed set-up: the product works on the Python path, and its log says so
        print(f"tagger not compiled, it will run as Python: {status.get('error')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
