"""Everything the review pack says, as plain data, computed once from the warehouse.

The renderers only lay this out, so the PDF, the XLSX and the HTML can never disagree,
and the same data gives the same figures (no clock, no randomness: comments are chosen by
a hash of their row key, the "as of" date is the end of the period).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Sequence

import pandas as pd

from kokemus import actions, config, db, problem_queries as pq, queries, recurring, replies, spc, targets
from kokemus.filters import Filters, add_months, month_key, months_between, parse_month

LEVELS = ("organisation", "service_area", "unit")
CHART_KPI = "pct_satisfied"
TOP_THEMES = 8
COMMENTS_PER_THEME = 3
_PERIOD = re.compile(r"^\s*(\d{4}-\d{2})\s*\.\.\s*(\d{4}-\d{2})\s*$")


def parse_period(text: str) -> tuple[date, date]:
    """'2026-09..2026-10' -> (2026-09-01, 2026-10-01); ValueError with a clear message."""
    m = _PERIOD.match(text or "")
    start, end = (parse_month(m.group(1)), parse_month(m.group(2))) if m else (None, None)
    if start is None or end is None:
        raise ValueError(f"period must be written YYYY-MM..YYYY-MM, not {text!r}")
    if start > end:
        raise ValueError(f"the period {text!r} ends before it starts")
    return start, end


def default_period(last_month: date | None, today: date | None = None) -> tuple[date, date]:
    """The last two full months: before today's month, and not past the data."""
    today = today or date.today()
    end = add_months(today.replace(day=1), -1)
    if last_month is not None and last_month < end:
        end = last_month
    return add_months(end, -1), end


@dataclass
class Group:
    name: str
    filters: Filters
    kpis: dict[str, dict]                      # kpi -> value, n, lo, hi, previous, suppressed
    chart: pd.DataFrame                        # spc table of CHART_KPI over 24 months
    variation: str | None
    promise: replies.PromiseSummary
    units: tuple[str, ...] = ()


@dataclass
class ReportData:
    lang: str
    level: str
    organisation: str
    start: date
    end: date
    prev_start: date
    prev_end: date
    min_n: int
    tiles: list[queries.KpiTile]
    promise: replies.PromiseSummary
    groups: list[Group]
    top_themes: pd.DataFrame                   # theme, responses, previous, change
    rising: pd.DataFrame                       # theme, share, previous_share, change (pp)
    comments: pd.DataFrame                     # theme, comment, unit, month
    promise_by_group: pd.DataFrame             # group, due, in_time, pct, overdue_open
    overdue: pd.DataFrame                      # case_id, unit, due_on, days_overdue, status
    actions_started: pd.DataFrame
    actions_done: pd.DataFrame
    nostot: pd.DataFrame                       # unit, theme, latest_share, centre, latest_k, latest_n
    action_markers: list[dict] = field(default_factory=list)

    @property
    def period_text(self) -> str:
        return f"{month_key(self.start)}..{month_key(self.end)}"


def _organisation(db_path) -> str:
    with db.connect(db_path) as con:
        rows = con.execute("SELECT name FROM organisations ORDER BY organisation_id").fetchall()
    return rows[0][0] if rows else ""


def _groups(level: str, f: Filters, options) -> list[tuple[str, Filters]]:
    if level == "organisation":
        return [("", f)]
    if level == "service_area":
        areas = [a for a in options.areas if not f.areas or a in f.areas]
        return [(a, dataclasses.replace(f, areas=(a,), units=())) for a in areas]
    units = [u for u in options.units(f.areas) if not f.units or u in f.units]
    return [(u, dataclasses.replace(f, units=(u,))) for u in units]


def _kpi_row(f: Filters, db_path) -> dict[str, dict]:
    totals = queries.kpi_totals(f, db_path=db_path)
    periods = queries.with_measures(totals.reset_index(), group_cols=["period"]).set_index("period")
    cur, prev = periods.loc["current"], periods.loc["previous"]
    out = {}
    for name, spec in queries.KPIS.items():
        hidden = bool(cur[f"{name}_suppressed"])
        value = None if hidden or pd.isna(cur[name]) else float(cur[name])
        before = None if bool(prev[f"{name}_suppressed"]) or pd.isna(prev[name]) else float(prev[name])
        out[name] = {"value": value, "n": float(cur[spec.n_col]), "previous": before, "suppressed": hidden,
                     "lo": None if hidden or spec.is_count else _num(cur.get(f"{name}_lo")),
                     "hi": None if hidden or spec.is_count else _num(cur.get(f"{name}_hi"))}
    return out


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _history(f: Filters) -> Filters:
    return dataclasses.replace(f, start=queries.history_start(f.start, f.end), preset="custom")


def _chart(f: Filters, db_path, target) -> pd.DataFrame:
    hist = _history(f)
    monthly = queries.full_months(queries.monthly_totals(hist, db_path=db_path), hist.start, hist.end)
    return queries.spc_for(monthly, CHART_KPI, target=target)


