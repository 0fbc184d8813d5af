"""Uploaded bytes -> a private file the ETL can read.

The browser sends a file name chosen by whoever made the file; it must never become part
of a path (``../../etc/cron.d/x.csv``, ``CON.xlsx``, a name with NUL bytes). The bytes are
therefore written under a generated name in a private (0700) temp directory and only the
checked extension is kept, because the ETL readers dispatch on it. Nothing is executed:
the readers only read cell values, so macros in an .xlsm stay inert.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from kokemus import config

ALLOWED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt")
_DISPLAY_NAME_MAX = 120


class UploadRejected(ValueError):
    """A file refused before any parsing; ``code`` picks the catalogue message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class StoredUpload:
    path: Path          # where the bytes now live (generated name)
    display_name: str   # the user's base name, cleaned, for messages and the batch record
    size: int


def display_name(raw_name: str) -> str:
    """The user's file name reduced to a harmless base name for display and records."""
    name = str(raw_name or "")
    name = PureWindowsPath(PurePosixPath(name.replace("\\", "/")).name).name
    name = "".join(ch for ch in unicodedata.normalize("NFC", name)
                   if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".") or "tiedosto"
    return name[:_DISPLAY_NAME_MAX]


def extension_of(raw_name: str) -> str:
    """The lower-case extension if it is on the allow-list, else raise UploadRejected."""
    suffix = Path(display_name(raw_name)).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise UploadRejected("upload_bad_extension", ext=suffix or "-",
                             allowed=", ".join(ALLOWED_EXTENSIONS))
    return suffix


def max_bytes() -> int:
    return config.max_upload_mb() * 1024 * 1024


_PREFIX = "kokemus-upload-"
STALE_SECONDS = 12 * 3600   # no preview stays open this long; its session has ended


def private_dir() -> Path:
    """A fresh 0700 directory; the caller removes it with :func:`discard`. Directories
    that sessions long gone left behind (a closed tab never says goodbye) go first."""
    sweep(older_than=STALE_SECONDS)
    return Path(tempfile.mkdtemp(prefix=_PREFIX))


def sweep(older_than: float | None = None, root: Path | None = None) -> int:
    """Remove this user's upload directories (all, or those untouched for ``older_than``
    seconds); ``kokemus.serve`` removes all at start, when no session can own one."""
    import time
    root = Path(root or tempfile.gettempdir())
    removed = 0
    now = time.time()
    for d in root.glob(_PREFIX + "*"):
        try:
            st = d.lstat()
            if not d.is_dir() or d.is_symlink() or st.st_uid != os.getuid():
                continue
            if older_than is not None and now - st.st_mtime < older_than:
                continue
        except OSError:
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed += 1
    return removed


def store(data: bytes, raw_name: str, directory: Path | None = None) -> StoredUpload:
    """Check name and size, then write ``data`` under a generated name in ``directory``."""
    ext = extension_of(raw_name)
    size = len(data)
    limit = max_bytes()
    if size > limit:
        raise UploadRejected("upload_too_large", mb=round(size / 1024 / 1024, 1),
                             limit=config.max_upload_mb())
    if size == 0:
        raise UploadRejected("upload_empty")
    directory = directory or private_dir()
    path = directory / f"{uuid.uuid4().hex}{ext}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return StoredUpload(path=path, display_name=display_name(raw_name), size=size)


def discard(path_or_dir: Path) -> None:
    """Remove a stored upload (file or its private directory); missing is fine."""
    target = Path(path_or_dir)
    if target.is_dir():
        shutil.rmtree(target, ignore_errors=True)
    else:
        target.unlink(missing_ok=True)
