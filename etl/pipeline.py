"""The import API: the CLI and the upload page both come through here.

parse -> redact -> tag -> (preview | archive + load). A file either loads completely as one
batch or not at all; a failure is returned as a result with a Finnish and an English
message naming the file (and sheet/row/column when known), never raised as a traceback to
the person importing.
"""
from __future__ import annotations

import getpass
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from etl.store import archive, load
from etl.normalise.annotate import redact_frame, tag_frame
from etl.normalise.contacts import extract_contacts
from etl.contract import ImportError_, ParsedFile, ProgressCallback, Reject
from etl.parse import parse_file
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


def warm_tagger() -> None:
    """Load the tagger's dictionaries (the Finnish lemma table takes seconds to decode)
    while the file is being read, instead of after."""
    with _warm_lock:
        if not _warmed.is_set():
            Tagger.default().tag("Kiitos hyvästä hoidosta, jonotusaika oli lyhyt.")
            _warmed.set()


def prepare(path: Path, *, file_name: str, mapping: dict[str, str] | None = None,
            unit: str | None = None, progress: ProgressCallback | None = None) -> Prepared:
    """Everything up to the warehouse: parse, redact, tag. Pure; writes nothing."""
    warm = None
    if not _warmed.is_set():
        warm = threading.Thread(target=warm_tagger, name="kokemus-warm-tagger", daemon=True)
        warm.start()
    parsed = parse_file(path, file_name=file_name, mapping=mapping, unit=unit,
                        progress=_scaled(progress, 0.0, 0.55, file_name))
    # contact details left for a reply go to the restricted case table, taken before the
    # comment loses them to placeholders
    contacts = extract_contacts(parsed.frame)
    frame, redactions = redact_frame(parsed.frame)
    parsed.redactions += redactions
    if warm is not None:
        warm.join()
    frame, tags = tag_frame(frame, progress=_scaled(progress, 0.55, 0.8, file_name))
    parsed.frame = frame
    return Prepared(parsed, tags, contacts)


def _failure(file_name: str, exc: BaseException) -> BatchResult:
    if isinstance(exc, ImportError_):
        return BatchResult(file_name, "failed", error_fi=exc.fi, error_en=exc.en,
                           error_details={**exc.details, "code": exc.code, "sheet": exc.sheet,
                                          "row": exc.row, "column": exc.column})
    if isinstance(exc, db.WarehouseError):
        return BatchResult(file_name, "failed", error_fi=exc.fi, error_en=exc.en)
    log.exception("import of %s failed", file_name)
    return BatchResult(
        file_name, "failed",
        error_fi=f"Tiedoston {file_name} tuonti epäonnistui odottamatta ({type(exc).__name__}: {exc}). "
                 "Mitään ei tuotu.",
        error_en=f"Importing {file_name} failed unexpectedly ({type(exc).__name__}: {exc}). "
                 "Nothing was imported.")


def _summary(result: BatchResult, parsed: ParsedFile) -> None:
    result.format = parsed.format
    result.redactions = parsed.redactions
    result.rejects = parsed.rejects
    result.rows_rejected = sum(1 for r in parsed.rejects if not r.row_kept)
    result.cells_rejected = sum(1 for r in parsed.rejects if r.row_kept)
    result.parsed = parsed


def preview_file(path: str | os.PathLike, *, file_name: str | None = None,
                 mapping: dict[str, str] | None = None, unit: str | None = None,
                 db_path: str | os.PathLike | None = None,
                 progress: ProgressCallback | None = None) -> BatchResult:
    """What an import would do, without writing: counts, duplicates, rejects, unit checks."""
    path = Path(path)
    file_name = file_name or path.name
    try:
        prepared = prepare(path, file_name=file_name, mapping=mapping, unit=unit, progress=progress)
        parsed = prepared.parsed
        result = BatchResult(file_name, "preview")
        _summary(result, parsed)
        frame = load.canonical_frame(parsed.frame)
        result.rows_read = len(frame) + result.rows_rejected
        with db.connect(db_path) as con:
            names = sorted(frame["unit_name"].dropna().unique().tolist())
            known = unit_registry.lookup(con, names)
            for name, unit_id in known.items():
                if unit_id is None:
                    result.new_units.append(name)
                    result.unit_suggestions[name] = unit_registry.suggest(con, name)
            result.rows_duplicate = _count_duplicates(con, frame, known)
        result.rows_loaded = len(frame) - result.rows_duplicate
        if progress:
            progress(1.0, file_name)
        return result
    except Exception as exc:  # noqa: BLE001 - turned into a message for a person
        return _failure(file_name, exc)


