"""How much one Comments search may ask of the warehouse.

A search word costs a scan of every comment for each of its forms, so a pasted paragraph
(or a shared link carrying one) used to run for minutes and hold the warehouse meanwhile.
Every search, typed or from a link, is checked here before anything runs: at most
:data:`MAX_WORDS` words and :data:`MAX_CHARS` characters, and each query of a search is
stopped by DuckDB after :data:`MAX_SECONDS` (``SET SESSION max_execution_time``). The
limits are documented in docs/architecture.md ("Searching comments").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_WORDS = 8          # a search of real comments uses 1-4 words; "every word must match"
MAX_CHARS = 200
MAX_SECONDS = 4.0      # per query (a search is a count, a page and the word-form lookups)

SEARCH_WORD = re.compile(r'"([^"]+)"|(\S+)')   # a "quoted phrase" or a word: how a search is split


@dataclass(frozen=True)
class TooBig:
    """Why a search is not run: a catalogue key and its parameters."""
    key: str
    params: dict = field(default_factory=dict)


def words(text: str) -> int:
    return sum(1 for phrase, word in SEARCH_WORD.findall(text or "") if (phrase or word).strip(".,;:!?() "))


def problem(text: str) -> TooBig | None:
    """None when ``text`` may be searched; else why not (shown to the user as is)."""
    text = text or ""
    if len(text) > MAX_CHARS:
        return TooBig("search_too_long", {"n": len(text), "max": MAX_CHARS})
    n = words(text)
    if n > MAX_WORDS:
        return TooBig("search_too_many_words", {"n": n, "max": MAX_WORDS})
    return None


def max_execution_ms() -> int:
    return int(MAX_SECONDS * 1000)
