"""What the Comments page asks of the warehouse: one selection, counted, paged, tagged,
exported.

The selection is ``sql/comments_selection.sql``; counting, paging and export wrap that one
statement so the three can never disagree about which comments are selected. Every user
string reaches DuckDB as a bound parameter; search words are turned into regular
expressions here with every special character escaped, so a search for "100%" or "(a)"
finds exactly that.

Search is case- and accent-insensitive (both sides lower-cased and accent-stripped) and
inflection-aware through the tagger's lemmatiser (``etl.themes.lemmas.lemma``): a search
word matches every word in the comments that has the same lemma, found by
``sql/comments_word_forms.sql``, so "puhelin" finds "puhelimeen" and "puhelimessa" (a stem
change no substring can catch), "jono" finds "jonossa" and "jonossa" finds "jonot".
"""
from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import duckdb
import pandas as pd
import streamlit as st

from kokemus import auth, config, db, search_bounds
from kokemus.filters import Filters

SQL_DIR = Path(__file__).parent / "sql"
PAGE_SIZE = 50
EXPORT_MAX_ROWS = 200_000
_WORD = search_bounds.SEARCH_WORD   # the bounds count words exactly as the search splits them
_MIN_LEMMA_LEN = 3


@dataclass(frozen=True)
class CommentFilters:
    """The Comments page's own filters, on top of the shared :class:`Filters`."""
    theme: str | None = None
    score_min: float | None = None
    score_max: float | None = None
    text: str = ""


class SearchStopped(Exception):
    """A search refused before it ran (too many words, too long) or stopped by DuckDB after
    :data:`kokemus.search_bounds.MAX_SECONDS`: ``key``/``params`` is the message to show."""

    def __init__(self, key: str, params: dict | None = None):
        super().__init__(key)
        self.key, self.params = key, dict(params or {})


def check_search(text: str) -> None:
    """Raise :class:`SearchStopped` for a search that may not run (the page shows why)."""
    too_big = search_bounds.problem(text)
    if too_big is not None:
        raise SearchStopped(too_big.key, too_big.params)


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


SEARCH_LANGUAGES = ("fi", "sv")


def _default_lemmatiser() -> Callable[[str], list[str]] | None:
    """The tagger's own lemmatiser (Finnish and Swedish base forms of a word)."""
    try:
        from etl.themes.lemmas import lemma
    except Exception:  # pragma: no cover - the themes package is part of the app
        return None
    return lambda word: list(dict.fromkeys(lemma(word.lower(), lang) for lang in SEARCH_LANGUAGES))


@lru_cache(maxsize=1)
def default_lemmatiser() -> Callable[[str], list[str]] | None:
    return _default_lemmatiser()


MAX_FORMS = 200


def word_forms(lemmas: Sequence[str], db_path=None,
               lemmatise: Callable[[str], list[str]] | None = None) -> list[str]:
    """Words written in the comments whose lemma is one of ``lemmas`` (or ends with one:
    the compound "ajanvarauspuhelimeen" is a form of "puhelin" too)."""
    lemmatise = lemmatise or default_lemmatiser()
    wanted = [str(x).lower() for x in lemmas if len(str(x)) >= _MIN_LEMMA_LEN and str(x).isalpha()]
    if not wanted or lemmatise is None:
        return []
    found: list[str] = []
    # widening is a courtesy: past the time bound, search with the forms found so far
    deadline = time.monotonic() + search_bounds.MAX_SECONDS
    for prefix in dict.fromkeys(w[:_MIN_LEMMA_LEN] for w in wanted):
        if time.monotonic() > deadline:
            break
        words = _run(_sql("comments_word_forms"), {"prefix": prefix}, db_path, bounded=True)["word"]
        for i, word in enumerate(words):
            if i % 500 == 0 and time.monotonic() > deadline:
                break
            own = lemmatise(word)
            if any(o == w or (len(w) >= 4 and o.endswith(w)) for o in own for w in wanted):
                found.append(word)
    return sorted(set(found), key=len)[:MAX_FORMS]


def search_terms(text: str, lemmatise: Callable[[str], list[str]] | None = None,
                 forms: Callable[[list[str]], list[str]] | None = None) -> list[list[str]] | None:
    """Search text -> one group of LIKE patterns per word (or "quoted phrase").

    A comment matches when every group has a pattern found in it; a group holds the word
    as typed, its lemma (when at least 3 letters) and, given ``forms``, every form of
    that lemma the comments contain. None for empty text.
    """
    groups: list[list[str]] = []
    for phrase, word in _WORD.findall(text or ""):
        term = (phrase or word).strip().strip(".,;:!?()")
        if not term:
            continue
        alternatives = [fold(term)]
        if lemmatise and not phrase and term.isalpha():  # "100%" has no lemma worth widening to
            lemmas = [str(x) for x in lemmatise(term) or []]
            for lemma in lemmas + (forms(lemmas) if forms else []):
                folded = fold(lemma)
                if len(folded) >= _MIN_LEMMA_LEN and folded not in alternatives:
                    alternatives.append(folded)
        groups.append(alternatives)
    return groups or None


