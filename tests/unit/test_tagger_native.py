"""The compiled per-comment pass (etl/themes/native.py) is the one in use once built, and
gives the very tags the Python source gives.

The two copies are compared in one process: the Python modules are loaded beside the
compiled ones (``_pure_tagger``), then both tag the same generated comments.
"""
from __future__ import annotations

import importlib
import importlib.machinery
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.themes import Tagger, native

ROOT = Path(__file__).resolve().parents[2]
THEMES = ROOT / "etl" / "themes"
sys.path.insert(0, str(ROOT / "benchmarks"))


def _compiler_available() -> bool:
    include = Path(sysconfig.get_paths()["include"]) / "Python.h"
    return shutil.which(os.environ.get("CC", "gcc")) is not None and include.is_file()


def test_the_compiled_modules_are_in_use_once_built():
    """If `make native` ran for these sources, tagging must run compiled: otherwise CI
    would test the Python copy only and a broken loader would go unseen."""
    if not native.enabled():
        pytest.skip("KOKEMUS_NATIVE=0: the Python copy runs on purpose")
    status = native.build_status()
    if status is None:
        pytest.skip("not built for these sources (`make native`); the Python copy runs")
    if not status["ok"]:
        assert not _compiler_available(), f"a C compiler and Python.h are here, yet the build failed: {status}"
        pytest.skip(f"the build failed without a compiler: {status['error']}")
    import etl.themes.tagger  # noqa: F401
    assert native.in_use() == {name: True for name in native.MODULES}
    assert native.install() is None
    assert Tagger.tag.__class__.__name__ != "function", "Tagger.tag is compiled code"


def test_a_build_of_older_sources_is_not_used(tmp_path, monkeypatch):
    """An edited source runs as Python until rebuilt, never as stale compiled code."""
    src = tmp_path / "themes"
    src.mkdir()
    for name in native.MODULES:
        shutil.copy2(THEMES / f"{name}.py", src / f"{name}.py")
    monkeypatch.setattr(native, "HERE", src)
    monkeypatch.setattr(native, "ROOT", tmp_path / "_native")
    monkeypatch.delenv("KOKEMUS_NATIVE", raising=False)
    key = native.build_key()
    folder = native.build_dir(key)
    folder.mkdir(parents=True)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in native.MODULES:
        (folder / f"{name}{suffix}").write_bytes(b"")
    (folder / native.STATUS).write_text(json.dumps({"ok": True, "modules": list(native.MODULES)}))
    assert native.choose() == (folder, None)
    with (src / "analysis.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# a quality manager's edit\n")
    assert native.build_key() != key
    found, reason = native.choose()
    assert found is None and "not built" in reason
    monkeypatch.setenv("KOKEMUS_NATIVE", "0")
    assert native.choose()[0] is None


