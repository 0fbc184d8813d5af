"""The theme tagger: comment text in, language + feedback type + explained themes out.

Rule-based on purpose: a ward manager must see *why* a comment got a theme (the trigger
words are stored with every tag), a quality manager must be able to change it by editing
a word list, and it has to run inside the import with no model download or GPU.
"""
from __future__ import annotations

import gc
import os
import re
from functools import lru_cache
from pathlib import Path

import cython

from etl.themes import analysis, native
from etl.themes.analysis import Clause, Sentence
from etl.themes.chunks import ChunkTokens
from etl.themes.lemmas import WordAnalyser
from etl.themes.resources import (DEFAULT_LEXICON, DEFAULT_TAXONOMY, LANGS, Taxonomy, content_version,
                                  load_lexicon, load_taxonomy)
from etl.themes.text import (BREAK_CHARS, SENTENCE_CHARS, TOKEN, clean, detect_counts, detect_language,
                             dominant_language, evidence_counts, sentences, words_with_breaks)

_PUNCT_CHARS = SENTENCE_CHARS | BREAK_CHARS
_analyse_comment, _comment_type, _theme_polarity = (analysis.analyse_comment, analysis.comment_type,
                                                    analysis.theme_polarity)
_TOKEN_FAST = re.compile(TOKEN.pattern.replace("[^\\W_]", "\\w"))


@cython.cfunc
@cython.locals(text=str, ch=cython.Py_UCS4)
def _has_letter(text) -> cython.bint:
    # as detect_language checks; a C loop over the characters when compiled (no generator)
    for ch in text:
        if ch.isalpha():
            return True
    return False


# a language's place in a chunk table entry (chunks.ChunkTokens: tokens, words, evidence, then these)
_SLOT_OF = {lang: 3 + k for k, lang in enumerate(LANGS)}

# Whole answers that are no answer at all ("-" has no words and never gets here).
_NO_ANSWER = frozenset({"na", "n", "x", "xx", "xxx", "nan", "null"})


class ThemeTag:
    """One theme of a comment, with the words that triggered it. Read-only once made (the
    compiled copy, ``tagger.pxd``, enforces it); equal and hashed by theme, polarity and
    sentence, not by the trigger words. A plain class rather than a frozen dataclass: every
    tag of every imported comment is one, and a frozen dataclass's ``__init__`` costs a
    microsecond."""

    __slots__ = ("theme", "polarity", "sentence", "triggers")

    def __init__(self, theme: str, polarity: str, sentence: int, triggers: list[str] | None = None):
        self.theme = theme
        self.polarity = polarity          # positive | negative | neutral
        self.sentence = sentence          # 0-based index of the sentence in the comment
        self.triggers = [] if triggers is None else triggers

    def __eq__(self, other):
        if not isinstance(other, ThemeTag):
            return NotImplemented
        return (self.theme, self.polarity, self.sentence) == (other.theme, other.polarity, other.sentence)

    def __hash__(self) -> int:
        return hash((self.theme, self.polarity, self.sentence))

    def __repr__(self) -> str:
        return (f"ThemeTag(theme={self.theme!r}, polarity={self.polarity!r}, sentence={self.sentence!r}, "
                f"triggers={self.triggers!r})")

    def to_json(self) -> dict:
        return {"theme": self.theme, "polarity": self.polarity, "triggers": list(self.triggers),
                "sentence": self.sentence}


class CommentTags:
    """A comment's language, feedback type and themes (see :class:`ThemeTag`)."""

    __slots__ = ("language", "type", "themes")

    def __init__(self, language: str | None, type: str | None, themes: list[ThemeTag] | None = None):
        self.language = language
        self.type = type            # praise | complaint | suggestion | question | mixed | None
        self.themes = [] if themes is None else themes

    def __eq__(self, other):
        if not isinstance(other, CommentTags):
            return NotImplemented
        return (self.language, self.type, self.themes) == (other.language, other.type, other.themes)

    def __repr__(self) -> str:
        return f"CommentTags(language={self.language!r}, type={self.type!r}, themes={self.themes!r})"

    def to_json(self) -> dict:
        return {"language": self.language, "type": self.type, "themes": [t.to_json() for t in self.themes]}

    @property
    def theme_keys(self) -> list[str]:
        """Distinct themes in order of first appearance (for counting per comment)."""
        return list(dict.fromkeys(t.theme for t in self.themes))


