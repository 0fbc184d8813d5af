"""The tagger's memory-mapped word tables (etl/themes/lemma_store.py) against simplemma's
own decoded dictionaries: the same lemmas and the same tags, a cache that is never read for
another simplemma or after damage, and a small import that works without any cache."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.themes import Tagger
from etl.themes import lemma_store
from etl.themes.resources import DEFAULT_LEXICON, DEFAULT_TAXONOMY
from tests.conftest import ROOT, write_template_csv

DEV_SET = ROOT / "tests" / "data" / "tagger_dev.jsonl"

# Inflected forms, compounds the dictionary lacks, typos, names, numbers and codes, in the
# three languages, written the way people write them
VARIED = [
    "Odotusajat ovat venyneet kuukausiin, eikä puhelimeen vastattu.",
    "Pysäköintimaksuja pitäisi kohtuullistaa, 4 euroa tunnilta on liikaa!",
    "Hoitajat olivat ihania mutta lääkärin vastaanotolle pääsi vasta kolmen viikon päästä.",
    "Kävin terveysasemalla Myllypuro 12.3. klo 7.41 ja sain ajan heti.",
    "Päivystyksessä odotin yli viisi tuntia, ei kukaan kertonut mitään.",
    "Ei mitään parannettavaa. Kiitos!",
    "Henkilökunat oli ystävälinen ja ammatitaitoinen",          # typos
    "Osasto 5B:n ruoka oli kylmää ja mautonta.",
    "Miksi laboratorioon ei saa aikaa netistä?",
    "Personalen var mycket trevlig och bemötandet bra.",
    "Väntetiden på akuten var alldeles för lång, ingen informerade oss.",
    "Parkeringen kostar för mycket och det fanns inga lediga platser.",
    "Inget att klaga på. Tack för god vård!",
    "Personalen var trevlg men läkarn lyssnade inte",             # typos
    "The nurses were lovely but parking was expensive.",
    "I waited four hours in A&E and nobody told me anything.",
    "Couldn't have been better, thank you to everyone on ward 7C!",
    "Recieved my apointment letter too late, the phone line was always busy.",   # typos
    "Nothing.", "-", "N/A", "Kiitos", "Tack!", "ok",
    "Lindqvist48 ja Mäkinen65 hoitivat asian hyvin.",
    "xyzzy qwerty zzzz", "1234 5678",
]


def _corpus() -> list[str]:
    with DEV_SET.open(encoding="utf-8") as fh:
        dev = [json.loads(line)["text"] for line in fh if line.strip()]
    # every dev comment once more with a letter swapped in its longest word: the long tail
    # of word forms no dictionary holds
    typos = []
    for text in dev:
        words = text.split(" ")
        k = max(range(len(words)), key=lambda i: len(words[i]))
        w = words[k]
        if len(w) >= 5:
            words[k] = w[:2] + w[3] + w[2] + w[4:]
        typos.append(" ".join(words))
    return dev + typos + VARIED


@pytest.fixture(scope="module")
def built() -> Path:
    """The tables where the tagger looks for them (``make`` builds them; built here once
    when a bare pytest run finds them missing)."""
    directory = lemma_store.cache_dir()
    if not lemma_store.is_built(directory):
        lemma_store.build(directory)
    return directory


def _words(texts):
    from etl.themes.text import TOKEN, clean
    out = set()
    for t in texts:
        out.update(w for w in TOKEN.findall(clean(t).lower()) if w[0].isalnum())
    return sorted(out)


def test_tables_give_simplemma_own_lemmas_for_every_word(built):
    import simplemma
    store = lemma_store.Lemmas(lemma_store._make_lemmatizer(
        lemma_store.MappedDictionaryFactory(built, build_missing=False)).lemmatize)
    words = _words(_corpus())
    assert len(words) > 1500
    for lang in ("fi", "sv", "en"):
        differ = [(w, store(w, lang), simplemma.lemmatize(w, lang=lang).lower()) for w in words
                  if store(w, lang) != simplemma.lemmatize(w, lang=lang).lower()]
        assert differ == [], differ[:10]
    # the tables were used, not the slow stand-in
    factory = lemma_store.MappedDictionaryFactory(built, build_missing=False)
    assert isinstance(factory.get_dictionary("fi"), lemma_store.TrieMapping)


def test_tagger_on_tables_tags_exactly_as_on_simplemma_dictionaries(built):
    texts = _corpus()
    fast = Tagger.load(DEFAULT_TAXONOMY)
    reference = Tagger.load(DEFAULT_TAXONOMY, lemmas=lemma_store.reference_lemmas())
    a = [r.to_json() for r in fast.tag_many(texts)]
    b = [r.to_json() for r in reference.tag_many(texts)]
    assert sum(x != y for x, y in zip(a, b)) == 0
    assert sum(bool(x["themes"]) for x in a) > len(texts) // 2     # the corpus does reach themes
    for lang in ("fi", "sv", "en"):
        assert any(x["language"] == lang for x in a)
    assert fast.lemmas("Odotusajat olivat pitkiä.") == reference.lemmas("Odotusajat olivat pitkiä.")


def _unknown_forms(words: list[str], seed: int = 3) -> list[str]:
    """Forms no dictionary holds, made the ways people make them: a letter swapped,
    dropped or doubled, two words run together, a case ending on a name, a capital."""
    import random
    rng = random.Random(seed)
    out = []
    long = [w for w in words if len(w) >= 5]
    for w in long:
        i = rng.randrange(1, len(w) - 2)
        out.append(w[:i] + w[i + 1] + w[i] + w[i + 2:])
        out.append(w[:i] + w[i + 1:])
        out.append(w[:i] + w[i] + w[i:])
        out.append(w + rng.choice(long))
        out.append(w + rng.choice(("ssa", "sta", "lle", "lta", "kin", "han", "mme", "ille", "iksi", "s", "en")))
        out.append(w.capitalize())
    return out


def test_fast_path_gives_simplemma_own_lemmas(built):
    """:class:`lemma_store.FastPath` follows simplemma's steps for fi, sv and en with
    cheaper look-ups: word by word it must answer as simplemma does, above all for the
    words simplemma's dictionaries lack (typos, compounds, names), where it decomposes."""
    import simplemma
    if simplemma.__version__ != lemma_store.FAST_PATH_FOR:
        pytest.skip(f"FastPath follows simplemma {lemma_store.FAST_PATH_FOR}; it is off for this release")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from distinct_comments import distinct_comments
    factory = lemma_store.MappedDictionaryFactory(built, build_missing=False)
    fast = lemma_store.FastPath(factory)
    store = lemma_store.Lemmas(lemma_store._make_lemmatizer(factory).lemmatize, fast)
    words = _words(_corpus() + distinct_comments(3000))
    words = words + _unknown_forms(words) + ["123", "12a", "3.", "ß", "straße", "İstanbul", "Σοφία",
                                              "e\u0301", "don't", "kela-taksi", "a_b", "x" * 120]
    assert len(words) > 15_000
    for lang in ("fi", "sv", "en"):
        factory.get_dictionary(lang)          # mapped, as in use
        answered = 0
        differ = []
        for w in words:
            answered += fast(w, lang) is not None
            if store(w, lang) != simplemma.lemmatize(w, lang=lang).lower():
                differ.append((w, store(w, lang), simplemma.lemmatize(w, lang=lang).lower()))
        assert differ == [], (lang, differ[:10])
        assert answered > 0.9 * len(words), (lang, answered)     # the fast path does answer


