"""`python -m etl`.

An import run ends with ``os._exit`` once its output is flushed: by then every connection
is closed, the batch committed and the manifest written, and Python's own teardown of
pandas, pyarrow and DuckDB would cost a 10-row import ~0.15 s of CPU (a sixth of the run)
for nothing. Other commands end normally.
"""
import logging
import os
import sys

from etl.cli import main


def _end_quickly(code: int) -> None:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
    except Exception:  # noqa: BLE001 - a closed pipe: end the ordinary way
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    code = main()
    if sys.argv[1:2] == ["import"]:
        _end_quickly(code)
    sys.exit(code)
