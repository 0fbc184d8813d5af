"""Saved column mappings, reused when a file with the same header comes again.

A ward exports the same odd workbook every month; after someone has once said which column
is the score, the next month's file must import without asking. Profiles are small TOML
files under :func:`kokemus.config.profiles_dir`, keyed by a hash of the header texts.
"""
from __future__ import annotations

import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from etl.contract import ImportError_
from etl.detect.synonyms import MAPPABLE_FIELDS, normalise_header
from kokemus import config
from kokemus.i18n import t


@dataclass
class Profile:
    name: str
    signature: str
    columns: dict[str, str]
    path: Path | None = None


def header_signature(headers: list[str]) -> str:
    """Order-sensitive hash of the normalised header texts: the same export from the same
    platform gives the same signature, a renamed column a new one."""
    text = "\x1f".join(normalise_header(h) for h in headers if normalise_header(h))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def valid_field(target: str) -> bool:
    return target in MAPPABLE_FIELDS or (target.startswith("question:") and len(target) > 9)


def parse_map_options(options: list[str] | None) -> dict[str, str]:
    """``["Arvio 1-5=score", "Risut ja ruusut=comment"]`` -> {column: field}.

    The last ``=`` splits, so a column name may itself contain one."""
    out: dict[str, str] = {}
    for option in options or []:
        column, sep, target = option.rpartition("=")
        target = target.strip()
        if not sep or not column.strip() or not valid_field(target):
            fields = ", ".join(MAPPABLE_FIELDS)
            raise ImportError_(t("layout_bad_mapping", "fi", option=option, fields=fields),
                               t("layout_bad_mapping", "en", option=option, fields=fields),
                               code="bad_mapping", details={"option": option})
        out[column.strip()] = target
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", name.strip().lower()).strip("_") or "profile"


def save_profile(name: str, signature: str, columns: dict[str, str],
                 directory: Path | None = None) -> Path:
    """Write (or overwrite) a profile; returns its path."""
    for target in columns.values():
        if not valid_field(target):
            parse_map_options([f"x={target}"])  # raises with the standard message
    d = Path(directory) if directory else config.profiles_dir()
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(d, 0o700)          # column headers of a ward's forms: owner-only, like the warehouse
    path = d / f"{_slug(name)}.toml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(tomli_w.dumps({"name": name, "signature": signature, "columns": dict(columns)}))
    os.chmod(path, 0o600)
    return path


def load_profiles(directory: Path | None = None) -> list[Profile]:
    """Every readable profile, by file name; a broken file is ignored, not fatal."""
    d = Path(directory) if directory else config.profiles_dir()
    out = []
    for path in sorted(d.glob("*.toml")) if d.is_dir() else []:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            out.append(Profile(str(data["name"]), str(data["signature"]),
                               {str(k): str(v) for k, v in data.get("columns", {}).items()}, path))
        except (OSError, tomllib.TOMLDecodeError, KeyError, UnicodeDecodeError):
            continue
    return out


def find_profile(signature: str | None, directory: Path | None = None) -> Profile | None:
    if not signature:
        return None
    return next((p for p in load_profiles(directory) if p.signature == signature), None)
