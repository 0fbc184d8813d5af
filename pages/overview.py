"""Overview for executives: the headline measures at a glance, units side by side, the
problems that keep coming back and a few words of praise to pass on to staff.

Layout only: figures come from kokemus.cached, words from the message catalogue. Patient
comments are shown with st.text / st.dataframe, never as Markdown or HTML.
"""
from __future__ import annotations

import streamlit as st

from kokemus import cached, cached_loop, charts, config, filters, queries
from kokemus.i18n import catalogue, t

lang = st.session_state.get("lang", "fi")
f = filters.sidebar(lang)
min_n = config.min_n()

st.title(t("ov_title", lang))
if cached.filter_options().last_month is None:
    st.info(t("warehouse_empty", lang))
    st.stop()
st.caption(t("ov_caption", lang, start=filters.month_key(f.start), end=filters.month_key(f.end)))


def icon_text(tile: queries.KpiTile) -> str:
    parts = [t(f"mdc_{tile.variation}", lang) if tile.variation else t("mdc_none", lang)]
    if tile.assurance:
        parts.append(t(f"mdc_{tile.assurance}", lang))
    if tile.trial:
        parts.append(t("mdc_trial", lang))
    return " · ".join(parts)


def change_text(tile: queries.KpiTile, delta: float | None, key: str) -> str:
    if delta is None:
        return t(key, lang, delta=t("kpi_no_comparison", lang))
    return t(key, lang, delta=queries.format_kpi(tile.name, delta, lang, signed=True))


# ------------------------------------------------------------------------ KPI tiles
tiles = cached.kpi_tiles(f)
columns = st.columns(3) + st.columns(3)
for column, tile in zip(columns, tiles):
    spec = queries.KPIS[tile.name]
    with column.container(border=True):
        delta = None if tile.vs_previous is None else queries.format_kpi(
            tile.name, tile.vs_previous, lang, signed=True)
        st.metric(t(f"kpi_{tile.name}", lang), queries.format_kpi(tile.name, tile.value, lang),
                  delta=delta, delta_color="off" if spec.direction == "neutral" else "normal",
                  help=change_text(tile, tile.vs_previous, "kpi_vs_previous"))
        if tile.suppressed:
            st.text(t("kpi_suppressed", lang, min_n=min_n))
        else:
            details = [t("kpi_n", lang, n=queries.format_number(tile.n, 0, lang))]
            if tile.lo is not None and tile.hi is not None:
                details.append(t("kpi_interval", lang, lo=queries.format_kpi(tile.name, tile.lo, lang),
                                 hi=queries.format_kpi(tile.name, tile.hi, lang)))
            st.text(" · ".join(details))
        st.text(change_text(tile, tile.vs_year_ago, "kpi_vs_year_ago"))
        st.text(icon_text(tile))
        if tile.target is not None:
            st.text(t("kpi_target", lang, target=queries.format_kpi(tile.name, tile.target, lang)))

# ------------------------------------------------------------------------ reply promise
promise = cached_loop.promise_summary(f)
with st.container(border=True, key="ov_reply_promise"):
    if promise.suppressed or promise.value is None:
        st.text(t("rp_kpi_suppressed", lang, min_n=min_n, open=promise.open, overdue=promise.overdue))
    else:
        st.text(t("rp_kpi_caption", lang, value=queries.format_number(promise.value, 1, lang, suffix=" %"),
                  n=queries.format_number(promise.n, 0, lang),
                  interval=", " + t("kpi_interval", lang, lo=queries.format_number(promise.lo, 1, lang, suffix=" %"),
                                    hi=queries.format_number(promise.hi, 1, lang, suffix=" %")),
                  open=promise.open, overdue=promise.overdue,
                  icon=t(f"mdc_{promise.variation}", lang) if promise.variation else t("mdc_none", lang)))
    if filters.page_exists("replies"):
        st.page_link(filters.page_file("replies"), label=t("rp_open_worklist", lang), icon=":material/reply:")

# ------------------------------------------------------------------------ units
st.subheader(t("ov_units_heading", lang))
rank_options = list(queries.RATE_KPIS) + ["responses"]
kpi = st.selectbox(t("ov_rank_by", lang), rank_options, key="ov_rank_kpi",
                   format_func=lambda k: t(f"kpi_{k}", lang))
