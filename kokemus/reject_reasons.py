"""The reader's-language text of a reject reason.

Each stored reject carries its reason in fi and en only (``rejected_rows.reason_fi`` /
``reason_en``, ``etl.contract.Reject``), so older batches keep showing what they said when
they were imported. The catalogue (``messages/reject_reasons.toml`` and the layout readers'
``layout_reject_*``) adds Swedish: a stored reason whose fi or en text is a catalogue entry
of its code is shown from that entry; any other text (an older wording, a reader's own) is
shown as stored, Finnish standing in for Swedish as everywhere in the catalogue.
"""
from __future__ import annotations

from functools import lru_cache

from kokemus.i18n import catalogue

# how a code's entries are named: the values parser's text, a reader's row / cell variant,
# and the layout readers' own keys
_KEYS = ("reject_reason_{}", "reject_reason_{}_row", "reject_reason_{}_cell", "layout_reject_{}")


@lru_cache(maxsize=4096)
def reason_text(code: str | None, fi: str | None, en: str | None, lang: str) -> str:
    """The reason of one reject in ``lang`` (fi | sv | en)."""
    stored = (en if lang == "en" else fi) or fi or en or ""
    if lang not in ("sv",) or not code:
        return stored
    messages = catalogue()
    for pattern in _KEYS:
        entry = messages.get(pattern.format(code))
        if entry and ((fi and entry.get("fi") == fi) or (en and entry.get("en") == en)):
            return entry.get(lang) or stored
    return stored


__all__ = ["reason_text"]
