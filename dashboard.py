"""Kokemus dashboard entry point: `streamlit run dashboard.py`.

The frame around every page: page config, the sign-in gate, the language switch and the
navigation. Pages are listed only when their file exists (so the app runs while pages are
still being written) and the signed-in role may open them; until someone is signed in
(outside the demo) the only page is the sign-in screen (kokemus.auth.views). A busy warehouse (an import holding the lock) becomes a friendly warning on any
page rather than a traceback.
"""
from __future__ import annotations

import os
import threading
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from kokemus import auth  # noqa: E402
from kokemus.auth import views as auth_views  # noqa: E402
from kokemus.db import WarehouseBusy, one_connection_per_run  # noqa: E402
from kokemus.filters import PAGES, URL_PATHS  # noqa: E402
from kokemus import style  # noqa: E402
from kokemus.i18n import DEFAULT_LANGUAGE, LANGUAGES, t  # noqa: E402

LANG_KEY = "lang"


def _initial_language() -> str:
    """?lang= in a shared link, then KOKEMUS_LANG, then Finnish."""
    for candidate in (st.query_params.get("lang"), os.environ.get("KOKEMUS_LANG")):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def language_switch() -> str:
    if st.session_state.get(LANG_KEY) not in LANGUAGES:
        st.session_state[LANG_KEY] = _initial_language()
    lang = st.sidebar.selectbox(t("ui_language_label"), LANGUAGES,
                                key=LANG_KEY, format_func=lambda code: t(f"ui_lang_{code}"))
    if lang == DEFAULT_LANGUAGE:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def navigation(lang: str):
    pages = [
        st.Page(str(ROOT / "pages" / f"{name}.py"), title=t(f"nav_{name}", lang),
                url_path=URL_PATHS[name], default=(name == "overview"))
        for name in PAGES if (ROOT / "pages" / f"{name}.py").exists() and auth.may_open(name)
    ]
    pages += [st.Page(str(ROOT / "pages" / f"{name}.py"), title=t(f"nav_{name}", lang), url_path=path)
              for name, path in auth_views.ADMIN_PAGES.items() if auth.may_open(name)]
    return st.navigation(pages)


def _warm_up() -> None:
    from etl.pipeline import warm_tagger
    from kokemus import long_lived
    warm_tagger()
    long_lived.warm_libraries()
    long_lived.freeze()   # Streamlit's collection after every run then skips them


@st.cache_resource(show_spinner=False)
def _start_tagger_warmup() -> threading.Thread:
    """Decoding the Finnish lemma table takes seconds; do it once per server, in the
    background, so the first upload or Problems page does not wait for it. Then the
    libraries and tables the server keeps for good are frozen out of the garbage
    collector's full walk after each run (kokemus/long_lived.py)."""
    thread = threading.Thread(target=_warm_up, name="kokemus-warm-tagger", daemon=True)
    thread.start()
    return thread


def main() -> None:
    _start_tagger_warmup()
    lang = st.session_state.get(LANG_KEY) if st.session_state.get(LANG_KEY) in LANGUAGES else _initial_language()
    # the tab title in the user's language from the very first page (?lang= included)
    st.set_page_config(page_title=t("app_title", lang), layout="wide")
    style.inject()
    gate = auth_views.gate_page(lang)
    page = st.navigation([gate], position="hidden") if gate is not None else navigation(lang)
    lang = language_switch()
    if gate is None:
        auth_views.banner(lang)
        auth_views.user_box(lang)
    if page.url_path == URL_PATHS["upload"]:
        style.fix_file_uploader()
    try:
        with one_connection_per_run():
            page.run()
    except WarehouseBusy:
        st.warning(t("warehouse_busy", lang))


main()
