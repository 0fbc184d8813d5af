"""Vastattavat: the worklist of feedback that asked for a reply.

Sorted by due date; overdue cases carry a warning icon and words as well as a colour.
One click marks a case replied today; "Open" shows the case with its contact details
(the only place they are ever shown) and the full life cycle form. Comments and names from
files are shown with st.text, never as Markdown. Permission checks go through
kokemus.access so roles can slot in.
"""
from __future__ import annotations

import math
from datetime import date

import streamlit as st

from kokemus import access, auth, cached, replies
from kokemus.i18n import t
from kokemus.promise import KINDS, Promise

PAGE_SIZE = 20
lang = st.session_state.get("lang", "fi")
auth.require_page("replies")
today = date.today()

st.title(t("rp_title", lang))
if not access.can("view_cases"):
    st.warning(t("rp_no_access", lang))
    st.stop()
allowed = access.allowed_unit_ids()
options = cached.filter_options()
if options.last_month is None:
    st.info(t("warehouse_empty", lang))
    st.stop()

default = replies.default_promise()
st.caption(t("rp_caption", lang, promise=t(f"rp_promise_{default.kind}", lang, days=default.days)))
purged = replies.purge_contacts(today)
if purged:
    st.info(t("rp_purged", lang, n=purged))


def status_label(s: str) -> str:
    return t(f"rp_status_{s}", lang)


# ------------------------------------------------------------------------ filters
cols = st.columns([3, 3, 2])
units = cols[0].multiselect(t("rp_filter_unit", lang), options.units(), key="rp_units",
                            placeholder=t("rp_all", lang))
statuses = cols[1].multiselect(t("rp_filter_status", lang), replies.STATUSES, key="rp_statuses",
                               default=list(replies.OPEN_STATUSES), format_func=status_label,
                               placeholder=t("rp_all", lang))
people = ["__any__", "__none__", *replies.assignees(allowed)]
who = cols[2].selectbox(t("rp_filter_assignee", lang), people, key="rp_assignee",
                        format_func=lambda p: t("rp_assignee_any", lang) if p == "__any__"
                        else t("rp_assignee_none", lang) if p == "__none__" else p)
assignee = None if who == "__any__" else "" if who == "__none__" else who

cases = replies.worklist(units=units, statuses=statuses, assignee=assignee, today=today, allowed=allowed)
open_cases = cases[cases["status"].isin(replies.OPEN_STATUSES)]
m = st.columns(3)
m[0].metric(t("rp_metric_open", lang), len(open_cases))
m[1].metric(t("rp_metric_overdue", lang), int(open_cases["overdue"].sum()))
m[2].metric(t("rp_metric_due_week", lang),
            int(((open_cases["days_left"] >= 0) & (open_cases["days_left"] <= 7)).sum()))

# ------------------------------------------------------------------------ one case
chosen = st.session_state.get("rp_case")
full = replies.worklist(allowed=allowed, today=today) if chosen is not None else cases
if chosen is not None and chosen in set(full["case_id"]):
    case = full[full["case_id"] == chosen].iloc[0]
    with st.container(border=True, key="rp_case_view"):
        st.header(t("rp_case_heading", lang, case=int(case["case_id"])))
        st.text(t("rp_row_meta", lang, unit=case["unit"], submitted=replies.format_date(case["submitted_on"], lang),
                  status=status_label(case["status"]), assignee=case["assignee"] or t("rp_assignee_none", lang))
                + " · " + t("rp_due", lang, due=replies.format_date(case["due_on"], lang)))
        st.markdown(f"**{t('rp_case_comment', lang)}**")
        st.text(case["comment"] or "")
        if access.can("view_contacts", None):
            retention = int(replies.unit_promises().set_index("unit")["retention_days"].get(case["unit"], default.retention_days))
            st.markdown(f"**{t('rp_case_contacts', lang, days=retention)}**")
            contacts = replies.case_contacts(int(case["case_id"]), allowed=allowed)
            if not contacts:
                st.text(t("rp_case_no_contacts", lang))
            for c in contacts:
                if c.get("phone"):
                    st.text(f"{t('rp_phone', lang)}: {c['phone']}")
                if c.get("email"):
                    st.text(f"{t('rp_email', lang)}: {c['email']}")
        if access.can("edit_cases"):
            with st.form("rp_case_form"):
                left, right = st.columns(2)
                status = left.selectbox(t("rp_case_status", lang), replies.STATUSES,
                                        index=replies.STATUSES.index(case["status"]), format_func=status_label,
                                        key="rp_form_status")
                person = right.text_input(t("rp_case_assignee", lang), value=case["assignee"] or "",
                                          key="rp_form_assignee")
                replied_on = left.date_input(t("rp_case_replied_on", lang), max_value=today, format="DD.MM.YYYY",
                                             value=replies.as_date(case["replied_on"]) or today,
                                             key="rp_form_replied_on")
                channel = right.selectbox(t("rp_case_channel", lang), replies.CHANNELS,
                                          index=replies.CHANNELS.index(case["reply_channel"]) if case["reply_channel"] in replies.CHANNELS else 0,
                                          format_func=lambda c: t(f"rp_channel_{c}", lang), key="rp_form_channel")
                reason = left.selectbox(t("rp_case_reason", lang), replies.CLOSE_REASONS,
                                        index=replies.CLOSE_REASONS.index(case["close_reason"]) if case["close_reason"] in replies.CLOSE_REASONS else 0,
                                        format_func=lambda r: t(f"rp_reason_{r}", lang), key="rp_form_reason")
                note = st.text_area(t("rp_case_note", lang), value=case["note"] or "", key="rp_form_note")
                if st.form_submit_button(t("rp_case_save", lang), type="primary"):
                    try:
                        replies.update_case(int(case["case_id"]), status=status, assignee=person, note=note,
                                            replied_on=replied_on, reply_channel=channel, close_reason=reason,
                                            today=today)
                        st.session_state["rp_flash"] = t("rp_saved", lang)
                        st.rerun()
                    except replies.CaseError as exc:
                        st.error(t(exc.key, lang))
        if st.button(t("rp_case_close_view", lang), key="rp_close_view"):
            st.session_state.pop("rp_case", None)
            st.rerun()

