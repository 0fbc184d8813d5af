"""Comments: what patients wrote, searchable, filterable, paged and downloadable.

Layout only; the warehouse is read through kokemus.comment_queries. Patient text is
always shown as plain text (st.dataframe cells and st.text), never through Markdown or
HTML, so "**bold**" or "<script>" in a comment is shown exactly as written.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from etl.store.corrections import CorrectionError
from kokemus import auth, charts, comment_queries as cq, export, filters, tag_corrections
from kokemus.db import WarehouseBusy
from kokemus.filters import Filters
from kokemus.i18n import t
from kokemus.queries import format_number

# Page-specific query-string keys; the shared filters own the rest of the URL.
THEME_PARAM, SEARCH_PARAM, SCORE_PARAM = "theme", "q", "score"
WRITTEN_KEY = "_cm_query_written"
SCORE_FULL = (1.0, 5.0)
SCORE_STEPS = [1.0 + 0.5 * i for i in range(9)]


def _score_from_url(text: str) -> tuple[float, float]:
    """"2-4" -> (2.0, 4.0); anything unreadable -> the full range."""
    try:
        lo, hi = (float(x) for x in text.split("-", 1))
    except ValueError:
        return SCORE_FULL
    if lo in SCORE_STEPS and hi in SCORE_STEPS and lo <= hi:
        return lo, hi
    return SCORE_FULL


def _score_to_url(score: tuple[float, float]) -> str:
    return "" if tuple(score) == SCORE_FULL else f"{score[0]:g}-{score[1]:g}"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _seed_from_url() -> None:
    """A link (e.g. a heatmap click) sets the theme and search; otherwise widgets keep
    what the user chose. Only a query string we did not write ourselves counts as a link."""
    url = (st.query_params.get(THEME_PARAM, ""), st.query_params.get(SEARCH_PARAM, ""),
           st.query_params.get(SCORE_PARAM, ""))
    if url != st.session_state.get(WRITTEN_KEY) or "cm_theme" not in st.session_state:
        st.session_state["cm_theme"] = url[0]
        st.session_state["cm_text"] = url[1]
        st.session_state["cm_score"] = _score_from_url(url[2])


def _write_url(theme: str, text: str, score: tuple[float, float]) -> None:
    """Every setting of the page goes into the link, so a shared link shows the same."""
    for key, value in ((THEME_PARAM, theme), (SEARCH_PARAM, text), (SCORE_PARAM, _score_to_url(score))):
        if value:
            if st.query_params.get(key) != value:
                st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[WRITTEN_KEY] = (theme, text, _score_to_url(score))


def page_filters(lang: str, themes: list[str]) -> cq.CommentFilters:
    _seed_from_url()
    if st.session_state["cm_theme"] and st.session_state["cm_theme"] not in themes:
        themes = [*themes, st.session_state["cm_theme"]]
    search_col, theme_col, score_col = st.columns([3, 2, 2])
    text = search_col.text_input(t("cm_search", lang), key="cm_text", help=t("cm_search_help", lang))
    theme = theme_col.selectbox(t("cm_theme", lang), ["", *themes], key="cm_theme",
                                format_func=lambda th: t("cm_theme_all", lang) if not th else _theme_label(th, lang))
    if not isinstance(st.session_state.get("cm_score"), (tuple, list)):
        st.session_state["cm_score"] = SCORE_FULL
    # select_slider, not slider: a slider's handles are printf-formatted ("1.0"); these are
    # written as the user writes numbers ("1", "1,5").
    lo, hi = score_col.select_slider(
        t("cm_score", lang), options=SCORE_STEPS, key="cm_score", help=t("cm_score_help", lang),
        format_func=lambda v: format_number(v, 0 if float(v).is_integer() else 1, lang))
    _write_url(theme, text, (lo, hi))
    return cq.CommentFilters(theme=theme or None, text=text.strip(),
                             score_min=lo if lo > SCORE_FULL[0] else None,
                             score_max=hi if hi < SCORE_FULL[1] else None)


def _theme_label(theme: str, lang: str) -> str:
    label = t(f"theme_{theme}", lang)
    return theme if label == f"theme_{theme}" else label


def _page_number(total: int, selection_key: tuple, lang: str) -> int:
    """0-based page; back to the first page whenever the selection changes."""
    pages = max(1, math.ceil(total / cq.PAGE_SIZE))
    if st.session_state.get("_cm_selection") != selection_key:
        st.session_state["_cm_selection"] = selection_key
        st.session_state["cm_page"] = 1
    st.session_state["cm_page"] = min(max(1, st.session_state.get("cm_page", 1)), pages)
    if pages > 1:
        st.number_input(t("cm_page", lang), min_value=1, max_value=pages, step=1, key="cm_page")
    st.markdown(t("cm_page_of", lang, page=st.session_state["cm_page"], pages=pages))
    return int(st.session_state["cm_page"]) - 1


def _date_text(d, month) -> str:
    """14.3.2025; a row known only by its month shows the month (maaliskuu 2025)."""
    if not pd.isna(d):
        ts = pd.Timestamp(d)
        return f"{ts.day}.{ts.month}.{ts.year}"
    return "" if pd.isna(month) else charts.month_label(month, st.session_state.get("lang", "fi"))


def _table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Everything as the reader says it: no None, no internal keys, Finnish numbers."""
    return pd.DataFrame({
        t("cm_col_date", lang): [_date_text(d, m) for d, m in zip(rows["submitted_on"], rows["month"])],
        t("cm_col_unit", lang): rows["unit"].astype(str),
        t("cm_col_type", lang): ["" if pd.isna(v) else t(f"flt_type_{v}", lang) for v in rows["feedback_type"]],
        t("cm_col_score", lang): ["" if pd.isna(v) else format_number(v, 1, lang) for v in rows["score_5"]],
        t("cm_col_comment", lang): rows["comment"],
        t("cm_col_themes", lang): rows["themes"],
    })


