"""Trends for ward managers: is this month different, or the usual wobble?

Monthly Making Data Count charts per unit or for the chosen units together (XmR for the
mean score, NPS and counts; p-chart for shares), rule lengths settable, limits
recalculable from a change month, volume bars and the organisation's average beside.
Accepts ``?unit=<name>`` (and every shared filter) so other pages can deep-link a unit.
Colour is never the only signal: points also differ in shape and the special causes are
listed in words.
"""
from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
import streamlit as st

from kokemus import auth, action_charts, cached, cached_loop, charts, config, filters, queries, replies, spc
from kokemus import plain
from kokemus.i18n import t

GROUP = "__group__"
VIEW_KEY = "_tr_view_written"
# query-string key -> (widget key, to text, from text): the page's own settings in the link
VIEW_PARAMS = {
    "kpi": ("tr_kpi", str, str),
    "run": ("tr_run_length", lambda v: str(int(v)), int),
    "trend": ("tr_trend_length", lambda v: str(int(v)), int),
    "change": ("tr_change_month", lambda m: "" if m is None else filters.month_key(m), filters.parse_month),
    "org": ("tr_show_org", lambda v: "" if v else "0", lambda text: text != "0"),
    "subject": ("tr_subject", lambda s: "" if s == GROUP else s, str),
}
lang = st.session_state.get("lang", "fi")
auth.require_page("trends")
f = filters.sidebar(lang)
min_n = config.min_n()
options = cached.filter_options()

st.title(t("tr_title", lang))
if options.last_month is None:
    st.info(t("warehouse_empty", lang))
    st.stop()

# ------------------------------------------------------------------------ choices
units = list(f.units) or list(options.units(f.areas))
subjects = [GROUP] + units
if st.session_state.get("tr_subject") not in subjects:
    st.session_state["tr_subject"] = f.units[0] if len(f.units) == 1 else GROUP

def seed_view_from_link() -> None:
    """A shared link sets measure, rule lengths, change month and comparison; otherwise the
    widgets keep what the user chose (only a query string we did not write counts)."""
    url = {k: st.query_params.get(k, "") for k in VIEW_PARAMS}
    if url == st.session_state.get(VIEW_KEY):
        return
    for key, (widget, _, parse) in VIEW_PARAMS.items():
        if url[key]:
            try:
                value = parse(url[key])
            except ValueError:
                continue
            if value is not None:
                st.session_state[widget] = value


def write_view_to_link() -> dict[str, str]:
    written = {}
    for key, (widget, to_text, _) in VIEW_PARAMS.items():
        text = to_text(st.session_state.get(widget)) if widget in st.session_state else ""
        written[key] = text
        if text and st.query_params.get(key) != text:
            st.query_params[key] = text
        elif not text and key in st.query_params:
            del st.query_params[key]
    st.session_state[VIEW_KEY] = written
    return written


seed_view_from_link()
# The subject follows the sidebar: picking one unit there shows that unit here.
if tuple(f.units) != st.session_state.get("_tr_sidebar_units"):
    st.session_state["_tr_sidebar_units"] = tuple(f.units)
    if len(f.units) == 1:
        st.session_state["tr_subject"] = f.units[0]
if st.session_state.get("tr_kpi") not in [*queries.RATE_KPIS, "responses", "replies_due"]:
    st.session_state.pop("tr_kpi", None)
top = st.columns([2, 2, 1, 1])
subject = top[0].selectbox(t("tr_subject", lang), subjects, key="tr_subject",
                           format_func=lambda s: t("tr_group_all", lang) if s == GROUP else s)
kpi = top[1].selectbox(t("tr_measure", lang), [*queries.RATE_KPIS, "responses", "replies_due", replies.KPI.name],
                       key="tr_kpi",
                       format_func=lambda k: t(f"kpi_{k}", lang))
# the defaults go through session state, where a shared link's values go too: a widget given
# both a value and a state set by the link makes Streamlit log a warning with a stack per run
st.session_state.setdefault("tr_run_length", spc.RUN_LENGTH)
st.session_state.setdefault("tr_trend_length", spc.TREND_LENGTH)
run_length = top[2].number_input(t("tr_run_length", lang), min_value=4, max_value=15,
                                 step=1, key="tr_run_length")
trend_length = top[3].number_input(t("tr_trend_length", lang), min_value=4, max_value=15,
                                   step=1, key="tr_trend_length")

