"""Per-word analysis, computed once per distinct (language, word) and then reused.

Lemmas come from :mod:`etl.themes.lemma_store` (simplemma over memory-mapped tries: the
same lemmas without decoding simplemma's dictionaries in every process). simplemma costs
about ten microseconds for an unknown word and the pattern scans cost more;
comment vocabularies repeat heavily (Zipf), so a plain dict turns the tagger into mostly
dictionary look-ups. The cache is dropped when it grows past a limit instead of an LRU,
because an LRU's bookkeeping would cost more than the occasional rebuild.
"""
from __future__ import annotations

from etl.themes import lemma_store
from etl.themes.patterns import CombinedPatterns
from etl.themes.resources import Lexicon, Taxonomy
from etl.themes.text import BREAK_CHARS, SENTENCE_CHARS

CACHE_LIMIT = 300_000


# Role flags: one int per word so the per-comment pass tests bits, not set membership.
ROLE_FLAGS = {name: 1 << i for i, name in enumerate((
    "positive", "positive_weak", "negative", "negative_weak", "negators", "negates_previous", "abessive",
    "contrast", "concession", "concession_after", "too", "suggestion", "question_words", "why_words",
    "stopwords", "counterfactual_aux", "nothing", "filler", "improve", "comparative", "modal", "more"))}
CONDITIONAL = 1 << 30
PARTICIPLE = 1 << 31
END = 1 << 32            # punctuation tokens: sentence end (". " "!" "?" line break) ...
QMARK = 1 << 33          # ... that is a question mark
BREAK = 1 << 34          # ... or a clause break (, : ( ) – —)
PUNCT = END | BREAK
# What a comment's words need beyond the one pass (OR-ed over the comment first).
HAS_ROLE_PARTS, HAS_THEME_PARTS, HAS_WEAK, HAS_NOTHING, HAS_CONC_AFTER = 1, 2, 4, 8, 16


# Flags that change nothing in the per-comment pass but the word count and a negation's
# reach: a word with only these (and no theme, no mark) is a plain word there.
_PLAIN_FLAGS = ROLE_FLAGS["stopwords"] | PARTICIPLE
_NO_ROLES: frozenset = frozenset()


def flags_of(roles) -> int:
    f = 0
    for r in roles:
        f |= ROLE_FLAGS.get(r, 0)
    return f


_FIELDS = ("surface", "lemma", "themes", "theme_parts", "roles", "role_parts", "conditional", "participle",
           "flags", "weak_themes", "context_for", "marks", "busy")


class WordInfo:
    """What the word lists say of one word form (immutable: shared by every comment that
    has the word). Compiled (etl/themes/native.py, ``lemmas.pxd``) it is a C struct with
    read-only fields, so the per-comment pass reads a word's flags without a Python
    attribute look-up and a new word costs one allocation, not a frozen dataclass's
    thirteen ``object.__setattr__`` calls (about 2 µs)."""

    __slots__ = _FIELDS

    def __init__(self, surface: str, lemma: str, themes: tuple, theme_parts: tuple, roles: frozenset,
                 role_parts: tuple, conditional: bool, participle: bool, flags: int = 0, weak_themes: tuple = (),
                 context_for: tuple = (), marks: int = 0, busy: bool = True):
        self.surface = surface                # lower-cased as written
        self.lemma = lemma
        self.themes = themes                  # theme keys this word triggers alone
        self.theme_parts = theme_parts        # (phrase, part) of theme phrases
        self.roles = roles                    # lexicon roles: positive, negators, ...
        self.role_parts = role_parts          # (phrase, part) of lexicon phrases ("olisi hyvä")
        self.conditional = conditional        # Finnish -isi- verb form
        self.participle = participle          # past participle ending (for "olisi + -nut")
        self.flags = flags                    # ROLE_FLAGS of roles, plus CONDITIONAL / PARTICIPLE
        self.weak_themes = weak_themes        # themes this word gives only next to a context word
        self.context_for = context_for        # themes whose weak words this word confirms
        self.marks = marks                    # HAS_ROLE_PARTS | HAS_THEME_PARTS | HAS_WEAK ...
        # False for a plain word (no role but stopword or participle ending, no theme, no
        # mark): the per-comment pass only counts such words, in bulk (see analysis)
        self.busy = busy

    def _values(self) -> tuple:
        return (self.surface, self.lemma, self.themes, self.theme_parts, self.roles, self.role_parts,
                self.conditional, self.participle, self.flags, self.weak_themes, self.context_for, self.marks,
                self.busy)

    def replace(self, **changes) -> "WordInfo":
        """A copy with some fields changed (as ``dataclasses.replace``)."""
        values = dict(zip(_FIELDS, self._values()))
        values.update(changes)
        return WordInfo(**values)

    def __eq__(self, other):
        if not isinstance(other, WordInfo):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return "WordInfo(" + ", ".join(f"{k}={v!r}" for k, v in zip(_FIELDS, self._values())) + ")"

    @property
    def positive(self) -> float:
        return 1.0 if "positive" in self.roles else 0.5 if "positive_weak" in self.roles else 0.0

    @property
    def negative(self) -> float:
        return 1.0 if "negative" in self.roles else 0.5 if "negative_weak" in self.roles else 0.0


