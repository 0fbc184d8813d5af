"""DataFrame in, plotly Figure out - every chart the pages show.

Built with ``plotly.graph_objects`` rather than plotly.express, which is about three times
slower to build and the pages draw many small charts. Every trace carries a stable
``meta`` role ("value", "volume", "limits", "points_concern" ...) so tests and pages can
find a trace without depending on its translated name.

Finnish conventions: decimal comma and a space between thousands (``separators=", "``),
month tick labels from the catalogue (tammi, helmi ...) because browsers' own month names
follow the browser's locale, not the dashboard's language. Missing values (months with
no data, suppressed small numbers) are gaps, never zeros.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kokemus import config
from kokemus.i18n import t
from kokemus.spc import COLOURS

SYMBOLS = {
    "improvement": "diamond",
    "concern": "square",
    "neutral": "triangle-up",
    "common": "circle",
}
"""Marker shape per kind of variation, so colour is never the only cue."""

THOUSANDS = "\u202f"
"""Finnish and Swedish thousands separator: a narrow no-break space (SFS 4175)."""
VOLUME_COLOUR = "#d9d9d9"
LINE_COLOUR = "#005eb8"
LIMIT_COLOUR = "#7f7f7f"
TARGET_COLOUR = "#d5281b"
FONT = dict(family="Source Sans Pro, Segoe UI, Arial, sans-serif", size=13)
GRID_COLOUR = "#ebebeb"
_TEMPLATE = go.layout.Template(layout=dict(
    paper_bgcolor="white", plot_bgcolor="white", font=dict(color="#212b32"),
    xaxis=dict(gridcolor=GRID_COLOUR, linecolor="#bfbfbf", zeroline=False, ticks=""),
    yaxis=dict(gridcolor=GRID_COLOUR, linecolor="#bfbfbf", zeroline=False, ticks=""),
))
"""A small white template: the built-in "plotly_white" is copied into every figure and
that copy alone took most of a chart's build time."""
RULES = ("outside", "shift", "trend", "two_of_three")


# --------------------------------------------------------------------------- locale bits

def separators(lang: str) -> str:
    """Plotly's decimal and thousands separators: '1 234,5' in fi/sv, '1,234.5' in en."""
    return ".," if lang == "en" else "," + THOUSANDS


def month_name(month, lang: str) -> str:
    """Short month name from the catalogue ('tammi', 'Jan', 'jan')."""
    return t(f"chart_month_{pd.Timestamp(month).month}", lang)


def month_label(month, lang: str) -> str:
    """'tammi 2025' - for hover text and categorical axes."""
    ts = pd.Timestamp(month)
    return f"{month_name(ts, lang)} {ts.year}"


def month_ticks(months: Sequence, lang: str, max_ticks: int = 12) -> tuple[list, list[str]]:
    """Tick positions and texts for a monthly axis, at most ``max_ticks`` of them.

    The year is written under the first tick and wherever it changes, so a long axis
    reads 'marras 2024 / joulu / tammi 2025' without repeating the year on each tick.
    """
    ms = sorted({pd.Timestamp(m) for m in months if m is not None and not pd.isna(m)})
    if not ms:
        return [], []
    step = max(1, math.ceil(len(ms) / max_ticks))
    vals, texts, year = [], [], None
    for m in ms[::step]:
        text = month_name(m, lang)
        if m.year != year:
            text, year = f"{text}<br>{m.year}", m.year
        vals.append(m)
        texts.append(text)
    return vals, texts


def _layout(fig: go.Figure, lang: str, title: str | None = None, height: int = 360) -> go.Figure:
    fig.update_layout(
        template=_TEMPLATE,
        separators=separators(lang),
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=50 if title else 20, b=90),
        title=dict(text=title) if title else None,
        # below the plot: above it, a long title and the legend overlap on narrow screens
        legend=dict(orientation="h", yanchor="top", y=-0.22, xanchor="left", x=0),
        hoverlabel=dict(font=FONT),
    )
    return fig


