"""Thin loaders for the Overview and Trends SQL in ``kokemus/sql``.

Each function opens the warehouse for one query and closes it again (see kokemus.db: a
held connection would lock out CLI imports). They return plain pandas frames of counts;
measures are computed by :mod:`kokemus.metrics` and small numbers hidden by the pages, so
the SQL stays a readable statement of *what is counted*. Caching is kokemus.cached's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from kokemus import charts, config, db, metrics, spc, suppression
from kokemus.filters import FilterOptions, Filters, add_months, months_between, scope_params

SQL_DIR = Path(__file__).parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
COUNT_COLUMNS = ("responses", "scored", "score_sum", "satisfied", "nps_n", "promoters",
                 "detractors", "typed", "praise", "wants_reply", "comments", "score_sq_sum")


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def execute(con, name: str, params: dict[str, object]) -> pd.DataFrame:
    """Run ``sql/<name>.sql`` on an open connection with the parameters it names (extra
    ones are dropped, as DuckDB rejects unused named parameters)."""
    text = sql(name)
    wanted = set(_PARAM.findall(text))
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"{name}.sql needs parameters {sorted(missing)}")
    return con.execute(text, {k: v for k, v in params.items() if k in wanted}).df()


def run(name: str, params: dict[str, object], db_path=None) -> pd.DataFrame:
    """:func:`execute` on a connection of its own, closed straight after."""
    with db.connect(db_path) as con:
        return execute(con, name, params)


def _counts(df: pd.DataFrame) -> pd.DataFrame:
    """Sums come back as HUGEINT/float; make them plain float so metrics and plotly agree."""
    for c in COUNT_COLUMNS:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    if "month" in df.columns:
        df["month"] = pd.to_datetime(df["month"])
    return df


def kpi_totals(f: Filters, db_path=None) -> pd.DataFrame:
    """One row per period: ``current``, ``previous`` (same length just before) and
    ``year_ago`` (same months a year earlier), indexed by period."""
    prev, ly = f.previous_period(), f.year_ago()
    params = {**f.to_sql_params(), "prev_start": prev.start, "prev_end": prev.end,
              "ly_start": ly.start, "ly_end": ly.end}
    df = _counts(run("kpi_totals", params, db_path)).set_index("period")
    return df.reindex(["current", "previous", "year_ago"]).fillna(0.0)


def monthly_totals(f: Filters, db_path=None) -> pd.DataFrame:
    return _counts(run("monthly_totals", f.to_sql_params(), db_path))


def unit_monthly(f: Filters, db_path=None) -> pd.DataFrame:
    return _counts(run("unit_monthly", f.to_sql_params(), db_path))


def org_monthly(f: Filters, db_path=None) -> pd.DataFrame:
    return _counts(run("org_monthly", f.to_sql_params(), db_path))


def top_problems(f: Filters, limit: int = 5, db_path=None) -> pd.DataFrame:
    return run("top_problems", {**f.to_sql_params(), "limit": limit}, db_path)


def recent_praise(f: Filters, limit: int = 5, db_path=None) -> pd.DataFrame:
    return run("recent_praise", {**f.to_sql_params(), "limit": limit}, db_path)


def filter_options(db_path=None, scope: tuple[int, ...] | None = None) -> FilterOptions:
    """Months and units to offer, within ``scope`` (unit ids the user may see; None = all)."""
    params = scope_params(scope)
    with db.connect(db_path) as con:  # one connection: opening costs as much as both queries
        months = execute(con, "data_months", params).iloc[0]
        units = execute(con, "filter_units", params)
    by_area: dict[str, list[str]] = {}
    for area, unit in units.itertuples(index=False):
        by_area.setdefault(area, []).append(unit)

    def as_date(v) -> date | None:
        return None if pd.isna(v) else pd.Timestamp(v).date()

    return FilterOptions(first_month=as_date(months["first_month"]),
                         last_month=as_date(months["last_month"]),
                         units_by_area=tuple((a, tuple(us)) for a, us in by_area.items()))


def page_queries() -> dict[str, Callable[[Filters], object]]:
    """Every query the Overview and Trends pages run, by name (for the benchmark)."""
    return {"kpi_totals": kpi_totals, "monthly_totals": monthly_totals,
            "unit_monthly": unit_monthly, "org_monthly": org_monthly,
            "top_problems": top_problems, "recent_praise": recent_praise,
            "filter_options": lambda f: filter_options()}


# ------------------------------------------------------------------ shaping for the pages
# Pure functions from the frames above to what a page shows: measures from kokemus.metrics,
# small numbers hidden by kokemus.suppression, signals from kokemus.spc. Kept here (not in
# pages/) so they are tested without Streamlit and cached as a whole by kokemus.cached.

@dataclass(frozen=True)
class Kpi:
    """How one headline measure is computed, judged and charted."""
    name: str
    n_col: str                 # the count it rests on (shown as n, suppressed on)
    chart: str                 # "xmr" or "p"
    direction: str             # spc improvement direction: increase | decrease | neutral
    k_col: str | None = None   # numerator for p-charts
    is_count: bool = False     # a count, not a rate: no interval


KPIS: dict[str, Kpi] = {
    "responses": Kpi("responses", "responses", "xmr", "neutral", is_count=True),
    "pct_satisfied": Kpi("pct_satisfied", "scored", "p", "increase", k_col="satisfied"),
    "mean_score": Kpi("mean_score", "scored", "xmr", "increase"),
    "nps": Kpi("nps", "nps_n", "xmr", "increase"),
    "praise_share": Kpi("praise_share", "typed", "p", "increase", k_col="praise"),
    "replies_due": Kpi("replies_due", "responses", "xmr", "neutral", is_count=True),
}
RATE_KPIS = tuple(k for k, spec in KPIS.items() if not spec.is_count)
SPC_HISTORY_MONTHS = 24
"""Months of history behind a Making Data Count icon: enough for 12+ points of baseline
whatever the chosen period (a "this year" view in March has only three)."""


@dataclass(frozen=True)
class KpiTile:
    name: str
    value: float | None
    n: float
    lo: float | None = None
    hi: float | None = None
    vs_previous: float | None = None
    vs_year_ago: float | None = None
    suppressed: bool = False
    variation: str | None = None
    assurance: str | None = None
    target: float | None = None
    trial: bool = False


def with_measures(counts: pd.DataFrame, min_n: int | None = None,
                  group_cols: Sequence[str] | None = None) -> pd.DataFrame:
    """Counts -> measures with intervals, small numbers hidden.

    ``replies_due`` is the wants_reply count; counts are hidden (with their measures) when
    they rest on fewer than ``min_n`` responses, as every other figure is.
    """
    threshold = config.min_n() if min_n is None else min_n
    out = suppression.suppress_kpis(metrics.add_kpis(counts), threshold=threshold,
                                    group_cols=group_cols)
    out["replies_due"] = out["wants_reply"]
    small = (out["responses"] > 0) & (out["responses"] < threshold)
    out["responses_suppressed"] = small
    out["replies_due_suppressed"] = small
    out.loc[small, ["replies_due"]] = np.nan
    out["suppressed"] = out["suppressed"] | small
    return out


def _value(row: pd.Series, name: str) -> float | None:
    v = row.get(name)
    return None if v is None or pd.isna(v) else float(v)


def history_start(start: date, end: date) -> date:
    """First month of the history behind the icons: the period, or 24 months if longer."""
    return min(start, add_months(end, -(SPC_HISTORY_MONTHS - 1)))


def full_months(df: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Reindex a monthly frame onto every month start..end: a month without feedback is a
    gap (NaN), not a missing row, so SPC runs and charts see it."""
    months = pd.to_datetime([add_months(start, i) for i in range(months_between(start, end))])
    out = df.set_index("month").reindex(months)
    out.index.name = "month"
    for c in COUNT_COLUMNS:
        if c in out.columns:
            out[c] = out[c].fillna(0.0)
    return out.reset_index()


