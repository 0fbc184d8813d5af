"""How the dashboard may run: signed in, in explicit demo mode, or not at all.

* ``auth``  - sign-in is configured (an OIDC provider in ``.streamlit/secrets.toml`` or at
  least one active local account): every page needs a signed-in user.
* ``demo``  - no sign-in configured and the warehouse is marked as the demo warehouse by
  ``etl demo``: pages open without sign-in under a banner; localhost only.
* ``unconfigured`` - a real warehouse and no sign-in: the dashboard refuses to start.
"""
from __future__ import annotations

import os
from pathlib import Path

from kokemus import config, db

LOCAL_ADDRESSES = frozenset(config.LOOPBACK_HOSTS)


def is_demo_warehouse(warehouse=None) -> bool:
    p = config.db_path(warehouse)
    if not p.exists():
        return False
    with db.connect(p) as con:
        row = con.execute("SELECT value FROM warehouse_flags WHERE name = 'demo'").fetchone()
    return bool(row and row[0] == "true")


def mark_demo(warehouse=None) -> None:
    """Mark a warehouse as holding fictional data only (``etl demo``; test warehouses)."""
    with db.writer(warehouse) as con:
        con.execute("INSERT OR REPLACE INTO warehouse_flags (name, value) VALUES ('demo', 'true')")


def oidc_providers(secrets=None) -> list[str]:
    """Names of the OIDC providers configured for ``st.login`` ('' = the unnamed default)."""
    if secrets is None:
        import streamlit as st
        try:
            secrets = st.secrets
            auth = secrets.get("auth") if "auth" in secrets else None
        except Exception:  # noqa: BLE001 - no secrets file: no OIDC
            return []
    else:
        auth = secrets.get("auth")
    if not auth or not auth.get("cookie_secret") or not auth.get("redirect_uri"):
        return []
    names = [k for k, v in auth.items() if hasattr(v, "get") and v.get("client_id")]
    if auth.get("client_id"):
        names.insert(0, "")
    return names


def local_accounts(warehouse=None) -> bool:
    from kokemus.auth import accounts
    return accounts.count_active(warehouse) > 0


def current(warehouse=None, secrets=None) -> str:
    if oidc_providers(secrets) or local_accounts(warehouse):
        return "auth"
    if is_demo_warehouse(warehouse):
        return "demo"
    return "unconfigured"


def listens_beyond_localhost(address: str | None) -> bool:
    """An empty server.address makes Streamlit listen on every interface."""
    return (address or "").strip() not in LOCAL_ADDRESSES


def session_hours() -> float:
    return float(os.environ.get("KOKEMUS_SESSION_HOURS", "10"))


def groups_claim() -> str:
    """The ID-token claim holding group ids (Entra ID: ``groups``; Keycloak: as mapped)."""
    return os.environ.get("KOKEMUS_OIDC_GROUPS_CLAIM", "groups")
