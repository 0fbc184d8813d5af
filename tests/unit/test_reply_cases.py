"""Reply cases through the real import: creation, due dates, contact details kept apart,
the life cycle, retention, re-import, undo and rebuild."""
from __future__ import annotations

from datetime import date

import pytest

from etl.pipeline import import_file, rebuild, undo
from kokemus import db, replies
from kokemus.promise import Promise
from tests.conftest import write_template_csv

PHONE = "040 123 4567"
EMAIL = "maija.meikalainen@example.fi"


def row(day: str, unit: str, text: str, reply: str, **extra) -> dict:
    return {"Päivämäärä": day, "Yksikkö": unit, "Palvelualue": "Sisätaudit", "Arvio": "2",
            "Asteikko": "1-5", "Tyyppi": "moite", "Palaute": text, "Vastaus toivottu": reply, **extra}


ROWS = [
    row("18.6.2026", "Osasto 5B", f"Odotin tuntikausia. Soittakaa {PHONE}", "kyllä"),
    row("22.12.2025", "Osasto 5B", f"Kukaan ei kertonut mitään, vastaus osoitteeseen {EMAIL}", "kyllä"),
    row("2.4.2026", "Kirurgian pkl", "Haluaisin keskustella kohtelusta", "kyllä"),
    row("3.4.2026", "Kirurgian pkl", "Hyvää hoitoa, numeroni 050 765 4321", "ei"),
]


@pytest.fixture
def loaded(tmp_db, tmp_path):
    path = write_template_csv(tmp_path / "palaute.csv", ROWS)
    result = import_file(path, organisation="Testin hyvinvointialue", db_path=tmp_db)
    assert result.status == "loaded", result.error_en
    return tmp_db, result


def cases(db_path) -> dict[str, dict]:
    df = replies.worklist(today=date(2026, 12, 1), db_path=db_path)
    return {r["comment"][:12]: r for r in df.to_dict("records")}


def test_every_reply_request_becomes_a_case_with_its_due_date(loaded):
    path, _ = loaded
    c = cases(path)
    assert len(c) == 3  # the fourth did not ask for a reply
    # default promise: 7 working days (juhannus, joulu, pääsiäinen skipped)
    assert replies.as_date(c["Odotin tunti"]["due_on"]) == date(2026, 6, 30)
    assert replies.as_date(c["Kukaan ei ke"]["due_on"]) == date(2026, 1, 7)
    assert replies.as_date(c["Haluaisin ke"]["due_on"]) == date(2026, 4, 15)
    assert all(r["status"] == "open" and r["overdue"] for r in c.values())


def test_contact_details_are_kept_apart_and_the_comment_keeps_placeholders(loaded):
    path, _ = loaded
    c = cases(path)
    case_id = int(c["Odotin tunti"]["case_id"])
    assert replies.case_contacts(case_id, db_path=path) == [{"phone": PHONE, "email": None}]
    email_case = int(c["Kukaan ei ke"]["case_id"])
    assert replies.case_contacts(email_case, db_path=path) == [{"phone": None, "email": EMAIL}]
    assert "[PUHELIN]" in c["Odotin tunti"]["comment"] and PHONE not in c["Odotin tunti"]["comment"]
    # a unit outside the allowed scope sees nothing
    assert replies.case_contacts(case_id, allowed=[999], db_path=path) == []


def test_contact_details_are_nowhere_else_in_the_warehouse(loaded):
    path, _ = loaded
    needles = (PHONE, EMAIL, "050 765 4321", "maija")
    with db.connect(path) as con:
        relations = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        for rel in relations:
            if rel == "reply_contacts":
                continue
            text = " ".join(str(v) for rowv in con.execute(f'SELECT * FROM "{rel}"').fetchall() for v in rowv)
            for needle in needles:
                assert needle not in text, (rel, needle)


