"""A lower-cased comment -> its tokens (``text.TOKEN``), through a table of chunks.

Why: the tokenizer's regex tries every alternative at every character and cost about a
fifth of tagging a comment. No token spans whitespace (the line-break token aside, handled
line by line), so a comment's tokens are its whitespace-separated chunks' tokens in order:
``str.split`` and one dict look-up per chunk, both done in C, and only a chunk never seen
before ("hoidosta.", "kiitos!", "12.3.") goes through the regex. Chunks repeat as words do,
so the table stays small next to the word tables.

Per chunk the table also keeps what language detection needs of its tokens: how many are
words, and which are Finnish evidence (a Finnish function word or a case ending), so the
detector counts them with set operations instead of a loop over the words.
"""
from __future__ import annotations

import cython

from etl.themes.text import BREAK_CHARS, SENTENCE_CHARS, fi_evidence

CACHE_LIMIT = 300_000
_PUNCT_CHARS = SENTENCE_CHARS | BREAK_CHARS
_LINE_BREAK = ("\n",)


class ChunkTokens:
    """Tokens of lower-cased comments for one token pattern (``findall`` of it)."""

    __slots__ = ("_findall", "tokens", "finnish")

    def __init__(self, pattern) -> None:
        self._findall = pattern.findall
        self.tokens: dict[str, tuple[tuple[str, ...], int]] = {}   # chunk -> (its tokens, how many are words)
        self.finnish: set[str] = set()                  # tokens of known chunks that are Finnish evidence

    def split(self, low: str) -> tuple[list[str], int, set[str]]:
        """(tokens, number of word tokens, a set holding every Finnish-evidence token among
        them) of a lower-cased comment: the same tokens as ``pattern.findall(low)`` with "_"
        hidden as a non-word character.

        A full table is replaced, not cleared, and one call works on the tables it started
        with: another thread tagging at the same time never sees them half emptied."""
        if len(self.tokens) > CACHE_LIMIT:
            self.tokens, self.finnish = {}, set()
        tables = (self.tokens, self.finnish)
        tokens, n = self._split(low, tables)
        return tokens, n, tables[1]

    @cython.locals(n=cython.Py_ssize_t, table=dict, tokens=list, entry=tuple)
    def _split(self, low: str, tables) -> tuple[list[str], int]:
        if "\n" in low:
            tokens = []
            n = 0
            for k, line in enumerate(low.split("\n")):
                if k:
                    tokens.extend(_LINE_BREAK)
                part, words = self._split(line, tables)
                tokens.extend(part)
                n += words
            return tokens, n
        # one look-up per chunk; compiled (etl/themes/native.py) the loop is C
        table = tables[0]
        tokens = []
        n = 0
        for chunk in low.split():
            entry = table.get(chunk)
            if entry is None:
                entry = self._add(chunk, tables)
            tokens.extend(entry[0])
            n += entry[1]
        return tokens, n

    def _add(self, chunk: str, tables) -> tuple[tuple[str, ...], int]:
        table, finnish = tables
        found = tuple(self._findall(chunk.replace("_", "\0") if "_" in chunk else chunk))
        words = [t for t in found if t[0] not in _PUNCT_CHARS]
        finnish.update(w for w in words if fi_evidence(w))
        entry = table[chunk] = (found, len(words))
        return entry
