"""The audit log's ``detail`` (stored as JSON with English keys) as text an administrator
reads: "rooli: Esihenkilö; yksiköt: Osasto 3A, Osasto 5B".

Known keys come from the catalogue (``messages/audit_detail.toml``), unknown ones show as
stored, so nothing recorded is hidden. The result is plain text for a table cell and the
export, never Markdown: file and unit names inside it came from users.
"""
from __future__ import annotations

import json
from typing import Any

from kokemus.i18n import catalogue, t

EMPTY = "–"


def _key(key: str, lang: str) -> str:
    name = f"au_detail_{key}"
    return t(name, lang) if name in catalogue() else key


def _value(key: str, value: Any, lang: str) -> str:
    from kokemus.export import boolean_word
    if value is None or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return boolean_word(value, lang)
    if isinstance(value, dict):
        return "(" + ", ".join(f"{_key(k, lang)}: {_value(k, v, lang)}" for k, v in value.items()) + ")"
    if isinstance(value, list):
        return ", ".join(_value(key, v, lang) for v in value)
    if key == "role" and f"auth_role_{value}" in catalogue():
        return t(f"auth_role_{value}", lang)
    return str(value)


def detail_text(detail: Any, lang: str = "fi") -> str:
    """One row's detail in ``lang``; text that is not a JSON object is shown as it is."""
    if detail is None or (isinstance(detail, float) and detail != detail) or detail == "":
        return ""
    try:
        data = json.loads(detail) if isinstance(detail, str) else detail
    except ValueError:
        return str(detail)
    if not isinstance(data, dict):
        return str(detail)
    return "; ".join(f"{_key(k, lang)}: {_value(k, v, lang)}" for k, v in data.items())


__all__ = ["detail_text"]