history = dataclasses.replace(f, start=queries.history_start(f.start, f.end))
months = [None] + [m for m in options.month_range() if history.start < m <= history.end]
markers = cached_loop.action_markers(units if subject == GROUP else [subject], lang)
action_months = action_charts.months_with_actions(markers)  # the change date offered from actions
lower = st.columns([2, 2])
change_month = lower[0].selectbox(
    t("tr_change_date", lang), months, key="tr_change_month",
    format_func=lambda m: t("tr_no_change", lang) if m is None else (
        t("ac_change_option", lang, month=filters.month_key(m), title=action_months[m])
        if m in action_months else filters.month_key(m)))
show_org = lower[1].toggle(t("tr_show_org", lang), value=True, key="tr_show_org")

view = f if subject == GROUP else f.with_units([subject])
if kpi == replies.KPI.name:  # from the reply cases, not the response rollups
    table = cached_loop.promise_spc(view, int(run_length), int(trend_length), change_month)
    org = None
else:
    table, org = cached.spc(view, kpi, int(run_length), int(trend_length), change_month)

# ------------------------------------------------------------------------ chart
spec = queries.KPIS.get(kpi, replies.KPI)
suffix = "%" if kpi in queries.PERCENT_KPIS else ""
decimals = queries.KPI_DECIMALS[kpi]
chart_kind = t("tr_chart_p", lang) if spec.chart == "p" else t("tr_chart_xmr", lang)
title = f"{t(f'kpi_{kpi}', lang)} – {t('tr_group_all', lang) if subject == GROUP else plain.chart(subject)}"
st.markdown(chart_kind)  # catalogue text; st.caption fails contrast on this background

if table["value"].notna().sum() == 0:
    st.info(t("tr_no_data", lang))
else:
    fig = charts.spc_chart(table, title=title, lang=lang, y_format=f".{decimals}f", y_suffix=suffix,
                           n_key="chart_n_cases_due" if kpi == replies.KPI.name else "chart_n_responses")
    action_charts.add_action_markers(fig, markers, first=table["x"].min(), last=table["x"].max())
    if show_org and org is not None and kpi in queries.RATE_KPIS:
        fig.add_trace(go.Scatter(
            x=list(org["month"]), y=charts.sparkline(org[kpi]), mode="lines", meta="org_average",
            name=t("tr_org_average", lang), line=dict(color="#212b32", width=1.5, dash="dashdot"),
            hovertemplate=f"{t('tr_org_average', lang)}: %{{y:.{decimals}f}}{suffix}<extra></extra>",
        ))
    st.plotly_chart(fig, width="stretch", key="tr_spc_chart")

if any(pd_m in action_months for pd_m in months[1:]):
    st.text(t("ac_markers_note", lang))
hidden = int(table["suppressed"].sum())
if hidden:
    st.text(t("tr_suppressed_months", lang, count=hidden, min_n=min_n))

# ------------------------------------------------------------------------ signals in words
st.header(t("tr_signals_heading", lang))
special = table[table["special"] & table["value"].notna()]
# What needs attention now first: the latest month at the top, concerns before improvements.
special = special.assign(_order=special["variation"].map(
    lambda v: 0 if str(v).startswith("concern") else 1 if str(v).startswith("improvement") else 2))
special = special.sort_values(["x", "_order"], ascending=[False, True], kind="stable")
if special.empty:
    st.text(t("tr_no_signals", lang))
else:
    rules = ("outside", "shift", "trend", "two_of_three")
    words = special.assign(
        month=special["x"].map(lambda m: charts.month_label(m, lang)),
        value=special["value"].map(lambda v: queries.format_kpi(kpi, v, lang)),
        rule=special.apply(lambda r: ", ".join(t(f"tr_rule_{x}", lang) for x in rules if r[x]), axis=1),
        meaning=special["variation"].map(lambda v: t(f"tr_variation_{v}", lang)),
    )
    st.dataframe(words[["month", "value", "rule", "meaning"]], hide_index=True, width="stretch",
                 column_config={
                     "month": st.column_config.TextColumn(t("tr_col_month", lang)),
                     "value": st.column_config.TextColumn(t("tr_col_value", lang)),
                     "rule": st.column_config.TextColumn(t("tr_col_rule", lang)),
                     "meaning": st.column_config.TextColumn(t("tr_col_meaning", lang)),
                 })

# ------------------------------------------------------------------------ volume
st.header(t("tr_volume_heading", lang))
st.plotly_chart(charts.volume_chart(table, lang, name=t("kpi_responses", lang)), width="stretch",
                key="tr_volume_chart")

# ------------------------------------------------------------------------ link to this view
view_query = write_view_to_link()
link = filters.absolute_url(st.context.url, "trends", f, **{k: v for k, v in view_query.items() if v})
st.header(t("tr_link_label", lang))
st.markdown(f"[{t('tr_link_label', lang)}]({link})")  # catalogue label; the URL is percent-encoded
st.code(link, language=None, wrap_lines=True)
st.caption(t("tr_link_help", lang))
