"""The tagger's per-comment pass compiled to C (Cython), with the Python source as fallback.

Why: tagging runs for every comment of every import, and in pure Python it cost about
25 µs a comment, half the import of a large workbook. Cython compiles the same source
files (``MODULES``), so there is one implementation to read and edit; the only additions are
C types for Cython (``cython.locals`` and ``analysis.pxd``), which Python ignores. The
compiled copy runs that code faster, and the tests compare both on generated comments.

How the right copy is chosen: ``make`` (``python -m etl.themes.build_native``) compiles the
modules into ``etl/themes/_native/<key>/``, where the key is a hash of their sources (and
of the Python ABI). :func:`install`, called first thing by ``etl.themes``, puts a finder on
``sys.meta_path`` that loads a module from there only when a build for the current
sources exists. An edited source therefore never runs stale compiled code: it runs as
Python (the log says so once) until the next ``make`` builds it again. ``KOKEMUS_NATIVE=0``
turns the compiled copy off (to compare the two, or to debug in Python).

If the build fails (no C compiler, no Python headers), the product works the same on the
Python path; the build records the failure so the tests can tell "not built" from "built
but not used".
"""
from __future__ import annotations

import fcntl
import hashlib
import importlib.machinery
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

PACKAGE = "etl.themes"
# the modules every comment passes through, in the order they import each other
MODULES = ("text", "patterns", "lemma_fast", "lemmas", "chunks", "analysis", "tagger")
FORMAT = "1"                     # bump when the build's layout or compiler options change
HERE = Path(__file__).resolve().parent
ROOT = HERE / "_native"
STATUS = "build.json"            # in a key's folder: {"ok": bool, "error": str, "modules": [...]}
KEEP_BUILDS = 3
# Cython's options: Python's semantics (annotations are not C types, only the explicit
# declarations are; index checks stay on), so both copies give the same tags.
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def source(name: str) -> Path:
    return HERE / f"{name}.py"


