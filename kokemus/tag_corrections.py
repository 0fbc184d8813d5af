"""What the Comments page needs to let a person correct a comment's themes and type.

Thin on purpose: storing and applying lives in ``etl.store.corrections``; this module adds
the warehouse connection, the theme list and who is correcting.
"""
from __future__ import annotations

import getpass

import pandas as pd

from kokemus import db


def current_user_name() -> str:
    """Who is correcting. Placeholder until login lands (issue 12): the signed-in user
    when a login has put one in the session (``kokemus.auth.current_user_name`` or the
    session's ``user``), else the operating-system user running the dashboard."""
    try:
        from kokemus import auth  # type: ignore[attr-defined]
        name = auth.current_user_name()
        if name:
            return str(name)
    except Exception:  # login not landed yet
        pass
    try:
        import streamlit as st
        name = st.session_state.get("user")
        if name:
            return str(getattr(name, "name", name))
    except Exception:
        pass
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "tuntematon"


def may_correct() -> bool:
    """Administrators and quality correct themes (kokemus.auth.roles); the demo may too."""
    from kokemus import auth
    return auth.may("correct_tags")


def theme_keys() -> list[str]:
    from etl.themes import Tagger
    return Tagger.default().theme_keys


def current(response_id: int, db_path=None) -> tuple[str | None, list[str], pd.DataFrame]:
    """(type, themes, earlier corrections newest first) of one response."""
    from etl.store import corrections
    with db.connect(db_path) as con:
        ftype, themes = corrections.current_tags(con, int(response_id))
        return ftype, themes, corrections.corrections_history(con, int(response_id))


def save(response_id: int, themes: list[str], feedback_type: str | None, db_path=None):
    from etl.store import corrections
    from kokemus import auth
    auth.require("correct_tags")
    with db.writer(db_path) as con:
        saved = corrections.record_correction(con, int(response_id), themes=list(themes),
                                              feedback_type=feedback_type, who=current_user_name(),
                                              known_themes=theme_keys())
    auth.record("tag_correction", page="comments", target=int(response_id),
                detail={"themes": sorted(themes), "feedback_type": feedback_type})
    return saved
