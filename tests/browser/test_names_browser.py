"""Names are text in the real browser, and the real server (`python -m kokemus.serve`, as
`make run` starts it) checks the Host header and the upload size (issue 14 item 6)."""
from __future__ import annotations

import re
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests import names_as_text as hostile
from tests.browser.conftest import launch_server, wait_for_app


def start_served(db: Path, extra_env: dict | None = None):
    """`python -m kokemus.serve` on a free port: the launcher, web_app.py and its middleware."""
    return launch_server(["-m", "kokemus.serve"], db, extra_env)


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture
def hostile_server(tmp_path):
    db = tmp_path / "kokemus.duckdb"
    hostile.build(db, tmp_path)
    proc, url, port = start_served(db, {"KOKEMUS_ARCHIVE": str(tmp_path / "archive"),
                                        "KOKEMUS_MAX_UPLOAD_MB": "1"})
    yield url, port
    stop(proc)


# what interpreted formatting leaves in the DOM; none of it may appear
INTERPRETED = """() => {
  const out = [];
  for (const img of document.querySelectorAll('img')) {
    const src = img.getAttribute('src') || '';
    if (src === 'x' || src.includes('127.0.0.1:9') || src === 'y' || src === 'http') out.push('img ' + src);
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.getAttribute('href').startsWith('http://127.0.0.1:9')) out.push('link ' + a.href);
  }
  if (document.querySelector('.katex')) out.push('latex');
  for (const el of document.querySelectorAll('strong, b, em, i, del, code, h1 *, h2 *, h3 *')) {
    const text = (el.textContent || '').trim();
    if (['5B', 'lihava', 'b', 'tiedosto', 'työkirja', 'todella', 'k', 'v'].includes(text)) out.push(el.tagName + ' ' + text);
  }
  for (const el of document.querySelectorAll('[class*="Colored"], span[style*="color"]')) {
    const text = (el.textContent || '').trim();
    if (['punainen', 'Alue', 'x', 'kiitos'].includes(text)) out.push('colour ' + text);
  }
  return out;
}"""


def visit(page, link: str) -> None:
    """Open ``link``; a fresh server's first session may not know the page paths yet
    (Streamlit shows "Page not found" and runs the main page): then open it again."""
    for _ in range(3):
        page.goto(link)
        wait_for_app(page)
        page.wait_for_timeout(500)
        if "Page not found" not in page.evaluate("() => document.body.textContent"):
            return
    raise AssertionError(f"{link} not found")


def check_page(page, where: str, requests: list[str], dialogs: list[str]) -> str:
    wait_for_app(page)
    page.wait_for_timeout(500)
    found = page.evaluate(INTERPRETED)
    assert not found, f"{where}: {found}"
    assert not dialogs, f"{where}: a script ran ({dialogs})"
    assert not [r for r in requests if "127.0.0.1:9" in r], f"{where}: fetched {requests}"
    return page.evaluate("() => document.body.textContent")


def test_hostile_names_render_as_text(hostile_server, browser_page, tmp_path):
    url, _port = hostile_server
    page = browser_page
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path, query in (("", ""), ("kehitys", hostile.UNITS[0]), ("kehitys", hostile.UNITS[1]),
                        ("kehitys", hostile.UNITS[2]), ("ongelmat", ""), ("kommentit", hostile.UNITS[0]),
                        ("vastattavat", ""), ("me-teimme", ""), ("raportti", ""), ("tuontiloki", "")):
        link = f"{url}/{path}" + (f"?unit={urllib.request.quote(query)}" if query else "")
        visit(page, link)
        text = check_page(page, link, requests, dialogs)
        if path == "kehitys":
            # the literal name is on the page (chart title and the unit filter), as typed
            assert query in text, query
    # a comment written with Markdown shows its asterisks and brackets
    visit(page, f"{url}/kommentit")
    text = check_page(page, "comments", requests, dialogs)
    assert ":red[kiitos]" in text and "**todella**" in text
    # the upload page: a file whose name is Markdown/HTML, its preview and its import
    visit(page, f"{url}/tuonti")
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = hostile.SHEET
    ws.append(["Päivämäärä", "Yksikkö", "Arvio", "Palaute"])
    ws.append(["3.7.2026", hostile.UNITS[0], 4, hostile.COMMENT])
    ws.append(["ei päivää", hostile.UNITS[0], 5, "Jonotin kaksi tuntia eikä kukaan kertonut mitään."])
    name = "**tiedosto** <img src=x onerror=alert(9)> $x$.xlsx"
    path = tmp_path / "upload.xlsx"
    wb.save(path)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": path.read_bytes()}])
    confirm = page.get_by_role("button", name=re.compile(r"^Tuo .*tiedosto"))
    confirm.wait_for(timeout=60_000)
    text = check_page(page, "upload preview", requests, dialogs)
    assert "**tiedosto** <img src=x onerror=alert(9)> $x$.xlsx" in text
    confirm.click()
    page.get_by_text("Tuonti valmis").first.wait_for(timeout=60_000)
    check_page(page, "upload result", requests, dialogs)
    visit(page, f"{url}/tuontiloki")
    text = check_page(page, "import log", requests, dialogs)
    assert "**tiedosto** <img src=x onerror=alert(9)> $x$.xlsx" in text