def _cards(table: pd.DataFrame, lang: str) -> None:
    """The same page of comments as cards, shown instead of the table on a phone
    (kokemus.style). Plain text only: a comment is never Markdown or HTML."""
    comment, themes = t("cm_col_comment", lang), t("cm_col_themes", lang)
    meta_cols = [t("cm_col_date", lang), t("cm_col_unit", lang), t("cm_col_type", lang)]
    score = t("cm_col_score", lang)
    with st.container(key="cm_cards"):
        for row in table.to_dict("records"):
            with st.container(border=True):
                meta = [str(row[c]) for c in meta_cols if row[c]]
                if row[score]:
                    meta.append(f"{score} {row[score]}")
                st.text(" · ".join(meta))
                st.text(str(row[comment]))
                if row[themes]:
                    st.text(f"{themes}: {row[themes]}")


def _comments(f: Filters, c: cq.CommentFilters, lang: str) -> None:
    total = cq.cached_count(f, c)
    st.header(t("cm_count", lang, n=format_number(total, 0, lang)))
    if total == 0:
        st.info(t("cm_none", lang))
        return
    page = _page_number(total, (f, c), lang)
    rows = cq.cached_page(f, c, page, lang=lang)
    table = _table(rows, lang)
    _cards(table, lang)
    with st.container(key="cm_table_box"):
        event = st.dataframe(
            table, hide_index=True, width="stretch", key="cm_table", on_select="rerun",
            selection_mode="single-row",
            column_config={
                t("cm_col_comment", lang): st.column_config.TextColumn(width="large"),
                t("cm_col_themes", lang): st.column_config.TextColumn(width="medium"),
            })
    chosen = event.selection.rows if event is not None else []
    st.header(t("cm_detail_heading", lang))
    linked = _linked_comment(rows)
    if chosen or linked is not None:
        row = rows.iloc[chosen[0]] if chosen else linked
        st.text(str(row["comment"]))
        if row["themes"]:
            st.text(f"{t('cm_col_themes', lang)}: {row['themes']}")
        if tag_corrections.may_correct():
            _correction_form(int(row["response_id"]), lang)
    else:
        st.markdown(t("cm_detail_hint", lang))
    _downloads(f, c, lang)


TYPES = ("praise", "complaint", "suggestion", "question")
COMMENT_PARAM = "comment"


