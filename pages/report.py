"""Raportti: the bi-monthly management review pack, as PDF, Excel and printable HTML.

Defaults to the last two full months against the two before; the same pack comes from
`python -m etl report`. Everything is built by kokemus.report; this page only asks and
offers the files.
"""
from __future__ import annotations

import time

import streamlit as st

from kokemus import access, auth, cached, filters
from kokemus import report
from kokemus.i18n import LANGUAGES, t
from kokemus.report import content, render

lang = st.session_state.get("lang", "fi")
auth.require_page("report")
st.title(t("rep_title", lang))
if not access.can("view_report"):
    st.warning(t("rp_no_access", lang))
    st.stop()
options = cached.filter_options()
if options.last_month is None:
    st.info(t("warehouse_empty", lang))
    st.stop()
st.markdown(t("rep_page_caption", lang))

months = [filters.month_key(m) for m in options.month_range()]
start, end = report.default_period(options.last_month)
cols = st.columns([1, 1, 2, 1])
first = cols[0].selectbox(t("rep_from", lang), months, index=months.index(filters.month_key(start))
                          if filters.month_key(start) in months else 0, key="rep_from")
last = cols[1].selectbox(t("rep_to", lang), months, index=months.index(filters.month_key(end))
                         if filters.month_key(end) in months else len(months) - 1, key="rep_to")
level = cols[2].radio(t("rep_level", lang), report.LEVELS, index=1, horizontal=True, key="rep_level",
                      format_func=lambda x: t(f"rep_level_{x}", lang))
pack_lang = cols[3].selectbox(t("rep_language", lang), LANGUAGES, index=LANGUAGES.index(lang), key="rep_lang",
                              format_func=lambda x: t(f"ui_lang_{x}", lang))

if st.button(t("rep_make", lang), type="primary", key="rep_make"):
    a, b = sorted((filters.parse_month(first), filters.parse_month(last)))
    started = time.perf_counter()
    with st.spinner(t("rep_making", lang)):
        data = report.build(a, b, level=level, lang=pack_lang, allowed=access.allowed_unit_ids())
        st.session_state["rep_pack"] = render.make(data, render.FORMATS, started=started)

def _audited(data: bytes, fmt: str):
    """The pack holds patient comments: each download is audited when it is taken."""
    who = auth.actor()

    def give() -> bytes:
        auth.record("export", who=who, page="report", format=fmt, detail={"what": "review pack"})
        return data
    return give


pack = st.session_state.get("rep_pack")
if pack is not None:
    st.success(t("rep_made", lang, seconds=f"{pack.seconds:.1f}".replace(".", "," if lang != "en" else ".")))
    mimes = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "html": "text/html"}
    dl = st.columns(3)
    for column, fmt in zip(dl, render.FORMATS):
        column.download_button(t(f"rep_download_{fmt}", lang), data=_audited(pack.files[fmt], fmt), key=f"rep_dl_{fmt}",
                               file_name=render.file_name(pack.data, fmt), mime=mimes[fmt], on_click="ignore")
    with st.expander(t("rep_preview_all", lang), expanded=True):
        for section in pack.sections:
            st.header(section.heading)
            for table in section.tables:
                if table.caption != section.heading:
                    st.text(table.caption)
                shown = table.frame.map(lambda v: content.cell(v, pack.data.lang))  # as printed
                st.dataframe(shown, hide_index=True, width="stretch")
            for line in section.lines:
                st.text(line)
            for caption, png in section.charts:
                st.image(png, caption=caption)
