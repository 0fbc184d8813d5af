"""One unit, one name: resolve the many spellings nurses use to canonical units.

Only *safe* rewrites merge automatically (case, spacing, punctuation, "os." = "osasto",
"TA" = "terveysasema", "5 B" = "5B"). Anything merely similar is offered as a suggestion
(rapidfuzz) and left to a person, because merging two real wards silently would corrupt
both wards' figures.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import duckdb
from rapidfuzz import fuzz, process

# A warehouse serves one wellbeing area in practice; its name can be set at the first
# import (--organisation) and this stands in until then.
DEFAULT_ORGANISATION = "Hyvinvointialue"

_ABBREVIATIONS = [
    (re.compile(r"^(os|osa)\b\.?"), "osasto"),
    (re.compile(r"\bta\b\.?"), "terveysasema"),
    (re.compile(r"\bterv\.?\s*as\b\.?"), "terveysasema"),
    (re.compile(r"\bpkl\b\.?"), "poliklinikka"),
    (re.compile(r"\bpol\b\.?"), "poliklinikka"),
    (re.compile(r"\bpäiv\b\.?"), "päivystys"),
]


def alias_key(name: str) -> str:
    """The spelling-insensitive key under which a unit name is stored and looked up."""
    s = unicodedata.normalize("NFC", str(name)).lower().strip()
    s = re.sub(r"[\u00a0\s]+", " ", s)
    for pattern, repl in _ABBREVIATIONS:
        s = pattern.sub(repl, s)
    s = re.sub(r"[^\w\s]", " ", s)           # punctuation -> space
    s = re.sub(r"(\d)\s+([a-zåäö])\b", r"\1\2", s)  # "5 b" -> "5b"
    return " ".join(s.split())


def lookup(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int | None]:
    keys = {n: alias_key(n) for n in names}
    rows = con.execute(
        "SELECT alias_key, unit_id FROM unit_aliases WHERE alias_key IN (SELECT unnest($keys))",
        {"keys": list(set(keys.values()))},
    ).fetchall()
    found = dict(rows)
    return {n: found.get(k) for n, k in keys.items()}


# Words every unit name shares: they are no evidence that two names are one unit.
GENERIC_WORDS = frozenset({
    "osasto", "os", "poliklinikka", "pkl", "terveysasema", "ta", "päivystys", "vuodeosasto",
    "avdelning", "avd", "mottagning", "ward", "clinic", "yksikkö", "unit", "terveyskeskus", "tk",
    "neuvola", "vastaanotto", "klinikka", "enhet", "hälsostation", "poliklinik", "department",
    "sairaala", "hospital", "yhteispäivystys", "jour", "vårdavdelning",
})
_CODE_WORD = re.compile(r"^(\d+[a-zåäö]?|[a-zåäö])$")


@lru_cache(maxsize=4096)
def name_parts(name: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(distinctive words as lemmas, codes) of a unit name: "Kirurgian osasto 5B" ->
    (("kirurgia",), {"5b"}); generic words and compound heads are dropped."""
    from etl.detect.unit_names import UNIT_HEADS, lemma
    words = alias_key(name).replace("-", " ").split()
    codes = frozenset(w for w in words if _CODE_WORD.match(w) and (any(ch.isdigit() for ch in w) or len(w) == 1))
    distinct = []
    for w in words:
        if w in codes or w in GENERIC_WORDS:
            continue
        lem = lemma(w)
        if lem == w and w.endswith("n") and len(w) > 4:
            lem = w[:-1]          # a genitive the lemmatiser does not know: "Järvilinnan"
        if lem in GENERIC_WORDS:
            continue
        for head in UNIT_HEADS:   # "keuhkotautiosasto" -> "keuhkotauti"
            if len(head) >= 5 and lem.endswith(head) and len(lem) - len(head) >= 3:
                lem = lem[: -len(head)]
                break
        distinct.append(lem)
    return tuple(distinct), codes


