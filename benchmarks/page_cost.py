"""What one page load costs the server and the browser, by the way it is opened (issue 14, item 5).

Usage::

    nice .venv/bin/python benchmarks/page_cost.py [--db WAREHOUSE] [--loads 5] [--port 8511]

One `python -m kokemus.serve` (what `make run` starts) serves a demo warehouse (built at
``--scale`` when ``--db`` is not given). Each page of bench_concurrency's round is loaded
``--loads`` times in four ways, one load at a time:

* **browser, new context**: headless Chromium opens the page's link in a fresh browser
  context (empty cache and session: every static file, a new Streamlit session);
* **browser, sidebar**: one browser session moves between the pages by clicking the
  sidebar's navigation, as a ward manager does (cached front end, one Streamlit session);
* **protocol, new session**: ``tests/streamlit_client.py`` opens the page over Streamlit's
  websocket in a new session (no drawing, no static files);
* **protocol, navigation**: one protocol session moves between the pages by page script hash.

Per way: wall time per load (median) and the CPU seconds per load of the server process and
of the browser's process tree (its exited renderers included: their time is read from the
parent's ``cutime``). The server's CPU is what the ten viewers of bench_concurrency cost the
machine that serves them; the browser's is what each viewer's own computer spends.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

ROUND = ["overview", "trends", "comments", "problems", "import_log"]
PER_PAGE: dict[str, list] = {}   # page -> [walls, server CPU s, browser CPU s] of "browser, new context"


# A sidebar move can finish so fast that the front end never shows the "running" state
# (the run's messages arrive in one batch), so bench_browser's run counter can miss it. The
# move has arrived when the address is the target page's, its own title is drawn, the app
# is not running and no websocket message came for the settle time; the time reported is
# the later of the title drawn and the last message received.
_WS_CLOCK = """
(() => {
  const Native = window.WebSocket;
  window.__kkLastMsg = 0;
  function Clocked(...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', () => { window.__kkLastMsg = performance.now(); });
    return ws;
  }
  Clocked.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Clocked[k] = Native[k];
  window.WebSocket = Clocked;
})();
"""
_ARRIVED = """(args) => {
  const k = window.__kk, w = window, now = performance.now();
  const h = document.querySelector('[data-testid="stMain"] h1');
  const drawn = location.pathname === args.path && h !== null && h.innerText.includes(args.title)
                && k && k.state === 'notRunning';
  if (!drawn) { w.__kkDrawn = null; return false; }
  if (w.__kkDrawn === null || w.__kkDrawn === undefined) w.__kkDrawn = now;
  if (now - w.__kkDrawn < args.settle || now - w.__kkLastMsg < args.settle) return false;
  w.__kkArrived = Math.max(w.__kkDrawn, w.__kkLastMsg);
  return true;
}"""
TITLE_KEYS = {"overview": "ov_title", "trends": "tr_title", "comments": "cm_title", "problems": "pr_title",
              "import_log": "log_title"}


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and every descendant, including descendants that
    already exited and were reaped (``cutime``/``cstime`` of their parent)."""
    from etl.sandbox import proc_stat
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for name in os.listdir("/proc"):
        stat = proc_stat(int(name), reaped=True) if name.isdigit() else None
        if stat is not None:
            parents[int(name)], cpu[int(name)] = stat
    total = 0.0
    for p in cpu:
        up, seen = p, 0
        while up > 1 and seen < 64:
            if up == pid:
                total += cpu[p]
                break
            up, seen = parents.get(up, 0), seen + 1
    return total


def start_server(db: Path, port: int, log: Path, tree: Path = ROOT) -> subprocess.Popen:
    """The dashboard as `make run` serves it (`kokemus.serve`: legacy pages/ lookup off,
    Host-header check, upload limit), on ``port``; ``tree``: another checkout's dashboard."""
    from kokemus.auth import mode
    mode.mark_demo(db)   # generated data only: the pages open without sign-in
    fh = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "kokemus.serve", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=tree, env={**os.environ, "KOKEMUS_DB": str(db)}, stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited early, see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the dashboard did not answer within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def browser_ways(base: str, loads: int, server_pid: int) -> dict[str, tuple[list[float], float, float, int]]:
    """(wall seconds per load, server CPU s, browser CPU s, loads) for the two browser ways."""
    from playwright.async_api import async_playwright

    from bench_browser import _IDLE, _OBSERVER, SETTLE_MS
    from kokemus.filters import page_path
    from kokemus.i18n import t
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    out = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        me = os.getpid()
        # warm: one load of every page (imports, first caches) before anything is counted
        for name in ROUND:
            context = await browser.new_context(locale="fi-FI")
            page = await context.new_page()
            await page.goto(f"{base}/{page_path(name)}", wait_until="load")
            await page.wait_for_timeout(1500)
            await context.close()

        walls = []
        s0, b0 = tree_cpu(server_pid), tree_cpu(me) - time.process_time()
        for _ in range(loads):
            for name in ROUND:
                ps, pb = tree_cpu(server_pid), tree_cpu(me) - time.process_time()
                context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="fi-FI")
                await context.add_init_script(_OBSERVER)
                page = await context.new_page()
                await page.goto(f"{base}/{page_path(name)}", wait_until="commit")
                await page.wait_for_function(_IDLE, arg={"runs": 1, "settle": SETTLE_MS}, timeout=120_000, polling=100)
                walls.append(await page.evaluate("window.__kk.idleAt") / 1000)
                await context.close()
                row = PER_PAGE.setdefault(name, [[], 0.0, 0.0])
                row[0].append(walls[-1])
                row[1] += tree_cpu(server_pid) - ps
                row[2] += tree_cpu(me) - time.process_time() - pb
        n = loads * len(ROUND)
        out["browser, new context"] = (walls, tree_cpu(server_pid) - s0, tree_cpu(me) - time.process_time() - b0, n)

        context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="fi-FI")
        await context.add_init_script(_OBSERVER)
        await context.add_init_script(_WS_CLOCK)
        page = await context.new_page()
        await page.goto(f"{base}/", wait_until="commit")
        await page.wait_for_function(_IDLE, arg={"runs": 1, "settle": SETTLE_MS}, timeout=120_000, polling=100)
        walls = []
        s0, b0 = tree_cpu(server_pid), tree_cpu(me) - time.process_time()
        sequence = (ROUND[1:] + ROUND[:1]) * loads
        for name in sequence:
            link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{page_path(name)}"]') if page_path(name) \
                else page.locator('[data-testid="stSidebarNav"] a').first
            t0 = await page.evaluate("window.__kkDrawn = null, performance.now()")
            await link.click()
            await page.wait_for_function(_ARRIVED, arg={"path": "/" + page_path(name), "settle": SETTLE_MS,
                                                        "title": t(TITLE_KEYS[name], "fi")},
                                         timeout=120_000, polling=50)
            walls.append((await page.evaluate("window.__kkArrived") - t0) / 1000)
        out["browser, sidebar"] = (walls, tree_cpu(server_pid) - s0, tree_cpu(me) - time.process_time() - b0, len(sequence))
        await context.close()
        await browser.close()
    return out


