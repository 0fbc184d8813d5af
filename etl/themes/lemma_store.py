"""simplemma's dictionaries as memory-mapped tries, built once per simplemma version.

Why: simplemma ships its word lists lzma-compressed and decodes them into Python dicts on
first use: seconds of CPU and ~570 MB for Finnish, Swedish and English, paid again by every
process that tags a comment (each CLI import, each server start). A MARISA trie of the same
entries is ~24 MB on disk, opens in microseconds with ``mmap`` (the pages are shared by every
process and do not count against the parse worker's data limit) and answers a look-up faster
than the decoded dict does.

The lemmas are *exactly* simplemma's: the trie holds the same key -> lemma entries and is
plugged into simplemma's own :class:`~simplemma.strategies.DefaultStrategy` as its
dictionary, so words the dictionary does not know (typos, compounds, names) still go through
simplemma's rules and decompositions, only with faster look-ups.

The tries live under ``KOKEMUS_CACHE_DIR`` (default ``$XDG_CACHE_HOME/kokemus`` or
``~/.cache/kokemus``) in a folder named after simplemma's version and a hash of its data
files, so a new simplemma release builds new tries and never reads stale ones. ``make``
builds them (``python -m etl.themes.build_lemmas``, ~15 s once). A process that finds
them missing logs so, starts the build in a separate process (its ~700 MB peak must not land
in a server or an import) and meanwhile uses simplemma's low-memory backend, which gives the
same lemmas more slowly; set ``KOKEMUS_LEMMA_BUILD=0`` to not start a build.
"""
from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from etl.themes.lemma_fast import FAST_PATH_FOR, FastPath, Lemmas  # noqa: F401 - compiled with the tagger

log = logging.getLogger(__name__)

LANGS = ("fi", "sv", "en")
FORMAT = "1"          # bump when the file layout below changes


