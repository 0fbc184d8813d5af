"""Who is using this Streamlit session, and what they may see - the glue between the
browser and kokemus.auth's accounts, scopes and audit trail.

One question per run, answered here and nowhere else: :func:`resolve` looks at the
deployment mode, a local sign-in held in ``st.session_state`` and an OIDC identity held
in Streamlit's signed ``st.user`` cookie, and gives back a :class:`Who`. Everything else
(the sidebar's scope, the cached queries' ``scoped``, the pages' ``require_page``) asks
it. Outside a Streamlit run (command line, benchmarks, unit tests of queries) the helpers
step aside: those callers pass their scope explicitly.
"""
from __future__ import annotations

import dataclasses
import getpass
import time
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kokemus import config, db
from kokemus.auth import accounts, audit, mode as modes, roles, scope as scopes, store
from kokemus.auth.accounts import Account

ACCOUNT_KEY = "_kokemus_account_id"
SIGNED_AT_KEY = "_kokemus_signed_in_at"
OIDC_SEEN_KEY = "_kokemus_oidc_seen"
VIEWED_KEY = "_kokemus_audited_views"


class NotAllowed(PermissionError):
    """Raised by :func:`require` when the signed-in role lacks a permission."""


@dataclass(frozen=True)
class Who:
    state: str                      # demo | unconfigured | signed_out | signed_in | pending
    account: Account | None = None  # | expired | disabled | must_change
    method: str | None = None       # local | oidc
    claims: dict | None = None

    @property
    def signed_in(self) -> bool:
        return self.state == "signed_in"

    @property
    def open(self) -> bool:
        """May this session see data at all (signed in, or the demo)?"""
        return self.state in ("signed_in", "demo")


def in_streamlit() -> bool:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        return get_script_run_ctx(suppress_warning=True) is not None
    except Exception:  # noqa: BLE001
        return False


# ------------------------------------------------------------------------- cached reads

@st.cache_data(show_spinner=False, ttl=30, max_entries=16)
def _mode(path: str, data_version: str, auth_version: str) -> str:
    # re-read at least every 30 s, so an edited secrets.toml takes effect without a restart
    return modes.current(path)


@st.cache_data(show_spinner=False, max_entries=512)
def _account(account_id: int, path: str, auth_version: str) -> Account | None:
    return accounts.get_by_id(account_id, path)


@st.cache_data(show_spinner=False, max_entries=512)
def _scope(account: Account, path: str, data_version: str) -> tuple[int, ...] | None:
    return scopes.unit_ids(account, path)


def current_mode() -> str:
    p = config.db_path()
    return _mode(str(p), db.data_version(p), store.version())


def _load(account_id: int) -> Account | None:
    return _account(int(account_id), str(config.db_path()), store.version())


# ------------------------------------------------------------------------------ resolve

def _claims() -> dict[str, Any] | None:
    try:
        if st.user.is_logged_in:
            return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 - no [auth] section: nobody is signed in via OIDC
        pass
    return None


def _session_age_ok(started: float | None) -> bool:
    return started is not None and time.time() - float(started) <= modes.session_hours() * 3600


def _forget_local() -> None:
    for key in (ACCOUNT_KEY, SIGNED_AT_KEY):
        st.session_state.pop(key, None)


def resolve() -> Who:
    m = current_mode()
    if m != "auth":
        return Who(m)
    account_id = st.session_state.get(ACCOUNT_KEY)
    if account_id is not None:
        account = _load(account_id)
        if account is None or account.disabled:
            _forget_local()
            return Who("disabled", account, "local")
        if not _session_age_ok(st.session_state.get(SIGNED_AT_KEY)):
            _forget_local()
            audit.record("session_expired", actor=account.username, account_id=account.account_id,
                         role=account.role, detail={"method": "local"})
            return Who("expired", account, "local")
        if account.must_change_password:
            return Who("must_change", account, "local")
        return Who("signed_in", account, "local")
    claims = _claims()
    if claims is None:
        return Who("signed_out")
    return _resolve_oidc(claims)


def _resolve_oidc(claims: dict[str, Any]) -> Who:
    """An identity the provider vouched for; the *account* decides what it may see."""
    iat = claims.get("iat")
    if not isinstance(iat, (int, float)) or not _session_age_ok(iat):
        return Who("expired", None, "oidc", claims)
    subject = str(claims.get("sub") or "") or None
    subject = f"{claims.get('iss', '')}|{subject}" if subject else None
    email = claims.get("email") or claims.get("preferred_username") or claims.get("upn")
    email = str(email) if email and "@" in str(email) else None
    seen = st.session_state.get(OIDC_SEEN_KEY)
    account = None
    if seen and seen[0] == (subject, iat) and seen[1] is not None:   # None: seen, no account yet
        account = _load(seen[1])
    if account is None:
        account = accounts.find_oidc(subject, email)
        if account is None:
            groups = claims.get(modes.groups_claim()) or ()
            if isinstance(groups, str):
                groups = [groups]
            account = accounts.provision_from_groups(
                email or str(claims.get("sub")), email, subject, claims.get("name"), list(groups))
        if account is None:
            if not seen or seen[0] != (subject, iat):
                audit.record("sign_in_failed", actor=email or subject,
                             detail={"method": "oidc", "reason": "no_account",
                                     "provider": claims.get("provider")})
                st.session_state[OIDC_SEEN_KEY] = ((subject, iat), None)
            return Who("pending", None, "oidc", claims)
        if account.disabled:
            return Who("disabled", account, "oidc", claims)
        if not seen or seen[0] != (subject, iat):
            accounts.mark_oidc_sign_in(account)
            audit.record("sign_in", actor=account.username, account_id=account.account_id,
                         role=account.role, detail={"method": "oidc", "provider": claims.get("provider")})
        st.session_state[OIDC_SEEN_KEY] = ((subject, iat), account.account_id)
    if account.disabled:
        return Who("disabled", account, "oidc", claims)
    return Who("signed_in", account, "oidc", claims)


