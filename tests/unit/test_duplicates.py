"""Duplicates across files (issue 14 item 4): identical rows in different files are different
people unless they carry the same response id or the new file evidently re-exports an earlier
batch; every duplicate names the batch it duplicates. Real warehouse, real files."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from etl import pipeline
from kokemus import batches, db

ROOT = Path(__file__).resolve().parents[2]
HEADERS = ["Vastaus-ID", "Päivämäärä", "Yksikkö", "Kanava", "Arvio", "Asteikko", "Palaute"]

# what people write at a kiosk or in a web form: short thanks repeat, the rest rarely does
THANKS = ["Kiitos!", "Hyvä palvelu", "kiitos"]
OPENINGS = ["Odotin", "Jonotin", "Istuin aulassa", "Odotusaika oli"]
MIDDLES = ["puoli tuntia", "yli tunnin", "vain hetken", "kaksi tuntia", "20 min"]
ENDINGS = ["ja hoitaja oli ystävällinen.", "eikä kukaan kertonut mitään.", "mutta lääkäri ehti kuunnella.",
           "ja parkkipaikka oli täynnä.", "– ensi kerralla ajanvaraus netistä?"]


def sentence(rng: random.Random) -> str:
    text = f"{rng.choice(OPENINGS)} {rng.choice(MIDDLES)} {rng.choice(ENDINGS)}"
    return text.lower() if rng.random() < 0.2 else text


def kiosk_rows(rng: random.Random, n: int, day: str, unit: str = "Päivystys", comments: float = 0.2):
    """Smiley-kiosk answers of one day: mostly 5s and 4s, now and then a comment."""
    rows = []
    for _ in range(n):
        row = {"Päivämäärä": day, "Yksikkö": unit, "Kanava": "kioski",
               "Arvio": str(rng.choices([5, 4, 3, 2, 1], [55, 25, 10, 5, 5])[0]), "Asteikko": "1-5"}
        if rng.random() < comments:
            row["Palaute"] = rng.choice(THANKS)      # only the common thanks: genuine repeats
        rows.append(row)
    return rows


def web_rows(rng: random.Random, n: int, month: int, unit: str = "Osasto 5B", first_id: int = 1000):
    """A web survey export: a response id per row, scores, a comment on about half."""
    rows = []
    for i in range(n):
        row = {"Vastaus-ID": str(first_id + i), "Päivämäärä": f"{rng.randint(1, 28)}.{month}.2026",
               "Yksikkö": unit, "Kanava": "verkko", "Arvio": str(rng.choice([5, 5, 4, 3, 2])), "Asteikko": "1-5"}
        if rng.random() < 0.5:
            row["Palaute"] = sentence(rng) + f" (käynti {i})" if rng.random() < 0.5 else sentence(rng)
        rows.append(row)
    return rows


def write(path: Path, rows: list[dict], *, ids: bool = True, sep: str = ";") -> Path:
    headers = [h for h in HEADERS if ids or h != "Vastaus-ID"]
    lines = [sep.join(headers)]
    for r in rows:
        cells = []
        for h in headers:
            v = str(r.get(h, ""))
            if sep in v or '"' in v:
                v = '"' + v.replace('"', '""') + '"'
            cells.append(v)
        lines.append(sep.join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(db_path) -> int:
    with db.connect(db_path) as con:
        return con.execute("SELECT count(*) FROM responses").fetchone()[0]


def test_two_kiosk_exports_of_the_same_day_both_land(tmp_db, tmp_path):
    rng = random.Random(14)
    aula = kiosk_rows(rng, 60, "3.3.2026")
    ovi = kiosk_rows(rng, 45, "3.3.2026")
    a = pipeline.import_file(write(tmp_path / "kioski_aula_2026-03-03.csv", aula, ids=False), db_path=tmp_db)
    b = pipeline.import_file(write(tmp_path / "kioski_ovi_2026-03-03.csv", ovi, ids=False), db_path=tmp_db)
    assert (a.status, b.status) == ("loaded", "loaded"), b.error_en
    assert (b.rows_loaded, b.rows_duplicate) == (45, 0)
    assert count(tmp_db) == 105
    # many rows are identical ("5", same day, same unit): kept, and said so, naming batch 1
    assert b.identical_kept and b.identical_kept[0].batch_id == a.batch_id
    assert b.identical_kept[0].rows >= 20
    note = b.duplicate_notes("en")[0]
    assert f"batch {a.batch_id} (kioski_aula_2026-03-03.csv)" in note and "separate responses" in note
    # the preview of a third kiosk file says the same before anything is written
    third = write(tmp_path / "kioski_lasten.csv", kiosk_rows(rng, 30, "3.3.2026"), ids=False)
    preview = pipeline.preview_file(third, db_path=tmp_db)
    assert (preview.rows_loaded, preview.rows_duplicate) == (30, 0)


def test_different_response_ids_are_different_responses(tmp_db, tmp_path):
    rng = random.Random(7)
    rows = web_rows(rng, 40, 4)
    other = [{**r, "Vastaus-ID": str(int(r["Vastaus-ID"]) + 500)} for r in rows]   # same content, new ids
    pipeline.import_file(write(tmp_path / "webropol_huhti.csv", rows), db_path=tmp_db)
    b = pipeline.import_file(write(tmp_path / "webropol_huhti_toinen.csv", other), db_path=tmp_db)
    assert (b.rows_loaded, b.rows_duplicate) == (40, 0)


def _reexport(rows, rng, new):
    again = list(rows)
    rng.shuffle(again)
    return again + new


def test_reexport_without_ids_reordered_with_new_rows_names_its_batch(tmp_db, tmp_path):
    rng = random.Random(21)
    rows = web_rows(rng, 50, 5)
    first = pipeline.import_file(write(tmp_path / "palaute_touko.csv", rows, ids=False), db_path=tmp_db)
    new = web_rows(rng, 4, 5, first_id=9000)
    again = write(tmp_path / "palaute_touko_uudelleen.csv", _reexport(rows, rng, new), ids=False, sep=",")
    preview = pipeline.preview_file(again, db_path=tmp_db)
    r = pipeline.import_file(again, db_path=tmp_db)
    assert (preview.rows_loaded, preview.rows_duplicate) == (r.rows_loaded, r.rows_duplicate) == (4, 50)
    assert [(g.batch_id, g.reason, g.rows) for g in r.duplicates_of] == [(first.batch_id, "re_export", 50)]
    assert count(tmp_db) == 54
    rows_logged = batches.duplicate_rows(r.batch_id, tmp_db)
    assert len(rows_logged) == 50 and set(rows_logged["duplicate_of"]) == {first.batch_id}
    assert set(rows_logged["duplicate_file"]) == {"palaute_touko.csv"}
    # the rows named are the re-exported ones, not the four new ones
    assert set(rows_logged["source_row"]) == set(range(2, 52))


def test_reexport_with_ids_of_a_batch_without_and_the_reverse(tmp_db, tmp_path):
    rng = random.Random(5)
    march, april = web_rows(rng, 30, 3), web_rows(rng, 30, 4, first_id=5000)
    a = pipeline.import_file(write(tmp_path / "maalis.csv", march, ids=False), db_path=tmp_db)
    b = pipeline.import_file(write(tmp_path / "huhti.csv", april, ids=True), db_path=tmp_db)
    # the March export again, now with ids; the April one again, now without
    r1 = pipeline.import_file(write(tmp_path / "maalis_id.csv", _reexport(march, rng, []), ids=True), db_path=tmp_db)
    r2 = pipeline.import_file(write(tmp_path / "huhti_ilman.csv", _reexport(april, rng, []), ids=False),
                              db_path=tmp_db)
    assert [(g.batch_id, g.reason, g.rows) for g in r1.duplicates_of] == [(a.batch_id, "re_export", 30)]
    assert [(g.batch_id, g.reason, g.rows) for g in r2.duplicates_of] == [(b.batch_id, "re_export", 30)]
    assert (r1.rows_loaded, r2.rows_loaded) == (0, 0)
    assert count(tmp_db) == 60


def test_same_ids_are_duplicates_and_a_cumulative_export_names_each_batch(tmp_db, tmp_path):
    rng = random.Random(9)
    march, april = web_rows(rng, 25, 3), web_rows(rng, 35, 4, first_id=2000)
    a = pipeline.import_file(write(tmp_path / "maalis.csv", march), db_path=tmp_db)
    b = pipeline.import_file(write(tmp_path / "huhti.csv", april), db_path=tmp_db)
    may = web_rows(rng, 10, 5, first_id=3000)
    everything = write(tmp_path / "kaikki_vastaukset.csv", _reexport(march + april, rng, may))
    r = pipeline.import_file(everything, db_path=tmp_db)
    assert r.rows_loaded == 10 and r.rows_duplicate == 60
    assert [(g.batch_id, g.reason, g.rows) for g in r.duplicates_of] == [
        (a.batch_id, "same_id", 25), (b.batch_id, "same_id", 35)]
    # the same cumulative export without ids: recognised by content, each row names its batch
    c = pipeline.import_file(write(tmp_path / "kaikki_ilman.csv", _reexport(march + april + may, rng, []),
                                   ids=False), db_path=tmp_db)
    assert c.rows_loaded == 0
    assert {g.batch_id: g.rows for g in c.duplicates_of} == {a.batch_id: 25, b.batch_id: 35, r.batch_id: 10}
    assert count(tmp_db) == 70


def test_reimport_of_the_same_file_stays_idempotent(tmp_db, tmp_path):
    rng = random.Random(3)
    f = write(tmp_path / "kioski.csv", kiosk_rows(rng, 40, "9.3.2026"), ids=False)
    first = pipeline.import_file(f, db_path=tmp_db)
    again = pipeline.import_file(f, db_path=tmp_db)
    assert again.status == "already_imported" and again.batch_id == first.batch_id
    assert count(tmp_db) == 40
    # rebuild replays the same decisions
    pipeline.import_file(write(tmp_path / "kioski2.csv", kiosk_rows(rng, 20, "9.3.2026"), ids=False), db_path=tmp_db)
    before = count(tmp_db)
    assert [x.status for x in pipeline.rebuild(db_path=tmp_db)] == ["loaded", "loaded"]
    assert count(tmp_db) == before == 60


def test_undo_of_a_reexport_keeps_the_original_rows(tmp_db, tmp_path):
    rng = random.Random(11)
    rows = web_rows(rng, 20, 6)
    pipeline.import_file(write(tmp_path / "a.csv", rows, ids=False), db_path=tmp_db)
    r = pipeline.import_file(write(tmp_path / "b.csv", _reexport(rows, rng, web_rows(rng, 2, 6, 99)), ids=False),
                             db_path=tmp_db)
    assert r.rows_duplicate == 20
    pipeline.undo(r.batch_id, db_path=tmp_db)
    assert count(tmp_db) == 20
    assert batches.duplicate_rows(r.batch_id, tmp_db).empty


def test_cli_summary_names_the_duplicated_batch(tmp_db, tmp_path):
    rng = random.Random(2)
    rows = web_rows(rng, 20, 7)
    a = write(tmp_path / "heinä.csv", rows, ids=False)
    b = write(tmp_path / "heinä_uudestaan.csv", _reexport(rows, rng, []), ids=False)
    out = subprocess.run([sys.executable, "-m", "etl", "import", str(a), str(b), "--db", str(tmp_db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "KOKEMUS_LANG": "en", "KOKEMUS_DB": str(tmp_db)})
    assert out.returncode == 0, out.stderr
    assert "20 row(s) already imported in batch 1 (heinä.csv): this file re-exports that batch." in out.stdout
