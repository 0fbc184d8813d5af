"""Real sign-in in Chromium: OpenID Connect against a provider on loopback (tests/oidc_provider.py)
through Streamlit's st.login, and the local-account form; then the scope on the pages, a
tampered or expired identity cookie, an unknown OIDC user, and the audit rows left behind."""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kokemus.auth import accounts, audit
from tests.auth_world import PASSWORD, build
from tests.browser.conftest import free_port, start_dashboard, wait_for_app
from tests.oidc_provider import Provider

ROOT = Path(__file__).resolve().parents[2]
COOKIE = "_streamlit_user"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sso")
    world = build(tmp)
    accounts.add("anna.ylihoitaja@alue.example", "manager", actor="test", email="Anna.Ylihoitaja@alue.example",
                 display_name="Anna Ylihoitaja", units=["Osasto A1"], warehouse=world.db)
    provider = Provider().start()
    port = free_port()
    cookie_secret = secrets.token_urlsafe(32)
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n\n'
        "[auth.keycloak]\n"
        f'client_id = "{provider.client_id}"\n'
        f'client_secret = "{provider.client_secret}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n', encoding="utf-8")
    proc, url = start_dashboard(world.db, {"KOKEMUS_AUTH_DB": str(tmp / "alue-auth.duckdb")}, port=port,
                                args=("--secrets.files", str(secrets_file)))
    yield {"url": url, "world": world, "provider": provider, "secret": cookie_secret}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    provider.stop()


def sign_in_with_sso(page, site, identity: dict) -> None:
    site["provider"].next_identity = identity
    page.goto(site["url"])
    wait_for_app(page)
    page.get_by_role("button", name="Kirjaudu: Keycloak").click()
    page.wait_for_url(site["url"] + "/**", timeout=30_000)
    wait_for_app(page)


def main_text(page, grid: bool = True) -> str:
    """Everything in the page's DOM, including the data grids' accessible cell tables."""
    if grid:
        page.wait_for_selector('[data-testid="stDataFrame"]')
    page.wait_for_timeout(500)
    return page.locator('[data-testid="stApp"]').text_content()


def test_oidc_sign_in_shows_only_the_users_units(browser_page, site):
    page = browser_page
    sign_in_with_sso(page, site, {"sub": "kc-anna", "email": "anna.ylihoitaja@alue.example",
                                  "name": "Anna Ylihoitaja"})
    page.get_by_text("Kirjautuneena: Anna Ylihoitaja").wait_for()
    page.get_by_role("heading", name="Yleiskuva").wait_for()
    text = main_text(page)
    assert "Osasto A1" in text and "Osasto A2" not in text and "Poliklinikka B1" not in text
    page.goto(site["url"] + "/kommentit")
    wait_for_app(page)
    page.get_by_role("heading", name="Kommentit").wait_for()
    text = main_text(page)
    assert "(Osasto A1)" in text, "the comments of the user's own unit are listed"
    assert "Poliklinikka B1" not in text and "Osasto A2" not in text
    claims = site["provider"].issued[-1]
    assert claims["aud"] == "kokemus" and claims["nonce"], "the ID token carried the client's nonce"
    rows = audit.search(warehouse=site["world"].db, actor="anna.ylihoitaja@alue.example")
    assert {"sign_in", "comments_viewed"} <= set(rows["action"])
    assert json.loads(rows[rows["action"] == "sign_in"]["detail"].iloc[0])["method"] == "oidc"
    # the subject is remembered for the next sign-in
    assert accounts.get("anna.ylihoitaja@alue.example", site["world"].db).oidc_subject.endswith("|kc-anna")


