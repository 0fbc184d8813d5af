"""Static charts for the pack (matplotlib, Agg): legible in greyscale, because review packs
get printed on office printers - variation is told by marker shape and fill as well as by
colour, limits by line style, and an action's start by a dash-dot line.

PNG bytes are deterministic: no timestamp or software metadata is written.
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from kokemus.i18n import t  # noqa: E402

STYLE = {  # variation -> (colour, marker, size, filled)
    "common": ("#7f7f7f", "o", 18, False),
    "improvement": ("#00b0f0", "D", 42, True),
    "concern": ("#e46c0a", "s", 42, True),
    "neutral": ("#490092", "^", 42, True),
}


def _segments(x, y, seg):
    for s in np.unique(seg):
        idx = np.flatnonzero(seg == s)
        yield [x[i] for i in idx], y[idx]


def spc_png(table: pd.DataFrame, *, title: str, lang: str, y_suffix: str = " %",
            markers=(), width_in: float = 7.2, height_in: float = 2.5) -> bytes:
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "kokemus"})
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=150)
    x = list(pd.to_datetime(table["x"]))
    y = table["value"].to_numpy(dtype=float)
    seg = table["segment"].to_numpy() if "segment" in table else np.zeros(len(table), int)
    ax.plot(x, y, color="#404040", linewidth=1.0, zorder=2, label=t("rep_legend_value", lang))
    first = True
    for xs, idx_vals in _segments(x, table["centre"].to_numpy(dtype=float), seg):
        ax.plot(xs, idx_vals, color="#000000", linewidth=1.2, drawstyle="steps-mid",
                label=t("rep_legend_centre", lang) if first else None)
        first = False
    first = True
    for col in ("upper", "lower"):
        for xs, vals in _segments(x, table[col].to_numpy(dtype=float), seg):
            ax.plot(xs, vals, color="#595959", linewidth=1.0, linestyle=(0, (4, 2)), drawstyle="steps-mid",
                    label=t("rep_legend_limits", lang) if first else None)
            first = False
    variation = table["variation"] if "variation" in table else pd.Series(["common"] * len(table))
    for kind, (colour, marker, size, filled) in STYLE.items():
        idx = [i for i, v in enumerate(variation) if v == kind and not np.isnan(y[i])]
        if not idx:
            continue
        label = t(f"rep_legend_{kind}", lang) if kind in ("improvement", "concern") else None
        ax.scatter([x[i] for i in idx], y[idx], s=size, marker=marker, zorder=3, label=label,
                   facecolors=colour if filled else "white", edgecolors="#000000" if filled else colour,
                   linewidths=0.8)
    first = True
    for m in markers:
        mx = pd.Timestamp(m["x"])
        if x and x[0] <= mx <= x[-1]:
            ax.axvline(mx, color="#005eb8", linestyle="-.", linewidth=1.0,
                       label=t("rep_legend_action", lang) if first else None)
            first = False
    ax.set_title(title, fontsize=9, loc="left")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: (f"{v:.0f}" + y_suffix).replace(".", "," if lang != "en" else ".")))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