def spc_for(monthly: pd.DataFrame, kpi: str, *, run_length: int = spc.RUN_LENGTH,
            trend_length: int = spc.TREND_LENGTH, change_dates: Sequence[date] = (),
            target: float | None = None) -> pd.DataFrame:
    """Making Data Count table for one measure over a monthly frame of counts."""
    return spc_from_measures(with_measures(monthly, group_cols=["month"]), kpi,
                             run_length=run_length, trend_length=trend_length,
                             change_dates=change_dates, target=target)


def spc_from_measures(m: pd.DataFrame, kpi: str, *, run_length: int = spc.RUN_LENGTH,
                      trend_length: int = spc.TREND_LENGTH, change_dates: Sequence[date] = (),
                      target: float | None = None) -> pd.DataFrame:
    """:func:`spc_for` on a frame that already went through :func:`with_measures`.

    Hidden months (small n) enter as gaps: n = 0 on p-charts, NaN on XmR charts.
    """
    spec = KPIS[kpi]
    hidden = m[f"{kpi}_suppressed"].to_numpy(dtype=bool)
    common = dict(chart=spec.chart, improvement_direction=spec.direction,
                  change_dates=list(change_dates), run_length=run_length,
                  trend_length=trend_length, target=target)
    if spec.chart == "p":
        k = m[spec.k_col].where(~hidden, 0.0)
        n = m[spec.n_col].where(~hidden, 0.0)
        table = spc.spc_table(list(m["month"]), k=k, n=n, scale=100.0, **common)
    else:
        values = m[kpi].where(~hidden)
        table = spc.spc_table(list(m["month"]), values=values, n=m[spec.n_col], **common)
    table["n"] = m[spec.n_col].to_numpy()
    table["responses"] = m["responses"].to_numpy()
    table["suppressed"] = hidden
    return table


