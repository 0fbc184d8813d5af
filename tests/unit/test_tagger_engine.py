"""The tagger's fast paths give exactly what the plain paths give.

The chunk table must split any text into the tokens the tokenizer regex finds, and a
comment tagged through the warm tables (plain words counted in bulk, chunks looked up)
must get the same tags as through a fresh tagger seeing every word for the first time.
"""
from __future__ import annotations

import json
import string
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.themes import Tagger
from etl.themes.chunks import ChunkTokens
from etl.themes.resources import DEFAULT_TAXONOMY
from etl.themes.tagger import _PUNCT_CHARS, _TOKEN_FAST
from etl.themes.text import _counts, evidence_counts

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "tagger_dev.jsonl"

# letters, digits, the tokenizer's punctuation, apostrophes, "_", and odd whitespace
_ALPHABET = (string.ascii_letters + "äöåÄÖÅéü" + string.digits + ".;!?,:()–—'’_-/#@"
             + " \t\n\r\u00a0\u2009\u3000\x0b\x1c\0")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=40), min_size=1, max_size=4))
def test_chunk_tokens_are_the_regex_tokens(texts):
    chunks = ChunkTokens(_TOKEN_FAST)
    for text in texts * 2:          # the second time every chunk comes from the table
        low = text.lower()
        expected = _TOKEN_FAST.findall(low.replace("_", "\0"))
        tokens, n_words, evidence = chunks.split(low)
        assert tokens == expected
        words = [t for t in expected if t[0] not in _PUNCT_CHARS]
        assert n_words == len(words)
        assert evidence_counts(low, evidence) == _counts(low, words)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET + "ÄÖÅΣσςİIı\u212bẞ", max_size=40), min_size=1, max_size=4))
def test_chunks_as_written_give_the_tokens_of_the_lower_cased_text(texts):
    # the tagger hands the chunk table the comment as written: each chunk is lower-cased
    # once, and the tokens and the language evidence are those of the lower-cased comment
    chunks = ChunkTokens(_TOKEN_FAST)
    for text in texts * 2:
        low = text.lower()
        expected = _TOKEN_FAST.findall(low.replace("_", "\0"))
        tokens, n_words, evidence = chunks.split(text)
        assert tokens == expected
        assert n_words == len([t for t in expected if t[0] not in _PUNCT_CHARS])
        assert evidence_counts(text, evidence) == _counts(low, [t for t in expected if t[0] not in _PUNCT_CHARS])


def _adjacent_on_parts(parts_at, sizes):
    """Lexicon phrases the general way (the matcher the tagger had before _adjacent_matches):
    a table of each phrase's parts and their positions, then the first start whose parts
    1..n-1 follow it."""
    where: dict[int, dict[int, set[int]]] = {}
    for pos, pairs in parts_at:
        for pid, part in pairs:
            where.setdefault(pid, {}).setdefault(part, set()).add(pos)
    found = []
    for pid, parts in where.items():
        n = sizes[pid]
        for start in sorted(parts.get(0, ())):
            if all(start + k in parts.get(k, ()) for k in range(1, n)):
                found.append((pid, list(range(start, start + n))))
                break
    return found


def test_adjacent_lexicon_phrases_are_the_general_matchers_phrases():
    # analyse_comment finds lexicon phrases ("olisi hyvä", "would be") reading the words in
    # place; _adjacent_on_parts is the general way, on the words' parts
    from etl.themes import analysis
    tagger = Tagger.load(DEFAULT_TAXONOMY)
    texts = [json.loads(r)["text"] for r in DEV_SET.read_text(encoding="utf-8").splitlines() if r.strip()]
    texts += ["Olisi hyvä, jos olisi hyvä olla olisi hyvä.", "It would be nice, it would be would be better.",
              "Det vore bra om det vore bra", "olisi olisi hyvä hyvä"]
    checked = 0
    for text in texts:
        for lang in ("fi", "sv", "en"):
            infos = [tagger._words.info(t, lang) for t in _TOKEN_FAST.findall(text.lower())]
            sizes = tagger._lex_sizes[lang]
            parts_at = [(p, i.role_parts) for p, i in enumerate(infos) if i.role_parts]
            general = _adjacent_on_parts(parts_at, sizes)
            assert sorted(analysis._adjacent_matches(infos, sizes)) == sorted(general), text
            checked += bool(general)
    assert checked > 10


