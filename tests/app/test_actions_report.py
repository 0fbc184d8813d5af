"""The "Te sanoitte, me teimme" and Raportti pages, and actions on the Trends and Recurring
problems charts (AppTest on the demo warehouse)."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date

from kokemus import actions, db, poster
from tests.conftest import open_app_page


def texts(at) -> str:
    return "\n".join(e.value for e in [*at.text, *at.markdown, *at.caption, *at.title, *at.subheader]
                     if isinstance(e.value, str))


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_before_after_matches_sql(demo_db):
    unit_ids = actions.unit_ids(["Osasto 5B"])
    fig = actions.before_after(unit_ids, "interaction", date(2024, 9, 1), last_month=date(2026, 10, 1), min_n=1)
    with db.connect() as con:
        def share(lo, hi):
            k = con.execute("SELECT coalesce(sum(responses), 0) FROM theme_rollup WHERE list_contains(?, unit_id) "
                            "AND theme = 'interaction' AND polarity = 'negative' AND month BETWEEN ? AND ?",
                            [unit_ids, lo, hi]).fetchone()[0]
            n = con.execute("SELECT sum(comments) FROM monthly_rollup WHERE list_contains(?, unit_id) "
                            "AND month BETWEEN ? AND ?", [unit_ids, lo, hi]).fetchone()[0]
            return int(k), int(n)
        assert (fig.before.mentions, fig.before.comments) == share(date(2024, 3, 1), date(2024, 8, 1))
        assert (fig.after.mentions, fig.after.comments) == share(date(2024, 9, 1), date(2025, 2, 1))
    assert fig.before.lo <= fig.before.share <= fig.before.hi


def test_actions_page_lists_the_unit_actions_with_figures(demo_db):
    at = open_app_page("actions")
    at.selectbox(key="ac_unit").set_value("Osasto 5B").run()
    assert not at.exception
    shown = texts(at)
    assert "Esittäydymme ja kerromme, mitä teemme" in shown
    assert "kommenteista ennen" in shown or "Liian vähän kommentteja" in shown
    assert "Jonotilanne näytölle" not in shown          # another unit's action
    assert any(s["layout"].get("shapes") for s in charts(at))
    assert at.get("download_button")


def test_new_action_is_saved_from_the_form(demo_db):
    at = open_app_page("actions")
    at.text_input(key="ac_f_title_fi").set_value("Ilmoitustaululle aukioloajat")
    at.multiselect(key="ac_f_units").set_value(["Osasto 3A"])
    at.multiselect(key="ac_f_themes").set_value(["communication"])
    at.button[[b.label for b in at.button].index("Tallenna parannus")].click().run()
    assert not at.exception
    assert "Ilmoitustaululle aukioloajat" in set(actions.list_actions(["Osasto 3A"])["title_fi"])


def test_poster_is_one_a4_page_of_real_text_in_swedish(demo_db, tmp_path):
    stories = actions.stories(("Osasto 5B",), "sv", last_month=date(2026, 10, 1))
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(poster.poster_pdf("Osasto 5B", stories, "sv", last_month=date(2026, 10, 1)))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info) and "595.28 x 841.89" in info   # one A4 page, in points
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Ni sade, vi gjorde" in text and "Vi presenterar oss" in text
    web = poster.web_text("Osasto 5B", stories, "fi", last_month=date(2026, 10, 1))
    assert web.startswith("Te sanoitte, me teimme") and "<" not in web


def test_trends_shows_action_markers_and_offers_their_month(demo_db):
    at = open_app_page("trends", query={"unit": "Osasto 5B"},
                       query_after_switch={"unit": "Osasto 5B", "period": "custom", "from": "2024-01", "to": "2026-10"})
    spec = next(s for s in charts(at) if any(tr.get("meta") == "centre" for tr in s["data"]))
    names = {sh.get("name") for sh in spec["layout"].get("shapes", [])}
    assert any(n and n.startswith("action_") for n in names)
    assert any("toimenpide: Esittäydymme" in o for o in at.selectbox(key="tr_change_month").options)


def test_recurring_problems_theme_trend_has_the_action(demo_db):
    at = open_app_page("problems")
    at.selectbox(key="pr_trend_unit").set_value("Osasto 5B").run()
    at.selectbox(key="pr_trend_theme").set_value("interaction").run()
    assert not at.exception
    spec = next(s for s in charts(at) if any(tr.get("meta") == "share" for tr in s["data"]))
    names = {sh.get("name") for sh in spec["layout"].get("shapes", [])}
    first = int(actions.list_actions(["Osasto 5B"], theme="interaction")["action_id"].iloc[0])
    assert f"action_{first}" in names


def test_report_page_makes_the_three_files(demo_db):
    at = open_app_page("report")
    assert at.selectbox(key="rep_from").value <= at.selectbox(key="rep_to").value
    at.button(key="rep_make").click().run(timeout=180)
    assert not at.exception
    labels = {b.label for b in at.get("download_button")}
    assert {"Lataa PDF", "Lataa Excel", "Lataa tulostettava HTML"} <= labels
    assert "Raportti valmis" in "\n".join(s.value for s in at.success)
