"""The head the import log, Käyttäjät and Tapahtumaloki pages open with.

Each of them lets only its role in, gives a title and a short intro, and shows once the
notice a button left before its ``st.rerun()`` (an undo, an added account): the notice
must survive the rerun, so it travels in session state and is popped here.
"""
from __future__ import annotations

import streamlit as st

from kokemus import auth
from kokemus.i18n import t


def leave_notice(key: str, kind: str, text: str) -> None:
    """A notice (``kind`` "success" or "error") for the next run of the page to show."""
    st.session_state[key] = (kind, text)


def page_head(page: str, title_key: str, intro_key: str, *, notice_key: str | None = None,
              **intro_params) -> str:
    """Check access, draw title, intro and any pending notice; the UI language."""
    lang = st.session_state.get("lang", "fi")
    auth.require_page(page)
    st.title(t(title_key, lang))
    st.markdown(t(intro_key, lang, **intro_params))
    notice = st.session_state.pop(notice_key, None) if notice_key else None
    if notice:
        (st.success if notice[0] == "success" else st.error)(notice[1])
    return lang
