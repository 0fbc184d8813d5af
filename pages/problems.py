"""Recurring problems: themes of complaints and suggestions per unit and month.

Layout only: figures come from kokemus.problem_queries (rollups) and kokemus.recurring.
The heatmap is drawn as square markers rather than ``go.Heatmap`` because Streamlit's
plotly selection does not report clicks on heatmap traces (streamlit#8760), and a
clickable cell is the whole point of this page.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kokemus import action_charts, auth, cached_loop, charts, config, export, filters, recurring, suppression
from kokemus import plain
from kokemus import problem_queries as pq
from kokemus.db import WarehouseBusy
from kokemus.filters import Filters
from kokemus.i18n import t
from kokemus.queries import format_number

ALL_UNITS = "__all__"
HEATMAP_KEY = "pr_heatmap"
GOTO_KEY = "_pr_goto"
LIST_LIMIT = 15


def theme_label(theme: str, lang: str) -> str:
    """The catalogue's name for a theme (``theme_<key>``) when the tagger provides one."""
    label = t(f"theme_{theme}", lang)
    return theme if label == f"theme_{theme}" else label


def comments_query(f: Filters, theme: str, units: tuple[str, ...] | None = None,
                   month=None) -> dict[str, str | list[str]]:
    """Query string for the Comments page showing what lies behind a cell or list item."""
    target = dataclasses.replace(f, types=tuple(pq.problem_types(f)))
    if units:
        target = dataclasses.replace(target, units=tuple(units))
    if month is not None:
        target = dataclasses.replace(target, start=month, end=month, preset="custom")
    return {**target.to_query(), "theme": theme}


