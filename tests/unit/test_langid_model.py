"""The cut, cached py3langid model (etl/themes/langid_model.py) scores exactly as the
shipped model restricted to fi / sv / en does."""
from __future__ import annotations

import json

from etl.themes import langid_model
from tests.conftest import ROOT

TEXTS = ["ok", "Bra!", "Nothing.", "Ei", "kiitos", "Tack för allt", "Great staff", "Hyvä palvelu",
         "Personalen var trevlig men väntetiden lång", "The wait was long but the nurses were kind",
         "Odotin kauan, mutta hoitajat olivat ystävällisiä", "A&E 4h", "lol", "Mycket bra bemötande",
         "Lääkäri oli tosi mukava ja selitti kaiken", "xyz", "Super!!!", "Ihan ok", "Allt var bra"]


def test_cut_model_gives_the_same_scores_as_the_shipped_model(tmp_path, monkeypatch):
    monkeypatch.setenv("KOKEMUS_CACHE_DIR", str(tmp_path))
    with (ROOT / "tests" / "data" / "tagger_dev.jsonl").open(encoding="utf-8") as fh:
        texts = TEXTS + [json.loads(line)["text"] for line in fh if line.strip()]
    reference = langid_model._reference()
    first = langid_model.identifier()           # cuts and caches
    assert langid_model.cache_file().is_file()
    again = langid_model.identifier()           # reads the cache
    for text in texts:
        want = reference.classify(text)
        assert first.classify(text) == want and again.classify(text) == want, text


def test_damaged_cache_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("KOKEMUS_CACHE_DIR", str(tmp_path))
    path = langid_model.cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage")
    ident = langid_model.identifier()
    assert ident.classify("Personalen var mycket trevlig")[0] == "sv"
    assert path.stat().st_size > 1000


def test_transition_table_is_mapped_not_loaded_and_an_earlier_cache_is_converted(tmp_path, monkeypatch):
    import pickle

    monkeypatch.setenv("KOKEMUS_CACHE_DIR", str(tmp_path))
    reference = langid_model._reference()
    earlier = langid_model.cache_file().with_name(langid_model.cache_file().name.replace(".v2.pickle", ".pickle"))
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(pickle.dumps((reference.nb_ptc, reference.nb_pc, list(reference.nb_classes),
                                      reference.tk_nextmove, reference.tk_row, reference.tk_output)))
    converted = langid_model.identifier()
    assert langid_model.cache_file().is_file() and langid_model.table_file().is_file()
    mapped = langid_model.identifier()
    assert isinstance(mapped.tk_nextmove, memoryview) and mapped.tk_nextmove.readonly
    for text in TEXTS:
        want = reference.classify(text)
        assert converted.classify(text) == want and mapped.classify(text) == want, text
