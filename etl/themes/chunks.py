"""A lower-cased comment -> its tokens (``text.TOKEN``), through a table of chunks.

Why: the tokenizer's regex tries every alternative at every character and cost about a
fifth of tagging a comment. No token spans whitespace (the line-break token aside, handled
line by line), so a comment's tokens are its whitespace-separated chunks' tokens in order:
``str.split`` and one dict look-up per chunk, both done in C, and only a chunk never seen
before ("hoidosta.", "kiitos!", "12.3.") goes through the regex. Chunks repeat as words do,
so the table stays small next to the word tables.

Per chunk the table also keeps what language detection needs of its tokens: how many are
words, and the few that are evidence for a language (a function word, a Finnish case
ending) with their evidence bits (``text.evidence_bits``), so the detector counts a
comment's evidence words instead of looking every word up in four sets.
"""
from __future__ import annotations

import cython

from etl.themes.text import BREAK_CHARS, SENTENCE_CHARS, evidence_bits

CACHE_LIMIT = 300_000
_PUNCT_CHARS = SENTENCE_CHARS | BREAK_CHARS
_LINE_BREAK = ("\n",)


class ChunkTokens:
    """Tokens of lower-cased comments for one token pattern (``findall`` of it)."""

    __slots__ = ("_findall", "tokens")

    def __init__(self, pattern) -> None:
        self._findall = pattern.findall
        # chunk -> (its tokens, how many are words, (word, evidence bits) of its evidence words)
        self.tokens: dict[str, tuple[tuple[str, ...], int, tuple]] = {}

    @cython.locals(table=dict)
    def split(self, low: str) -> tuple[list[str], int, list]:
        """(tokens, number of word tokens, (word, evidence bits) of every evidence word among
        them) of a lower-cased comment: the same tokens as ``pattern.findall(low)`` with "_"
        hidden as a non-word character.

        A full table is replaced, not cleared, and one call works on the table it started
        with: another thread tagging at the same time never sees it half emptied."""
        table = self.tokens
        if len(table) > CACHE_LIMIT:
            table = self.tokens = {}
        tokens = []
        evidence = []
        if "\n" in low:
            n = 0
            for k, line in enumerate(low.split("\n")):
                if k:
                    tokens.extend(_LINE_BREAK)
                n += self._split(line, table, tokens, evidence)
            return tokens, n, evidence
        return tokens, self._split(low, table, tokens, evidence), evidence

    @cython.locals(n=cython.Py_ssize_t, table=dict, tokens=list, evidence=list, entry=tuple, found=tuple)
    def _split(self, low: str, table: dict, tokens: list, evidence: list) -> int:
        # one look-up per chunk; compiled (etl/themes/native.py) the loop is C
        n = 0
        for chunk in low.split():
            entry = table.get(chunk)
            if entry is None:
                entry = self._add(chunk, table)
            found = entry[0]
            if len(found) == 1:
                tokens.append(found[0])      # (most chunks are one word)
            else:
                tokens.extend(found)
            n += entry[1]
            if entry[2]:
                evidence.extend(entry[2])
        return n

    def _add(self, chunk: str, table: dict) -> tuple[tuple[str, ...], int, tuple]:
        if chunk.isalpha():
            found = (chunk,)     # all letters: the one word the tokenizer finds (its \w takes every letter)
        else:
            found = tuple(self._findall(chunk.replace("_", "\0") if "_" in chunk else chunk))
        words = [t for t in found if t[0] not in _PUNCT_CHARS]
        evidence = tuple((w, bits) for w in words for bits in (evidence_bits(w),) if bits)
        entry = table[chunk] = (found, len(words), evidence)
        return entry
