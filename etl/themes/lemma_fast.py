"""simplemma's own lemma of a fi, sv or en word, reached without simplemma's Python layers.

Why: a word the tagger has never seen costs it most in simplemma, and most such words are
ones simplemma's dictionary lacks (a typo, a compound, a name). For those its default
strategy tries each of its strategies in turn; the Finnish affix and suffix decompositions
look up every prefix and suffix of the word, two look-ups each through four Python calls,
and the Finnish rules try about a hundred regular expressions. :class:`FastPath` runs the
same steps in simplemma's order for these three languages (``DefaultStrategy.
_search_pipeline``, not greedy) with cheaper parts:
  - the trie is asked directly, and the look-ups of a word's parts go through a memo
    (the parts of one word's many misspellings and inflections are mostly the same);
  - the suffix rules run only when the word has one of their endings (each rule is one
    list of endings, ``(?:a|b|...)$``), found with one set look-up per ending length;
  - compiled with the tagger (etl/themes/native.py).
The answer is simplemma's own: ``tests/unit/test_lemma_store.py`` compares the two word by
word (dictionary words, typos, compounds, names, numbers) in all three languages. A word
this path does not follow (apostrophes, hyphens, text not in NFC, another language, tables
not built yet) gets None, and the caller asks simplemma itself. The memo holds word parts
in this process's memory only, never on disk, and is dropped when it grows past a limit.
"""
from __future__ import annotations

import unicodedata

import cython

# The simplemma release whose steps FastPath follows; with another release simplemma is
# asked directly until FastPath has been checked against it.
FAST_PATH_FOR = "2.0.0"
LANGS = ("fi", "sv", "en")
_RULE_LISTS = ("fi", "sv")       # their rule function is apply_rules over DEFAULT_RULES (2.0.0)
# NUL ends a key inside the trie (a word holding one would read another word's entry)
_NO_FAST_CHARS = ("'", "\u2019", "\u02bc", "-", "_", "\n", "\x00")
MEMO_LIMIT = 300_000
CACHE_LIMIT = 300_000
_MISS = False                    # a memo entry: not in the dictionary in either casing


class Lemmas:
    """word, language -> lower-cased lemma, cached per (word, language). ``fast``: a
    :class:`FastPath` that answers most words without simplemma's layers (None: ask
    simplemma)."""

    def __init__(self, lemmatize, fast=None) -> None:
        self._lemmatize = lemmatize
        self._fast = fast
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, word: str, lang: str) -> str:
        key = (word, lang)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            found = None
            if self._fast is not None:
                try:
                    found = self._fast(word, lang)
                except Exception:  # noqa: BLE001 - e.g. a lone surrogate the trie cannot encode: ask simplemma
                    found = None
            if found is not None:
                found = found.lower()
            else:
                try:
                    found = self._lemmatize(word, lang).lower()
                except Exception:  # noqa: BLE001 - simplemma has no data for an odd token: keep the word
                    found = word
            self._cache[key] = found
        return found


class FastPath:
    """``fast(token, lang)`` -> simplemma's lemma (not lower-cased), or None: ask simplemma."""

    __slots__ = ("_found", "_rules", "_endings", "_affix", "_memo", "langs")

    def __init__(self, factory) -> None:
        from simplemma.strategies.affix_decomposition import AFFIX_LANGS, MAXLEN, MINCOMPLEN
        from simplemma.strategies.apostrophe_boundary import APOSTROPHE_BOUNDARY_LANGS
        from simplemma.strategies.clitic_decomposition import CLITIC_LANGS, PROCLITIC_LANGS
        from simplemma.strategies.defaultprefixes import DEFAULT_KNOWN_PREFIXES
        from simplemma.strategies.defaultrules import RULE_FUNCTIONS
        from simplemma.strategies.greedy_dictionary_lookup import greedy_min_length
        from simplemma.strategies.morpheme_decomposition import MORPHEME_LANGS
        from simplemma.utils import CANON_LANGS

        self._found = factory._found        # language -> TrieMapping, once the trie is mapped
        self._rules: dict = {}
        self._endings: dict = {}
        self._affix: dict = {}
        self._memo: dict = {}
        self.langs: set = set()
        for lang in LANGS:
            # the steps left out here must do nothing for the language
            if (lang in DEFAULT_KNOWN_PREFIXES or lang in MORPHEME_LANGS or lang in PROCLITIC_LANGS
                    or lang in APOSTROPHE_BOUNDARY_LANGS or lang in CANON_LANGS
                    or any("'" not in c for c in CLITIC_LANGS.get(lang, ()))):
                continue
            rule = RULE_FUNCTIONS.get(lang)
            self._rules[lang] = rule
            endings = _rule_endings(lang, rule) if lang in _RULE_LISTS else None
            if endings is not None:
                self._endings[lang] = endings
            if lang in AFFIX_LANGS:
                self._affix[lang] = (greedy_min_length(lang), MAXLEN, AFFIX_LANGS[lang], MINCOMPLEN)
            self._memo[lang] = {}
            self.langs.add(lang)

    @cython.locals(token=str, c=str, memo=dict)
    def __call__(self, token: str, lang: str):
        mapping = self._found.get(lang)
        if mapping is None or lang not in self.langs or not token:
            return None
        for c in _NO_FAST_CHARS:
            if c in token:
                return None
        if not unicodedata.is_normalized("NFC", token):
            return None
        if token.isnumeric():
            return token
        get = mapping._get
        found = _lookup(get, token)
        if found:
            return found
        # clitics (en only, each with an apostrophe) and hyphens: nothing to strip here
        rule = self._rules[lang]
        if rule is not None:
            endings = self._endings.get(lang)
            if endings is None or _has_ending(token, endings):
                found = rule(token)
                if found:
                    return found
        affix = self._affix.get(lang)
        if affix is not None:
            memo = self._memo[lang]
            if len(memo) > MEMO_LIMIT:
                memo.clear()
            min_length, max_length, max_affix_len, min_complem_len = affix
            if min_length < len(token) <= max_length:
                found = (_affix_decomposition(get, memo, token, max_affix_len, min_complem_len)
                         or _suffix_decomposition(get, memo, token, min_complem_len))
                if found:
                    return found
        return token       # simplemma's fallback; the caller lower-cases it


