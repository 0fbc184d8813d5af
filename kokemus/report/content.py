"""The pack as sections of headings, sentences, tables (raw values) and charts, shared by
the PDF, XLSX and HTML renderers. Tables keep numbers as numbers (the XLSX wants them);
:func:`cell` formats a value for print (Finnish decimal comma, '–' for hidden)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from kokemus import queries
from kokemus.filters import month_key
from kokemus.i18n import t
from kokemus.report import figures
from kokemus.report.data import CHART_KPI, ReportData


@dataclass
class Table:
    key: str                     # sheet name stem (stable, no spaces)
    caption: str
    frame: pd.DataFrame


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[tuple[str, bytes]] = field(default_factory=list)


def theme_name(theme: str, lang: str) -> str:
    label = t(f"theme_{theme}", lang)
    return theme if label == f"theme_{theme}" else label


def cell(value, lang: str) -> str:
    if value is None or (not isinstance(value, (str, list, tuple)) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return queries.format_number(value, 0 if value.is_integer() else 1, lang)
    if isinstance(value, int):
        return queries.format_number(value, 0, lang)
    if isinstance(value, (pd.Timestamp, date)):
        d = pd.Timestamp(value).date()
        return d.isoformat() if lang == "en" else f"{d.day}.{d.month}.{d.year}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def signed(value, lang: str) -> str:
    text = cell(value, lang)
    return "+" + text if text != "–" and value is not None and value > 0 else text


def _icon(variation: str | None, lang: str) -> str:
    return t(f"mdc_{variation}", lang) if variation else t("mdc_none", lang)


def sections(d: ReportData, *, charts: bool = True) -> list[Section]:
    lang = d.lang
    out: list[Section] = []
    # ---------------------------------------------------------------- key figures
    rows = []
    for tile in d.tiles:
        rows.append({t("rep_kpis", lang): t(f"kpi_{tile.name}", lang), "value": tile.value, "n": tile.n,
                     "lo": tile.lo, "hi": tile.hi,
                     "previous_change": tile.vs_previous, "icon": _icon(tile.variation, lang)})
    p = d.promise
    rows.append({t("rep_kpis", lang): t("kpi_reply_promise", lang), "value": p.value, "n": float(p.n),
                 "lo": p.lo, "hi": p.hi, "previous_change": None, "icon": _icon(p.variation, lang)})
    kpis = pd.DataFrame(rows).rename(columns={
        "value": t("tr_col_value", lang), "n": "n", "lo": "95 % –", "hi": "95 % +",
        "previous_change": t("rep_col_previous", lang) + " +/−", "icon": t("ov_col_variation", lang)})
    sec = Section(t("rep_kpis", lang), tables=[Table("KPI", t("rep_kpis", lang), kpis)])
    out.append(sec)
    # ---------------------------------------------------------------- groups
    kpi_label = t(f"kpi_{CHART_KPI}", lang)
    group_rows = []
    for g in d.groups:
        row = {t("rep_col_group", lang): g.name or d.organisation or t("rep_all", lang)}
        for name in ("responses", "pct_satisfied", "mean_score", "nps", "praise_share"):
            row[t(f"kpi_{name}", lang)] = g.kpis[name]["value"]
        row["n"] = g.kpis["pct_satisfied"]["n"]
        row[t("ov_col_variation", lang)] = _icon(g.variation, lang)
        group_rows.append(row)
    sec = Section(t("rep_groups", lang, kpi=kpi_label),
                  tables=[Table("Ryhmat", t("rep_group_table", lang), pd.DataFrame(group_rows))])
    if charts:
        for g in d.groups:
            name = g.name or d.organisation or t("rep_all", lang)
            markers = [m for m in d.action_markers if set(m.get("units", ())) & set(g.units)]
            sec.charts.append((name, figures.spc_png(g.chart, title=f"{kpi_label} – {name}", lang=lang,
                                                     markers=markers)))
    out.append(sec)
    # ---------------------------------------------------------------- themes
    top = pd.DataFrame({
        t("rep_col_theme", lang): [theme_name(x, lang) for x in d.top_themes["theme"]],
        t("rep_col_mentions", lang): d.top_themes["responses"].astype(float).tolist(),
        t("rep_col_previous", lang): d.top_themes["previous"].astype(float).tolist(),
        t("rep_col_share", lang): d.top_themes["share"].round(1).tolist()})
    rising = pd.DataFrame({
        t("rep_col_theme", lang): [theme_name(x, lang) for x in d.rising["theme"]],
        t("rep_col_share", lang): d.rising["share"].round(1).tolist() if len(d.rising) else [],
        t("rep_col_previous_share", lang): d.rising["previous_share"].round(1).tolist() if len(d.rising) else []})
    sec = Section(t("rep_top_themes", lang), tables=[Table("Aiheet", t("rep_top_themes", lang), top),
                                                    Table("Nousevat", t("rep_rising", lang), rising)])
    for theme, group in d.comments.groupby("theme", sort=False):
        sec.lines.append(f"{theme_name(theme, lang)}:")
        sec.lines.extend(f"  “{c}” ({u}, {month_key(pd.Timestamp(m).date())})"
                         for c, u, m in zip(group["comment"], group["unit"], group["month"]))
    comments = pd.DataFrame({t("rep_col_theme", lang): [theme_name(x, lang) for x in d.comments["theme"]],
                             t("rep_comments", lang): d.comments["comment"].tolist(),
                             t("rep_col_unit", lang): d.comments["unit"].tolist()})
    sec.tables.append(Table("Kommentit", t("rep_comments", lang), comments))
    out.append(sec)
    # ---------------------------------------------------------------- reply promise
    pg = d.promise_by_group
    promise = pd.DataFrame({
        t("rep_col_group", lang): [g or d.organisation or t("rep_all", lang) for g in pg.get("group", [])],
        t("rep_col_due", lang): pg.get("due", pd.Series(dtype=float)).astype(float).tolist(),
        t("rep_col_in_time", lang) + " %": [None if s or v is None else round(v, 1)
                                            for v, s in zip(pg.get("pct", []), pg.get("suppressed", []))],
        t("rep_col_open", lang): pg.get("open", pd.Series(dtype=float)).astype(float).tolist(),
        t("rep_col_overdue", lang): pg.get("overdue", pd.Series(dtype=float)).astype(float).tolist()})
    overdue = pd.DataFrame({
        t("rep_col_case", lang): d.overdue["case_id"].astype(int).tolist(),
        t("rep_col_unit", lang): d.overdue["unit"].tolist(),
        t("rep_col_due_on", lang): [pd.Timestamp(x).date() for x in d.overdue["due_on"]],
        t("rep_col_days", lang): d.overdue["days_overdue"].astype(int).tolist()})
    out.append(Section(t("rep_promise", lang), tables=[
        Table("Vastauslupaus", t("rep_promise", lang), promise),
        Table("Myohassa", t("rep_overdue_list", lang, n=len(overdue)), overdue.head(40))]))
    # ---------------------------------------------------------------- actions

    def action_table(df: pd.DataFrame) -> pd.DataFrame:
        from kokemus import actions
        return pd.DataFrame({
            t("rep_col_action", lang): [actions.title(r, lang) for _, r in df.iterrows()],
            t("rep_col_unit", lang): [", ".join(r["units"]) for _, r in df.iterrows()],
            t("rep_col_start", lang): df["start_on"].tolist(),
            t("rep_col_status", lang): [t(f"ac_status_{s}", lang) for s in df["status"]]})
    out.append(Section(t("rep_actions_started", lang), tables=[
        Table("Aloitetut", t("rep_actions_started", lang), action_table(d.actions_started)),
        Table("Valmiit", t("rep_actions_done", lang), action_table(d.actions_done))]))
    # ---------------------------------------------------------------- nostot
    nostot = pd.DataFrame({
        t("rep_col_unit", lang): d.nostot["unit"].tolist(),
        t("rep_col_theme", lang): [theme_name(x, lang) for x in d.nostot["theme"]],
        t("rep_col_latest", lang) + " %": (d.nostot["latest_share"] * 100).round(1).tolist(),
        t("rep_col_centre", lang) + " %": (d.nostot["centre"] * 100).round(1).tolist(),
        "n": d.nostot["latest_n"].astype(float).tolist()})
    out.append(Section(t("rep_nostot", lang), lines=[t("rep_nostot_note", lang)],
                       tables=[Table("Nostot", t("rep_nostot", lang), nostot)]))
    return out


def cover_lines(d: ReportData) -> list[str]:
    lang = d.lang
    return [t("rep_cover_period", lang, start=month_key(d.start), end=month_key(d.end),
              prev_start=month_key(d.prev_start), prev_end=month_key(d.prev_end)),
            t("rep_cover_level", lang, level=t(f"rep_level_{d.level}", lang)),
            t("rep_cover_note", lang, min_n=d.min_n), t("rep_contents", lang)]
