"""Filters, page queries and their shaping, on real warehouses built by the real ETL."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kokemus import filters, queries
from kokemus.filters import FilterOptions, Filters

OPTIONS = FilterOptions(first_month=date(2023, 1, 1), last_month=date(2025, 3, 1),
                        units_by_area=(("Päivystys", ("Päivystys A",)),
                                       ("Vuodeosastot", ("Osasto 5B", "Osasto 7"))))


# --------------------------------------------------------------------------- filters

def test_presets_anchor_on_the_last_month_with_data():
    assert filters.preset_bounds("last12", date(2025, 3, 1)) == (date(2024, 4, 1), date(2025, 3, 1))
    assert filters.preset_bounds("this_year", date(2025, 3, 1)) == (date(2025, 1, 1), date(2025, 3, 1))
    assert filters.preset_bounds("last_year", date(2025, 3, 1)) == (date(2024, 1, 1), date(2024, 12, 1))


def test_query_string_round_trip_reproduces_the_view():
    f = Filters(start=date(2024, 2, 1), end=date(2024, 11, 1), preset="custom",
                areas=("Vuodeosastot",), units=("Osasto 5B",), channels=("paper", "web"),
                types=("complaint",), languages=("sv",))
    assert Filters.from_query(f.to_query(), OPTIONS) == f


def test_stale_or_hostile_query_values_are_dropped():
    f = Filters.from_query({"unit": ["Osasto 7", "Poistettu yksikkö", "'; DROP TABLE units"],
                            "channel": "fax", "period": "nonsense", "from": "20x4-99"}, OPTIONS)
    assert f.units == ("Osasto 7",)
    assert f.channels == ()
    assert (f.start, f.end) == (date(2024, 4, 1), date(2025, 3, 1))


def test_single_unit_deep_link():
    f = Filters.from_query({"unit": "Osasto 5B"}, OPTIONS)
    assert f.units == ("Osasto 5B",) and f.preset == "last12"


def test_previous_period_and_year_ago():
    f = Filters(start=date(2024, 1, 1), end=date(2024, 3, 1))
    assert (f.previous_period().start, f.previous_period().end) == (date(2023, 10, 1), date(2023, 12, 1))
    assert (f.year_ago().start, f.year_ago().end) == (date(2023, 1, 1), date(2023, 3, 1))


def test_page_url_carries_filters_and_extras():
    f = Filters(start=date(2024, 1, 1), end=date(2024, 6, 1), preset="custom", units=("Osasto 5B",))
    url = filters.page_url("comments", f, theme="waiting_time")
    assert url == "kommentit?period=custom&from=2024-01&to=2024-06&unit=Osasto+5B&theme=waiting_time"
    with pytest.raises(ValueError):
        filters.page_url("nowhere", f)


def test_filters_are_hashable_and_give_sql_params():
    f = Filters(start=date(2024, 1, 1), end=date(2024, 6, 1), units=("Osasto 5B",))
    assert hash(f) == hash(Filters(start=date(2024, 1, 1), end=date(2024, 6, 1), units=("Osasto 5B",)))
    assert f.to_sql_params()["units"] == ["Osasto 5B"]
    assert f.to_sql_params()["start"] == date(2024, 1, 1)


def test_finnish_and_english_number_formats():
    assert queries.format_number(12345.678, 1, "fi") == "12\u202f345,7"
    assert queries.format_number(12345.678, 1, "en") == "12,345.7"
    assert queries.format_kpi("pct_satisfied", 2.5, "fi", signed=True) == "+2,5 %-yks."
    assert queries.format_kpi("nps", None, "fi") == "–"


# --------------------------------------------------------------------------- shaping

def counts(**kw) -> dict:
    base = dict(responses=0, scored=0, score_sum=0, satisfied=0, nps_n=0, promoters=0,
                detractors=0, typed=0, praise=0, wants_reply=0, comments=0)
    base.update(kw)
    return {k: float(v) for k, v in base.items()}


def test_tiles_hide_small_numbers_and_compare_periods():
    totals = pd.DataFrame([
        {"period": "current", **counts(responses=20, scored=20, score_sum=80, satisfied=15, nps_n=10,
                                       promoters=6, detractors=2, typed=20, praise=16, wants_reply=3)},
        {"period": "previous", **counts(responses=3, scored=3, score_sum=9, satisfied=1, nps_n=3,
                                        promoters=1, detractors=1, typed=3, praise=2)},
        {"period": "year_ago", **counts(responses=10, scored=10, score_sum=35, satisfied=5, nps_n=10,
                                        promoters=5, detractors=5, typed=10, praise=5, wants_reply=1)},
    ]).set_index("period")
    history = pd.DataFrame({"month": pd.date_range("2024-01-01", periods=3, freq="MS")})
    for k, v in counts(responses=20, scored=20, score_sum=80, satisfied=15, nps_n=10, promoters=6,
                       typed=20, praise=16).items():
        history[k] = v
    tiles = {t.name: t for t in queries.kpi_tiles(totals, history, {"nps": 30.0})}
    assert tiles["pct_satisfied"].value == pytest.approx(75.0)
    assert tiles["mean_score"].value == pytest.approx(4.0)
    assert tiles["nps"].value == pytest.approx(40.0)
    assert tiles["praise_share"].value == pytest.approx(80.0)
    assert tiles["replies_due"].value == 3
    # the previous period rests on 3 responses: hidden, so no change against it
    assert tiles["nps"].vs_previous is None
    assert tiles["nps"].vs_year_ago == pytest.approx(40.0)
    assert tiles["pct_satisfied"].vs_year_ago == pytest.approx(25.0)
    assert tiles["pct_satisfied"].lo < 75 < tiles["pct_satisfied"].hi
    assert tiles["nps"].target == 30.0
    assert tiles["nps"].trial  # 3 months of history: trial limits


def test_spc_for_turns_small_months_into_gaps():
    months = pd.date_range("2024-01-01", periods=14, freq="MS")
    rows = [counts(responses=40, scored=40, score_sum=160, satisfied=30 + (i % 3), nps_n=40,
                   promoters=20, detractors=5, typed=40, praise=30) for i in range(14)]
    rows[5] = counts(responses=3, scored=3, score_sum=12, satisfied=3, nps_n=3, promoters=3, typed=3, praise=3)
    monthly = pd.DataFrame(rows).assign(month=months)
    for kpi in ("pct_satisfied", "nps"):
        table = queries.spc_for(monthly, kpi)
        assert pd.isna(table.loc[5, "value"]) and bool(table.loc[5, "suppressed"])
        assert table["value"].notna().sum() == 13
        assert not table["trial"].iloc[-1]


def test_unit_ranking_orders_best_first_and_hides_small_units():
    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    frames = []
    for unit, sat, n in (("A", 18, 20), ("B", 10, 20), ("C", 1, 3)):
        frames.append(pd.DataFrame([{**counts(responses=n, scored=n, score_sum=4 * n, satisfied=sat,
                                               nps_n=n, promoters=sat, typed=n, praise=sat),
                                     "unit": unit, "service_area": "X", "month": m} for m in months]))
    unit_months = pd.concat(frames, ignore_index=True)
    # C has 3 responses a month: hidden month by month, but 36 over the year is shown
    ranking = queries.unit_ranking(unit_months, "pct_satisfied", date(2024, 1, 1), date(2024, 12, 1))
    assert list(ranking["unit"]) == ["A", "B", "C"]
    assert ranking.loc[0, "value"] == pytest.approx(90.0)
    assert all(v is None for v in ranking.loc[2, "trend"])
    one_month = queries.unit_ranking(unit_months, "pct_satisfied", date(2024, 12, 1), date(2024, 12, 1))
    c = one_month[one_month["unit"] == "C"].iloc[0]
    assert pd.isna(c["value"]) and c["suppressed"]


# --------------------------------------------------------------------------- SQL, real ETL

@pytest.fixture
def small_warehouse(tmp_db, tmp_path):
    """Two units imported through the real pipeline; figures hand-computed below."""
    from tests.conftest import write_template_csv
    from etl.pipeline import import_files

    rows = []
    # Osasto 5B, March 2025: scores 5,4,3,5,2 ; NPS 10,9,6,8,- ; types praise x3, complaint x2
    for score, nps, kind, reply in ((5, 10, "kiitos", "ei"), (4, 9, "kiitos", "ei"), (3, 6, "moite", "kyllä"),
                                    (5, 8, "kiitos", "ei"), (2, "", "moite", "kyllä")):
        rows.append({"Päivämäärä": "12.3.2025", "Yksikkö": "Osasto 5B", "Palvelualue": "Vuodeosastot",
                     "Kanava": "paperi", "Kieli": "fi", "Arvio": score, "Suosittelu": nps,
                     "Tyyppi": kind, "Palaute": f"Hoitaja oli ystävällinen ja kuunteli {score} {nps}",
                     "Vastaus toivottu": reply})
    # Päivystys A, February 2025: two responses on the web
    for score in (1, 4):
        rows.append({"Päivämäärä": "3.2.2025", "Yksikkö": "Päivystys A", "Palvelualue": "Päivystys",
                     "Kanava": "verkko", "Kieli": "sv", "Arvio": score, "Suosittelu": 7,
                     "Tyyppi": "kehitysehdotus", "Palaute": "Pitkä jono"})
    import_files([write_template_csv(tmp_path / "feedback.csv", rows)], db_path=tmp_db)
    return tmp_db


def test_kpi_totals_from_the_rollup_match_hand_computation(small_warehouse):
    options = queries.filter_options()
    assert options.last_month == date(2025, 3, 1)
    assert set(options.units()) == {"Osasto 5B", "Päivystys A"}
    f = Filters(start=date(2025, 3, 1), end=date(2025, 3, 1), preset="custom")
    cur = queries.kpi_totals(f).loc["current"]
    assert cur["responses"] == 5
    assert cur["scored"] == 5 and cur["score_sum"] == 19 and cur["satisfied"] == 3
    assert cur["nps_n"] == 4 and cur["promoters"] == 2 and cur["detractors"] == 1
    assert cur["typed"] == 5 and cur["praise"] == 3 and cur["wants_reply"] == 2
    prev = queries.kpi_totals(f).loc["previous"]
    assert prev["responses"] == 2  # February: Päivystys A


def test_filters_reach_the_sql(small_warehouse):
    f = Filters(start=date(2025, 1, 1), end=date(2025, 3, 1), preset="custom")
    assert queries.kpi_totals(f).loc["current", "responses"] == 7
    assert queries.kpi_totals(dataclasses_replace(f, channels=("web",))).loc["current", "responses"] == 2
    assert queries.kpi_totals(dataclasses_replace(f, languages=("fi",))).loc["current", "responses"] == 5
    assert queries.kpi_totals(dataclasses_replace(f, types=("complaint",))).loc["current", "responses"] == 2
    by_unit = queries.unit_monthly(f)
    assert set(by_unit["unit"]) == {"Osasto 5B", "Päivystys A"}
    assert queries.org_monthly(f.with_units(["Osasto 5B"]))["responses"].sum() == 7  # org ignores units


def test_service_area_filter_reaches_the_sql(small_warehouse):
    f = Filters(start=date(2025, 1, 1), end=date(2025, 3, 1), preset="custom", areas=("Päivystys",))
    assert queries.filter_options().areas == ("Päivystys", "Vuodeosastot")
    assert queries.kpi_totals(f).loc["current", "responses"] == 2


def test_recent_praise_is_newest_praise_only(small_warehouse):
    f = Filters(start=date(2025, 1, 1), end=date(2025, 3, 1), preset="custom")
    praise = queries.recent_praise(f, limit=10)
    assert len(praise) == 3
    assert praise["comment"].str.startswith("Hoitaja oli").all()


def dataclasses_replace(f: Filters, **kw) -> Filters:
    import dataclasses
    return dataclasses.replace(f, **kw)
