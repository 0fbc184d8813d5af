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
def _tiles(f: Filters, path: str, data_version: str) -> list[queries.KpiTile]:
    hist = _history(f)
    history = queries.full_months(_frame("monthly_totals", hist, None, path, data_version),
                                  hist.start, hist.end)
    return queries.kpi_tiles(queries.kpi_totals(f, db_path=path), history, targets.load_targets())


def kpi_tiles(f: Filters) -> list[queries.KpiTile]:
    """The Overview tiles (counts, measures, changes, icons) for a view."""
    return _tiles(auth.scoped(f), *version())


@st.cache_data(show_spinner=False, max_entries=64)
def _ranking(f: Filters, kpi: str, path: str, data_version: str) -> pd.DataFrame:
    unit_months = queries.unit_monthly(_history(f), db_path=path)
    return queries.unit_ranking(unit_months, kpi, f.start, f.end, targets.load_targets())


def unit_ranking(f: Filters, kpi: str) -> pd.DataFrame:
    return _ranking(auth.scoped(f), kpi, *version())


@st.cache_data(show_spinner=False, max_entries=128)
def _spc(f: Filters, kpi: str, run_length: int, trend_length: int,
         change_month: date | None, path: str, data_version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    f = _history(f)
    monthly = queries.full_months(_frame("monthly_totals", f, None, path, data_version), f.start, f.end)
    table = queries.spc_for(monthly, kpi, run_length=run_length, trend_length=trend_length,
                            change_dates=[change_month] if change_month else [],
                            target=targets.load_targets().get(kpi))
    org = queries.with_measures(
        queries.full_months(queries.org_monthly(f, db_path=path), f.start, f.end), group_cols=["month"])
    return table, org[["month", kpi]]


def spc(f: Filters, kpi: str, run_length: int, trend_length: int,
        change_month: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(SPC table for the view's units together, organisation's monthly measure), over
    the period or the 24 months to its end when that is longer (a 12+ point baseline)."""
    return _spc(auth.scoped(f), kpi, run_length, trend_length, change_month, *version())
