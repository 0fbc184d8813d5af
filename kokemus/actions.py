"""Improvement actions ("you said, we did"): what a unit changed because of feedback, and
whether the feedback changed after it.

An action has a title and description in Finnish (Swedish and English optional), the
units and themes it addresses, a start date, an owner and a status (planned, started,
done), and optionally the comments that prompted it (by the responses' stable row keys).
The before/after figure is the theme's share of commented responses raising it critically,
in the months before the start against the months from the start on, each with its Wilson
interval, so a manager can see whether the change is more than noise.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

import pandas as pd

from kokemus import config, db, metrics
from kokemus.filters import add_months, month_start
from kokemus.queries import execute

STATUSES = ("planned", "started", "done")
LANGS = ("fi", "sv", "en")
BEFORE_AFTER_MONTHS = 6


class ActionError(ValueError):
    """An action that cannot be saved; ``key`` is a message catalogue key."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _clean(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = str(text).strip()
    return text[:limit] or None


def save_action(*, title_fi: str, start_on: date, units: Sequence[str], themes: Sequence[str] = (),
                status: str = "planned", owner: str | None = None, description_fi: str | None = None,
                title_sv: str | None = None, description_sv: str | None = None,
                title_en: str | None = None, description_en: str | None = None,
                done_on: date | None = None, prompted_by: Sequence[str] = (),
                action_id: int | None = None, db_path=None) -> int:
    """Create (or, with ``action_id``, replace) an action; returns its id."""
    title = _clean(title_fi, 200)
    if not title:
        raise ActionError("ac_err_title")
    if status not in STATUSES:
        raise ActionError("ac_err_status")
    if not units:
        raise ActionError("ac_err_units")
    if done_on is None and status == "done":
        done_on = date.today()
    if done_on is not None and done_on < start_on:
        raise ActionError("ac_err_done_before_start")
    with db.writer(db_path) as con:
        ids = con.execute("SELECT unit_id FROM units WHERE list_contains($u, name) ORDER BY unit_id",
                          {"u": list(units)}).fetchall()
        if len(ids) != len(set(units)):
            raise ActionError("ac_err_units")
        con.execute("BEGIN TRANSACTION").fetchall()
        try:
            if action_id is None:
                action_id = con.execute("SELECT coalesce(max(action_id), 0) + 1 FROM actions").fetchall()[0][0]
            else:
                for table in ("actions", "action_units", "action_themes", "action_comments"):
                    con.execute(f"DELETE FROM {table} WHERE action_id = ?", [action_id]).fetchall()
            con.execute(
                "INSERT INTO actions (action_id, title_fi, title_sv, title_en, description_fi, description_sv, "
                "description_en, start_on, owner, status, done_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [action_id, title, _clean(title_sv, 200), _clean(title_en, 200), _clean(description_fi, 2000),
                 _clean(description_sv, 2000), _clean(description_en, 2000), start_on, _clean(owner, 120),
                 status, done_on if status == "done" else None]).fetchall()
            for (unit_id,) in ids:
                con.execute("INSERT INTO action_units VALUES (?, ?)", [action_id, unit_id]).fetchall()
            for theme in dict.fromkeys(themes):
                con.execute("INSERT INTO action_themes VALUES (?, ?)", [action_id, theme]).fetchall()
            for key in dict.fromkeys(prompted_by):
                con.execute("INSERT INTO action_comments VALUES (?, ?)", [action_id, key]).fetchall()
            con.execute("COMMIT").fetchall()
        except BaseException:
            con.execute("ROLLBACK").fetchall()
            raise
    return int(action_id)


def delete_action(action_id: int, db_path=None) -> None:
    with db.writer(db_path) as con:
        for table in ("action_units", "action_themes", "action_comments", "actions"):
            con.execute(f"DELETE FROM {table} WHERE action_id = ?", [int(action_id)]).fetchall()


def list_actions(units: Sequence[str] = (), *, allowed: Sequence[int] | None = None,
                 theme: str | None = None, db_path=None) -> pd.DataFrame:
    """Actions newest first, with ``units``, ``unit_ids`` and ``themes`` as lists."""
    with db.connect(db_path) as con:
        df = execute(con, "actions_list", {"units": list(units),
                                           "allowed": None if allowed is None else list(allowed)})
    if theme is not None and len(df):
        df = df[df["themes"].map(lambda ts: theme in list(ts))].reset_index(drop=True)
    df["start_on"] = pd.to_datetime(df["start_on"]).dt.date
    df["done_on"] = pd.to_datetime(df["done_on"]).dt.date
    return df


def _text(row, key: str) -> str | None:
    value = row.get(key)
    return value if isinstance(value, str) and value.strip() else None


def title(row, lang: str) -> str:
    """The action's title in ``lang`` (a dict or a row), falling back to Finnish."""
    return _text(row, f"title_{lang}") or _text(row, "title_fi") or ""


def description(row, lang: str) -> str:
    return _text(row, f"description_{lang}") or _text(row, "description_fi") or ""


