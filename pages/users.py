"""Käyttäjät: administrators add accounts, change roles and unit scopes, disable accounts,
hand out temporary passwords and map OIDC groups to roles.

Layout only: every change goes through kokemus.auth.accounts, which audits it with the
signed-in administrator as actor. A temporary password is shown once, as plain text.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from kokemus import auth, cached
from kokemus.auth import accounts, passwords
from kokemus.auth.roles import ROLES
from kokemus.i18n import t
from kokemus.page_head import leave_notice, page_head

NOTICE_KEY = "_users_notice"


def _role_label(role: str, lang: str) -> str:
    return t(f"auth_role_{role}", lang)


def _table(rows: list[accounts.Account], lang: str) -> pd.DataFrame:
    def scope(a: accounts.Account) -> str:
        if a.all_units:
            return t("cli_users_all_units", lang)
        return ", ".join([*a.units, *(f"[{x}]" for x in a.areas)]) or t("cli_users_no_units", lang)

    def state(a: accounts.Account) -> str:
        flags = []
        if a.disabled:
            flags.append(t("cli_users_flag_disabled", lang))
        if a.locked():
            flags.append(t("cli_users_flag_locked", lang))
        if a.must_change_password:
            flags.append(t("us_flag_temporary", lang))
        return ", ".join(flags)

    return pd.DataFrame({
        t("auth_username", lang): [a.username for a in rows],
        t("us_col_name", lang): [a.display_name or "" for a in rows],
        t("us_col_email", lang): [a.email or "" for a in rows],
        t("us_col_role", lang): [_role_label(a.role, lang) for a in rows],
        t("us_col_scope", lang): [scope(a) for a in rows],
        t("us_col_sign_in", lang): [t("us_sign_in_local", lang) if a.has_password else "OIDC" for a in rows],
        t("us_col_state", lang): [state(a) for a in rows],
        t("us_col_last", lang): [a.last_sign_in.strftime("%d.%m.%Y %H:%M") if a.last_sign_in else "" for a in rows],
    })


def _scope_inputs(lang: str, key: str, units=(), areas=()) -> tuple[list[str], list[str]]:
    options = cached.filter_options()
    all_units = options.units()
    left, right = st.columns(2)
    chosen_units = left.multiselect(t("us_units", lang), all_units, default=[u for u in units if u in all_units],
                                    key=f"{key}_units")
    chosen_areas = right.multiselect(t("us_areas", lang), options.areas,
                                     default=[a for a in areas if a in options.areas], key=f"{key}_areas")
    return chosen_units, chosen_areas


def _notice(kind: str, text: str) -> None:
    leave_notice(NOTICE_KEY, kind, text)


def _error_text(exc: Exception, lang: str) -> str:
    return t(exc.key, lang, **exc.params) if hasattr(exc, "key") else str(exc)


def draw_add(lang: str) -> None:
    with st.expander(t("us_add_heading", lang), expanded=False):
        with st.form("us_add", clear_on_submit=True):
            username = st.text_input(t("auth_username", lang), key="us_add_username",
                                     help=t("us_username_help", lang))
            email = st.text_input(t("us_col_email", lang), key="us_add_email", help=t("us_email_help", lang))
            name = st.text_input(t("us_col_name", lang), key="us_add_name")
            role = st.selectbox(t("us_col_role", lang), ROLES, index=ROLES.index("manager"), key="us_add_role",
                                format_func=lambda r: _role_label(r, lang))
            units, areas = _scope_inputs(lang, "us_add")
            local = st.checkbox(t("us_add_local", lang), value=False, key="us_add_local",
                                help=t("us_add_local_help", lang))
            submitted = st.form_submit_button(t("us_add_submit", lang))
        if submitted:
            actor = auth.current_user().username
            temp = passwords.temporary_password() if local else None
            try:
                made = accounts.add(username, role, actor=actor, password=temp, email=email or None,
                                    display_name=name or None, units=units, areas=areas)
            except (accounts.AccountError, passwords.PasswordRejected, ValueError) as exc:
                st.error(_error_text(exc, lang))
                return
            text = t("us_added", lang, username=made.username)
            if temp:
                text += " " + t("us_temp_password", lang, password=temp)
            _notice("success", text)
            st.rerun()


def draw_edit(rows: list[accounts.Account], lang: str) -> None:
    st.header(t("us_edit_heading", lang))
    if not rows:
        return
    by_name = {a.username: a for a in rows}
    chosen = st.selectbox(t("us_choose", lang), list(by_name), key="us_choose")
    a = by_name[chosen]
    me = auth.current_user()
    with st.form(f"us_edit::{a.username}"):
        role = st.selectbox(t("us_col_role", lang), ROLES, index=ROLES.index(a.role), key=f"us_role::{a.username}",
                            format_func=lambda r: _role_label(r, lang))
        units, areas = _scope_inputs(lang, f"us_edit::{a.username}", a.units, a.areas)
        saved = st.form_submit_button(t("us_save", lang))
    if saved:
        if a.account_id == me.account_id and role != "administrator":
            st.error(t("us_not_yourself", lang))
            return
        try:
            if role != a.role:
                accounts.set_role(a.username, role, actor=me.username)
            if (tuple(sorted(units)), tuple(sorted(areas))) != (tuple(sorted(a.units)), tuple(sorted(a.areas))):
                accounts.set_scope(a.username, actor=me.username, units=units, areas=areas)
        except accounts.AccountError as exc:
            st.error(_error_text(exc, lang))
            return
        _notice("success", t("us_saved", lang, username=a.username))
        st.rerun()
    left, middle = st.columns(2)
    if a.account_id != me.account_id:
        label = t("us_enable", lang) if a.disabled else t("us_disable", lang)
        if left.button(label, key=f"us_toggle::{a.username}"):
            try:
                accounts.set_disabled(a.username, not a.disabled, actor=me.username)
            except accounts.AccountError as exc:
                st.error(_error_text(exc, lang))
                return
            _notice("success", t("us_saved", lang, username=a.username))
            st.rerun()
    if middle.button(t("us_reset", lang), key=f"us_reset::{a.username}"):
        _, temp = accounts.reset_password(a.username, actor=me.username)
        _notice("success", t("us_reset_done", lang, username=a.username) + " "
                + t("us_temp_password", lang, password=temp))
        st.rerun()


def draw_groups(lang: str) -> None:
    with st.expander(t("us_groups_heading", lang)):
        st.markdown(t("us_groups_intro", lang))
        mappings = accounts.group_mappings()
        if mappings:
            st.dataframe(pd.DataFrame(mappings, columns=[t("us_group", lang), t("us_col_role", lang),
                                                         t("us_kind", lang), t("us_col_scope", lang)]),
                         hide_index=True)
        with st.form("us_group_add", clear_on_submit=True):
            group = st.text_input(t("us_group", lang), key="us_group_name")
            role = st.selectbox(t("us_col_role", lang), ROLES, index=ROLES.index("nurse"), key="us_group_role",
                                format_func=lambda r: _role_label(r, lang))
            units, areas = _scope_inputs(lang, "us_group")
            if st.form_submit_button(t("us_save", lang)) and group.strip():
                accounts.set_group_mapping(group.strip(), role, actor=auth.current_user().username,
                                           units=units, areas=areas)
                _notice("success", t("us_saved", lang, username=group.strip()))
                st.rerun()


def main() -> None:
    lang = page_head("users", "us_title", "us_intro", notice_key=NOTICE_KEY)
    rows = accounts.list_accounts()
    st.dataframe(_table(rows, lang), hide_index=True, width="stretch")
    draw_add(lang)
    draw_edit(rows, lang)
    draw_groups(lang)


main()