def similarity(a: str, b: str) -> float:
    """0..100: how likely two names are one unit. Differing numbers or codes rule a match
    out ("Os 9" / "Os 11", "Osasto 6C" / "Osasto 3A"); generic words count for nothing,
    so "Lasten päivystys" and "Aikuisten päivystys" are compared on "lapsi" / "aikuinen"."""
    if alias_key(a) == alias_key(b):
        return 100.0
    da, ca = name_parts(a)
    db, cb = name_parts(b)
    if ca != cb:
        return 0.0
    if not da and not db:
        return 100.0 if ca else 0.0
    if not da or not db:
        return 75.0 if ca else 0.0   # "Osasto 5B" vs "Kirurgian osasto 5B": worth asking
    return float(fuzz.token_sort_ratio(" ".join(da), " ".join(db)))


def unit_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every unit's name, in name order (what :func:`suggest` compares with)."""
    return [u for (u,) in con.execute("SELECT name FROM units ORDER BY name").fetchall()]


def suggest(con: duckdb.DuckDBPyConnection, name: str, limit: int = 3,
            cutoff: float = 70.0, units: list[str] | None = None) -> list[tuple[str, float]]:
    """Existing units that really look like ``name``, best first, for a person to choose
    from; an empty list when none is a real candidate. ``units``: :func:`unit_names`, when
    read already (a file's twenty new units are compared with one reading)."""
    units = unit_names(con) if units is None else units
    scored = [(u, round(similarity(name, u), 1)) for u in units]
    hits = sorted((h for h in scored if h[1] >= cutoff), key=lambda h: (-h[1], h[0]))
    return hits[:limit]


def preferred_spelling(counts: dict[str, int]) -> dict[str, int]:
    """Order spellings so the one a new unit is named after comes first in each group of
    one alias key: the majority spelling, never an all-caps minority."""
    return dict(sorted(counts.items(), key=lambda kv: (alias_key(kv[0]), kv[0].isupper(), -kv[1], kv[0])))


def ensure_organisation(con: duckdb.DuckDBPyConnection, name: str | None) -> int | None:
    if not name:
        row = next(iter(con.execute("SELECT min(organisation_id), count(*) FROM organisations").fetchall()), None)
        if row[1] == 1:
            return row[0]
        if row[1] > 1:
            return None  # which wellbeing area? a person must say (--organisation)
        name = DEFAULT_ORGANISATION
    row = next(iter(con.execute("SELECT organisation_id FROM organisations WHERE name = ?", [name]).fetchall()), None)
    if row:
        return row[0]
    new_id = con.execute("SELECT coalesce(max(organisation_id), 0) + 1 FROM organisations").fetchall()[0][0]
    con.execute("INSERT INTO organisations VALUES (?, ?)", [new_id, name]).fetchall()
    return new_id


def ensure_service_area(con: duckdb.DuckDBPyConnection, organisation_id: int | None,
                        name: str | None) -> int | None:
    if not isinstance(name, str) or not name.strip() or organisation_id is None:
        return None  # pandas hands missing values over as NaN, which is truthy
    name = " ".join(name.split())
    row = next(iter(con.execute(
        "SELECT service_area_id FROM service_areas WHERE organisation_id = ? AND name = ?",
        [organisation_id, name]).fetchall()), None)
    if row:
        return row[0]
    new_id = con.execute("SELECT coalesce(max(service_area_id), 0) + 1 FROM service_areas").fetchall()[0][0]
    con.execute("INSERT INTO service_areas VALUES (?, ?, ?)", [new_id, organisation_id, name]).fetchall()
    return new_id


