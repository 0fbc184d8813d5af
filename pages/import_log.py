"""Import log: every batch, what each one left out, and a way back (Undo).

The rejected rows download as xlsx so a nurse can fix them in Excel and upload just the
corrected rows; the export goes through ``kokemus.export`` because the rows hold patient
free text that could otherwise run as a formula in Excel. Undo asks once more first: it
removes a whole file's rows from every view.
"""
from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from etl.pipeline import undo
from kokemus import auth, batches, config, db, plain
from kokemus.i18n import t
from kokemus.page_head import leave_notice, page_head
from kokemus.queries import format_number

log = logging.getLogger(__name__)

CONFIRM_KEY = "_log_confirm_undo"
NOTICE_KEY = "_log_notice"
SELECT_KEY = "log_batch"
# rows of the rejects table on the page; the download holds them all
SHOWN_REJECTS = 200


def batch_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The batches as the log shows them: translated headers and status words."""
    out = pd.DataFrame({
        t("log_col_batch", lang): frame["batch_id"],
        t("log_col_when", lang): pd.to_datetime(frame["imported_at"]).dt.strftime("%d.%m.%Y %H:%M"),
        t("log_col_who", lang): frame["imported_by"].fillna(""),
        t("log_col_file", lang): frame["file_name"],
        t("log_col_status", lang): frame["status"].map(lambda s: t(f"log_status_{s}", lang)),
        t("log_col_read", lang): frame["rows_read"],
        t("log_col_loaded", lang): frame["rows_loaded"],
        t("log_col_duplicate", lang): frame["rows_duplicate"],
        t("log_col_rejected", lang): frame["rows_rejected"],
        t("log_col_redactions", lang): frame["redactions"],
        t("log_col_new_units", lang): frame["new_units"],
    })
    return out


def draw_undo(batch: pd.Series, lang: str) -> None:
    batch_id = int(batch["batch_id"])
    if batch["status"] == "undone":
        st.caption(t("log_already_undone", lang, batch=batch_id))
        return
    if not auth.may_undo(batch["imported_by"] if pd.notna(batch["imported_by"]) else None):
        st.caption(t("auth_undo_not_yours", lang))
        return
    if st.session_state.get(CONFIRM_KEY) != batch_id:
        if st.button(t("log_undo", lang, batch=batch_id), key=f"log_undo::{batch_id}"):
            st.session_state[CONFIRM_KEY] = batch_id
            st.rerun()
        return
    st.warning(t("log_undo_confirm_text", lang, batch=batch_id, file=plain.md(batch["file_name"]),
                 n=int(batch["rows_loaded"])))
    yes, no = st.columns(2)
    if yes.button(t("log_undo_yes", lang), type="primary", key=f"log_undo_yes::{batch_id}"):
        st.session_state.pop(CONFIRM_KEY, None)
        try:
            removed = undo(batch_id, db_path=config.db_path())
            auth.record("undo", page="import_log", target=batch_id, rows=removed,
                        detail={"file": batch["file_name"], "imported_by": batch["imported_by"]})
            leave_notice(NOTICE_KEY, "success", t("log_undone", lang, batch=batch_id, n=removed))
        except db.WarehouseError as exc:
            leave_notice(NOTICE_KEY, "error", t("log_undo_failed", lang, batch=batch_id,
                                                error=exc.en if lang == "en" else exc.fi))
        except Exception as exc:  # noqa: BLE001 - plain words for the nurse, details in the log
            log.exception("undo of batch %s failed", batch_id)
            leave_notice(NOTICE_KEY, "error", t("log_undo_failed", lang, batch=batch_id,
                                                error=type(exc).__name__))
        st.rerun()
    if no.button(t("log_undo_no", lang), key=f"log_undo_no::{batch_id}"):
        st.session_state.pop(CONFIRM_KEY, None)
        st.rerun()


def draw_rejects(batch: pd.Series, lang: str) -> None:
    """The batch's rejects by reason and the first rows, each one short query however many
    rows were rejected; the full workbook is built only when the button is pressed."""
    batch_id = int(batch["batch_id"])
    st.header(t("log_rejects_heading", lang, batch=batch_id))
    scope, me = auth.allowed_unit_ids(), auth.uploader_name()
    summary = batches.reject_summary(batch_id, lang, config.db_path(), scope, me)
    if summary.empty:
        st.caption(t("log_no_rejects", lang))
        return
    total = int(summary["total"].sum())
    st.subheader(t("log_rejects_by_reason", lang))
    st.dataframe(batches.summary_table(summary, lang), hide_index=True)
    first = batches.rejected_rows(batch_id, lang, config.db_path(), scope, me, limit=SHOWN_REJECTS)
    if total > len(first):
        st.caption(t("log_rejects_first", lang, shown=format_number(len(first), lang=lang),
                     total=format_number(total, lang=lang)))
    st.dataframe(batches.rejects_table(first, lang, on_page=True), hide_index=True)
    st.download_button(
        t("log_download", lang), data=_audited_rejects(batch_id, lang, scope, me, total),
        file_name=batches.rejects_file_name(batch["file_name"], batch_id), key=f"log_download::{batch_id}",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
    )
    st.caption(t("log_download_help", lang))


def draw_duplicates(batch: pd.Series, lang: str) -> None:
    """Every row not loaded as a duplicate, with the batch it duplicates."""
    batch_id = int(batch["batch_id"])
    if not int(batch["rows_duplicate"]):
        return
    st.header(t("dup_heading", lang, batch=batch_id))
    rows = batches.duplicate_rows(batch_id, config.db_path(), auth.allowed_unit_ids(), auth.uploader_name())
    if rows.empty:   # a batch loaded before duplicates were recorded per row
        st.caption(t("dup_none", lang))
        return
    groups = rows.groupby(["duplicate_of", "duplicate_file", "reason"], dropna=False).size()
    for (of, file, reason), n in groups.items():
        st.text(t(f"dup_group_{reason}", lang, n=int(n), batch=int(of), file=file))
    st.dataframe(batches.duplicates_table(rows, lang), hide_index=True)


def _audited_rejects(batch_id: int, lang: str, scope, me, rows: int):
    """The rejects workbook is built when the button is pressed, and that is audited."""
    who = auth.actor()

    def build() -> bytes:
        data = batches.rejects_xlsx(batch_id, lang, config.db_path(), scope, me)
        auth.record("export", who=who, page="import_log", target=batch_id, rows=rows, format="xlsx",
                    detail={"what": "rejects"})
        return data
    return build


def main() -> None:
    lang = page_head("import_log", "log_title", "log_intro", notice_key=NOTICE_KEY)
    try:
        frame = batches.batches(config.db_path(), auth.allowed_unit_ids(), auth.uploader_name())
    except db.WarehouseError as exc:
        st.error(exc.en if lang == "en" else exc.fi)
        return
    if frame.empty:
        st.info(t("log_empty", lang))
        return
    st.dataframe(batch_table(frame, lang), hide_index=True)
    ids = frame["batch_id"].astype(int).tolist()
    by_id = {int(r["batch_id"]): r for _, r in frame.iterrows()}
    chosen = st.selectbox(
        t("log_select", lang), ids, key=SELECT_KEY,
        format_func=lambda b: t("log_batch_label", lang, batch=b, file=by_id[b]["file_name"],
                                when=pd.Timestamp(by_id[b]["imported_at"]).strftime("%d.%m.%Y %H:%M")))
    if chosen is None:
        return
    batch = by_id[int(chosen)]
    draw_rejects(batch, lang)
    draw_duplicates(batch, lang)
    draw_undo(batch, lang)


main()