def current() -> Who:
    """:func:`resolve` outside a run means the command line: no session, no gate."""
    if not in_streamlit():
        return Who("cli")
    return resolve()


# --------------------------------------------------------------------------- the small API

def current_user() -> Account | None:
    return current().account if in_streamlit() and current().signed_in else None


def allowed_unit_ids() -> tuple[int, ...] | None:
    """The units this session may see: None = all (demo, all-unit roles, command line)."""
    who = current()
    if who.state in ("cli", "demo"):
        return None
    if not who.signed_in:
        return ()
    return _scope(who.account, str(config.db_path()), db.data_version())


def scoped(f):
    """``f`` with the session's scope, whatever scope it came with."""
    if not in_streamlit():
        return f
    allowed = allowed_unit_ids()
    return f if f.scope == allowed else dataclasses.replace(f, scope=allowed)


ADMIN_ONLY = frozenset({"manage_users", "audit"})


def may(permission: str) -> bool:
    """The demo may do everything but manage accounts and read the audit trail (an
    account created there would end the demo; the trail is for real deployments)."""
    who = current()
    if who.state == "cli":
        return True
    if who.state == "demo":
        return permission not in ADMIN_ONLY
    return who.signed_in and roles.can(who.account.role, permission)


_LOOP_ACTIONS = {"view_cases": "replies", "edit_cases": "replies", "view_contacts": "replies",
                 "edit_promises": "replies", "edit_actions": "actions", "view_report": "reports"}
"""kokemus.access's close-the-loop actions -> the permission each needs."""


def can(action: str, unit_id: int | None = None) -> bool:
    """kokemus.access's seam: may this session do ``action`` (on ``unit_id``, if given)?"""
    if not may(_LOOP_ACTIONS.get(action, action)):
        return False
    if unit_id is None:
        return True
    allowed = allowed_unit_ids()
    return allowed is None or int(unit_id) in allowed


def require(permission: str) -> None:
    if not may(permission):
        raise NotAllowed(permission)


def may_open(page: str) -> bool:
    return may(roles.page_permission(page))


def actor() -> tuple[str | None, int | None, str | None]:
    """(name, account id, role) of whoever acts: the signed-in user or the OS user."""
    who = current()
    if who.account is not None:
        return who.account.username, who.account.account_id, who.account.role
    if who.state == "demo":
        return "demo", None, None
    try:
        return getpass.getuser(), None, None
    except Exception:  # noqa: BLE001
        return "unknown", None, None


def record(action: str, who: tuple | None = None, **fields) -> None:
    """Audit ``action`` as this session's user. Deferred downloads run their callable
    outside the script run (no session there): they pass ``who=actor()`` taken when the
    button was drawn."""
    name, account_id, role = who or actor()
    fields.setdefault("actor", name)
    fields.setdefault("account_id", account_id)
    fields.setdefault("role", role)
    audit.record(action, **fields)


def record_view(page: str, detail: dict[str, Any], rows: int | None = None) -> None:
    """Audit that patient text was shown - once per distinct view per session, not on
    every rerun (a click on a row reruns the page without showing anything new)."""
    key = (page, repr(audit._jsonable(detail)))
    if in_streamlit():
        seen = st.session_state.setdefault(VIEWED_KEY, set())
        if key in seen:
            return
        seen.add(key)
    record("comments_viewed", page=page, rows=rows, detail=detail)


def current_user_name() -> str | None:
    """The signed-in user's name (kokemus.tag_corrections records it with a correction)."""
    who = current()
    return who.account.username if who.account is not None else None


def uploader_name() -> str | None:
    """What ``imported_by`` records for an upload from this session."""
    return current_user_name()


def may_undo(imported_by: str | None) -> bool:
    """Undo is for the batch's uploader or an administrator."""
    who = current()
    if who.state in ("cli", "demo"):
        return True
    if not who.signed_in:
        return False
    return roles.can(who.account.role, "undo_any") or (
        imported_by is not None and imported_by == who.account.username
        and roles.can(who.account.role, "upload"))


# ------------------------------------------------------------------------ sign in / out

def sign_in_local(username: str, password: str) -> accounts.SignInResult:
    result = accounts.sign_in(username, password, warehouse=config.db_path())
    if result.ok:
        st.session_state[ACCOUNT_KEY] = result.account.account_id
        st.session_state[SIGNED_AT_KEY] = time.time()
        st.session_state.pop(VIEWED_KEY, None)
    return result


def sign_out() -> None:
    who = current()
    if who.account is not None:
        record("sign_out", detail={"method": who.method})
    _forget_local()
    st.session_state.pop(VIEWED_KEY, None)
    st.session_state.pop(OIDC_SEEN_KEY, None)
    if who.method == "oidc" or _claims() is not None:
        st.logout()
