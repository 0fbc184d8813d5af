"""What a person sees before they may see data: the sign-in screen, the forced password
change, "no access yet", the refusal of an unconfigured deployment, the demo banner and
the signed-in user's box in the sidebar. Layout only; decisions are kokemus.auth.session's.
"""
from __future__ import annotations

import streamlit as st

from kokemus import plain
from kokemus.auth import accounts, mode as modes, passwords, session
from kokemus.auth.session import Who
from kokemus.i18n import t

SIGN_IN_PATH = "kirjaudu"
ADMIN_PAGES = {"users": "kayttajat", "audit": "tapahtumaloki"}
"""Administrators' pages (file name -> URL path), listed after the shared ones."""


def _lang() -> str:
    return st.session_state.get("lang", "fi")


def exposed_without_auth(who: Who) -> bool:
    """Listening beyond localhost is allowed only once sign-in is configured."""
    return who.state != "signed_in" and who.state in ("demo", "unconfigured") and \
        modes.listens_beyond_localhost(st.get_option("server.address"))


def gate_page(lang: str):
    """A page to show *instead of* the app, or None when this session may use the app."""
    who = session.current()
    if who.open and not exposed_without_auth(who):
        return None
    return st.Page(lambda: draw_gate(who, _lang()), title=t("auth_sign_in_title", lang),
                   url_path=SIGN_IN_PATH, default=True)


def draw_gate(who: Who, lang: str) -> None:
    if exposed_without_auth(who):
        st.title(t("auth_exposed_title", lang))
        st.error(t("auth_exposed_text", lang, address=st.get_option("server.address") or "0.0.0.0"))
        return
    if who.state == "unconfigured":
        st.title(t("auth_unconfigured_title", lang))
        st.error(t("auth_unconfigured_text", lang))
        st.code(t("auth_unconfigured_commands", lang), language="bash")
        return
    if who.state == "pending":
        st.title(t("auth_pending_title", lang))
        st.info(t("auth_pending_text", lang, who=str((who.claims or {}).get("email") or
                                                   (who.claims or {}).get("name") or "")))
        if st.button(t("auth_sign_out", lang), key="auth_pending_out"):
            session.sign_out()
            st.rerun()
        return
    if who.state == "must_change":
        draw_password_change(who, lang)
        return
    draw_sign_in(who, lang)


def draw_sign_in(who: Who, lang: str) -> None:
    st.title(t("auth_sign_in_title", lang))
    st.markdown(t("auth_sign_in_intro", lang))
    if who.state == "expired":
        st.info(t("auth_expired", lang))
    elif who.state == "disabled":
        st.error(t("auth_disabled", lang))
    for provider in modes.oidc_providers():
        label = t("auth_sign_in_with", lang, provider=_provider_label(provider, lang))
        if st.button(label, key=f"auth_login::{provider}", type="primary", icon=":material/login:"):
            st.login(provider) if provider else st.login()
    if modes.local_accounts():
        with st.form("auth_local", enter_to_submit=True):
            st.subheader(t("auth_local_heading", lang))
            username = st.text_input(t("auth_username", lang), key="auth_username",
                                     autocomplete="username")
            password = st.text_input(t("auth_password", lang), type="password", key="auth_password",
                                     autocomplete="current-password")
            submitted = st.form_submit_button(t("auth_sign_in", lang))
        if submitted:
            result = session.sign_in_local(username, password)
            if result.ok:
                st.rerun()
            st.error(t(result.reason, lang, **result.params))


def _provider_label(provider: str, lang: str) -> str:
    key = f"auth_provider_{provider or 'default'}"
    label = t(key, lang)
    return provider.capitalize() if label == key else label


def draw_password_change(who: Who, lang: str) -> None:
    st.title(t("auth_change_title", lang))
    st.info(t("auth_change_text", lang, n=passwords.min_length()))
    with st.form("auth_change"):
        old = st.text_input(t("auth_change_old", lang), type="password", key="auth_old",
                            autocomplete="current-password")
        new = st.text_input(t("auth_change_new", lang), type="password", key="auth_new",
                            autocomplete="new-password")
        again = st.text_input(t("auth_change_again", lang), type="password", key="auth_again",
                              autocomplete="new-password")
        submitted = st.form_submit_button(t("auth_change_submit", lang))
    if submitted:
        if new != again:
            st.error(t("auth_pw_mismatch", lang))
            return
        try:
            accounts.change_password(who.account.username, old, new)
        except (accounts.AccountError, passwords.PasswordRejected) as exc:
            st.error(t(exc.key, lang, **exc.params))
            return
        st.rerun()
    if st.button(t("auth_sign_out", lang), key="auth_change_out"):
        session.sign_out()
        st.rerun()


def banner(lang: str) -> None:
    """The demo says it is one, on every page."""
    if session.current().state == "demo":
        st.warning(t("auth_demo_banner", lang), icon=":material/science:")


def user_box(lang: str) -> None:
    who = session.current()
    if not who.signed_in:
        return
    sb = st.sidebar
    sb.caption(t("auth_signed_in_as", lang, name=plain.md(who.account.label),
                 role=t(f"auth_role_{who.account.role}", lang)))
    if sb.button(t("auth_sign_out", lang), key="auth_sign_out", icon=":material/logout:"):
        session.sign_out()
        st.rerun()


def require_page(page: str) -> None:
    """First line of every page. Pages opened through the dashboard were already let in
    by its gate; this also holds when a page script is run on its own."""
    who = session.current()
    if who.state == "cli":
        return
    if not who.open or exposed_without_auth(who):
        draw_gate(who, _lang())
        st.stop()
    if not session.may_open(page):
        lang = _lang()
        st.title(t("auth_no_access_title", lang))
        st.error(t("auth_no_access_text", lang))
        session.record("access_denied", page=page)
        st.stop()
