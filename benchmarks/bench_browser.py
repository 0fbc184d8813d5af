"""Page speed as users feel it: headless Chromium against a real `streamlit run`.

Usage::

    nice .venv/bin/python benchmarks/bench_browser.py                  # demo + 10M warehouse
    nice .venv/bin/python benchmarks/bench_browser.py --demo-db data/kokemus.duckdb --skip-big
    nice .venv/bin/python benchmarks/bench_browser.py --big-db /tmp/m10.duckdb --reuse-big

For each warehouse a fresh server is started on a free port and every page is measured:

* **first load** - a new browser session (new context, empty Streamlit session) navigates
  to the page; the time runs from navigation start to the moment the app is idle (the
  ``stApp`` script state is ``notRunning`` and stays so for 400 ms; the time reported is
  when it *became* idle, so the settling wait is not counted). "cold" is the first of
  these after the server started (modules imported, caches empty); the median is over the
  ``--runs`` sessions after it.
* **filter change** - in one session, ``--runs`` times a further unit is picked in the
  sidebar's unit filter (so every change is a view nobody has cached yet); the time runs
  from the key press that picks it to idle. Pages without the sidebar filters change their
  own: the unit filter of Vastattavat, the unit of Te sanoitte me teimme, the first month
  of Raportti (FILTERS). Upload and the import log have no filter to change.

Each row carries the 1-minute load average when it was measured: the machine is shared,
so a figure means little without it. ``--tree`` runs another checkout's dashboard (the
"before" of a change) with this script's measuring code, so both sides are timed alike.

Why not AppTest: AppTest times the script alone; the browser also waits for the websocket
round trips, the reruns a page triggers itself (query-string writes, ``st.rerun``), the
transfer of dataframes and plotly JSON and the drawing. That is what a ward manager waits for.

The 10M warehouse is generated with DuckDB SQL straight into the real tables
(``bench_pages.build_warehouse``), because importing 10M rows from Excel would take far
longer than the pages we want to time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGETS = {"demo": (1500, 500), "10M": (2500, 1000)}  # ms: first load, filter change
# page -> (where the control is, its kind, its label's message key)
FILTERS = {"replies": ("stMain", "multiselect", "rp_filter_unit"),
           "actions": ("stMain", "selectbox", "ac_unit"),
           "report": ("stMain", "selectbox", "rep_from")}
NO_FILTER = ("upload", "import_log")
SETTLE_MS = 400

# Records every change of Streamlit's script state with a timestamp, from the very
# start of the document, so a run that finishes before Playwright looks is not missed.
_OBSERVER = """
(() => {
  window.__kk = {state: 'initial', idleAt: null, runs: 0};
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { requestAnimationFrame(watch); return; }
    const note = () => {
      const s = app.getAttribute('data-test-script-state');
      if (s === window.__kk.state) return;
      window.__kk.state = s;
      if (s === 'running') { window.__kk.runs += 1; window.__kk.idleAt = null; }
      if (s === 'notRunning') window.__kk.idleAt = performance.now();
    };
    note();
    new MutationObserver(note).observe(app, {attributes: true,
                                            attributeFilter: ['data-test-script-state']});
  };
  watch();
})();
"""

_IDLE = """(args) => {
  const k = window.__kk;
  return k && k.state === 'notRunning' && k.idleAt !== null && k.runs >= args.runs
         && performance.now() - k.idleAt >= args.settle;
}"""


def _wait_idle(page, min_runs: int, timeout_ms: int = 120_000) -> float:
    """performance.now() at which the app last became idle."""
    page.wait_for_function(_IDLE, arg={"runs": min_runs, "settle": SETTLE_MS}, timeout=timeout_ms,
                           polling=50)
    return page.evaluate("window.__kk.idleAt")


def _new_page(browser, width: int = 1366, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fi-FI")
    context.add_init_script(_OBSERVER)
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


def first_load_ms(browser, url: str) -> float:
    context, page = _new_page(browser)
    try:
        page.goto(url, wait_until="commit")
        idle = _wait_idle(page, 1)
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url}: the page raised an exception")
        return idle  # performance.now() counts from navigation start
    finally:
        context.close()


def _close_dialog(page) -> None:
    """The first run after a server start can show Streamlit's "page not found" notice
    (its legacy pages/ lookup runs before st.navigation); it makes the page inert."""
    if page.locator('[role="dialog"]').count():
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)


def filter_changes_ms(browser, url: str, units: list[str], name: str = "overview",
                      months: list[str] | None = None) -> list[float]:
    """One session; each change picks the next unit (the next month on Raportti) in the
    page's filter: a multiselect adds it, a selectbox switches to it."""
    context, page = _new_page(browser)
    try:
        page.goto(url, wait_until="commit")
        _wait_idle(page, 1)
        _close_dialog(page)
        from kokemus.i18n import t
        where, _kind, label = FILTERS.get(name, ("stSidebar", "multiselect", "flt_unit"))
        field = page.locator(f'[data-testid="{where}"]').get_by_role("combobox", name=t(label))
        out = []
        for unit in (months if name == "report" else units):
            runs = page.evaluate("window.__kk.runs")
            field.click()
            field.fill(unit)
            page.get_by_role("option", name=unit, exact=True).wait_for()
            t0 = page.evaluate("performance.now()")
            page.keyboard.press("Enter")
            try:
                idle = _wait_idle(page, runs + 1, timeout_ms=5_000)
            except Exception:  # some versions commit a multiselect when it closes
                page.keyboard.press("Escape")
                idle = _wait_idle(page, runs + 1)
            out.append(idle - t0)
            page.keyboard.press("Escape")
            page.wait_for_timeout(100)
        return out
    finally:
        context.close()


