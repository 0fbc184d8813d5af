"""Which units an account may see, as unit ids for the queries' ``$scope`` parameter.

``None`` means every unit (administrator, quality); a tuple - possibly empty - is the
whole truth for everyone else. Names are resolved against the warehouse at call time, so
a unit created by a later import joins an area-scoped account's view automatically.
"""
from __future__ import annotations

from pathlib import Path

from kokemus import db
from kokemus.auth.accounts import Account

_SQL = (Path(__file__).resolve().parent.parent / "sql" / "scope_units.sql").read_text(encoding="utf-8")


def unit_ids(account: Account | None, warehouse=None) -> tuple[int, ...] | None:
    if account is None or account.disabled:
        return ()
    if account.all_units:
        return None
    if not account.units and not account.areas:
        return ()
    with db.connect(warehouse) as con:
        rows = con.execute(_SQL, {"units": list(account.units), "areas": list(account.areas)}).fetchall()
    return tuple(int(r[0]) for r in rows)