def build_key() -> str:
    """A hash of the compiled modules' sources and of this Python's extension ABI."""
    h = hashlib.sha256(FORMAT.encode())
    h.update(json.dumps(DIRECTIVES, sort_keys=True).encode())
    h.update(importlib.machinery.EXTENSION_SUFFIXES[0].encode())
    for name in MODULES:
        h.update(name.encode() + b"\0" + source(name).read_bytes() + b"\0")
        declarations = source(name).with_suffix(".pxd")      # Cython's C types for the module, if any
        if declarations.is_file():
            h.update(declarations.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def build_dir(key: str | None = None) -> Path:
    return ROOT / (key or build_key())


def _extension_path(folder: Path, name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return path
    return None


def build_status(key: str | None = None) -> dict | None:
    """What the last build for these sources recorded, or None when it never ran."""
    try:
        return json.loads((build_dir(key) / STATUS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def enabled() -> bool:
    return os.environ.get("KOKEMUS_NATIVE", "1").strip().lower() not in ("0", "no", "false", "off")


class _Finder:
    """Loads ``etl.themes.<name>`` from the build folder of the current sources."""

    def __init__(self, folder: Path, names: set[str]):
        self.folder = folder
        self.names = names

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in self.names:
            return None
        found = _extension_path(self.folder, name)
        if found is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(found))
        return importlib.util.spec_from_file_location(fullname, str(found), loader=loader)


_state: dict = {"installed": False, "reason": None, "folder": None, "told": False}


def install() -> str | None:
    """Use the compiled modules when built for the current sources; once per process.
    Returns why not, or None when they are used."""
    if _state["installed"]:
        return _state["reason"]
    _state["installed"] = True
    folder, reason = choose()
    if folder is not None:
        sys.meta_path.insert(0, _Finder(folder, set(MODULES)))
        _state["folder"] = folder
    _state["reason"] = reason
    return reason


def choose() -> tuple[Path | None, str | None]:
    """(the build folder to load from, None) or (None, why the Python source runs)."""
    if not enabled():
        return None, "turned off (KOKEMUS_NATIVE=0)"
    try:
        key = build_key()
    except OSError as exc:
        return None, f"its sources are not readable ({exc})"
    status = build_status(key)
    if status is None:
        return None, "not built for the current sources (run `make native`)"
    if not status.get("ok"):
        return None, f"its build failed: {status.get('error', '?')}"
    folder = build_dir(key)
    if set(status.get("modules", ())) != set(MODULES) or not all(_extension_path(folder, n) for n in MODULES):
        return None, "its build is incomplete (run `make native`)"
    return folder, None


def tell_once() -> None:
    """Log once per process that tagging runs as Python, and why (a Tagger calls this)."""
    if _state["told"]:
        return
    _state["told"] = True
    reason = install()
    if reason is not None and enabled():
        log.warning("the tagger runs as pure Python (slower): its compiled pass is %s", reason)


def in_use() -> dict[str, bool]:
    """Module name -> whether the loaded module is the compiled one."""
    out = {}
    for name in MODULES:
        mod = sys.modules.get(f"{PACKAGE}.{name}")
        out[name] = bool(mod is not None and isinstance(getattr(mod, "__loader__", None),
                                                         importlib.machinery.ExtensionFileLoader))
    return out


# ----------------------------------------------------------------------------- build

def build(force: bool = False, quiet: bool = True) -> dict:
    """Compile ``MODULES`` for the current sources (a no-op when built). Never raises for a
    failed compile: the failure is recorded and the Python path stays in use."""
    ROOT.mkdir(parents=True, exist_ok=True)
    # two builds in one checkout (two `make` runs) take turns: the second finds the first's
    with open(ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_locked(force, quiet)


def _cython_version() -> str:
    try:
        import Cython
    except ImportError:
        return ""
    return Cython.__version__


def _build_locked(force: bool, quiet: bool) -> dict:
    key = build_key()
    status = build_status(key)
    # a build by another Cython (the pin moved) is redone; the product itself never imports
    # Cython to tell, `make` runs this before every run
    if status is not None and status.get("ok") and not force and status.get("cython") == _cython_version():
        return status
    work = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=ROOT))
    t0 = time.monotonic()
    try:
        _compile(work, quiet)
        status = {"ok": True, "modules": list(MODULES)}
    except Exception as exc:  # noqa: BLE001 - any failure means: stay on the Python path
        status = {"ok": False, "error": f"{type(exc).__name__}: {str(exc).strip()[-500:]}", "modules": []}
    status.update(key=key, seconds=round(time.monotonic() - t0, 1), python=sys.version.split()[0],
                  cython=_cython_version())
    out = work / "out"
    out.mkdir(exist_ok=True)
    (out / STATUS).write_text(json.dumps(status, indent=1), encoding="utf-8")
    final = build_dir(key)
    old = ROOT / f".old-{key}-{os.getpid()}"
    if final.exists():
        final.rename(old)           # a process that loaded from it keeps its mapped files
    out.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    _prune(keep=final)
    return status


def _compile(work: Path, quiet: bool) -> None:
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension

    exts = [Extension(f"{PACKAGE}.{name}", [str(source(name))]) for name in MODULES]
    exts = cythonize(exts, build_dir=str(work / "c"), compiler_directives=DIRECTIVES, quiet=quiet,
                     force=True, nthreads=0)
    dist = Distribution({"ext_modules": exts, "script_args": ["build_ext"]})
    cmd = dist.get_command_obj("build_ext")
    cmd.build_lib = str(work / "lib")
    cmd.build_temp = str(work / "tmp")
    cmd.parallel = os.cpu_count() or 1
    dist.verbose = 0 if quiet else 1
    dist.run_command("build_ext")
    out = work / "out"
    out.mkdir()
    for name in MODULES:
        built = _extension_path(work / "lib" / Path(*PACKAGE.split(".")), name)
        if built is None:
            raise RuntimeError(f"{name} was not built")
        shutil.copy2(built, out / built.name)


def _prune(keep: Path) -> None:
    """Keep the newest few builds (another branch's sources may come back)."""
    builds = sorted((p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for p in builds[KEEP_BUILDS:]:
        if p != keep:
            shutil.rmtree(p, ignore_errors=True)
    for p in ROOT.glob(".*"):
        if p.is_dir() and time.time() - p.stat().st_mtime > 3600:
            shutil.rmtree(p, ignore_errors=True)
