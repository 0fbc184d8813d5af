"""Loading and checking the two editable data files: the taxonomy and the lexicon.

A bad edit must fail loudly at load time with the theme and entry named, not silently
tag nothing for months; and the version must change with any content change so the
warehouse knows which comments were tagged with what.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl.themes.patterns import LabelledPatterns, WordPattern, split_entry

HERE = Path(__file__).parent
DEFAULT_TAXONOMY = HERE / "taxonomy.toml"
DEFAULT_LEXICON = HERE / "lexicon.toml"
LANGS = ("fi", "sv", "en")
THEME_KEYS = ("access", "phone", "digital", "interaction", "communication", "care", "safety", "relatives",
              "staffing", "facilities", "food", "parking", "billing", "language")


class TaxonomyError(ValueError):
    """The taxonomy or lexicon file cannot be used; the message says where."""


@dataclass(frozen=True)
class Theme:
    key: str
    names: dict[str, str]
    nhs_category: str


@dataclass
class Taxonomy:
    version: str
    themes: dict[str, Theme]
    words: dict[str, LabelledPatterns]  # per language, label = theme key
    # "~word" entries: the theme only when a word of the theme's context list is in the
    # same sentence ("busy" is staffing next to "staff", not in "kept me busy")
    weak: dict[str, LabelledPatterns] = field(default_factory=dict)
    context: dict[str, LabelledPatterns] = field(default_factory=dict)


# Lexicon lists that are word sets with a role rather than themes.
LEXICON_ROLES = ("positive", "positive_weak", "negative", "negative_weak", "negators", "abessive", "contrast",
                 "concession", "concession_after", "too", "negates_previous", "suggestion", "question_words", "why_words", "stopwords", "counterfactual_aux",
                 "nothing", "filler", "improve", "comparative", "modal", "more")
LEXICON_SUFFIXES = ("conditional_endings", "participle_endings")


@dataclass
class Lexicon:
    roles: dict[str, LabelledPatterns]            # per language, label = role
    suffixes: dict[str, dict[str, tuple[str, ...]]]  # per language: name -> endings


def _read(path: Path) -> tuple[dict, bytes]:
    raw = Path(path).read_bytes()
    try:
        return tomllib.loads(raw.decode("utf-8")), raw
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{Path(path).name}: not valid TOML ({exc})") from exc


def load_taxonomy(path: Path) -> tuple[Taxonomy, bytes]:
    data, raw = _read(path)
    themes_data = data.get("themes")
    if not isinstance(themes_data, dict) or not themes_data:
        raise TaxonomyError(f"{Path(path).name}: no [themes.<key>] sections")
    themes: dict[str, Theme] = {}
    words = {lang: LabelledPatterns() for lang in LANGS}
    weak = {lang: LabelledPatterns() for lang in LANGS}
    context = {lang: LabelledPatterns() for lang in LANGS}
    for key, spec in themes_data.items():
        names = spec.get("name") or {}
        if not isinstance(names, dict) or "fi" not in names:
            raise TaxonomyError(f"theme {key!r}: needs name = {{ fi = ..., sv = ..., en = ... }}")
        themes[key] = Theme(key, dict(names), str(spec.get("nhs_category", "")))
        for lang in LANGS:
            entries = spec.get(lang, [])
            if not isinstance(entries, list):
                raise TaxonomyError(f"theme {key!r}: {lang} must be a list of words")
            contexts = spec.get(f"{lang}_context", [])
            if not isinstance(contexts, list):
                raise TaxonomyError(f"theme {key!r}: {lang}_context must be a list of words")
            try:
                # "!puhelin" beside "~puhelin" takes the bare word from the plain entries
                # ("*puhelin*") so that it counts only as a ~word; any other "!word" is
                # never counted, by the ~words either ("!soittokello*" beside "~soitto*")
                weak_words = {str(e).strip()[1:] for e in entries if str(e).strip().startswith("~")}
                for entry in entries:
                    entry = str(entry).strip()
                    if entry.startswith("~"):
                        if " " in entry.strip() or not contexts:
                            raise ValueError(f"{entry!r}: a ~word is one word and needs a {lang}_context list")
                        weak[lang].add(key, entry[1:])
                    else:
                        words[lang].add(key, entry)
                        if (entry.startswith("!") and entry[1:] not in weak_words
                                and len(split_entry(entry)[1]) == 1):
                            weak[lang].add(key, entry)
                for entry in contexts:
                    context[lang].add(key, str(entry))
            except ValueError as exc:
                raise TaxonomyError(f"theme {key!r}, {lang}: {exc}") from exc
    version = str(data.get("version", "0"))
    return Taxonomy(version, themes, words, weak, context), raw


def load_lexicon(path: Path) -> tuple[Lexicon, bytes]:
    data, raw = _read(path)
    roles = {lang: LabelledPatterns() for lang in LANGS}
    suffixes: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang in LANGS:
        spec = data.get(lang, {})
        for role in LEXICON_ROLES:
            for entry in spec.get(role, []):
                entry = str(entry)
                if entry.strip().startswith("!") and len(split_entry(entry)[1]) > 1:
                    raise TaxonomyError(f"{Path(path).name}, {lang}.{role}: {entry!r}: a phrase cannot be "
                                        "excluded here (only theme word lists take '!two words')")
                roles[lang].add(role, entry)
        suffixes[lang] = {name: tuple(str(s).lower() for s in spec.get(name, [])) for name in LEXICON_SUFFIXES}
    return Lexicon(roles, suffixes), raw


def content_version(taxonomy: Taxonomy, *raws: bytes) -> str:
    """Human version from the file plus a content hash: an edit without a version bump
    still yields a new version, so `retag` is never skipped by mistake."""
    h = hashlib.sha256()
    for raw in raws:
        h.update(raw)
    return f"{taxonomy.version}+{h.hexdigest()[:8]}"


__all__ = ["Taxonomy", "Theme", "Lexicon", "TaxonomyError", "load_taxonomy", "load_lexicon", "content_version",
           "DEFAULT_TAXONOMY", "DEFAULT_LEXICON", "THEME_KEYS", "LANGS", "WordPattern", "split_entry"]