def _themes(f: Filters, prev: Filters, min_n: int, db_path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top themes (critical mentions in complaints and suggestions) and the themes whose
    share of those rose most against the previous period."""
    def counts(x: Filters) -> tuple[pd.Series, float]:
        c = pq.theme_counts(x, db_path)
        total = pq.type_totals(x, db_path)
        return (c.groupby("theme")["responses"].sum() if len(c) else pd.Series(dtype="float64"),
                float(total["responses"].sum()) if len(total) else 0.0)

    now, n_now = counts(f)
    before, n_before = counts(prev)
    df = pd.DataFrame({"responses": now, "previous": before}).fillna(0.0)
    if df.empty:
        empty = pd.DataFrame(columns=["theme", "responses", "previous", "change", "share", "previous_share"])
        return empty, empty
    df["change"] = df["responses"] - df["previous"]
    df["share"] = 100.0 * df["responses"] / n_now if n_now else float("nan")
    df["previous_share"] = 100.0 * df["previous"] / n_before if n_before else float("nan")
    df = df.rename_axis("theme").reset_index()
    # small numbers: a theme count under min_n is not shown (nor its change)
    shown = df[df["responses"] >= min_n]
    top = shown.sort_values(["responses", "theme"], ascending=[False, True]).head(TOP_THEMES)
    rising = shown.assign(rise=shown["share"] - shown["previous_share"])
    rising = rising[(rising["rise"] > 0) & (rising["previous"] >= min_n)]
    rising = rising.sort_values(["rise", "theme"], ascending=[False, True]).head(5)
    return top.reset_index(drop=True), rising.reset_index(drop=True)


def _nostot(hist: Filters, db_path) -> pd.DataFrame:
    """Unit x theme cells whose latest month is a special cause (concern) on their p-chart.

    Only pairs whose latest share lies above their own weighted mean can be one (the
    "concern, high" point sits above the centre line), so the others are not charted."""
    counts, totals = pq.theme_counts(hist, db_path), pq.type_totals(hist, db_path)
    months = pq.period_months(hist)
    shares = recurring.monthly_shares(counts, totals, months)
    if shares.empty:
        return recurring.rising_themes(counts, totals, months)
    last = shares[shares["month"] == shares["month"].max()].set_index(["unit", "theme"])
    sums = shares.groupby(["unit", "theme"])[["k", "n"]].sum()
    centre = sums["k"] / sums["n"].where(sums["n"] > 0)
    above = (last["share"] > centre.reindex(last.index)).fillna(False)
    keep = set(above[above].index)
    pairs = pd.MultiIndex.from_frame(counts[["unit", "theme"]])
    return recurring.rising_themes(counts[pairs.isin(list(keep))], totals, months)


def build(start: date, end: date, *, level: str = "service_area", lang: str = "fi",
          areas: Sequence[str] = (), units: Sequence[str] = (), allowed: Sequence[int] | None = None,
          db_path=None) -> ReportData:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    min_n = config.min_n()
    scope = None if allowed is None else tuple(int(i) for i in allowed)  # every query below obeys it
    f = Filters(start=start, end=end, preset="custom", areas=tuple(areas), units=tuple(units), scope=scope)
    prev = f.previous_period()
    as_of = add_months(end, 1) - timedelta(days=1)   # figures as they stood at the period's end
    goals = targets.load_targets()
    hist = _history(f)
    history = queries.full_months(queries.monthly_totals(hist, db_path=db_path), hist.start, hist.end)
    tiles = queries.kpi_tiles(queries.kpi_totals(f, db_path=db_path), history, goals)
    promise = replies.summary(f, today=as_of, allowed=allowed, history=hist, min_n=min_n, db_path=db_path)
    groups = []
    promise_rows = []
    options = queries.filter_options(db_path, scope)
    for name, gf in _groups(level, f, options):
        chart = _chart(gf, db_path, goals.get(CHART_KPI))
        variation, _ = spc.icons(chart, queries.KPIS[CHART_KPI].direction, goals.get(CHART_KPI))
        gp = replies.summary(gf, today=as_of, allowed=allowed, min_n=min_n, icon=False, db_path=db_path)
        group_units = tuple(gf.units) or options.units(gf.areas)
        groups.append(Group(name, gf, _kpi_row(gf, db_path), chart, variation, gp, group_units))
        promise_rows.append({"group": name, "due": gp.n, "pct": gp.value, "suppressed": gp.suppressed,
                             "open": gp.open, "overdue": gp.overdue})
    top, rising = _themes(f, prev, min_n, db_path)
    with db.connect(db_path) as con:
        comments = queries.execute(con, "report_comments", {
            **f.to_sql_params(), "themes": list(top["theme"]), "per_theme": COMMENTS_PER_THEME,
            "min_n": min_n, "allowed": None if allowed is None else list(allowed)})
    work = replies.worklist(areas=f.areas, units=f.units, statuses=replies.OPEN_STATUSES, today=as_of,
                            allowed=allowed, db_path=db_path)
    overdue = work[work["overdue"]].assign(days_overdue=lambda d: -d["days_left"])[
        ["case_id", "unit", "due_on", "days_overdue", "status"]].reset_index(drop=True)
    unit_names = list(f.units) or list(options.units(f.areas))
    acts = actions.list_actions(unit_names, allowed=allowed, db_path=db_path)
    started, done = actions.in_period(acts, start, end)
    nostot = _nostot(hist, db_path)
    nostot = nostot[nostot["latest_n"] >= min_n].reset_index(drop=True)
    return ReportData(
        lang=lang, level=level, organisation=_organisation(db_path), start=start, end=end,
        prev_start=prev.start, prev_end=prev.end, min_n=min_n, tiles=tiles, promise=promise, groups=groups,
        top_themes=top, rising=rising, comments=comments, promise_by_group=pd.DataFrame(promise_rows),
        overdue=overdue, actions_started=started.reset_index(drop=True), actions_done=done.reset_index(drop=True),
        nostot=nostot, action_markers=actions.markers(acts, lang))


def months_in(start: date, end: date) -> int:
    return months_between(start, end)