async def protocol_ways(base: str, loads: int, server_pid: int) -> dict[str, tuple[list[float], float, float, int]]:
    from kokemus.filters import page_path
    from tests.streamlit_client import ProtocolSession

    out = {}
    me = os.getpid()
    walls, problems = [], []
    for name in ROUND:   # warm (imports, first caches), not counted
        async with ProtocolSession(base) as session:
            await session.open(page_path(name))
    s0, c0 = tree_cpu(server_pid), time.process_time()
    for _ in range(loads):
        for name in ROUND:
            async with ProtocolSession(base) as session:
                load = await session.open(page_path(name))
            walls.append(load.seconds or 0.0)
            problems += load.problems
    out["protocol, new session"] = (walls, tree_cpu(server_pid) - s0, time.process_time() - c0, loads * len(ROUND))
    walls = []
    async with ProtocolSession(base) as session:
        await session.open("")
        s0, c0 = tree_cpu(server_pid), time.process_time()
        sequence = (ROUND[1:] + ROUND[:1]) * loads
        for name in sequence:
            load = await session.navigate(page_path(name))
            walls.append(load.seconds or 0.0)
            problems += load.problems
        out["protocol, navigation"] = (walls, tree_cpu(server_pid) - s0, time.process_time() - c0, len(sequence))
    del me
    if problems:
        print("problems seen:", sorted(set(problems))[:10])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--db", type=Path, help="a demo warehouse (default: built at --scale)")
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--loads", type=int, default=5, help="rounds of the five pages per way")
    ap.add_argument("--port", type=int, default=8511)
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--tree", type=Path, default=ROOT,
                    help="serve another checkout's dashboard (the 'before' of a change), timed by this script")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kokemus-page-cost-"))
    db = args.db
    if db is None:
        db = work / "kokemus.duckdb"
        subprocess.run([sys.executable, "-m", "etl", "demo", "--scale", str(args.scale), "--out", str(work / "samples"),
                        "--db", str(db)], cwd=ROOT, capture_output=True, env={**os.environ, "KOKEMUS_PARSE_TIMEOUT_S": "600"})
    proc = start_server(db, args.port, work / "server.log", args.tree)
    base = f"http://127.0.0.1:{args.port}"
    try:
        results = {}
        if not args.skip_browser:
            results.update(asyncio.run(browser_ways(base, args.loads, proc.pid)))
        results.update(asyncio.run(protocol_ways(base, args.loads, proc.pid)))
    finally:
        stop_server(proc)
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{args.tree}: pages {', '.join(ROUND)}; {args.loads} rounds; load average {os.getloadavg()[0]:.1f}")
    print("| way                   | loads | wall p50 s | server CPU s / load | client CPU s / load |")
    print("|-----------------------|------:|-----------:|--------------------:|--------------------:|")
    for way, (walls, server, client, n) in results.items():
        print(f"| {way:21s} | {n:5d} | {statistics.median(walls):10.2f} | {server / n:19.3f} | {client / n:19.3f} |")
    if PER_PAGE:
        print("\nbrowser, new context, per page (the settling wait and context close included in the CPU):")
        print("| page       | wall p50 s | server CPU s / load | browser CPU s / load |")
        print("|------------|-----------:|--------------------:|---------------------:|")
        for name, (walls, server, client) in PER_PAGE.items():
            print(f"| {name:10s} | {statistics.median(walls):10.2f} | {server / len(walls):19.3f} | "
                  f"{client / len(walls):20.3f} |")
    print("client CPU: the browser's process tree (Playwright's driver included), or this process for the "
          "protocol client")
    return 0


if __name__ == "__main__":
    sys.exit(main())
