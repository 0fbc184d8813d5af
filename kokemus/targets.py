"""Configurable KPI targets, read from ``kokemus/targets.toml`` (or ``KOKEMUS_TARGETS``).

Targets live in a file an administrator can edit, not in code, because each wellbeing
area sets its own (Keski-Suomi and Päijät-Häme publish very different NPS levels).
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

DEFAULT_FILE = Path(__file__).parent / "targets.toml"


def targets_file() -> Path:
    env = os.environ.get("KOKEMUS_TARGETS")
    return Path(env) if env else DEFAULT_FILE


def load_targets(path: str | os.PathLike | None = None) -> dict[str, float]:
    """Measure name -> target; a missing file means no targets (no assurance icons)."""
    p = Path(path) if path else targets_file()
    if not p.exists():
        return {}
    with p.open("rb") as fh:
        data = tomllib.load(fh)
    return {name: float(spec["target"]) for name, spec in data.items()
            if isinstance(spec, dict) and spec.get("target") is not None}


def target_for(measure: str, path: str | os.PathLike | None = None) -> float | None:
    return load_targets(path).get(measure)
