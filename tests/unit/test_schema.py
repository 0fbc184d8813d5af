"""The warehouse schema: numbered migrations, recorded once, and the public contract view."""
import duckdb

from kokemus import db

CONTRACT_COLUMNS = {
    "response_id": "BIGINT", "organisation": "VARCHAR", "service_area": "VARCHAR", "unit": "VARCHAR",
    "submitted_on": "DATE", "month": "DATE", "channel": "VARCHAR", "language": "VARCHAR",
    "score_5": "DOUBLE", "scale": "VARCHAR", "raw_score": "VARCHAR", "nps": "SMALLINT",
    "feedback_type": "VARCHAR", "comment": "VARCHAR", "wants_reply": "BOOLEAN",
    "source_file": "VARCHAR", "source_sheet": "VARCHAR", "source_row": "INTEGER",
    "batch_id": "INTEGER", "themes": "VARCHAR[]",
}


def test_migrations_are_numbered_and_applied_once(tmp_db):
    versions = [v for v, _, _ in db.migrations()]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    with db.connect(tmp_db) as con:
        recorded = [v for (v,) in con.execute("SELECT version FROM _migrations ORDER BY version").fetchall()]
        assert recorded == versions
        db._migrated.clear()
        assert db.ensure_schema(con, tmp_db) == []  # second run applies nothing


def test_contract_view_has_documented_columns_and_types(tmp_db):
    with db.connect(tmp_db) as con:
        cols = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = 'feedback'").fetchall())
    for name, typ in CONTRACT_COLUMNS.items():
        assert cols.get(name) == typ, name


def test_contract_is_documented():
    from pathlib import Path
    doc = (Path(__file__).parents[2] / "docs" / "data-contract.md").read_text(encoding="utf-8")
    for name in CONTRACT_COLUMNS:
        assert f"`{name}`" in doc, name


def test_bookkeeping_tables_exist(tmp_db):
    with db.connect(tmp_db) as con:
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"organisations", "service_areas", "units", "unit_aliases", "import_batches", "responses",
            "answers", "rejected_rows", "comment_tags", "monthly_rollup", "_migrations"} <= tables


def test_busy_warehouse_gives_a_message_not_a_traceback(tmp_db):
    import multiprocessing as mp
    with db.connect(tmp_db):
        pass
    ctx = mp.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(tmp_db), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        try:
            with db.connect(tmp_db, wait_s=0.3):
                raise AssertionError("expected the lock to be held by the other process")
        except db.WarehouseBusy as exc:
            assert "käytössä" in exc.fi and "in use" in exc.en
    finally:
        release.set()
        holder.join(30)


def _hold_lock(path, ready, release):
    con = duckdb.connect(path)
    ready.set()
    release.wait(30)
    con.close()
