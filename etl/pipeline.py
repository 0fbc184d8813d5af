"""The import API: the CLI and the upload page both come through here.

parse -> redact -> tag -> (preview | archive + load). A file either loads completely as one
batch or not at all; a failure is returned as a result with a Finnish and an English
message naming the file (and sheet/row/column when known), never raised as a traceback to
the person importing.
"""
from __future__ import annotations

import gc
import getpass
import json
import logging
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from etl.store import archive, load
from etl.normalise.annotate import add_comment_questions, apply_learned, plan_tags, redact_frame, tag_frame
from etl.normalise.contacts import extract_contacts
from etl.normalise.redact_copies import redact_copies
from etl.normalise.tag_ahead import TagAhead
from etl.store import corrections
from etl.contract import ImportError_, ParsedFile, ProgressCallback, Reject
from etl import faults, priority, sandbox, standby
from etl.sandbox import parse_file_isolated
from etl.themes import Tagger
from etl.detect import units as unit_registry
from kokemus import config, db

log = logging.getLogger(__name__)


@dataclass
class BatchResult:
    file_name: str
    status: str                       # loaded | already_imported | failed | preview
    batch_id: int | None = None
    format: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    cells_rejected: int = 0
    redactions: int = 0
    new_units: list[str] = field(default_factory=list)
    unit_suggestions: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    error_fi: str | None = None
    error_en: str | None = None
    error_details: dict = field(default_factory=dict)
    parsed: ParsedFile | None = None
    dates_assumed: int = 0
    duplicates_of: list[load.DuplicateGroup] = field(default_factory=list)
    identical_kept: list[load.DuplicateGroup] = field(default_factory=list)

    @property
    def mostly_rejected(self) -> bool:
        """More than half of the rows read would be rejected: warn before confirm."""
        return self.rows_read > 0 and self.rows_rejected > self.rows_read / 2

    @property
    def not_imported(self) -> list[tuple[str, str, str]]:
        """(sheet, column, reason code) of every column that does not land anywhere."""
        if self.parsed is None:
            return []
        return [(s.name, col, why) for s in self.parsed.sheets if s.used for col, why in s.not_imported.items()]

    def duplicate_notes(self, lang: str = "fi") -> list[str]:
        """Which earlier batch the duplicates duplicate, and identical rows kept as new ones."""
        from kokemus.i18n import t
        notes = [t(f"dup_group_{g.reason}", lang, n=g.rows, batch=g.batch_id, file=g.file_name)
                 for g in self.duplicates_of]
        return notes + [t("dup_identical_kept", lang, n=g.rows, batch=g.batch_id, file=g.file_name)
                        for g in self.identical_kept]

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "already_imported", "preview")


@dataclass
class Prepared:
    parsed: ParsedFile
    tags: pd.DataFrame
    contacts: pd.DataFrame | None = None


def _scaled(progress: ProgressCallback | None, lo: float, hi: float, prefix: str):
    if progress is None:
        return None
    return lambda frac, msg="": progress(lo + (hi - lo) * max(0.0, min(1.0, frac)), msg or prefix)


_warmed = threading.Event()
_warm_lock = threading.Lock()
_warm_thread: threading.Thread | None = None


def warm_tagger() -> None:
    """Load the tagger's dictionaries (the Finnish lemma table takes seconds to decode)
    while the file is being read, instead of after."""
    with _warm_lock:
        if not _warmed.is_set():
            Tagger.default().tag("Kiitos hyvästä hoidosta, jonotusaika oli lyhyt.")
            _warmed.set()


def known_units(db_path=None, con=None) -> dict[str, str]:
    """alias key -> unit name of every unit and spelling the registry knows, so detection
    can recognise them in titles and columns. Empty when there is no warehouse yet.
    ``con``: an open connection to read them with (else one is opened)."""
    try:
        if con is not None:
            return _known_units(con)
        with db.connect(db_path) as con:
            return _known_units(con)
    except Exception:  # noqa: BLE001 - detection works without the registry
        log.warning("unit registry not readable", exc_info=True)
        return {}


def _known_units(con) -> dict[str, str]:
    rows = con.execute(
        "SELECT a.alias_key, u.name FROM unit_aliases a JOIN units u USING (unit_id)").fetchall()
    rows += [(unit_registry.alias_key(n), n) for (n,) in con.execute("SELECT name FROM units").fetchall()]
    return dict(rows)