_REGEX_SPECIAL = set("\\.^$|?*+()[]{}")
SQL_WORD_SLOTS = 6


def regex_literal(text: str) -> str:
    """``text`` as a literal inside an RE2 pattern."""
    return "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text)


def search_params(groups: list[list[str]] | None) -> dict[str, object]:
    """Word groups -> one regular expression per word (its forms as alternatives).

    The first ``SQL_WORD_SLOTS`` words go to fixed parameters ($word1..): a plain
    ``regexp_matches`` per word is several times faster than a list lambda per row,
    which only words beyond those need ($more_words)."""
    patterns = ["|".join(regex_literal(a) for a in group) for group in groups or []]
    params: dict[str, object] = {f"word{i + 1}": (patterns[i] if i < len(patterns) else None)
                                 for i in range(SQL_WORD_SLOTS)}
    params["more_words"] = patterns[SQL_WORD_SLOTS:] or None
    return params


# ------------------------------------------------------------------------------ queries

FormsLookup = Callable[[list[str]], list[str]]


def selection_params(f: Filters, c: CommentFilters,
                     lemmatise: Callable[[str], list[str]] | None = None,
                     db_path=None, forms: FormsLookup | None = None) -> dict[str, object]:
    """``forms`` replaces the word-form lookup (the cached layer shares one lookup between
    the count and the page of a search)."""
    check_search(c.text)
    params = dict(f.to_sql_params())
    if forms is None and lemmatise:
        forms = lambda lemmas: word_forms(lemmas, db_path, lemmatise)  # noqa: E731
    params.update(theme=c.theme or None, score_min=c.score_min, score_max=c.score_max,
                  **search_params(search_terms(c.text, lemmatise, forms)))
    return params


def _run(sql: str, params: dict[str, object], db_path=None, bounded: bool = False) -> pd.DataFrame:
    """Run one query; ``bounded`` ones (searches) are stopped by DuckDB after
    :data:`kokemus.search_bounds.MAX_SECONDS`, so no search holds the warehouse for long."""
    with db.connect(db_path) as con:
        if not bounded:
            return con.execute(sql, params).df()
        con.execute(f"SET SESSION max_execution_time = {search_bounds.max_execution_ms():d}").fetchall()
        try:
            return con.execute(sql, params).df()
        except duckdb.InterruptException:
            raise SearchStopped("search_timeout", {"seconds": f"{search_bounds.MAX_SECONDS:g}"}) from None
        finally:
            con.execute("SET SESSION max_execution_time = 0").fetchall()


def count_comments(f: Filters, c: CommentFilters, db_path=None,
                   lemmatise: Callable[[str], list[str]] | None = None,
                   forms: FormsLookup | None = None) -> int:
    sql = f"SELECT count(*) AS n FROM ({_sql('comments_selection')}) s"
    params = selection_params(f, c, lemmatise, db_path, forms)
    return int(_run(sql, params, db_path, bounded=bool(c.text))["n"].iloc[0])


def comments_page(f: Filters, c: CommentFilters, page: int = 0, page_size: int = PAGE_SIZE,
                  db_path=None, lemmatise: Callable[[str], list[str]] | None = None,
                  forms: FormsLookup | None = None) -> pd.DataFrame:
    """One page of the selection, newest first (response id breaks ties so pages never
    overlap or skip a comment)."""
    sql = (f"SELECT * FROM ({_sql('comments_selection')}) s "
           "ORDER BY s.submitted_on DESC NULLS LAST, s.month DESC, s.response_id DESC "
           "LIMIT $limit OFFSET $offset")
    params = {**selection_params(f, c, lemmatise, db_path, forms), "limit": int(page_size),
              "offset": int(max(page, 0)) * int(page_size)}
    return _run(sql, params, db_path, bounded=bool(c.text))


def comment_tags(response_ids: Sequence[int], db_path=None) -> pd.DataFrame:
    """Theme tags with their trigger words for the given responses."""
    if not len(response_ids):
        return pd.DataFrame(columns=["response_id", "theme", "polarity", "sentence", "triggers",
                                     "taxonomy_version"])
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
    return _run(sql, {**selection_params(f, c, lemmatise, db_path), "limit": int(limit)}, db_path)


def theme_label(theme: str, lang: str = "fi") -> str:
    """The catalogue's name of a theme in ``lang``; an unknown key shows as itself."""
    from kokemus.i18n import t

    label = t(f"theme_{theme}", lang)
    return theme if label == f"theme_{theme}" else label