def test_odd_tokens_get_simplemma_own_answer_never_an_error(built):
    """A NUL ends a key inside the trie, so the fast path read a neighbouring word's entry
    (or raised); a lone surrogate cannot be encoded for the trie. Such tokens must get what
    simplemma itself gives or the word itself (the mapped tables' own look-up keeps the word
    when it cannot read such a key), never another word's lemma or an error."""
    import simplemma
    factory = lemma_store.MappedDictionaryFactory(built, build_missing=False)
    store = lemma_store.Lemmas(lemma_store._make_lemmatizer(factory).lemmatize, lemma_store.FastPath(factory))
    for lang in ("fi", "sv", "en"):
        factory.get_dictionary(lang)
        for w in ("kiitos\x00", "a\x00b", "\x00", "hoi\udcfftaja", "\ud800"):
            try:
                own = simplemma.lemmatize(w, lang=lang).lower()
            except Exception:  # noqa: BLE001 - simplemma cannot either
                own = w
            assert store(w, lang) in (own, w), (lang, repr(w))


def test_without_tables_the_low_memory_stand_in_gives_the_same_lemmas(tmp_path):
    import simplemma
    factory = lemma_store.MappedDictionaryFactory(tmp_path / "none", build_missing=False)
    slow = lemma_store.Lemmas(lemma_store._make_lemmatizer(factory).lemmatize)
    for w in _words(VARIED):
        assert slow(w, "fi") == simplemma.lemmatize(w, lang="fi").lower()
    assert not (tmp_path / "none").exists()      # nothing built when told not to


def test_cache_folder_belongs_to_one_simplemma_data_set(tmp_path):
    """Other simplemma data (a new release) -> another folder: stale tables are never read."""
    from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER
    copy = tmp_path / "data"
    copy.mkdir()
    for lang in lemma_store.LANGS:
        shutil.copy(Path(DATA_FOLDER) / f"{lang}.plzma", copy / f"{lang}.plzma")
    assert lemma_store.cache_key(copy) == lemma_store.cache_key()
    with (copy / "sv.plzma").open("ab") as fh:
        fh.write(b"\0")
    assert lemma_store.cache_key(copy) != lemma_store.cache_key()
    assert lemma_store.cache_key().startswith(f"simplemma-{__import__('simplemma').__version__}-")