# The template's own headers (docs/template.md) for a rejected row known only as read
_TEMPLATE_HEADERS = (("Päivämäärä", "submitted_on"), ("Yksikkö", "unit_name"), ("Palvelualue", "service_area"),
                     ("Kanava", "channel"), ("Kieli", "language"), ("Arvio", "raw_score"), ("Asteikko", "scale"),
                     ("Suosittelu", "nps"), ("Tyyppi", "feedback_type"), ("Palaute", "comment"),
                     ("Vastaus toivottu", "wants_reply"), ("Vastaus-ID", "external_id"))


def _template_cells(row: dict) -> list:
    """A parsed row under the template's headers: the nurse fills in what was missing."""
    cells = []
    for header, name in _TEMPLATE_HEADERS:
        value = row.get(name)
        cells.append((header, None if value is None or (not isinstance(value, str) and pd.isna(value)) else value))
    return cells


def _reject_missing_units(parsed: ParsedFile) -> None:
    """Rows that end up without a unit are rejected with that reason; they must never
    vanish as 'duplicates' at the unit join."""
    frame = parsed.frame
    if "unit_name" not in frame or not frame["unit_name"].isna().any():
        return
    from kokemus.i18n import t
    missing = frame["unit_name"].isna()
    fi, en = t("layout_reject_no_unit", "fi"), t("layout_reject_no_unit", "en")
    for row in frame.loc[missing].to_dict("records"):
        source_row = row.get("source_row")
        parsed.rejects.append(Reject(row.get("source_sheet"),
                                     None if source_row is None or pd.isna(source_row) else int(source_row),
                                     None, None, "no_unit", fi, en, row_cells=_template_cells(row)))
    parsed.frame = frame.loc[~missing].reset_index(drop=True)


def prepare(path: Path, *, file_name: str, mapping: dict[str, str] | None = None,
            unit: str | None = None, progress: ProgressCallback | None = None,
            db_path=None, units: dict[str, str] | None = None, nice: int = 0) -> Prepared:
    """Everything up to the warehouse: parse, redact, tag. Pure; writes nothing.
    ``units``: :func:`known_units`, when the caller has read them already; ``nice``: parse
    and tag at a lower CPU priority (:mod:`etl.priority`)."""
    if units is None:
        units = known_units(db_path)
    warm, after_fork = None, False
    global _warm_thread
    if _warm_thread is not None and _warm_thread.is_alive() and sandbox.one_shot():
        # a one-shot run's earlier file failed while the tagger was loading: this file needs
        # it too, and a thread still running would send its worker to a fork server
        _warm_thread.join()
    if not _warmed.is_set():
        # beside the worker; a direct worker is forked first (a thread before the fork would
        # send it to the fork server), and so does not copy the tagger's tables either; one
        # forked before the warehouse opened (etl.standby) is forked already
        warm = _warm_thread = threading.Thread(target=warm_tagger, name="kokemus-warm-tagger", daemon=True)
        after_fork = sandbox.forks_directly() and not standby.waiting()
        if not after_fork:
            warm.start()
    # a template file's comments are redacted and tagged while the worker normalises the
    # rest (etl.normalise.tag_ahead); below they are taken from there text by text
    ahead = TagAhead(_loaded_tagger, nice=nice)
    try:
        parsed = parse_file_isolated(path, file_name=file_name, mapping=mapping, unit=unit,
                                     progress=_scaled(progress, 0.0, 0.55, file_name),
                                     known_units=units, nice=nice, on_comments=ahead.offer,
                                     on_finishing=ahead.parsed,
                                     on_started=warm.start if after_fork else None)
        ahead.parsed()   # the frame's own steps first, on this core; a helper tags on the other
        _reject_missing_units(parsed)
        parsed.redactions += redact_copies(parsed)   # rejects, raw scores, answers: stored and shown too
        # contact details left for a reply go to the restricted case table, taken before the
        # comment loses them to placeholders
        contacts = extract_contacts(parsed.frame)
        frame, redactions = redact_frame(parsed.frame, ahead.redactions_ready())
        parsed.redactions += redactions
        if warm is not None:
            warm.join()
        frame = add_comment_questions(frame, parsed.sheets)   # the question is context for the type
        plan = plan_tags(frame)   # what tag_frame needs of the frame alone, while the helper tags
        ahead.wait(_scaled(progress, 0.55, 0.75, file_name))
    except BaseException:
        ahead.stop()
        raise
    tagging = _scaled(progress, 0.75 if ahead.started else 0.55, 0.8, file_name)
    try:
        frame, tags = priority.run_lowered(nice, tag_frame, frame, progress=tagging, ahead=ahead, plan=plan)
    except Exception as exc:  # noqa: BLE001 - a message for the person, nothing loaded
        raise _tagging_failed(file_name, exc) from exc
    parsed.frame = frame
    return Prepared(parsed, tags, contacts)


