"""The demo warehouse's planted signals come out of the real import, tagger and SPC."""
from datetime import date

from kokemus import problem_queries, recurring
from kokemus.filters import Filters


def _rising(db, start, end):
    f = Filters(start=start, end=end, preset="custom")
    counts = problem_queries.theme_counts(f, db_path=db)
    totals = problem_queries.type_totals(f, db_path=db)
    return recurring.rising_themes(counts, totals, problem_queries.period_months(f))


def test_waiting_time_complaints_in_the_emergency_unit_are_rising(full_demo_db):
    rising = _rising(full_demo_db, date(2024, 11, 1), date(2026, 10, 1))
    pairs = set(zip(rising["unit"], rising["theme"]))
    assert ("Päivystys Järvilinna", "access") in pairs


def test_no_rising_access_signal_before_it_was_planted(full_demo_db):
    rising = _rising(full_demo_db, date(2023, 1, 1), date(2024, 12, 1))
    assert ("Päivystys Järvilinna", "access") not in set(zip(rising["unit"], rising["theme"]))