def month_axis(months: Sequence, lang: str) -> dict:
    """The x-axis settings of a monthly chart: ticks named from the catalogue, never by
    the browser (whose month names follow its own locale). For figures built from dicts."""
    vals, texts = month_ticks(months, lang)
    return dict(tickmode="array", tickvals=vals, ticktext=texts, showgrid=False)


def _month_axis(fig: go.Figure, months: Sequence, lang: str) -> None:
    fig.update_xaxes(**month_axis(months, lang))


def _floats(values) -> np.ndarray:
    return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)


def _or_none(values) -> list[float | None]:
    """Plotly serialises NaN fine but None is the explicit 'gap' in JSON; use it."""
    return [None if (v is None or pd.isna(v)) else float(v) for v in values]


# ---------------------------------------------------------------------------- trend chart

def trend_chart(df: pd.DataFrame, lang: str = "fi", *, x: str = "month", y: str = "value",
                n: str | None = "n", lo: str | None = None, hi: str | None = None,
                title: str | None = None, y_title: str | None = None,
                y_format: str = ".1f", y_suffix: str = "",
                y_range: Sequence[float] | None = None, as_bars: bool = False) -> go.Figure:
    """Monthly line of a measure over grey volume bars (n responses per month).

    The line is on the left axis, volume on the right and drawn behind, so a manager sees
    at once whether a dip rests on many answers or few. ``lo``/``hi`` columns add a 95 %
    band. Months with a missing (suppressed) value leave a gap in the line; their bar
    still shows. Traces (meta): volume, interval, value.
    """
    data = df.sort_values(x)
    months = list(pd.to_datetime(data[x]))
    labels = [month_label(m, lang) for m in months]
    fig = go.Figure()
    if n and n in data.columns:
        fig.add_trace(go.Bar(
            x=months, y=_or_none(data[n]), yaxis="y", meta="volume",
            name=t("chart_responses", lang), marker_color=VOLUME_COLOUR, opacity=0.8,
            customdata=labels,
            hovertemplate="%{customdata}<br>" + t("chart_responses", lang) + ": %{y:,.0f}<extra></extra>",
        ))
    if lo and hi and lo in data.columns and hi in data.columns:
        band_x = months + months[::-1]
        band_y = _or_none(data[hi]) + _or_none(data[lo])[::-1]
        fig.add_trace(go.Scatter(
            x=band_x, y=band_y, yaxis="y2", meta="interval", fill="toself",
            fillcolor="rgba(0, 94, 184, 0.12)", line=dict(width=0), hoverinfo="skip",
            name=t("chart_interval", lang), connectgaps=False,
        ))
    if as_bars:  # a count (responses, replies due): bars from zero, never below it
        fig.add_trace(go.Bar(
            x=months, y=_or_none(data[y]), yaxis="y2", meta="value", marker_color=LINE_COLOUR,
            name=y_title or t("chart_value", lang), customdata=labels,
            hovertemplate=f"%{{customdata}}<br>%{{y:{y_format}}}{y_suffix}<extra></extra>",
        ))
    else:
        fig.add_trace(go.Scatter(
            x=months, y=_or_none(data[y]), yaxis="y2", meta="value", mode="lines+markers",
            connectgaps=False, line=dict(color=LINE_COLOUR, width=2.5), marker=dict(size=7),
            name=y_title or t("chart_value", lang), customdata=labels,
            hovertemplate=f"%{{customdata}}<br>%{{y:{y_format}}}{y_suffix}<extra></extra>",
        ))
    _layout(fig, lang, title)
    fig.update_layout(
        yaxis=dict(side="right", showgrid=False, rangemode="tozero",
                   title=dict(text=t("chart_responses", lang)), tickformat=",.0f"),
        yaxis2=dict(side="left", overlaying="y", showgrid=True, ticksuffix=y_suffix,
                    tickformat=y_format, title=dict(text=y_title) if y_title else None,
                    range=list(y_range) if y_range else None,
                    rangemode="tozero" if as_bars else "normal"),
        hovermode="x unified", bargap=0.3,
    )
    _month_axis(fig, months, lang)
    return fig


