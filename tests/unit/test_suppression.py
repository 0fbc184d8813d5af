"""Small-number rule: primary suppression under the threshold, secondary among siblings."""
import numpy as np
import pandas as pd
import pytest

from kokemus import metrics
from kokemus.suppression import suppress, suppress_kpis


def units(n, value=None):
    value = value or [float(10 * (i + 1)) for i in range(len(n))]
    return pd.DataFrame({"unit": [f"u{i}" for i in range(len(n))], "n": n, "value": value})


def test_primary_hides_values_under_the_threshold():
    out = suppress(units([4, 5, 12, 7]), value_cols=["value"], threshold=5, secondary=False)
    assert out["suppressed"].tolist() == [True, False, False, False]
    assert np.isnan(out["value"][0])
    assert out["value"][1:].tolist() == [20.0, 30.0, 40.0]
    assert out["n"].tolist() == [4, 5, 12, 7]  # n stays visible
    assert out["suppression"].tolist() == ["primary", None, None, None]


def test_the_input_frame_is_left_alone():
    df = units([1, 9])
    suppress(df, value_cols=["value"], threshold=5)
    assert df["value"].tolist() == [10.0, 20.0] and "suppressed" not in df


def test_a_lone_hidden_sibling_takes_the_next_smallest_with_it():
    out = suppress(units([3, 10, 8, 20]), value_cols=["value"], threshold=5)
    assert out["suppressed"].tolist() == [True, False, True, False]
    assert out["suppression"].tolist() == ["primary", None, "secondary", None]
    assert np.isnan(out["value"][2])


def test_two_hidden_siblings_need_no_secondary():
    out = suppress(units([3, 10, 2, 20]), value_cols=["value"], threshold=5)
    assert out["suppressed"].tolist() == [True, False, True, False]
    assert out["suppression"].tolist() == ["primary", None, "primary", None]


def test_empty_siblings_are_not_hidden_nor_chosen_as_secondary():
    out = suppress(units([3, 0, 9, 6]), value_cols=["value"], threshold=5)
    assert out["suppressed"].tolist() == [True, False, False, True]


def test_secondary_works_within_each_group():
    df = pd.DataFrame({
        "month": ["2025-01"] * 3 + ["2025-02"] * 3,
        "unit": ["a", "b", "c"] * 2,
        "n": [2, 30, 9, 6, 8, 40],
        "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    out = suppress(df, value_cols=["value"], threshold=5, group_cols=["month"])
    # January: a hidden, c (9) goes with it; February: nothing under 5, nothing hidden
    assert out["suppressed"].tolist() == [True, False, True, False, False, False]


def test_threshold_comes_from_config(monkeypatch):
    monkeypatch.setenv("KOKEMUS_MIN_N", "10")
    out = suppress(units([9, 11, 10, 20]), value_cols=["value"])
    assert out["suppression"].tolist() == ["primary", None, "secondary", None]
    monkeypatch.setenv("KOKEMUS_MIN_N", "3")
    assert not suppress(units([9, 10]), value_cols=["value"])["suppressed"].any()


def test_non_float_columns_get_none():
    df = pd.DataFrame({"n": [2, 9, 8], "label": ["72 %", "80 %", "90 %"], "count": [1, 5, 7]})
    out = suppress(df, value_cols=["label", "count"], threshold=5)
    assert out["label"].tolist() == [None, "80 %", None]
    assert out["count"].tolist() == [None, 5, None]


def test_suppress_kpis_uses_each_measures_own_denominator():
    df = pd.DataFrame({
        "unit": ["a", "b", "c"],
        "responses": [40, 40, 40], "scored": [30, 3, 20], "score_sum": [120.0, 12.0, 80.0],
        "satisfied": [25, 3, 15], "nps_n": [20, 25, 30], "promoters": [10, 12, 15],
        "detractors": [2, 3, 4], "typed": [30, 30, 30], "praise": [20, 20, 20],
    })
    out = suppress_kpis(metrics.add_kpis(df), threshold=5)
    # b has 3 scored answers: its % satisfied and mean score go, and c's (20) with them
    assert out["pct_satisfied_suppressed"].tolist() == [False, True, True]
    assert out["mean_score_suppressed"].tolist() == [False, True, True]
    assert np.isnan(out["pct_satisfied"][1]) and np.isnan(out["mean_score_hi"][2])
    # NPS rests on 20-30 answers each: all shown
    assert not out["nps_suppressed"].any()
    assert out["nps"].notna().all()
    assert out["suppressed"].tolist() == [False, True, True]


@pytest.mark.parametrize("n", [[], [7]])
def test_trivial_frames(n):
    out = suppress(units(n) if n else pd.DataFrame({"n": [], "value": []}),
                   value_cols=["value"], threshold=5)
    assert not out["suppressed"].any()