def _status(port: int, host: str, path: str = "/_stcore/health", upgrade: bool = False) -> int:
    """The status line of a raw request with this Host header (urllib would fix the header)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: " + ("Upgrade" if upgrade else "close")]
    if upgrade:
        lines += ["Upgrade: websocket", "Sec-WebSocket-Version: 13",
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", f"Origin: http://{host}"]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = s.recv(200).decode(errors="replace")
    return int(head.split()[1])


def test_host_header_is_checked(tmp_path):
    db = tmp_path / "kokemus.duckdb"
    hostile.build(db, tmp_path)
    proc, url, port = start_served(db, {"KOKEMUS_ALLOWED_HOSTS": "palaute.example.fi"})
    try:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "palaute.example.fi"):
            assert _status(port, host) == 200, host
            assert _status(port, host, "/") == 200, host
        assert _status(port, f"127.0.0.1:{port}", "/_stcore/stream", upgrade=True) == 101
        # a rebinding attacker's name, for pages, the health check and the websocket
        for host in (f"attacker.example:{port}", "palaute.example.fi.attacker.example", f"127.0.0.2:{port}"):
            assert _status(port, host) == 400, host
            assert _status(port, host, "/") == 400, host
            assert _status(port, host, "/_stcore/stream", upgrade=True) == 400, host
    finally:
        stop(proc)


def test_upload_limit_is_enforced_by_the_server(hostile_server, browser_page, tmp_path):
    """The browser refuses a too-big file itself; the server must refuse the request too,
    whoever sends it. A small upload is captured and replayed with 2 MB (limit 1 MB)."""
    url, _port = hostile_server
    page = browser_page
    captured: dict = {}

    def capture(route, request):
        if request.method == "PUT" and not captured:
            captured.update(url=request.url, headers=dict(request.headers))
        route.continue_()
    page.route("**/_stcore/upload_file/**", capture)
    visit(page, f"{url}/tuonti")
    small = tmp_path / "pieni.csv"
    small.write_text("Päivämäärä;Yksikkö;Arvio\n1.7.2026;Osasto 9;5\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(small))
    page.get_by_role("button", name=re.compile(r"^Tuo pieni\.csv")).wait_for(timeout=60_000)
    assert captured, "the upload request was seen"
    headers = {k: v for k, v in captured["headers"].items() if k.lower() in ("x-xsrftoken", "cookie")}
    big = page.request.put(captured["url"].rsplit("/", 1)[0] + "/big-file-id", headers=headers,
                           multipart={"file": {"name": "iso.csv", "mimeType": "text/csv",
                                               "buffer": b"a;b\n" * (2 * 1024 * 1024 // 4 + 1)}})
    assert big.status == 413
    ok = page.request.put(captured["url"].rsplit("/", 1)[0] + "/small-file-id", headers=headers,
                          multipart={"file": {"name": "pieni2.csv", "mimeType": "text/csv",
                                              "buffer": small.read_bytes()}})
    assert ok.status in (200, 204), ok.status
