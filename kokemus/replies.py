"""Reply cases: the worklist, the case life cycle, the restricted contact details, the
promise settings and the "answered within the promise" measure.

Writes check the life cycle here, not in the page: a case is open -> in progress ->
replied (date and channel) or closed without a reply (with a reason), and may be reopened.
Contact details are read only by :func:`case_contacts` and deleted by
:func:`purge_contacts` once a case has been closed for the retention period.
Every reader takes ``allowed`` (unit ids, None = all) so roles can scope it.
"""
from __future__ import annotations

import dataclasses
from datetime import date
from typing import Sequence

import pandas as pd

from kokemus import config, db, metrics, spc
from kokemus.filters import Filters
from kokemus.promise import KINDS, Promise
from kokemus.queries import Kpi, execute

STATUSES = ("open", "in_progress", "replied", "closed")
OPEN_STATUSES = ("open", "in_progress")
CHANNELS = ("phone", "email", "letter", "meeting", "other")
CLOSE_REASONS = ("no_contact", "unreachable", "withdrawn", "duplicate", "other")
KPI = Kpi("reply_promise", "due", "p", "increase", k_col="in_time")


class CaseError(ValueError):
    """A change the life cycle does not allow; ``key`` is a message catalogue key."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def worklist(*, units: Sequence[str] = (), areas: Sequence[str] = (),
             statuses: Sequence[str] = (), assignee: str | None = None,
             today: date | None = None, allowed: Sequence[int] | None = None,
             db_path=None) -> pd.DataFrame:
    """Cases by due date (oldest first), with ``overdue`` and ``days_left``."""
    params = {"units": list(units), "areas": list(areas), "statuses": list(statuses),
              "assignee": assignee, "today": today or date.today(),
              "allowed": None if allowed is None else list(allowed)}
    with db.connect(db_path) as con:
        return execute(con, "replies_worklist", params)


def assignees(allowed: Sequence[int] | None = None, db_path=None) -> list[str]:
    with db.connect(db_path) as con:
        rows = con.execute(
            "SELECT DISTINCT assignee FROM reply_cases WHERE assignee IS NOT NULL "
            "AND ($allowed IS NULL OR list_contains($allowed, unit_id)) ORDER BY 1",
            {"allowed": None if allowed is None else list(allowed)}).fetchall()
    return [r[0] for r in rows]


def case_contacts(case_id: int, allowed: Sequence[int] | None = None, db_path=None) -> list[dict]:
    """Restricted: the phone numbers and e-mail addresses left for this case's reply."""
    with db.connect(db_path) as con:
        df = execute(con, "replies_contacts", {"case_id": int(case_id),
                                               "allowed": None if allowed is None else list(allowed)})
    return df.to_dict("records")


def _case(con, case_id: int) -> dict:
    df = con.execute("SELECT * FROM reply_cases WHERE case_id = ?", [int(case_id)]).df()
    if df.empty:
        raise CaseError("rp_err_no_case")
    return df.iloc[0].to_dict()


def update_case(case_id: int, *, status: str | None = None, assignee: str | None = None,
                replied_on: date | None = None, reply_channel: str | None = None,
                close_reason: str | None = None, note: str | None = None,
                today: date | None = None, db_path=None) -> dict:
    """Change one case. ``assignee``/``note`` of '' clear them; None leaves them.

    replied: needs a channel; the date defaults to today and may not be in the future or
    before the feedback. closed: needs a reason. Back to open / in progress: the reply
    and closing fields are cleared (the contact details, if still kept, stay).
    """
    today = today or date.today()
    if status is not None and status not in STATUSES:
        raise CaseError("rp_err_status")
    with db.writer(db_path) as con:
        case = _case(con, case_id)
        new = {}
        if assignee is not None:
            new["assignee"] = assignee.strip()[:120] or None
        if note is not None:
            new["note"] = note.strip()[:4000] or None
        if status == "replied":
            replied_on = replied_on or today
            if reply_channel not in CHANNELS:
                raise CaseError("rp_err_channel")
            submitted = pd.Timestamp(case["submitted_on"]).date()
            if replied_on > today or replied_on < submitted:
                raise CaseError("rp_err_reply_date")
            new.update(status="replied", replied_on=replied_on, reply_channel=reply_channel,
                       close_reason=None, closed_on=replied_on)
        elif status == "closed":
            if close_reason not in CLOSE_REASONS:
                raise CaseError("rp_err_reason")
            new.update(status="closed", close_reason=close_reason, closed_on=today,
                       replied_on=None, reply_channel=None)
        elif status in OPEN_STATUSES:
            new.update(status=status, replied_on=None, reply_channel=None, close_reason=None,
                       closed_on=None)
        if not new:
            return case
        sets = ", ".join(f"{k} = ?" for k in new)
        con.execute(f"UPDATE reply_cases SET {sets}, updated_at = current_timestamp WHERE case_id = ?",
                    [*new.values(), int(case_id)]).fetchall()
        return _case(con, case_id)


