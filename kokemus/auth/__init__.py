"""Sign-in, roles, unit scope and the audit trail.

The small API the rest of Kokemus calls:

* ``require_page(name)`` - first line of every page: stops the page unless the session
  may open it (signed in with a role that has the page's permission, or the demo);
* ``allowed_unit_ids()`` - the unit ids this session may see (None = all), which the
  sidebar puts into the shared ``Filters`` and ``scoped(f)`` re-imposes in the cache layer;
* ``may(permission)`` / ``require(permission)`` - role checks for buttons and actions;
  ``can(action, unit_id)`` answers kokemus.access's close-the-loop actions;
* ``current_user()`` - the signed-in :class:`Account` or None;
* ``record(action, ...)`` - append to the audit trail as the signed-in user.

Accounts and the audit trail live in their own DuckDB file (kokemus.auth.store).
"""
from __future__ import annotations

from kokemus.auth.roles import PERMISSIONS, ROLES  # noqa: F401

_SESSION_API = ("NotAllowed", "Who", "actor", "allowed_unit_ids", "can", "current", "current_user", "current_user_name", "may",
                "may_open", "may_undo", "record", "record_view", "require", "scoped", "uploader_name")


def __getattr__(name: str):
    """The session helpers load Streamlit's caches; the command line (accounts, audit)
    imports this package without them, so they are fetched on first use."""
    if name in _SESSION_API:
        from kokemus.auth import session
        return getattr(session, name)
    raise AttributeError(name)


def require_page(page: str) -> None:
    """Stop the page here unless this session may open it (see kokemus.auth.views)."""
    from kokemus.auth import views
    views.require_page(page)