def test_a_failed_build_leaves_the_python_path_and_says_why(tmp_path):
    """No compiler: the build records its failure, the tagger still tags, the log says once
    that it runs as Python."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "etl", repo / "etl", ignore=shutil.ignore_patterns("_native", "__pycache__"))
    env = {**os.environ, "CC": "/nonexistent/cc", "KOKEMUS_NATIVE": "1"}
    built = subprocess.run([sys.executable, "-m", "etl.themes.build_native"], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0 and "it will run as Python" in built.stdout, built.stdout + built.stderr[-2000:]
    code = ("import logging, json; logging.basicConfig(level=logging.WARNING)\n"
            "from etl.themes import native, Tagger\n"
            "t = Tagger.default(); r = t.tag('Hoitajat olivat ystävällisiä, mutta jono oli pitkä.')\n"
            "Tagger.load(native.HERE / 'taxonomy.toml')\n"
            "print(json.dumps([native.build_status()['ok'], native.in_use()['analysis'], r.type]))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    ok, compiled, ctype = json.loads(out.stdout.strip().splitlines()[-1])
    assert (ok, compiled, ctype) == (False, False, "mixed")
    assert out.stderr.count("the tagger runs as pure Python") == 1, out.stderr[-2000:]
    assert "its build failed" in out.stderr


# ------------------------------------------------------------------ the same tags

def _pure_tagger():
    """``etl.themes.tagger`` and the modules it runs, loaded from their Python sources
    beside the compiled ones (which stay in sys.modules for everyone else)."""
    # ``resources`` is not compiled but builds the word tables with ``patterns``: it is
    # loaded again too, or the "pure" tagger would match with the compiled patterns
    names = [f"{native.PACKAGE}.{n}" for n in native.MODULES] + [f"{native.PACKAGE}.resources"]
    package = sys.modules[native.PACKAGE]
    saved = {n: sys.modules.pop(n) for n in names if n in sys.modules}
    attrs = {n: getattr(package, n) for n in (*native.MODULES, "resources") if hasattr(package, n)}
    finders = [f for f in sys.meta_path if isinstance(f, native._Finder)]
    for f in finders:
        sys.meta_path.remove(f)
    try:
        for n in names:
            importlib.import_module(n)
        pure = {n: sys.modules[n] for n in names}
    finally:
        for n in names:
            sys.modules.pop(n, None)
        sys.modules.update(saved)
        for n, mod in attrs.items():
            setattr(package, n, mod)
        sys.meta_path[0:0] = finders
    for mod in pure.values():
        assert not isinstance(mod.__loader__, importlib.machinery.ExtensionFileLoader)
    resources = pure[f"{native.PACKAGE}.resources"]
    assert resources.LabelledPatterns is pure[f"{native.PACKAGE}.patterns"].LabelledPatterns
    return pure[f"{native.PACKAGE}.tagger"]


@pytest.fixture(scope="module")
def taggers():
    if native.install() is not None:
        pytest.skip(f"the compiled pass is not in use: {native.install()}")
    taxonomy = THEMES / "taxonomy.toml"
    return Tagger.load(taxonomy), _pure_tagger().Tagger.load(taxonomy)


def _vocabulary() -> list[str]:
    """Words the rules react to (every word of the word lists) in the forms people write."""
    words = set()
    for name in ("taxonomy.toml", "lexicon.toml"):
        for quoted in re.findall(r'"([^"\n]+)"', (THEMES / name).read_text(encoding="utf-8")):
            words.update(w.strip("*!") for w in quoted.replace("-", " ").split())
    return sorted(w for w in words if w)


VOCAB = _vocabulary()
_ENDINGS = ("", "", "", "a", "ssa", "sta", "lle", "n", "t", "ja", "ni", "isi", "nut", "s", "ed", "ing", "en")
_word = st.builds(lambda w, e, up: (w + e).capitalize() if up else w + e,
                  st.sampled_from(VOCAB), st.sampled_from(_ENDINGS), st.booleans())
_other = st.one_of(st.text(alphabet="abcdefghijklmnoprstuvyäöå'_", min_size=1, max_size=12),
                   st.integers(0, 2030).map(str), st.sampled_from(["12.3.", "klo 7.41", "[HETU]", "3A", "–", "N/A",
                                                                   "-", "didn't", "inte", "ei", "not", "no"]))
_sep = st.sampled_from([" ", " ", " ", " ", ", ", ". ", "! ", "? ", "?", "\n", " – ", ": ", "; ", "...", " (", ") "])
_comment = st.lists(st.tuples(st.one_of(_word, _word, _other), _sep), min_size=0, max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_comment, language=st.sampled_from([None, None, "fi", "sv", "en"]),
       question=st.sampled_from([None, "improve", "good"]), prior=st.sampled_from([None, "fi", "sv", "en"]))
def test_compiled_and_python_give_the_same_tags(taggers, text, language, question, prior):
    compiled, pure = taggers
    assert (compiled.tag(text, language, question, prior).to_json()
            == pure.tag(text, language, question, prior).to_json())
    assert compiled.lemmas(text) == pure.lemmas(text)
    assert compiled.content_lemmas(text, language) == pure.content_lemmas(text, language)


def test_compiled_and_python_give_the_same_tags_on_realistic_columns(taggers):
    from distinct_comments import distinct_comments
    compiled, pure = taggers
    texts = distinct_comments(3000)
    for kwargs in ({}, {"question": "improve"}, {"prior": "sv"}):
        assert ([r.to_json() for r in compiled.tag_many(texts, **kwargs)]
                == [r.to_json() for r in pure.tag_many(texts, **kwargs)])


# -- the compiled chunk scan (chunks._scan) against the plain str.split path ----------------

@pytest.fixture(scope="module")
def chunk_tables():
    """A (compiled, Python) pair of ChunkTokens factories for the tagger's token pattern."""
    if native.install() is not None:
        pytest.skip(f"the compiled pass is not in use: {native.install()}")
    from etl.themes import chunks
    from etl.themes.tagger import _TOKEN_FAST
    assert isinstance(chunks.__loader__, importlib.machinery.ExtensionFileLoader)
    pure = _pure_tagger().ChunkTokens
    assert type(pure.entries).__name__ == "function" and type(chunks.ChunkTokens.entries).__name__ != "function"
    return (lambda: chunks.ChunkTokens(_TOKEN_FAST, 2)), (lambda: pure(_TOKEN_FAST, 2))


