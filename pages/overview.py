"""Overview for executives: the headline measures at a glance, units side by side, the
problems that keep coming back and a few words of praise to pass on to staff.

Layout only: figures come from kokemus.cached, words from the message catalogue. Patient
comments are shown with st.text / st.dataframe, never as Markdown or HTML.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from kokemus import auth, cached, cached_loop, charts, config, filters, queries
from kokemus.i18n import catalogue, t

lang = st.session_state.get("lang", "fi")
auth.require_page("overview")
f = filters.sidebar(lang)
min_n = config.min_n()

st.title(t("ov_title", lang))
if cached.filter_options().last_month is None:
    st.info(t("warehouse_empty", lang))
    st.stop()
st.caption(t("ov_caption", lang, start=charts.month_label(f.start, lang), end=charts.month_label(f.end, lang)))


def icon_text(tile: queries.KpiTile) -> str:
    parts = [t(f"mdc_{tile.variation}", lang) if tile.variation else t("mdc_none", lang)]
    if tile.assurance:
        target = queries.format_kpi(tile.name, tile.target, lang) if tile.target is not None else ""
        parts.append(f"{t(f'mdc_{tile.assurance}', lang)} ({t('kpi_target_state', lang, target=target)})")
    elif tile.target is not None:
        parts.append(t("kpi_target", lang, target=queries.format_kpi(tile.name, tile.target, lang)))
    if tile.trial:
        parts.append(t("mdc_trial", lang))
    return " · ".join(parts)


def signed(tile: queries.KpiTile, delta: float | None) -> str:
    return t("kpi_no_comparison", lang) if delta is None else queries.format_kpi(
        tile.name, delta, lang, signed=True)


def change_badge(tile: queries.KpiTile) -> tuple[str | None, str]:
    """One change per tile, labelled: against a year ago (no season in it) when there is
    one, else against the previous period. With a 12-month view the two are the same
    months, which is why a tile must not show both."""
    if tile.vs_year_ago is not None:
        delta, key = tile.vs_year_ago, "kpi_change_year_ago"
    elif tile.vs_previous is not None:
        delta, key = tile.vs_previous, "kpi_change_previous"
    else:
        return None, ""
    return t(key, lang, delta=signed(tile, delta)), t(
        "kpi_change_help", lang, year=signed(tile, tile.vs_year_ago), previous=signed(tile, tile.vs_previous))


# ------------------------------------------------------------------------ KPI tiles
tiles = cached.kpi_tiles(f)
with st.container(key="ov_tiles"):  # CSS: three per row on a desktop, two on a phone
    columns = st.columns(len(tiles))
for column, tile in zip(columns, tiles):
    spec = queries.KPIS[tile.name]
    with column.container(border=True):
        badge, help_text = change_badge(tile)
        st.metric(t(f"kpi_{tile.name}", lang), queries.format_kpi(tile.name, tile.value, lang),
                  delta=badge, delta_color="off" if spec.direction == "neutral" else "normal",
                  help=help_text or None)
        if tile.suppressed:
            st.text(t("kpi_suppressed", lang, min_n=min_n))
        elif not spec.is_count:
            details = [t("kpi_base", lang, n=queries.format_number(tile.n, 0, lang))]
            if tile.lo is not None and tile.hi is not None:
                details.append(t("kpi_interval_short", lang,
                                 lo=queries.format_number(tile.lo, queries.KPI_DECIMALS[tile.name], lang),
                                 hi=queries.format_kpi(tile.name, tile.hi, lang)))
            st.text(" · ".join(details))
        st.text(icon_text(tile))

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
st.header(t("ov_units_heading", lang))
rank_options = list(queries.RATE_KPIS) + ["responses"]
kpi = st.selectbox(t("ov_rank_by", lang), rank_options, key="ov_rank_kpi",
                   format_func=lambda k: t(f"kpi_{k}", lang))
ranking = cached.unit_ranking(f, kpi)
if ranking.empty:
    st.info(t("ov_no_units", lang))
else:
    def shown(value) -> str:
        return "" if value is None or pd.isna(value) else queries.format_kpi(kpi, value, lang)

    def interval(row) -> str:
        if row["suppressed"] or pd.isna(row["lo"]) or pd.isna(row["hi"]):
            return ""
        return (f"{queries.format_number(row['lo'], queries.KPI_DECIMALS[kpi], lang)}–"
                f"{queries.format_kpi(kpi, row['hi'], lang)}")

    # Sparkline points in whole units where the measure allows (percentages, NPS, counts):
    # the grid gives a screen reader the points joined as its browser writes numbers
    # ("98.85,100"), which no setting turns Finnish; whole numbers carry no decimal point.
    trend_decimals = 0 if queries.KPI_DECIMALS[kpi] <= 1 else queries.KPI_DECIMALS[kpi]

    def trend(values) -> list[float]:
        """Sparkline points: only numbers (a gap month is left out rather than drawn as
        text or zero), so the cell always draws a line."""
        return [round(float(v), trend_decimals) for v in (values if isinstance(values, (list, tuple)) else [])
                if v is not None and not pd.isna(v)]

    def icons(row) -> str:
        parts = [t(f"mdc_{row['variation']}", lang) if isinstance(row["variation"], str) else t("mdc_none", lang)]
        if isinstance(row["assurance"], str) and row["assurance"]:
            parts.append(t(f"mdc_{row['assurance']}", lang))
        return " · ".join(parts)

    table = pd.DataFrame({
        "unit": ranking["unit"].astype(str),
        "service_area": [a if isinstance(a, str) and a else t("ov_area_unplaced", lang)
                         for a in ranking["service_area"]],
        "n": [queries.format_number(n, 0, lang) for n in ranking["n"]],
        "value": [shown(v) if not s else t("kpi_suppressed", lang, min_n=min_n)
                  for v, s in zip(ranking["value"], ranking["suppressed"])],
        "interval": ranking.apply(interval, axis=1),
        "trend": [trend(v) for v in ranking["trend"]],
        "signals": ranking.apply(icons, axis=1),
    })
    st.dataframe(
        table, hide_index=True, width="stretch", key="ov_units_table",
        column_config={
            "unit": st.column_config.TextColumn(t("ov_col_unit", lang), width="medium"),
            "service_area": st.column_config.TextColumn(t("ov_col_area", lang), width="small"),
            "n": st.column_config.TextColumn(t("ov_col_n", lang), width="small"),
            "value": st.column_config.TextColumn(t(f"kpi_{kpi}", lang), width="small"),
            "interval": st.column_config.TextColumn(t("ov_col_interval", lang), width="small"),
            "trend": st.column_config.LineChartColumn(t("ov_col_trend", lang), width="small"),
            "signals": st.column_config.TextColumn(t("ov_col_variation", lang), width="medium"),
        },
    )

left, right = st.columns(2)

# ------------------------------------------------------------------------ problems
with left:
    st.header(t("ov_problems_heading", lang))
    problems = cached.top_problems(f)
    if problems.empty:
        st.info(t("ov_problems_empty", lang))
    else:
        names = catalogue()
        shown = problems.assign(
            theme=problems["theme"].map(lambda th: t(f"theme_{th}", lang) if f"theme_{th}" in names else th),
            responses=[queries.format_number(n, 0, lang) if n >= min_n else t("kpi_suppressed", lang, min_n=min_n)
                       for n in problems["responses"]],
            months_present=[queries.format_number(n, 0, lang) for n in problems["months_present"]],
        )
        st.dataframe(shown[["theme", "responses", "months_present"]], hide_index=True, width="stretch",
                     column_config={
                         "theme": st.column_config.TextColumn(t("ov_col_theme", lang)),
                         "responses": st.column_config.TextColumn(t("ov_col_mentions", lang)),
                         "months_present": st.column_config.TextColumn(t("ov_col_months", lang)),
                     })

# ------------------------------------------------------------------------ praise
with right:
    st.header(t("ov_praise_heading", lang))
    praise = cached.recent_praise(f)
    if praise.empty:
        st.info(t("ov_praise_empty", lang))
    for row in praise.itertuples(index=False):
        with st.container(border=True):
            st.text(row.comment)  # plain text: a comment is never Markdown or HTML
            st.text("— " + t("ov_praise_source", lang, unit=row.unit,
                             month=charts.month_label(row.month, lang)))

# ------------------------------------------------------------------------ trend
st.header(t("ov_trend_heading", lang))
trend_kpi = st.selectbox(t("ov_trend_measure", lang), list(queries.KPIS), key="ov_trend_kpi",
                         format_func=lambda k: t(f"kpi_{k}", lang))
table = cached.spc_table(f, trend_kpi, queries.spc.RUN_LENGTH, queries.spc.TREND_LENGTH)
suffix = "%" if trend_kpi in queries.PERCENT_KPIS else ""
is_count = queries.KPIS[trend_kpi].is_count  # a count is drawn as bars itself
st.plotly_chart(charts.trend_chart(table, lang, x="x", y="value", n=None if is_count else "n",
                                   as_bars=is_count,
                                   y_title=t(f"kpi_{trend_kpi}", lang), y_suffix=suffix,
                                   y_format=f".{queries.KPI_DECIMALS[trend_kpi]}f"),
                width="stretch", key="ov_trend_chart")
if filters.page_exists("trends"):
    st.page_link(filters.page_file("trends"), label=t("ov_open_trends", lang),
                 query_params=f.to_query())
