"""The Streamlit cache for the close-the-loop figures (reply promise, actions), keyed like
kokemus.cached on the filters, today's date, the user's unit scope and the data version."""
from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import streamlit as st

from kokemus import access, queries, replies
from kokemus.cached import version
from kokemus.filters import Filters


def _scope() -> tuple[int, ...] | None:
    ids = access.allowed_unit_ids()
    return None if ids is None else tuple(ids)


@st.cache_data(show_spinner=False, max_entries=64)
def _summary(f: Filters, today: date, allowed, path: str, data_version: str) -> replies.PromiseSummary:
    hist = dataclasses.replace(f, start=queries.history_start(f.start, f.end))
    return replies.summary(f, today=today, allowed=allowed, history=hist, db_path=path)


def promise_summary(f: Filters) -> replies.PromiseSummary:
    return _summary(f, date.today(), _scope(), *version())


@st.cache_data(show_spinner=False, max_entries=64)
def _promise_spc(f: Filters, run_length: int, trend_length: int, change_month, today: date, allowed,
                 path: str, data_version: str) -> pd.DataFrame:
    hist = dataclasses.replace(f, start=queries.history_start(f.start, f.end))
    return replies.spc_table(hist, today=today, allowed=allowed, run_length=run_length,
                             trend_length=trend_length,
                             change_dates=[change_month] if change_month else [], db_path=path)


def promise_spc(f: Filters, run_length: int, trend_length: int, change_month=None) -> pd.DataFrame:
    return _promise_spc(f, run_length, trend_length, change_month, date.today(), _scope(), *version())


@st.cache_data(show_spinner=False, max_entries=64)
def _markers(units: tuple[str, ...], theme: str | None, lang: str, allowed, path: str,
             data_version: str) -> list[dict]:
    from kokemus import actions
    return actions.markers(actions.list_actions(units, allowed=allowed, theme=theme, db_path=path), lang)


def action_markers(units, lang: str, theme: str | None = None) -> list[dict]:
    """Chart markers for the actions touching any of ``units`` (all when empty)."""
    return _markers(tuple(units), theme, lang, _scope(), *version())
