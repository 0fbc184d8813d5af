"""A fixed-seed subset of benchmarks/fuzz_import.py: malformed xlsx/xls/ods/csv files never
kill the caller, never hang, and never show a library's raw error (issue 14, item 2)."""
from __future__ import annotations

import random
import time

from etl.pipeline import preview_file
from tests.fuzz_files import mutate, seeds

RAW_WORDS = ("Traceback", "Error:", "Exception", "zlib", "codec", "ArrowInvalid", "LookupError", "File \"")


def test_fixed_seed_fuzz_subset(tmp_path):
    bases = seeds(random.Random(14))
    outcomes = []
    for i in range(24):
        rng = random.Random(14_000 + i)
        ext, data = bases[i % len(bases)]
        kinds = []
        for _ in range(rng.randint(1, 2)):
            data, kind = mutate(data, rng)
            kinds.append(kind)
        path = tmp_path / f"fuzz{i:03d}{ext}"
        path.write_bytes(data)
        t0 = time.monotonic()
        r = preview_file(path, db_path=tmp_path / "w.duckdb")
        assert time.monotonic() - t0 < 90, (kinds, "hang")
        if not r.ok:
            assert path.name in r.error_en and path.name in r.error_fi, (kinds, r.error_en)
            assert not any(w in r.error_en or w in r.error_fi for w in RAW_WORDS), (kinds, r.error_en)
        outcomes.append(r.status)
    assert "preview" in outcomes and "failed" in outcomes  # both readable and refused files were made
