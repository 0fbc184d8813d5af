"""Personal data at rest (issue 14 item 7): identity codes, phones and e-mails never stored
raw in any copy of a cell (comment, rejected cell, rejected row, raw score, answer, the
rejects export); warehouse, archive, profiles and upload temp files owner-only; upload temp
files swept; an undone batch's archived original deleted unless kept."""
from __future__ import annotations

import io
import os
import stat
import tempfile
import time
from pathlib import Path

import duckdb
from openpyxl import Workbook, load_workbook

from etl import pipeline
from kokemus import batches, config, upload_files
from tests.conftest import write_template_csv

HETU = "131052-308T"          # a valid Finnish identity code (checksum right)
PHONE = "040 123 4567"
EMAIL = "maija.meikalainen@example.fi"
RAW = (HETU, PHONE, "0401234567", EMAIL, "131052-308")


def everything_stored(db: Path) -> str:
    """Every text value of every table, as one string to search."""
    out = []
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_name NOT IN ('reply_contacts')").fetchall()]
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                out.append(" | ".join(str(v) for v in row))
    return "\n".join(out)


def files(tmp_path: Path) -> list[Path]:
    rows = [
        {"Päivämäärä": "2.9.2024", "Yksikkö": "Osasto 5B", "Arvio": PHONE, "Palaute": "Hyvä hoito."},   # phone as score
        {"Päivämäärä": "ei tiedossa", "Yksikkö": "Osasto 5B", "Arvio": "4",                         # rejected row
         "Palaute": f"Potilas {HETU}, soita {PHONE} tai {EMAIL}"},
        {"Päivämäärä": "3.9.2024", "Yksikkö": "Osasto 5B", "Arvio": "5", "Palaute": f"Henkilötunnus {HETU}"},
        {"Päivämäärä": "4.9.2024", "Yksikkö": "Osasto 5B", "Arvio": EMAIL},                          # e-mail as score
    ]
    template = write_template_csv(tmp_path / "palaute.csv", rows)
    wb = Workbook()
    ws = wb.active
    ws.title = "Vastaukset"
    ws.append(["Lomakepalautteet – Terveysasema Keskusta 2024"])
    ws.append(["Pvm", "Henkilökunta oli ystävällistä", "Odotusaika oli kohtuullinen", "Vapaa sana"])
    ws.append(["2.9.2024", 5, f"soita {PHONE}", "Hyvä palvelu."])
    ws.append(["3.9.2024", 4, 2, f"sähköposti {EMAIL}"])
    ws.append(["5.9.2024", HETU, 3, None])
    wide = tmp_path / "keskusta_syyskuu.xlsx"
    wb.save(wide)
    return [template, wide]


def test_no_stored_copy_of_a_cell_holds_an_identifier(tmp_db, tmp_path):
    results = [pipeline.import_file(f, db_path=tmp_db) for f in files(tmp_path)]
    assert [r.status for r in results] == ["loaded", "loaded"], [r.error_en for r in results]
    assert all(r.redactions > 0 for r in results)
    # the preview (what the nurse sees before importing) is redacted too
    again = tmp_path / "again"
    again.mkdir()
    preview = pipeline.preview_file(files(again)[0], db_path=tmp_db)
    shown = " ".join(str(r.value) + " " + str(r.row_values) for r in preview.rejects)
    assert not any(raw in shown for raw in RAW), shown
    stored = everything_stored(tmp_db)
    assert not any(raw in stored for raw in RAW), [raw for raw in RAW if raw in stored]
    assert "[PUHELIN]" in stored and "[SÄHKÖPOSTI]" in stored and "[HETU]" in stored
    # the rejects export a nurse downloads
    for r in results:
        data = batches.rejects_xlsx(r.batch_id, "fi", tmp_db)
        cells = " ".join(str(c.value) for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row)
        assert not any(raw in cells for raw in RAW), cells


def test_warehouse_archive_profiles_and_uploads_are_owner_only(tmp_db, tmp_path):
    old = os.umask(0o022)       # a typical umask: files would be world-readable by default
    try:
        r = pipeline.import_file(files(tmp_path)[0], db_path=tmp_db)
        profile = pipeline.remember_profile(r.batch_id, "sig", {"Arvio": "score"}, "Oma lomake", db_path=tmp_db)
        stored = upload_files.store(b"a;b\n1;2\n", "x.csv")
    finally:
        os.umask(old)
    archive = config.archive_dir(tmp_db)
    paths = [tmp_db, archive, *archive.rglob("*"), profile, profile.parent, stored.path, stored.path.parent]
    for p in paths:
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, f"{p} is {oct(stat.S_IMODE(p.stat().st_mode))}"
    upload_files.discard(stored.path.parent)


def test_upload_temp_files_are_swept(tmp_path):
    root = tmp_path / "tmp"
    root.mkdir()
    fresh = Path(tempfile.mkdtemp(prefix="kokemus-upload-", dir=root))
    stale = Path(tempfile.mkdtemp(prefix="kokemus-upload-", dir=root))
    other = root / "someone-elses"
    other.mkdir()
    (stale / "x.xlsx").write_bytes(b"PK")
    long_ago = time.time() - upload_files.STALE_SECONDS - 60
    os.utime(stale, (long_ago, long_ago))
    assert upload_files.sweep(older_than=upload_files.STALE_SECONDS, root=root) == 1
    assert fresh.exists() and not stale.exists() and other.exists()
    # at server start every upload directory goes: no session can own one yet
    assert upload_files.sweep(root=root) == 1
    assert not fresh.exists() and other.exists()


def test_undo_deletes_the_archived_original_unless_kept(tmp_db, tmp_path):
    first, second = files(tmp_path)
    a = pipeline.import_file(first, db_path=tmp_db)
    b = pipeline.import_file(second, db_path=tmp_db)
    archive = config.archive_dir(tmp_db)
    originals = lambda: sorted(p.name for p in archive.rglob("*") if p.is_file() and p.parent != archive)
    assert len(originals()) == 2
    pipeline.undo(a.batch_id, db_path=tmp_db)
    assert len(originals()) == 1
    pipeline.undo(b.batch_id, db_path=tmp_db, keep_original=True)
    assert len(originals()) == 1


def test_a_damaged_warehouse_is_explained_without_duckdb_words(tmp_path, caplog):
    from kokemus import db
    bad = tmp_path / "rikki.duckdb"
    bad.write_bytes(b"this is not a database " * 100)
    with caplog.at_level("ERROR", logger="kokemus.db"):
        try:
            with db.connect(bad):
                raise AssertionError("a damaged file must not open")
        except db.WarehouseError as exc:
            fi, en = exc.fi, exc.en
    assert "rikki.duckdb" in fi and "vioittunut" in fi and "damaged" in en
    assert "DuckDB" not in fi + en and "Error" not in fi + en and str(tmp_path) not in fi + en
    assert "rikki.duckdb" in caplog.text          # the raw reason is in the server log
