"""Every measure against a hand-computed example, and None (not NaN) when n is 0."""
import math

import numpy as np
import pandas as pd
import pytest

from kokemus import metrics as m


def test_nps_is_promoter_share_minus_detractor_share():
    # 50 promoters, 30 passives, 20 detractors of 100: 50 % - 20 % = 30
    assert m.nps(50, 30, 20, 100) == pytest.approx(30.0)


def test_nps_passives_only_enlarge_the_denominator():
    # 6 promoters, 2 detractors, 12 passives: n = 20 -> 30 % - 10 % = 20
    assert m.nps(6, 12, 2) == pytest.approx(20.0)
    assert m.nps(6, None, 2, 20) == pytest.approx(20.0)


def test_nps_range_ends():
    assert m.nps(7, 0, 0, 7) == 100.0
    assert m.nps(0, 0, 7, 7) == -100.0


def test_nps_without_n_or_passives_is_an_error():
    with pytest.raises(ValueError):
        m.nps(1, None, 1)


def test_nps_rejects_more_promoters_and_detractors_than_answers():
    with pytest.raises(ValueError):
        m.nps(8, None, 5, 10)


@pytest.mark.parametrize("call", [
    lambda: m.nps(0, 0, 0, 0),
    lambda: m.nps(0, 0, 0),
    lambda: m.pct_satisfied(0, 0),
    lambda: m.mean_score(0, 0),
    lambda: m.praise_share(0, 0),
    lambda: m.wilson_interval(0, 0),
    lambda: m.percent_interval(0, 0),
    lambda: m.mean_interval(0, 0),
    lambda: m.nps_interval(0, 0, 0),
    lambda: m.pct_satisfied(3, None),
    lambda: m.pct_satisfied(3, float("nan")),
    lambda: m.pct_satisfied(3, pd.NA),
])
def test_nothing_to_measure_gives_none_not_nan(call):
    assert call() is None


def test_pct_satisfied_and_praise_share_are_percentages():
    assert m.pct_satisfied(17, 20) == pytest.approx(85.0)
    assert m.praise_share(8, 10) == pytest.approx(80.0)


def test_mean_score():
    # scores 5, 4, 4, 3 -> 16 / 4 = 4.0
    assert m.mean_score(16, 4) == pytest.approx(4.0)


def test_change_is_a_difference_and_none_when_a_side_is_missing():
    assert m.change(72.5, 70.0) == pytest.approx(2.5)
    assert m.change(-5, 5) == pytest.approx(-10)
    assert m.change(None, 70) is None
    assert m.change(70, float("nan")) is None
    assert m.change(0, 0) == 0


def test_wilson_interval_hand_computed():
    # k = 8, n = 10, z = 1.96: centre = (0.8 + 0.19208) / 1.38416 = 0.716738
    # half = 1.96 * sqrt(0.016 + 0.0096040) / 1.38416 = 0.226584
    lo, hi = m.wilson_interval(8, 10)
    assert lo == pytest.approx(0.490157, abs=1e-6)
    assert hi == pytest.approx(0.943319, abs=1e-6)


def test_wilson_interval_at_all_successes_stays_below_one_and_has_width():
    lo, hi = m.wilson_interval(10, 10)
    assert hi == pytest.approx(1.0)
    # at k = n the lower bound is n / (n + z^2) = 10 / 13.8416
    assert lo == pytest.approx(10 / (10 + 1.96 ** 2), abs=1e-9)


def test_percent_interval_is_wilson_times_100():
    lo, hi = m.percent_interval(8, 10)
    assert (lo, hi) == pytest.approx((49.0157, 94.3319), abs=1e-3)


def test_nps_interval_hand_computed():
    # p = .5, d = .2: var = ((.7) - (.3)^2) / 100 = 0.0061, sd = 0.0781025
    # 30 +- 100 * 1.96 * 0.0781025 = 30 +- 15.3081
    lo, hi = m.nps_interval(50, 20, 100)
    assert lo == pytest.approx(14.6919, abs=1e-3)
    assert hi == pytest.approx(45.3081, abs=1e-3)