EMPTY = CommentTags(None, None, [])


@cython.cfunc
@cython.locals(tag=ThemeTag, sentence=cython.Py_ssize_t)
def _theme_tag(theme: str, polarity: str, sentence: int, triggers: list):
    """``ThemeTag(theme, polarity, sentence, triggers)`` without the Python call: compiled,
    an allocation and four stores (every tag of every imported comment is one)."""
    tag = ThemeTag.__new__(ThemeTag)
    tag.theme = theme
    tag.polarity = polarity
    tag.sentence = sentence
    tag.triggers = triggers
    return tag


@cython.cfunc
@cython.locals(tags=CommentTags)
def _comment_tags(language, type, themes: list):
    """``CommentTags(language, type, themes)`` without the Python call (see :func:`_theme_tag`)."""
    tags = CommentTags.__new__(CommentTags)
    tags.language = language
    tags.type = type
    tags.themes = themes
    return tags


class Tagger:
    def __init__(self, taxonomy: Taxonomy, taxonomy_raw: bytes, lexicon_path: Path = DEFAULT_LEXICON,
                 lemmas=None):
        native.tell_once()
        lexicon, lexicon_raw = load_lexicon(lexicon_path)
        self.taxonomy = taxonomy
        self.lexicon = lexicon
        self.taxonomy_version: str = content_version(taxonomy, taxonomy_raw, lexicon_raw)
        self._words = WordAnalyser(taxonomy, lexicon, lemmas)
        # TOKEN with ``\w`` in place of ``[^\W_]`` (faster), "_" hidden as a non-word character;
        # each chunk's entry keeps its tokens' WordInfo per language (see _infos)
        self._chunks = ChunkTokens(_TOKEN_FAST, len(LANGS))
        self._theme_phrases = {lang: taxonomy.words[lang].phrases for lang in LANGS}
        self._theme_sizes = {lang: [len(p[1]) for p in taxonomy.words[lang].phrases] for lang in LANGS}
        self._lex_phrases = {lang: lexicon.roles[lang].phrases for lang in LANGS}
        self._lex_sizes = {lang: [len(p[1]) for p in lexicon.roles[lang].phrases] for lang in LANGS}
        # analyse_comment's arguments after the words, per language
        self._phrase_args = {lang: (self._lex_phrases[lang], self._theme_phrases[lang], self._lex_sizes[lang],
                                    self._theme_sizes[lang], lang == "fi") for lang in LANGS}
        # word -> ((language, role), ...) for "nothing to improve" answers (exact words only)
        self._answer_words: dict[str, tuple[tuple[str, str], ...]] = {}
        for lang in LANGS:
            for word, labels in lexicon.roles[lang].exact_words().items():
                for role in ("nothing", "improve", "filler"):
                    if role in labels:
                        self._answer_words[word] = self._answer_words.get(word, ()) + ((lang, role),)

    # -- construction -------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path, lexicon_path: str | Path = DEFAULT_LEXICON, lemmas=None) -> "Tagger":
        """``lemmas``: word, language -> lemma (default: :mod:`etl.themes.lemma_store`)."""
        taxonomy, raw = load_taxonomy(Path(path))
        return cls(taxonomy, raw, Path(lexicon_path), lemmas)

    @staticmethod
    def default() -> "Tagger":
        return _default_tagger()

    @property
    def theme_keys(self) -> list[str]:
        return list(self.taxonomy.themes)

    def theme_name(self, key: str, lang: str = "fi") -> str:
        names = self.taxonomy.themes[key].names
        return names.get(lang) or names["fi"]

    # -- tagging ---------------------------------------------------------------------------
    @cython.locals(sent=Sentence, clause=Clause, clauses=list, index=cython.Py_ssize_t, tags=list)
    def tag(self, text: str | None, language: str | None = None, question: str | None = None,
            prior: str | None = None) -> CommentTags:
        """Tag one comment.

        ``language``: stated by the source (skips detection). ``prior``: the dominant
        language of the comment's column, which short comments keep. ``question``: what the
        form asked, as :func:`etl.themes.question_kind` reads it ("improve", "good", None).
        """
        cleaned = clean(text)
        if not cleaned:
            return CommentTags(None, None, [])
        # the chunk table lower-cases each chunk once, not each comment (see chunks.py)
        entries, n_words, evidence = self._chunks.entries(cleaned)
        if not n_words:
            return CommentTags(None, None, [])
        nothing = None
        if n_words <= 8:
            nothing = self._nothing_answer([t for entry in entries for t in entry[0] if t[0] not in _PUNCT_CHARS])
        if language in LANGS:
            lang = language
        elif nothing is not None:
            lang = nothing[1] or prior
        else:
            lang = (detect_counts(cleaned, None, evidence_counts(cleaned, evidence), prior, n_words)
                    if _has_letter(cleaned) else None)
        if lang is None:
            return CommentTags(None, None, [])
        if nothing is not None:
            return CommentTags(lang, self._nothing_type(nothing[0], question), [])
        analysed = _analyse_comment(self._infos(entries, lang), *self._phrase_args[lang])
        ctype = _comment_type(analysed, question)
        tags = []
        for index in range(len(analysed)):
            sent = analysed[index]
            clauses = sent.clauses
            if len(clauses) == 1:
                clause = clauses[0]
                only = clause.themes
                if only:
                    polarity = _theme_polarity(sent, clauses, ctype)    # the same for each theme
                    for theme, triggers in only.items():
                        tags.append(_theme_tag(theme, polarity, index, triggers))
                continue
            by_theme: dict[str, list] = {}
            for clause in clauses:
                for theme in clause.themes:
                    by_theme.setdefault(theme, []).append(clause)
            for theme, found in by_theme.items():
                # each trigger once, in order (a loop, not a generator: compiled, a generator
                # here would give every call of tag() a closure to allocate)
                triggers = []
                for clause in found:
                    for trigger in clause.themes[theme]:
                        if trigger not in triggers:
                            triggers.append(trigger)
                tags.append(_theme_tag(theme, _theme_polarity(sent, found, ctype), index, triggers))
        return _comment_tags(lang, ctype, tags)

    @cython.locals(entries=list, entry=list, infos=list, slot=cython.Py_ssize_t)
    def _infos(self, entries: list, lang: str) -> list:
        """The WordInfo of every token of a comment, from its chunks' entries: the entry of
        a chunk keeps its tokens' WordInfo for each language once looked up (one WordInfo
        for a one-word chunk, else a tuple), so a comment costs no look-up per word, and a
        word never seen goes through :class:`WordAnalyser` once. A WordInfo is immutable and
        the same for the same word, whichever table it came from."""
        slot = _SLOT_OF[lang]
        infos = []
        for entry in entries:
            found = entry[slot]
            if found is None:
                found = entry[slot] = self._chunk_infos(entry[0], lang)
            if type(found) is tuple:
                infos.extend(found)
            else:
                infos.append(found)
        return infos

    @cython.locals(table=dict, tokens=tuple, found=list)
    def _chunk_infos(self, tokens: tuple, lang: str):
        table = self._words.tables[lang]
        found = []
        for token in tokens:
            info = table.get(token)
            found.append(info if info is not None else self._words.add(token, lang))
        return found[0] if len(found) == 1 else tuple(found)

    def _nothing_answer(self, words: list[str]) -> tuple[str, str | None] | None:
        """("explicit" | "bare" | "none", language or None) when the whole comment says there
        is nothing to say: "Nothing to improve", "Ei mitään.", "Inget.", "No complaints",
        "N/A"; else None. Checked before language detection, because such answers are too
        short to tell their language."""
        if len(words) <= 2 and "".join(words) in _NO_ANSWER:
            return "none", None
        votes = {"fi": 0, "sv": 0, "en": 0}
        has_nothing = explicit = False
        for w in words:
            roles = self._answer_words.get(w)
            if roles is None:
                return None
            for lang, role in roles:
                votes[lang] += 1
                has_nothing = has_nothing or role == "nothing"
                explicit = explicit or role == "improve"
        if not has_nothing:
            return None
        kind = "explicit" if explicit else "bare"
        best = max(votes, key=votes.__getitem__)
        tied = sum(v == votes[best] for v in votes.values()) > 1
        return kind, None if tied else best

    @staticmethod
    def _nothing_type(kind: str, question: str | None) -> str | None:
        if kind == "none":
            return None                    # "-", "N/A": no answer at all
        if kind == "bare" and question == "good":
            return "complaint"             # "Nothing." to "What was good?"
        return "praise"                    # nothing to improve: the patient is satisfied

    def tag_many(self, texts: list[str | None], languages: list[str | None] | None = None,
                 question: str | None = None, prior: str | None = None) -> list[CommentTags]:
        """Tag a batch (the import path): one column's comments. The column's dominant
        language is found once from a sample and is the prior for its short comments.

        Python's cyclic garbage collector is paused meanwhile: the results pile up by the
        thousand and each collection would walk them all again (a sixth of the time), while
        tagging itself makes no reference cycles, so nothing waits for the collector."""
        # paused here, not through a context manager: contextlib's Python frames would be
        # the allocations that set off a full collection just before the pause
        was_on = gc.isenabled()
        gc.disable()
        try:
            if languages is not None:
                return [self.tag(t, lang, question, prior) for t, lang in zip(texts, languages)]
            if prior is None and len(texts) > 1:
                prior = self._dominant_language([t for t in texts if t])
            tag = self.tag
            return [tag(t, None, question, prior) for t in texts]
        finally:
            if was_on:
                gc.enable()

    def _dominant_language(self, texts: list[str], sample: int = 300) -> str | None:
        """:func:`etl.themes.text.dominant_language` with each sampled comment's language
        found as :meth:`tag` finds it, from the chunk table's evidence words, instead of a
        regex and four set intersections per comment: the same answer
        (``tests/unit/test_tagger_engine.py`` compares the two), at a fraction of the cost
        a batch of a few hundred comments used to pay for its prior."""
        return dominant_language(texts, sample, self._language_of)

    def _language_of(self, cleaned: str) -> str | None:
        """``detect_language(cleaned)`` (no prior) through the chunk table."""
        if not cleaned or not _has_letter(cleaned):
            return None
        _, n_words, evidence = self._chunks.entries(cleaned)
        # the lower-cased text for the "äöå" test, the text as written for py3langid, as
        # detect_language gives them
        return detect_counts(cleaned, cleaned.lower(), evidence_counts(cleaned, evidence), None, n_words)

    # -- words for search and emerging-word counts -------------------------------------------
    def lemmas(self, text: str | None, language: str | None = None) -> list[str]:
        """Base forms of the words, so a search for "odotusaika" finds "odotusajat"."""
        cleaned = clean(text)
        if not cleaned:
            return []
        words = [w for s in sentences(cleaned) for w, _ in words_with_breaks(s)]
        lang = language if language in LANGS else detect_language(cleaned, words)
        if lang is None:
            return [w.lower() for w in words]
        return [self._words.info(w.lower(), lang).lemma for w in words]

    def word_infos(self, text: str | None, language: str | None = None) -> tuple[str | None, list]:
        """(language, WordInfo of every word): the comment's language (``language`` when
        given, else detected) and what the lexicon says of each word (lemma, roles)."""
        cleaned = clean(text)
        if not cleaned:
            return None, []
        words = [w for s in sentences(cleaned) for w, _ in words_with_breaks(s)]
        lang = language if language in LANGS else detect_language(cleaned, words)
        if lang is None:
            return None, []
        return lang, [self._words.info(w.lower(), lang) for w in words]

    def content_lemmas(self, text: str | None, language: str | None = None) -> list[str]:
        """Lemmas worth counting: no stopwords, numbers or one-two letter words."""
        cleaned = clean(text)
        if not cleaned:
            return []
        words = [w for s in sentences(cleaned) for w, _ in words_with_breaks(s)]
        lang = language if language in LANGS else detect_language(cleaned, words)
        if lang is None:
            return []
        out = []
        for w in words:
            wi = self._words.info(w.lower(), lang)
            if len(wi.lemma) < 3 or wi.lemma.isdigit() or "stopwords" in wi.roles or "negators" in wi.roles:
                continue
            out.append(wi.lemma)
        return out


def _default_tagger() -> Tagger:
    """The deployment's taxonomy: ``KOKEMUS_TAXONOMY`` when set (a quality manager's edited
    copy), else the bundled file. Cached per path and file content, so an edit is picked up
    by the next ``retag`` without a restart."""
    path = Path(os.environ.get("KOKEMUS_TAXONOMY") or DEFAULT_TAXONOMY)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _tagger_for(str(path), stamp)


@lru_cache(maxsize=4)
def _tagger_for(path: str, _stamp: int) -> Tagger:
    return Tagger.load(Path(path))