def _loaded_tagger() -> Tagger:
    warm_tagger()
    return Tagger.default()


def _tagging_failed(file_name: str, exc: BaseException) -> ImportError_:
    """The themes could not be worked out (a tagging process was killed, out of memory):
    the file is not loaded half tagged, and the person is told so."""
    from kokemus.i18n import t
    log.error("tagging the comments of a file failed: %s", sandbox.where(exc))
    return ImportError_(t("import_tagging_failed", "fi", file=file_name), t("import_tagging_failed", "en", file=file_name),
                        file=file_name, code="tagging_failed")


def _failure(file_name: str, exc: BaseException) -> BatchResult:
    if isinstance(exc, ImportError_):
        return BatchResult(file_name, "failed", error_fi=exc.fi, error_en=exc.en,
                           error_details={**exc.details, "code": exc.code, "sheet": exc.sheet,
                                          "row": exc.row, "column": exc.column})
    if isinstance(exc, db.WarehouseError):
        return BatchResult(file_name, "failed", error_fi=exc.fi, error_en=exc.en)
    # type and code lines only: a library's message may quote a cell, i.e. patient text
    log.error("import of a file failed unexpectedly: %s", sandbox.where(exc))
    return BatchResult(
        file_name, "failed",
        error_fi=f"Tiedoston {file_name} tuonti epäonnistui odottamatta. Mitään ei tuotu. "
                 "Yritä uudelleen; jos virhe toistuu, ota yhteys ylläpitoon.",
        error_en=f"Importing {file_name} failed unexpectedly. Nothing was imported. "
                 "Try again; if it happens again, contact support.",
        error_details={"code": "unexpected", "error": type(exc).__name__})


def _summary(result: BatchResult, parsed: ParsedFile) -> None:
    result.format = parsed.format
    result.redactions = parsed.redactions
    result.rejects = parsed.rejects
    result.rows_rejected = sum(1 for r in parsed.rejects if not r.row_kept)
    result.cells_rejected = sum(1 for r in parsed.rejects if r.row_kept)
    result.parsed = parsed
    result.dates_assumed = parsed.dates_assumed


def accounting(parsed: ParsedFile) -> dict:
    """The batch's record of where every column and non-response row went."""
    return {
        "sheets": [{"sheet": s.name, "used": s.used, "reason": s.reason, "copy_of": s.copy_of,
                    "columns": s.columns, "not_imported": s.not_imported, "skipped_rows": s.skipped_rows}
                   for s in parsed.sheets],
        "decisions": [[k, p] for s in parsed.sheets for k, p in s.decisions] + [list(d) for d in parsed.decisions],
    }


def top_reasons(rejects: list[Reject], lang: str = "fi", n: int = 3) -> str:
    from kokemus.reject_reasons import reason_text
    counts: dict[str, list] = {}
    for r in rejects:
        if r.row_kept:
            continue
        entry = counts.setdefault(r.code, [0, reason_text(r.code, r.fi, r.en, lang)])
        entry[0] += 1
    top = sorted(counts.values(), key=lambda e: -e[0])[:n]
    return "; ".join(f"{text} ({k})" for k, text in top) or "-"


def _nothing_loaded(file_name: str, parsed: ParsedFile) -> BatchResult:
    """0 rows to load is a failure with its top reasons, never 'Import done'."""
    from kokemus.i18n import t
    result = BatchResult(file_name, "failed",
                         error_fi=t("layout_nothing_loaded", "fi", file=file_name, reasons=top_reasons(parsed.rejects, "fi")),
                         error_en=t("layout_nothing_loaded", "en", file=file_name, reasons=top_reasons(parsed.rejects, "en")),
                         error_details={"code": "nothing_loaded"})
    _summary(result, parsed)
    result.status = "failed"
    result.rows_read = result.rows_rejected
    return result


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for one file's import, on again after it (if it
    was on). Tagging turns it off anyway (etl.normalise.tag_pool: it makes millions of
    objects and no cycles); turned on at the end of tagging, its first collection walked
    every object made meanwhile (the tag rows, ~0.3 s for 200,000 rows) while the import
    waited, and most of them are gone a moment later, when the tags are loaded. After the
    import only the survivors are walked. The parse worker collects as before
    (:func:`etl.sandbox._work` turns it on). Used as a decorator (``@collector_paused()``),
    each call gets its own pause."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@collector_paused()
