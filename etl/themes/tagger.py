"""The theme tagger: comment text in, language + feedback type + explained themes out.

Rule-based on purpose: a ward manager must see *why* a comment got a theme (the trigger
words are stored with every tag), a quality manager must be able to change it by editing
a word list, and it has to run inside the import with no model download or GPU.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.themes import analysis
from etl.themes.lemmas import WordAnalyser
from etl.themes.resources import (DEFAULT_LEXICON, DEFAULT_TAXONOMY, LANGS, Taxonomy, content_version,
                                  load_lexicon, load_taxonomy)
from etl.themes.text import clean, detect_language, sentences, words_with_breaks


@dataclass(frozen=True)
class ThemeTag:
    theme: str
    polarity: str          # positive | negative | neutral
    sentence: int          # 0-based index of the sentence in the comment
    triggers: list[str] = field(default_factory=list, compare=False, hash=False)

    def to_json(self) -> dict:
        return {"theme": self.theme, "polarity": self.polarity, "triggers": list(self.triggers),
                "sentence": self.sentence}


@dataclass
class CommentTags:
    language: str | None
    type: str | None       # praise | complaint | suggestion | question | mixed | None
    themes: list[ThemeTag] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"language": self.language, "type": self.type, "themes": [t.to_json() for t in self.themes]}

    @property
    def theme_keys(self) -> list[str]:
        """Distinct themes in order of first appearance (for counting per comment)."""
        return list(dict.fromkeys(t.theme for t in self.themes))


EMPTY = CommentTags(None, None, [])


class Tagger:
    def __init__(self, taxonomy: Taxonomy, taxonomy_raw: bytes, lexicon_path: Path = DEFAULT_LEXICON):
        lexicon, lexicon_raw = load_lexicon(lexicon_path)
        self.taxonomy = taxonomy
        self.lexicon = lexicon
        self.taxonomy_version: str = content_version(taxonomy, taxonomy_raw, lexicon_raw)
        self._words = WordAnalyser(taxonomy, lexicon)
        self._theme_phrases = {lang: taxonomy.words[lang].phrases for lang in LANGS}
        self._theme_sizes = {lang: [len(p[1]) for p in taxonomy.words[lang].phrases] for lang in LANGS}
        self._lex_phrases = {lang: lexicon.roles[lang].phrases for lang in LANGS}
        self._lex_sizes = {lang: [len(p[1]) for p in lexicon.roles[lang].phrases] for lang in LANGS}

    # -- construction -------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path, lexicon_path: str | Path = DEFAULT_LEXICON) -> "Tagger":
        taxonomy, raw = load_taxonomy(Path(path))
        return cls(taxonomy, raw, Path(lexicon_path))

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
    def tag(self, text: str | None, language: str | None = None) -> CommentTags:
        """Tag one comment. Pass ``language`` when the source states it (skips detection)."""
        cleaned = clean(text)
        if not cleaned:
            return CommentTags(None, None, [])
        sent_texts = sentences(cleaned)
        split = [words_with_breaks(s) for s in sent_texts]
        lang = language if language in LANGS else detect_language(cleaned, [w for s in split for w, _ in s])
        if lang is None:
            return CommentTags(None, None, [])
        info = self._words.info
        analysed = []
        for sent_text, words in zip(sent_texts, split):
            infos = [info(w.lower(), lang) for w, _ in words]
            analysed.append(analysis.analyse_sentence(
                sent_text, infos, [b for _, b in words], self._lex_phrases[lang], self._theme_phrases[lang],
                self._lex_sizes[lang], self._theme_sizes[lang], first_word_question=(lang == "fi")))
        ctype = analysis.comment_type(analysed)
        tags: list[ThemeTag] = []
        for index, sent in enumerate(analysed):
            by_theme: dict[str, list] = {}
            for clause in sent.clauses:
                for theme in clause.themes:
                    by_theme.setdefault(theme, []).append(clause)
            for theme, clauses in by_theme.items():
                triggers = list(dict.fromkeys(t for c in clauses for t in c.themes[theme]))
                tags.append(ThemeTag(theme, analysis.theme_polarity(sent, clauses, ctype), index, triggers))
        return CommentTags(lang, ctype, tags)

    def tag_many(self, texts: list[str | None], languages: list[str | None] | None = None) -> list[CommentTags]:
        """Tag a batch (the import path). Word analyses are cached across the batch and
        across calls, so the cost per comment falls as the vocabulary repeats."""
        if languages is None:
            return [self.tag(t) for t in texts]
        return [self.tag(t, lang) for t, lang in zip(texts, languages)]

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