def cache_root() -> Path:
    env = os.environ.get("KOKEMUS_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "kokemus"


def _data_folder() -> Path:
    from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER
    return Path(DATA_FOLDER)


_key_lock = threading.Lock()
_keys: dict[tuple, str] = {}


def cache_key(data_folder: Path | None = None) -> str:
    """simplemma's version + a hash of the data files the tries are built from: another
    simplemma, or other data, gets another folder and never reads these tries."""
    import simplemma
    folder = Path(data_folder) if data_folder is not None else _data_folder()
    files = [folder / f"{lang}.plzma" for lang in LANGS]
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _key_lock:
        found = _keys.get(stamp)
        if found is None:
            h = hashlib.sha256(FORMAT.encode())
            for p in files:
                h.update(p.read_bytes())
            found = f"simplemma-{simplemma.__version__}-{h.hexdigest()[:12]}"
            _keys[stamp] = found
        return found


def cache_dir() -> Path:
    return cache_root() / "lemmas" / cache_key()


def is_built(directory: Path | None = None) -> bool:
    directory = directory or cache_dir()
    return all((directory / f"{lang}.marisa").is_file() for lang in LANGS)


# ----------------------------------------------------------------------------- build

def build(directory: Path | None = None, progress=None) -> Path:
    """Write one trie per language (atomic: a reader never sees half a file)."""
    import marisa_trie
    from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

    directory = directory or cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for i, lang in enumerate(LANGS):
        target = directory / f"{lang}.marisa"
        if target.is_file():
            continue
        if progress:
            progress(i / len(LANGS), lang)
        raw = _load_dictionary_from_disk(lang)
        trie = marisa_trie.BytesTrie((k.decode("utf-8"), v) for k, v in raw.items())
        del raw
        tmp = directory / f".{lang}.marisa.{os.getpid()}.tmp"
        try:
            trie.save(str(tmp))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    if progress:
        progress(1.0, "")
    return directory


_build_lock = threading.Lock()
_build_started: set[str] = set()


def start_background_build(directory: Path) -> bool:
    """Build the tries in a separate process, once per process and cache folder; a
    second process that finds a build under way (its lock file is fresh) does not
    start another."""
    if os.environ.get("KOKEMUS_LEMMA_BUILD", "1") == "0":
        return False
    with _build_lock:
        if str(directory) in _build_started:
            return False
        _build_started.add(str(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = directory / ".building"
        try:
            if time.time() - lock.stat().st_mtime < 600:
                return False           # another process is building it now
        except OSError:
            pass
        lock.write_text(str(os.getpid()))
        subprocess.Popen([sys.executable, "-m", "etl.themes.build_lemmas", "--dir", str(directory)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         cwd=str(Path(__file__).resolve().parents[2]), start_new_session=True)
        return True
    except OSError:
        log.warning("could not start building the word tables", exc_info=False)
        return False


# ----------------------------------------------------------------------------- look-ups

class TrieMapping:
    """The read-only ``get`` that simplemma's strategies use, over a BytesTrie."""
    __slots__ = ("_get",)

    def __init__(self, trie) -> None:
        self._get = trie.get

    def get(self, key: str, default=None):
        value = self._get(key)
        return value[0].decode() if value else default

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


class MappedDictionaryFactory:
    """simplemma ``DictionaryFactory``: the memory-mapped trie when it is built, else
    simplemma's low-memory stream dictionary (same entries, slower) until it is."""

    def __init__(self, directory: Path | None = None, build_missing: bool = True) -> None:
        self.directory = directory
        self.build_missing = build_missing
        self._found: dict[str, object] = {}
        self._fallback = None
        self._look_again = 0.0      # monotonic time to look for a built trie again
        self._lock = threading.Lock()

    def _dir(self) -> Path:
        if self.directory is None:
            self.directory = cache_dir()
        return self.directory

    def get_dictionary(self, lang: str):
        found = self._found.get(lang)
        if found is not None:
            return found
        if self._fallback is not None and time.monotonic() < self._look_again:
            return self._fallback.get_dictionary(lang)
        with self._lock:
            found = self._found.get(lang)
            if found is not None:
                return found
            path = self._dir() / f"{lang}.marisa"
            if lang in LANGS and path.is_file():
                import marisa_trie
                try:
                    found = TrieMapping(marisa_trie.BytesTrie().mmap(str(path)))
                except Exception:  # noqa: BLE001 - a damaged file: rebuild, use the slow path now
                    log.warning("word table %s is damaged; rebuilding it", path.name)
                    path.unlink(missing_ok=True)
                    found = None
                if found is not None:
                    self._found[lang] = found
                    return found
            if self.build_missing and lang in LANGS:
                if start_background_build(self._dir()):
                    log.warning("Kokemus is building its word tables in %s (once, about 15 s); "
                                "until then lemmas come from simplemma's slower low-memory backend",
                                self._dir())
            if self._fallback is None:
                from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY
                self._fallback = LOW_MEMORY_DICTIONARY_FACTORY
            self._look_again = time.monotonic() + 5.0    # then look for the built trie again
            return self._fallback.get_dictionary(lang)


def _make_lemmatizer(factory):
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    return Lemmatizer(cache_max_size=0, lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


def reference_lemmas() -> Lemmas:
    """simplemma's own default path (decoded dicts): what the tries must agree with."""
    import simplemma
    return Lemmas(lambda word, lang: simplemma.lemmatize(word, lang=lang))


_default: Lemmas | None = None
_default_lock = threading.Lock()


def default_lemmas() -> Lemmas:
    global _default
    with _default_lock:
        if _default is None:
            try:
                import marisa_trie  # noqa: F401
                import simplemma
                factory = MappedDictionaryFactory()
                lemmatizer = _make_lemmatizer(factory)
                fast = FastPath(factory) if simplemma.__version__ == FAST_PATH_FOR else None
                _default = Lemmas(lemmatizer.lemmatize, fast)
            except ImportError:
                log.warning("marisa-trie is not installed: lemmas come from simplemma's decoded dictionaries")
                _default = reference_lemmas()
        return _default
