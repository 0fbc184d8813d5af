"""The CLI through its real entry point (`python -m etl`), then reading the warehouse."""
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, write_template_csv

COMMANDS = ["import", "batches", "undo", "demo", "rebuild", "retag", "tag"]


def run(*args, stdin=None, env_db=None):
    import os
    env = {**os.environ}
    if env_db:
        env["KOKEMUS_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    r = run(command, "--help")
    assert r.returncode == 0
    assert len(r.stdout.strip().splitlines()) >= 3


def test_import_batches_undo(tmp_path):
    db = tmp_path / "w.duckdb"
    f = write_template_csv(tmp_path / "a.csv", [
        {"Päivämäärä": "1.3.2024", "Yksikkö": "Osasto 5B", "Arvio": "4"},
        {"Päivämäärä": "xx", "Yksikkö": "Osasto 5B", "Arvio": "4"}])
    r = run("import", str(f), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "a.csv" in r.stdout and "tuotu 1" in r.stdout and "Päivämäärä" in r.stdout
    strict = run("import", str(write_template_csv(tmp_path / "b.csv", [
        {"Päivämäärä": "2.3.2024", "Yksikkö": "Osasto 5B", "Arvio": "x"}])), "--db", str(db), "--strict")
    assert strict.returncode == 3
    listing = run("batches", "--db", str(db))
    assert "a.csv" in listing.stdout and "b.csv" in listing.stdout
    assert run("undo", "1", "--db", str(db)).returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM responses").fetchone()[0] == 1
    con.close()
    assert run("undo", "99", "--db", str(db)).returncode == 1


def test_kokemus_db_env_is_honoured(tmp_path):
    db = tmp_path / "env.duckdb"
    f = write_template_csv(tmp_path / "a.csv", [{"Päivämäärä": "1.3.2024", "Yksikkö": "X", "Arvio": "4"}])
    assert run("import", str(f), env_db=db).returncode == 0
    assert db.exists()


def test_missing_file_is_a_message(tmp_path):
    r = run("import", str(tmp_path / "ei-ole.xlsx"), "--db", str(tmp_path / "w.duckdb"))
    assert r.returncode == 1 and "ei-ole.xlsx" in r.stderr and "Traceback" not in r.stderr


def test_tag_reads_stdin_writes_json_lines():
    r = run("tag", stdin="Puhelimeen ei vastattu koko päivänä.\nKiitos hyvästä hoidosta!\n")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 2
    assert lines[0]["language"] == "fi" and any(t["theme"] == "phone" for t in lines[0]["themes"])
    assert lines[1]["type"] == "praise"


def test_retag_recomputes(tmp_path):
    db = tmp_path / "w.duckdb"
    f = write_template_csv(tmp_path / "a.csv", [
        {"Päivämäärä": "1.3.2024", "Yksikkö": "X", "Palaute": "Parkkipaikkoja oli liian vähän."}])
    assert run("import", str(f), "--db", str(db)).returncode == 0
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM comment_tags")
    con.close()
    r = run("retag", "--db", str(db))
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT themes FROM feedback").fetchone()[0] == ["parking"]
    con.close()


def test_retag_after_taxonomy_edit_changes_the_warehouse(tmp_path):
    """A quality manager adds a word to the taxonomy; retag files old comments under it."""
    import os
    import tomllib
    db = tmp_path / "w.duckdb"
    f = write_template_csv(tmp_path / "a.csv", [
        {"Päivämäärä": "1.3.2024", "Yksikkö": "X", "Palaute": "Kahvila oli suljettu koko viikonlopun."}])
    assert run("import", str(f), "--db", str(db)).returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    assert "food" not in con.execute("SELECT themes FROM feedback").fetchall()[0][0]
    con.close()
    src = ROOT / "etl" / "themes" / "taxonomy.toml"
    text = src.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert "food" in str(data)
    edited = tmp_path / "taxonomy.toml"
    # append the lemma to the first Finnish word list of the food theme
    marker = "[themes.food"
    assert marker in text, "taxonomy layout changed; update this test"
    head, tail = text.split(marker, 1)
    fi_at = tail.index("fi = [")
    tail = tail[:fi_at] + 'fi = ["kahvila", ' + tail[fi_at + len("fi = ["):]
    edited.write_text(head + marker + tail, encoding="utf-8")
    env = {**os.environ, "KOKEMUS_TAXONOMY": str(edited)}
    r = subprocess.run([sys.executable, "-m", "etl", "retag", "--db", str(db)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert "food" in con.execute("SELECT themes FROM feedback").fetchall()[0][0]
    con.close()


def test_similar_new_unit_is_suggested_not_merged(tmp_path):
    db = tmp_path / "w.duckdb"
    a = write_template_csv(tmp_path / "a.csv", [{"Päivämäärä": "1.3.2024", "Yksikkö": "Kirurgian poliklinikka", "Arvio": "4"}])
    b = write_template_csv(tmp_path / "b.csv", [{"Päivämäärä": "2.3.2024", "Yksikkö": "Kirurgin poliklinikka", "Arvio": "5"}])
    assert run("import", str(a), "--db", str(db)).returncode == 0
    r = run("import", str(b), "--db", str(db))
    assert r.returncode == 0
    assert "Kirurgin poliklinikka" in r.stdout and "muistuttaa" in r.stdout and "Kirurgian poliklinikka (" in r.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM units").fetchone()[0] == 2
    con.close()


@pytest.mark.parametrize("lang, word", [("fi", "(tyhjä)"), ("en", "(empty)"), ("sv", "(tom)")])
def test_an_empty_rejected_cell_reads_as_empty(tmp_path, lang, word):
    import os
    f = write_template_csv(tmp_path / "tyhja.csv", [
        {"Päivämäärä": "1.3.2024", "Yksikkö": "Osasto 5B", "Arvio": "4"},
        {"Päivämäärä": "", "Yksikkö": "Osasto 5B", "Arvio": "4", "Palaute": "Päivä jäi kirjaamatta."}])
    r = subprocess.run([sys.executable, "-m", "etl", "import", str(f), "--db", str(tmp_path / "w.duckdb")],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "KOKEMUS_LANG": lang})
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.strip().startswith("- ") and "Päivämäärä" in x)
    assert word in line and "None" not in line and "''" not in line, line
