"""The demo's staff work: what ward staff would have done with the reply cases and which
improvement actions they would have recorded, so every close-the-loop page shows
something real on `make run`.

Applied after the demo files are imported (cases only exist once responses do), through
the same functions the pages use. Deterministic: one ``numpy`` generator seeded from the
demo seed, cases visited in case-id order. Dates are anchored on the end of the demo data,
not on today, so the same seed gives the same states.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from kokemus import db

ASSIGNEES = ("Osastonhoitaja Laine", "Apulaisosastonhoitaja Koski", "Palveluesihenkilö Niemi",
             "Asiakaspalvelu Heikkinen")


def apply_case_states(db_path, *, seed: int = 2026, as_of: date = date(2026, 10, 31)) -> dict[str, int]:
    """Most old cases replied (most in time), a few closed without a reply, a few left open
    and overdue; the newest ones open or in progress. Returns counts per state."""
    rng = np.random.default_rng(seed + 11)
    with db.writer(db_path) as con:
        cases = con.execute("SELECT case_id, submitted_on, due_on FROM reply_cases ORDER BY case_id").fetchall()
        updates = []
        for case_id, submitted, due in cases:
            draw = rng.random()
            person = ASSIGNEES[int(rng.integers(0, len(ASSIGNEES)))]
            late = int(rng.integers(1, 12))
            early = int(rng.integers(0, max(1, (due - submitted).days + 1)))
            if due > as_of - timedelta(days=3):   # still running
                status = "in_progress" if draw < 0.4 else "open"
                updates.append((case_id, status, person if status == "in_progress" else None,
                                None, None, None, None))
            elif draw < 0.78:
                updates.append((case_id, "replied", person, submitted + timedelta(days=early),
                                ("phone", "email", "letter")[case_id % 3], None, submitted + timedelta(days=early)))
            elif draw < 0.88:
                replied = min(due + timedelta(days=late), as_of)
                updates.append((case_id, "replied", person, replied, "phone", None, replied))
            elif draw < 0.94:
                closed = min(due + timedelta(days=late), as_of)
                reason = ("unreachable", "no_contact", "withdrawn")[case_id % 3]
                updates.append((case_id, "closed", person, None, None, reason, closed))
            else:             # forgotten: overdue
                updates.append((case_id, "open" if draw < 0.97 else "in_progress",
                                person if draw >= 0.97 else None, None, None, None, None))
        if updates:
            import pandas as pd
            frame = pd.DataFrame(updates, columns=["case_id", "status", "assignee", "replied_on",
                                                   "reply_channel", "close_reason", "closed_on"])
            con.register("demo_states", frame)
            con.execute(
                "UPDATE reply_cases c SET status = s.status, assignee = s.assignee, "
                "replied_on = s.replied_on::DATE, reply_channel = s.reply_channel, "
                "close_reason = s.close_reason, closed_on = s.closed_on::DATE, "
                "note = CASE WHEN s.status = 'closed' THEN 'Demo: yritetty tavoittaa kahdesti' END "
                "FROM demo_states s WHERE c.case_id = s.case_id").fetchall()
            con.unregister("demo_states")
        counts = dict(con.execute("SELECT status, count(*) FROM reply_cases GROUP BY 1").fetchall())
    return counts




DEMO_ACTIONS = (
    # the planted improvement (demo signal 2): interaction complaints fall after it
    dict(title_fi="Esittäydymme ja kerromme, mitä teemme", title_sv="Vi presenterar oss och berättar vad vi gör",
         title_en="We introduce ourselves and say what we do",
         description_fi="Jokainen hoitaja ja lääkäri kertoo nimensä ja tehtävänsä, katsoo silmiin ja "
                        "selittää hoidon ilman latinaa. Aamupalaverissa muistutetaan joka päivä.",
         description_sv="Varje skötare och läkare säger sitt namn och sin uppgift, ser patienten i ögonen och "
                        "förklarar vården utan latin.",
         units=("Osasto 5B",), themes=("interaction",), start_on=date(2024, 9, 1), done_on=date(2024, 12, 20),
         owner="Osastonhoitaja Laine", status="done", prompt_theme="interaction"),
    dict(title_fi="Takaisinsoitto sovittuun aikaan", title_sv="Återuppringning vid överenskommen tid",
         description_fi="Puhelinpalveluun tuli takaisinsoittojärjestelmä: soittaja valitsee ajan, "
                        "jolloin hoitaja soittaa. Aamun ruuhkaan lisättiin kaksi vuoroa.",
         description_sv="Telefontjänsten fick ett system för återuppringning: den som ringer väljer tid.",
         units=("Keskustan terveysasema",), themes=("phone",), start_on=date(2025, 11, 10),
         done_on=date(2026, 1, 15), owner="Palveluesihenkilö Niemi", status="done", prompt_theme="phone"),
    dict(title_fi="Jonotilanne näytölle ja tekstiviestiin", title_sv="Kösituationen på skärm och i sms",
         description_fi="Odotusaulan näytöllä ja tekstiviestillä kerrotaan arvioitu odotusaika; "
                        "ilta-aikaan lisätään lääkärivuoro.",
         description_sv="Skärmen i väntsalen och ett sms berättar den beräknade väntetiden.",
         units=("Päivystys Järvilinna",), themes=("access",), start_on=date(2026, 10, 5), done_on=None,
         owner="Ylilääkäri Salo", status="started", prompt_theme="access"),
    dict(title_fi="Omaisille oma yhteyshenkilö", title_sv="En kontaktperson för anhöriga",
         description_fi="Jokaiselle potilaalle nimetään hoitaja, joka pitää omaiset ajan tasalla.",
         units=("Osasto 3A", "Osasto 3B"), themes=("relatives", "communication"), start_on=date(2026, 11, 16),
         done_on=None, owner="Apulaisosastonhoitaja Koski", status="planned", prompt_theme=None),
    dict(title_fi="Lisää pysäköintipaikkoja", title_sv="Fler parkeringsplatser",
         description_fi="Pihalle merkittiin 20 uutta paikkaa potilaille ja saattajille.",
         units=("Keskustan hammashoitola",), themes=("parking",), start_on=date(2025, 4, 1),
         done_on=date(2025, 5, 30), owner="Tilapalvelut", status="done", prompt_theme="parking"),
)


def apply_actions(db_path) -> list[int]:
    """The handful of demo actions, each with up to five of the comments that prompted it
    (negative mentions of its theme at its units in the three months before the start)."""
    from kokemus import actions
    ids = []
    for spec in DEMO_ACTIONS:
        spec = dict(spec)
        theme = spec.pop("prompt_theme")
        with db.connect(db_path) as con:
            known = {r[0] for r in con.execute("SELECT name FROM units").fetchall()}
        spec["units"] = tuple(u for u in spec["units"] if u in known)
        if not spec["units"]:   # a tiny demo may lack a unit
            continue
        prompted: list[str] = []
        if theme:
            with db.connect(db_path) as con:
                prompted = [r[0] for r in con.execute(
                    "SELECT DISTINCT r.row_key, r.response_id FROM responses r JOIN comment_tags t USING (response_id) "
                    "JOIN units u USING (unit_id) WHERE list_contains($units, u.name) AND t.theme = $theme "
                    "AND t.polarity = 'negative' AND r.month >= $start - INTERVAL 3 MONTH AND r.month < $start "
                    "ORDER BY r.response_id LIMIT 5",
                    {"units": list(spec["units"]), "theme": theme, "start": spec["start_on"]}).fetchall()]
        ids.append(actions.save_action(db_path=db_path, prompted_by=prompted, **spec))
    return ids


def apply(db_path, *, seed: int = 2026) -> None:
    """Everything the demo's staff did: case states and improvement actions, then the
    contact details whose retention has passed are deleted as they would have been."""
    from kokemus import replies
    apply_case_states(db_path, seed=seed)
    apply_actions(db_path)
    replies.purge_contacts(db_path=db_path)
