"""The corpus of tests/real_files.py through the real import into a real warehouse:
every file loads exactly the responses a person counts, under the unit a person reads,
and nothing is dropped without being listed."""
from __future__ import annotations

import duckdb
import pytest

from etl.pipeline import import_file
from tests import real_files


def _rows(db, sql, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.mark.parametrize("seed", real_files.SEEDS)
def test_corpus_file_imports_exactly(tmp_path, seed):
    path, spec, exp = real_files.write(seed, tmp_path)
    db = tmp_path / "k.duckdb"
    r = import_file(path, db_path=db)
    assert r.status == "loaded", (spec, r.error_en)
    assert r.rows_loaded == exp.responses, spec
    assert r.rows_rejected == 0, (spec, [(x.sheet, x.row, x.column, x.value, x.code) for x in r.rejects[:5]])
    units = {u for (u,) in _rows(db, "SELECT DISTINCT u.name FROM responses JOIN units u USING (unit_id)")}
    assert units == exp.units, spec
    skipped: dict[str, int] = {}
    for s in r.parsed.sheets:
        for why, n in s.skipped_rows.items():
            skipped[why] = skipped.get(why, 0) + n
    assert skipped.get("date_only", 0) == exp.skipped_rows.get("date_only", 0), (spec, skipped)
    labels = skipped.get("label_only", 0) + skipped.get("below_totals", 0)
    assert labels == exp.skipped_rows.get("labels", 0), (spec, skipped)
    assert sum(1 for s in r.parsed.sheets if s.copy_of) == exp.copies, spec
    second = _rows(db, "SELECT count(*) FROM answers WHERE question = ?", [real_files.BETTER[spec.lang]])[0][0]
    assert second == exp.second_comments, spec
    assert r.dates_assumed == exp.dates_assumed, spec
    # every column of every used sheet is mapped or listed as not imported
    for s in r.parsed.sheets:
        if s.used:
            assert not (set(s.columns) & set(s.not_imported)), s


def test_corpus_is_at_least_forty_distinct_files(tmp_path):
    specs = {real_files.spec(seed).name for seed in real_files.SEEDS}
    assert len(specs) == len(real_files.SEEDS) >= 40
    kinds = {(s.layout, s.fmt) for s in map(real_files.spec, real_files.SEEDS)}
    assert {"xlsx", "xls", "ods", "csv"} <= {f for _, f in kinds}
    assert {"ward", "msforms", "googleforms", "webropol", "fft"} <= {k for k, _ in kinds}