def _same_entries(compiled, pure, texts):
    """Both tables give each text the same entries (tokens, words, evidence), the same word
    count and evidence, and a chunk seen before gets the very entry it got the first time."""
    seen_c, seen_p = {}, {}
    for text in texts:
        got_c, n_c, ev_c = compiled.entries(text)
        got_p, n_p, ev_p = pure.entries(text)
        assert [e[:3] for e in got_c] == [e[:3] for e in got_p], repr(text[:80])
        assert (n_c, ev_c) == (n_p, ev_p), repr(text[:80])
        # the chunks are str.split's: a line break entry per "\n", the rest in order
        chunks = [c for line in text.split("\n") for c in ("\n", *line.split())][1:]
        assert len(got_c) == len(chunks), repr(text[:80])
        for chunk, e_c, e_p in zip(chunks, got_c, got_p):
            if chunk != "\n":
                assert seen_c.setdefault(chunk, e_c) is e_c and seen_p.setdefault(chunk, e_p) is e_p


def test_the_compiled_chunk_scan_splits_at_every_whitespace_code_point_as_str_split(chunk_tables):
    # every code point (surrogates included) between two chunks, in blocks: a code point
    # the scan took for whitespace and str.split not (or the other way) splits differently
    new_compiled, new_pure = chunk_tables
    compiled, pure = new_compiled(), new_pure()
    points = [chr(cp) for cp in range(0x110000)]
    blocks = ["a".join(points[k:k + 2048]) for k in range(0, len(points), 2048)]
    spaces = "".join(p for p in points if p.isspace())
    assert len(spaces) == 29 and all(c in spaces for c in "\x1c\x1d\x1e\x1f\x85\u2028\u3000")
    texts = blocks + ["x" + s + "y" for s in spaces] + [spaces.join("abcä😀")] + blocks[:3]
    _same_entries(compiled, pure, texts)


HOSTILE = ["Hoitaja oli hyvä", "Hoitaja oli hyvä 😀", "Hoitaja – oli\u2028hyvä", "\0hoitaja\0 oli\x00",
           "e\u0301e\u0301 ÉÉ cafe\u0301 café", "𝔥𝔬𝔦𝔱𝔞𝔧𝔞 hoitaja 𝔥𝔬𝔦𝔱𝔞𝔧𝔞", "ΣΑΣ σας ς",
           "a" * 100_000, "a" * 100_000 + " " + "a" * 99_999 + "😀", "ä" * 50_000 + "\u3000" + "ä" * 50_000,
           "\n\n x\n\r\ny \x85z\x1c\x1dw\x1e\x1fv", "", " ", "\n", "_a_ __ a_b İI ıi \u212b", "ĀĀĀ ÄÄÄ"]


def test_the_compiled_chunk_scan_gives_the_plain_paths_entries_on_hostile_text(chunk_tables):
    # the same chunks in texts of every kind (1, 2 and 4 bytes a code point): found again
    # across kinds; long chunks; combining marks; NUL; and enough chunks to grow the index
    new_compiled, new_pure = chunk_tables
    compiled, pure = new_compiled(), new_pure()
    many = [" ".join(f"w{k}ä{j}" for j in range(200)) for k in range(40)]
    mixed = [t + s for t in HOSTILE for s in ("", " 😀", " –", " ä")]
    _same_entries(compiled, pure, HOSTILE + mixed + many + mixed + many + HOSTILE[::-1])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)
                        | st.sampled_from(list(" \n\t\x1c\x85\u2028\u3000\xa0aäa"))), min_size=1, max_size=6))
def test_the_compiled_chunk_scan_agrees_on_any_text(chunk_tables, texts):
    new_compiled, new_pure = chunk_tables
    _same_entries(new_compiled(), new_pure(), texts * 2)
