"""The Vastattavat page and the reply-promise measure on Overview and Trends (AppTest on
the demo warehouse)."""
from __future__ import annotations

from datetime import date

from kokemus import db, replies
from tests.conftest import open_app_page


def texts(at) -> str:
    return "\n".join(e.value for e in [*at.text, *at.markdown, *at.caption, *at.title, *at.subheader, *at.header]
                     if isinstance(e.value, str))


def test_worklist_is_sorted_by_due_date_with_overdue_marked(demo_db):
    at = open_app_page("replies")
    open_cases = replies.worklist(statuses=replies.OPEN_STATUSES, today=date.today())
    assert len(open_cases) > 0
    overdue = int(open_cases["overdue"].sum())
    assert overdue > 0  # the demo leaves some cases forgotten
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Avoimia"] == str(len(open_cases))
    assert metrics["Myöhässä"] == str(overdue)
    # rows appear in due-date order: the first row is the oldest due case
    first = int(open_cases.iloc[0]["case_id"])
    keys = [b.key for b in at.button if b.key and b.key.startswith("rp_done_")]
    assert keys[0] == f"rp_done_{first}"
    assert "⚠ MYÖHÄSSÄ" in texts(at)


def test_one_click_marks_a_case_replied(demo_db):
    at = open_app_page("replies")
    key = next(b.key for b in at.button if b.key and b.key.startswith("rp_done_"))
    case_id = int(key.removeprefix("rp_done_"))
    at.button(key=key).click().run()
    assert not at.exception
    with db.connect() as con:
        status, replied_on = con.execute("SELECT status, replied_on FROM reply_cases WHERE case_id = ?",
                                         [case_id]).fetchone()
    assert (status, replied_on) == ("replied", date.today())
    assert f"rp_done_{case_id}" not in [b.key for b in at.button]


def test_filters_by_unit_status_and_assignee(demo_db):
    at = open_app_page("replies")
    all_cases = replies.worklist()
    unit = all_cases["unit"].value_counts().index[0]
    at.multiselect(key="rp_units").set_value([unit]).run()
    at.multiselect(key="rp_statuses").set_value(["replied"]).run()
    expected = replies.worklist(units=[unit], statuses=["replied"])
    assert f"{len(expected)} tapausta" in texts(at)
    person = expected["assignee"].dropna().iloc[0]
    at.selectbox(key="rp_assignee").set_value(person).run()
    expected = expected[expected["assignee"] == person]
    assert f"{len(expected)} tapausta" in texts(at)


def test_case_view_shows_contacts_only_there(demo_db):
    with db.connect() as con:
        case_id, phone, email = con.execute(
            "SELECT k.case_id, k.phone, k.email FROM reply_contacts k ORDER BY case_id LIMIT 1").fetchone()
    replies.update_case(case_id, status="open")  # a case still waiting, with its contacts
    contact = phone or email
    at = open_app_page("replies")
    assert contact not in texts(at)  # not on the worklist
    at.button(key=f"rp_open_{case_id}").click().run()
    assert not at.exception
    assert contact in texts(at)
    at.selectbox(key="rp_form_status").set_value("in_progress")
    at.text_input(key="rp_form_assignee").set_value("Hoitaja Testi")
    at.text_area(key="rp_form_note").set_value("Soitettu, ei vastannut")
    at.button[[b.label for b in at.button].index("Tallenna")].click().run()
    with db.connect() as con:
        assert con.execute("SELECT status, assignee, note FROM reply_cases WHERE case_id = ?",
                           [case_id]).fetchone() == ("in_progress", "Hoitaja Testi", "Soitettu, ei vastannut")


def test_contacts_never_reach_the_other_pages(demo_db):
    with db.connect() as con:
        contacts = [v for row in con.execute("SELECT phone, email FROM reply_contacts").fetchall()
                    for v in row if v]
    assert contacts
    for page in ("overview", "trends", "problems", "comments", "import_log"):
        at = open_app_page(page)
        shown = texts(at) + " ".join(str(df.value.to_string()) for df in at.dataframe)
        for c in contacts:
            assert c not in shown, (page, c)


def test_promise_measure_on_overview_and_trends(demo_db):
    at = open_app_page("overview")
    assert "Vastattu lupauksen ajassa" in texts(at)
    at = open_app_page("trends")
    at.selectbox(key="tr_kpi").set_value("reply_promise").run()
    assert not at.exception
    assert at.get("plotly_chart")
