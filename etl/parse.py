"""Any feedback file -> :class:`etl.contract.ParsedFile`. The one entry point for the CLI and
the upload page.

Order of trust: Kokemus's own template, then what a person said (``mapping``), then what a
person said before for the same header (a saved profile), then a known platform export,
then generic detection of hand-made workbooks. Anything else stops with a message that
lists the columns and says how to map them.
"""
from __future__ import annotations

from pathlib import Path

from etl.read.samples import sample_text
from etl.detect import layout, legacy
from etl.contract import ImportError_, ParsedFile, ProgressCallback, SheetReport
from etl.detect.formats import detect_format
from etl.detect.profiles import find_profile, header_signature
from kokemus.i18n import t


def _read(path: Path, file_name: str):
    from etl.read.readers import read_workbook
    return read_workbook(path, file_name)


def _template(path: Path, file_name: str, progress, early=None):
    try:
        from etl.read.template import parse_template
    except ImportError:
        return None
    return parse_template(path, file_name, progress, early=early)


def candidate_sheets(workbook) -> list:
    """Sheets that may hold data: chart sheets and instruction sheets never do. Hidden
    sheets are kept: nurses hide last year's months, they do not delete them."""
    return [s for s in workbook.sheets if getattr(s, "kind", "worksheet") == "worksheet"]


def workbook_signature(workbook) -> tuple[str | None, list[str]]:
    """(signature, header texts) of the first sheet that has a header-like row."""
    for sheet in candidate_sheets(workbook):
        i = layout.guess_header_row(sheet.rows)
        if i is not None:
            headers = list(layout.header_texts(sheet.rows[i]).values())
            return header_signature(headers), headers
    return None, []


def _skip(sheet, reason: str) -> SheetReport:
    return SheetReport(sheet.name, used=False, kind="skipped", reason=reason)


def _plans(workbook, file_name: str, mapping: dict[str, str] | None, known_units=None):
    """(format name, plans, reports for skipped sheets)."""
    sheets = candidate_sheets(workbook)
    skipped = [_skip(s, "chart") for s in workbook.sheets if s not in sheets]
    fmt_name = "legacy"
    plans: list[tuple[object, layout.SheetPlan]] = []
    for sheet in sheets:
        match = None if mapping else detect_format(sheet.rows)
        if match:
            plan = layout.plan_sheet(sheet, file_name, mapping=match.mapping,
                                     header_row=match.header_row, data_start=match.data_start,
                                     known_units=known_units)
            if isinstance(plan, layout.SheetPlan):
                plan.channel = plan.channel or match.channel
                plan.word_scale = match.word_scale
                plan.date_order = match.date_order
                fmt_name = match.name
        else:
            plan = layout.plan_sheet(sheet, file_name, mapping=mapping, known_units=known_units)
        if isinstance(plan, str):
            skipped.append(_skip(sheet, plan))
        else:
            plans.append((sheet, plan))
    plans, copies = _drop_copies(plans)
    skipped += copies
    _units_from_sheet_names(plans)
    usable = []
    for sheet, plan in plans:
        if plan.kind == "records" and not layout.has_period(plan):
            skipped.append(_skip(sheet, "no_period"))
        elif plan.kind == "records" and not layout.has_content(plan):
            skipped.append(_skip(sheet, "no_content"))
        else:
            usable.append((sheet, plan))
    if usable and all(p.kind == "tally" for _, p in usable) and fmt_name == "legacy":
        fmt_name = "tally"
    return fmt_name, usable, skipped, plans


def _fingerprint(sheet, plan) -> int:
    rows = sheet.rows[plan.data_start:plan.data_end]
    return hash(tuple(tuple("" if v is None else str(v) for v in r) for r in rows if any(
        v not in (None, "") for v in r)))


def _drop_copies(plans):
    """A sheet that repeats an earlier sheet's rows ("Maalis (2)", a copy made before
    editing) loads once; the copy is reported, not loaded twice."""
    seen: dict[tuple, str] = {}
    kept, copies = [], []
    for sheet, plan in plans:
        n = plan.data_end - plan.data_start
        key = (n, _fingerprint(sheet, plan)) if n > 0 else None
        if key is not None and key in seen:
            report = _skip(sheet, "copy")
            report.copy_of = seen[key]
            copies.append(report)
            continue
        if key is not None:
            seen[key] = sheet.name
        kept.append((sheet, plan))
    return kept, copies


def _units_from_sheet_names(plans) -> None:
    """One sheet per unit: when several data sheets carry no unit column and their names
    are neither months nor generic, each name is that sheet's unit."""
    without = [(s, p) for s, p in plans if "unit" not in p.columns.values()]
    names = [layout.sheet_name_as_unit(s.name) for s, _ in without]
    if len(without) >= 2 and all(names) and len(set(names)) == len(names):
        for (s, p), name in zip(without, names):
            p.unit = layout.unit_from_text(name) or name
            p.unit_reason = ("detect_unit_sheet_per_unit", {"unit": p.unit, "text": s.name})


def _unknown(file_name: str, workbook, signature, headers, plans) -> ImportError_:
    plan = max((p for _, p in plans), key=lambda p: len(p.columns), default=None)
    missing = layout.missing_fields(plan)
    words = {"submitted_on": "layout_missing_submitted_on",
             "score|nps|comment|feedback_type": "layout_missing_content"}
    cols = ", ".join(headers) or "-"
    fi = t("layout_unknown", "fi", file=file_name, columns=cols,
           missing=", ".join(t(words[m], "fi") for m in missing))
    en = t("layout_unknown", "en", file=file_name, columns=cols,
           missing=", ".join(t(words[m], "en") for m in missing))
    return ImportError_(fi, en, file=file_name, code="unknown_layout",
                        details={"columns": headers, "missing": missing, "signature": signature,
                                 "samples": _samples(workbook)})


