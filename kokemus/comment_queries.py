"""What the Comments page asks of the warehouse: one selection, counted, paged, tagged,
exported.

The selection is ``sql/comments_selection.sql``; counting, paging and export wrap that one
statement so the three can never disagree about which comments are selected. Every user
string reaches DuckDB as a bound parameter; search words are turned into LIKE patterns
here, with ``%``, ``_`` and the escape character escaped, so a search for "100%" finds
"100%" and not everything.

Search is case- and accent-insensitive (both sides lower-cased and accent-stripped) and
inflection-aware: each word also matches by its lemma, so "jonossa" finds "jonot".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
import streamlit as st

from kokemus import config, db
from kokemus.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
PAGE_SIZE = 50
EXPORT_MAX_ROWS = 200_000
_WORD = re.compile(r'"([^"]+)"|(\S+)')
_MIN_LEMMA_LEN = 3


@dataclass(frozen=True)
class CommentFilters:
    """The Comments page's own filters, on top of the shared :class:`Filters`."""
    theme: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    text: str = ""


@lru_cache(maxsize=None)
def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------- search

def fold(text: str) -> str:
    """Lower-case without accents, as DuckDB's ``strip_accents(lower(...))`` folds."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def like_escape(text: str) -> str:
    """Make LIKE read ``text`` literally (``\\`` is the escape character in the SQL)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _default_lemmatiser() -> Callable[[str], list[str]] | None:
    """The tagger's lemmatiser when the themes package provides one, else simplemma."""
    try:
        from etl.themes import Tagger  # type: ignore[attr-defined]

        tagger = Tagger.default()
        if hasattr(tagger, "lemmas"):
            return lambda word: list(tagger.lemmas(word))
    except Exception:  # the themes package has not landed, or has no lemmas
        pass
    try:
        import simplemma

        return lambda word: [simplemma.lemmatize(word, lang="fi")]
    except Exception:
        return None


@lru_cache(maxsize=1)
def default_lemmatiser() -> Callable[[str], list[str]] | None:
    return _default_lemmatiser()


def search_terms(text: str, lemmatise: Callable[[str], list[str]] | None = None) -> list[list[str]] | None:
    """Search text -> one group of LIKE patterns per word (or "quoted phrase").

    A comment matches when every group has a pattern found in it; a group holds the word
    as typed and its lemma (when the lemma is at least 3 letters and differs), so an
    inflected query word also finds other forms of the same word. None for empty text.
    """
    groups: list[list[str]] = []
    for phrase, word in _WORD.findall(text or ""):
        term = (phrase or word).strip().strip(".,;:!?()")
        if not term:
            continue
        alternatives = [fold(term)]
        if lemmatise and not phrase and term.isalpha():  # "100%" has no lemma worth widening to
            for lemma in lemmatise(term) or []:
                folded = fold(str(lemma))
                if len(folded) >= _MIN_LEMMA_LEN and folded not in alternatives:
                    alternatives.append(folded)
        groups.append([f"%{like_escape(a)}%" for a in alternatives])
    return groups or None


# ------------------------------------------------------------------------------ queries

def selection_params(f: Filters, c: CommentFilters,
                     lemmatise: Callable[[str], list[str]] | None = None) -> dict[str, object]:
    params = dict(f.to_sql_params())
    params.update(theme=c.theme or None, score_min=c.score_min, score_max=c.score_max,
                  terms=search_terms(c.text, lemmatise))
    return params


def _run(sql: str, params: dict[str, object], db_path=None) -> pd.DataFrame:
    with db.connect(db_path) as con:
        return con.execute(sql, params).df()


def count_comments(f: Filters, c: CommentFilters, db_path=None,
                   lemmatise: Callable[[str], list[str]] | None = None) -> int:
    sql = f"SELECT count(*) AS n FROM ({_sql('comments_selection')}) s"
    return int(_run(sql, selection_params(f, c, lemmatise), db_path)["n"].iloc[0])


def comments_page(f: Filters, c: CommentFilters, page: int = 0, page_size: int = PAGE_SIZE,
                  db_path=None, lemmatise: Callable[[str], list[str]] | None = None) -> pd.DataFrame:
    """One page of the selection, newest first (response id breaks ties so pages never
    overlap or skip a comment)."""
    sql = (f"SELECT * FROM ({_sql('comments_selection')}) s "
           "ORDER BY s.submitted_on DESC NULLS LAST, s.month DESC, s.response_id DESC "
           "LIMIT $limit OFFSET $offset")
    params = {**selection_params(f, c, lemmatise), "limit": int(page_size),
              "offset": int(max(page, 0)) * int(page_size)}
    return _run(sql, params, db_path)


