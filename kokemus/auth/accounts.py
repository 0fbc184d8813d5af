"""Accounts: who may sign in, with which role and over which units.

Local accounts carry an argon2 hash; OIDC accounts are matched by subject, then e-mail.
Repeated failed sign-ins lock an account for a while; a password set by an administrator
is temporary and must be changed at the next sign-in. Every change here is audited by the
caller's actor name (the CLI's OS user or the signed-in administrator).
"""
from __future__ import annotations

import functools

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable, Sequence

from kokemus.auth import audit, passwords, store
from kokemus.auth.roles import ALL_UNITS_ROLES, check_role

SCOPE_KINDS = ("unit", "area")


def max_failures() -> int:
    return int(os.environ.get("KOKEMUS_LOCKOUT_FAILURES", "5"))


def lockout_minutes() -> int:
    return int(os.environ.get("KOKEMUS_LOCKOUT_MINUTES", "15"))


class AccountError(ValueError):
    """A refused account operation; ``key`` is the message-catalogue key."""

    def __init__(self, key: str, **params):
        super().__init__(f"{key} {params}")
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Account:
    account_id: int
    username: str
    role: str
    display_name: str | None = None
    email: str | None = None
    oidc_subject: str | None = None
    units: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    disabled: bool = False
    must_change_password: bool = False
    has_password: bool = False
    locked_until: datetime | None = None
    failed_attempts: int = 0
    last_sign_in: datetime | None = None

    @property
    def all_units(self) -> bool:
        return self.role in ALL_UNITS_ROLES

    @property
    def label(self) -> str:
        return self.display_name or self.username

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now())


@dataclass
class SignInResult:
    ok: bool
    account: Account | None = None
    reason: str = ""            # message key when not ok
    params: dict = field(default_factory=dict)


def _norm_user(username: str) -> str:
    name = (username or "").strip().lower()
    if not name:
        raise AccountError("auth_err_no_username")
    return name


_COLUMNS = ("account_id, username, role, display_name, email, oidc_subject, disabled, "
            "must_change_password, password_hash IS NOT NULL, locked_until, failed_attempts, last_sign_in")


def _from_row(con, row) -> Account:
    scopes = con.execute("SELECT kind, name FROM account_scopes WHERE account_id = ? ORDER BY kind, name",
                         [row[0]]).fetchall()
    return Account(account_id=row[0], username=row[1], role=row[2], display_name=row[3], email=row[4],
                   oidc_subject=row[5], disabled=bool(row[6]), must_change_password=bool(row[7]),
                   has_password=bool(row[8]), locked_until=row[9], failed_attempts=int(row[10] or 0),
                   last_sign_in=row[11],
                   units=tuple(n for k, n in scopes if k == "unit"),
                   areas=tuple(n for k, n in scopes if k == "area"))


def _get(con, where: str, params: Sequence) -> Account | None:
    row = con.execute(f"SELECT {_COLUMNS} FROM accounts WHERE {where} LIMIT 1", list(params)).fetchone()
    return _from_row(con, row) if row else None


def get(username: str, warehouse=None) -> Account | None:
    with store.connect(warehouse) as con:
        return _get(con, "username = ?", [_norm_user(username)])


def get_by_id(account_id: int, warehouse=None) -> Account | None:
    with store.connect(warehouse) as con:
        return _get(con, "account_id = ?", [int(account_id)])


def list_accounts(warehouse=None) -> list[Account]:
    with store.connect(warehouse) as con:
        rows = con.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY username").fetchall()
        return [_from_row(con, r) for r in rows]


def count_active(warehouse=None, role: str | None = None) -> int:
    if not store.exists(warehouse):
        return 0
    with store.connect(warehouse) as con:
        sql = "SELECT count(*) FROM accounts WHERE NOT disabled"
        params: list = []
        if role:
            sql += " AND role = ?"
            params.append(role)
        return int(con.execute(sql, params).fetchone()[0])