def preview_file(path: str | os.PathLike, *, file_name: str | None = None,
                 mapping: dict[str, str] | None = None, unit: str | None = None,
                 db_path: str | os.PathLike | None = None,
                 progress: ProgressCallback | None = None) -> BatchResult:
    """What an import would do, without writing: counts, duplicates, rejects, unit checks."""
    path = Path(path)
    file_name = file_name or path.name
    try:
        prepared = prepare(path, file_name=file_name, mapping=mapping, unit=unit, progress=progress,
                           db_path=db_path)
        parsed = prepared.parsed
        if len(parsed.frame) == 0:
            return _nothing_loaded(file_name, parsed)
        result = BatchResult(file_name, "preview")
        _summary(result, parsed)
        frame = load.canonical_frame(parsed.frame)
        result.rows_read = len(frame) + result.rows_rejected
        with db.connect(db_path) as con:
            same_file = _same_file_batch(con, archive.file_hash(path))
            if same_file is not None:
                # The very same bytes were loaded before: import_file will say "already
                # imported", so the preview must not promise new rows.
                result.rows_duplicate = len(frame)
                result.duplicates_of = [load.DuplicateGroup(same_file[0], same_file[1], "same_file", len(frame))]
                result.rows_loaded = 0
                return result
            names = sorted(frame["unit_name"].dropna().unique().tolist())
            known = unit_registry.lookup(con, names)
            for name, unit_id in known.items():
                if unit_id is None:
                    result.new_units.append(name)
                    result.unit_suggestions[name] = unit_registry.suggest(con, name)
            result.rows_duplicate, result.duplicates_of, result.identical_kept = _duplicates(con, frame, known)
        result.rows_loaded = len(frame) - result.rows_duplicate
        if progress:
            progress(1.0, file_name)
        return result
    except Exception as exc:  # noqa: BLE001 - turned into a message for a person
        return _failure(file_name, exc)


def _same_file_batch(con, digest: str) -> tuple[int, str] | None:
    """The loaded batch made from exactly these bytes, if any: such a file is "already imported"."""
    row = next(iter(con.execute(
        "SELECT batch_id, file_name FROM import_batches WHERE file_hash = ? AND status = 'loaded' "
        "ORDER BY batch_id LIMIT 1", [digest]).fetchall()), None)
    return (int(row[0]), str(row[1])) if row else None


def _duplicates(con, frame: pd.DataFrame, known: dict[str, int | None]):
    """The preview's duplicates: the same decision the load will make (etl/sql/stage_duplicates.sql)."""
    ids = {n: u for n, u in known.items() if u is not None}
    if not ids or frame.empty:
        return 0, [], []
    con.register("unit_map", pd.DataFrame({"unit_name": list(ids), "unit_id": list(ids.values())}))
    con.register("parsed_frame", frame)
    try:
        load.stage_rows(con, batch_id=0, first_id=0)
        n = con.execute("SELECT count(*) FROM duplicates").fetchall()[0][0]
        return (n, *load.duplicate_groups(con))
    finally:
        con.unregister("unit_map")
        con.unregister("parsed_frame")