ranking = cached.unit_ranking(f, kpi)
if ranking.empty:
    st.info(t("ov_no_units", lang))
else:
    def interval(row) -> str:
        if row["suppressed"] or row["lo"] is None or row["hi"] != row["hi"] or row["lo"] != row["lo"]:
            return ""
        return f"{queries.format_kpi(kpi, row['lo'], lang)} – {queries.format_kpi(kpi, row['hi'], lang)}"

    table = ranking.assign(
        value=ranking["value"].round(queries.KPI_DECIMALS[kpi]),
        interval=ranking.apply(interval, axis=1),
        variation=ranking["variation"].map(lambda v: t(f"mdc_{v}", lang) if v else t("mdc_none", lang)),
        assurance=ranking["assurance"].map(lambda v: t(f"mdc_{v}", lang) if v else ""),
    )
    st.dataframe(
        table[["unit", "service_area", "n", "value", "interval", "trend", "variation", "assurance"]],
        hide_index=True, width="stretch", key="ov_units_table",
        column_config={
            "unit": st.column_config.TextColumn(t("ov_col_unit", lang)),
            "service_area": st.column_config.TextColumn(t("ov_col_area", lang)),
            "n": st.column_config.NumberColumn(t("ov_col_n", lang), format="%d"),
            "value": st.column_config.NumberColumn(t(f"kpi_{kpi}", lang)),
            "interval": st.column_config.TextColumn(t("ov_col_interval", lang)),
            "trend": st.column_config.LineChartColumn(t("ov_col_trend", lang)),
            "variation": st.column_config.TextColumn(t("ov_col_variation", lang)),
            "assurance": st.column_config.TextColumn(t("ov_col_assurance", lang)),
        },
    )

left, right = st.columns(2)

# ------------------------------------------------------------------------ problems
with left:
    st.subheader(t("ov_problems_heading", lang))
    problems = cached.top_problems(f)
    if problems.empty:
        st.info(t("ov_problems_empty", lang))
    else:
        names = catalogue()
        shown = problems.assign(
            theme=problems["theme"].map(lambda th: t(f"theme_{th}", lang) if f"theme_{th}" in names else th),
            responses=problems["responses"].where(problems["responses"] >= min_n),
        )
        st.dataframe(shown[["theme", "responses", "months_present"]], hide_index=True, width="stretch",
                     column_config={
                         "theme": st.column_config.TextColumn(t("ov_col_theme", lang)),
                         "responses": st.column_config.NumberColumn(t("ov_col_mentions", lang), format="%d"),
                         "months_present": st.column_config.NumberColumn(t("ov_col_months", lang), format="%d"),
                     })

# ------------------------------------------------------------------------ praise
with right:
    st.subheader(t("ov_praise_heading", lang))
    praise = cached.recent_praise(f)
    if praise.empty:
        st.info(t("ov_praise_empty", lang))
    for row in praise.itertuples(index=False):
        with st.container(border=True):
            st.text(row.comment)  # plain text: a comment is never Markdown or HTML
            st.text("— " + t("ov_praise_source", lang, unit=row.unit,
                             month=filters.month_key(row.month)))

# ------------------------------------------------------------------------ trend
st.subheader(t("ov_trend_heading", lang))
trend_kpi = st.selectbox(t("ov_trend_measure", lang), list(queries.KPIS), key="ov_trend_kpi",
                         format_func=lambda k: t(f"kpi_{k}", lang))
table, org = cached.spc(f, trend_kpi, queries.spc.RUN_LENGTH, queries.spc.TREND_LENGTH)
suffix = "%" if trend_kpi in queries.PERCENT_KPIS else ""
st.plotly_chart(charts.trend_chart(table, lang, x="x", y="value", n="n",
                                   y_title=t(f"kpi_{trend_kpi}", lang), y_suffix=suffix,
                                   y_format=f".{queries.KPI_DECIMALS[trend_kpi]}f"),
                width="stretch", key="ov_trend_chart")
if filters.page_exists("trends"):
    st.page_link(filters.page_file("trends"), label=t("ov_open_trends", lang),
                 query_params=f.to_query())
