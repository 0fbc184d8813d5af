"""py3langid's model cut to Finnish, Swedish and English, cached uncompressed.

Why: py3langid ships one LZMA-compressed model of 97 languages; loading it costs ~1.9 s
and ~100 MB in every process that meets its first unclear comment (a 10-row upload in a
fresh CLI process among them). The tagger only ever asks for fi / sv / en, so the model is
cut to those three columns exactly as ``LanguageIdentifier.set_languages`` cuts it, and
that cut model is kept beside the lemma tables (``etl.themes.lemma_store.cache_root``) in
a file named after py3langid's version and the model file's hash. Loading it takes a few
milliseconds; the scores, and so the languages, are the same numbers as before.

The tokenizer's transition table (9.8 million entries, 40 MB) is stored raw beside it and
memory-mapped, not unpickled: a pickled copy cost every fresh process ~60 ms and ~80 MB at
its peak (the bytes, then the array), a mapping costs neither, and forked workers share its
pages. Read through a ``memoryview``, a look-up is as fast as from the array.
"""
from __future__ import annotations

import array
import hashlib
import logging
import mmap
import os
import pickle
from pathlib import Path

from etl.themes.lemma_store import cache_root

log = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")


def _model_path() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    return Path(MODEL_DIR) / MODEL_FILE


def _version() -> str:
    import py3langid
    found = getattr(py3langid, "__version__", None)
    if found:
        return str(found)
    from importlib.metadata import version   # ~30 ms: only when the package does not say
    return version("py3langid")


def _stem(model: Path | None = None) -> Path:
    model = model or _model_path()
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:12]
    return cache_root() / "langid" / f"py3langid-{_version()}-{digest}-{'-'.join(LANGUAGES)}"


def _named(stem: Path, ending: str) -> Path:
    return stem.with_name(stem.name + ending)   # the stem holds dots (the version): no with_suffix


def cache_file(model: Path | None = None) -> Path:
    """The cut model without its transition table (see :func:`table_file`)."""
    return _named(_stem(model), ".v2.pickle")


def table_file(model: Path | None = None) -> Path:
    """The tokenizer's transition table, raw, memory-mapped when read."""
    return _named(_stem(model), ".v2.nextmove")


def _mapped(path: Path, typecode: str):
    with path.open("rb") as fh:
        mapping = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return memoryview(mapping).cast(typecode)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _store(ptc, pc, classes, nextmove, row, output, stem: Path) -> None:
    """Cache a cut model: its table first, then the file that names it (readers open that)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    table = array.array(nextmove.typecode, nextmove) if not isinstance(nextmove, array.array) else nextmove
    _write(_named(stem, ".v2.nextmove"), table.tobytes())
    _write(_named(stem, ".v2.pickle"), pickle.dumps(
        (ptc, pc, list(classes), table.typecode, row, output), protocol=pickle.HIGHEST_PROTOCOL))


def _reference():
    from py3langid.langid import LanguageIdentifier
    ident = LanguageIdentifier.from_modelpath(_model_path(), norm_probs=False)
    ident.set_languages(list(LANGUAGES))
    return ident


def identifier():
    """A py3langid ``LanguageIdentifier`` restricted to fi / sv / en."""
    from py3langid.langid import LanguageIdentifier
    try:
        stem = _stem()
    except OSError:
        return _reference()
    try:
        with _named(stem, ".v2.pickle").open("rb") as fh:
            ptc, pc, classes, typecode, row, output = pickle.load(fh)
        nextmove = _mapped(_named(stem, ".v2.nextmove"), typecode)   # a cut file does not cast
        return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=False, tk_row=row)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - damaged: rebuilt below
        log.warning("cached language model %s is damaged; rebuilding it", stem.name)
    ident = _earlier_cache(stem) or _reference()
    try:
        _store(ident.nb_ptc, ident.nb_pc, ident.nb_classes, ident.tk_nextmove, ident.tk_row, ident.tk_output,
               stem)
    except OSError:
        log.warning("could not cache the language model in %s", stem.parent)
    return ident


def _earlier_cache(stem: Path):
    """The same cut model as the first cache format pickled it whole (seconds cheaper than
    cutting the shipped model again), or None."""
    from py3langid.langid import LanguageIdentifier
    try:
        with _named(stem, ".pickle").open("rb") as fh:
            ptc, pc, classes, nextmove, row, output = pickle.load(fh)
        return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=False, tk_row=row)
    except Exception:  # noqa: BLE001 - missing or damaged: cut the shipped model instead
        return None
