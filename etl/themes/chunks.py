"""A comment -> the tokens (``text.TOKEN``) of its lower-cased text, through a table of chunks.

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

Chunks are keyed as written ("Hoitaja" and "hoitaja" are two entries with the same
tokens), so the tagger does not lower-case a whole comment: only a new chunk is
lower-cased. Lower-casing keeps whitespace and line breaks where they are and works within
a chunk (Greek final sigma included), so the tokens are those of the lower-cased text.
"""
from __future__ import annotations

import cython

from etl.themes.text import BREAK_CHARS, SENTENCE_CHARS, evidence_bits

CACHE_LIMIT = 300_000
_PUNCT_CHARS = SENTENCE_CHARS | BREAK_CHARS
_LINE_BREAK = ("\n",)


class ChunkTokens:
    """Tokens of comments (of their lower-cased text) for one token pattern (``findall`` of it).

    Each chunk's entry is a list: [its tokens, how many are words, (word, evidence bits)
    of its evidence words, then ``slots`` places a caller fills with what it keeps per
    chunk (the tagger: the tokens' word analyses, one place per language), None until
    filled]. A caller that reads its places from the entries never looks a chunk up twice."""

    __slots__ = ("_findall", "tokens", "_slots", "_line_break")

    def __init__(self, pattern, slots: int = 0) -> None:
        self._findall = pattern.findall
        self._slots = slots
        self.tokens: dict[str, list] = {}
        self._line_break = [_LINE_BREAK, 0, ()] + [None] * slots     # between the lines of a comment

    def split(self, low: str) -> tuple[list[str], int, list]:
        """(tokens, number of word tokens, (word, evidence bits) of every evidence word among
        them) of a comment: the same tokens as ``pattern.findall(low)`` of its lower-cased
        text ``low`` with "_" hidden as a non-word character."""
        entries, n, evidence = self.entries(low)
        tokens: list[str] = []
        for entry in entries:
            tokens.extend(entry[0])
        return tokens, n, evidence

    @cython.locals(table=dict)
    def entries(self, low: str) -> tuple[list[list], int, list]:
        """(the entries of the comment's chunks in order, number of word tokens, (word,
        evidence bits) of every evidence word): :meth:`split` without joining the tokens.

        A full table is replaced, not cleared, and one call works on the table it started
        with: another thread tagging at the same time never sees it half emptied."""
        table = self.tokens
        if len(table) > CACHE_LIMIT:
            table = self.tokens = {}
        entries = []
        evidence = []
        if "\n" in low:
            n = 0
            for k, line in enumerate(low.split("\n")):
                if k:
                    entries.append(self._line_break)
                n += self._entries(line, table, entries, evidence)
            return entries, n, evidence
        return entries, self._entries(low, table, entries, evidence), evidence

    @cython.locals(n=cython.Py_ssize_t, words=cython.Py_ssize_t, table=dict, entries=list, evidence=list,
                   entry=list, found=tuple)
    def _entries(self, low: str, table: dict, entries: list, evidence: list) -> int:
        # one look-up per chunk; compiled (etl/themes/native.py) the loop is C, the word
        # count a C integer (not a Python int added to a Python int per chunk)
        n = 0
        for chunk in low.split():
            entry = table.get(chunk)
            if entry is None:
                entry = self._add(chunk, table)
            entries.append(entry)
            words = entry[1]
            n += words
            found = entry[2]
            if found:
                evidence.extend(found)
        return n

    def _add(self, chunk: str, table: dict) -> list:
        low = chunk.lower()
        if low.isalpha():
            found = (low,)       # all letters: the one word the tokenizer finds (its \w takes every letter)
        else:
            found = tuple(self._findall(low.replace("_", "\0") if "_" in low else low))
        words = [t for t in found if t[0] not in _PUNCT_CHARS]
        evidence = []           # a loop, not a generator: compiled, no closure per new chunk
        for w in words:
            bits = evidence_bits(w)
            if bits:
                evidence.append((w, bits))
        evidence = tuple(evidence)
        entry = table[chunk] = [found, len(words), evidence] + [None] * self._slots
        return entry
