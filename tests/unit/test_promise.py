"""Due dates of the reply promise around Finnish holidays, against hand-computed dates."""
from __future__ import annotations

from datetime import date

import pytest

from kokemus.promise import Promise, due_date, is_working_day, working_days_between


@pytest.mark.parametrize("submitted, days, kind, due", [
    # juhannus 2026: aatto Fri 19.6., päivä Sat 20.6. Left on Thu 18.6., 5 working days:
    # Mon 22, Tue 23, Wed 24, Thu 25, Fri 26 -> Fri 26.6.
    (date(2026, 6, 18), 5, "working", date(2026, 6, 26)),
    # left on juhannusaatto itself: counting starts Mon 22.6.; 7 working days -> Tue 30.6.
    (date(2026, 6, 19), 7, "working", date(2026, 6, 30)),
    # calendar days ignore holidays: 18.6. + 10 days = Sun 28.6.
    (date(2026, 6, 18), 10, "calendar", date(2026, 6, 28)),
    # joulu 2025: aatto Wed 24.12., joulupäivä Thu 25.12., tapaninpäivä Fri 26.12.,
    # uudenvuodenpäivä Thu 1.1.2026, loppiainen Tue 6.1.2026. Left on Mon 22.12.2025,
    # 5 working days: Tue 23.12., Mon 29.12., Tue 30.12., Wed 31.12., Fri 2.1. -> 2.1.2026
    (date(2025, 12, 22), 5, "working", date(2026, 1, 2)),
    # 7 working days from the same day: ... Fri 2.1., Mon 5.1., (Tue 6.1. loppiainen) Wed 7.1.
    (date(2025, 12, 22), 7, "working", date(2026, 1, 7)),
    (date(2025, 12, 22), 14, "calendar", date(2026, 1, 5)),
    # pääsiäinen 2026: pitkäperjantai Fri 3.4., pääsiäispäivä Sun 5.4., 2. pääsiäispäivä
    # Mon 6.4. Left on Thu 2.4., 5 working days: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.4.
    (date(2026, 4, 2), 5, "working", date(2026, 4, 13)),
    # left on Easter Sunday, 1 working day -> Tue 7.4.
    (date(2026, 4, 5), 1, "working", date(2026, 4, 7)),
    (date(2026, 4, 2), 10, "calendar", date(2026, 4, 12)),
    # an ordinary week: Fri 6.11.2026 + 5 working days -> Fri 13.11.2026
    (date(2026, 11, 6), 5, "working", date(2026, 11, 13)),
])
def test_due_dates_by_hand(submitted, days, kind, due):
    assert due_date(submitted, Promise(days, kind)) == due


def test_holidays_are_not_working_days():
    for day in (date(2026, 6, 19), date(2025, 12, 24), date(2025, 12, 26), date(2026, 4, 3),
                date(2026, 4, 6), date(2026, 5, 1), date(2026, 1, 6)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 6, 22)) and is_working_day(date(2025, 12, 23))


def test_working_days_between_is_the_inverse_of_due_date():
    start = date(2025, 12, 22)
    for n in range(1, 15):
        assert working_days_between(start, due_date(start, Promise(n, "working"))) == n


def test_bad_promises_are_refused():
    for bad in (dict(days=0), dict(days=5, kind="weeks"), dict(days=5, retention_days=-1)):
        with pytest.raises(ValueError):
            Promise(**{"kind": "working", **bad})