def resolve_units(con: duckdb.DuckDBPyConnection, names: list[str], *, batch_id: int,
                  service_areas: dict[str, str | None] | None = None,
                  organisation: str | None = None,
                  choices: dict[str, str] | None = None) -> tuple[dict[str, int], list[str]]:
    """Map every source spelling to a unit id, creating units that are new.

    ``choices`` maps a source spelling to an existing unit name a person picked (the
    upload page's unit check); the spelling is then stored as an alias of that unit.
    Returns (spelling -> unit_id, names of units created by this batch).
    """
    service_areas = service_areas or {}
    choices = choices or {}
    found = lookup(con, names)
    chosen_ids = _unit_ids_by_name(con, [c for n, c in choices.items() if n in found and found[n] is None and c])
    org_id = None
    next_id: int | None = None
    created: list[str] = []
    out: dict[str, int] = {}
    keys: dict[str, int] = {}          # alias key -> unit, of the spellings this batch adds
    new_units: list[tuple[int, int | None, str]] = []
    made: dict[str, int] = {}          # name -> unit, of the units this batch creates
    areas: dict[tuple, int | None] = {}   # (organisation, service area) -> its id, asked once each
    new_aliases: list[tuple[str, int, str]] = []
    # Worked out name by name as one statement per name did (an alias a name of this file
    # adds is found by the next name of the same key), then written in two statements:
    # a file of 20 new units took 80 statements, a tenth of a second.
    for name in names:
        unit_id = found.get(name)
        chosen = choices.get(name)
        key = alias_key(name)
        if unit_id is None and chosen:
            unit_id = chosen_ids.get(chosen, made.get(chosen))
        if unit_id is None:
            unit_id = keys.get(key)    # two spellings of one new unit in the same file
        if unit_id is None:
            if org_id is None:
                org_id = ensure_organisation(con, organisation)
            area = service_areas.get(name)
            area_key = (org_id, " ".join(area.split()) if isinstance(area, str) else None)
            if area_key not in areas:
                areas[area_key] = ensure_service_area(con, org_id, area)
            sa_id = areas[area_key]
            if next_id is None:
                next_id = con.execute("SELECT coalesce(max(unit_id), 0) + 1 FROM units").fetchall()[0][0]
            unit_id, next_id = next_id, next_id + 1
            display = " ".join(str(name).split())
            new_units.append((unit_id, sa_id, display))
            made.setdefault(display, unit_id)
            created.append(display)
        if key not in keys and found.get(name) is None:
            new_aliases.append((key, unit_id, name))
        keys.setdefault(key, unit_id)
        out[name] = unit_id
    # rows in the order the names came (ORDER BY n), as the statements per name stored them
    if new_units:
        con.execute("INSERT INTO units (unit_id, service_area_id, name, created_batch_id) "
                    "SELECT i, a, m, $batch_id FROM (SELECT unnest($ids) AS i, unnest($areas) AS a, "
                    "unnest($names) AS m, unnest(range(len($ids))) AS n) ORDER BY n",
                    {"ids": [u[0] for u in new_units], "areas": [u[1] for u in new_units],
                     "names": [u[2] for u in new_units], "batch_id": batch_id}).fetchall()
    if new_aliases:
        # only keys the registry did not know (lookup) and each once: no conflict is left for
        # ON CONFLICT DO NOTHING, which would also store them out of order
        con.execute("INSERT INTO unit_aliases SELECT k, i, a, $batch_id FROM (SELECT unnest($keys) AS k, "
                    "unnest($ids) AS i, unnest($aliases) AS a, unnest(range(len($keys))) AS n) ORDER BY n",
                    {"keys": [a[0] for a in new_aliases], "ids": [a[1] for a in new_aliases],
                     "aliases": [a[2] for a in new_aliases], "batch_id": batch_id}).fetchall()
    return out, created


def _unit_ids_by_name(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int]:
    """unit name -> unit id of the units named (a person's choices on the upload page)."""
    if not names:
        return {}
    rows = con.execute("SELECT name, unit_id FROM units WHERE name IN (SELECT unnest($names)) ORDER BY rowid DESC",
                       {"names": list(dict.fromkeys(names))}).fetchall()
    return dict(rows)
