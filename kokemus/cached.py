"""The Streamlit cache in front of kokemus.queries.

Every entry is keyed on the filters *and* the warehouse's data version (and path), so a
rerun with the same view costs a dictionary lookup, while a new import - from the Upload
page or the CLI in another process - changes the version and the next rerun reads fresh
figures without a restart. Nothing here opens a connection that outlives one query.

Every entry point also passes its filters through ``auth.scoped``: whatever a page
built, the query runs with the signed-in user's units only (the scope is part of the
filters, so of the cache key: two users never share an entry they may not both see).
"""
from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import streamlit as st

from kokemus import auth, config, db, queries, targets
from kokemus.filters import FilterOptions, Filters


def version() -> tuple[str, str]:
    """(warehouse path, data version): the part of every cache key that follows imports."""
    return str(config.db_path()), db.data_version()


@st.cache_data(show_spinner=False, max_entries=64)
def _filter_options(path: str, data_version: str, scope: tuple[int, ...] | None) -> FilterOptions:
    return queries.filter_options(path, scope)


@st.cache_data(show_spinner=False, max_entries=256)
def _frame(name: str, f: Filters, limit: int | None, path: str, data_version: str) -> pd.DataFrame:
    loader = getattr(queries, name)
    if limit is None:
        return loader(f, db_path=path)
    return loader(f, limit=limit, db_path=path)


def filter_options() -> FilterOptions:
    return _filter_options(*version(), auth.allowed_unit_ids())


def kpi_totals(f: Filters) -> pd.DataFrame:
    return _frame("kpi_totals", auth.scoped(f), None, *version())


def monthly_totals(f: Filters) -> pd.DataFrame:
    return _frame("monthly_totals", auth.scoped(f), None, *version())


def unit_monthly(f: Filters) -> pd.DataFrame:
    return _frame("unit_monthly", auth.scoped(f), None, *version())


def org_monthly(f: Filters) -> pd.DataFrame:
    return _frame("org_monthly", auth.scoped(f), None, *version())


def top_problems(f: Filters, limit: int = 5) -> pd.DataFrame:
    return _frame("top_problems", auth.scoped(f), limit, *version())


def recent_praise(f: Filters, limit: int = 5) -> pd.DataFrame:
    """Praise comments: patient text, so nothing for a role that may not read comments."""
    if not auth.may("view_comments"):
        return pd.DataFrame(columns=["unit", "month", "submitted_on", "comment"])
    return _frame("recent_praise", auth.scoped(f), limit, *version())


def _history(f: Filters) -> Filters:
    return dataclasses.replace(f, start=queries.history_start(f.start, f.end))


@st.cache_data(show_spinner=False, max_entries=64)
def _unit_history(f: Filters, path: str, data_version: str) -> pd.DataFrame:
    """Unit x month counts over the view's history window: the one query behind the
    Overview's tiles, unit table and trend (each of them used to run its own)."""
    return queries.unit_monthly(_history(f), db_path=path)


@st.cache_data(show_spinner=False, max_entries=64)
def _history_monthly(f: Filters, path: str, data_version: str) -> pd.DataFrame:
    """``monthly_totals`` over the history window, summed from :func:`_unit_history`
    (same rollup rows, same filters; ``min_count=1`` keeps SQL's NULL for a sum of NULLs)."""
    units = _unit_history(f, path, data_version)
    present = [c for c in queries.COUNT_COLUMNS if c in units.columns]
    return (units.groupby("month", as_index=False, sort=True)[present].sum(min_count=1)
            if len(units) else _frame("monthly_totals", _history(f), None, path, data_version))


def _period_totals(f: Filters, monthly: pd.DataFrame, path: str) -> pd.DataFrame:
    """:func:`queries.kpi_totals` from the history's months when the previous period and
    the year-ago months lie inside it (any period up to 12 months), else the query."""
    hist = _history(f)
    periods = {"current": f, "previous": f.previous_period(), "year_ago": f.year_ago()}
    if any(p.start < hist.start for p in periods.values()):
        return queries.kpi_totals(f, db_path=path)
    present = [c for c in queries.COUNT_COLUMNS if c in monthly.columns]
    rows = {}
    for name, p in periods.items():
        inside = monthly[(monthly["month"] >= pd.Timestamp(p.start)) & (monthly["month"] <= pd.Timestamp(p.end))]
        rows[name] = inside[present].sum()  # NaN skipped, nothing -> 0, as coalesce(sum, 0)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "period"
    return out.astype("float64")


@st.cache_data(show_spinner=False, max_entries=64)
def _tiles(f: Filters, path: str, data_version: str) -> list[queries.KpiTile]:
    hist = _history(f)
    monthly = _history_monthly(f, path, data_version)
    history = queries.full_months(monthly, hist.start, hist.end)
    return queries.kpi_tiles(_period_totals(f, monthly, path), history, targets.load_targets())


def kpi_tiles(f: Filters) -> list[queries.KpiTile]:
    """The Overview tiles (counts, measures, changes, icons) for a view."""
    return _tiles(auth.scoped(f), *version())


@st.cache_data(show_spinner=False, max_entries=64)
def _ranking(f: Filters, kpi: str, path: str, data_version: str) -> pd.DataFrame:
    unit_months = _unit_history(f, path, data_version)
    return queries.unit_ranking(unit_months, kpi, f.start, f.end, targets.load_targets())


def unit_ranking(f: Filters, kpi: str) -> pd.DataFrame:
    return _ranking(auth.scoped(f), kpi, *version())


@st.cache_data(show_spinner=False, max_entries=128)
def _spc_table(f: Filters, kpi: str, run_length: int, trend_length: int,
               change_month: date | None, path: str, data_version: str) -> pd.DataFrame:
    hist = _history(f)
    monthly = queries.full_months(_history_monthly(f, path, data_version), hist.start, hist.end)
    return queries.spc_for(monthly, kpi, run_length=run_length, trend_length=trend_length,
                           change_dates=[change_month] if change_month else [],
                           target=targets.load_targets().get(kpi))


@st.cache_data(show_spinner=False, max_entries=64)
def _org(f: Filters, kpi: str, path: str, data_version: str) -> pd.DataFrame:
    f = _history(f)
    org = queries.with_measures(
        queries.full_months(queries.org_monthly(f, db_path=path), f.start, f.end), group_cols=["month"])
    return org[["month", kpi]]


def spc(f: Filters, kpi: str, run_length: int, trend_length: int,
        change_month: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(SPC table for the view's units together, organisation's monthly measure), over
    the period or the 24 months to its end when that is longer (a 12+ point baseline)."""
    f = auth.scoped(f)
    return (_spc_table(f, kpi, run_length, trend_length, change_month, *version()),
            _org(f, kpi, *version()))


def spc_table(f: Filters, kpi: str, run_length: int, trend_length: int,
              change_month: date | None = None) -> pd.DataFrame:
    """:func:`spc` without the organisation line, for a page that does not draw it (the
    Overview): one query fewer per view."""
    return _spc_table(auth.scoped(f), kpi, run_length, trend_length, change_month, *version())