def _samples(workbook, n: int = 3) -> dict[str, list[str]]:
    """A few values under each header of the first sheet with a header, redacted, so the
    column picker can show what a column holds."""
    for sheet in candidate_sheets(workbook):
        i = layout.guess_header_row(sheet.rows)
        if i is None:
            continue
        out: dict[str, list[str]] = {}
        for c, header in layout.header_texts(sheet.rows[i]).items():
            vals = []
            for r in sheet.rows[i + 1:i + 60]:
                v = r[c] if c < len(r) else None
                if v not in (None, ""):
                    vals.append(sample_text(v))
                if len(vals) >= n:
                    break
            out[header] = vals
        return out
    return {}


def _column_samples(sheet, plan, n: int = 3) -> dict[str, list[str]]:
    """The first few filled values of every column the plan knows (mapped or not)."""
    out: dict[str, list[str]] = {}
    for c in sorted(set(plan.headers) | set(plan.columns) | set(plan.not_imported)):
        vals = []
        for r in sheet.rows[plan.data_start:plan.data_start + 200]:
            v = r[c] if c < len(r) else None
            if v not in (None, "") and not (isinstance(v, str) and not v.strip()):
                vals.append(sample_text(v))
                if len(vals) >= n:
                    break
        out[plan.headers.get(c) or layout.column_letter(c)] = vals
    return out


def unit_candidates(workbook, file_name: str, known: dict[str, str] | None = None) -> list[str]:
    """Names the file itself offers for its unit (title fragments, sheet names, the file
    name), for the question "which unit?" - never a fixed example."""
    from pathlib import PurePath

    from etl.detect.periods import is_period_name
    from etl.detect.unit_names import device_channel
    out: list[str] = []
    texts = [PurePath(file_name).stem.replace("_", " ")]
    for sheet in candidate_sheets(workbook):
        if not (layout.is_generic_sheet_name(sheet.name) or is_period_name(sheet.name)
                or device_channel(sheet.name)):
            texts.append(sheet.name)
        i = layout.guess_header_row(sheet.rows)
        if i:
            texts += [t for t in layout.title_text(sheet.rows, i).split(" | ") if t]
    for text in texts:
        name = layout.unit_from_text(text, known)
        if name and name not in out:
            out.append(name)
    return out[:5]


def parse_file(path, *, file_name: str | None = None, mapping: dict[str, str] | None = None,
               unit: str | None = None, progress: ProgressCallback | None = None,
               known_units: dict[str, str] | None = None, early=None) -> ParsedFile:
    """``known_units`` maps alias keys of the registry's units to their names: a registry
    name found in a title or a column is the unit, whatever else the text says. ``early``:
    see :func:`etl.read.template.parse_template` (only that path calls it)."""
    path = Path(path)
    file_name = file_name or path.name
    if not mapping:
        parsed = _template(path, file_name, progress, early)
        if parsed is not None:
            return parsed
    workbook = _read(path, file_name)
    if progress:
        progress(0.3, file_name)
    signature, headers = workbook_signature(workbook)
    profile = None
    if not mapping:
        profile = find_profile(signature)
        if profile:
            mapping = profile.columns
    fmt_name, usable, skipped, plans = _plans(workbook, file_name, mapping, known_units)
    if profile:
        fmt_name = f"profile:{profile.name}"
    elif mapping:
        fmt_name = "mapping"
    if not usable:
        raise _unknown(file_name, workbook, signature, headers, plans)
    if unit is None and not all(p.unit or "unit" in p.columns.values() for _, p in usable):
        candidates = unit_candidates(workbook, file_name, known_units)
        raise ImportError_(t("layout_no_unit", "fi", file=file_name), t("layout_no_unit", "en", file=file_name),
                           file=file_name, code="no_unit", details={"candidates": candidates})
    parts, answers, rejects, reports = [], [], [], []
    for k, (sheet, plan) in enumerate(usable):
        cols, sheet_answers, sheet_rejects = legacy.build_records(sheet, plan, default_unit=unit)
        parts.append(cols)
        answers += sheet_answers
        rejects += sheet_rejects
        decisions = ([plan.unit_reason] if plan.unit_reason and "unit" not in plan.columns.values() else [])
        reports.append(SheetReport(
            sheet.name, used=True, kind=plan.kind, header_row=plan.header_row + 1,
            columns={plan.headers.get(c) or layout.column_letter(c): f for c, f in plan.columns.items()},
            unit=plan.unit, period=plan.period.strftime("%Y-%m") if plan.period else None,
            rows=len(cols["month"]), decisions=decisions + list(plan.decisions),
            not_imported={plan.headers.get(c) or layout.column_letter(c): r
                          for c, r in plan.not_imported.items()},
            skipped_rows=dict(plan.skipped_rows), dates_assumed=plan.dates_assumed,
            samples=_column_samples(sheet, plan)))
        if progress:
            progress(0.3 + 0.6 * (k + 1) / len(usable), file_name)
    frame = legacy.canonical_frame(parts)
    if len(frame) == 0 and not rejects:
        raise ImportError_(t("layout_no_responses", "fi", file=file_name),
                           t("layout_no_responses", "en", file=file_name), file=file_name,
                           code="no_responses")
    order = {s.name: i for i, s in enumerate(workbook.sheets)}
    reports = sorted(reports + skipped, key=lambda r: order.get(r.name, 0))
    if progress:
        progress(1.0, file_name)
    return ParsedFile(file_name=file_name, format=fmt_name, frame=frame, answers=answers,
                      rejects=rejects, sheets=reports, header_signature=signature,
                      profile=profile.name if profile else None)
