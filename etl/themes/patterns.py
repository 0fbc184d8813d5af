"""Word patterns as a quality manager writes them in taxonomy.toml / lexicon.toml.

The syntax is the one people know from search boxes ("jono*", "*maksu*") so the word lists
stay editable without code. Matching is done against both the base form (lemma) and the
written form of a word, because the lemmatiser does not know every Finnish compound: an
unknown "pysäköintimaksuja" is returned as written and still contains "maksu".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cython


@dataclass(frozen=True)
class WordPattern:
    """One single-word pattern: exact, prefix ("x*"), suffix ("*x") or infix ("*x*")."""
    text: str
    kind: str  # exact | prefix | suffix | infix

    @classmethod
    def parse(cls, raw: str) -> "WordPattern":
        s = raw.strip().lower()
        starts, ends = s.startswith("*"), s.endswith("*")
        core = s.strip("*")
        if not core:
            raise ValueError(f"empty word pattern {raw!r}")
        kind = "infix" if starts and ends else "suffix" if starts else "prefix" if ends else "exact"
        return cls(core, kind)

    def hits(self, word: str) -> bool:
        if self.kind == "exact":
            return word == self.text
        if self.kind == "prefix":
            return word.startswith(self.text)
        if self.kind == "suffix":
            return word.endswith(self.text)
        return self.text in word


def split_entry(raw: str) -> tuple[bool, list[WordPattern]]:
    """'!word' -> exclusion; 'two words' (or a hyphenated entry) -> a phrase of patterns.

    Hyphens become spaces because the tokenizer splits "Kela-taksi" into two words.
    Quotes ('"more staff"', see :func:`is_ordered`) are not part of the words.
    """
    s = raw.strip()
    exclude = s.startswith("!")
    if exclude:
        s = s[1:]
    s = s.strip().strip('"')
    parts = [p for p in s.replace("-", " ").split() if p.strip("*")]
    if not parts:
        raise ValueError(f"empty entry {raw!r}")
    return exclude, [WordPattern.parse(p) for p in parts]


def is_ordered(raw: str) -> bool:
    """'"more staff"' (in quotes, as in a search box): the words in this order, each at most
    ORDERED_REACH words after the one before ("more night staff"), so "staff to be more
    engaged" is not "more staff". Unquoted phrases match in either order, which Finnish
    word order needs ("aika saada", "saada aika")."""
    s = raw.strip().lstrip("!").strip()
    return len(s) > 1 and s.startswith('"') and s.endswith('"')


# A trie node's key for the payloads of the patterns that end at it (no character is "").
_END = ""


class PatternIndex:
    """Patterns compiled for look-ups: exact words in a dict, prefixes, suffixes (reversed)
    and infixes in character tries, so a word is checked against hundreds of patterns by
    walking its characters: one dict look-up per character while some pattern still starts
    that way, no substring built. A walk mostly stops after a character or two, which is
    what keeps a large import with a long tail of never-seen words fast."""

    __slots__ = ("exact", "prefix", "suffix", "infix", "entries")

    def __init__(self) -> None:
        self.exact: dict[str, list] = {}
        self.prefix: dict = {}     # char -> node; node[_END] -> payloads
        self.suffix: dict = {}     # the same over the reversed texts, walked from a word's end
        self.infix: dict = {}
        self.entries: list[tuple[WordPattern, object]] = []

    def add(self, pattern: WordPattern, payload) -> None:
        self.entries.append((pattern, payload))
        if pattern.kind == "exact":
            self.exact.setdefault(pattern.text, []).append(payload)
            return
        node = {"prefix": self.prefix, "suffix": self.suffix, "infix": self.infix}[pattern.kind]
        for ch in (pattern.text[::-1] if pattern.kind == "suffix" else pattern.text):
            node = node.setdefault(ch, {})
        node.setdefault(_END, []).append(payload)

    def merge_into(self, other: "PatternIndex", tag) -> None:
        """Add every entry to ``other`` with its payload as ``(tag, payload)``."""
        for pattern, payload in self.entries:
            other.add(pattern, (tag, payload))

    @cython.locals(word=str, n=cython.Py_ssize_t, i=cython.Py_ssize_t, j=cython.Py_ssize_t, node=dict,
                   found=list)
    def hits(self, word: str, out: list) -> None:
        """Append the payload of every pattern the word matches (duplicates possible).
        (Compiled by etl/themes/native.py: the declared C types make the walks C loops;
        Python ignores them.)"""
        found = self.exact.get(word)
        if found:
            out.extend(found)
        n = len(word)
        node = self.prefix
        for i in range(n):
            node = node.get(word[i])
            if node is None:
                break
            found = node.get(_END)
            if found:
                out.extend(found)
        node = self.suffix
        for i in range(n - 1, -1, -1):
            node = node.get(word[i])
            if node is None:
                break
            found = node.get(_END)
            if found:
                out.extend(found)
        if self.infix:
            for i in range(n):
                node = self.infix
                for j in range(i, n):
                    node = node.get(word[j])
                    if node is None:
                        break
                    found = node.get(_END)
                    if found:
                        out.extend(found)


@dataclass
class LabelledPatterns:
    """Many labelled entries compiled for fast single-word lookups.

    ``labels_for(lemma, surface)`` answers "which labels does this one word trigger";
    phrases are returned separately (``phrases``) because they need the sentence.
    Entries go into :class:`PatternIndex` tables, so a look-up costs the same whether the
    file holds ten patterns or a thousand.
    """
    # (label, parts, raw entry, ordered, veto): a veto phrase ("!keep busy") takes the
    # label back from its words where the whole phrase is found (a word sense by neighbours)
    phrases: list[tuple[str, tuple[WordPattern, ...], str, bool, bool]] = field(default_factory=list)
    order: dict[str, int] = field(default_factory=dict)
    _labels: PatternIndex = field(default_factory=PatternIndex)
    _excluded: PatternIndex = field(default_factory=PatternIndex)
    _parts: PatternIndex = field(default_factory=PatternIndex)

    def add(self, label: str, raw: str) -> None:
        exclude, parts = split_entry(raw)
        self.order.setdefault(label, len(self.order))
        if exclude and len(parts) == 1:
            self._excluded.add(parts[0], label)
        elif len(parts) > 1:
            pid = len(self.phrases)
            self.phrases.append((label, tuple(parts), raw.strip(), is_ordered(raw), exclude))
            for j, part in enumerate(parts):
                self._parts.add(part, (pid, j))
        else:
            self._labels.add(parts[0], label)

    def exact_words(self) -> dict[str, list[str]]:
        """Exact single-word entries and their labels."""
        return {w: list(labels) for w, labels in self._labels.exact.items()}

    def labels_for(self, lemma: str, surface: str) -> tuple[str, ...]:
        found: list[str] = []
        self._labels.hits(lemma, found)
        if surface != lemma:
            self._labels.hits(surface, found)
        if not found:
            return ()
        excluded: list[str] = []
        self._excluded.hits(lemma, excluded)
        if surface != lemma:
            self._excluded.hits(surface, excluded)
        return self.labels_from(found, excluded)

    def labels_from(self, found: list, excluded: list) -> tuple[str, ...]:
        """The labels of these hits of the single-word entries and of their exclusions."""
        if not found:
            return ()
        labels = set(found).difference(excluded)
        return tuple(sorted(labels, key=self.order.__getitem__))

    def phrase_parts_for(self, lemma: str, surface: str) -> tuple[tuple[int, int], ...]:
        """(phrase index, part index) pairs this word can fill."""
        found: list[tuple[int, int]] = []
        self._parts.hits(lemma, found)
        if surface != lemma:
            self._parts.hits(surface, found)
        return tuple(sorted(set(found)))


class CombinedPatterns:
    """Several :class:`LabelledPatterns` (a language's themes, roles, weak and context words)
    in one :class:`PatternIndex`, so a new word is scanned once per form instead of once per
    table and kind: the scan, not the look-up of its hits, is what a new word costs. Hit
    ``j`` of table ``i`` lands in bucket ``3 * i + j`` (j: 0 labels, 1 exclusions, 2 phrase
    parts); :meth:`LabelledPatterns.labels_from` turns buckets into labels the way
    ``labels_for`` does, so both give the same answer."""

    __slots__ = ("tables", "index", "size", "nothing")

    def __init__(self, tables) -> None:
        self.tables = tuple(tables)
        self.index = PatternIndex()
        self.size = 3 * len(self.tables)
        self.nothing = ((),) * self.size      # the buckets of a word that hits no pattern
        for i, lp in enumerate(self.tables):
            lp._labels.merge_into(self.index, 3 * i)
            lp._excluded.merge_into(self.index, 3 * i + 1)
            lp._parts.merge_into(self.index, 3 * i + 2)

    @cython.locals(found=list, buckets=list, hit=tuple)
    def scan(self, lemma: str, surface: str):
        """Per bucket, the payloads the word's base and written forms hit (a sequence of
        sequences; most new words hit nothing and share one tuple of empty ones)."""
        found = []
        self.index.hits(lemma, found)
        if surface != lemma:
            self.index.hits(surface, found)
        if not found:
            return self.nothing
        buckets = [[] for _ in range(self.size)]
        for hit in found:
            buckets[hit[0]].append(hit[1])
        return buckets
