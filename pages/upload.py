"""Upload page: a nurse drops spreadsheets, sees what would happen, imports, can undo later.

Every file goes through the ETL's own ``preview_file`` / ``import_file`` so the page can
never load differently from the CLI. Nothing is written before the Import button; each
file is one batch that loads completely or not at all. Text from the file (comments, unit
names, cell values) is shown only in tables or escaped, never as markdown or HTML.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.pipeline import BatchResult, import_file, known_units, preview_file, remember_profile
from kokemus import auth, batches, config, filters, upload_files, upload_tables
from kokemus import plain
from kokemus.i18n import catalogue, t
from kokemus.reject_reasons import reason_text

log = logging.getLogger(__name__)

STATE_KEY = "_upload_files"
DIR_KEY = "_upload_dir"
# Session key of a file's chosen mapping {column: field}; the editor edits on top of it.
MAPPING_KEY = "upload_mapping::{fid}"
FIELDS = ("submitted_on", "month", "unit", "service_area", "channel", "language", "score", "nps",
          "feedback_type", "comment", "wants_reply", "external_id", "question", "ignore")
NOT_USED = ""
IGNORE = "ignore"  # the one "do not import this column" choice of the mapping editor
_FIELD_ALIASES = {"unit_name": "unit", "raw_score": "score", "score_5": "score"}
PREVIEW_ROWS = 20
EXAMPLES_PER_REASON = 3
# A suggestion this close is pre-selected; below it "new unit" is, so neither a merge nor
# a new ward happens without the nurse seeing it.
SAME_UNIT_SCORE = 90.0


@dataclass
class FileState:
    """What the page remembers about one uploaded file across reruns."""
    display_name: str
    stored: upload_files.StoredUpload | None = None
    refused: upload_files.UploadRejected | None = None
    mapping: dict[str, str] | None = None
    unit: str | None = None
    preview: BatchResult | None = None
    preview_key: str | None = None
    result: BatchResult | None = None
    profile_message: str | None = None
    unit_links: list[tuple[str, dict]] = field(default_factory=list)  # (label, Trends query)


# ----------------------------------------------------------------------------- pure helpers

def field_of(value: object) -> str:
    """A field as the mapping editor shows it ('question:x' -> 'question')."""
    text = str(value or "")
    if text.startswith("question:"):
        return "question"
    text = _FIELD_ALIASES.get(text, text)
    return text if text in FIELDS else NOT_USED


def detected_columns(result: BatchResult) -> dict[str, str]:
    """Source column -> field the ETL chose (or guessed, for an unknown layout)."""
    columns: dict[str, str] = {}
    if result.parsed is not None:
        for sheet in result.parsed.sheets:
            if sheet.used:
                for column, fld in sheet.columns.items():
                    columns.setdefault(str(column), str(fld or ""))
                for column in sheet.not_imported:  # a column left out can be taken in
                    columns.setdefault(str(column), "")
        return columns
    raw = result.error_details.get("columns")
    if isinstance(raw, dict):
        return {str(k): str(v or "") for k, v in raw.items()}
    if isinstance(raw, (list, tuple)):
        return {str(c): "" for c in raw if c is not None and str(c).strip()}
    return columns


def column_samples(result: BatchResult) -> dict[str, str]:
    """Column -> "value · value · value" (redacted by the ETL) for the mapping editor."""
    raw: dict[str, list[str]] = {}
    if result.parsed is not None:
        for sheet in result.parsed.sheets:
            for column, values in (sheet.samples or {}).items():
                raw.setdefault(str(column), list(values))
    for column, values in (result.error_details.get("samples") or {}).items():
        raw.setdefault(str(column), [str(v) for v in values])
    return {c: " · ".join(v) for c, v in raw.items()}


def mapping_frame(columns: dict[str, str], chosen: dict[str, str] | None,
                  samples: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per column: its name, a few of its values, and what it is read as - a
    column nothing reads shows the one "do not import" choice."""
    chosen = chosen or {}
    samples = samples or {}
    rows = [{"column": c, "samples": samples.get(c, ""), "field": field_of(chosen.get(c, f)) or IGNORE}
            for c, f in columns.items()]
    return pd.DataFrame(rows, columns=["column", "samples", "field"])