def _count_duplicates(con, frame: pd.DataFrame, known: dict[str, int | None]) -> int:
    ids = {n: u for n, u in known.items() if u is not None}
    if not ids or frame.empty:
        return 0
    con.register("unit_map", pd.DataFrame({"unit_name": list(ids), "unit_id": list(ids.values())}))
    con.register("parsed_frame", frame)
    try:
        con.execute(load._sql("stage_incoming.sql")).fetchall()
        con.execute(load._sql("stage_fresh.sql"), {"first_id": 0}).fetchall()
        return con.execute("SELECT (SELECT count(*) FROM incoming) - (SELECT count(*) FROM fresh)").fetchall()[0][0]
    finally:
        con.unregister("unit_map")
        con.unregister("parsed_frame")


def import_file(path: str | os.PathLike, *, file_name: str | None = None,
                mapping: dict[str, str] | None = None, unit: str | None = None,
                unit_choices: dict[str, str] | None = None, organisation: str | None = None,
                db_path: str | os.PathLike | None = None, imported_by: str | None = None,
                progress: ProgressCallback | None = None, record: bool = True) -> BatchResult:
    path = Path(path)
    file_name = os.path.basename(file_name or path.name)
    try:
        digest = archive.file_hash(path)
        dbp = config.db_path(db_path)
        with db.connect(dbp) as con:
            already = next(iter(con.execute(
                "SELECT batch_id FROM import_batches WHERE file_hash = ? AND status = 'loaded' "
                "ORDER BY batch_id LIMIT 1", [digest]).fetchall()), None)
        if already:
            return BatchResult(file_name, "already_imported", batch_id=already[0])
        prepared = prepare(path, file_name=file_name, mapping=mapping, unit=unit, progress=progress)
        parsed = prepared.parsed
        stored = archive.store(path, digest, dbp) if record else None
        options = {"mapping": mapping, "unit": unit, "unit_choices": unit_choices,
                   "organisation": organisation, "format": parsed.format}
        if progress:
            progress(0.82, file_name)
        with db.writer(dbp) as con:
            res = load.load_parsed(
                con, parsed, file_hash=digest, archive_path=str(stored), options=options,
                imported_by=imported_by or _user(), tags=prepared.tags,
                organisation=organisation, unit_choices=unit_choices, contacts=prepared.contacts)
        if record:
            archive.record({"event": "import", "batch_id": res.batch_id, "hash": digest,
                            "file_name": file_name, "options": options}, dbp)
        result = BatchResult(file_name, "loaded", batch_id=res.batch_id, rows_read=res.rows_read,
                             rows_loaded=res.rows_loaded, rows_duplicate=res.rows_duplicate,
                             new_units=res.new_units)
        if res.new_units:
            # never merged silently: a new unit that looks like an old one is pointed out
            with db.connect(dbp) as con:
                for name in res.new_units:
                    close = [(u, s) for u, s in unit_registry.suggest(con, name) if u != name]
                    if close:
                        result.unit_suggestions[name] = close
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


def undo(batch_id: int, *, db_path: str | os.PathLike | None = None) -> int:
    dbp = config.db_path(db_path)
    with db.writer(dbp) as con:
        removed = load.undo_batch(con, batch_id)
    archive.record({"event": "undo", "batch_id": batch_id}, dbp)
    return removed


def rebuild(*, db_path: str | os.PathLike | None = None,
            progress: ProgressCallback | None = None) -> list[BatchResult]:
    """Recreate the warehouse from the archived originals, replaying imports in order."""
    dbp = config.db_path(db_path)
    plan = archive.replay_plan(dbp)
    manifest = config.archive_dir(dbp) / "manifest.jsonl"
    with db.writer(dbp):
        pass  # wait for running imports to finish
    fd, tmp_name = tempfile.mkstemp(suffix=".duckdb", dir=dbp.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp_db = Path(tmp_name)
    results = []
    for i, event in enumerate(plan):
        opts = event.get("options") or {}
        src = config.archive_dir(dbp) / event["hash"][:2] / event["hash"]
        results.append(import_file(
            src, file_name=event["file_name"], mapping=opts.get("mapping"), unit=opts.get("unit"),
            unit_choices=opts.get("unit_choices"), organisation=opts.get("organisation"),
            db_path=tmp_db, record=False,
            progress=_scaled(progress, i / max(1, len(plan)), (i + 1) / max(1, len(plan)), event["file_name"])))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        tmp_db.unlink(missing_ok=True)
        return results
    if dbp.exists():
        from etl.store.cases import carry_over
        with db.connect(tmp_db) as con:
            carry_over(str(dbp), con)
    with db.writer(dbp):
        for suffix in ("", ".wal"):
            Path(str(dbp) + suffix).unlink(missing_ok=True)
        os.replace(tmp_db, dbp)
        if Path(str(tmp_db) + ".wal").exists():
            os.replace(str(tmp_db) + ".wal", str(dbp) + ".wal")
        manifest.rename(manifest.with_suffix(".jsonl.before-rebuild"))
        for event, res in zip(plan, results):
            if res.batch_id is not None:
                archive.record({**event, "batch_id": res.batch_id}, dbp)
    db._migrated.discard(str(dbp))
    return results


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001
        return "unknown"
