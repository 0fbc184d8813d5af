"""What the Recurring problems page asks of the warehouse, read from the rollups.

Only complaints and suggestions are problems; the shared *feedback type* filter can narrow
them further but never widen them to praise. ``theme_rollup`` has no channel or language,
so those filters do not apply here (the page says so).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import streamlit as st

from kokemus import auth, recurring, config, db, filters as shared
from kokemus.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
PROBLEM_TYPES = ("complaint", "suggestion")
EMERGING_BASELINE_MONTHS = 6
EMERGING_TEXT_LIMIT = 20_000
EMERGING_MIN_COUNT = 3   # a word needs this many comments of the latest month to be listed


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def problem_types(f: Filters) -> list[str]:
    """Complaint and suggestion, narrowed by the shared type filter (may be empty)."""
    return [t for t in PROBLEM_TYPES if not f.types or t in f.types]


def _params(f: Filters) -> dict[str, object]:
    p = f.to_sql_params()
    return {"start": p["start"], "end": p["end"], "units": p["units"], "areas": p["areas"],
            "types": problem_types(f), "scope_all": p["scope_all"], "scope": p["scope"]}


def _run(name: str, params: dict[str, object], db_path=None) -> pd.DataFrame:
    with db.connect(db_path) as con:
        return con.execute(_sql(name), params).df()


def _months(df: pd.DataFrame) -> pd.DataFrame:
    if "month" in df.columns:
        df["month"] = [date(m.year, m.month, 1) for m in pd.to_datetime(df["month"])]
    if "responses" in df.columns:
        df["responses"] = df["responses"].astype("int64")
    return df


def theme_counts(f: Filters, db_path=None) -> pd.DataFrame:
    """unit_id, unit, month, theme, responses (complaints and suggestions with the theme)."""
    return _months(_run("problems_theme_counts", _params(f), db_path))


def type_totals(f: Filters, db_path=None) -> pd.DataFrame:
    """unit_id, unit, month, responses (all complaints and suggestions)."""
    return _months(_run("problems_type_totals", _params(f), db_path))


def has_tags(db_path=None) -> bool:
    """Whether the tagger has filed any comment under a theme."""
    with db.connect(db_path) as con:
        return bool(con.execute(_sql("problems_tag_count")).fetchall()[0][0])


def period_months(f: Filters) -> list[date]:
    return [shared.add_months(f.start, i) for i in range(f.months)]


def emerging_texts(f: Filters, db_path=None) -> tuple[list, list]:
    """(comments of the period's last month, comments of the 6 months before it), each a
    list of (comment, stored language or None): the two samples emerging words compare."""
    latest = replace(f, start=f.end, preset="custom")
    base_end = shared.add_months(f.end, -1)
    baseline = replace(f, start=shared.add_months(f.end, -EMERGING_BASELINE_MONTHS), end=base_end,
                       preset="custom")

    def texts(x: Filters) -> list[tuple[str, str | None]]:
        df = _run("problems_texts", {**_params(x), "limit": EMERGING_TEXT_LIMIT}, db_path)
        return list(zip(df["comment"].astype(str), df["language"].where(df["language"].notna(), None)))

    return texts(latest), texts(baseline)


def emerging_list(f: Filters, db_path=None) -> dict:
    """{"languages": {language: comments in the latest month}, "words": {language: rows of
    etl.themes.emerging.emerging_problem_words}} - one list per language there is, so a page
    shows the words of its own language only."""
    from etl.themes import Tagger
    from etl.themes.emerging import analyse, comment_languages, emerging_problem_words
    latest, baseline = emerging_texts(f, db_path)
    if not latest:
        return {"languages": {}, "words": {}}
    tagger = Tagger.default()
    latest, baseline = analyse(latest, tagger), analyse(baseline, tagger)
    languages = dict(comment_languages(latest).most_common())
    return {"languages": languages,
            "words": {lang: emerging_problem_words(latest, baseline, lang, top=20, min_count=EMERGING_MIN_COUNT)
                      for lang in languages}}


# ------------------------------------------------------------------------------- cached

def _version() -> tuple[str, str]:
    return str(config.db_path()), db.data_version()


@st.cache_data(show_spinner=False, max_entries=64)
def _cached(name: str, f: Filters, path: str, version: str):
    # The lists are built from the same two frames the heatmap draws: take them from the
    # cache rather than querying them again (three theme-count queries per view before).
    if name == "recurring":
        return recurring.recurring_themes(_cached("theme_counts", f, path, version), as_of=f.end)
    if name == "rising":
        return recurring.rising_themes(_cached("theme_counts", f, path, version),
                                       _cached("type_totals", f, path, version), period_months(f))
    return {"theme_counts": theme_counts, "type_totals": type_totals, "emerging": emerging_list}[name](f, path)


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_has_tags(path: str, version: str) -> bool:
    return has_tags(path)


def cached_theme_counts(f: Filters) -> pd.DataFrame:
    return _cached("theme_counts", auth.scoped(f), *_version())


def cached_type_totals(f: Filters) -> pd.DataFrame:
    return _cached("type_totals", auth.scoped(f), *_version())


def cached_recurring(f: Filters) -> pd.DataFrame:
    return _cached("recurring", auth.scoped(f), *_version())


def cached_rising(f: Filters) -> pd.DataFrame:
    return _cached("rising", auth.scoped(f), *_version())


def cached_emerging(f: Filters) -> dict:
    return _cached("emerging", auth.scoped(f), *_version())


def cached_has_tags() -> bool:
    return _cached_has_tags(*_version())