def tags_by_response(tags: pd.DataFrame, lang: str = "fi") -> dict[int, str]:
    """response id -> "Hoitoon pääsy: jonossa, odotin; Puhelin: ...": each theme in the
    reader's language and the words that gave it."""
    from kokemus.i18n import t
    reasons = {"correction": t("cr_reason_correction", lang), "learned": t("cr_reason_learned", lang)}
    out: dict[int, list[str]] = {}
    for row in tags.itertuples(index=False):
        triggers = [str(t) for t in (row.triggers if row.triggers is not None else [])]
        special = reasons.get(getattr(row, "taxonomy_version", None) or "")
        if special and not triggers:
            triggers = [special]   # a person set it, or the model learned from corrections
        name = theme_label(str(row.theme), lang)
        label = f"{name}: {', '.join(triggers)}" if triggers else name
        out.setdefault(int(row.response_id), [])
        if label not in out[int(row.response_id)]:
            out[int(row.response_id)].append(label)
    return {k: "; ".join(v) for k, v in out.items()}


# ------------------------------------------------------------------------------- cached

def _version() -> tuple[str, str]:
    return str(config.db_path()), db.data_version()


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_forms(lemmas: tuple[str, ...], path: str, version: str) -> list[str]:
    """Word forms of a search, looked up once per data version for the count, every page."""
    return word_forms(list(lemmas), path, default_lemmatiser())


def _forms(path: str, version: str) -> FormsLookup:
    return lambda lemmas: _cached_forms(tuple(lemmas), path, version)


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_count(f: Filters, c: CommentFilters, path: str, version: str) -> int:
    return count_comments(f, c, path, default_lemmatiser(), _forms(path, version))


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_page(f: Filters, c: CommentFilters, page: int, page_size: int, path: str,
                 version: str, lang: str = "fi") -> pd.DataFrame:
    rows = comments_page(f, c, page, page_size, path, default_lemmatiser(), _forms(path, version))
    tags = tags_by_response(comment_tags(rows["response_id"].tolist(), path), lang)
    rows["themes"] = [tags.get(int(i), "") for i in rows["response_id"]]
    return rows


@st.cache_data(show_spinner=False, max_entries=16)
def _cached_themes(path: str, version: str) -> list[str]:
    return theme_names(path)


def cached_count(f: Filters, c: CommentFilters) -> int:
    auth.require("view_comments")
    return _cached_count(auth.scoped(f), c, *_version())


def cached_page(f: Filters, c: CommentFilters, page: int, page_size: int = PAGE_SIZE,
                lang: str = "fi") -> pd.DataFrame:
    """A page of comments with a ``themes`` column: "Theme: trigger words" per tag.
    Reading patient text is audited (the filter and page, never the text)."""
    auth.require("view_comments")
    f = auth.scoped(f)
    rows = _cached_page(f, c, page, page_size, *_version(), lang)
    auth.record_view("comments", {"filters": f, "comment_filters": c, "page": page + 1}, rows=len(rows))
    return rows


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

    rows = export_rows(auth.scoped(f), c, limit, db_path, default_lemmatiser())
    out = pd.DataFrame({t(key, lang): rows[col] for col, key in EXPORT_COLUMNS})
    type_col, channel_col = t("cm_col_type", lang), t("cm_col_channel", lang)
    out[type_col] = [None if pd.isna(v) else t(f"flt_type_{v}", lang) for v in rows["feedback_type"]]
    out[channel_col] = [None if pd.isna(v) else t(f"flt_channel_{v}", lang) for v in rows["channel"]]
    themes_col = t("cm_col_themes", lang)
    out[themes_col] = [None if not isinstance(v, str) or not v else
                       ", ".join(theme_label(x.strip(), lang) for x in v.split(",")) for v in out[themes_col]]
    for col in (t("cm_col_date", lang), t("cm_col_month", lang)):
        out[col] = [None if pd.isna(v) else pd.Timestamp(v).date() for v in out[col]]
    return out


def export_file(f: Filters, c: CommentFilters, lang: str, fmt: str, sheet_name: str = "",
                who: tuple | None = None) -> bytes:
    """The download itself (xlsx or csv), built when the button is pressed and audited with
    its row count and format. Runs outside the script run (deferred download): the page
    passes filters already scoped and ``who`` (kokemus.auth.actor()) taken at drawing time."""
    from kokemus import export

    from kokemus.i18n import t

    table = export_table(f, c, lang)
    data = (export.to_xlsx_bytes(table, sheet_name=sheet_name or t("cm_title", lang), lang=lang,
                                 month_columns=[t("cm_col_month", lang)]) if fmt == "xlsx"
            else export.to_csv_bytes(table, lang=lang))
    auth.record("export", who=who, page="comments", rows=len(table), format=fmt,
                detail={"filters": f, "comment_filters": c})
    return data
