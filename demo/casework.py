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




def apply(db_path, *, seed: int = 2026) -> None:
    """Everything the demo's staff did: case states, then the contact details whose
    retention has passed are deleted as they would have been."""
    from kokemus import replies
    apply_case_states(db_path, seed=seed)
    replies.purge_contacts(db_path=db_path)