def _grid(counts: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Theme x month counts of one unit (or all), small counts hidden."""
    df = counts if unit == ALL_UNITS else counts[counts["unit"] == unit]
    grid = df.groupby(["theme", "month"], as_index=False)["responses"].sum()
    # Themes overlap (one comment, several themes), so no shown total can give a hidden
    # cell away: primary suppression is enough here.
    grid["shown"] = grid["responses"].astype(float)
    return suppression.suppress(grid, n_col="responses", value_cols=["shown"], secondary=False)


def _figure(grid: pd.DataFrame, months: list, lang: str) -> go.Figure:
    # Most mentioned theme on top (plotly draws the first category at the bottom).
    themes = grid.groupby("theme")["responses"].sum().sort_values(kind="stable").index.tolist()
    labels = {th: theme_label(th, lang) for th in themes}
    cells = grid[grid["responses"] > 0]
    x = [charts.month_label(m, lang) for m in cells["month"]]
    y = [labels[th] for th in cells["theme"]]
    text = ["" if pd.isna(v) else f"{int(v)}" for v in cells["shown"]]
    colour = cells["shown"].fillna(0).tolist()
    hover = [t("pr_hover", lang, theme=labels[th], month=charts.month_label(m, lang),
               count=txt or t("pr_suppressed", lang, min_n=config.min_n()))
             for th, m, txt in zip(cells["theme"], cells["month"], text)]
    row_px = 40  # squares must fit their row, or neighbouring themes overlap
    size = max(14, min(row_px - 6, int(900 / max(len(months), 1))))
    fig = go.Figure(go.Scatter(
        x=x, y=y, mode="markers+text", text=text, textfont={"color": "#000000", "size": 12},
        customdata=[[th, m.isoformat()] for th, m in zip(cells["theme"], cells["month"])],
        hovertext=hover, hoverinfo="text",
        marker={"symbol": "square", "size": size, "color": colour,
                "colorscale": [[0, "#f2f2f2"], [1, "#e46c0a"]], "cmin": 0,
                "line": {"color": "#595959", "width": 1},
                "colorbar": {"title": {"text": t("pr_count", lang)}}},
    ))
    fig.update_layout(
        height=max(260, row_px * len(themes) + 160), margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": t("pr_axis_month", lang), "type": "category",
               "categoryorder": "array", "categoryarray": [charts.month_label(m, lang) for m in months]},
        yaxis={"title": t("pr_axis_theme", lang), "type": "category",
               "categoryorder": "array", "categoryarray": [labels[th] for th in themes]},
        clickmode="event+select", dragmode=False, plot_bgcolor="#ffffff",
        separators=charts.separators(lang),
    )
    return fig


def _remember_click(f: Filters, unit: str) -> None:
    """on_select callback: runs before the script, so the next run can switch pages."""
    state = st.session_state.get(HEATMAP_KEY)
    points = (state or {}).get("selection", {}).get("points", []) if state else []
    for point in points:
        data = point.get("customdata")
        if data:
            theme, month = data[0], filters.parse_month(data[1])
            units = (unit,) if unit != ALL_UNITS else None
            st.session_state[GOTO_KEY] = comments_query(f, theme, units, month)
            return


def _heatmap(f: Filters, counts: pd.DataFrame, lang: str) -> None:
    st.header(t("pr_heatmap_heading", lang))
    units = sorted(counts["unit"].unique())
    unit = st.selectbox(t("pr_unit_select", lang), [ALL_UNITS, *units], key="pr_unit",
                        format_func=lambda u: t("pr_all_units", lang) if u == ALL_UNITS else u)
    grid = _grid(counts, unit)
    min_n = config.min_n()
    st.markdown(t("pr_heatmap_hint", lang, min_n=min_n))
    with st.container(key="pr_heatmap_box"):  # scrolls sideways on a phone (kokemus.style)
        st.plotly_chart(_figure(grid, pq.period_months(f), lang), key=HEATMAP_KEY,
                        on_select=lambda: _remember_click(f, unit), selection_mode="points",
                        config={"displayModeBar": False}, alt=t("pr_heatmap_alt", lang, min_n=min_n))
    with st.expander(t("pr_table_heading", lang)):
        table = grid.pivot_table(index="theme", columns="month", values="shown", aggfunc="first")
        table.index = [theme_label(th, lang) for th in table.index]
        table.columns = [charts.month_label(m, lang) for m in table.columns]
        st.dataframe(table, width="stretch")
        out = grid[["theme", "month", "responses"]].assign(
            theme=grid["theme"].map(lambda th: theme_label(th, lang))).rename(columns={
            "theme": t("pr_axis_theme", lang), "month": t("pr_axis_month", lang),
            "responses": t("pr_count", lang)})
        who = auth.actor()
        st.download_button(t("pr_export_heatmap", lang),
                           data=lambda: _audited(export.to_xlsx_bytes(
                               out, count_columns=[t("pr_count", lang)], lang=lang,
                               month_columns=[t("pr_axis_month", lang)], sheet_name=t("pr_title", lang)),
                               len(out), who),
                           file_name="aiheet.xlsx", key="pr_export", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _mentions_text(n: int, lang: str) -> str:
    """'61 mainintaa': the count says what it counts, small counts stay hidden."""
    min_n = config.min_n()
    if 0 < n < min_n:
        return t("pr_mentions_few", lang, min_n=min_n)
    return t("pr_mentions_one", lang) if n == 1 else t("pr_mentions", lang, n=format_number(n, lang=lang))


def _recurring(f: Filters, lang: str) -> None:
    window, min_months = recurring.WINDOW_MONTHS, recurring.MIN_MONTHS_PRESENT
    st.header(t("pr_recurring_heading", lang, min_months=min_months, window=window))
    found = pq.cached_recurring(f)
    if found.empty:
        st.info(t("pr_recurring_empty", lang, window=window))
        return
    for row in found.head(LIST_LIMIT).itertuples(index=False):
        label = t("pr_recurring_item", lang, unit=row.unit, theme=theme_label(row.theme, lang),
                  months=row.months_present, window=window, count=_mentions_text(int(row.responses), lang))
        window_filters = dataclasses.replace(f, start=recurring.window_start(f.end), preset="custom")
        _comments_link(label, ":material/repeat:", comments_query(window_filters, row.theme, (row.unit,)))


def _comments_link(label: str, icon: str, query: dict) -> None:
    """A link to the comments behind a finding - plain text for a role without comments."""
    if auth.may_open("comments"):
        st.page_link(filters.page_file("comments"), label=plain.md(label), icon=icon, query_params=query)
    else:
        st.text(label)


def _rising(f: Filters, lang: str) -> None:
    st.header(t("pr_rising_heading", lang))
    found = pq.cached_rising(f)
    if found.empty:
        st.info(t("pr_rising_empty", lang))
        return
    min_n = config.min_n()
    for row in found.head(LIST_LIMIT).itertuples(index=False):
        small = 0 < row.latest_n < min_n
        share = (t("pr_rising_share_few", lang, min_n=min_n) if small else
                 t("pr_rising_share", lang, share=f"{row.latest_share * 100:.0f} %",
                   n=format_number(int(row.latest_n), lang=lang)))
        label = t("pr_rising_item", lang, unit=row.unit, theme=theme_label(row.theme, lang), share=share,
                  centre=f"{row.centre * 100:.0f} %")
        if row.trial:
            label += " " + t("pr_trial_note", lang)
        _comments_link(label, ":material/trending_up:", comments_query(f, row.theme, (row.unit,), f.end))


def _theme_trend(f: Filters, counts: pd.DataFrame, lang: str) -> None:
    """The chosen theme's monthly share of comments with the improvement actions that
    addressed it marked (kokemus.actions)."""
    st.subheader(t("ac_theme_trend_heading", lang))
    themes = counts.groupby("theme")["responses"].sum().sort_values(ascending=False).index.tolist()
    left, right = st.columns(2)
    theme = left.selectbox(t("ac_theme_pick", lang), themes, key="pr_trend_theme",
                           format_func=lambda th: theme_label(th, lang))
    units = sorted(counts["unit"].unique())
    unit = right.selectbox(t("pr_unit_select", lang), [ALL_UNITS, *units], key="pr_trend_unit",
                           format_func=lambda u: t("pr_all_units", lang) if u == ALL_UNITS else u)
    chosen = units if unit == ALL_UNITS else [unit]
    markers = cached_loop.action_markers(() if unit == ALL_UNITS else (unit,), lang, theme)
    # 24 months, or back to half a year before the earliest action on the theme
    first = min([filters.add_months(f.end, -23), f.start]
                + [filters.add_months(filters.month_start(m["x"]), -6) for m in markers])
    monthly = cached_loop.theme_share(chosen, theme, first, f.end)
    st.plotly_chart(action_charts.theme_share_chart(
        monthly, lang, title=t("ac_chart_title", lang, theme=theme_label(theme, lang)), markers=markers,
        min_n=config.min_n()), width="stretch", key="pr_theme_trend")


def _emerging(f: Filters, lang: str) -> None:
    """Words whose share rose most, of one language only: the page's own when its comments
    have any, otherwise the one the manager picks."""
    st.header(t("pr_emerging_heading", lang))
    month = charts.month_label(f.end, lang)
    st.markdown(t("pr_emerging_caption", lang, month=month))
    found = pq.cached_emerging(f)
    languages = found.get("languages") or {}
    if not languages:
        st.info(t("pr_emerging_empty", lang))
        return
    options = list(languages)
    default = lang if lang in languages else options[0]
    if lang not in languages:
        st.caption(t("pr_emerging_other_language", lang))
    chosen = default
    if len(options) > 1 or lang not in languages:
        chosen = st.selectbox(
            t("pr_emerging_language", lang), options, index=options.index(default), key="pr_emerging_lang",
            format_func=lambda x: t("pr_emerging_language_n", lang, language=t(f"flt_lang_{x}", lang),
                                    n=format_number(languages[x], 0, lang)))
    words = found["words"].get(chosen) or []
    if not words:
        st.info(t("pr_emerging_empty", lang))
        return
    st.dataframe(emerging_table(words, lang), hide_index=True, width="stretch")
    st.caption(t("pr_emerging_explain", lang, month=month, min_count=pq.EMERGING_MIN_COUNT))


def emerging_table(words: list[dict], lang: str) -> pd.DataFrame:
    """The emerging words under named columns, every figure in words the manager reads."""
    def count(hits: int, n: int, share: float) -> str:
        return t("pr_emerging_count", lang, hits=format_number(hits, 0, lang), n=format_number(n, 0, lang),
                 share=format_number(share * 100, 1, lang, suffix=" %"))

    def rise(ratio) -> str:
        if ratio is None:
            return t("pr_emerging_new", lang)
        return t("pr_emerging_times", lang, ratio=format_number(ratio, 1, lang))

    return pd.DataFrame({
        t("pr_emerging_col_word", lang): [w["word"] for w in words],
        t("pr_emerging_col_now", lang): [count(w["hits"], w["n"], w["share"]) for w in words],
        t("pr_emerging_col_before", lang): [count(w["base_hits"], w["base_n"], w["base_share"]) for w in words],
        t("pr_emerging_col_rise", lang): [rise(w["ratio"]) for w in words],
    })


def render(f: Filters, lang: str) -> None:
    st.title(t("pr_title", lang))
    st.markdown(t("pr_caption", lang))
    try:
        if not pq.cached_has_tags():
            st.info(t("pr_no_tags", lang))
            return
        if not pq.problem_types(f):
            st.info(t("pr_no_types", lang))
            return
        counts = pq.cached_theme_counts(f)
        pq.cached_type_totals(f)   # the rising list's denominators, read inside the busy guard
    except WarehouseBusy:
        st.warning(t("warehouse_busy", lang))
        return
    if f.channels or f.languages:
        st.markdown(t("pr_filters_note", lang))
    if counts.empty:
        st.info(t("pr_empty_period", lang))
        return
    _heatmap(f, counts, lang)
    left, right = st.columns(2)
    with left:
        _recurring(f, lang)
    with right:
        _rising(f, lang)
    _theme_trend(f, counts, lang)
    try:
        _emerging(f, lang)
    except WarehouseBusy:
        st.warning(t("warehouse_busy", lang))


def _audited(data: bytes, rows: int, who: tuple) -> bytes:
    auth.record("export", who=who, page="problems", rows=rows, format="xlsx", detail={"what": "heatmap"})
    return data


def main() -> None:
    lang = st.session_state.get("lang", "fi")
    auth.require_page("problems")
    goto = st.session_state.pop(GOTO_KEY, None)
    if goto and auth.may_open("comments"):
        st.switch_page(filters.page_file("comments"), query_params=goto)
    f = filters.sidebar(lang)
    render(f, lang)


main()