def volume_chart(df: pd.DataFrame, lang: str = "fi", *, x: str = "x", y: str = "responses",
                 name: str | None = None, height: int = 220) -> go.Figure:
    """Responses per month as bars from zero, month names in ``lang`` on the axis (plotly's
    own date ticks would say "Oct 2025" whatever the page's language). Trace meta: volume."""
    months = list(pd.to_datetime(df[x]))
    labels = [month_label(m, lang) for m in months]
    fig = go.Figure(go.Bar(
        x=months, y=_or_none(df[y]), meta="volume", name=name or t("chart_responses", lang),
        marker_color=VOLUME_COLOUR, marker_line=dict(color="#595959", width=1), customdata=labels,
        hovertemplate="%{customdata}<br>%{y:,.0f}<extra></extra>"))
    _layout(fig, lang, height=height)
    fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=10, b=10))
    fig.update_yaxes(tickformat=",.0f", rangemode="tozero")
    _month_axis(fig, months, lang)
    return fig


# ------------------------------------------------------------------------------ SPC chart

def _by_segment(x: list, y: np.ndarray, segment: np.ndarray) -> tuple[list, list]:
    """One line per limit with a break between segments, so recalculated limits are not
    joined by a misleading slope."""
    xs, ys = [], []
    for i, (xi, yi) in enumerate(zip(x, y)):
        if i and segment[i] != segment[i - 1]:
            xs.append(None)
            ys.append(None)
        xs.append(xi)
        ys.append(None if np.isnan(yi) else float(yi))
    return xs, ys


def _rules_text(row: pd.Series, lang: str) -> str:
    names = [t(f"chart_spc_rule_{r}", lang) for r in RULES if bool(row.get(r, False))]
    return ", ".join(names)


def count_text(n: float, lang: str = "fi", key: str = "chart_n_responses") -> str:
    """A chart's count in words, "1 200 vastausta": a reader does not decode "n =".
    ``key`` names what is counted (``chart_n_responses``, ``chart_n_cases_due``)."""
    number = f"{n:,.0f}".replace(",", THOUSANDS if lang != "en" else ",")
    return t(f"{key}_one" if round(n) == 1 else key, lang, n=number)


