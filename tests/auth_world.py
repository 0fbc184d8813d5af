"""A small wellbeing area for the sign-in and scope tests, built by the real import.

Two service areas, three units, a year of feedback with comments in each, imported by two
different people (so undo rights differ), and one account per role. Names are chosen so a
leak is easy to see: every comment names its own unit.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import write_template_csv

UNITS = {"Osasto A1": "Alue A", "Osasto A2": "Alue A", "Poliklinikka B1": "Alue B"}
PASSWORD = "Pitkä-salasana-2026"
KINDS = ("moite", "kehitysehdotus", "kiitos", "")
TEXTS = ("Jonotin puhelimessa pitkään", "Hoitaja oli ystävällinen ja kuunteli",
         "Lääkäri selitti asiat selkeästi", "Pysäköinti oli hankalaa", "Ruoka oli kylmää",
         "Kiitos hyvästä hoidosta", "Odotusaika oli liian pitkä", "")

# role -> (units, areas) granted; administrator and quality see everything whatever they hold
ACCOUNTS = {
    "admin": ("administrator", (), ()),
    "laatu": ("quality", (), ()),
    "esihenkilo": ("manager", ("Osasto A1",), ()),
    "aluejohtaja": ("manager", (), ("Alue A",)),
    "hoitaja": ("nurse", ("Poliklinikka B1",), ()),
    "katselija": ("viewer", ("Osasto A2",), ()),
    "tyhja": ("manager", (), ()),
}


@dataclass
class World:
    db: Path
    unit_ids: dict[str, int]

    def visible(self, username: str) -> set[str]:
        role, units, areas = ACCOUNTS[username]
        if role in ("administrator", "quality"):
            return set(UNITS)
        return {u for u, a in UNITS.items() if u in units or a in areas}


def _rows(unit: str, rng: random.Random) -> list[dict]:
    rows = []
    for month in range(1, 13):
        for _ in range(rng.randint(6, 14)):
            text = rng.choice(TEXTS)
            rows.append({
                "Päivämäärä": f"{rng.randint(1, 28)}.{month}.2025", "Yksikkö": unit,
                "Palvelualue": UNITS[unit], "Kanava": rng.choice(["paperi", "kioski", "verkko"]),
                "Kieli": "fi", "Arvio": str(rng.randint(1, 5)), "Tyyppi": rng.choice(KINDS),
                "Palaute": f"{text} ({unit})" if text else "", "Vastaus toivottu": rng.choice(["kyllä", "ei", ""]),
            })
    return rows


def build(tmp_path: Path) -> World:
    from etl.pipeline import import_file
    from kokemus import db
    from kokemus.auth import accounts

    rng = random.Random(12)
    warehouse = tmp_path / "alue.duckdb"
    uploader = {"Osasto A1": "esihenkilo", "Osasto A2": "admin", "Poliklinikka B1": "hoitaja"}
    for unit in UNITS:
        path = write_template_csv(tmp_path / f"{unit.replace(' ', '_')}.csv", _rows(unit, rng))
        result = import_file(path, db_path=warehouse, imported_by=uploader[unit])
        assert result.status == "loaded", result.error_en
    for name, (role, units, areas) in ACCOUNTS.items():
        accounts.add(name, role, actor="test", password=PASSWORD, temporary=False,
                     units=units, areas=areas, email=f"{name}@alue.example", warehouse=warehouse)
    with db.connect(warehouse) as con:
        ids = dict(con.execute("SELECT name, unit_id FROM units").fetchall())
    return World(warehouse, ids)