@collector_paused()
def import_file(path: str | os.PathLike, *, file_name: str | None = None,
                mapping: dict[str, str] | None = None, unit: str | None = None,
                unit_choices: dict[str, str] | None = None, organisation: str | None = None,
                db_path: str | os.PathLike | None = None, imported_by: str | None = None,
                progress: ProgressCallback | None = None, record: bool = True,
                batch_id: int | None = None, nice: int = 0) -> BatchResult:
    """``nice``: parse and tag at a lower CPU priority (:func:`etl.priority.for_file`), the load
    at the caller's."""
    path = Path(path)
    file_name = os.path.basename(file_name or path.name)
    try:
        digest = archive.file_hash(path)
        dbp = config.db_path(db_path)
        with db.connect(dbp) as con:   # one short read before the parse, one write after it
            already = _same_file_batch(con, digest)
            learned = None if already else corrections.model_for_import(con)   # people's corrections
            units = None if already else known_units(con=con)
        if already:
            return BatchResult(file_name, "already_imported", batch_id=already[0])
        prepared = prepare(path, file_name=file_name, mapping=mapping, unit=unit, progress=progress,
                           db_path=dbp, units=units, nice=nice)
        parsed = prepared.parsed
        if len(parsed.frame) == 0:
            return _nothing_loaded(file_name, parsed)
        if learned is not None:
            parsed.frame, prepared.tags = apply_learned(parsed.frame, prepared.tags, learned)
        stored = archive.store(path, digest, dbp) if record else None
        options = {"mapping": mapping, "unit": unit, "unit_choices": unit_choices,
                   "organisation": organisation, "format": parsed.format}
        if progress:
            progress(0.82, file_name)
        with db.writer(dbp) as con:
            res = load.load_parsed(
                con, parsed, file_hash=digest, archive_path=str(stored), options=options,
                imported_by=imported_by or _user(), tags=prepared.tags,
                organisation=organisation, unit_choices=unit_choices, contacts=prepared.contacts,
                batch_id=batch_id)
            con.execute("UPDATE import_batches SET accounting = ?, dates_assumed = ? WHERE batch_id = ?",
                        [json.dumps(accounting(parsed), ensure_ascii=False, default=str),
                         parsed.dates_assumed, res.batch_id]).fetchall()
            # never merged silently: a new unit that looks like an old one is pointed out
            suggestions = {}
            names = unit_registry.unit_names(con) if res.new_units else []
            for name in res.new_units:
                close = [(u, s) for u, s in unit_registry.suggest(con, name, units=names) if u != name
                         and u not in res.new_units]
                if close:
                    suggestions[name] = close
        faults.point("import_after_commit")
        if record:
            archive.record({"event": "import", "batch_id": res.batch_id, "hash": digest,
                            "file_name": file_name, "options": options}, dbp)
        result = BatchResult(file_name, "loaded", batch_id=res.batch_id, rows_read=res.rows_read,
                             rows_loaded=res.rows_loaded, rows_duplicate=res.rows_duplicate,
                             new_units=res.new_units, duplicates_of=res.duplicates_of,
                             identical_kept=res.identical_kept, unit_suggestions=suggestions)
        _summary(result, parsed)
        if progress:
            progress(1.0, file_name)
        return result
    except Exception as exc:  # noqa: BLE001 - turned into a message for a person
        return _failure(file_name, exc)


def import_files(paths: Iterable[str | os.PathLike], *, db_path: str | os.PathLike | None = None,
                 progress: ProgressCallback | None = None, **options) -> list[BatchResult]:
    """Import each file as its own batch; one bad file never stops or spoils the others."""
    paths = list(paths)
    results = []
    for i, p in enumerate(paths):
        sub = _scaled(progress, i / len(paths), (i + 1) / len(paths), Path(p).name)
        results.append(import_file(p, db_path=db_path, progress=sub, **options))
    return results


def keep_undone_originals() -> bool:
    """``KOKEMUS_KEEP_UNDONE_ORIGINALS=1``: an administrator keeps the archived original of
    an undone batch (e.g. while a complaint about it is handled); by default it goes."""
    return os.environ.get("KOKEMUS_KEEP_UNDONE_ORIGINALS", "0") == "1"


def undo(batch_id: int, *, db_path: str | os.PathLike | None = None,
         keep_original: bool | None = None) -> int:
    """Remove what only this batch created: its rows, its new units and spellings, the
    mapping profiles saved with it and (unless kept) its archived original. Undoing an
    undone batch raises :class:`etl.store.load.AlreadyUndone` (a message, no change)."""
    dbp = config.db_path(db_path)
    with db.writer(dbp) as con:
        row = next(iter(con.execute("SELECT created_profiles, file_hash FROM import_batches WHERE batch_id = ?",
                                    [batch_id]).fetchall()), (None, None))
        profiles, digest = row[0] or [], row[1]
        removed = load.undo_batch(con, batch_id)
        still_used = digest and con.execute(
            "SELECT count(*) FROM import_batches WHERE file_hash = ? AND status = 'loaded'", [digest]).fetchall()[0][0]
    faults.point("undo_after_commit")
    for path in profiles:
        Path(path).unlink(missing_ok=True)
    archive.record({"event": "undo", "batch_id": batch_id}, dbp)
    keep = keep_undone_originals() if keep_original is None else keep_original
    if digest and not still_used and not keep:
        archive.discard_original(digest, dbp)
    return removed