def mapping_from_frame(frame: pd.DataFrame, detected: dict[str, str] | None = None) -> dict[str, str]:
    """Editor rows -> the mapping the ETL takes. "Do not import" is sent for a column the
    ETL would read; for one it leaves out already, nothing needs saying."""
    detected = detected or {}
    out: dict[str, str] = {}
    for column, fld in zip(frame["column"], frame["field"]):
        fld = "" if fld is None or (isinstance(fld, float) and fld != fld) else str(fld)
        if not fld or (fld == IGNORE and not field_of(detected.get(str(column)))):
            continue
        out[str(column)] = f"question:{column}" if fld == "question" else fld
    return out


def is_unknown_layout(result: BatchResult) -> bool:
    return result.status == "failed" and "columns" in result.error_details


def reject_summary(result: BatchResult, lang: str) -> pd.DataFrame:
    """Rejects grouped by reason, biggest group first, with the first few examples."""
    groups: dict[str, dict] = {}
    for r in result.rejects:
        reason = reason_text(r.code, r.fi, r.en, lang)
        g = groups.setdefault(r.code, {"reason": reason, "count": 0, "examples": []})
        g["count"] += 1
        if len(g["examples"]) < EXAMPLES_PER_REASON:
            g["examples"].append(t("upload_reject_example", lang, sheet=r.sheet or "-",
                                   row=r.row if r.row is not None else "-",
                                   column=r.column or "-",
                                   value=plain.cell(r.value, lang)[:80]))
    rows = sorted(groups.values(), key=lambda g: -g["count"])
    return pd.DataFrame({
        t("log_col_reason", lang): [g["reason"] for g in rows],
        t("log_col_rejected", lang): [g["count"] for g in rows],
        t("log_col_value", lang): [" · ".join(g["examples"]) for g in rows],
    })


def sheets_frame(result: BatchResult, lang: str) -> pd.DataFrame:
    return upload_tables.sheets_table(result.parsed.sheets if result.parsed else [], lang)


def first_rows(result: BatchResult, lang: str = "fi") -> pd.DataFrame:
    frame = result.parsed.frame if result.parsed is not None else None
    return upload_tables.first_rows_table(frame, lang, PREVIEW_ROWS)


def result_links(batch_id: int | None, lang: str) -> list[tuple[str, dict]]:
    """(label, Trends query) per unit the batch loaded, under the unit's stored name (the
    file may spell it differently) and over the months it loaded - not the default view."""
    if batch_id is None:
        return []
    try:
        extent = batches.batch_extent(batch_id, config.db_path(), auth.allowed_unit_ids())
    except Exception:  # noqa: BLE001 - the import itself succeeded; the log still links
        log.warning("reading what batch %s loaded failed", batch_id, exc_info=True)
        return []
    links = []
    for row in extent.itertuples(index=False):
        first, last = pd.Timestamp(row.first_month).date(), pd.Timestamp(row.last_month).date()
        period = upload_tables.month_text(first, lang)
        if last != first:
            period += " – " + upload_tables.month_text(last, lang)
        label = t("upload_open_trends_period", lang, unit=plain.md(row.unit), period=period)
        links.append((label, {"period": "custom", "from": filters.month_key(first),
                              "to": filters.month_key(last), "unit": [row.unit]}))
    return links


def save_profile(signature: str | None, mapping: dict[str, str], file_name: str,
                 batch_id: int | None = None) -> bool:
    """Remember the nurse's mapping under the header signature so the same layout imports
    without asking next time. The ETL owns the profile store (and undo of the batch removes
    the profile again); the page hands over the choice."""
    if not signature or not mapping or batch_id is None:
        return False
    return remember_profile(batch_id, signature, mapping, f"{Path(file_name).stem}-{signature[:8]}",
                            db_path=config.db_path()) is not None


def decisions_frame(result: BatchResult, lang: str) -> pd.DataFrame:
    """Every detection decision with its reason, one line each, as plain table text."""
    rows = []
    for s in result.parsed.sheets if result.parsed else []:
        for key, params in s.decisions:
            rows.append({t("account_col_sheet", lang): s.name, t("account_col_decision", lang): t(key, lang, **params)})
    return pd.DataFrame(rows, columns=[t("account_col_sheet", lang), t("account_col_decision", lang)])