def spc_chart(df: pd.DataFrame, title: str | None = None, lang: str = "fi",
              y_format: str = ".1f", *, y_suffix: str = "", x: str = "x",
              show_near: bool = True, height: int = 380,
              n_key: str = "chart_n_responses") -> go.Figure:
    """Making Data Count chart from :func:`kokemus.spc.spc_table`.

    Centre line solid; process limits dotted; near (2 sigma) limits dotted and faint;
    target dashed red when the table has one. Points coloured by variation (blue
    improvement, orange concern, purple neutral, grey common cause) and shaped by it too
    (diamond, square, triangle, circle). Limits break at recalculation points. A note
    says when the limits are trial limits (fewer than 12 points). Hidden months are gaps.
    Traces (meta): value_line, centre, limits, near_limits, target, points_<variation>.
    """
    data = df.reset_index(drop=True)
    months = list(pd.to_datetime(data[x]))
    seg = data["segment"].to_numpy() if "segment" in data.columns else np.zeros(len(data), int)
    values = _floats(data["value"])
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=months, y=_or_none(values), mode="lines", meta="value_line", connectgaps=False,
        line=dict(color=LIMIT_COLOUR, width=1.5), hoverinfo="skip", showlegend=False,
    ))

    line_specs = [("centre", ("centre",), dict(color="#404040", width=1.5), "chart_spc_centre")]
    line_specs.append(("limits", ("upper", "lower"),
                       dict(color=LIMIT_COLOUR, width=1.5, dash="dot"), "chart_spc_limits"))
    if show_near:
        line_specs.append(("near_limits", ("upper_near", "lower_near"),
                           dict(color="rgba(127,127,127,0.45)", width=1, dash="dot"),
                           "chart_spc_near_limits"))
    for role, cols, line, key in line_specs:
        xs, ys = [], []
        for col in cols:
            if col not in data.columns:
                continue
            cx, cy = _by_segment(months, _floats(data[col]), seg)
            if xs:
                xs.append(None)
                ys.append(None)
            xs += cx
            ys += cy
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", meta=role, line=line,
                                 line_shape="hvh", connectgaps=False, name=t(key, lang),
                                 hoverinfo="skip"))

    if "target" in data.columns and data["target"].notna().any():
        fig.add_trace(go.Scatter(
            x=months, y=_or_none(data["target"]), mode="lines", meta="target",
            line=dict(color=TARGET_COLOUR, width=1.5, dash="dash"), name=t("chart_spc_target", lang),
            hovertemplate=t("chart_spc_target", lang) + f": %{{y:{y_format}}}{y_suffix}<extra></extra>",
        ))

    variation = data["variation"] if "variation" in data.columns else pd.Series([None] * len(data))
    n = _floats(data["n"]) if "n" in data.columns else np.full(len(data), np.nan)
    n_text = ["" if np.isnan(v) else count_text(v, lang, n_key) for v in n]
    for kind in ("common", "improvement", "concern", "neutral"):
        idx = [i for i, v in enumerate(variation) if v == kind and not np.isnan(values[i])]
        if not idx:
            continue
        custom = [[month_label(months[i], lang), n_text[i], _rules_text(data.iloc[i], lang)]
                  for i in idx]
        fig.add_trace(go.Scatter(
            x=[months[i] for i in idx], y=[float(values[i]) for i in idx], mode="markers",
            meta=f"points_{kind}", name=t(f"chart_spc_{kind}", lang),
            marker=dict(color=COLOURS[kind], symbol=SYMBOLS[kind], size=10 if kind != "common" else 8,
                        line=dict(color="white", width=1)),
            customdata=custom,
            hovertemplate=(f"%{{customdata[0]}}<br>%{{y:{y_format}}}{y_suffix}"
                           "<br>%{customdata[1]}<br>%{customdata[2]}<extra>" + t(f"chart_spc_{kind}", lang)
                           + "</extra>"),
        ))

    _layout(fig, lang, title, height)
    fig.update_yaxes(tickformat=y_format, ticksuffix=y_suffix)
    seen = data[data["value"].notna()]
    if "trial" in data.columns and len(seen) and bool(seen["trial"].iloc[-1]):
        fig.add_annotation(text=t("chart_spc_trial", lang), xref="paper", yref="paper", x=1,
                           y=1.0, showarrow=False, xanchor="right", yanchor="bottom",
                           font=dict(size=12, color="#595959"), name="trial_note")
    _month_axis(fig, months, lang)
    return fig


# ------------------------------------------------------------------------------ sparkline

def sparkline(values: Sequence, decimals: int = 2) -> list[float | None]:
    """Monthly values as a plain list for ``st.column_config.LineChartColumn``.

    A list (not a figure) because a table of 40 units with 40 figures is slow, while the
    dataframe draws list columns natively. Missing months stay None so the time axis is
    not squeezed.
    """
    return [None if (v is None or pd.isna(v)) else round(float(v), decimals) for v in values]


# -------------------------------------------------------------------------------- heatmap