def in_period(actions: pd.DataFrame, start: date, end: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(started in start..end months, completed in start..end months)."""
    if actions.empty:
        return actions, actions
    lo, hi = month_start(start), add_months(month_start(end), 1)
    started = actions[(actions["start_on"] >= lo) & (actions["start_on"] < hi)]
    done = actions[actions["done_on"].map(lambda d: d is not None and not pd.isna(d) and lo <= d < hi)]
    return started, done


@dataclass(frozen=True)
class Share:
    months: int
    mentions: int
    comments: int
    share: float | None       # percent
    lo: float | None
    hi: float | None
    suppressed: bool


@dataclass(frozen=True)
class BeforeAfter:
    theme: str
    before: Share
    after: Share
    start: date
    after_end: date | None

    @property
    def change(self) -> float | None:
        if self.before.share is None or self.after.share is None:
            return None
        return self.after.share - self.before.share

    @property
    def clear(self) -> bool:
        """The intervals do not overlap: more than the usual wobble."""
        b, a = self.before, self.after
        if None in (b.lo, b.hi, a.lo, a.hi):
            return False
        return a.hi < b.lo or a.lo > b.hi


def _share(frame: pd.DataFrame, min_n: int) -> Share:
    mentions, comments = int(frame["mentions"].sum()), int(frame["comments"].sum())
    hidden = 0 < comments < min_n
    if hidden or comments == 0:
        return Share(len(frame), mentions, comments, None, None, None, hidden)
    lo, hi = metrics.wilson_interval(mentions, comments)
    return Share(len(frame), mentions, comments, 100.0 * mentions / comments, 100.0 * lo, 100.0 * hi, False)


def monthly_theme_share(unit_ids: Sequence[int], theme: str, start: date, end: date, db_path=None) -> pd.DataFrame:
    with db.connect(db_path) as con:
        df = execute(con, "actions_theme_share", {"unit_ids": [int(u) for u in unit_ids], "theme": theme,
                                                  "start": month_start(start), "end": month_start(end)})
    df["month"] = pd.to_datetime(df["month"]).dt.date
    for c in ("mentions", "comments"):
        df[c] = pd.to_numeric(df[c]).astype("int64")
    return df


def before_after(unit_ids: Sequence[int], theme: str, start_on: date, *, last_month: date,
                 months: int = BEFORE_AFTER_MONTHS, min_n: int | None = None, db_path=None) -> BeforeAfter:
    """The theme's share in the ``months`` months before the action's start month against
    the months from the start month on (up to ``months``, not past ``last_month``)."""
    threshold = config.min_n() if min_n is None else min_n
    first = month_start(start_on)
    df = monthly_theme_share(unit_ids, theme, add_months(first, -months), add_months(first, months - 1),
                             db_path=db_path)
    df = df[df["month"] <= month_start(last_month)]
    before = df[df["month"] < first]
    after = df[df["month"] >= first]
    return BeforeAfter(theme, _share(before, threshold), _share(after, threshold), first,
                       after["month"].max() if len(after) else None)


def markers(actions: pd.DataFrame, lang: str) -> list[dict]:
    """Chart markers: one per action, at its start date, with its title and status."""
    return [{"x": row["start_on"], "label": title(row, lang), "status": row["status"],
             "action_id": int(row["action_id"]), "units": list(row["units"])}
            for _, row in actions.iterrows()]


@dataclass(frozen=True)
class Story:
    """One action as the "you said, we did" page, poster and web text tell it."""
    action_id: int
    title: str
    description: str
    status: str
    start_on: date
    done_on: date | None
    owner: str | None
    units: tuple[str, ...]
    themes: tuple[str, ...]
    prompted_by: int
    figures: tuple[BeforeAfter, ...]


def stories(units: Sequence[str], lang: str, *, last_month: date, allowed: Sequence[int] | None = None,
            limit: int = 12, min_n: int | None = None, db_path=None) -> list[Story]:
    """Recent actions of ``units`` (all when empty), newest first, with before/after
    figures for each theme over the action's own units."""
    out = []
    df = list_actions(units, allowed=allowed, db_path=db_path).head(limit)
    for _, row in df.iterrows():
        unit_ids = [int(u) for u in row["unit_ids"]]
        figures = tuple(before_after(unit_ids, theme, row["start_on"], last_month=last_month,
                                     min_n=min_n, db_path=db_path) for theme in row["themes"])
        done = row["done_on"]
        out.append(Story(int(row["action_id"]), title(row, lang), description(row, lang), row["status"],
                         row["start_on"], None if done is None or pd.isna(done) else done,
                         row["owner"] if isinstance(row["owner"], str) and row["owner"] else None,  # no "nan"
                         tuple(row["units"]), tuple(row["themes"]), int(row["prompted_by"]), figures))
    return out


def prompting_comments(action_id: int, db_path=None) -> list[str]:
    """The (redacted) comments recorded as having prompted an action."""
    with db.connect(db_path) as con:
        rows = con.execute(
            "SELECT r.comment FROM action_comments c JOIN responses r USING (row_key) "
            "WHERE c.action_id = ? AND r.comment IS NOT NULL ORDER BY r.response_id", [int(action_id)]).fetchall()
    return [r[0] for r in rows]


def set_status(action_id: int, status: str, *, today: date | None = None, db_path=None) -> None:
    """Move an action along planned -> started -> done (done stamps today's date)."""
    if status not in STATUSES:
        raise ActionError("ac_err_status")
    with db.writer(db_path) as con:
        con.execute("UPDATE actions SET status = ?, done_on = CASE WHEN ? = 'done' THEN coalesce(done_on, ?) END, "
                    "updated_at = current_timestamp WHERE action_id = ?",
                    [status, status, today or date.today(), int(action_id)]).fetchall()


def unit_ids(names: Sequence[str], db_path=None) -> list[int]:
    with db.connect(db_path) as con:
        return [r[0] for r in con.execute("SELECT unit_id FROM units WHERE list_contains($n, name) ORDER BY 1",
                                          {"n": list(names)}).fetchall()]


def known_themes() -> list[str]:
    """The tagger's theme keys, in taxonomy order."""
    from etl.themes import THEME_KEYS
    return list(THEME_KEYS)


__all__ = ["STATUSES", "ActionError", "save_action", "set_status", "delete_action", "list_actions",
           "stories", "before_after", "monthly_theme_share", "markers", "in_period", "add_months"]
