"""Accounts, passwords, lockout, OIDC matching, scopes and the audit trail, on real files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from kokemus.auth import accounts, audit, mode, passwords, roles, scope, store

PW = "Hyvä-pitkä-salasana-1"


def audit_rows(db: Path, action: str | None = None) -> list[dict]:
    frame = audit.search(warehouse=db, actions=(action,) if action else ())
    return frame.to_dict("records")


@pytest.fixture
def db(tmp_db) -> Path:
    return tmp_db


def test_passwords_are_argon2id_and_never_stored_in_clear(db):
    accounts.add("Maija", "manager", actor="t", password=PW, warehouse=db)
    with duckdb.connect(str(store.path(db)), read_only=True) as con:
        (stored,) = con.execute("SELECT password_hash FROM accounts WHERE username = 'maija'").fetchone()
        dump = " ".join(str(v) for row in con.execute("SELECT * FROM accounts").fetchall() for v in row)
    assert stored.startswith("$argon2id$")
    assert PW not in dump
    assert passwords.verify(stored, PW) and not passwords.verify(stored, PW + "x")


@pytest.mark.parametrize("bad, key", [("lyhyt-1", "auth_pw_too_short"), ("aaaaaaaaaaaaaaaa", "auth_pw_too_simple"),
                                      ("kalle.virtanen", "auth_pw_is_username")])
def test_password_policy(db, bad, key):
    with pytest.raises(passwords.PasswordRejected) as err:
        accounts.add("kalle.virtanen", "nurse", actor="t", password=bad, warehouse=db)
    assert err.value.key == key
    assert accounts.get("kalle.virtanen", db) is None


def test_sign_in_locks_after_repeated_failures_then_unlocks_after_the_wait(db, monkeypatch):
    monkeypatch.setenv("KOKEMUS_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("KOKEMUS_LOCKOUT_MINUTES", "15")
    accounts.add("liisa", "nurse", actor="t", password=PW, temporary=False, warehouse=db)
    now = datetime(2026, 3, 2, 8, 0)
    reasons = [accounts.sign_in("liisa", "väärä-salasana-9", warehouse=db, now=now).reason for _ in range(3)]
    assert reasons == ["auth_bad_credentials", "auth_bad_credentials", "auth_locked"]
    locked = accounts.sign_in("liisa", PW, warehouse=db, now=now + timedelta(minutes=5))
    assert not locked.ok and locked.reason == "auth_locked", "the right password must not open a locked account"
    assert accounts.sign_in("liisa", PW, warehouse=db, now=now + timedelta(minutes=16)).ok
    failed = audit_rows(db, "sign_in_failed")
    assert len(failed) == 4 and {r["actor"] for r in failed} == {"liisa"}
    assert len(audit_rows(db, "account_locked")) == 1
    assert len(audit_rows(db, "sign_in")) == 1


def test_unknown_user_and_wrong_password_get_the_same_answer(db):
    accounts.add("pekka", "viewer", actor="t", password=PW, warehouse=db)
    assert accounts.sign_in("ei-ole", PW, warehouse=db).reason == accounts.sign_in("pekka", "x" * 14, warehouse=db).reason


def test_disabled_account_cannot_sign_in_and_reset_gives_a_temporary_password(db):
    accounts.add("olli", "manager", actor="t", password=PW, temporary=False, warehouse=db)
    accounts.set_disabled("olli", True, actor="admin", warehouse=db)
    assert accounts.sign_in("olli", PW, warehouse=db).reason == "auth_disabled"
    accounts.set_disabled("olli", False, actor="admin", warehouse=db)
    account, temp = accounts.reset_password("olli", actor="admin", warehouse=db)
    assert account.must_change_password and len(temp) >= passwords.min_length()
    assert not accounts.sign_in("olli", PW, warehouse=db).ok
    signed = accounts.sign_in("olli", temp, warehouse=db)
    assert signed.ok and signed.account.must_change_password
    with pytest.raises(accounts.AccountError):
        accounts.change_password("olli", temp, temp, warehouse=db)
    changed = accounts.change_password("olli", temp, PW + "!", warehouse=db)
    assert not changed.must_change_password
    assert {r["action"] for r in audit_rows(db)} >= {"account_disable", "account_enable", "password_reset",
                                                     "password_change"}


def test_oidc_identity_matches_by_email_then_remembers_the_subject(db):
    accounts.add("anna.ylilaakari@alue.fi", "manager", actor="t", email="Anna.Ylilaakari@alue.fi",
                 units=["Osasto 1"], warehouse=db)
    first = accounts.find_oidc("https://login.example|sub-123", "anna.ylilaakari@ALUE.fi", warehouse=db)
    assert first is not None and first.oidc_subject == "https://login.example|sub-123"
    # the e-mail may change at the provider; the subject still finds the account
    again = accounts.find_oidc("https://login.example|sub-123", "anna.uusi@alue.fi", warehouse=db)
    assert again.account_id == first.account_id
    assert accounts.find_oidc("https://login.example|sub-999", "joku@muu.fi", warehouse=db) is None


def test_group_mapping_provisions_an_unknown_oidc_user(db):
    accounts.set_group_mapping("grp-5b-hoitajat", "nurse", actor="admin", units=["Osasto 5B"], warehouse=db)
    assert accounts.provision_from_groups("x@alue.fi", "x@alue.fi", "iss|x", "X", ["grp-muu"], warehouse=db) is None
    made = accounts.provision_from_groups("y@alue.fi", "y@alue.fi", "iss|y", "Y", ["grp-muu", "grp-5b-hoitajat"],
                                          warehouse=db)
    assert made.role == "nurse" and made.units == ("Osasto 5B",) and not made.has_password


def test_role_and_scope_changes_are_audited_with_before_and_after(db):
    accounts.add("ville", "viewer", actor="t", units=["Osasto 1"], warehouse=db)
    accounts.set_role("ville", "manager", actor="admin", warehouse=db)
    accounts.set_scope("ville", actor="admin", units=["Osasto 2"], areas=["Sisätaudit"], warehouse=db)
    (role_change,) = audit_rows(db, "role_change")
    assert json.loads(role_change["detail"]) == {"from": "viewer", "to": "manager"}
    assert role_change["actor"] == "admin" and role_change["target"] == "ville"
    (scope_change,) = audit_rows(db, "scope_change")
    detail = json.loads(scope_change["detail"])
    assert detail["from"]["units"] == ["Osasto 1"] and detail["to"] == {"units": ["Osasto 2"], "areas": ["Sisätaudit"]}


def test_the_last_active_administrator_cannot_be_demoted_or_disabled(db):
    accounts.add("paakayttaja", "administrator", actor="t", warehouse=db)
    accounts.add("toinen", "administrator", actor="t", warehouse=db)
    accounts.set_disabled("toinen", True, actor="paakayttaja", warehouse=db)
    for change in (lambda: accounts.set_role("paakayttaja", "manager", actor="x", warehouse=db),
                   lambda: accounts.set_disabled("paakayttaja", True, actor="x", warehouse=db)):
        with pytest.raises(accounts.AccountError) as err:
            change()
        assert err.value.key == "auth_err_last_admin"
    assert accounts.get("paakayttaja", db).role == "administrator" and not accounts.get("paakayttaja", db).disabled
    accounts.set_disabled("toinen", False, actor="paakayttaja", warehouse=db)
    assert accounts.set_role("paakayttaja", "manager", actor="toinen", warehouse=db).role == "manager"


def test_two_administrators_disabling_each_other_at_once_leave_one(db):
    from concurrent.futures import ThreadPoolExecutor
    accounts.add("aino", "administrator", actor="t", warehouse=db)
    accounts.add("eino", "administrator", actor="t", warehouse=db)
    def disable(pair):
        name, actor = pair
        try:
            accounts.set_disabled(name, True, actor=actor, warehouse=db)
            return "done"
        except accounts.AccountError as exc:
            return exc.key
    for _ in range(5):
        with ThreadPoolExecutor(2) as pool:
            outcomes = sorted(pool.map(disable, [("aino", "eino"), ("eino", "aino")]))
        assert outcomes == ["auth_err_last_admin", "done"]
        assert accounts.count_active(db, role="administrator") == 1
        for name in ("aino", "eino"):
            accounts.set_disabled(name, False, actor="t", warehouse=db)


def test_the_command_line_refuses_to_remove_the_last_administrator(db):
    root = Path(__file__).resolve().parents[2]
    accounts.add("paakayttaja", "administrator", actor="t", warehouse=db)
    env = {**os.environ, "KOKEMUS_LANG": "fi"}
    proc = subprocess.run([sys.executable, "-m", "etl", "users", "set-role", "paakayttaja", "viewer", "--db", str(db)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "ainoa käytössä oleva pääkäyttäjä" in proc.stderr and "Traceback" not in proc.stderr
    assert accounts.get("paakayttaja", db).role == "administrator"


def test_audit_retention_deletes_only_old_rows_and_says_so(db):
    audit.record("sign_in", actor="vanha", warehouse=db)
    with duckdb.connect(str(store.path(db))) as con:
        con.execute("UPDATE audit_log SET occurred_at = occurred_at - INTERVAL 800 DAY WHERE actor = 'vanha'")
    audit.record("sign_in", actor="uusi", warehouse=db)
    assert audit.purge(actor="admin", days=730, warehouse=db) == 1
    actors = [r["actor"] for r in audit_rows(db)]
    assert "vanha" not in actors and "uusi" in actors
    (purge,) = audit_rows(db, "audit_purge")
    assert purge["row_count"] == 1


def test_unknown_audit_action_is_refused(db):
    with pytest.raises(ValueError):
        audit.record("looked_around", actor="x", warehouse=db)


def test_scope_resolves_units_and_areas_and_never_widens(tmp_path, monkeypatch):
    from tests.auth_world import build
    monkeypatch.setenv("KOKEMUS_DB", str(tmp_path / "alue.duckdb"))
    world = build(tmp_path)
    ids = world.unit_ids
    assert scope.unit_ids(accounts.get("admin", world.db), world.db) is None
    assert scope.unit_ids(accounts.get("laatu", world.db), world.db) is None
    assert scope.unit_ids(accounts.get("esihenkilo", world.db), world.db) == (ids["Osasto A1"],)
    assert set(scope.unit_ids(accounts.get("aluejohtaja", world.db), world.db)) == {ids["Osasto A1"], ids["Osasto A2"]}
    assert scope.unit_ids(accounts.get("tyhja", world.db), world.db) == ()
    assert scope.unit_ids(None, world.db) == ()


def test_roles_table():
    assert roles.can("administrator", "manage_users")
    assert not roles.can("quality", "manage_users") and roles.can("quality", "correct_tags")
    assert roles.can("manager", "replies") and not roles.can("manager", "undo_any")
    assert roles.can("nurse", "upload") and not roles.can("nurse", "export")
    assert roles.can("viewer", "view_kpis") and not roles.can("viewer", "view_comments")
    assert roles.page_permission("some_future_page") == "view_comments"


def test_mode_demo_only_for_a_marked_warehouse_and_auth_once_accounts_exist(tmp_db):
    from kokemus import db
    with db.connect(tmp_db):
        pass
    assert mode.current(tmp_db, secrets={}) == "unconfigured"
    mode.mark_demo(tmp_db)
    assert mode.current(tmp_db, secrets={}) == "demo"
    accounts.add("admin", "administrator", actor="t", password=PW, warehouse=tmp_db)
    assert mode.current(tmp_db, secrets={}) == "auth"


def test_oidc_providers_from_secrets():
    assert mode.oidc_providers({}) == []
    base = {"redirect_uri": "https://kokemus.alue.fi/oauth2callback", "cookie_secret": "x" * 40}
    assert mode.oidc_providers({"auth": {**base, "client_id": "abc"}}) == [""]
    assert mode.oidc_providers({"auth": {**base, "microsoft": {"client_id": "abc"}}}) == ["microsoft"]
    assert mode.oidc_providers({"auth": {"microsoft": {"client_id": "abc"}}}) == [], "no cookie secret: not usable"


def test_every_page_query_carries_the_scope_predicate():
    """The scope is enforced in the SQL: a new query file must bind $scope (or $allowed,
    kokemus.access's name for the same unit ids) or be listed
    here with the reason it reads nothing unit-specific."""
    no_unit_data = {"comments_tags": "tags of response ids taken from a scoped page",
                    "comments_themes": "theme names only", "problems_tag_count": "whether any tag exists",
                    "scope_units": "computes the scope itself",
                    "comments_word_forms": "spellings to search for; the search itself is scoped"}
    sql_dir = Path(__file__).resolve().parents[2] / "kokemus" / "sql"
    no_unit_data.update({"actions_theme_share": "the units of one action, already listed within scope",
                         "replies_purge": "retention clean-up, reads nothing out"})
    missing = [f.stem for f in sorted(sql_dir.glob("*.sql"))
               if not any(p in f.read_text(encoding="utf-8") for p in ("$scope", "$allowed"))
               and f.stem not in no_unit_data]
    assert not missing, f"queries without the allowed-units predicate: {missing}"