def not_imported_frame(result: BatchResult, lang: str) -> pd.DataFrame:
    """Every column, sheet and row group that does not land in the warehouse, with why."""
    rows = []
    for s in result.parsed.sheets if result.parsed else []:
        if s.copy_of:
            rows.append((s.name, s.name, t("account_copy", lang, original=s.copy_of)))
        for column, why in s.not_imported.items():
            rows.append((s.name, column, t(f"account_{why}", lang)))
        for why, n in s.skipped_rows.items():
            rows.append((s.name, t("account_rows", lang, n=n), t(f"rows_{why}", lang)))
    cols = [t("account_col_sheet", lang), t("account_col_what", lang), t("account_col_why", lang)]
    return pd.DataFrame(rows, columns=cols)


def column_choices(result: BatchResult) -> tuple[list[str], dict[str, list[str]]]:
    columns = [c for c in detected_columns(result)]
    samples = result.error_details.get("samples") or {}
    return columns, {str(k): [str(v) for v in vs] for k, vs in samples.items()}


def field_for_content(samples: list[str]) -> str:
    """The chosen column for "score or comment": free text is the comment."""
    return "comment" if any(" " in v and len(v) > 10 for v in samples) else "score"


def unit_options(result: BatchResult) -> list[str]:
    """The file's own candidates first, then every unit the registry knows."""
    names = list(result.error_details.get("candidates") or [])
    try:
        registry = sorted(set(known_units(config.db_path()).values()))
    except Exception:  # noqa: BLE001 - no warehouse yet
        registry = []
    return list(dict.fromkeys(names + registry))


def who_imports() -> str | None:
    """The signed-in account (undo is theirs), else the OIDC e-mail, else the OS user."""
    if auth.uploader_name():
        return auth.uploader_name()
    try:
        if st.user.is_logged_in:
            return st.user.get("email") or st.user.get("name")
    except Exception:  # noqa: BLE001 - no auth configured: the ETL records the OS user
        pass
    return None


# ------------------------------------------------------------------------------ session

def upload_dir() -> Path:
    d = st.session_state.get(DIR_KEY)
    if d is None or not Path(d).is_dir():
        d = upload_files.private_dir()
        st.session_state[DIR_KEY] = d
    return Path(d)


def file_states(uploaded) -> dict[str, FileState]:
    """Keep state for the files still in the uploader; forget and delete the others."""
    states: dict[str, FileState] = st.session_state.setdefault(STATE_KEY, {})
    present = {f.file_id for f in uploaded}
    for fid in list(states):
        if fid not in present:
            if states[fid].stored:
                upload_files.discard(states[fid].stored.path)
            del states[fid]
    for f in uploaded:
        if f.file_id in states:
            continue
        state = FileState(display_name=upload_files.display_name(f.name))
        try:
            state.stored = upload_files.store(f.getvalue(), f.name, upload_dir())
        except upload_files.UploadRejected as exc:
            state.refused = exc
        states[f.file_id] = state
    return states


def ensure_preview(fid: str, state: FileState, lang: str) -> BatchResult:
    key = json.dumps([state.mapping, state.unit], sort_keys=True, ensure_ascii=False)
    if state.preview is None or state.preview_key != key:
        with st.spinner(t("upload_previewing", lang, file=plain.md(state.display_name))):
            state.preview = preview_file(state.stored.path, file_name=state.display_name,
                                         mapping=state.mapping, unit=state.unit,
                                         db_path=config.db_path())
        state.preview_key = key
    return state.preview


# ------------------------------------------------------------------------------- drawing

def error_text(result: BatchResult, lang: str) -> str:
    text = (result.error_en if lang == "en" else result.error_fi) or result.error_fi or ""
    return text or t("upload_failed", lang)


def draw_layout(result: BatchResult, lang: str) -> None:
    st.markdown("**" + t("upload_layout_heading", lang) + "**")
    fmt_key = f"upload_format_{result.format}"
    fmt = t(fmt_key, lang) if fmt_key in catalogue() else str(result.format)
    st.markdown(t("upload_format", lang, format=plain.md(fmt)))
    if result.parsed is not None and result.parsed.profile:
        st.caption(t("upload_profile_used", lang, profile=plain.md(result.parsed.profile)))
    sheets = sheets_frame(result, lang)
    if not sheets.empty:
        st.dataframe(sheets, hide_index=True)


