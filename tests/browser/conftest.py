"""A real `streamlit run` on a free port and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-sync"]


def chromium_path() -> str:
    for candidate in (os.environ.get("KOKEMUS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is missing: run `make test` as root, or `sudo apt-get install chromium`.")


def free_port() -> int:
    return _free_port()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_dashboard(db: Path, extra_env: dict | None = None, *, port: int | None = None,
                    args: tuple[str, ...] = ()):
    from tests.conftest import mark_fictional

    mark_fictional(db)  # test data is fictional; a warehouse with accounts still needs sign-in
    port = port or _free_port()
    env = {**os.environ, "KOKEMUS_DB": str(db), **(extra_env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kokemus.streamlit_run", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace")
            raise RuntimeError(f"streamlit exited early:\n{out}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not answer within 60 s")


@pytest.fixture(scope="session")
def dashboard_url(demo_db):
    proc, url = start_dashboard(demo_db)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


RUN_ENDED = ("() => document.querySelector('[data-testid=\"stApp\"]')"
             "?.getAttribute('data-test-script-state') === 'notRunning'")


def wait_for_run_end(page, timeout_ms: int = 60_000) -> None:
    """Until Streamlit's own run state on the app root says the script run has finished, twice
    400 ms apart (a widget's rerun may start just after). The status widget shows only after a
    delay and the heading is drawn first, so neither proves the rest of the page is there: on a
    slow machine a test that read the page once after them saw no metrics yet."""
    for _ in range(2):
        page.wait_for_function(RUN_ENDED, timeout=timeout_ms, polling=100)
        page.wait_for_timeout(400)


def wait_for_app(page) -> None:
    """Streamlit renders after the websocket run finishes: wait until nothing is running."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    wait_for_run_end(page)


def wait_until_drawn(page) -> None:
    """Until Streamlit has finished the run and drawn a heading; then close the notice the
    first deep link after a server start can show (Streamlit's legacy pages/ lookup says
    "page not found" over the right page)."""
    page.wait_for_selector('[data-testid="stApp"]', state="attached")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_selector("h1", timeout=60_000)
    wait_for_run_end(page)
    if page.locator('[role="dialog"]').count():
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
