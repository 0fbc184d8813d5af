"""`python -m kokemus.streamlit_run run dashboard.py [options]`: Streamlit's own command line,
with its legacy ``pages/`` lookup switched off before the first visitor arrives.

Streamlit decides per server process, when the first session starts, whether a ``pages/``
folder beside the entry point means its old multipage mode; that first run then looks the
URL up among the folder's file names before ``st.navigation`` takes over, and a link to
``/tuontiloki`` (our paths are Finnish words, not file names) shows "Page not found". The
dashboard always navigates with ``st.navigation``, so the old mode is never wanted: this
sets Streamlit's flag to what ``st.navigation`` itself sets it to after that first run,
and the design's ``pages/`` folder stays where it is. It also marks the process as a
dashboard server, whose long-lived objects the warm-up freezes out of the garbage
collector's walk after every run (``kokemus/long_lived.py``). ``kokemus.serve`` (``make run``) and
the browser tests start the dashboard through here.
"""
from __future__ import annotations

import sys


def main() -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    from kokemus import long_lived

    PagesManager.uses_pages_directory = False
    long_lived.enable()
    sys.argv[0] = "streamlit"
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