def draw_mapping(fid: str, state: FileState, result: BatchResult, lang: str) -> None:
    """The column -> field editor; applying it previews again with the new mapping."""
    columns = detected_columns(result)
    if not columns:
        return
    st.markdown("**" + t("upload_mapping_heading", lang) + "**")
    st.caption(t("upload_mapping_help", lang))
    mapping_key = MAPPING_KEY.format(fid=fid)
    base = st.session_state.get(mapping_key, state.mapping)
    edited = st.data_editor(
        mapping_frame(columns, base, column_samples(result)), hide_index=True, key=f"upload_editor::{fid}",
        disabled=["column", "samples"], num_rows="fixed",
        column_config={
            "column": st.column_config.TextColumn(t("upload_col_column", lang)),
            "samples": st.column_config.TextColumn(t("upload_col_samples", lang),
                                                   help=t("upload_col_samples_help", lang)),
            "field": st.column_config.SelectboxColumn(
                t("upload_col_field", lang), options=list(FIELDS), required=True,
                format_func=lambda v: t(f"field_{v}", lang)),
        })
    unit = st.text_input(t("upload_unit_for_file", lang), value=state.unit or "",
                         key=f"upload_unit::{fid}")
    remember = st.checkbox(t("upload_save_profile", lang), value=True, key=f"upload_remember::{fid}")
    if st.button(t("upload_repreview", lang), key=f"upload_repreview::{fid}"):
        state.mapping = mapping_from_frame(edited, columns) or None
        state.unit = unit.strip() or None
        st.session_state[f"upload_wants_profile::{fid}"] = remember
        st.rerun()


def draw_unit_question(fid: str, state: FileState, result: BatchResult, lang: str) -> None:
    """No unit anywhere in the file: ask for it on the spot (registry units or a new name)."""
    st.markdown("**" + t("ask_unit_heading", lang) + "**")
    st.caption(t("ask_unit_help", lang))
    picked = st.selectbox(t("ask_unit_label", lang), unit_options(result), index=None,
                          placeholder=t("ask_unit_placeholder", lang), accept_new_options=True,
                          key=f"upload_askunit::{fid}")
    typed = st.text_input(t("ask_unit_new", lang), key=f"upload_askunit_new::{fid}")
    answer = " ".join(str(typed or picked or "").split())
    if st.button(t("ask_apply", lang), key=f"upload_askunit_apply::{fid}", disabled=not answer):
        state.unit = answer
        st.rerun()


def draw_column_question(fid: str, state: FileState, result: BatchResult, lang: str) -> None:
    """A field the file does not reveal: one picker of its columns, each with sample values."""
    missing = result.error_details.get("missing") or []
    if not missing:
        return
    need = "submitted_on" if "submitted_on" in missing else "content"
    columns, samples = column_choices(result)
    taken = set((state.mapping or {}).keys())
    options = [c for c in columns if c not in taken]
    st.markdown("**" + t("ask_column_heading", lang, field=t(f"ask_field_{need}", lang)) + "**")
    picked = st.selectbox(
        t("upload_col_column", lang), options, index=None, placeholder=t("ask_column_placeholder", lang),
        key=f"upload_askcol::{fid}::{need}",
        format_func=lambda c: t("ask_column_option", lang, column=c,
                                samples=", ".join(samples.get(c, [])[:3]) or "–"))
    if st.button(t("ask_apply", lang), key=f"upload_askcol_apply::{fid}", disabled=picked is None):
        fld = "submitted_on" if need == "submitted_on" else field_for_content(samples.get(picked, []))
        state.mapping = {**(state.mapping or {}), picked: fld}
        st.rerun()


def draw_accounting(result: BatchResult, lang: str) -> None:
    """Why each decision was taken, and everything that will not be imported."""
    decisions = decisions_frame(result, lang)
    if not decisions.empty:
        st.dataframe(decisions, hide_index=True)
    st.markdown("**" + t("account_not_imported_heading", lang) + "**")
    missing = not_imported_frame(result, lang)
    if missing.empty:
        st.caption(t("account_everything", lang))
    else:
        st.dataframe(missing, hide_index=True)


