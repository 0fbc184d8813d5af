"""Word patterns as a quality manager writes them in taxonomy.toml / lexicon.toml.

The syntax is the one people know from search boxes ("jono*", "*maksu*") so the word lists
stay editable without code. Matching is done against both the base form (lemma) and the
written form of a word, because the lemmatiser does not know every Finnish compound: an
unknown "pysäköintimaksuja" is returned as written and still contains "maksu".
"""
from __future__ import annotations

from dataclasses import dataclass, field


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
    """
    s = raw.strip()
    exclude = s.startswith("!")
    if exclude:
        s = s[1:]
    parts = [p for p in s.replace("-", " ").split() if p.strip("*")]
    if not parts:
        raise ValueError(f"empty entry {raw!r}")
    return exclude, [WordPattern.parse(p) for p in parts]


@dataclass
class LabelledPatterns:
    """Many labelled entries compiled for fast single-word lookups.

    ``labels_for(lemma, surface)`` answers "which labels does this one word trigger";
    phrases are returned separately (``phrases``) because they need the sentence.
    Exact words go to a dict; the wildcard patterns are scanned, which is fine because
    callers cache the answer per distinct word.
    """
    exact: dict[str, list[str]] = field(default_factory=dict)
    wild: list[tuple[WordPattern, str]] = field(default_factory=list)
    excluded: dict[str, list[WordPattern]] = field(default_factory=dict)
    phrases: list[tuple[str, tuple[WordPattern, ...], str]] = field(default_factory=list)

    def add(self, label: str, raw: str) -> None:
        exclude, parts = split_entry(raw)
        if exclude:
            self.excluded.setdefault(label, []).extend(parts)
        elif len(parts) > 1:
            self.phrases.append((label, tuple(parts), raw.strip()))
        elif parts[0].kind == "exact":
            self.exact.setdefault(parts[0].text, []).append(label)
        else:
            self.wild.append((parts[0], label))

    def labels_for(self, lemma: str, surface: str) -> tuple[str, ...]:
        words = (lemma, surface) if lemma != surface else (lemma,)
        found: list[str] = []
        for w in words:
            for label in self.exact.get(w, ()):
                if label not in found:
                    found.append(label)
        for pattern, label in self.wild:
            if label not in found and any(pattern.hits(w) for w in words):
                found.append(label)
        if self.excluded and found:
            found = [lb for lb in found
                     if not any(p.hits(w) for p in self.excluded.get(lb, ()) for w in words)]
        return tuple(found)

    def phrase_parts_for(self, lemma: str, surface: str) -> tuple[tuple[int, int], ...]:
        """(phrase index, part index) pairs this word can fill."""
        words = (lemma, surface) if lemma != surface else (lemma,)
        out = []
        for i, (_, parts, _) in enumerate(self.phrases):
            for j, p in enumerate(parts):
                if any(p.hits(w) for w in words):
                    out.append((i, j))
        return tuple(out)