def _set_scopes(con, account_id: int, units: Iterable[str], areas: Iterable[str]) -> None:
    con.execute("DELETE FROM account_scopes WHERE account_id = ?", [account_id])
    for kind, names in (("unit", units), ("area", areas)):
        for name in sorted({n.strip() for n in names if n and n.strip()}):
            con.execute("INSERT INTO account_scopes VALUES (?, ?, ?)", [account_id, kind, name])


def add(username: str, role: str, *, actor: str, password: str | None = None,
        email: str | None = None, display_name: str | None = None, oidc_subject: str | None = None,
        units: Sequence[str] = (), areas: Sequence[str] = (), temporary: bool = True,
        warehouse=None) -> Account:
    """Create an account. A password given by an administrator is temporary by default;
    an account without a password can only sign in through OIDC."""
    name = _norm_user(username)
    check_role(role)
    if password is not None:
        passwords.check_policy(password, name)
    with store.connect(warehouse) as con:
        if _get(con, "username = ?", [name]):
            raise AccountError("auth_err_exists", username=name)
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "INSERT INTO accounts (username, display_name, email, oidc_subject, role, password_hash, "
            "must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, display_name, (email or "").strip().lower() or None, oidc_subject, role,
             passwords.hash_password(password) if password is not None else None,
             bool(password is not None and temporary)])
        account_id = con.execute("SELECT account_id FROM accounts WHERE username = ?", [name]).fetchone()[0]
        _set_scopes(con, account_id, units, areas)
        con.execute("COMMIT")
        account = _get(con, "account_id = ?", [account_id])
    audit.record("account_add", actor=actor, target=name,
                 detail={"role": role, "units": list(account.units), "areas": list(account.areas),
                         "email": account.email, "local": password is not None}, warehouse=warehouse)
    return account


def _require(con, username: str) -> Account:
    account = _get(con, "username = ?", [_norm_user(username)])
    if account is None:
        raise AccountError("auth_err_unknown", username=username)
    return account


_ADMIN_CHANGES = threading.Lock()


def _keep_an_administrator(con, before: Account) -> None:
    """Refuse a change that would leave no active administrator: nobody could then manage
    accounts from the dashboard, and the page's own guard (not yourself) does not cover the
    command line or two administrators acting at once. Callers hold ``_ADMIN_CHANGES`` from
    this check to their update (two sessions of one server are two threads; another process
    cannot have the store file open meanwhile)."""
    if before.role != "administrator" or before.disabled:
        return
    (others,) = con.execute("SELECT count(*) FROM accounts WHERE role = 'administrator' AND NOT disabled "
                            "AND account_id <> ?", [before.account_id]).fetchone()
    if not others:
        raise AccountError("auth_err_last_admin", username=before.username)


def set_role(username: str, role: str, *, actor: str, warehouse=None) -> Account:
    check_role(role)
    with _ADMIN_CHANGES, store.connect(warehouse) as con:
        before = _require(con, username)
        if role != "administrator":
            _keep_an_administrator(con, before)
        con.execute("UPDATE accounts SET role = ? WHERE account_id = ?", [role, before.account_id])
        after = _get(con, "account_id = ?", [before.account_id])
    audit.record("role_change", actor=actor, target=after.username,
                 detail={"from": before.role, "to": role}, warehouse=warehouse)
    return after


def set_scope(username: str, *, actor: str, units: Sequence[str] = (), areas: Sequence[str] = (),
              warehouse=None) -> Account:
    with store.connect(warehouse) as con:
        before = _require(con, username)
        con.execute("BEGIN TRANSACTION")
        _set_scopes(con, before.account_id, units, areas)
        con.execute("COMMIT")
        after = _get(con, "account_id = ?", [before.account_id])
    audit.record("scope_change", actor=actor, target=after.username,
                 detail={"from": {"units": list(before.units), "areas": list(before.areas)},
                         "to": {"units": list(after.units), "areas": list(after.areas)}},
                 warehouse=warehouse)
    return after