def comment_tags(response_ids: Sequence[int], db_path=None) -> pd.DataFrame:
    """Theme tags with their trigger words for the given responses."""
    if not len(response_ids):
        return pd.DataFrame(columns=["response_id", "theme", "polarity", "sentence", "triggers"])
    return _run(_sql("comments_tags"), {"response_ids": [int(i) for i in response_ids]}, db_path)


def theme_names(db_path=None) -> list[str]:
    return _run(_sql("comments_themes"), {}, db_path)["theme"].tolist()


def export_rows(f: Filters, c: CommentFilters, limit: int = EXPORT_MAX_ROWS, db_path=None,
                lemmatise: Callable[[str], list[str]] | None = None) -> pd.DataFrame:
    """The selection for export (newest first, at most ``limit`` rows), with each
    comment's themes joined in."""
    sql = (f"WITH s AS ({_sql('comments_selection')}), "
           "picked AS (SELECT * FROM s ORDER BY s.submitted_on DESC NULLS LAST, s.month DESC, "
           "s.response_id DESC LIMIT $limit) "
           "SELECT p.*, (SELECT string_agg(DISTINCT t.theme, ', ' ORDER BY t.theme) FROM comment_tags t "
           "WHERE t.response_id = p.response_id) AS themes FROM picked p "
           "ORDER BY p.submitted_on DESC NULLS LAST, p.month DESC, p.response_id DESC")
    return _run(sql, {**selection_params(f, c, lemmatise), "limit": int(limit)}, db_path)


def tags_by_response(tags: pd.DataFrame) -> dict[int, str]:
    """response id -> "theme (trigger, trigger); theme (...)": why each tag was given."""
    out: dict[int, list[str]] = {}
    for row in tags.itertuples(index=False):
        triggers = [str(t) for t in (row.triggers if row.triggers is not None else [])]
        label = f"{row.theme} ({', '.join(triggers)})" if triggers else str(row.theme)
        out.setdefault(int(row.response_id), [])
        if label not in out[int(row.response_id)]:
            out[int(row.response_id)].append(label)
    return {k: "; ".join(v) for k, v in out.items()}


# ------------------------------------------------------------------------------- cached

def _version() -> tuple[str, str]:
    return str(config.db_path()), db.data_version()


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_count(f: Filters, c: CommentFilters, path: str, version: str) -> int:
    return count_comments(f, c, path, default_lemmatiser())


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_page(f: Filters, c: CommentFilters, page: int, page_size: int, path: str,
                 version: str) -> pd.DataFrame:
    rows = comments_page(f, c, page, page_size, path, default_lemmatiser())
    tags = tags_by_response(comment_tags(rows["response_id"].tolist(), path))
    rows["themes"] = [tags.get(int(i), "") for i in rows["response_id"]]
    return rows


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_themes(path: str, version: str) -> list[str]:
    return theme_names(path)


def cached_count(f: Filters, c: CommentFilters) -> int:
    return _cached_count(f, c, *_version())


def cached_page(f: Filters, c: CommentFilters, page: int, page_size: int = PAGE_SIZE) -> pd.DataFrame:
    """A page of comments with a ``themes`` column: theme (trigger words) per tag."""
    return _cached_page(f, c, page, page_size, *_version())


def cached_themes() -> list[str]:
    return _cached_themes(*_version())


# ------------------------------------------------------------------------------- export

EXPORT_COLUMNS = (("response_id", "cm_col_id"), ("submitted_on", "cm_col_date"),
                  ("month", "cm_col_month"), ("unit", "cm_col_unit"),
                  ("feedback_type", "cm_col_type"), ("score_5", "cm_col_score"),
                  ("nps", "cm_col_nps"), ("channel", "cm_col_channel"),
                  ("wants_reply", "cm_col_wants_reply"), ("comment", "cm_col_comment"),
                  ("themes", "cm_col_themes"))


def export_table(f: Filters, c: CommentFilters, lang: str, limit: int = EXPORT_MAX_ROWS,
                 db_path=None) -> pd.DataFrame:
    """The selection as it is downloaded: headers and type/channel names in ``lang``.

    Rows are single responses, so there is no count to suppress; the file is still passed
    through :mod:`kokemus.export`, which neutralises formula-like text.
    """
    from kokemus.i18n import t

    rows = export_rows(f, c, limit, db_path, default_lemmatiser())
    out = pd.DataFrame({t(key, lang): rows[col] for col, key in EXPORT_COLUMNS})
    type_col, channel_col = t("cm_col_type", lang), t("cm_col_channel", lang)
    out[type_col] = [None if pd.isna(v) else t(f"flt_type_{v}", lang) for v in rows["feedback_type"]]
    out[channel_col] = [None if pd.isna(v) else t(f"flt_channel_{v}", lang) for v in rows["channel"]]
    for col in (t("cm_col_date", lang), t("cm_col_month", lang)):
        out[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in out[col]]
    return out
