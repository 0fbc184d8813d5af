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

Compiled (``chunks.pxd``, etl/themes/native.py), ``str.split`` and the dict cost about a
quarter of tagging a comment: a Python string per chunk, its siphash, a dict probe, about
1,000 instructions a chunk. The compiled copy reads the text's code points in place
(``_scan``: whitespace as ``str.split()`` has it, ``Py_UNICODE_ISSPACE``), hashes each chunk
over its code points (FNV-1a) and looks it up in its own open-addressing table (``_Index``:
hash, length, then the code points compared), so a chunk seen before costs no Python
string; only a new chunk is made one. The plain path (``_entries``) is what Python runs
with ``KOKEMUS_NATIVE=0`` or without a build, and the tests hold both to the same entries.

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


# the compiled scan's hash of a chunk's code points (64-bit FNV-1a, a code point at a time)
_HASH_START = 0xCBF29CE484222325
_HASH_STEP = 0x100000001B3
_INDEX_START = 1024                  # slots of a new _Index (a power of two)


class _Index:
    """Compiled only (``chunks.pxd``): chunk as written -> its entry, an open-addressing
    table of C slots keyed by the chunk's code points, so a chunk seen before is found
    without making it a Python string, and without siphash (see :meth:`ChunkTokens._scan`).
    Each slot owns a reference to its chunk, its entry and the entry's evidence. Linear
    probing, at most half full; slots are never removed (a full index is replaced)."""

    def __init__(self) -> None:
        self.slots = cython.cast(cython.pointer(Slot), calloc(_INDEX_START, cython.sizeof(Slot)))
        if self.slots == cython.NULL:
            raise MemoryError()
        self.mask = _INDEX_START - 1
        self.used = 0

    @cython.locals(i=cython.Py_ssize_t)
    def __dealloc__(self) -> None:
        if self.slots != cython.NULL:
            for i in range(self.mask + 1):
                if self.slots[i].chunk != cython.NULL:
                    Py_XDECREF(self.slots[i].chunk)
                    Py_XDECREF(self.slots[i].entry)
                    Py_XDECREF(self.slots[i].evidence)
            free(self.slots)

    def __len__(self) -> int:
        return self.used

    def find(self, kind, data, start, size, h):
        """The slot of the chunk ``size`` code points at ``start`` of a text's ``data``
        (``kind``: its bytes a code point), or the empty slot where it would go (its chunk
        NULL). Runs no Python code, so no other thread changes the index meanwhile."""
        i = cython.cast(cython.Py_ssize_t, h ^ (h >> 29)) & self.mask
        while True:
            s = cython.address(self.slots[i])
            if s.chunk == cython.NULL:
                return s
            if s.hash == h and s.size == size:
                ckind = PyUnicode_KIND(cython.cast(object, s.chunk))
                cdata = PyUnicode_DATA(cython.cast(object, s.chunk))
                if ckind == kind:
                    if memcmp(cdata, cython.cast(cython.p_char, data) + start * kind, size * kind) == 0:
                        return s
                else:
                    j = 0
                    while j < size and PyUnicode_READ(ckind, cdata, j) == PyUnicode_READ(kind, data, start + j):
                        j += 1
                    if j == size:
                        return s
            i = (i + 1) & self.mask

    def grow(self):
        """Twice the slots, each chunk moved by its hash (no Python code runs)."""
        old = self.slots
        old_size = self.mask + 1
        self.slots = cython.cast(cython.pointer(Slot), calloc(2 * old_size, cython.sizeof(Slot)))
        if self.slots == cython.NULL:
            self.slots = old
            raise MemoryError()
        self.mask = 2 * old_size - 1
        for k in range(old_size):
            if old[k].chunk != cython.NULL:
                i = cython.cast(cython.Py_ssize_t, old[k].hash ^ (old[k].hash >> 29)) & self.mask
                while self.slots[i].chunk != cython.NULL:
                    i = (i + 1) & self.mask
                self.slots[i] = old[k]
        free(old)
        return 0