def test_nps_interval_is_clipped_to_range():
    lo, hi = m.nps_interval(2, 0, 2)
    assert hi == 100.0 and lo == 100.0  # all promoters: variance 0
    lo, hi = m.nps_interval(1, 0, 2)
    assert hi <= 100.0 and lo >= -100.0


def test_mean_interval_with_sum_of_squares():
    # scores 3,4,5,4,4,3,5,4,4,4: sum 40, sum of squares 164, mean 4
    # s^2 = (164 - 10*16) / 9 = 0.444444, se = sqrt(.444444/10) = 0.210819
    lo, hi = m.mean_interval(40, 10, 164)
    assert lo == pytest.approx(4 - 1.96 * 0.210819, abs=1e-5)
    assert hi == pytest.approx(4 + 1.96 * 0.210819, abs=1e-5)


def test_mean_interval_without_squares_uses_the_bhatia_davis_bound():
    # mean 3: bound (3-1)(5-3) = 4, se = 2 / sqrt(16) = .5, 3 +- .98
    lo, hi = m.mean_interval(48, 16)
    assert (lo, hi) == pytest.approx((2.02, 3.98))


def test_mean_interval_is_clipped_to_the_scale():
    lo, hi = m.mean_interval(40, 10)
    assert hi == 5.0 and lo < 4


def _rollup(**cols):
    base = dict(responses=0, scored=0, score_sum=0.0, satisfied=0, nps_n=0, promoters=0,
                detractors=0, typed=0, praise=0)
    rows = max(len(v) for v in cols.values())
    return pd.DataFrame({k: cols.get(k, [v] * rows) for k, v in base.items()})


def test_add_kpis_matches_the_scalar_functions():
    df = _rollup(responses=[100, 12], scored=[10, 16], score_sum=[40.0, 48.0],
                 satisfied=[8, 4], nps_n=[100, 20], promoters=[50, 6], detractors=[20, 2],
                 typed=[10, 5], praise=[8, 1])
    out = m.add_kpis(df)
    for i in range(2):
        r = df.iloc[i]
        assert out["nps"][i] == pytest.approx(m.nps(r.promoters, None, r.detractors, r.nps_n))
        assert (out["nps_lo"][i], out["nps_hi"][i]) == pytest.approx(
            m.nps_interval(r.promoters, r.detractors, r.nps_n))
        assert out["pct_satisfied"][i] == pytest.approx(m.pct_satisfied(r.satisfied, r.scored))
        assert (out["pct_satisfied_lo"][i], out["pct_satisfied_hi"][i]) == pytest.approx(
            m.percent_interval(r.satisfied, r.scored))
        assert out["praise_share"][i] == pytest.approx(m.praise_share(r.praise, r.typed))
        assert (out["praise_share_lo"][i], out["praise_share_hi"][i]) == pytest.approx(
            m.percent_interval(r.praise, r.typed))
        assert out["mean_score"][i] == pytest.approx(m.mean_score(r.score_sum, r.scored))
        assert (out["mean_score_lo"][i], out["mean_score_hi"][i]) == pytest.approx(
            m.mean_interval(r.score_sum, r.scored))
    assert "nps" not in df.columns  # the input is left alone


def test_add_kpis_uses_sum_of_squares_when_present():
    df = _rollup(scored=[10], score_sum=[40.0])
    df["score_sq_sum"] = [164.0]
    out = m.add_kpis(df)
    assert (out["mean_score_lo"][0], out["mean_score_hi"][0]) == pytest.approx(
        m.mean_interval(40, 10, 164))


def test_add_kpis_leaves_empty_rows_missing():
    out = m.add_kpis(_rollup(scored=[0, 4], score_sum=[0.0, 12.0]))
    for col in ("nps", "nps_lo", "pct_satisfied", "pct_satisfied_hi", "mean_score", "praise_share"):
        assert math.isnan(out[col][0])
    assert out["mean_score"][1] == pytest.approx(3.0)
    assert np.isnan(out["nps"][1])  # nobody answered the 0-10 question in row 2


def test_add_kpis_names_missing_columns():
    with pytest.raises(KeyError, match="promoters"):
        m.add_kpis(pd.DataFrame({"scored": [1]}))
