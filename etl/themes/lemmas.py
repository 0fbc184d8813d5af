"""Per-word analysis, computed once per distinct (language, word) and then reused.

simplemma costs tens of microseconds for an unknown word and the pattern scans cost more;
comment vocabularies repeat heavily (Zipf), so a plain dict turns the tagger into mostly
dictionary look-ups. The cache is dropped when it grows past a limit instead of an LRU,
because an LRU's bookkeeping would cost more than the occasional rebuild.
"""
from __future__ import annotations

from dataclasses import dataclass

import simplemma

from etl.themes.resources import Lexicon, Taxonomy

CACHE_LIMIT = 300_000


@dataclass(frozen=True, slots=True)
class WordInfo:
    surface: str                      # lower-cased as written
    lemma: str
    themes: tuple[str, ...]           # theme keys this word triggers alone
    theme_parts: tuple[tuple[int, int], ...]   # (phrase, part) of theme phrases
    roles: frozenset[str]             # lexicon roles: positive, negators, ...
    role_parts: tuple[tuple[int, int], ...]    # (phrase, part) of lexicon phrases ("olisi hyvä")
    conditional: bool                 # Finnish -isi- verb form
    participle: bool                  # past participle ending (for "olisi + -nut")

    @property
    def positive(self) -> float:
        return 1.0 if "positive" in self.roles else 0.5 if "positive_weak" in self.roles else 0.0

    @property
    def negative(self) -> float:
        return 1.0 if "negative" in self.roles else 0.5 if "negative_weak" in self.roles else 0.0


_lemma_cache: dict[tuple[str, str], str] = {}


def lemma(word: str, lang: str) -> str:
    """Base form of a lower-cased word; cached per (word, language)."""
    key = (word, lang)
    found = _lemma_cache.get(key)
    if found is None:
        if len(_lemma_cache) > CACHE_LIMIT:
            _lemma_cache.clear()
        try:
            found = simplemma.lemmatize(word, lang=lang).lower()
        except Exception:  # simplemma has no data for an odd token: keep the word
            found = word
        _lemma_cache[key] = found
    return found


class WordAnalyser:
    """Turns a word into :class:`WordInfo` for one taxonomy + lexicon pair."""

    def __init__(self, taxonomy: Taxonomy, lexicon: Lexicon):
        self.taxonomy = taxonomy
        self.lexicon = lexicon
        self._cache: dict[tuple[str, str], WordInfo] = {}

    def info(self, word: str, lang: str) -> WordInfo:
        key = (lang, word)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            found = self._analyse(word, lang)
            self._cache[key] = found
        return found

    def _analyse(self, surface: str, lang: str) -> WordInfo:
        base = lemma(surface, lang)
        words = self.taxonomy.words[lang]
        roles = self.lexicon.roles[lang]
        suffixes = self.lexicon.suffixes[lang]
        themes = words.labels_for(base, surface)
        theme_parts = words.phrase_parts_for(base, surface) if words.phrases else ()
        role_set = frozenset(roles.labels_for(base, surface))
        role_parts = roles.phrase_parts_for(base, surface) if roles.phrases else ()
        conditional = (len(surface) >= 5 and base != surface and base[-1:] in ("a", "ä")
                       and surface.endswith(suffixes["conditional_endings"] or ("\0",)))
        participle = surface.endswith(suffixes["participle_endings"] or ("\0",))
        return WordInfo(surface, base, themes, theme_parts, role_set, role_parts, bool(conditional), participle)