if st.session_state.get("rp_flash"):
    st.success(st.session_state.pop("rp_flash"))

# ------------------------------------------------------------------------ worklist
if cases.empty:
    st.info(t("rp_empty", lang))
else:
    quick = st.selectbox(t("rp_quick_channel", lang), replies.CHANNELS, key="rp_quick_channel",
                         format_func=lambda c: t(f"rp_channel_{c}", lang))
    pages = max(1, math.ceil(len(cases) / PAGE_SIZE))
    page = int(st.number_input(t("rp_page", lang), min_value=1, max_value=pages, value=1, step=1,
                               key="rp_page")) if pages > 1 else 1
    st.text(t("rp_count", lang, n=len(cases), page=page, pages=pages))
    for row in cases.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE].itertuples(index=False):
        case_id = int(row.case_id)
        with st.container(border=True, key=f"rp_row_{case_id}"):
            left, mid, right = st.columns([2, 5, 1.4])
            due = t("rp_due", lang, due=replies.format_date(row.due_on, lang))
            if row.status in replies.OPEN_STATUSES:
                if row.overdue:
                    left.markdown(f":red-background[:red[**{t('rp_overdue_days', lang, days=-int(row.days_left))}**]]")
                elif int(row.days_left) == 0:
                    left.markdown(f":orange[**{t('rp_due_today', lang)}**]")
                else:
                    left.text(t("rp_days_left", lang, days=int(row.days_left)))
            elif row.status == "replied":
                left.text(t("rp_replied_meta", lang, date=replies.format_date(row.replied_on, lang),
                            channel=t(f"rp_channel_{row.reply_channel}", lang)))
            left.text(due)
            mid.text(t("rp_row_meta", lang, unit=row.unit, submitted=replies.format_date(row.submitted_on, lang),
                       status=status_label(row.status), assignee=row.assignee or t("rp_assignee_none", lang)))
            text = row.comment if isinstance(row.comment, str) else ""  # a case may have no comment
            mid.text(text if len(text) <= 280 else text[:277] + "…")
            if row.status in replies.OPEN_STATUSES and access.can("edit_cases"):
                if right.button(t("rp_mark_replied", lang), key=f"rp_done_{case_id}", type="primary"):
                    replies.mark_replied(case_id, quick, today=today)
                    st.session_state["rp_flash"] = t("rp_marked", lang, case=case_id)
                    st.rerun()
            if right.button(t("rp_open_case", lang), key=f"rp_open_{case_id}"):
                st.session_state["rp_case"] = case_id
                st.rerun()

# ------------------------------------------------------------------------ settings
if access.can("edit_promises"):
    with st.expander(t("rp_settings", lang)):
        st.text(t("rp_settings_note", lang))
        scope = st.selectbox(t("rp_settings_scope", lang), ["__default__", *options.units()], key="rp_set_scope",
                             format_func=lambda u: t("rp_settings_default", lang) if u == "__default__" else u)
        current = replies.unit_promises().set_index("unit")
        base = default if scope == "__default__" or scope not in current.index else Promise(
            int(current.loc[scope, "days"]), current.loc[scope, "kind"], int(current.loc[scope, "retention_days"]))
        with st.form("rp_settings_form"):
            days = st.number_input(t("rp_settings_days", lang), min_value=1, max_value=365, value=base.days)
            kind = st.radio(t("rp_settings_kind", lang), KINDS, index=KINDS.index(base.kind),
                            format_func=lambda k: t(f"rp_kind_{k}", lang), horizontal=True)
            keep = st.number_input(t("rp_settings_retention", lang), min_value=0, max_value=3650,
                                   value=base.retention_days)
            if st.form_submit_button(t("rp_settings_save", lang)):
                replies.set_promise(Promise(int(days), kind, int(keep)),
                                    unit=None if scope == "__default__" else scope)
                st.session_state["rp_flash"] = t("rp_saved", lang)
                st.rerun()