def set_disabled(username: str, disabled: bool, *, actor: str, warehouse=None) -> Account:
    with _ADMIN_CHANGES, store.connect(warehouse) as con:
        before = _require(con, username)
        if disabled:
            _keep_an_administrator(con, before)
        con.execute("UPDATE accounts SET disabled = ? WHERE account_id = ?", [disabled, before.account_id])
        after = _get(con, "account_id = ?", [before.account_id])
    audit.record("account_disable" if disabled else "account_enable", actor=actor,
                 target=after.username, warehouse=warehouse)
    return after


def reset_password(username: str, *, actor: str, password: str | None = None,
                   warehouse=None) -> tuple[Account, str]:
    """Give the account a temporary password (random unless given); unlocks it too."""
    new = password or passwords.temporary_password()
    with store.connect(warehouse) as con:
        before = _require(con, username)
        passwords.check_policy(new, before.username)
        con.execute("UPDATE accounts SET password_hash = ?, must_change_password = true, "
                    "failed_attempts = 0, locked_until = NULL WHERE account_id = ?",
                    [passwords.hash_password(new), before.account_id])
        after = _get(con, "account_id = ?", [before.account_id])
    audit.record("password_reset", actor=actor, target=after.username, warehouse=warehouse)
    return after, new


def change_password(username: str, old: str, new: str, warehouse=None) -> Account:
    """The user's own change (the forced one after a temporary password, or any time)."""
    with store.connect(warehouse) as con:
        account = _require(con, username)
        row = con.execute("SELECT password_hash FROM accounts WHERE account_id = ?",
                          [account.account_id]).fetchone()
        if not passwords.verify(row[0], old):
            raise AccountError("auth_err_wrong_password")
        if new == old:
            raise AccountError("auth_err_same_password")
        passwords.check_policy(new, account.username)
        con.execute("UPDATE accounts SET password_hash = ?, must_change_password = false "
                    "WHERE account_id = ?", [passwords.hash_password(new), account.account_id])
        after = _get(con, "account_id = ?", [account.account_id])
    audit.record("password_change", actor=after.username, account_id=after.account_id,
                 role=after.role, target=after.username, warehouse=warehouse)
    return after


