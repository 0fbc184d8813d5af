"""Sign-in and unit scope through the real pages (AppTest), checked against SQL.

The warehouse is a small wellbeing area built by the real import (tests/auth_world.py);
every comment names its own unit, so a unit name anywhere on a page - a table cell, a
select option, a chart - is a leak when that unit is outside the user's scope.
"""
from __future__ import annotations

import io
import json
import time
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from kokemus import filters
from kokemus.auth import accounts, audit, session
from tests.auth_world import ACCOUNTS, PASSWORD, UNITS, build

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = str(ROOT / "dashboard.py")
DATA_PAGES = filters.PAGES


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build(tmp_path_factory.mktemp("alue"))


@pytest.fixture(autouse=True)
def warehouse(world, monkeypatch):
    monkeypatch.setenv("KOKEMUS_DB", str(world.db))
    monkeypatch.delenv("KOKEMUS_AUTH_DB", raising=False)
    return world.db


def signed_in(username: str, page: str = "overview", *, started: float | None = None) -> AppTest:
    """A session signed in as ``username`` (as the sign-in form leaves it), on ``page``."""
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.session_state[session.ACCOUNT_KEY] = accounts.get(username).account_id
    at.session_state[session.SIGNED_AT_KEY] = time.time() if started is None else started
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything_shown(at: AppTest) -> str:
    """All text a user could read on the page, including table cells, options and charts."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "text", "caption", "info", "warning",
                 "error", "success", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for e in at.metric:
        parts += [str(e.label), str(e.value)]
    for e in [*at.selectbox, *at.multiselect, *at.radio]:
        parts += [str(o) for o in e.options]
    for e in at.dataframe:
        parts.append(e.value.to_csv())
    for e in at.get("plotly_chart"):
        parts.append(e.proto.spec)
    return "\n".join(parts)


def comment_count(db: Path, units: set[str], f: filters.Filters) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT count(*) FROM responses r JOIN units u USING (unit_id) "
            "WHERE r.comment IS NOT NULL AND r.comment <> '' AND r.month BETWEEN ? AND ? "
            "AND list_contains(?, u.name)", [f.start, f.end, sorted(units)]).fetchone()[0]


def audit_actions(username: str) -> list[str]:
    return audit.search(actor=username)["action"].tolist()


# ------------------------------------------------------------------------------ sign-in

def test_signed_out_visitor_sees_only_the_sign_in_form(world):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Kirjaudu sisään"]
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    shown = everything_shown(at)
    assert not any(unit in shown for unit in UNITS)
    with pytest.raises(Exception):
        at.switch_page("pages/comments.py")


def test_a_page_run_on_its_own_also_asks_for_sign_in(world):
    at = AppTest.from_file(str(ROOT / "pages" / "comments.py"), default_timeout=120).run()
    assert not at.exception
    assert "Kirjaudu sisään" in [t.value for t in at.title]
    assert not at.dataframe and not any(unit in everything_shown(at) for unit in UNITS)


def test_local_sign_in_with_the_form_then_sign_out(world):
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.text_input(key="auth_username").input("esihenkilo")
    at.text_input(key="auth_password").input("väärä-salasana-1")
    at.button[0].click().run()
    assert "Käyttäjätunnus tai salasana on väärin." in [e.value for e in at.error]
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Yleiskuva"] and len(at.metric) == 6
    assert any("esihenkilo" in c.value for c in at.sidebar.caption)
    at.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == ["Kirjaudu sisään"]
    actions = audit_actions("esihenkilo")
    assert {"sign_in_failed", "sign_in", "sign_out"} <= set(actions)


def test_lockout_through_the_form(world, monkeypatch):
    monkeypatch.setenv("KOKEMUS_LOCKOUT_FAILURES", "3")
    accounts.add("lukittava", "viewer", actor="test", password=PASSWORD, temporary=False)
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.text_input(key="auth_username").input("lukittava")
    for _ in range(3):
        at.text_input(key="auth_password").input("väärä-salasana-1")
        at.button[0].click().run()
    at.text_input(key="auth_password").input(PASSWORD)
    at.button[0].click().run()
    assert any("lukittu" in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric
    assert "account_locked" in audit_actions("lukittava")


def test_temporary_password_must_be_changed_before_any_data(world):
    _, temp = accounts.reset_password("tyhja", actor="admin")
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    at.text_input(key="auth_username").input("tyhja")
    at.text_input(key="auth_password").input(temp)
    at.button[0].click().run()
    assert [t.value for t in at.title] == ["Vaihda salasana"] and not at.metric
    at.text_input(key="auth_old").input(temp)
    at.text_input(key="auth_new").input("Uusi-oma-salasana-7")
    at.text_input(key="auth_again").input("Uusi-oma-salasana-7")
    at.button[0].click().run()
    assert not at.exception and [t.value for t in at.title] == ["Yleiskuva"]
    assert accounts.sign_in("tyhja", "Uusi-oma-salasana-7").ok


def test_expired_session_gets_no_data(world):
    at = signed_in("laatu", started=time.time() - 11 * 3600)
    assert [t.value for t in at.title] == ["Kirjaudu sisään"]
    assert any("vanhentunut" in i.value for i in at.info)
    assert not at.metric and not at.dataframe
    assert "session_expired" in audit_actions("laatu")


def test_disabled_account_is_signed_out_on_its_next_click(world):
    accounts.add("poistuva", "quality", actor="test", password=PASSWORD, temporary=False)
    at = signed_in("poistuva")
    assert at.metric
    accounts.set_disabled("poistuva", True, actor="admin")
    at.run()
    assert not at.metric and [t.value for t in at.title] == ["Kirjaudu sisään"]


def test_unconfigured_real_warehouse_refuses(tmp_path, monkeypatch):
    from tests.conftest import write_template_csv
    from etl.pipeline import import_file
    db = tmp_path / "oikea.duckdb"
    monkeypatch.setenv("KOKEMUS_DB", str(db))
    path = write_template_csv(tmp_path / "p.csv", [{"Päivämäärä": "1.2.2025", "Yksikkö": "Osasto 9",
                                                     "Arvio": "4", "Palaute": "Hyvä hoito"}])
    assert import_file(path, db_path=db).status == "loaded"
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert [t.value for t in at.title] == ["Kirjautumista ei ole määritetty"]
    assert not at.metric and "Osasto 9" not in everything_shown(at)


# ------------------------------------------------------------------------ scope per role

def _pages_for(username: str) -> list[str]:
    from kokemus.auth import roles
    role = ACCOUNTS[username][0]
    return [p for p in DATA_PAGES if roles.can(role, roles.page_permission(p))]


@pytest.mark.parametrize("username", sorted(ACCOUNTS))
def test_each_role_sees_exactly_its_units_on_every_page(world, username):
    visible = world.visible(username)
    hidden = set(UNITS) - visible
    for page in _pages_for(username):
        at = signed_in(username, page)
        shown = everything_shown(at)
        leaks = [u for u in hidden if u in shown]
        assert not leaks, f"{username} sees {leaks} on {page}"
        unit_filter = next((m for m in at.sidebar.multiselect if m.key == "flt_units"), None)
        if unit_filter is not None:
            assert set(unit_filter.options) == visible, (username, page)


@pytest.mark.parametrize("username", ["admin", "laatu", "esihenkilo", "aluejohtaja", "hoitaja", "tyhja"])
def test_comments_and_their_export_equal_sql_within_scope(world, username):
    from kokemus import comment_queries as cq
    visible = world.visible(username)
    at = signed_in(username, "comments")
    f = at.session_state[filters.STATE_KEY]
    want = comment_count(world.db, visible, f)
    shown_units = set(at.dataframe[0].value["Yksikkö"]) if at.dataframe else set()
    assert shown_units <= visible
    if want:
        assert any(f"{want:,}".replace(",", "\u00a0") in h.value for h in [*at.header, *at.subheader])
    assert "comments_viewed" in audit_actions(username) or want == 0
    if not accounts.get(username).role in ("nurse",):
        data = cq.export_file(f, cq.CommentFilters(), "fi", "xlsx", who=(username, None, None))
        sheet = load_workbook(io.BytesIO(data)).active
        rows = list(sheet.iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        units = {r[header.index("Yksikkö")] for r in body}
        assert len(body) == want and units <= visible
        (export_row,) = audit.search(actor=username, actions=("export",)).to_dict("records")[:1]
        assert export_row["row_count"] == want and export_row["file_format"] == "xlsx"


def test_viewer_gets_kpis_but_never_comment_text(world):
    at = signed_in("katselija")
    assert at.metric
    shown = everything_shown(at)
    with duckdb.connect(str(world.db), read_only=True) as con:
        texts = [r[0] for r in con.execute("SELECT DISTINCT comment FROM responses WHERE comment <> ''").fetchall()]
    assert not [t for t in texts if t in shown]
    pages = [p.title for p in at.get("navigation")] if at.get("navigation") else []
    with pytest.raises(Exception):
        at.switch_page("pages/comments.py")
    direct = AppTest.from_file(str(ROOT / "pages" / "comments.py"), default_timeout=120)
    direct.session_state[session.ACCOUNT_KEY] = accounts.get("katselija").account_id
    direct.session_state[session.SIGNED_AT_KEY] = time.time()
    direct.run()
    assert [t.value for t in direct.title] == ["Ei käyttöoikeutta"] and not direct.dataframe
    assert "access_denied" in audit_actions("katselija")
    del pages


def test_import_log_shows_own_and_in_scope_batches_and_undo_only_for_the_uploader(world):
    nurse = signed_in("hoitaja", "import_log")
    assert set(nurse.dataframe[0].value["Tiedosto"]) == {"Poliklinikka_B1.csv"}
    area = signed_in("aluejohtaja", "import_log")
    assert set(area.dataframe[0].value["Tiedosto"]) == {"Osasto_A1.csv", "Osasto_A2.csv"}
    assert not [b for b in area.button if b.key and b.key.startswith("log_undo::")], \
        "a manager must not undo someone else's batch"
    assert any("Vain erän tuonut" in c.value for c in area.caption)
    own = signed_in("esihenkilo", "import_log")
    assert [b.key for b in own.button if b.key and b.key.startswith("log_undo::")]
    admin = signed_in("admin", "import_log")
    assert len(admin.dataframe[0].value) == 3


def test_query_layer_scope_matches_sql_for_every_overview_query(world):
    """Below the pages: each Overview/Trends query with a scope equals the same query
    restricted by unit name with no scope - and a scope of nothing gives nothing."""
    from kokemus import queries
    options = queries.filter_options(world.db)
    base = filters.default_filters(options)
    a1 = world.unit_ids["Osasto A1"]
    for name, loader in queries.page_queries().items():
        if name == "filter_options":
            continue
        scoped = loader(filters.Filters(**{**base.__dict__, "scope": (a1,)}))
        by_name = loader(base.with_units(["Osasto A1"]))
        assert scoped.reset_index(drop=True).equals(by_name.reset_index(drop=True)) or name == "org_monthly", name
        nothing = loader(filters.Filters(**{**base.__dict__, "scope": ()}))
        numeric = nothing.select_dtypes("number")
        assert nothing.empty or float(numeric.fillna(0).abs().to_numpy().sum()) == 0.0, name
    scoped_options = queries.filter_options(world.db, (a1,))
    assert scoped_options.units() == ("Osasto A1",)


def test_audit_detail_is_a_filter_never_patient_text(world):
    signed_in("laatu", "comments")
    rows = audit.search(actor="laatu", actions=("comments_viewed",))
    assert len(rows)
    detail = json.loads(rows["detail"].iloc[0])
    assert detail["filters"]["scope"] is None and "page" in detail
    with duckdb.connect(str(world.db), read_only=True) as con:
        texts = [r[0] for r in con.execute("SELECT DISTINCT comment FROM responses WHERE comment <> ''").fetchall()]
    everything = " ".join(str(v) for v in audit.search().to_numpy().ravel())
    assert not [t for t in texts if t in everything]


# ------------------------------------------------------------------ administrators' pages

def test_users_page_adds_an_account_and_changes_a_role(world):
    at = signed_in("admin", "users")
    assert [t.value for t in at.title] == ["Käyttäjät"]
    assert "esihenkilo" in set(at.dataframe[0].value["Käyttäjätunnus"])
    at.text_input(key="us_add_username").input("uusi.hoitaja")
    at.text_input(key="us_add_email").input("uusi.hoitaja@alue.example")
    at.selectbox(key="us_add_role").set_value("nurse")
    at.multiselect(key="us_add_units").set_value(["Osasto A2"])
    at.checkbox(key="us_add_local").check()
    next(b for b in at.button if b.label == "Lisää").click().run()
    assert not at.exception, [e.value for e in at.exception]
    notice = [s.value for s in at.success]
    assert notice and "uusi.hoitaja" in notice[0]
    temp = notice[0].rsplit(": ", 1)[1]
    made = accounts.get("uusi.hoitaja")
    assert made.role == "nurse" and made.units == ("Osasto A2",) and made.must_change_password
    assert accounts.sign_in("uusi.hoitaja", temp).ok
    at.selectbox(key="us_choose").set_value("uusi.hoitaja").run()
    at.selectbox(key="us_role::uusi.hoitaja").set_value("manager")
    next(b for b in at.button if b.label == "Tallenna").click().run()
    assert accounts.get("uusi.hoitaja").role == "manager"
    actions = audit.search(actor="admin")["action"].tolist()
    assert {"account_add", "role_change"} <= set(actions)


def test_audit_page_lists_the_trail_for_administrators_only(world):
    signed_in("laatu", "comments")
    audit.record("scope_change", actor="admin", target="hoitaja",
                 detail={"from": {"units": ["Osasto A2"], "areas": []}, "to": {"units": ["**A3**"], "areas": []}})
    at = signed_in("admin", "audit")
    assert [t.value for t in at.title] == ["Tapahtumaloki"]
    table = at.dataframe[0].value
    assert "kommentteja luettu" in set(table["Tapahtuma"]) and "laatu" in set(table["Kuka"])
    details = list(table["Tiedot"])
    assert "ennen: (palvelualueet: –, yksiköt: Osasto A2); jälkeen: (palvelualueet: –, yksiköt: **A3**)" in details
    assert not any("{" in d or '"' in d for d in details), details
    for username in ("laatu", "esihenkilo", "hoitaja", "katselija"):
        direct = AppTest.from_file(str(ROOT / "pages" / "audit.py"), default_timeout=120)
        direct.session_state[session.ACCOUNT_KEY] = accounts.get(username).account_id
        direct.session_state[session.SIGNED_AT_KEY] = time.time()
        direct.run()
        assert [t.value for t in direct.title] == ["Ei käyttöoikeutta"] and not direct.dataframe, username