def draw_summary(result: BatchResult, lang: str) -> None:
    st.markdown("**" + t("upload_summary_heading", lang) + "**")
    cols = st.columns(5)
    cols[0].metric(t("upload_metric_to_load", lang), result.rows_loaded)
    cols[1].metric(t("upload_metric_duplicates", lang), result.rows_duplicate)
    cols[2].metric(t("upload_metric_rejected", lang), result.rows_rejected)
    cols[3].metric(t("upload_metric_cells", lang), result.cells_rejected)
    cols[4].metric(t("upload_metric_redacted", lang), result.redactions)
    for note in result.duplicate_notes(lang):
        st.text(note)   # names a file: plain text
    if result.dates_assumed:
        st.metric(t("upload_metric_assumed", lang), result.dates_assumed)
    if result.mostly_rejected:
        st.warning(t("upload_mostly_rejected", lang, rejected=result.rows_rejected, read=result.rows_read))
    st.markdown("**" + t("upload_rejects_heading", lang) + "**")
    if result.rejects:
        st.dataframe(reject_summary(result, lang), hide_index=True)
    else:
        st.caption(t("upload_no_rejects", lang))


def preselect(suggestions: list[tuple[str, float]]) -> int | None:
    """Index to pre-select among [new unit, *suggestions]: the best suggestion only when it
    is clearly the same unit and no other candidate ties with it; otherwise the nurse
    chooses (None) - never a guess between two wards."""
    if not suggestions:
        return 0
    best = suggestions[0][1]
    if len(suggestions) > 1 and suggestions[1][1] == best:
        return None
    return 1 if best >= SAME_UNIT_SCORE else 0


UNCHOSEN = "\x00unchosen"


def draw_unit_check(fid: str, result: BatchResult, lang: str) -> dict[str, str]:
    """Unknown unit names: close matches to pick from, or a deliberate new unit. A name
    still to be chosen maps to UNCHOSEN, and the import waits for it."""
    choices: dict[str, str] = {}
    if not result.new_units:
        return choices
    st.markdown("**" + t("upload_units_heading", lang) + "**")
    brand_new = []
    for i, name in enumerate(result.new_units):
        suggestions = result.unit_suggestions.get(name) or []
        if not suggestions:
            brand_new.append(name)
            continue
        scores = dict(suggestions)
        NEW = "\x00new"
        options = [NEW, *[u for u, _ in suggestions]]
        index = preselect(suggestions)
        if index is None:
            st.caption(t("upload_unit_tie", lang))
        picked = st.selectbox(
            t("upload_unit_choice", lang, name=plain.md(name)), options,
            index=index, key=f"upload_unitpick::{fid}::{i}",
            format_func=lambda u: t("upload_unit_new", lang) if u == NEW else
            t("upload_unit_suggestion", lang, unit=u, score=round(scores[u])))
        if picked is None:
            choices[name] = UNCHOSEN
        elif picked == NEW:
            brand_new.append(name)
        else:
            choices[name] = picked
    if brand_new:
        st.info(t("upload_units_new", lang, units=", ".join(plain.md(n) for n in brand_new)))
    return choices


def run_import(fid: str, state: FileState, choices: dict[str, str], lang: str) -> None:
    bar = st.progress(0.0, text=t("upload_importing", lang, file=plain.md(state.display_name)))

    def progress(fraction: float, _message: str = "") -> None:
        bar.progress(max(0.0, min(1.0, float(fraction))),
                     text=t("upload_importing", lang, file=plain.md(state.display_name)))

    result = import_file(state.stored.path, file_name=state.display_name, mapping=state.mapping,
                         unit=state.unit, unit_choices=choices or None, db_path=config.db_path(),
                         imported_by=who_imports(), progress=progress)
    state.result = result
    auth.record("import", page="upload", target=result.batch_id, rows=result.rows_loaded,
                detail={"file": state.display_name, "status": result.status})
    if result.status == "loaded":
        state.unit_links = result_links(result.batch_id, lang)
        wants_profile = st.session_state.get(f"upload_wants_profile::{fid}", True)
        if state.mapping and wants_profile:
            signature = (state.preview.parsed.header_signature if state.preview and state.preview.parsed
                         else None) or (state.preview.error_details.get("signature") if state.preview else None)
            try:
                if save_profile(signature, state.mapping, state.display_name, result.batch_id):
                    state.profile_message = t("upload_profile_saved", lang)
            except Exception as exc:  # noqa: BLE001 - the import itself succeeded
                log.warning("saving mapping profile failed: %s", exc)
                state.profile_message = t("upload_profile_not_saved", lang, error=type(exc).__name__)
    if result.status in ("loaded", "already_imported"):
        upload_files.discard(state.stored.path)
    st.rerun()