def sign_in(username: str, password: str, *, page: str | None = None, warehouse=None,
            now: datetime | None = None) -> SignInResult:
    """Check a local sign-in, counting failures and locking the account after too many.

    The message for an unknown name and a wrong password is the same, so the form does not
    tell an outsider which user names exist.
    """
    now = now or datetime.now()
    name = (username or "").strip().lower()
    with store.connect(warehouse) as con:
        row = con.execute("SELECT account_id, password_hash FROM accounts WHERE username = ?",
                          [name]).fetchone()
        account = _get(con, "account_id = ?", [row[0]]) if row else None
        if account is None or row[1] is None:
            passwords.verify(_dummy_hash(), password or "")  # same time as a real check
            result = SignInResult(False, reason="auth_bad_credentials")
        elif account.disabled:
            result = SignInResult(False, account, reason="auth_disabled")
        elif account.locked(now):
            result = SignInResult(False, account, reason="auth_locked",
                                  params={"minutes": max(1, int((account.locked_until - now).total_seconds() // 60) + 1)})
        elif passwords.verify(row[1], password or ""):
            updates = "failed_attempts = 0, locked_until = NULL, last_sign_in = ?"
            params: list = [now]
            if passwords.needs_rehash(row[1]):
                updates += ", password_hash = ?"
                params.append(passwords.hash_password(password))
            con.execute(f"UPDATE accounts SET {updates} WHERE account_id = ?", [*params, account.account_id])
            result = SignInResult(True, _get(con, "account_id = ?", [account.account_id]))
        else:
            failures = account.failed_attempts + 1
            locked_until = now + timedelta(minutes=lockout_minutes()) if failures >= max_failures() else None
            con.execute("UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE account_id = ?",
                        [0 if locked_until else failures, locked_until, account.account_id])
            if locked_until:
                result = SignInResult(False, account, reason="auth_locked",
                                      params={"minutes": lockout_minutes()})
            else:
                result = SignInResult(False, account, reason="auth_bad_credentials")
    if result.ok:
        audit.record("sign_in", actor=result.account.username, account_id=result.account.account_id,
                     role=result.account.role, page=page, detail={"method": "local"}, warehouse=warehouse)
    else:
        audit.record("sign_in_failed", actor=name or None,
                     account_id=account.account_id if account else None, page=page,
                     detail={"method": "local", "reason": result.reason}, warehouse=warehouse)
        if result.reason == "auth_locked" and account is not None and not account.locked(now):
            audit.record("account_locked", actor=name, account_id=account.account_id,
                         detail={"minutes": lockout_minutes()}, warehouse=warehouse)
    return result


@functools.cache
def _dummy_hash() -> str:
    """Checked against when no account matches, so an unknown name takes as long as a wrong
    password; made on first need, not in every process that imports accounts."""
    return passwords.hash_password("not-a-real-password-0000")


def mark_oidc_sign_in(account: Account, warehouse=None) -> None:
    with store.connect(warehouse) as con:
        con.execute("UPDATE accounts SET last_sign_in = current_timestamp WHERE account_id = ?",
                    [account.account_id])


def find_oidc(subject: str | None, email: str | None, warehouse=None) -> Account | None:
    """The account an OIDC identity belongs to: by subject first (stable at the provider),
    then by e-mail (how an administrator creates the account before the first sign-in);
    the subject is remembered on that first match."""
    with store.connect(warehouse) as con:
        if subject:
            found = _get(con, "oidc_subject = ?", [subject])
            if found:
                return found
        mail = (email or "").strip().lower()
        if mail:
            found = _get(con, "email = ? OR username = ?", [mail, mail])
            if found and subject and not found.oidc_subject:
                con.execute("UPDATE accounts SET oidc_subject = ? WHERE account_id = ?",
                            [subject, found.account_id])
                found = _get(con, "account_id = ?", [found.account_id])
            return found
    return None


# ------------------------------------------------------------------ group-claim mapping

def set_group_mapping(group: str, role: str, *, actor: str, units: Sequence[str] = (),
                      areas: Sequence[str] = (), warehouse=None) -> None:
    check_role(role)
    with store.connect(warehouse) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM group_mappings WHERE group_name = ?", [group])
        scopes = [("unit", u) for u in units] + [("area", a) for a in areas] or [(None, None)]
        for kind, name in scopes:
            con.execute("INSERT INTO group_mappings VALUES (?, ?, ?, ?)", [group, role, kind, name])
        con.execute("COMMIT")
    audit.record("group_mapping", actor=actor, target=group,
                 detail={"role": role, "units": list(units), "areas": list(areas)}, warehouse=warehouse)


def group_mappings(warehouse=None) -> list[tuple[str, str, str | None, str | None]]:
    with store.connect(warehouse) as con:
        return con.execute("SELECT group_name, role, kind, name FROM group_mappings "
                           "ORDER BY group_name, kind, name").fetchall()


def provision_from_groups(username: str, email: str | None, subject: str | None,
                          display_name: str | None, groups: Sequence[str], warehouse=None) -> Account | None:
    """Create the account of an unknown OIDC user whose group claim an administrator has
    mapped to a role; the first mapped group in the list decides. None when no group maps."""
    wanted = [str(g) for g in groups or ()]
    if not wanted:
        return None
    rows = [r for r in group_mappings(warehouse) if r[0] in wanted]
    if not rows:
        return None
    first = min(rows, key=lambda r: wanted.index(r[0]))[0]
    chosen = [r for r in rows if r[0] == first]
    return add(username, chosen[0][1], actor=f"group:{first}", email=email, display_name=display_name,
               oidc_subject=subject, units=[r[3] for r in chosen if r[2] == "unit"],
               areas=[r[3] for r in chosen if r[2] == "area"], warehouse=warehouse)