def lemma(word: str, lang: str) -> str:
    """Base form of a lower-cased word; cached per (word, language)."""
    return lemma_store.default_lemmas()(word, lang)


class WordAnalyser:
    """Turns a word into :class:`WordInfo` for one taxonomy + lexicon pair."""

    def __init__(self, taxonomy: Taxonomy, lexicon: Lexicon, lemmas=None):
        self.taxonomy = taxonomy
        self.lexicon = lexicon
        # word, language -> lemma; default: the shared memory-mapped store
        self.lemma = lemmas or lemma_store.default_lemmas()
        self.tables: dict[str, dict[str, WordInfo]] = {lang: {} for lang in taxonomy.words}
        # theme words, roles, weak and context words: one scan of a new word for all four
        self.scans = {lang: CombinedPatterns((taxonomy.words[lang], lexicon.roles[lang], taxonomy.weak[lang],
                                              taxonomy.context[lang])) for lang in taxonomy.words}

    def info(self, word: str, lang: str) -> WordInfo:
        table = self.tables[lang]
        found = table.get(word)
        if found is None:
            found = self.add(word, lang)
        return found

    def add(self, word: str, lang: str) -> WordInfo:
        """Analyse a word not in the table yet and remember it. The table is the
        surface-form -> lemma -> themes/roles table the tagger's one pass reads."""
        table = self.tables[lang]
        if len(table) > CACHE_LIMIT:
            table.clear()
        c = word[0]
        if c in SENTENCE_CHARS:
            found = WordInfo(word, word, (), (), frozenset(), (), False, False, END | (QMARK if word[-1] == "?" else 0))
        elif c in BREAK_CHARS:
            found = WordInfo(word, word, (), (), frozenset(), (), False, False, BREAK)
        else:
            found = self._analyse(word, lang)
        table[word] = found
        return found

    def _analyse(self, surface: str, lang: str) -> WordInfo:
        base = self.lemma(surface, lang)
        scan = self.scans[lang]
        words, roles, weak_words, context_words = scan.tables
        b = scan.scan(base, surface)
        suffixes = self.lexicon.suffixes[lang]
        conditional = (len(surface) >= 5 and base != surface and base[-1:] in ("a", "ä")
                       and surface.endswith(suffixes["conditional_endings"] or ("\0",)))
        participle = surface.endswith(suffixes["participle_endings"] or ("\0",))
        if b is scan.nothing:
            # no pattern hit (most new words: typos, names, numbers): no labels to sort out
            flags = (CONDITIONAL if conditional else 0) | (PARTICIPLE if participle else 0)
            return WordInfo(surface, base, (), (), _NO_ROLES, (), bool(conditional), participle, flags, (), (), 0,
                            bool(flags & ~_PLAIN_FLAGS))
        themes = words.labels_from(b[0], b[1])
        theme_parts = tuple(sorted(set(b[2]))) if b[2] else ()
        role_set = frozenset(roles.labels_from(b[3], b[4]))
        role_parts = tuple(sorted(set(b[5]))) if b[5] else ()
        flags = flags_of(role_set) | (CONDITIONAL if conditional else 0) | (PARTICIPLE if participle else 0)
        weak = weak_words.labels_from(b[6], b[7])
        context = context_words.labels_from(b[9], b[10])
        weak = tuple(t for t in weak if t not in themes)
        marks = ((HAS_ROLE_PARTS if role_parts else 0) | (HAS_THEME_PARTS if theme_parts else 0)
                 | (HAS_WEAK if weak else 0) | (HAS_NOTHING if "nothing" in role_set else 0)
                 | (HAS_CONC_AFTER if "concession_after" in role_set else 0))
        busy = bool(flags & ~_PLAIN_FLAGS or themes or marks)
        return WordInfo(surface, base, themes, theme_parts, role_set, role_parts, bool(conditional), participle,
                        flags, weak, context, marks, busy)