def _linked_comment(rows: pd.DataFrame):
    """A link with ?comment=<response id> opens that comment's details (when it is on the
    current page of the selection)."""
    raw = st.query_params.get(COMMENT_PARAM, "")
    if not raw.isdigit():
        return None
    hit = rows[rows["response_id"] == int(raw)]
    return hit.iloc[0] if len(hit) else None


def _correction_form(response_id: int, lang: str) -> None:
    """A person corrects the comment's themes and type; saved at once (the data version
    changes, so the table and charts show it on the rerun)."""
    ftype, themes, history = tag_corrections.current(response_id)
    keys = tag_corrections.theme_keys()
    done = st.session_state.pop("_cr_done", None)
    if done:
        st.success(done)
    with st.form(f"cr_form_{response_id}"):
        st.markdown(f"**{t('cr_heading', lang)}**")
        st.caption(t("cr_help", lang))
        chosen = st.multiselect(t("cr_themes", lang), keys, default=[k for k in themes if k in keys],
                                format_func=lambda k: _theme_label(k, lang), key=f"cr_themes_{response_id}")
        options = ["", *TYPES]
        new_type = st.selectbox(t("cr_type", lang), options, index=options.index(ftype) if ftype in TYPES else 0,
                                format_func=lambda v: t(f"flt_type_{v}", lang) if v else t("cr_type_none", lang),
                                key=f"cr_type_{response_id}")
        saved = st.form_submit_button(t("cr_save", lang), icon=":material/edit:")
    if saved:
        if sorted(chosen) == sorted(themes) and (new_type or None) == ftype:
            st.info(t("cr_unchanged", lang))
        else:
            try:
                c = tag_corrections.save(response_id, chosen, new_type or None)
            except CorrectionError as exc:
                st.error(t("cr_error", lang, reason=exc.fi if lang == "fi" else exc.en))
            else:
                st.session_state["_cr_done"] = t("cr_saved", lang, who=c.corrected_by)
                st.rerun()
    if len(history):
        with st.expander(t("cr_history", lang)):
            for h in history.itertuples(index=False):
                st.text(t("cr_history_row", lang, when=pd.Timestamp(h.corrected_at).strftime("%-d.%-m.%Y %H.%M"),
                          who=h.corrected_by,
                          before=", ".join(_theme_label(x, lang) for x in h.themes_before) or "–",
                          after=", ".join(_theme_label(x, lang) for x in h.themes_after) or "–"))


def _downloads(f: Filters, c: cq.CommentFilters, lang: str) -> None:
    """Files are built only when a button is pressed (deferred data), not on every rerun."""
    if not auth.may("export"):
        return
    f, who = auth.scoped(f), auth.actor()
    xlsx_col, csv_col = st.columns(2)
    xlsx_col.download_button(
        t("cm_export_xlsx", lang), data=lambda: cq.export_file(f, c, lang, "xlsx", t("cm_title", lang), who),
        file_name="kommentit.xlsx", mime=XLSX_MIME, key="cm_xlsx", on_click="ignore",
        icon=":material/download:")
    csv_col.download_button(
        t("cm_export_csv", lang), data=lambda: cq.export_file(f, c, lang, "csv", who=who),
        file_name="kommentit.csv", mime="text/csv", key="cm_csv", on_click="ignore",
        icon=":material/download:")
    st.markdown(t("cm_export_cap", lang, max=format_number(cq.EXPORT_MAX_ROWS, 0, lang)))


def render(f: Filters, lang: str) -> None:
    st.title(t("cm_title", lang))
    st.markdown(t("cm_caption", lang))
    try:
        themes = cq.cached_themes()
        c = page_filters(lang, themes)
        if c.theme:
            st.markdown(t("cm_from_heatmap", lang, theme=_theme_label(c.theme, lang)))
        _comments(f, c, lang)
    except cq.SearchStopped as stopped:  # too many words, too long, or too slow: say so
        st.warning(t(stopped.key, lang, **stopped.params))
    except WarehouseBusy:
        st.warning(t("warehouse_busy", lang))


def main() -> None:
    lang = st.session_state.get("lang", "fi")
    auth.require_page("comments")
    f = filters.sidebar(lang)
    render(f, lang)


main()
