"""Who may do what on the close-the-loop pages (reply cases, actions, the review pack).

One small seam so login and roles (issue 12) slot in: every page and write goes through
:func:`can` and every query takes :func:`allowed_unit_ids`. When ``kokemus.auth`` is
present it decides; until then everyone may do everything on every unit.
"""
from __future__ import annotations

import importlib

ACTIONS = ("view_cases", "edit_cases", "view_contacts", "edit_promises", "edit_actions",
           "view_report")


def _auth():
    try:
        return importlib.import_module("kokemus.auth")
    except ImportError:
        return None


def can(action: str, unit_id: int | None = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    auth = _auth()
    check = getattr(auth, "can", None) if auth else None
    if check is None:
        return True
    try:
        return bool(check(action, unit_id))
    except TypeError:
        return bool(check(action))


def allowed_unit_ids() -> list[int] | None:
    """Unit ids the current user may see, or None for every unit."""
    auth = _auth()
    scope = getattr(auth, "allowed_unit_ids", None) if auth else None
    if scope is None:
        return None
    ids = scope()
    return None if ids is None else [int(i) for i in ids]
