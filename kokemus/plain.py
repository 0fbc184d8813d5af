"""Values from files shown as text, never as formatting.

Streamlit renders Markdown (and its own directives: ``:red[...]``, ``:material/x:``, ``$x$``
LaTeX, emoji shortcodes, images) in headings, alerts, captions, toasts, button and widget
labels, expander, tab and page-link labels and radio options. A unit called
``![x](http://host/x.png)`` would make every viewer's browser fetch that URL, so every value
that came from a file (file, unit, sheet and service-area names, comments, profile names) goes
through :func:`md` before it is put into such a string. CommonMark lets any ASCII punctuation
be escaped with a backslash, so escaping all of it is exact: nothing is lost, nothing renders.
Plotly titles and hover texts take a small HTML subset (``<b>``, ``<a href>``), so chart
texts go through :func:`chart`; download names through :func:`download_name`. A rejected
cell's value is shown through :func:`cell`, so an empty cell reads as the word for empty
rather than "None" or nothing at all.
"""
from __future__ import annotations

import html
import re
import unicodedata

from kokemus.i18n import t

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")
_UNSAFE_FILE_CHARS = re.compile(r"[^\w.\- ]+")


def _one_line(value: object) -> str:
    text = "" if value is None else str(value)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" and ch != " " else ch for ch in text)
    return _SPACE.sub(" ", text).strip()


def md(value: object) -> str:
    """``value`` as literal text inside Markdown: one line, every punctuation mark escaped."""
    return _PUNCTUATION.sub(r"\\\1", _one_line(value))


def chart(value: object) -> str:
    """``value`` as literal text in a plotly title, label or hover text."""
    return html.escape(_one_line(value), quote=True)


def download_name(value: object, fallback: str = "kokemus") -> str:
    """A file name safe for a download: letters, digits, '.', '-', '_' and spaces only."""
    text = _UNSAFE_FILE_CHARS.sub("_", _one_line(value)).strip(" ._")
    return text[:100] or fallback


def cell(value: object, lang: str) -> str:
    """A cell's value as a nurse reads it in a reject message: as written, or "(tyhjä)"
    ("(tom)", "(empty)") for an empty cell (None, NaN, blank)."""
    try:
        missing = value is None or bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas' NA has no truth value
        missing = True
    if missing or not str(value).strip():
        return t("reject_value_empty", lang)
    return str(value)
