"""The template path builds its frame from DuckDB's Arrow result (etl.read.template.pandas_frame)
instead of ``.df()``, which made a Python string of every text cell: the frame must be the one
``.df()`` gives, column for column, dtype for dtype and value for value (None stays None, a
missing text in a filled column is NaN), for every kind of column the template SQL returns."""
from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from etl.read.template import pandas_frame

_TABLE = """
CREATE TABLE t AS SELECT
    CASE WHEN i % 3 = 0 THEN NULL ELSE 'teksti ' || i END AS text_some_missing,
    'Palautteet' AS text_full,
    NULL::VARCHAR AS text_empty,
    CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2024-01-31' + (i % 40)::INT END AS day,
    CASE WHEN i % 2 = 0 THEN NULL ELSE (i % 11)::SMALLINT END AS small_missing,
    (i % 11)::SMALLINT AS small_full,
    CASE WHEN i % 2 = 0 THEN NULL ELSE 1 + (i % 5) * 0.25 END::DOUBLE AS score,
    CASE WHEN i % 2 = 0 THEN NULL ELSE 1 + (i % 5) * 0.25 END AS score_decimal,
    CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END AS truth_missing,
    false AS truth_full,
    i::BIGINT + 2 AS row_number
FROM range(50) r(i)
"""


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if a is pd.NaT or a is pd.NA:
        return b is a
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.mark.parametrize("where", ["", "WHERE row_number < 0", "WHERE row_number % 3 = 2", "WHERE row_number = 9"])
def test_the_arrow_built_frame_is_the_frame_df_gives(where):
    con = duckdb.connect()
    con.execute(_TABLE)
    query = f"SELECT * FROM t {where} ORDER BY row_number"
    want = con.execute(query).df()
    got = pandas_frame(con.sql(query).to_arrow_table())
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(want.index)
    for c in want.columns:
        assert str(got[c].dtype) == str(want[c].dtype) and type(got[c].array) is type(want[c].array), c
        assert len(got[c]) == len(want[c])
        assert all(_same(a, b) for a, b in zip(got[c].tolist(), want[c].tolist())), c


def test_the_comment_trimmed_in_arrow_is_the_comment_duckdb_trims():
    """The template frame's comment is ``nullif(trim(comment), '')`` worked out in Arrow
    (etl.read.template._trimmed_comments), not in the normalising SQL: for every code point,
    on either side of a word and alone, it must be what DuckDB's trim gives."""
    import pyarrow as pa

    from etl.read.template import _trimmed_comments
    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cells = [p + "x" + p for p in points] + points + [None, "", " \t", "\u3000 a b \u00a0"]
    table = pa.table({"comment": cells})
    con = duckdb.connect()
    con.register("tab", table)
    want = [v for (v,) in con.execute("SELECT nullif(trim(comment), '') FROM tab").fetchall()]
    got = _trimmed_comments(table.column("comment")).to_pylist()
    assert len(got) == len(want)
    assert [i for i, (a, b) in enumerate(zip(got, want)) if a != b] == []
