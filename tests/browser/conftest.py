"""A real `streamlit run` on a free port and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
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


SERVER_LOGS: dict[str, Path] = {}   # a dashboard's URL -> the file its output goes to


def server_log_tail(url: str, chars: int = 4000) -> str:
    path = SERVER_LOGS.get(url.rstrip("/"))
    if path is None or not path.exists():
        return "(no server log)"
    return path.read_bytes()[-chars:].decode(errors="replace")


def start_dashboard(db: Path, extra_env: dict | None = None, *, port: int | None = None,
                    args: tuple[str, ...] = ()):
    """`streamlit run dashboard.py` on a free port (or ``port``): (process, URL)."""
    proc, url, _ = launch_server(
        ["-m", "kokemus.streamlit_run", "run", str(ROOT / "dashboard.py"), *args], db, extra_env, port=port)
    return proc, url


def launch_server(argv: list[str], db: Path, extra_env: dict | None = None, *, port: int | None = None):
    """``python ARGV --server.port ...`` against ``db``: (process, URL, port) once it answers
    its health check. Its output goes to a file (``server_log_tail``), not a pipe: an unread
    pipe fills and blocks the server's next log line."""
    from tests.conftest import mark_fictional

    mark_fictional(db)  # test data is fictional; a warehouse with accounts still needs sign-in
    port = port or _free_port()
    env = {**os.environ, "KOKEMUS_DB": str(db), **(extra_env or {})}
    log_path = Path(tempfile.mkdtemp(prefix="kokemus-server-")) / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, *argv, "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    SERVER_LOGS[url] = log_path
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{' '.join(argv[:2])} exited early:\n{server_log_tail(url)}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{' '.join(argv[:2])} did not answer within 60 s:\n{server_log_tail(url)}")


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


_WATCH_DOWNLOAD_ERRORS = """() => { const said = window._kokemusDownloadErrors = [];
  new MutationObserver(() => document.querySelectorAll('[data-testid="stDownloadButtonError"]')
      .forEach(e => said.includes(e.innerText) || said.push(e.innerText)))
    .observe(document.body, {childList: true, subtree: true, characterData: true}); }"""


def download(page, button, url: str, timeout_ms: int = 60_000):
    """Click a download button and return Playwright's Download. A click that brings no file
    fails with what the button said (Streamlit shows a deferred download's error for only 5 s)
    and the end of the server's log, so a red run says why."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wait_for_run_end(page)
    page.evaluate(_WATCH_DOWNLOAD_ERRORS)
    try:
        with page.expect_download(timeout=timeout_ms) as info:
            button.click()
        return info.value
    except PlaywrightTimeout:
        said = page.evaluate("() => window._kokemusDownloadErrors")
        raise AssertionError(f"no download within {timeout_ms / 1000:.0f} s; the button said {said!r}; "
                             f"script state {page.locator('[data-testid=stApp]').get_attribute('data-test-script-state')!r}; "
                             f"server log ends:\n{server_log_tail(url)}") from None
