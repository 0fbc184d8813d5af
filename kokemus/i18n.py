"""The message catalogue: every word the UI shows comes from ``kokemus/messages/*.toml``.

One file per area (core, pages, upload, etl, themes) so features add words without
editing each other's files; keys must be unique across files (a test checks).
Finnish is the default; English and Swedish fall back to Finnish when a key lacks them.
"""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fi", "en", "sv")
DEFAULT_LANGUAGE = "fi"
_DIR = Path(__file__).parent / "messages"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for f in sorted(_DIR.glob("*.toml")):
        with f.open("rb") as fh:
            data = tomllib.load(fh)
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice (second time in {f.name})")
            merged[key] = texts
    return merged


def environment_language() -> str:
    """The command line's language: ``KOKEMUS_LANG`` when it names one we speak, else Finnish."""
    lang = os.environ.get("KOKEMUS_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params) -> str:
    """Translate ``key``; unknown keys show themselves so a gap is visible, not fatal."""
    texts = catalogue().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or key
    return text.format(**params) if params else text
