"""Te sanoitte, me teimme: a unit's improvement actions, the feedback that prompted them and
what changed since (the theme's share of comments before vs after, with intervals).

Exports the same list as a one-page A4 poster (PDF) for the notice board and as plain text
for a web page, in Finnish or Swedish. Action texts and comments are shown with st.text.
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from kokemus import auth, access, action_charts, actions, cached, cached_loop, config, poster, replies
from kokemus.filters import month_key
from kokemus.i18n import LANGUAGES, t
from kokemus.queries import format_number

ALL = "__all__"
lang = st.session_state.get("lang", "fi")
auth.require_page("actions")
min_n = config.min_n()

st.title(t("ac_title", lang))
options = cached.filter_options()
if options.last_month is None:
    st.info(t("warehouse_empty", lang))
    st.stop()
allowed = access.allowed_unit_ids()
st.caption(t("ac_caption", lang, months=actions.BEFORE_AFTER_MONTHS))

unit = st.selectbox(t("ac_unit", lang), [ALL, *options.units()], key="ac_unit",
                    format_func=lambda u: t("ac_all_units", lang) if u == ALL else u)
units = () if unit == ALL else (unit,)
last = options.last_month


def pct(v) -> str:
    return format_number(v, 1, lang, suffix=" %")


def ci(share: actions.Share) -> str:
    if share.lo is None:
        return "–"
    return f"{pct(share.lo)}–{pct(share.hi)}"


stories = cached_loop.action_stories(units, lang, last_month=last, allowed=allowed, min_n=min_n)
if not stories:
    st.info(t("ac_none", lang))
for s in stories:
    with st.container(border=True, key=f"ac_story_{s.action_id}"):
        st.header(s.title)
        st.text(t("ac_meta", lang, status=t(f"ac_status_{s.status}", lang), start=replies.format_date(s.start_on, lang),
                  owner=s.owner or t("ac_owner_none", lang), units=", ".join(s.units)))
        if s.description:
            st.text(s.description)
        if s.prompted_by:
            with st.expander(t("ac_prompted", lang, n=s.prompted_by)):
                for comment in cached_loop.prompting_comments(s.action_id):
                    st.text(comment)
        for fig in s.figures:
            name = poster.theme_name(fig.theme, lang)
            if fig.before.share is None or fig.after.share is None:
                st.text(f"{name}: " + t("ac_too_few", lang, min_n=min_n))
            else:
                st.text(t("ac_share_line", lang, theme=name, before=pct(fig.before.share), before_ci=ci(fig.before),
                          before_n=fig.before.comments, after=pct(fig.after.share), after_ci=ci(fig.after),
                          after_n=fig.after.comments))
                key = ("ac_clear_down" if fig.change < 0 else "ac_clear_up") if fig.clear else "ac_not_clear"
                st.text(t(key, lang))
            monthly = cached_loop.theme_share(s.units, fig.theme, actions.add_months(fig.start, -12), last)
            chart = action_charts.theme_share_chart(
                monthly, lang, title=t("ac_chart_title", lang, theme=name), min_n=min_n,
                markers=[{"x": s.start_on, "label": s.title, "status": s.status, "action_id": s.action_id}])
            st.plotly_chart(chart, width="stretch", key=f"ac_chart_{s.action_id}_{fig.theme}")
        if access.can("edit_actions"):
            cols = st.columns([2, 1, 4])
            new_status = cols[0].selectbox(t("ac_f_status", lang), actions.STATUSES, key=f"ac_status_{s.action_id}",
                                           index=actions.STATUSES.index(s.status),
                                           format_func=lambda x: t(f"ac_status_{x}", lang),
                                           label_visibility="collapsed")
            if cols[1].button(t("ac_set_status", lang), key=f"ac_set_{s.action_id}") and new_status != s.status:
                actions.set_status(s.action_id, new_status)
                st.rerun()

# ------------------------------------------------------------------------ exports
if stories:
    st.header(t("ac_export_heading", lang))
    export_lang = st.radio(t("ac_export_lang", lang), [x for x in LANGUAGES if x in ("fi", "sv")] + ["en"],
                           horizontal=True, key="ac_export_lang", format_func=lambda x: t(f"ui_lang_{x}", lang))
    label = t("ac_all_units", export_lang) if unit == ALL else unit
    export_stories = cached_loop.action_stories(units, export_lang, last_month=last, allowed=allowed, min_n=min_n)
    text = poster.web_text(label, export_stories, export_lang, last_month=last)
    cols = st.columns(2)
    cols[0].download_button(t("ac_export_pdf", lang), key="ac_poster",
                            data=lambda: poster.poster_pdf(label, export_stories, export_lang, last_month=last),
                            file_name=f"me-teimme-{month_key(last)}-{export_lang}.pdf", mime="application/pdf",
                            on_click="ignore")
    cols[1].download_button(t("ac_export_text", lang), data=text.encode("utf-8"), key="ac_text",
                            file_name=f"me-teimme-{month_key(last)}-{export_lang}.txt", mime="text/plain",
                            on_click="ignore")
    with st.expander(t("ac_export_preview", lang)):
        st.text(text)

# ------------------------------------------------------------------------ new action
if access.can("edit_actions"):
    with st.expander(t("ac_new", lang)):
        themes = actions.known_themes()
        with st.form("ac_form", clear_on_submit=True):
            title_fi = st.text_input(t("ac_f_title_fi", lang), key="ac_f_title_fi")
            desc_fi = st.text_area(t("ac_f_desc_fi", lang), key="ac_f_desc_fi")
            left, right = st.columns(2)
            title_sv = left.text_input(t("ac_f_title_sv", lang), key="ac_f_title_sv")
            desc_sv = left.text_area(t("ac_f_desc_sv", lang), key="ac_f_desc_sv")
            title_en = right.text_input(t("ac_f_title_en", lang), key="ac_f_title_en")
            desc_en = right.text_area(t("ac_f_desc_en", lang), key="ac_f_desc_en")
            chosen_units = st.multiselect(t("ac_f_units", lang), options.units(), default=list(units),
                                          key="ac_f_units")
            chosen_themes = st.multiselect(t("ac_f_themes", lang), themes, key="ac_f_themes",
                                           format_func=lambda th: poster.theme_name(th, lang))
            a, b, c = st.columns(3)
            start_on = a.date_input(t("ac_f_start", lang), value=date.today(), format="DD.MM.YYYY",
                                    key="ac_f_start")
            owner = b.text_input(t("ac_f_owner", lang), key="ac_f_owner")
            status = c.selectbox(t("ac_f_status", lang), actions.STATUSES, key="ac_f_status",
                                 format_func=lambda x: t(f"ac_status_{x}", lang))
            if st.form_submit_button(t("ac_f_save", lang), type="primary"):
                try:
                    actions.save_action(title_fi=title_fi, description_fi=desc_fi, title_sv=title_sv,
                                        description_sv=desc_sv, title_en=title_en, description_en=desc_en,
                                        units=chosen_units, themes=chosen_themes, start_on=start_on,
                                        owner=owner, status=status)
                    st.success(t("ac_saved", lang))
                    st.rerun()
                except actions.ActionError as exc:
                    st.error(t(exc.key, lang))