def test_damaged_table_is_not_read_and_is_rebuilt(tmp_path, built):
    directory = tmp_path / "tables"
    shutil.copytree(built, directory)
    (directory / "en.marisa").write_bytes(b"not a trie")
    factory = lemma_store.MappedDictionaryFactory(directory, build_missing=False)
    lemmas = lemma_store.Lemmas(lemma_store._make_lemmatizer(factory).lemmatize)
    assert lemmas("nurses", "en") == "nurse"          # the stand-in answers meanwhile
    assert not (directory / "en.marisa").exists()      # the damaged file is gone ...
    lemma_store.build(directory)                        # ... and the next build writes it again
    assert lemma_store.is_built(directory)
    assert lemma_store.MappedDictionaryFactory(directory).get_dictionary("en").get("nurses") == "nurse"


def test_lexicon_edit_changes_tags_at_once(tmp_path):
    """Themes and roles are read from the taxonomy and lexicon when a tagger loads and
    applied to the lemmas per word: an edit is never hidden behind a table built from the
    old lists (the tables hold simplemma's lemmas only)."""
    text = "Koko yön kuului jatkuvaa kolinaa."
    before = Tagger.load(DEFAULT_TAXONOMY).tag(text)
    assert "facilities" not in before.theme_keys
    tax = DEFAULT_TAXONOMY.read_text(encoding="utf-8")
    marker = '[themes.facilities]'
    fi_at = tax.index("\nfi = [", tax.index(marker))
    taxonomy = tmp_path / "taxonomy.toml"
    taxonomy.write_text(tax[:fi_at] + '\nfi = ["kolina", ' + tax[fi_at + len("\nfi = ["):], encoding="utf-8")
    after = Tagger.load(taxonomy).tag(text)
    assert "facilities" in after.theme_keys
    assert Tagger.load(taxonomy).taxonomy_version != Tagger.load(DEFAULT_TAXONOMY).taxonomy_version
    # a lexicon edit: "kolina" becomes a complaint word
    raw = DEFAULT_LEXICON.read_text(encoding="utf-8")
    assert 'negative = ["huono*"' in raw
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(raw.replace('negative = ["huono*"', 'negative = ["kolina*", "huono*"', 1), encoding="utf-8")
    assert before.type != "complaint"
    assert Tagger.load(taxonomy, lexicon).tag(text).type == "complaint"


def _import_in_fresh_process(tmp_path, cache: Path, build: str) -> tuple[subprocess.CompletedProcess, Path]:
    f = write_template_csv(tmp_path / "kymmenen.csv", [
        {"Päivämäärä": f"{d}.3.2024", "Yksikkö": "Osasto 5B", "Arvio": str(1 + d % 5),
         "Palaute": text}
        for d, text in enumerate(["Hoitajat olivat ihania.", "Odotusaika oli liian pitkä!",
                                  "Pysäköintimaksuja pitäisi kohtuullistaa.", "Kiitos", "",
                                  "Personalen var trevlig.", "Parking was expensive.",
                                  "Henkilökunat oli ystävälinen", "Puhelimeen ei vastattu.", "Ei mitään."],
                                 start=1)])
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "KOKEMUS_DB": str(db), "KOKEMUS_CACHE_DIR": str(cache), "KOKEMUS_LEMMA_BUILD": build}
    r = subprocess.run([sys.executable, "-m", "etl", "import", str(f), "--db", str(db)], cwd=ROOT,
                       capture_output=True, text=True, env=env, timeout=300)
    return r, db


def _tags(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT r.comment, r.feedback_type, r.language, list(t.theme ORDER BY t.theme) "
                           "FROM responses r LEFT JOIN comment_tags t USING (response_id) "
                           "WHERE r.comment IS NOT NULL GROUP BY ALL ORDER BY 1").fetchall()
    finally:
        con.close()


def test_ten_row_import_in_fresh_process_without_tables_builds_them_and_tags_the_same(tmp_path, built):
    empty = tmp_path / "cache"
    r, db = _import_in_fresh_process(tmp_path / "a", empty, build="1")
    assert r.returncode == 0, r.stderr
    assert "tuotu 10" in r.stdout
    with_tables, db2 = _import_in_fresh_process(tmp_path / "b", built.parent.parent, build="0")
    assert with_tables.returncode == 0, with_tables.stderr
    assert _tags(db) == _tags(db2) and len(_tags(db)) == 9
    # the tables were being built meanwhile in a process of their own, for the next import
    folder = empty / "lemmas" / lemma_store.cache_key()
    import time
    deadline = time.monotonic() + 240
    while not lemma_store.is_built(folder) and time.monotonic() < deadline:
        time.sleep(1)
    assert lemma_store.is_built(folder)


@pytest.fixture(autouse=True)
def _tmp_dirs(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
