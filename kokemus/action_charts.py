"""Improvement actions on charts: a dashed vertical line and a label at each start.

Labels are people's own words (action titles), so they are HTML-escaped before plotly sees
them (plotly reads a few tags in annotation text). Each line and label is named
``action_<id>`` so tests and screen readers' text alternatives can find them.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from kokemus import charts, metrics, plain

MARKER_COLOUR = "#005eb8"
LABEL_CHARS = 40


def marker_items(markers: Sequence[dict], *, first=None, last=None) -> tuple[list[dict], list[dict]]:
    """(shapes, annotations) for ``kokemus.actions.markers`` output on a month axis (only
    those inside first..last when given), as plain layout dicts."""
    shapes, notes = [], []
    for i, m in enumerate(markers):
        x = pd.Timestamp(m["x"])
        if (first is not None and x < pd.Timestamp(first)) or (last is not None and x > pd.Timestamp(last)):
            continue
        name = f"action_{m['action_id']}"
        label = m["label"] if len(m["label"]) <= LABEL_CHARS else m["label"][:LABEL_CHARS - 1] + "…"
        shapes.append(dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, name=name,
                           line=dict(color=MARKER_COLOUR, width=1.5, dash="dash")))
        notes.append(dict(x=x, xref="x", yref="paper", y=1 - 0.07 * (i % 3), text="▼ " + plain.chart(label),
                          showarrow=False, xanchor="left", name=name,
                          font=dict(size=11, color=MARKER_COLOUR), bgcolor="rgba(255,255,255,0.85)"))
    return shapes, notes


def add_action_markers(fig: go.Figure, markers: Sequence[dict], *, first=None, last=None) -> go.Figure:
    """Draw ``kokemus.actions.markers`` output on a month-axis figure (only those inside
    first..last when given)."""
    shapes, notes = marker_items(markers, first=first, last=last)
    for shape, note in zip(shapes, notes):
        fig.add_shape(**shape)
        fig.add_annotation(**note)
    return fig


def theme_share_chart(df: pd.DataFrame, lang: str, *, title: str, markers: Sequence[dict] = (),
                      min_n: int = 5, height: int = 320) -> go.Figure:
    """Monthly share (%) of comments raising a theme, with its 95 % interval as a band;
    months with fewer than ``min_n`` comments are gaps."""
    data = df.copy()
    shown = data["comments"] >= min_n
    share = (100.0 * data["mentions"] / data["comments"]).where(shown)
    ci = [metrics.wilson_interval(k, n) if ok else None
          for k, n, ok in zip(data["mentions"], data["comments"], shown)]
    lo = [None if c is None else 100 * c[0] for c in ci]
    hi = [None if c is None else 100 * c[1] for c in ci]
    months = list(pd.to_datetime(data["month"]))
    # One figure from plain dicts: plotly validates it once instead of once per add/update
    # (six of these took ~0.3 s on Te sanoitte me teimme).
    traces = [
        dict(type="scatter", x=months, y=hi, mode="lines", line=dict(width=0), hoverinfo="skip",
             showlegend=False, meta="interval_hi", connectgaps=False),
        dict(type="scatter", x=months, y=lo, mode="lines", line=dict(width=0), fill="tonexty",
             fillcolor="rgba(166,166,166,0.35)", hoverinfo="skip", showlegend=False,
             meta="interval_lo", connectgaps=False),
        dict(type="scatter", x=months, y=[None if pd.isna(v) else float(v) for v in share],
             mode="lines+markers", meta="share", line=dict(color="#404040", width=2),
             marker=dict(size=7, color="#404040"), connectgaps=False,
             customdata=[[charts.month_label(m, lang), int(k), int(n)] for m, k, n in
                         zip(months, data["mentions"], data["comments"])],
             hovertemplate="%{customdata[0]}: %{y:.1f} % (%{customdata[1]} / %{customdata[2]})<extra></extra>",
             showlegend=False),
    ]
    layout = dict(title=dict(text=plain.chart(title)), height=height, separators=charts.separators(lang),
                  margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="#ffffff",
                  xaxis=charts.month_axis(months, lang),
                  yaxis=dict(ticksuffix=" %", rangemode="tozero", gridcolor="#e8e8e8"))
    if months:
        shapes, notes = marker_items(markers, first=months[0], last=months[-1])
        if shapes:
            layout.update(shapes=shapes, annotations=notes)
    return go.Figure(data=traces, layout=layout)


def months_with_actions(markers: Sequence[dict]) -> dict[date, str]:
    """First day of each month holding an action start -> the first such action's title."""
    out: dict[date, str] = {}
    for m in sorted(markers, key=lambda m: m["x"]):
        d = pd.Timestamp(m["x"]).date().replace(day=1)
        out.setdefault(d, m["label"])
    return out
