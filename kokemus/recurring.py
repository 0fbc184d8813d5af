"""Which problems keep coming back, and which are growing (definitions: docs/recurring.md).

Pure functions over two small frames read from the rollups, so the definitions can be
tested on hand-made numbers:

* ``counts``: unit, month, theme, responses - complaints and suggestions tagged with
  the theme in that unit and month;
* ``totals``: unit, month, responses - all complaints and suggestions of that unit and
  month (the denominator of a theme's share).

A unit here is whatever the caller groups by (a unit name, or one label for "all
selected units"); the functions only need the column to be called ``unit``.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from kokemus import spc

WINDOW_MONTHS = 6
MIN_MONTHS_PRESENT = 3
RISING_ICON = "concern_high"


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _as_month(value) -> date:
    ts = pd.Timestamp(value)
    return date(ts.year, ts.month, 1)


def window_start(as_of: date, window: int = WINDOW_MONTHS) -> date:
    """First month of the ``window`` calendar months that end with ``as_of``'s month."""
    index = _month_index(as_of) - (window - 1)
    return date(index // 12, index % 12 + 1, 1)


def recurring_themes(counts: pd.DataFrame, as_of: date, *, window: int = WINDOW_MONTHS,
                     min_months: int = MIN_MONTHS_PRESENT) -> pd.DataFrame:
    """Themes found in at least ``min_months`` of the last ``window`` months of a unit.

    A month counts when at least one complaint or suggestion of the unit carried the
    theme. Calendar months, not months with data: a unit silent for three months has had
    three months without the problem being reported.

    Columns: unit, theme, months_present, responses (in the window), last_month; sorted
    by months_present then responses, most persistent first.
    """
    columns = ["unit", "theme", "months_present", "responses", "last_month"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    df = counts.assign(month=counts["month"].map(_as_month))
    first, last = window_start(as_of, window), _as_month(as_of)
    df = df[(df["month"] >= first) & (df["month"] <= last) & (df["responses"] > 0)]
    if df.empty:
        return pd.DataFrame(columns=columns)
    out = (df.groupby(["unit", "theme"], as_index=False)
             .agg(months_present=("month", "nunique"), responses=("responses", "sum"),
                  last_month=("month", "max")))
    out = out[out["months_present"] >= min_months]
    out = out.sort_values(["months_present", "responses", "unit", "theme"],
                          ascending=[False, False, True, True])
    return out[columns].reset_index(drop=True)


def monthly_shares(counts: pd.DataFrame, totals: pd.DataFrame, months: list[date]) -> pd.DataFrame:
    """Every unit x theme x month of ``months``: theme count k, total n and share k/n.

    Months where the unit had complaints or suggestions but none about the theme get
    k = 0 (the theme's share was really zero); months with no complaints or suggestions at
    all get n = 0 and no share. k is capped at n because the rollup counts a response
    once per polarity of a theme.
    """
    columns = ["unit", "theme", "month", "k", "n", "share"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    c = counts.assign(month=counts["month"].map(_as_month))
    t = totals.assign(month=totals["month"].map(_as_month))
    t = t.groupby(["unit", "month"], as_index=False)["responses"].sum().rename(columns={"responses": "n"})
    c = c.groupby(["unit", "theme", "month"], as_index=False)["responses"].sum().rename(columns={"responses": "k"})
    grid = (c[["unit", "theme"]].drop_duplicates()
            .merge(pd.DataFrame({"month": [_as_month(m) for m in months]}), how="cross"))
    out = grid.merge(c, on=["unit", "theme", "month"], how="left").merge(t, on=["unit", "month"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    out["k"] = out["k"].fillna(0).astype("int64").clip(upper=out["n"])
    out["share"] = (out["k"] / out["n"]).where(out["n"] > 0)
    return out.sort_values(["unit", "theme", "month"])[columns].reset_index(drop=True)


def _may_rise(k: np.ndarray, n: np.ndarray, trend_length: int) -> bool:
    """Can the latest month carry the "concern, high" icon at all? Only if its share is
    above the centre line (shift, outside, two of three point that way) or it ends a run
    of rising shares (trend). Saves drawing a p-chart for most pairs; the chart decides."""
    seen = n > 0
    kk, nn = k[seen], n[seen]
    if not nn.size:
        return False
    share = kk / nn
    centre = kk.sum() / nn.sum()
    if share[-1] > centre - 1e-12:
        return True
    return share.size >= trend_length and bool(np.all(np.diff(share[-trend_length:]) > 0))


def rising_themes(counts: pd.DataFrame, totals: pd.DataFrame, months: list[date], *,
                  run_length: int = spc.RUN_LENGTH, trend_length: int = spc.TREND_LENGTH) -> pd.DataFrame:
    """Themes whose monthly share of a unit's complaints and suggestions shows special
    cause variation upward at the latest month (the Making Data Count "concern, high"
    icon on a p-chart where lower is better).

    Columns: unit, theme, latest_share, centre, latest_k, latest_n, trial; sorted by how
    far the latest share sits above the centre.
    """
    columns = ["unit", "theme", "latest_share", "centre", "latest_k", "latest_n", "trial"]
    shares = monthly_shares(counts, totals, months)
    if len(shares):  # only pairs whose latest month mentions the theme (rows are in month order)
        latest_k = shares.groupby(["unit", "theme"], sort=False)["k"].transform("last")
        shares = shares[latest_k > 0]
    rows = []
    for (unit, theme), g in shares.groupby(["unit", "theme"], sort=True):
        g = g.sort_values("month")
        if g["k"].sum() == 0 or g["k"].iloc[-1] == 0:
            # a month with none of the theme sits below the centre: it cannot be the
            # "concern, high" point, so the p-chart need not be drawn (most unit x theme pairs)
            continue
        if not _may_rise(g["k"].to_numpy(dtype=float), g["n"].to_numpy(dtype=float), trend_length):
            continue
        table = spc.spc_table(list(g["month"]), k=g["k"].to_numpy(), n=g["n"].to_numpy(), chart="p",
                              improvement_direction="decrease", run_length=run_length,
                              trend_length=trend_length)
        if spc.variation_icon(table) != RISING_ICON:
            continue
        last = table[table["value"].notna()].iloc[-1]
        latest = g[g["month"] == last["x"]].iloc[0]
        rows.append({"unit": unit, "theme": theme, "latest_share": float(last["value"]),
                     "centre": float(last["centre"]), "latest_k": int(latest["k"]),
                     "latest_n": int(latest["n"]), "trial": bool(last["trial"])})
    out = pd.DataFrame(rows, columns=columns)
    if out.empty:
        return out
    out = out.assign(_lift=out["latest_share"] - out["centre"]).sort_values(
        ["_lift", "unit", "theme"], ascending=[False, True, True])
    return out.drop(columns="_lift").reset_index(drop=True)
