"""The dashboard's own CSS: contrast, phones and tablets.

Streamlit's theme settings cannot do these, so a small stylesheet is injected once per run
(``st.html`` of a constant: no value from a file or a user ever reaches it). Elements are
addressed by the ``st-key-<key>`` class Streamlit gives keyed containers, never by
generated class names, so a Streamlit upgrade does not silently undo it.
"""
from __future__ import annotations

PHONE_MAX_PX = 640

CSS = f"""
<style>
/* Captions and help text: Streamlit's grey is 4:1 on white; WCAG AA wants 4.5:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p {{ color: #3d4852 !important; }}
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}
/* Section headings are h2 (st.header) so no level is skipped after the h1; sized as h3. */
[data-testid="stMain"] h2, [data-testid="stSidebar"] h2 {{ font-size: 1.5rem; padding-top: 1rem; }}

/* Links in lists (recurring and rising themes, result links) wrap rather than end in "…". */
[data-testid="stPageLink"], [data-testid="stPageLink"] a {{ max-width: 100% !important; height: auto !important; }}
[data-testid="stPageLink"] a * {{ white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; max-width: 100%; }}

/* KPI tiles: one row of columns that wraps, three per row (two on a phone). */
.st-key-ov_tiles [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; row-gap: 1rem; }}
.st-key-ov_tiles [data-testid="stColumn"] {{
  flex: 1 1 calc(33.3% - 1rem) !important; min-width: calc(33.3% - 1rem) !important; }}
/* A labelled change may wrap rather than end in "…". */
[data-testid="stMetricDelta"] {{ max-width: 100% !important; height: auto !important;
  flex-wrap: wrap; }}
[data-testid="stMetricDelta"] * {{ white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; min-width: 0; max-width: 100%; }}

/* Comment cards are for phones; desktops read the table. */
.st-key-cm_cards {{ display: none; }}

/* The heatmap keeps readable squares: on a narrow screen it scrolls inside its box. */
.st-key-pr_heatmap_box {{ overflow-x: auto; }}

@media (max-width: {PHONE_MAX_PX}px) {{
  /* KPI tiles two per row instead of one long column. */
  .st-key-ov_tiles [data-testid="stHorizontalBlock"] {{ gap: 0.5rem; }}
  .st-key-ov_tiles [data-testid="stColumn"] {{
    flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;
    width: calc(50% - 0.5rem) !important; }}
  .st-key-ov_tiles [data-testid="stMetricValue"] {{ font-size: 1.6rem; }}
  .st-key-pr_heatmap_box [data-testid="stElementContainer"],
  .st-key-pr_heatmap_box [data-testid="stPlotlyChart"] {{ min-width: 720px !important; }}
  .st-key-cm_cards {{ display: block; }}
  .st-key-cm_table_box {{ display: none; }}
  /* Nothing may push the page sideways. */
  [data-testid="stMain"] {{ overflow-x: hidden; }}
  [data-testid="stMainBlockContainer"] {{ padding-left: 0.75rem; padding-right: 0.75rem; }}
}}
</style>
"""


def inject() -> None:
    import streamlit as st

    st.html(CSS)


# Streamlit's file uploader marks its drop zone role="presentation" yet gives it a label
# (axe: presentation-role-conflict). The zone is a labelled region; this drops the
# conflicting role in the parent page. The script is a constant, the iframe has no size.
_DROPZONE_FIX = """
<script>
const doc = window.parent.document;
const fix = () => doc.querySelectorAll('[data-testid="stFileUploaderDropzone"][role="presentation"]')
  .forEach(e => { e.setAttribute('role', 'group'); });
fix();
new MutationObserver(fix).observe(doc.body, {childList: true, subtree: true});
</script>
"""


def fix_file_uploader() -> None:
    """Call once on a page that has a file uploader."""
    import streamlit.components.v1 as components

    components.html(_DROPZONE_FIX, height=0)