def kpi_tiles(totals: pd.DataFrame, history: pd.DataFrame,
              targets: dict[str, float] | None = None) -> list[KpiTile]:
    """The six Overview tiles from :func:`kpi_totals` and a monthly history frame."""
    targets = targets or {}
    periods = with_measures(totals.reset_index(), group_cols=["period"]).set_index("period")
    cur, prev, ly = (periods.loc[p] for p in ("current", "previous", "year_ago"))
    tiles = []
    measured = with_measures(history, group_cols=["month"])  # once, not once per tile
    for name, spec in KPIS.items():
        hidden = bool(cur[f"{name}_suppressed"])
        value = None if hidden else _value(cur, name)

        def delta(other: pd.Series) -> float | None:
            if hidden or bool(other[f"{name}_suppressed"]):
                return None
            return metrics.change(value, _value(other, name))

        table = spc_from_measures(measured, name, target=targets.get(name))
        variation, assurance = spc.icons(table, spec.direction, targets.get(name))
        seen = table[table["value"].notna()]
        tiles.append(KpiTile(
            name=name, value=value, n=float(cur[spec.n_col]),
            lo=None if hidden or spec.is_count else _value(cur, f"{name}_lo"),
            hi=None if hidden or spec.is_count else _value(cur, f"{name}_hi"),
            vs_previous=delta(prev), vs_year_ago=delta(ly), suppressed=hidden,
            variation=variation, assurance=assurance, target=targets.get(name),
            trial=bool(seen["trial"].iloc[-1]) if len(seen) else False,
        ))
    return tiles


def unit_ranking(unit_months: pd.DataFrame, kpi: str, start: date, end: date,
                 targets: dict[str, float] | None = None) -> pd.DataFrame:
    """One row per unit: the measure over start..end with n and interval, its monthly
    values over the period (sparkline) and Making Data Count icons from the whole history
    given. Ranked best first (by value; hidden values last)."""
    targets = targets or {}
    spec = KPIS[kpi]
    if unit_months.empty:
        return pd.DataFrame(columns=["unit", "service_area", "n", "value", "lo", "hi", "trend",
                                     "variation", "assurance", "suppressed"])
    lo_ts, hi_ts = pd.Timestamp(start), pd.Timestamp(end)
    in_period = unit_months[(unit_months["month"] >= lo_ts) & (unit_months["month"] <= hi_ts)]
    present = [c for c in COUNT_COLUMNS if c in unit_months.columns]
    sums = in_period.groupby(["unit", "service_area"], dropna=False)[present].sum().reset_index()
    measured = with_measures(sums)  # one group: units are siblings of the organisation total
    first = history_start(start, end)
    grid = pd.MultiIndex.from_product(
        [sorted(unit_months["unit"].unique()),
         pd.to_datetime([add_months(first, i) for i in range(months_between(first, end))])],
        names=["unit", "month"])
    monthly = (unit_months.drop(columns=["service_area"]).set_index(["unit", "month"])
               .reindex(grid).fillna(0.0).reset_index())
    measured_months = with_measures(monthly, group_cols=["unit", "month"])
    rows = []
    for unit, m in measured_months.groupby("unit", sort=False):
        table = spc_from_measures(m.reset_index(drop=True), kpi, target=targets.get(kpi))
        variation, assurance = spc.icons(table, spec.direction, targets.get(kpi))
        period = table[(table["x"] >= lo_ts) & (table["x"] <= hi_ts)]
        trend = charts.sparkline(period["value"])
        rows.append({"unit": unit, "trend": trend, "variation": variation, "assurance": assurance})
    icons_df = pd.DataFrame(rows)
    out = measured.merge(icons_df, on="unit", how="left")
    out = out.assign(n=out[spec.n_col], value=out[kpi],
                     lo=np.nan if spec.is_count else out.get(f"{kpi}_lo"),
                     hi=np.nan if spec.is_count else out.get(f"{kpi}_hi"),
                     suppressed=out[f"{kpi}_suppressed"])
    ascending = spec.direction == "decrease"
    out = out.sort_values(["value", "n"], ascending=[ascending, False], na_position="last")
    return out[["unit", "service_area", "n", "value", "lo", "hi", "trend", "variation",
                "assurance", "suppressed"]].reset_index(drop=True)


def format_number(value: float | None, decimals: int = 0, lang: str = "fi", *,
                  signed: bool = False, suffix: str = "") -> str:
    """Numbers as people in each language write them: Finnish and Swedish with a decimal
    comma and a narrow no-break space between thousands, English with a point and a comma.
    None (hidden or missing) becomes an en dash."""
    if value is None or pd.isna(value):
        return "–"
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    if lang in ("fi", "sv"):
        text = text.replace(",", charts.THOUSANDS).replace(".", ",")
    return text + suffix


KPI_DECIMALS = {"responses": 0, "pct_satisfied": 1, "mean_score": 2, "nps": 0,
                "praise_share": 1, "replies_due": 0, "reply_promise": 1}
PERCENT_KPIS = ("pct_satisfied", "praise_share", "reply_promise")


def format_kpi(kpi: str, value: float | None, lang: str = "fi", *, signed: bool = False) -> str:
    """A measure (or, ``signed``, a change in it) with its unit; changes in shares are
    percentage points."""
    from kokemus.i18n import t

    suffix = ""
    if kpi in PERCENT_KPIS:
        suffix = t("kpi_unit_pp" if signed else "kpi_unit_pct", lang)
    return format_number(value, KPI_DECIMALS[kpi], lang, signed=signed, suffix=suffix)
