"""The review pack from the command line on the demo warehouse: its PDF rendered
(pdftoppm) and read (pdftotext), its XLSX read back (openpyxl), figures against SQL,
determinism, and no contact details anywhere in it."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kokemus import db
from kokemus.report import build, parse_period
from kokemus.report import render

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pack(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "etl", "report", "--db", str(demo_db), "--period", "2026-09..2026-10",
                           "--level", "service_area", "--format", "pdf,xlsx,html", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    print(f"report CLI wall time {time.perf_counter() - started:.1f} s; {proc.stderr.strip()}")
    paths = [Path(line) for line in proc.stdout.splitlines()]
    assert [p.suffix for p in paths] == [".pdf", ".xlsx", ".html"] and all(p.exists() for p in paths)
    return dict(zip(("pdf", "xlsx", "html"), paths))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def sql_all(query: str, params=()):
    with db.connect() as con:
        return con.execute(query, list(params)).fetchall()


def sql_one(query: str, params=()):
    with db.connect() as con:
        return con.execute(query, list(params)).fetchone()


def test_period_is_parsed_and_refused_clearly():
    assert parse_period("2026-09..2026-10") == (date(2026, 9, 1), date(2026, 10, 1))
    for bad in ("2026-9..2026-10", "2026-10..2026-09", "syys-loka", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_pdf_renders_and_its_text_matches_sql(pack, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pack["pdf"]), str(tmp_path / "p")], check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) >= 5
    text = pdf_text(pack["pdf"])
    responses, = sql_one("SELECT count(*) FROM feedback WHERE month BETWEEN DATE '2026-09-01' AND DATE '2026-10-01'")
    assert "Palautekatsaus johtoryhmälle" in text and "Järvi-Suomen hyvinvointialue" in text
    assert f"{responses:,}".replace(",", "\u00a0") in text or str(responses) in text
    for area, in sql_all("SELECT name FROM service_areas"):
        assert area in text.replace("\n", " ") or area[:12] in text
    assert "Nostot" in text and "Vastauslupaus" in text


def test_xlsx_reads_back_with_sql_figures(pack):
    wb = openpyxl.load_workbook(pack["xlsx"])
    assert {"KPI", "Ryhmat", "Aiheet", "Vastauslupaus", "Nostot"} <= set(wb.sheetnames)
    kpi = {row[0]: row for row in wb["KPI"].iter_rows(min_row=3, values_only=True)}
    responses, = sql_one("SELECT count(*) FROM feedback WHERE month BETWEEN DATE '2026-09-01' AND DATE '2026-10-01'")
    assert kpi["Palautteita"][1] == responses
    groups = {row[0]: row for row in wb["Ryhmat"].iter_rows(min_row=3, values_only=True)}
    for area, n in sql_all(
            "SELECT service_area, count(*) FROM feedback WHERE month BETWEEN DATE '2026-09-01' "
            "AND DATE '2026-10-01' GROUP BY 1"):
        shown = groups[area][1]
        assert shown == n or (shown is None and n < 5), area
    promise = {row[0]: row for row in wb["Vastauslupaus"].iter_rows(min_row=3, values_only=True)}
    for area, due in sql_all(
            "SELECT sa.name, count(*) FROM reply_cases c JOIN units u USING (unit_id) "
            "JOIN service_areas sa USING (service_area_id) WHERE date_trunc('month', c.due_on) "
            "BETWEEN DATE '2026-09-01' AND DATE '2026-10-01' AND (c.due_on < DATE '2026-10-31' "
            "OR c.status = 'replied') GROUP BY 1"):
        assert promise[area][1] == due, area


def test_no_contact_details_in_any_form(pack):
    with db.connect() as con:
        contacts = [v for row in con.execute("SELECT phone, email FROM reply_contacts").fetchall() for v in row if v]
    wb = openpyxl.load_workbook(pack["xlsx"])
    xlsx_text = " ".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v)
    texts = [pdf_text(pack["pdf"]), pack["html"].read_text(encoding="utf-8"), xlsx_text]
    for c in contacts:
        assert all(c not in text for text in texts), c
    assert all("[PUHELIN]" not in text and "[HETU]" not in text for text in texts)


def test_same_data_same_pack(demo_db):
    one = render.make(build(date(2026, 9, 1), date(2026, 10, 1), level="organisation", db_path=demo_db))
    two = render.make(build(date(2026, 9, 1), date(2026, 10, 1), level="organisation", db_path=demo_db))
    assert one.files["pdf"] == two.files["pdf"]
    assert one.files["html"] == two.files["html"]


def test_swedish_pack_and_html_escapes(demo_db):
    data = build(date(2026, 9, 1), date(2026, 10, 1), level="unit", lang="sv", db_path=demo_db)
    html = render.make(data, ("html",)).files["html"].decode("utf-8")
    assert "Responsöversikt för ledningen" in html and "<script" not in html
