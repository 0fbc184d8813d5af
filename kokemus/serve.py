"""`python -m kokemus.serve [streamlit options]`: start the dashboard only when it is safe.

``make run`` goes through here. It refuses to start - with a message saying what to
configure - when the warehouse is real (not marked by ``etl demo``) and no sign-in is
configured, or when the server would listen beyond localhost without sign-in. It also
applies the audit retention once per start, removes upload temp files a stopped server left
behind, sets Streamlit's upload limit to ``KOKEMUS_MAX_UPLOAD_MB`` and serves the dashboard
with the Host-header check of ``kokemus.host_check`` (DNS rebinding). The dashboard checks the same rules on every
run, so starting ``streamlit run dashboard.py`` by hand shows the refusal instead of data.
"""
from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from kokemus import config

ROOT = Path(__file__).resolve().parent.parent

MESSAGES = {
    "unconfigured": (
        "Kokemus ei käynnisty: tietovarasto {db} ei ole esittelyvarasto, eikä kirjautumista ole määritetty.\n"
        "  - kertakirjautuminen: [auth] tiedostoon .streamlit/secrets.toml (docs/deployment.md), tai\n"
        "  - omat tunnukset: python -m etl users add NIMI --role administrator --password-prompt\n"
        "  - esittely: python -m etl demo (rakentaa esittelyvaraston)",
        "Kokemus will not start: the warehouse {db} is not the demo warehouse and no sign-in is configured.\n"
        "  - single sign-on: an [auth] section in .streamlit/secrets.toml (docs/deployment.md), or\n"
        "  - local accounts: python -m etl users add NAME --role administrator --password-prompt\n"
        "  - a demo: python -m etl demo (builds the demo warehouse)"),
    "exposed": (
        "Kokemus ei käynnisty: palvelin kuuntelisi osoitteessa {address}, mutta kirjautumista ei ole määritetty. "
        "Käytä osoitetta localhost tai määritä kirjautuminen (docs/deployment.md).",
        "Kokemus will not start: the server would listen on {address} but no sign-in is configured. "
        "Use localhost or configure sign-in (docs/deployment.md)."),
}


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}


def secrets() -> dict:
    """The secrets Streamlit will read (global file first, the project's file wins)."""
    merged: dict = {}
    for path in (Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"):
        merged.update(_toml(path))
    return merged


def _option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == f"--{name}" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
    env = os.environ.get("STREAMLIT_" + name.upper().replace(".", "_"))
    if env is not None:
        return env
    section, key = name.split(".", 1)
    return _toml(ROOT / ".streamlit" / "config.toml").get(section, {}).get(key)


def check(argv: list[str]) -> tuple[str, str | None]:
    """(mode, refusal message or None)."""
    from kokemus.auth import mode
    lang_en = os.environ.get("KOKEMUS_LANG", "fi") == "en"
    current = mode.current(config.db_path(), secrets=secrets())
    if current == "unconfigured":
        return current, MESSAGES["unconfigured"][lang_en].format(db=config.db_path())
    address = _option(argv, "server.address") or ""
    if current != "auth" and mode.listens_beyond_localhost(address):
        return current, MESSAGES["exposed"][lang_en].format(address=address or "0.0.0.0")
    return current, None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    current, refusal = check(argv)
    if refusal:
        print(refusal, file=sys.stderr)
        return 2
    if current == "auth":
        from kokemus.auth import audit
        audit.purge(actor="retention")
    from kokemus import upload_files
    upload_files.sweep()   # upload temp files a stopped server left behind
    if _option(argv, "server.maxUploadSize") is None or "KOKEMUS_MAX_UPLOAD_MB" in os.environ:
        # Streamlit refuses a bigger upload request itself, before our own check of the bytes
        argv += ["--server.maxUploadSize", str(config.max_upload_mb())]
    # Streamlit's own CLI in this process, legacy pages/ lookup off (kokemus/streamlit_run.py),
    # with the Host-header check first in its middleware (kokemus/host_check.py)
    from kokemus import host_check, streamlit_run
    host_check.install()
    sys.argv = ["streamlit", "run", str(ROOT / "dashboard.py"), *argv]
    streamlit_run.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