def _start(tree: Path, db: Path, port: int | None):
    """`streamlit run` of ``tree``'s dashboard, through that tree's own test helper."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_kk_browser_conftest",
                                                  tree / "tests" / "browser" / "conftest.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    if port is None:
        return helper.start_dashboard(db)
    try:
        return helper.start_dashboard(db, port=port)
    except TypeError:  # an older helper without the port argument
        return helper.start_dashboard(db)


def bench_warehouse(label: str, db: Path, pages: list[str], runs: int, tree: Path = ROOT,
                    port: int | None = None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from kokemus import filters, queries
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    options = queries.filter_options(db)
    units = list(options.units())[:runs]
    # Raportti's "from" month: earlier and earlier months, never the one it shows first
    from kokemus import report
    default_from = report.default_period(options.last_month)[0]
    months = [filters.month_key(m) for m in options.month_range() if m < default_from][-runs:][::-1]
    proc, url = _start(tree, db, port)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=CHROMIUM_ARGS)
            for name in pages:
                path = filters.page_path(name) if hasattr(filters, "page_path") else (
                    "" if name == "overview" else filters.URL_PATHS[name])  # older trees
                page_url = f"{url}/{path}"
                try:
                    loads = [first_load_ms(browser, page_url) for _ in range(runs + 1)]
                    changes = filter_changes_ms(browser, page_url, units, name, months) if (
                        name not in NO_FILTER) else []
                except Exception as exc:  # one page failing must not lose the others' rows
                    print(f"| {label:5s} | {name:10s} | failed: {type(exc).__name__} |", flush=True)
                    continue
                rows.append({"warehouse": label, "page": name, "cold": loads[0],
                             "first": statistics.median(loads[1:]),
                             "change": statistics.median(changes) if changes else None,
                             "load": os.getloadavg()[0]})
                _print_row(rows[-1])
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return rows


def _flag(ms: float | None, target: int) -> str:
    if ms is None:
        return ""
    return "ok" if ms <= target else "SLOW"


def _print_row(r: dict) -> None:
    first_t, change_t = TARGETS[r["warehouse"]]
    change = "      –" if r["change"] is None else f"{r['change']:7.0f}"
    print(f"| {r['warehouse']:5s} | {r['page']:10s} | {r['cold']:7.0f} | {r['first']:7.0f} "
          f"{_flag(r['first'], first_t):4s} | {change} {_flag(r['change'], change_t):4s} | "
          f"{r['load']:4.1f} |", flush=True)


def _demo_db(path: Path | None) -> Path:
    if path and path.exists():
        return path
    from etl.cli import main as etl_main
    out = Path(tempfile.mkdtemp(prefix="kokemus-bench-demo-"))
    db = out / "kokemus.duckdb"
    print(f"building the demo warehouse -> {db}", flush=True)
    assert etl_main(["demo", "--out", str(out / "samples"), "--db", str(db)]) == 0
    return db


def _big_db(path: Path | None, responses: int, reuse: bool) -> Path:
    import bench_pages

    db = path or Path(tempfile.mkdtemp(prefix="kokemus-bench-big-")) / "big.duckdb"
    if reuse and db.exists():
        return db
    db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    bench_pages.build_warehouse(db, responses)
    print(f"built {responses:,} responses in {time.perf_counter() - t0:.0f} s -> {db}", flush=True)
    return db


def main(argv: list[str] | None = None) -> int:
    from kokemus import filters

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo-db", type=Path, help="an existing demo warehouse (built when missing)")
    ap.add_argument("--big-db", type=Path, help="where the large warehouse is (or goes)")
    ap.add_argument("--reuse-big", action="store_true", help="reuse an existing --big-db")
    ap.add_argument("--responses", type=int, default=10_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", nargs="*", default=[p for p in filters.PAGES
                                                   if (ROOT / filters.page_file(p)).exists()])
    ap.add_argument("--skip-demo", action="store_true")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--tree", type=Path, default=ROOT,
                    help="the checkout whose dashboard is timed (default: this one)")
    ap.add_argument("--port", type=int, help="serve on this port (default: a free one)")
    args = ap.parse_args(argv)

    print(f"browser benchmark, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"ms, median of {args.runs}; targets demo {TARGETS['demo']}, 10M {TARGETS['10M']}")
    print(f"tree {args.tree}")
    print("| data  | page       |    cold |   first load |  filter change | load |")
    print("|-------|------------|--------:|-------------:|---------------:|-----:|")
    rows = []
    if not args.skip_demo:
        rows += bench_warehouse("demo", _demo_db(args.demo_db), args.pages, args.runs, args.tree, args.port)
    if not args.skip_big:
        rows += bench_warehouse("10M", _big_db(args.big_db, args.responses, args.reuse_big),
                                args.pages, args.runs, args.tree, args.port)
    slow = [r for r in rows if _flag(r["first"], TARGETS[r["warehouse"]][0]) == "SLOW"
            or _flag(r["change"], TARGETS[r["warehouse"]][1]) == "SLOW"]
    print(f"load at the end {os.getloadavg()[0]:.1f}; {len(slow)} of {len(rows)} rows over target")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