def mark_replied(case_id: int, channel: str = "phone", *, replied_on: date | None = None,
                 today: date | None = None, db_path=None) -> dict:
    """The one-click "replied today" of the worklist."""
    return update_case(case_id, status="replied", reply_channel=channel, replied_on=replied_on,
                       today=today, db_path=db_path)


def purge_contacts(today: date | None = None, db_path=None) -> int:
    """Delete the contact details of cases closed for at least their retention period."""
    with db.writer(db_path) as con:
        before = con.execute("SELECT count(*) FROM reply_contacts").fetchall()[0][0]
        execute(con, "replies_purge", {"today": today or date.today()})
        return before - con.execute("SELECT count(*) FROM reply_contacts").fetchall()[0][0]


# ------------------------------------------------------------------------------ promises

def unit_promises(db_path=None) -> pd.DataFrame:
    with db.connect(db_path) as con:
        return con.execute("SELECT * FROM reply_unit_promises ORDER BY unit").df()


def default_promise(db_path=None) -> Promise:
    with db.connect(db_path) as con:
        row = con.execute("SELECT days, kind, retention_days FROM reply_promises "
                          "WHERE organisation_id IS NULL AND unit_id IS NULL").fetchall()
    return Promise(*row[0]) if row else Promise(7)


def set_promise(promise: Promise, *, unit: str | None = None, db_path=None) -> None:
    """The promise for new cases of one unit (or, unit None, the default). Cases already
    created keep the due date they were given."""
    if promise.kind not in KINDS:
        raise CaseError("rp_err_kind")
    with db.writer(db_path) as con:
        if unit is None:
            con.execute("DELETE FROM reply_promises WHERE organisation_id IS NULL AND unit_id IS NULL").fetchall()
            con.execute("INSERT INTO reply_promises VALUES (NULL, NULL, ?, ?, ?)",
                        [promise.days, promise.kind, promise.retention_days]).fetchall()
            return
        row = con.execute("SELECT unit_id FROM units WHERE name = ?", [unit]).fetchall()
        if not row:
            raise CaseError("rp_err_no_unit")
        con.execute("DELETE FROM reply_promises WHERE unit_id = ?", [row[0][0]]).fetchall()
        con.execute("INSERT INTO reply_promises VALUES (NULL, ?, ?, ?, ?)",
                    [row[0][0], promise.days, promise.kind, promise.retention_days]).fetchall()


def clear_unit_promise(unit: str, db_path=None) -> None:
    with db.writer(db_path) as con:
        con.execute("DELETE FROM reply_promises WHERE unit_id = (SELECT unit_id FROM units WHERE name = ?)",
                    [unit]).fetchall()


# ------------------------------------------------------------------------------ measure

def monthly(f: Filters, *, today: date | None = None, allowed: Sequence[int] | None = None,
            db_path=None) -> pd.DataFrame:
    """Per unit and month of the due date: due, in_time, overdue, cases."""
    params = {**f.to_sql_params(), "today": today or date.today(),
              "allowed": None if allowed is None else list(allowed)}
    with db.connect(db_path) as con:
        df = execute(con, "replies_monthly", params)
    for c in ("due", "in_time", "overdue", "cases"):
        df[c] = pd.to_numeric(df[c]).astype("float64")
    df["month"] = pd.to_datetime(df["month"])
    return df