@cython.locals(token=str, cased=str)
def _lookup(get, token: str):
    """DictionaryLookupStrategy.get_lemma for a token without apostrophes (no canon table)."""
    value = get(token)
    if value:
        return value[0].decode()
    cased = token.lower() if token[:1].isupper() else token.capitalize()
    value = get(cased)
    return value[0].decode() if value else None


@cython.locals(memo=dict, token=str)
def _part(get, memo: dict, token: str):
    """:func:`_lookup` of a part of a word, remembered."""
    found = memo.get(token)
    if found is None:
        found = _lookup(get, token)
        memo[token] = _MISS if found is None else found
        return found
    return None if found is _MISS else found


@cython.locals(token=str, n=cython.Py_ssize_t, length=cython.Py_ssize_t, endings=tuple, entry=tuple)
def _has_ending(token: str, endings: tuple) -> bool:
    n = len(token)
    for entry in endings:
        length = entry[0]
        if length <= n and token[n - length:] in entry[1]:
            return True
    return False


def _rule_endings(lang: str, rule):
    """The endings of the language's suffix rules, as (length, set) pairs, when each rule
    is one plain ending list ``(?:a|b|...)$`` and the rule function is simplemma's
    ``apply_<lang>`` over them; None when not (then the rules always run)."""
    import importlib
    import re
    try:
        module = importlib.import_module(f"simplemma.strategies.defaultrules.{lang}")
    except ImportError:
        return None
    rules = getattr(module, "DEFAULT_RULES", None)
    if rule is not getattr(module, f"apply_{lang}", None) or not isinstance(rules, dict):
        return None
    plain = re.compile(r"\(\?:([^\\()\[\]{}.*+?^$|]+(?:\|[^\\()\[\]{}.*+?^$|]+)*)\)\$")
    by_length: dict = {}
    for pattern in rules:
        if not isinstance(pattern, re.Pattern) or pattern.flags & ~re.UNICODE:
            return None
        m = plain.fullmatch(pattern.pattern)
        if m is None:
            return None
        for ending in m.group(1).split("|"):
            by_length.setdefault(len(ending), set()).add(ending)
    return tuple((length, frozenset(found)) for length, found in sorted(by_length.items()))


@cython.locals(token=str, memo=dict, n=cython.Py_ssize_t, count=cython.Py_ssize_t, max_affix_len=cython.Py_ssize_t,
               min_complem_len=cython.Py_ssize_t, part1=str, part2=str)
def _affix_decomposition(get, memo: dict, token: str, max_affix_len: int, min_complem_len: int):
    """AffixDecompositionStrategy._affix_decomposition, step by step."""
    n = len(token)
    for count in range(1, n - min_complem_len + 1):
        part1 = token[:n - count]
        lempart1 = _part(get, memo, part1)
        if lempart1 is None:
            continue
        if count <= max_affix_len:
            return lempart1
        part2 = token[n - count:]
        if token[0].isupper():
            part2 = part2.capitalize()
        lempart2 = _part(get, memo, part2)
        if lempart2 is None:
            continue
        if len(lempart2) < len(part2) + max_affix_len:
            return part1 + lempart2.lower()
    return None


@cython.locals(token=str, memo=dict, n=cython.Py_ssize_t, count=cython.Py_ssize_t, min_complem_len=cython.Py_ssize_t)
def _suffix_decomposition(get, memo: dict, token: str, min_complem_len: int):
    """AffixDecompositionStrategy._suffix_decomposition, step by step."""
    n = len(token)
    for count in range(n - min_complem_len, min_complem_len - 1, -1):
        suffix = _part(get, memo, token[n - count:].capitalize())
        if suffix is not None and len(suffix) <= count:
            return token[:n - count] + suffix.lower()
    return None