def heatmap(df: pd.DataFrame, x: str = "month", y: str = "theme", z: str = "count",
            lang: str = "fi", *, y_labels: dict[str, str] | None = None,
            title: str | None = None, colorscale: str = "Blues",
            z_title: str | None = None) -> go.Figure:
    """Theme x month counts as a heatmap, themes with most mentions on top.

    Counts are summed per cell; a cell whose counts are all missing (suppressed) stays
    empty rather than showing 0. ``y_labels`` maps theme keys to display names. Trace
    meta: heatmap.
    """
    if df.empty:
        grid = pd.DataFrame()
    else:
        d = df.assign(**{x: pd.to_datetime(df[x])})
        grid = d.groupby([y, x])[z].sum(min_count=1).unstack(x).sort_index(axis=1)
        grid = grid.loc[grid.sum(axis=1, min_count=1).fillna(0).sort_values(ascending=False).index]
    months = list(grid.columns)
    rows = [(y_labels or {}).get(r, r) for r in grid.index]
    zvals = [[None if pd.isna(v) else float(v) for v in row] for row in grid.to_numpy()]
    month_labels = [month_label(m, lang) for m in months]
    fig = go.Figure(go.Heatmap(
        x=months, y=rows, z=zvals, meta="heatmap", colorscale=colorscale, xgap=1, ygap=1,
        hoverongaps=False, colorbar=dict(title=dict(text=z_title or t("chart_count", lang))),
        customdata=[month_labels] * len(rows),
        hovertemplate="%{y}<br>%{customdata}<br>%{z:,.0f}<extra></extra>",
    ))
    _layout(fig, lang, title, height=max(260, 28 * len(rows) + 120))
    fig.update_yaxes(autorange="reversed", title=dict(text=t("chart_theme", lang)))
    _month_axis(fig, months, lang)
    return fig


# ----------------------------------------------------------------------------- bar ranked

def bar_ranked(df: pd.DataFrame, label: str = "unit", value: str = "value", lang: str = "fi",
               *, n: str | None = "n", lo: str | None = "lo", hi: str | None = "hi",
               title: str | None = None, x_format: str = ".1f", x_suffix: str = "",
               x_range: Sequence[float] | None = None, highlight: str | None = None,
               min_n: int | None = None, colour: str = LINE_COLOUR,
               n_key: str = "chart_n_responses") -> go.Figure:
    """Horizontal bars in the frame's order (rank it first), top row first, with 95 %
    error bars and n in the label. Hidden (suppressed) rows stay in the list with a note
    instead of a bar, so nobody reads a missing unit as a zero. ``highlight`` picks one
    label out in a darker colour. Trace meta: bars.
    """
    min_n = config.min_n() if min_n is None else min_n
    data = df.reset_index(drop=True)
    vals = _floats(data[value])
    hidden = np.isnan(vals)
    nn = _floats(data[n]) if n and n in data.columns else np.full(len(data), np.nan)
    labels = [str(v) for v in data[label]]
    ticks = [lab if np.isnan(k) else f"{lab} ({count_text(k, lang, n_key)})" for lab, k in zip(labels, nn)]
    error = None
    if lo and hi and lo in data.columns and hi in data.columns:
        up = np.nan_to_num(_floats(data[hi]) - vals, nan=0.0)
        down = np.nan_to_num(vals - _floats(data[lo]), nan=0.0)
        error = dict(type="data", symmetric=False, array=up.tolist(), arrayminus=down.tolist(),
                     color="#404040", thickness=1.2, width=4)
    hidden_text = t("chart_hidden", lang, min_n=min_n)
    fig = go.Figure(go.Bar(
        x=[0.0 if h else float(v) for h, v in zip(hidden, vals)], y=ticks, orientation="h",
        meta="bars", error_x=error,
        marker_color=["#003087" if highlight is not None and lab == highlight else colour
                      for lab in labels],
        texttemplate=[hidden_text if h else f"%{{x:{x_format}}}{x_suffix}" for h in hidden],
        textposition="outside", cliponaxis=False,
        hovertemplate=[f"%{{y}}<br>{hidden_text}<extra></extra>" if h
                       else f"%{{y}}<br>%{{x:{x_format}}}{x_suffix}<extra></extra>" for h in hidden],
    ))
    _layout(fig, lang, title, height=max(200, 30 * len(data) + 80))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=x_format, ticksuffix=x_suffix,
                     range=list(x_range) if x_range else None)
    fig.update_layout(showlegend=False)
    return fig