class ChunkTokens:
    """Tokens of comments (of their lower-cased text) for one token pattern (``findall`` of it).

    Each chunk's entry is a list: [its tokens, how many are words, (word, evidence bits)
    of its evidence words, then ``slots`` places a caller fills with what it keeps per
    chunk (the tagger: the tokens' word analyses, one place per language), None until
    filled]. A caller that reads its places from the entries never looks a chunk up twice."""

    __slots__ = ("_findall", "_table", "_slots", "_line_break")

    def __init__(self, pattern, slots: int = 0) -> None:
        self._findall = pattern.findall
        self._slots = slots
        self._table = _Index() if cython.compiled else {}       # chunk as written -> its entry
        self._line_break = [_LINE_BREAK, 0, ()] + [None] * slots     # between the lines of a comment

    @property
    def size(self) -> int:
        """How many chunks the table holds."""
        return len(self._table)

    def split(self, low: str) -> tuple[list[str], int, list]:
        """(tokens, number of word tokens, (word, evidence bits) of every evidence word among
        them) of a comment: the same tokens as ``pattern.findall(low)`` of its lower-cased
        text ``low`` with "_" hidden as a non-word character."""
        entries, n, evidence = self.entries(low)
        tokens: list[str] = []
        for entry in entries:
            tokens.extend(entry[0])
        return tokens, n, evidence

    def entries(self, low: str) -> tuple[list[list], int, list]:
        """(the entries of the comment's chunks in order, number of word tokens, (word,
        evidence bits) of every evidence word): :meth:`split` without joining the tokens.

        A full table is replaced, not cleared, and one call works on the table it started
        with: another thread tagging at the same time never sees it half emptied."""
        entries = []
        evidence = []
        if cython.compiled:
            index = self._table
            if len(index) > CACHE_LIMIT:
                index = self._table = _Index()
            return entries, self._scan(low, index, entries, evidence), evidence
        table = self._table
        if len(table) > CACHE_LIMIT:
            table = self._table = {}
        if "\n" in low:
            n = 0
            for k, line in enumerate(low.split("\n")):
                if k:
                    entries.append(self._line_break)
                n += self._entries(line, table, entries, evidence)
            return entries, n, evidence
        return entries, self._entries(low, table, entries, evidence), evidence

    @cython.boundscheck(False)
    @cython.wraparound(False)
    def _scan(self, text, index, entries, evidence):
        """Compiled only: :meth:`_entries` of every line at once, reading the text's code
        points in place. A chunk ends at whitespace as ``str.split()`` has it
        (``Py_UNICODE_ISSPACE``, what str.split calls), each "\\n" is a line break, and a chunk
        is a Python string only the first time it is seen: about a tenth of the cost of
        split + dict look-up per chunk."""
        n = 0
        length = len(text)
        kind = PyUnicode_KIND(text)
        data = PyUnicode_DATA(text)
        i = 0
        while i < length:
            c = PyUnicode_READ(kind, data, i)
            if Py_UNICODE_ISSPACE(c):
                if c == 10:
                    entries.append(self._line_break)
                i += 1
                continue
            start = i
            h = _HASH_START
            while True:
                h = (h ^ cython.cast(uint64_t, c)) * _HASH_STEP
                i += 1
                if i == length:
                    break
                c = PyUnicode_READ(kind, data, i)
                if Py_UNICODE_ISSPACE(c):
                    break
            s = index.find(kind, data, start, i - start, h)
            if s.chunk == cython.NULL:
                s = self._new(text, kind, data, start, i, h, index)
            entries.append(cython.cast(object, s.entry))
            n += s.words
            if s.evidence != cython.NULL:
                evidence.extend(cython.cast(object, s.evidence))
        return n

    def _new(self, text, kind, data, start, end, h, index):
        """Compiled only: the slot of a chunk not in the index, filled. Making its entry
        runs Python code (the regex, lower-casing), during which another thread may add
        the same chunk or grow the index: the slot is looked for again after."""
        chunk = text[start:end]
        entry = self._add(chunk)
        s = index.find(kind, data, start, end - start, h)
        if s.chunk != cython.NULL:
            return s                    # another thread's entry for it, the same tokens
        found = entry[2]
        Py_INCREF(chunk)
        Py_INCREF(entry)
        s.chunk = cython.cast(cython.pointer(PyObject), chunk)
        s.entry = cython.cast(cython.pointer(PyObject), entry)
        s.hash = h
        s.size = end - start
        s.words = entry[1]
        if found:
            Py_INCREF(found)
            s.evidence = cython.cast(cython.pointer(PyObject), found)
        else:
            s.evidence = cython.NULL
        index.used += 1
        if 2 * index.used > index.mask:
            index.grow()                # the slot moves: looked for again
            s = index.find(kind, data, start, end - start, h)
        return s

    @cython.locals(n=cython.Py_ssize_t, words=cython.Py_ssize_t, table=dict, entries=list, evidence=list,
                   entry=list, found=tuple)
    def _entries(self, low: str, table: dict, entries: list, evidence: list) -> int:
        # the plain path: one look-up per chunk
        n = 0
        for chunk in low.split():
            entry = table.get(chunk)
            if entry is None:
                entry = table[chunk] = self._add(chunk)
            entries.append(entry)
            words = entry[1]
            n += words
            found = entry[2]
            if found:
                evidence.extend(found)
        return n

    def _add(self, chunk: str) -> list:
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
        return [found, len(words), evidence] + [None] * self._slots
