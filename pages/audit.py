"""Tapahtumaloki: the audit trail for administrators - search it, export it for the
data-protection officer. The export itself is audited. Layout only (kokemus.auth.audit).
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kokemus import auth, export
from kokemus.auth import audit
from kokemus.auth.audit_detail import detail_text
from kokemus.i18n import catalogue, t
from kokemus.page_head import page_head

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _word(prefix: str, code, lang: str) -> str:
    """A stored code (a role, a page) in the reader's language; an unknown one as it is."""
    if not isinstance(code, str) or not code:
        return ""
    key = f"{prefix}{code}"
    return t(key, lang) if key in catalogue() else code


def _table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("au_col_when", lang): pd.to_datetime(frame["occurred_at"]),
        t("au_col_who", lang): frame["actor"].fillna(""),
        t("us_col_role", lang): frame["role"].map(lambda r: _word("auth_role_", r, lang)),
        t("au_col_action", lang): frame["action"].map(lambda a: t(f"au_action_{a}", lang)),
        t("au_col_page", lang): frame["page"].map(lambda p: _word("nav_", p, lang)),
        t("au_col_target", lang): frame["target"].fillna(""),
        t("au_col_rows", lang): frame["row_count"],
        t("au_col_format", lang): frame["file_format"].fillna(""),
        t("au_col_detail", lang): frame["detail"].map(lambda d: detail_text(d, lang)),
    })


def _export(table: pd.DataFrame, fmt: str, who: tuple, lang: str):
    def build() -> bytes:
        data = (export.to_xlsx_bytes(table, sheet_name=t("au_title", lang), lang=lang) if fmt == "xlsx"
                else export.to_csv_bytes(table, lang=lang))
        auth.record("audit_export", who=who, page="audit", rows=len(table), format=fmt)
        return data
    return build


def main() -> None:
    lang = page_head("audit", "au_title", "au_intro", days=audit.retention_days())
    today = date.today()
    c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
    start = c1.date_input(t("au_from", lang), today - timedelta(days=30), key="au_from", format="DD.MM.YYYY")
    end = c2.date_input(t("au_to", lang), today, key="au_to", format="DD.MM.YYYY")
    who = c3.text_input(t("au_col_who", lang), key="au_actor")
    actions = c4.multiselect(t("au_col_action", lang), audit.ACTIONS, key="au_actions",
                             format_func=lambda a: t(f"au_action_{a}", lang), placeholder=t("flt_all", lang))
    frame = audit.search(start=start, end=end, actor=who or None, actions=tuple(actions))
    st.header(t("au_count", lang, n=len(frame)))
    table = _table(frame, lang)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={t("au_col_when", lang): st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm:ss")})
    me = auth.actor()
    left, right = st.columns(2)
    left.download_button(t("au_export_xlsx", lang), data=_export(table, "xlsx", me, lang), file_name="tapahtumaloki.xlsx",
                         mime=XLSX_MIME, key="au_xlsx", on_click="ignore", icon=":material/download:")
    right.download_button(t("au_export_csv", lang), data=_export(table, "csv", me, lang), file_name="tapahtumaloki.csv",
                          mime="text/csv", key="au_csv", on_click="ignore", icon=":material/download:")


main()
