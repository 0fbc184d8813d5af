"""The recurring / rising definitions on hand-made counts (docs/recurring.md)."""
from __future__ import annotations

from datetime import date

import pandas as pd

from kokemus import recurring


def _m(y, mo):
    return date(y, mo, 1)


def _months(first: date, count: int) -> list[date]:
    out, y, m = [], first.year, first.month
    for _ in range(count):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _counts(rows):
    return pd.DataFrame(rows, columns=["unit", "month", "theme", "responses"])


def test_window_start_crosses_year():
    assert recurring.window_start(date(2025, 3, 1)) == date(2024, 10, 1)
    assert recurring.window_start(date(2025, 12, 15)) == date(2025, 7, 1)


def test_three_of_last_six_months_is_recurring_two_is_not():
    counts = _counts([
        ("5B", _m(2025, 1), "jonot", 2), ("5B", _m(2025, 3), "jonot", 1), ("5B", _m(2025, 6), "jonot", 4),
        ("5B", _m(2025, 2), "puhelin", 3), ("5B", _m(2025, 6), "puhelin", 9),
        ("TK", _m(2025, 4), "jonot", 1), ("TK", _m(2025, 5), "jonot", 1), ("TK", _m(2025, 6), "jonot", 1),
    ])
    out = recurring.recurring_themes(counts, as_of=date(2025, 6, 1))
    assert list(zip(out["unit"], out["theme"], out["months_present"], out["responses"])) == [
        ("5B", "jonot", 3, 7), ("TK", "jonot", 3, 3)]
    assert out.loc[0, "last_month"] == date(2025, 6, 1)


def test_months_before_the_window_and_zero_counts_do_not_count():
    counts = _counts([
        ("5B", _m(2024, 12), "jonot", 5),   # seventh month back: outside
        ("5B", _m(2025, 2), "jonot", 1), ("5B", _m(2025, 4), "jonot", 1),
        ("5B", _m(2025, 5), "jonot", 0),    # a zero row is no presence
    ])
    assert recurring.recurring_themes(counts, as_of=date(2025, 6, 1)).empty
    assert len(recurring.recurring_themes(counts, as_of=date(2025, 5, 1))) == 1  # Dec..May: 3 months


def test_window_and_threshold_are_settable():
    counts = _counts([("5B", _m(2025, m), "jonot", 1) for m in (1, 2)])
    assert recurring.recurring_themes(counts, as_of=date(2025, 6, 1)).empty
    assert len(recurring.recurring_themes(counts, as_of=date(2025, 6, 1), min_months=2)) == 1
    assert recurring.recurring_themes(counts, as_of=date(2025, 6, 1), window=4, min_months=2).empty


def test_monthly_shares_fill_zero_months_and_leave_empty_months_unknown():
    months = _months(_m(2025, 1), 3)
    counts = _counts([("5B", _m(2025, 1), "jonot", 2), ("5B", _m(2025, 1), "jonot", 1)])
    totals = pd.DataFrame({"unit": ["5B", "5B"], "month": [_m(2025, 1), _m(2025, 2)], "responses": [10, 4]})
    out = recurring.monthly_shares(counts, totals, months)
    assert out["k"].tolist() == [3, 0, 0]
    assert out["n"].tolist() == [10, 4, 0]
    assert out["share"].tolist()[:2] == [0.3, 0.0] and pd.isna(out["share"].iloc[2])


def test_share_count_is_capped_at_the_total():
    counts = _counts([("5B", _m(2025, 1), "jonot", 6)])
    totals = pd.DataFrame({"unit": ["5B"], "month": [_m(2025, 1)], "responses": [5]})
    assert recurring.monthly_shares(counts, totals, [_m(2025, 1)])["share"].tolist() == [1.0]


def _series(unit, theme, ks, ns, first=_m(2024, 1)):
    months = _months(first, len(ks))
    counts = _counts([(unit, m, theme, k) for m, k in zip(months, ks)])
    totals = pd.DataFrame({"unit": unit, "month": months, "responses": ns})
    return counts, totals, months


def test_a_jump_above_the_limit_in_the_latest_month_is_rising():
    ks = [2, 3, 2, 2, 3, 2, 2, 3, 2, 2, 3, 2, 14]
    counts, totals, months = _series("5B", "jonot", ks, [20] * 13)
    out = recurring.rising_themes(counts, totals, months)
    assert out["theme"].tolist() == ["jonot"]
    assert out.loc[0, "latest_k"] == 14 and out.loc[0, "latest_n"] == 20
    assert out.loc[0, "latest_share"] > out.loc[0, "centre"]
    assert not out.loc[0, "trial"]


def test_steady_or_falling_shares_are_not_rising():
    steady = [2, 3, 2, 2, 3, 2, 2, 3, 2, 2, 3, 2, 3]
    falling = [12, 14, 12, 13, 12, 14, 13, 12, 13, 12, 14, 13, 0]
    c1, t1, months = _series("5B", "jonot", steady, [20] * 13)
    c2, t2, _ = _series("5B", "puhelin", falling, [20] * 13)
    out = recurring.rising_themes(pd.concat([c1, c2]), t1, months)
    assert out.empty


def test_seven_months_in_a_row_above_the_centre_is_rising():
    ks = [1, 1, 2, 1, 1, 2, 1, 4, 4, 4, 4, 4, 4, 4]  # no single month beyond the limit
    counts, totals, months = _series("TK", "tiedonkulku", ks, [20] * len(ks))
    out = recurring.rising_themes(counts, totals, months)
    assert out["unit"].tolist() == ["TK"]
    assert recurring.rising_themes(counts, totals, months, run_length=8).empty


def test_a_signal_that_ended_before_the_latest_month_is_not_rising():
    ks = [2, 3, 2, 2, 3, 2, 2, 3, 2, 2, 3, 14, 2]
    counts, totals, months = _series("5B", "jonot", ks, [20] * 13)
    assert recurring.rising_themes(counts, totals, months).empty