def draw_result(state: FileState, lang: str) -> None:
    result = state.result
    if result.status == "failed":
        st.error(t("upload_failed", lang) + " " + plain.md(error_text(result, lang)))
        return
    if result.status == "already_imported":
        st.info(t("upload_already", lang, batch=result.batch_id))
        return
    st.success(t("upload_done", lang, file=plain.md(state.display_name)))
    st.markdown(t("upload_result_counts", lang, batch=result.batch_id, loaded=result.rows_loaded,
                  duplicates=result.rows_duplicate, rejected=result.rows_rejected))
    if result.new_units:
        st.markdown(t("upload_result_new_units", lang,
                      units=", ".join(plain.md(u) for u in result.new_units)))
    if state.profile_message:
        st.caption(state.profile_message)
    for label, query in state.unit_links[:8]:
        page_link("pages/trends.py", label, query)
    page_link("pages/import_log.py", t("upload_open_log", lang), None)


def page_link(page: str, label: str, query: dict | None) -> None:
    """st.page_link when the dashboard's navigation knows the page; a plain relative link
    otherwise (e.g. the page run on its own)."""
    try:
        st.page_link(page, label=label, query_params=query)
    except Exception:  # noqa: BLE001 - StreamlitAPIException: page not registered
        from urllib.parse import urlencode

        from kokemus.filters import URL_PATHS
        stem = Path(page).stem
        target = URL_PATHS.get(stem, stem) + (("?" + urlencode(query, doseq=True)) if query else "")
        st.markdown(f"[{label}]({target})")


def draw_file(fid: str, state: FileState, lang: str) -> None:
    st.subheader(plain.md(state.display_name))
    if state.refused is not None:
        st.error(t(state.refused.code, lang, **state.refused.params))
        return
    if state.result is not None:
        draw_result(state, lang)
        return
    result = ensure_preview(fid, state, lang)
    if result.status == "failed":
        if result.error_details.get("code") == "no_unit":
            draw_unit_question(fid, state, result, lang)
        elif is_unknown_layout(result):
            st.warning(t("upload_unknown_layout", lang))
            missing = result.error_details.get("missing") or []
            if missing:
                st.caption(t("upload_missing_fields", lang, fields=", ".join(
                    t(f"field_{field_of(m) or m}", lang) for m in missing)))
            draw_column_question(fid, state, result, lang)
            with st.expander(t("ask_more_columns", lang), expanded=bool(state.mapping)):
                draw_mapping(fid, state, result, lang)
        else:
            st.error(plain.md(error_text(result, lang)))
            upload_files.discard(state.stored.path)   # nothing more to do with it: not kept
        return
    draw_layout(result, lang)
    draw_accounting(result, lang)
    with st.expander(t("upload_mapping_heading", lang), expanded=bool(state.mapping)):
        draw_mapping(fid, state, result, lang)
    st.markdown("**" + t("upload_rows_heading", lang) + "**")
    st.dataframe(first_rows(result, lang), hide_index=True)
    draw_summary(result, lang)
    choices = draw_unit_check(fid, result, lang)
    if result.rows_loaded <= 0:
        st.info(t("upload_nothing_to_load", lang))
        return
    waiting = UNCHOSEN in choices.values()
    if waiting:
        st.caption(t("upload_unit_choose_first", lang))
    if st.button(t("upload_confirm", lang, file=plain.md(state.display_name)), type="primary",
                 key=f"upload_confirm::{fid}", disabled=waiting):
        run_import(fid, state, {k: v for k, v in choices.items() if v != UNCHOSEN}, lang)


def main() -> None:
    lang = st.session_state.get("lang", "fi")
    auth.require_page("upload")
    st.title(t("upload_title", lang))
    st.write(t("upload_intro", lang))
    allowed = [e.lstrip(".") for e in upload_files.ALLOWED_EXTENSIONS]
    uploaded = st.file_uploader(
        t("upload_uploader", lang), type=allowed, accept_multiple_files=True, key="upload_files",
        max_upload_size=config.max_upload_mb(),
        help=t("upload_uploader_help", lang, allowed=", ".join(upload_files.ALLOWED_EXTENSIONS),
               limit=config.max_upload_mb())) or []
    states = file_states(uploaded)
    for f in uploaded:
        state = states[f.file_id]
        with st.container(border=True):
            try:
                draw_file(f.file_id, state, lang)
            except Exception:  # noqa: BLE001 - a person sees plain words, the log the details
                log.exception("upload page failed for %s", state.display_name)
                st.error(t("upload_unexpected", lang, file=plain.md(state.display_name)))


main()