def test_life_cycle(loaded):
    path, _ = loaded
    case_id = int(cases(path)["Haluaisin ke"]["case_id"])
    today = date(2026, 4, 14)
    c = replies.update_case(case_id, status="in_progress", assignee="Hoitaja Virtanen", note="Soitan huomenna",
                            today=today, db_path=path)
    assert (c["status"], c["assignee"]) == ("in_progress", "Hoitaja Virtanen")
    with pytest.raises(replies.CaseError, match="rp_err_channel"):
        replies.update_case(case_id, status="replied", today=today, db_path=path)
    with pytest.raises(replies.CaseError, match="rp_err_reply_date"):
        replies.update_case(case_id, status="replied", reply_channel="phone", replied_on=date(2026, 4, 20),
                            today=today, db_path=path)
    with pytest.raises(replies.CaseError, match="rp_err_reason"):
        replies.update_case(case_id, status="closed", today=today, db_path=path)
    c = replies.mark_replied(case_id, "phone", today=today, db_path=path)
    assert (c["status"], replies.as_date(c["replied_on"]), c["reply_channel"]) == ("replied", today, "phone")
    assert c["note"] == "Soitan huomenna"  # the note survives status changes
    c = replies.update_case(case_id, status="open", today=today, db_path=path)  # reopened
    assert c["replied_on"] is None or c["replied_on"] != c["replied_on"]
    c = replies.update_case(case_id, status="closed", close_reason="unreachable", today=today, db_path=path)
    assert (c["status"], c["close_reason"]) == ("closed", "unreachable")


def test_contacts_are_deleted_after_close_plus_retention(loaded):
    path, _ = loaded
    replies.set_promise(Promise(7, "working", 10), db_path=path)
    c = cases(path)
    case_id = int(c["Odotin tunti"]["case_id"])
    replies.mark_replied(case_id, "phone", replied_on=date(2026, 6, 25), today=date(2026, 6, 25), db_path=path)
    assert replies.purge_contacts(date(2026, 7, 4), db_path=path) == 0   # 9 days after closing
    assert replies.case_contacts(case_id, db_path=path)
    assert replies.purge_contacts(date(2026, 7, 5), db_path=path) == 1   # 10 days
    assert replies.case_contacts(case_id, db_path=path) == []
    # open cases keep theirs whatever the date
    email_case = int(c["Kukaan ei ke"]["case_id"])
    assert replies.purge_contacts(date(2030, 1, 1), db_path=path) == 0
    assert replies.case_contacts(email_case, db_path=path)


def test_unit_promise_wins_for_new_cases(tmp_db, tmp_path):
    write = write_template_csv(tmp_path / "a.csv", ROWS[:1])
    assert import_file(write, organisation="Testi", db_path=tmp_db).status == "loaded"
    replies.set_promise(Promise(14, "calendar", 30), unit="Osasto 5B", db_path=tmp_db)
    more = write_template_csv(tmp_path / "b.csv", [row("18.6.2026", "Osasto 5B", "Toinen kerta", "kyllä")])
    assert import_file(more, db_path=tmp_db).status == "loaded"
    c = cases(tmp_db)
    assert replies.as_date(c["Odotin tunti"]["due_on"]) == date(2026, 6, 30)   # kept
    assert replies.as_date(c["Toinen kerta"]["due_on"]) == date(2026, 7, 2)    # 14 calendar days
    assert c["Toinen kerta"]["promise_kind"] == "calendar"


def test_reimport_keeps_state_and_undo_removes_the_batch_cases(loaded, tmp_path):
    path, first = loaded
    case_id = int(cases(path)["Odotin tunti"]["case_id"])
    replies.update_case(case_id, status="in_progress", assignee="A", today=date(2026, 6, 20), db_path=path)
    overlapping = write_template_csv(tmp_path / "export-2.csv",
                                     ROWS + [row("1.9.2026", "Osasto 5B", "Uusi pyyntö", "kyllä")])
    second = import_file(overlapping, db_path=path)
    assert second.status == "loaded" and second.rows_loaded == 1
    c = cases(path)
    assert len(c) == 4
    assert (c["Odotin tunti"]["status"], c["Odotin tunti"]["assignee"]) == ("in_progress", "A")
    undo(second.batch_id, db_path=path)
    assert len(cases(path)) == 3
    undo(first.batch_id, db_path=path)
    assert cases(path) == {}
    with db.connect(path) as con:
        assert con.execute("SELECT count(*) FROM reply_contacts").fetchone()[0] == 0


def test_rebuild_carries_the_staff_work_over(loaded):
    path, _ = loaded
    c = cases(path)
    replied = int(c["Odotin tunti"]["case_id"])
    replies.mark_replied(replied, "email", replied_on=date(2026, 6, 22), today=date(2026, 6, 22), db_path=path)
    replies.purge_contacts(date(2027, 1, 1), db_path=path)
    results = rebuild(db_path=path)
    assert all(r.status == "loaded" for r in results)
    after = cases(path)
    assert after["Odotin tunti"]["status"] == "replied"
    assert replies.case_contacts(int(after["Odotin tunti"]["case_id"]), db_path=path) == []   # stays deleted
    assert replies.case_contacts(int(after["Kukaan ei ke"]["case_id"]), db_path=path)          # still open
