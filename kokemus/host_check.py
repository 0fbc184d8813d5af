"""The Host-header check `kokemus.serve` adds to Streamlit's web server (DNS rebinding).

Streamlit checks the Origin of websocket connections, but not the Host header, so a page on
``http://attacker.example:8501`` whose name is re-pointed at 127.0.0.1 (DNS rebinding) would
be same-origin with the dashboard and could read it. Starlette's ``TrustedHostMiddleware``
answers 400 to any request or websocket whose Host is not one of ``config.allowed_hosts()``.

Streamlit (1.67) builds its middleware in ``starlette_app.create_streamlit_middleware`` and
offers no option for this; ``st.App(middleware=...)`` would serve the dashboard in ASGI mode,
where ``st.navigation``'s page paths are not found on the first request. So the check is put
first in that list, in the launcher's own process only (``streamlit run dashboard.py`` by
hand runs without it). tests/browser/test_names_browser.py runs the real launcher and fails
if a Streamlit upgrade moves the function.
"""
from __future__ import annotations

from kokemus import config


def install() -> None:
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "_kokemus_host_check", False):
        return

    def with_host_check():
        return [Middleware(TrustedHostMiddleware, allowed_hosts=config.allowed_hosts()), *original()]
    with_host_check._kokemus_host_check = True
    starlette_app.create_streamlit_middleware = with_host_check