def remember_profile(batch_id: int, signature: str | None, mapping: dict[str, str], name: str, *,
                     db_path: str | os.PathLike | None = None) -> Path | None:
    """Save a person's column mapping as a profile so the same layout imports without
    asking next time, and record it on the batch so undo takes it away again."""
    from etl.detect import profiles
    if not signature or not mapping:
        return None
    dbp = config.db_path(db_path)
    path = profiles.save_profile(name, signature, mapping, directory=config.profiles_dir(dbp))
    with db.writer(dbp) as con:
        con.execute("UPDATE import_batches SET created_profiles = list_append(coalesce(created_profiles, []), ?) "
                    "WHERE batch_id = ?", [str(path), batch_id]).fetchall()
    return path


@dataclass
class RebuildNotes:
    """What a rebuild found in the archive manifest besides the imports it replayed."""
    torn_lines: list[int] = field(default_factory=list)
    reconciled: int = 0


def rebuild(*, db_path: str | os.PathLike | None = None, progress: ProgressCallback | None = None,
            notes: RebuildNotes | None = None) -> list[BatchResult]:
    """Recreate the warehouse from the archived originals, replaying imports in order.

    Holds the writer lock for the whole run (imports and undos wait; readers keep reading
    the old warehouse), first adds to the manifest what the warehouse has and it lacks (a
    kill between a commit and its manifest line), keeps every batch's id, builds the new
    warehouse beside the old one (owner-only) and swaps it in with one rename: a kill at
    any point leaves either the old or the new warehouse, never none."""
    dbp = config.db_path(db_path)
    notes = notes if notes is not None else RebuildNotes()
    with db.writer_lock(dbp):
        for stale in dbp.parent.glob(f".{dbp.name}.rebuild-*"):
            stale.unlink(missing_ok=True)  # left by a rebuild that was killed
        if dbp.exists():
            with db.connect(dbp) as con:
                notes.reconciled = archive.reconcile(dbp, con)
        events, notes.torn_lines = archive.read_events(dbp)
        plan = archive.plan_from(events)
        tmp_db = dbp.with_name(f".{dbp.name}.rebuild-{os.getpid()}.duckdb")
        tmp_wal = tmp_db.with_name(tmp_db.name + ".wal")
        results = []
        old_umask = os.umask(0o077)
        try:
            for i, event in enumerate(plan):
                opts = event.get("options") or {}
                src = config.archive_dir(dbp) / event["hash"][:2] / event["hash"]
                results.append(import_file(
                    src, file_name=event["file_name"], mapping=opts.get("mapping"), unit=opts.get("unit"),
                    unit_choices=opts.get("unit_choices"), organisation=opts.get("organisation"),
                    db_path=tmp_db, record=False, batch_id=event["batch_id"],
                    progress=_scaled(progress, i / max(1, len(plan)), (i + 1) / max(1, len(plan)),
                                     event["file_name"])))
                faults.point("rebuild_replaying")
            if any(r.status == "failed" for r in results):
                return results
            if dbp.exists():
                from etl.store.cases import carry_over
                with db.connect(tmp_db) as con:
                    carry_over(str(dbp), con)
            with db.connect(tmp_db) as con:
                con.execute("CHECKPOINT").fetchall()
            if dbp.exists():
                with db.connect(dbp, migrate=False) as con:
                    con.execute("CHECKPOINT").fetchall()  # nothing of the old one left in a .wal
            db.owner_only(tmp_db)
            faults.point("rebuild_before_swap")
            os.replace(tmp_db, dbp)
            faults.point("rebuild_after_swap")
            dbp.with_name(dbp.name + ".wal").unlink(missing_ok=True)
        finally:
            os.umask(old_umask)
            for leftover in (tmp_db, tmp_wal, tmp_db.with_name(tmp_db.name + ".writer.lock"),
                             tmp_db.with_name(tmp_db.name + ".writing.lock")):
                leftover.unlink(missing_ok=True)
    db._migrated.discard(str(dbp))
    return results


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "unknown"