def test_warm_tables_tag_as_a_fresh_tagger_does():
    comments = [
        "Kiitos hyvästä hoidosta! Hoitaja oli todella ystävällinen, mutta jonotusaika oli pitkä.",
        "Ei mitään parannettavaa.",
        "Puhelimeen ei vastattu, soitin kolme kertaa. Kiireestä huolimatta hoito oli hyvää.",
        "Personalen var trevlig men väntetiden var lång.",
        "The nurses were lovely but parking was expensive. Could not have been better!",
        "Lääkäri ei kuunnellut\n\nminua lainkaan ja ohjeet olivat epäselvät",
        "Olisi hyvä, jos parkkipaikkoja olisi enemmän.",
    ]
    warm = Tagger.load(DEFAULT_TAXONOMY)
    warm.tag_many(comments * 3)
    for text in comments:
        fresh = Tagger.load(DEFAULT_TAXONOMY)
        assert warm.tag(text).to_json() == fresh.tag(text).to_json()
        assert warm.tag(text, question="improve").to_json() == fresh.tag(text, question="improve").to_json()


def test_a_full_chunk_table_is_replaced_and_the_tokens_stay_right(monkeypatch):
    from etl.themes import chunks as chunk_module
    monkeypatch.setattr(chunk_module, "CACHE_LIMIT", 3)
    chunks = ChunkTokens(_TOKEN_FAST)
    texts = ["Hoitaja oli ystävällinen, kiitos!", "Jonotusaika oli pitkä.\nEi vastattu puhelimeen",
             "Personalen var trevlig", "The nurses were lovely."] * 3
    for text in texts:
        low = text.lower()
        tokens, n_words, evidence = chunks.split(low)
        assert tokens == _TOKEN_FAST.findall(low)
        words = [t for t in tokens if t[0] not in _PUNCT_CHARS]
        assert n_words == len(words)
        assert evidence_counts(low, evidence) == _counts(low, words)
    assert chunks.size <= 3 + 6      # replaced when full, never grown past a comment's chunks


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET + "ÄÖÅ\u212b", max_size=60), min_size=1, max_size=6))
def test_language_through_the_chunk_table_is_detect_language(texts):
    # tag_many's prior: each sampled comment's language from the chunk table's evidence,
    # as detect_language finds it from the regex's words
    from etl.themes.text import clean, detect_language
    tagger = Tagger.default()
    for text in texts * 2:
        cleaned = clean(text)
        assert tagger._language_of(cleaned) == detect_language(cleaned)


def test_dominant_language_through_the_chunk_table_is_dominant_language():
    from etl.themes.text import dominant_language
    texts = [json.loads(line)["text"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_lang: dict[str, list[str]] = {}
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_lang.setdefault(row["language"], []).append(row["text"])
    groups = [texts, texts[:4], texts[:40], texts[::7]] + [t * 3 for t in by_lang.values()]
    groups += [t[:n] + texts[:m] for t in by_lang.values() for n, m in ((20, 5), (30, 15), (12, 12))]
    tagger = Tagger.load(DEFAULT_TAXONOMY)       # a fresh chunk table, and a warm one below
    seen = set()
    for group in groups:
        expected = dominant_language(group)
        seen.add(expected)
        assert Tagger.default()._dominant_language(group) == expected
        assert tagger._dominant_language(group) == expected
    assert len(seen) >= 3         # some groups have a dominant language, some none
