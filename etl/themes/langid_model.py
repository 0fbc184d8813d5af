"""py3langid's model cut to Finnish, Swedish and English, cached uncompressed.

Why: py3langid ships one LZMA-compressed model of 97 languages; loading it costs ~1.9 s
and ~100 MB in every process that meets its first unclear comment (a 10-row upload in a
fresh CLI process among them). The tagger only ever asks for fi / sv / en, so the model is
cut to those three columns exactly as ``LanguageIdentifier.set_languages`` cuts it, and
that cut model is kept beside the lemma tables (``etl.themes.lemma_store.cache_root``) in
a file named after py3langid's version and the model file's hash. Loading it takes a few
milliseconds; the scores, and so the languages, are the same numbers as before.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path

from etl.themes.lemma_store import cache_root

log = logging.getLogger(__name__)

LANGUAGES = ("fi", "sv", "en")


def _model_path() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    return Path(MODEL_DIR) / MODEL_FILE


def cache_file(model: Path | None = None) -> Path:
    from importlib.metadata import version
    model = model or _model_path()
    digest = hashlib.sha256(model.read_bytes()).hexdigest()[:12]
    return cache_root() / "langid" / f"py3langid-{version('py3langid')}-{digest}-{'-'.join(LANGUAGES)}.pickle"


def _reference():
    from py3langid.langid import LanguageIdentifier
    ident = LanguageIdentifier.from_modelpath(_model_path(), norm_probs=False)
    ident.set_languages(list(LANGUAGES))
    return ident


def identifier():
    """A py3langid ``LanguageIdentifier`` restricted to fi / sv / en."""
    from py3langid.langid import LanguageIdentifier
    try:
        path = cache_file()
    except OSError:
        return _reference()
    try:
        with path.open("rb") as fh:
            ptc, pc, classes, nextmove, row, output = pickle.load(fh)
        return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=False, tk_row=row)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - damaged: rebuilt below
        log.warning("cached language model %s is damaged; rebuilding it", path.name)
    ident = _reference()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump((ident.nb_ptc, ident.nb_pc, list(ident.nb_classes), ident.tk_nextmove, ident.tk_row,
                         ident.tk_output), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        log.warning("could not cache the language model in %s", path.parent)
    return ident
