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


@st.cache_data(show_spinner=False, max_entries=64)
def _stories(units: tuple[str, ...], lang: str, last_month: date, allowed, min_n, path: str,
             data_version: str) -> list:
    from kokemus import actions
    return actions.stories(units, lang, last_month=last_month, allowed=allowed, min_n=min_n, db_path=path)


def action_stories(units, lang: str, *, last_month: date, allowed, min_n: int | None) -> list:
    """Te sanoitte, me teimme's stories: two queries per theme of each action, so a page
    that drew them on every rerun (and again for the export language) waited ~0.3 s."""
    return _stories(tuple(units), lang, last_month, None if allowed is None else tuple(allowed), min_n,
                    *version())


@st.cache_data(show_spinner=False, max_entries=128)
def _theme_share(units: tuple[str, ...], theme: str, start: date, end: date, path: str,
                 data_version: str) -> pd.DataFrame:
    from kokemus import actions
    return actions.monthly_theme_share(actions.unit_ids(units, db_path=path), theme, start, end, db_path=path)


def theme_share(units, theme: str, start: date, end: date) -> pd.DataFrame:
    """A theme's monthly share of comments over ``units`` (the names the page already
    scoped), for the charts with action markers."""
    return _theme_share(tuple(units), theme, start, end, *version())


@st.cache_data(show_spinner=False, max_entries=128)
def _prompting(action_id: int, path: str, data_version: str) -> list[str]:
    from kokemus import actions
    return actions.prompting_comments(action_id, db_path=path)


def prompting_comments(action_id: int) -> list[str]:
    return _prompting(int(action_id), *version())
