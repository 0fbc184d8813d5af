"""Roles and what each may do.

Kept as data, not as checks scattered over pages: a page asks ``can(role, permission)``
and the table below is the one answer. Scope (which units) is a separate question,
answered by :mod:`kokemus.auth.scope`.
"""
from __future__ import annotations

ROLES = ("administrator", "quality", "manager", "nurse", "viewer")

PERMISSIONS = ("view_kpis", "view_comments", "export", "upload", "import_log", "undo_any",
               "replies", "actions", "reports", "correct_tags", "manage_users", "audit")

_GRANTS: dict[str, frozenset[str]] = {
    "administrator": frozenset(PERMISSIONS),
    "quality": frozenset({"view_kpis", "view_comments", "export", "import_log", "replies",
                          "actions", "reports", "correct_tags"}),
    "manager": frozenset({"view_kpis", "view_comments", "export", "upload", "import_log",
                          "replies", "actions", "reports"}),
    "nurse": frozenset({"view_kpis", "view_comments", "upload", "import_log"}),
    "viewer": frozenset({"view_kpis"}),
}

ALL_UNITS_ROLES = frozenset({"administrator", "quality"})
"""Roles whose scope is the whole wellbeing area, whatever units they were given."""

PAGE_PERMISSIONS: dict[str, str] = {
    "overview": "view_kpis", "trends": "view_kpis", "problems": "view_kpis",
    "comments": "view_comments", "upload": "upload", "import_log": "import_log",
    "users": "manage_users", "audit": "audit",
    "replies": "replies", "actions": "actions", "report": "reports", "reports": "reports",
}
"""Which permission opens each page (by its name in kokemus.filters.PAGES). A page not
listed needs ``view_comments``: new pages start closed rather than open."""


def can(role: str | None, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return role in _GRANTS and permission in _GRANTS[role]


def page_permission(page: str) -> str:
    return PAGE_PERMISSIONS.get(page, "view_comments")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    return role
