"""Imports, undos and rebuilds killed (SIGKILL) at the moments that used to lose data;
afterwards a rebuild restores exactly the batches in force (issue 14, item 3)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.pipeline import RebuildNotes, import_file, rebuild, undo
from etl.store import archive
from etl.store.load import AlreadyUndone

ROOT = Path(__file__).resolve().parents[2]


def _csv(path: Path, unit: str, n: int) -> Path:
    lines = ["Päivämäärä;Yksikkö;Arvio;Palaute"]
    lines += [f"{1 + i % 28}.3.2024;{unit};{1 + i % 5};Palaute {unit} {i}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cli(db: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOKEMUS_")}
    env.update({"KOKEMUS_LANG": "en", "KOKEMUS_DB": str(db)})
    if fault:
        env["KOKEMUS_FAULT"] = fault
    return subprocess.run([sys.executable, "-m", "etl", *args, "--db", str(db)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _counts(db: Path) -> tuple[dict[int, int], set[int]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = dict(con.execute("SELECT batch_id, count(*) FROM responses GROUP BY 1").fetchall())
        undone = {b for (b,) in con.execute("SELECT batch_id FROM import_batches WHERE status = 'undone'").fetchall()}
    finally:
        con.close()
    return loaded, undone


def test_kills_at_every_point_lose_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    files = [_csv(tmp_path / f"f{i}.csv", f"Osasto {i}", 3 + i) for i in range(5)]
    assert _cli(db, "import", str(files[0])).returncode == 0
    # committed, killed before the manifest line: the batch used to vanish at rebuild
    out = _cli(db, "import", str(files[1]), fault="import_after_commit")
    assert out.returncode == -9
    assert _cli(db, "import", str(files[2])).returncode == 0
    # undo committed, killed before its manifest line: the undone rows used to come back
    out = _cli(db, "undo", "1", fault="undo_after_commit")
    assert out.returncode == -9
    expected = {2: 4, 3: 5}
    assert _counts(db)[0] == expected

    # a rebuild killed half way, before and after the swap: a warehouse is always there
    for fault in ("rebuild_replaying", "rebuild_before_swap", "rebuild_after_swap"):
        out = _cli(db, "rebuild", fault=fault)
        assert out.returncode == -9, (fault, out.stderr)
        assert db.exists()
        assert _counts(db)[0] == expected, fault
    out = _cli(db, "rebuild")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert _counts(db)[0] == expected  # the same batch ids, the same rows
    assert not list(tmp_path.glob(".w.duckdb.rebuild-*"))  # killed rebuilds' copies removed
    assert stat.S_IMODE(db.stat().st_mode) == 0o600

    # later imports and undos go on from there and survive the next rebuild too
    assert _cli(db, "import", str(files[3])).returncode == 0
    assert _cli(db, "undo", "2").returncode == 0
    assert _cli(db, "rebuild").returncode == 0
    assert _counts(db)[0] == {3: 5, 4: 6}


def test_torn_manifest_line_is_skipped_with_a_warning(tmp_path):
    db = tmp_path / "w.duckdb"
    assert _cli(db, "import", str(_csv(tmp_path / "a.csv", "Osasto A", 4))).returncode == 0
    manifest = archive.root_path(db) / "manifest.jsonl"
    with open(manifest, "ab") as fh:
        fh.write(b'{"event": "import", "batch_id": 9, "ha')  # a process killed mid-write
    assert _cli(db, "import", str(_csv(tmp_path / "b.csv", "Osasto B", 2))).returncode == 0
    out = _cli(db, "rebuild")
    assert out.returncode == 0, out.stderr
    assert "damaged line" in out.stderr and "Traceback" not in out.stderr
    assert _counts(db)[0] == {1: 4, 2: 2}


def test_undo_twice_says_so_and_undo_removes_the_original(tmp_path):
    db = tmp_path / "w.duckdb"
    a = import_file(_csv(tmp_path / "a.csv", "Osasto A", 3), db_path=db)
    b = import_file(_csv(tmp_path / "b.csv", "Osasto B", 3), db_path=db)
    digest_a, digest_b = archive.file_hash(tmp_path / "a.csv"), archive.file_hash(tmp_path / "b.csv")
    originals = archive.root_path(db)
    assert (originals / digest_a[:2] / digest_a).exists()
    assert undo(a.batch_id, db_path=db) == 3
    assert not (originals / digest_a[:2] / digest_a).exists()
    with pytest.raises(AlreadyUndone) as info:
        undo(a.batch_id, db_path=db)
    assert "already been undone" in info.value.en and str(a.batch_id) in info.value.fi
    out = _cli(db, "undo", str(a.batch_id))
    assert out.returncode == 0 and "already been undone" in out.stdout
    undo(b.batch_id, db_path=db, keep_original=True)  # an administrator keeps it
    assert (originals / digest_b[:2] / digest_b).exists()
    notes = RebuildNotes()
    assert rebuild(db_path=db, notes=notes) == []
    assert _counts(db)[0] == {}