def test_tampered_or_expired_identity_cookie_gets_no_data(browser, site):
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in_with_sso(page, site, {"sub": "kc-anna", "email": "anna.ylihoitaja@alue.example",
                                  "name": "Anna Ylihoitaja"})
    page.get_by_role("heading", name="Yleiskuva").wait_for()
    cookie = next(c for c in context.cookies() if c["name"] == COOKIE)

    # 1. tampered: claims swapped for an administrator's e-mail, signature left as it was
    payload = json.dumps({"email": "admin@alue.example", "sub": "x", "iss": site["provider"].issuer,
                          "iat": int(time.time()), "is_logged_in": True, "provider": "keycloak",
                          "origin": site["url"]})
    forged = create_signed_value("not-the-secret", COOKIE, payload).decode()
    context.add_cookies([{**cookie, "value": forged}])
    page.goto(site["url"])
    wait_for_app(page)
    page.get_by_role("heading", name="Kirjaudu sisään").wait_for()
    assert "Osasto A1" not in main_text(page, grid=False) and not page.locator('[data-testid="stMetric"]').count()

    # 2. correctly signed but issued 11 hours ago: older than the 10-hour session
    old = json.dumps({"email": "anna.ylihoitaja@alue.example", "sub": "kc-anna", "iss": site["provider"].issuer,
                      "iat": int(time.time()) - 11 * 3600, "is_logged_in": True, "provider": "keycloak",
                      "origin": site["url"]})
    context.add_cookies([{**cookie, "value": create_signed_value(site["secret"], COOKIE, old).decode()}])
    page.goto(site["url"])
    wait_for_app(page)
    page.get_by_text("Istunto on vanhentunut").wait_for()
    assert not page.locator('[data-testid="stMetric"]').count() and "Osasto A1" not in main_text(page, grid=False)
    context.close()


def test_unknown_oidc_user_waits_for_access_and_sees_no_data(browser_page, site):
    page = browser_page
    sign_in_with_sso(page, site, {"sub": "kc-stranger", "email": "vieras@muualla.example", "name": "Vieras"})
    page.get_by_role("heading", name="Odottaa käyttöoikeutta").wait_for()
    text = main_text(page, grid=False)
    assert not any(u in text for u in ("Osasto A1", "Osasto A2", "Poliklinikka B1"))
    rows = audit.search(warehouse=site["world"].db, actor="vieras@muualla.example")
    assert "sign_in_failed" in set(rows["action"])


def test_group_claim_grants_an_unknown_user_its_units(browser_page, site):
    accounts.set_group_mapping("grp-b1", "nurse", actor="admin", units=["Poliklinikka B1"],
                               warehouse=site["world"].db)
    page = browser_page
    sign_in_with_sso(page, site, {"sub": "kc-new", "email": "uusi@alue.example", "name": "Uusi Hoitaja",
                                  "groups": ["grp-muu", "grp-b1"]})
    page.get_by_role("heading", name="Yleiskuva").wait_for()
    text = main_text(page)
    assert "Poliklinikka B1" in text and "Osasto A1" not in text
    made = accounts.get("uusi@alue.example", site["world"].db)
    assert made.role == "nurse" and made.units == ("Poliklinikka B1",)


def test_local_account_sign_in_in_the_browser(browser_page, site):
    page = browser_page
    page.goto(site["url"])
    wait_for_app(page)
    page.get_by_label("Käyttäjätunnus").fill("hoitaja")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_role("heading", name="Yleiskuva").wait_for()
    text = main_text(page)
    assert "Poliklinikka B1" in text and "Osasto A1" not in text


def test_serve_refuses_a_real_warehouse_without_sign_in(tmp_path):
    from tests.conftest import write_template_csv
    from etl.pipeline import import_file
    db = tmp_path / "oikea.duckdb"
    path = write_template_csv(tmp_path / "p.csv", [{"Päivämäärä": "1.2.2025", "Yksikkö": "Osasto 9",
                                                     "Arvio": "4", "Palaute": "Hyvä hoito"}])
    assert import_file(path, db_path=db).status == "loaded"
    env = {"KOKEMUS_DB": str(db), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "kokemus.serve", "--server.port", "1"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "ei käynnisty" in done.stderr and "etl users add" in done.stderr
    from kokemus.auth import mode
    mode.mark_demo(db)
    exposed = subprocess.run([sys.executable, "-m", "kokemus.serve", "--server.address", "0.0.0.0"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=60)
    assert exposed.returncode == 2 and "0.0.0.0" in exposed.stderr