def spc_table(f: Filters, *, today: date | None = None, allowed=None, run_length: int = spc.RUN_LENGTH,
              trend_length: int = spc.TREND_LENGTH, change_dates: Sequence[date] = (),
              min_n: int | None = None, db_path=None, months: pd.DataFrame | None = None) -> pd.DataFrame:
    """p-chart of % answered within the promise over the filters' months (all units
    together); months resting on fewer than min_n due cases are gaps. ``months`` is
    :func:`monthly` of these filters when the caller already has it."""
    from kokemus.queries import full_months
    threshold = config.min_n() if min_n is None else min_n
    m = monthly(f, today=today, allowed=allowed, db_path=db_path) if months is None else months
    total = m.groupby("month")[["due", "in_time", "overdue", "cases"]].sum().reset_index()
    total = full_months(total, f.start, f.end)
    for c in ("due", "in_time", "overdue", "cases"):
        total[c] = total[c].fillna(0.0)
    hidden = ((total["due"] > 0) & (total["due"] < threshold)).to_numpy()
    k = total["in_time"].where(~hidden, 0.0)
    n = total["due"].where(~hidden, 0.0)
    table = spc.spc_table(list(total["month"]), k=k, n=n, chart="p", scale=100.0,
                          improvement_direction="increase", change_dates=list(change_dates),
                          run_length=run_length, trend_length=trend_length)
    table["n"] = total["due"].to_numpy()
    table["responses"] = total["cases"].to_numpy()
    table["suppressed"] = hidden
    return table


@dataclasses.dataclass(frozen=True)
class PromiseSummary:
    value: float | None
    n: int
    lo: float | None
    hi: float | None
    open: int
    overdue: int
    suppressed: bool
    variation: str | None
    trial: bool


def summary(f: Filters, *, today: date | None = None, allowed=None, min_n: int | None = None,
            history: Filters | None = None, icon: bool = True, db_path=None) -> PromiseSummary:
    """The Overview tile: % answered within the promise over the period, its n and
    interval, cases still open and overdue, and the Making Data Count icon."""
    threshold = config.min_n() if min_n is None else min_n
    # One query for the icon's history and the period inside it (the period's months are
    # a slice of the history's: same filters, months of the due date).
    hist = history if history is not None and icon and history.start <= f.start and history.end == f.end else None
    every = monthly(hist or f, today=today, allowed=allowed, db_path=db_path)
    m = every if hist is None else every[(every["month"] >= pd.Timestamp(f.start))
                                         & (every["month"] <= pd.Timestamp(f.end))]
    due, in_time = int(m["due"].sum()), int(m["in_time"].sum())
    hidden = 0 < due < threshold
    value = None if hidden or not due else 100.0 * in_time / due
    lo = hi = None
    if value is not None:
        lo, hi = (100.0 * x for x in metrics.wilson_interval(in_time, due))
    with db.connect(db_path) as con:
        open_, overdue = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE due_on < $today) FROM reply_cases c "
            "JOIN units u USING (unit_id) LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id "
            "WHERE c.status IN ('open', 'in_progress') AND ($allowed IS NULL OR list_contains($allowed, c.unit_id)) "
            "AND (CASE WHEN len($units) > 0 THEN list_contains($units, u.name) "
            "ELSE len($areas) = 0 OR list_contains($areas, sa.name) END)",
            {"today": today or date.today(), "allowed": None if allowed is None else list(allowed),
             "units": list(f.units), "areas": list(f.areas)}).fetchall()[0]
    if not icon:
        return PromiseSummary(value, due, lo, hi, int(open_), int(overdue), hidden, None, False)
    table = spc_table(history or f, today=today, allowed=allowed, min_n=threshold, db_path=db_path,
                      months=every if (hist is not None or history is None) else None)
    variation, _ = spc.icons(table, "increase")
    seen = table[table["value"].notna()]
    return PromiseSummary(value, due, lo, hi, int(open_), int(overdue), hidden, variation,
                          bool(seen["trial"].iloc[-1]) if len(seen) else False)


def batch_case_count(batch_id: int, db_path=None) -> int:
    with db.connect(db_path) as con:
        return con.execute("SELECT count(*) FROM reply_cases WHERE batch_id = ?", [batch_id]).fetchall()[0][0]


__all__ = ["STATUSES", "CHANNELS", "CLOSE_REASONS", "CaseError", "worklist", "update_case",
           "mark_replied", "case_contacts", "purge_contacts", "monthly", "spc_table", "summary"]


def format_date(value, lang: str = "fi") -> str:
    """19.6.2026 in Finnish and Swedish, 2026-06-19 in English; '' for no date."""
    d = as_date(value)
    if d is None:
        return ""
    return d.isoformat() if lang == "en" else f"{d.day}.{d.month}.{d.year}"


def as_date(value) -> date | None:
    if value is None or value is pd.NaT or (not isinstance(value, date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()
