"""The Overview reads one unit x month query and derives the rest: the derived frames must
equal what the SQL they replace returns, for every kind of view."""
from __future__ import annotations

import math
import dataclasses

import pandas as pd
import pytest

from kokemus import cached, db, filters, queries, targets


def _views(demo_db) -> list[filters.Filters]:
    opts = queries.filter_options(demo_db)
    last, units = opts.last_month, list(opts.units())
    with db.connect(demo_db) as con:
        channel = con.execute("SELECT channel FROM feedback GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        area = con.execute("SELECT service_area FROM feedback WHERE service_area IS NOT NULL "
                           "GROUP BY 1 ORDER BY count(*) LIMIT 1").fetchone()[0]
    twelve = filters.Filters(start=filters.add_months(last, -11), end=last)
    return [twelve,
            dataclasses.replace(twelve, units=(units[0],)),
            dataclasses.replace(twelve, start=filters.add_months(last, -2), units=tuple(units[:3])),
            dataclasses.replace(twelve, start=filters.add_months(last, -17)),  # longer: the query path
            dataclasses.replace(twelve, channels=(channel,), areas=(area,)),
            dataclasses.replace(twelve, units=("no such unit",))]


def test_history_frames_equal_the_sql_they_replace(demo_db):
    path, version = str(demo_db), db.data_version(demo_db)
    for f in _views(demo_db):
        hist = cached._history(f)
        derived = cached._history_monthly(f, path, version)
        sql = queries.monthly_totals(hist, db_path=demo_db)
        a = queries.full_months(sql, hist.start, hist.end)
        b = queries.full_months(derived, hist.start, hist.end)
        pd.testing.assert_frame_equal(a[b.columns.tolist()], b, check_exact=False, rtol=1e-12)
        totals = cached._period_totals(f, derived, path)
        expected = queries.kpi_totals(f, db_path=demo_db)
        pd.testing.assert_frame_equal(expected[totals.columns.tolist()], totals, check_exact=False,
                                      rtol=1e-12, check_names=False)
        got = queries.kpi_tiles(totals, b, targets.load_targets())
        want = queries.kpi_tiles(expected, a, targets.load_targets())
        for x, y in zip(got, want):
            for k, v in dataclasses.asdict(x).items():
                w = dataclasses.asdict(y)[k]
                assert v == w or (isinstance(v, float) and math.isclose(v, w, rel_tol=1e-12)), (f, k, v, w)


@pytest.mark.parametrize("kpi", ["pct_satisfied", "responses", "nps"])
def test_unit_ranking_and_trend_from_the_shared_query_equal_their_own_queries(demo_db, kpi):
    path, version = str(demo_db), db.data_version(demo_db)
    f = _views(demo_db)[0]
    hist = cached._history(f)
    own = queries.unit_ranking(queries.unit_monthly(hist, db_path=demo_db), kpi, f.start, f.end,
                               targets.load_targets())
    pd.testing.assert_frame_equal(cached._ranking(f, kpi, path, version), own)
    trend = queries.spc_for(queries.full_months(queries.monthly_totals(hist, db_path=demo_db), hist.start, hist.end),
                            kpi, target=targets.load_targets().get(kpi))
    shared = cached._spc_table(f, kpi, queries.spc.RUN_LENGTH, queries.spc.TREND_LENGTH, None, path, version)
    pd.testing.assert_frame_equal(trend, shared, check_exact=False, rtol=1e-12)
