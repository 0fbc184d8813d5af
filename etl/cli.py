"""`python -m etl`: a thin command line over etl.pipeline (the library is tested on its own).

Messages follow KOKEMUS_LANG (fi by default, en, sv). Exit codes: 0 ok; 1 a file failed;
2 usage; 3 rejected rows with --strict.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kokemus import config, plain
from kokemus.i18n import environment_language as _lang
from kokemus.i18n import t
from kokemus.reject_reasons import reason_text

DEMO_ORGANISATION = "Järvi-Suomen hyvinvointialue"


def _parse_map(items: list[str] | None) -> dict[str, str] | None:
    if not items:
        return None
    mapping = {}
    for item in items:
        if "=" not in item:
            raise SystemExit(t("cli_bad_map", _lang(), item=item))
        col, field = item.rsplit("=", 1)
        mapping[col.strip()] = field.strip()
    return mapping


class _Bar:
    """A tqdm bar fed by the pipeline's progress callback (fraction, message)."""

    def __init__(self, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm
            # no monitor thread: a thread of its own would send the file's parse worker to the
            # fork server (etl.sandbox.forks_directly), a second Python start per file
            tqdm.monitor_interval = 0
            self.bar = tqdm(total=1000, unit="‰", leave=False, file=sys.stderr,
                            bar_format="{desc} {bar} {percentage:3.0f}%")

    def __call__(self, fraction: float, message: str = "") -> None:
        if self.bar is None:
            return
        self.bar.set_description_str(message[:40])
        self.bar.n = int(fraction * 1000)
        self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _quote(text: str) -> str:
    return '"' + str(text).replace('"', '\\"') + '"'


def _hint(r, lang: str) -> str | None:
    """The option to pass, with the file's own candidates, never a fixed example."""
    code = r.error_details.get("code")
    if code == "no_unit":
        names = r.error_details.get("candidates") or [t("cli_hint_unit_placeholder", lang)]
        return t("cli_hint_unit", lang, options=" | ".join(f"--unit {_quote(n)}" for n in names))
    if code == "unknown_layout":
        from etl.detect.synonyms import MAPPABLE_FIELDS
        columns = [c for c in r.error_details.get("columns") or [] if c]
        missing = r.error_details.get("missing") or []
        fields = ["submitted_on" if m == "submitted_on" else "score" for m in missing] or ["score"]
        pairs = [f"--map {_quote(f'{c}={f}')}" for c, f in zip(columns, fields)]
        return t("cli_hint_map", lang, options=" ".join(pairs) or "--map \"COLUMN=score\"",
                 fields=", ".join(MAPPABLE_FIELDS))
    return None


def _print_accounting(r, lang: str) -> None:
    """Why detection decided what it did, and every column and row that was not imported."""
    if r.parsed is None:
        return
    lines = [t(k, lang, **p) for s in r.parsed.sheets for k, p in s.decisions]
    if lines:
        print("  " + t("cli_decisions", lang))
        for line in dict.fromkeys(lines):
            print("    " + line)
    for s in r.parsed.sheets:
        if s.copy_of:
            print("  " + t("cli_copy_sheet", lang, sheet=s.name, original=s.copy_of))
        for column, why in s.not_imported.items():
            print("  " + t("cli_not_imported", lang, sheet=s.name, column=column, reason=t(f"account_{why}", lang)))
        for why, n in s.skipped_rows.items():
            print("  " + t("cli_skipped_rows", lang, sheet=s.name, n=n, what=t(f"rows_{why}", lang)))
    if r.dates_assumed:
        print("  " + t("cli_dates_assumed", lang, n=r.dates_assumed))


def _print_result(r, lang: str) -> None:
    if r.status == "failed":
        print(t("cli_failed", lang, file=r.file_name), file=sys.stderr)
        print("  " + (r.error_fi if lang == "fi" else r.error_en), file=sys.stderr)
        hint = _hint(r, lang)
        if hint:
            print("  " + hint, file=sys.stderr)
        return
    if r.status == "already_imported":
        print(t("cli_already", lang, file=r.file_name, batch=r.batch_id))
        return
    print(t("cli_summary", lang, file=r.file_name, batch=r.batch_id, format=r.format,
            read=r.rows_read, loaded=r.rows_loaded, dup=r.rows_duplicate, rej=r.rows_rejected,
            cells=r.cells_rejected, red=r.redactions))
    _print_accounting(r, lang)
    for line in r.duplicate_notes(lang):
        print("  " + line)
    if r.new_units:
        print("  " + t("cli_new_units", lang, units=", ".join(r.new_units)))
        for name, close in r.unit_suggestions.items():
            print("  " + t("cli_unit_suggestion", lang, unit=name,
                           matches=", ".join(f"{u} ({s:.0f} %)" for u, s in close)))
    empty = t("reject_value_empty", lang)
    for rej in r.rejects[:10]:
        where = " / ".join(str(x) for x in (rej.sheet, rej.row, rej.column) if x not in (None, ""))
        value = plain.cell(rej.value, lang)
        print(f"  - {where}: {value if value == empty else repr(rej.value)}: {reason_text(rej.code, rej.fi, rej.en, lang)}")
    if len(r.rejects) > 10:
        print("  " + t("cli_more_rejects", lang, n=len(r.rejects) - 10))


def cmd_import(args) -> int:
    from etl import priority, sandbox, standby
    from etl.pipeline import import_file
    sandbox.fork_directly()    # one run, few files: no fork server's second Python start
    standby.start()   # the first file's worker, forked now: it imports the readers while we open the warehouse
    lang = _lang()
    mapping = _parse_map(args.map)
    worst = 0
    for f in args.files:
        path = Path(f)
        if not path.is_file():
            print(t("cli_no_file", lang, file=f), file=sys.stderr)
            worst = max(worst, 1)
            continue
        bar = _Bar(sys.stderr.isatty() and path.stat().st_size > 2_000_000)
        try:
            r = import_file(path, mapping=mapping, unit=args.unit, organisation=args.organisation,
                            db_path=args.db, progress=bar, nice=priority.for_file(path))
        finally:
            bar.close()
        _print_result(r, lang)
        if r.status == "failed":
            worst = max(worst, 1)
        elif args.strict and r.rejects:
            worst = max(worst, 3)
    return worst


def cmd_batches(args) -> int:
    from kokemus import db
    lang = _lang()
    with db.connect(args.db) as con:
        rows = con.execute(
            "SELECT batch_id, strftime(imported_at, '%Y-%m-%d %H:%M'), status, rows_loaded, "
            "rows_duplicate, rows_rejected, file_name FROM import_batches ORDER BY batch_id").fetchall()
    if not rows:
        print(t("cli_no_batches", lang))
        return 0
    print(t("cli_batches_header", lang))
    for r in rows:
        print(f"{r[0]:>5}  {r[1]}  {r[2]:<8} {r[3]:>8} {r[4]:>8} {r[5]:>8}  {r[6]}")
    return 0


def cmd_undo(args) -> int:
    from etl.pipeline import undo
    from etl.store.load import AlreadyUndone
    lang = _lang()
    try:
        removed = undo(args.batch_id, db_path=args.db, keep_original=args.keep_original or None)
    except AlreadyUndone as exc:
        print(exc.en if lang == "en" else exc.fi)
        return 0
    except LookupError:
        print(t("cli_no_batch", lang, batch=args.batch_id), file=sys.stderr)
        return 1
    print(t("cli_undone", lang, batch=args.batch_id, n=removed))
    return 0


def cmd_demo(args) -> int:
    from demo import area as demo
    from etl.pipeline import import_files
    lang = _lang()
    out = Path(args.out) if args.out else config.SAMPLES_DIR
    bar = _Bar(sys.stderr.isatty())
    try:
        files = demo.generate(out, scale=args.scale, seed=args.seed,
                              progress=lambda f, m="": bar(f * 0.2, m))
        results = import_files(files, db_path=args.db, organisation=DEMO_ORGANISATION,
                               progress=lambda f, m="": bar(0.2 + f * 0.8, m))
    finally:
        bar.close()
    for r in results:
        _print_result(r, lang)
    if any(r.status == "failed" for r in results):
        return 1
    from demo import casework
    casework.apply(args.db, seed=args.seed)
    from kokemus.auth import mode
    mode.mark_demo(args.db)  # fictional data only: may be served without sign-in
    return 0


def cmd_rebuild(args) -> int:
    from etl.pipeline import RebuildNotes, rebuild
    lang = _lang()
    notes = RebuildNotes()
    results = rebuild(db_path=args.db, notes=notes)
    if notes.torn_lines:
        print(t("rebuild_torn_lines", lang, n=len(notes.torn_lines),
                lines=", ".join(map(str, notes.torn_lines[:10]))), file=sys.stderr)
    if notes.reconciled:
        print(t("rebuild_reconciled", lang, n=notes.reconciled))
    for r in results:
        _print_result(r, lang)
    if any(r.status == "failed" for r in results):
        print(t("cli_rebuild_failed", lang), file=sys.stderr)
        return 1
    print(t("cli_rebuilt", lang, n=len(results)))
    return 0


def cmd_retag(args) -> int:
    from etl.store.retag import retag
    from kokemus import db
    lang = _lang()
    with db.writer(args.db) as con:
        out = retag(con)
    print(t("cli_retagged", lang, comments=out["comments"], tags=out["tags"], version=out["taxonomy_version"]))
    return 0


def cmd_tag(args) -> int:
    from etl.normalise.redact import redact_text
    from etl.themes import Tagger
    tagger = Tagger.default()
    for line in sys.stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        redacted, _ = redact_text(text)
        print(json.dumps(tagger.tag(redacted).to_json(), ensure_ascii=False), flush=True)
    return 0


def cmd_report(args) -> int:
    import time
    from kokemus import queries, report
    from kokemus.report import render
    lang = _lang()
    started = time.perf_counter()
    formats = [x.strip() for x in args.format.split(",") if x.strip()]
    bad = [x for x in formats if x not in render.FORMATS]
    if bad or not formats:
        print(t("rep_cli_bad_format", lang, fmt=bad[0] if bad else args.format), file=sys.stderr)
        return 2
    try:
        start, end = (report.parse_period(args.period) if args.period
                      else report.default_period(queries.filter_options(args.db).last_month))
    except ValueError:
        print(t("rep_bad_period", lang), file=sys.stderr)
        return 2
    data = report.build(start, end, level=args.level, lang=args.lang or lang, db_path=args.db)
    pack = render.make(data, formats, started=started)
    for path in render.write(pack, Path(args.out)):
        print(path)
    print(t("rep_generated", lang, seconds=f"{pack.seconds:.1f}"), file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    lang = _lang()
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help=t("cli_help_db", lang))
    parser = argparse.ArgumentParser(prog="python -m etl", description=t("cli_description", lang),
                                     parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func):
        text = t(f"cli_help_{name}", lang)
        p = sub.add_parser(name, parents=[common], help=text, description=text)
        p.set_defaults(func=func)
        return p

    p = command("import", cmd_import)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--map", action="append", metavar='"SARAKE=kenttä"', help=t("cli_help_map", lang))
    p.add_argument("--unit", help=t("cli_help_unit", lang))
    p.add_argument("--organisation", help=t("cli_help_organisation", lang))
    p.add_argument("--strict", action="store_true", help=t("cli_help_strict", lang))
    command("batches", cmd_batches)
    p = command("undo", cmd_undo)
    p.add_argument("batch_id", type=int, metavar="BATCH_ID")
    p.add_argument("--keep-original", action="store_true", help=t("cli_help_keep_original", lang))
    p = command("demo", cmd_demo)
    p.add_argument("--scale", type=float, default=1.0, help=t("cli_help_scale", lang))
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", help=t("cli_help_out", lang))
    from etl import users_cli
    users_cli.add_commands(command, lang)
    command("rebuild", cmd_rebuild)
    command("retag", cmd_retag)
    command("tag", cmd_tag)
    p = command("report", cmd_report)
    p.add_argument("--period", metavar="YYYY-MM..YYYY-MM", help=t("cli_help_period", lang))
    p.add_argument("--level", choices=("organisation", "service_area", "unit"), default="service_area",
                   help=t("cli_help_level", lang))
    p.add_argument("--format", default="pdf,xlsx", help=t("cli_help_format", lang))
    p.add_argument("--lang", choices=("fi", "sv", "en"), help=t("cli_help_lang", lang))
    p.add_argument("--out", default=".", metavar="DIR", help=t("cli_help_report_out", lang))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    from kokemus.db import WarehouseError
    try:
        return args.func(args)
    except WarehouseError as exc:
        print(exc.fi if _lang() == "fi" else exc.en, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
