"""SPC limits, each Making Data Count rule and its edge cases, icons - hand-computed."""
import numpy as np
import pandas as pd
import pytest

from kokemus import spc

NAN = float("nan")


def months(k, start="2024-01-01"):
    return list(pd.date_range(start, periods=k, freq="MS").date)


def rules(values, centre=0.0, limit=3.0, near=2.0, **kw):
    """special_causes with fixed, symmetric limits so one rule can be tested alone."""
    k = len(values)
    return spc.special_causes(values, [centre] * k, [centre + limit] * k, [centre - limit] * k,
                              [centre + near] * k, [centre - near] * k, **kw)


# ------------------------------------------------------------------------------ XmR limits

def test_xmr_limits_hand_computed():
    # mean 2.5; moving ranges 2, 1, 2 -> mean 5/3
    out = spc.xmr_limits([1, 3, 2, 4])
    amr = 5 / 3
    assert out["centre"].tolist() == pytest.approx([2.5] * 4)
    assert out["upper"][0] == pytest.approx(2.5 + 2.66 * amr)
    assert out["lower"][0] == pytest.approx(2.5 - 2.66 * amr)
    assert out["upper_near"][0] == pytest.approx(2.5 + 2.66 * 2 / 3 * amr)
    assert out["lower_near"][0] == pytest.approx(2.5 - 1.773333 * amr, abs=1e-5)
    assert np.isnan(out["moving_range"][0])
    assert out["moving_range"][1:].tolist() == [2, 1, 2]


def test_fewer_than_12_points_gives_trial_limits():
    assert spc.xmr_limits(range(11))["trial"].all()
    assert not spc.xmr_limits(range(12))["trial"].any()
    assert spc.xmr_limits(range(12), min_points=20)["trial"].all()


def test_missing_values_are_skipped_for_moving_ranges():
    # observed 1, 3, 2: moving ranges 2 and 1 -> 1.5; mean 2
    out = spc.xmr_limits([1, NAN, 3, 2])
    assert out["centre"][0] == pytest.approx(2.0)
    assert out["upper"][0] == pytest.approx(2 + 2.66 * 1.5)
    assert np.isnan(out["value"][1])


def test_limits_are_recalculated_per_segment():
    out = spc.xmr_limits([1, 2, 1, 2, 10, 11, 10, 11], rebase_at=[4])
    assert out["segment"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    assert out["centre"].tolist() == pytest.approx([1.5] * 4 + [10.5] * 4)
    # the jump from 2 to 10 is not a moving range of either segment: both have mean MR 1
    assert out["upper"].tolist() == pytest.approx([1.5 + 2.66] * 4 + [10.5 + 2.66] * 4)


def test_fixed_limits_use_only_the_first_points():
    out = spc.xmr_limits([1, 2, 1, 2, 50, 60], fix_after=4)
    assert out["centre"][5] == pytest.approx(1.5)
    assert out["upper"][5] == pytest.approx(1.5 + 2.66)
    assert out["trial"].all()  # a 4-point baseline is a trial baseline


def test_screening_drops_outlying_moving_ranges():
    values = [1, 2] * 5 + [100, 2]
    plain = spc.xmr_limits(values)
    screened = spc.xmr_limits(values, screen_outliers=True)
    # moving ranges: nine of 1, then 98 and 98; 98 > 3.267 x 205/11 so both are dropped
    assert plain["upper"][0] == pytest.approx(plain["centre"][0] + 2.66 * 205 / 11)
    assert screened["upper"][0] == pytest.approx(screened["centre"][0] + 2.66 * 1.0)


# -------------------------------------------------------------------------------- p-chart

def test_p_chart_limits_vary_with_n():
    out = spc.p_chart_limits([5, 20], [10, 40])
    assert out["centre"].tolist() == pytest.approx([0.5, 0.5])
    assert out["upper"].tolist() == pytest.approx([0.5 + 3 * 0.158114, 0.5 + 3 * 0.0790569], abs=1e-6)
    assert out["lower"].tolist() == pytest.approx([0.5 - 3 * 0.158114, 0.5 - 3 * 0.0790569], abs=1e-6)
    assert out["upper_near"][1] == pytest.approx(0.5 + 2 * 0.0790569, abs=1e-6)


def test_p_chart_limits_are_clipped_to_zero_and_one():
    high = spc.p_chart_limits([9, 10, 2, 8], [10] * 4)
    # pbar = 29/40 = .725, sigma = sqrt(.725 * .275 / 10) = .141200
    assert high["upper"].tolist() == [1.0] * 4
    assert high["lower"][0] == pytest.approx(0.725 - 3 * 0.141200, abs=1e-6)
    low = spc.p_chart_limits([1, 0, 1, 0], [10] * 4)
    assert low["lower"].tolist() == [0.0] * 4
    assert low["lower_near"].tolist() == [0.0] * 4


def test_p_chart_month_without_answers_has_no_value_or_limits():
    out = spc.p_chart_limits([5, 0, 5], [10, 0, 10], scale=100)
    assert out["value"][0] == pytest.approx(50.0)
    assert np.isnan(out["value"][1]) and np.isnan(out["upper"][1])
    assert out["centre"][1] == pytest.approx(50.0)


def test_laney_widens_limits_for_huge_n():
    k, n = [400, 600, 400, 600], [1000] * 4
    plain = spc.p_chart_limits(k, n)
    laney = spc.p_chart_limits(k, n, laney=True)
    # z-scores +-6.3246, mean moving range 12.649 -> sigma_z = 12.649 / 1.128 = 11.214
    assert laney["sigma_z"][0] == pytest.approx(11.2137, abs=1e-3)
    flags_plain = spc.special_causes(plain["value"], *(plain[c] for c in spc.LIMIT_COLUMNS))
    flags_laney = spc.special_causes(laney["value"], *(laney[c] for c in spc.LIMIT_COLUMNS))
    assert flags_plain["outside"].all()
    assert not flags_laney["outside"].any()


# ---------------------------------------------------------------------------------- rules

def test_outside_the_limits_is_strict():
    out = rules([3.0, 3.01, -3.5, 0])
    assert out["outside"].tolist() == [False, True, True, False]


def test_shift_needs_seven_on_one_side():
    assert rules([1] * 7)["shift"].all()
    assert not rules([1] * 6)["shift"].any()
    assert rules([-1] * 8)["shift"].all()


def test_a_point_on_the_mean_breaks_a_shift():
    values = [1, 1, 1, 0, 1, 1, 1, 1]
    assert not rules(values)["shift"].any()
    assert rules(values, run_length=4)["shift"].tolist() == [False] * 4 + [True] * 4


def test_trend_needs_seven_strictly_rising_points():
    out = rules([1, 2, 3, 4, 5, 6, 7], centre=4, limit=10, near=9)
    assert out["trend"].all()
    assert not rules([1, 2, 3, 4, 5, 6], centre=4, limit=10, near=9)["trend"].any()
    assert rules([7, 6, 5, 4, 3, 2, 1], centre=4, limit=10, near=9)["trend"].all()


def test_an_equal_value_breaks_a_trend():
    values = [1, 2, 3, 3, 4, 5, 6, 7]
    assert not rules(values, centre=4, limit=10, near=9)["trend"].any()
    out = rules(values, centre=4, limit=10, near=9, trend_length=5)
    assert out["trend"].tolist() == [False] * 3 + [True] * 5


def test_two_of_three_beyond_the_near_limit_flags_those_two():
    out = rules([0, 2.5, 0, 2.5, 0])
    assert out["two_of_three"].tolist() == [False, True, False, True, False]


def test_two_of_three_needs_the_same_side_and_three_consecutive():
    assert not rules([2.5, -2.5, 0])["two_of_three"].any()
    assert not rules([2.5, 0, 0, 2.5])["two_of_three"].any()


def test_a_point_beyond_the_limit_counts_as_beyond_the_near_limit():
    out = rules([3.5, 2.5, 0])
    assert out["two_of_three"].tolist() == [True, True, False]
    assert out["outside"].tolist() == [True, False, False]


def test_missing_values_neither_break_nor_count_in_a_run():
    out = rules([1, 1, 1, NAN, 1, 1, 1, 1])
    assert out["shift"].tolist() == [True] * 3 + [False] + [True] * 4
    assert out["variation"][3] is None and out["colour"][3] is None


def test_rules_do_not_run_across_segments():
    out = rules([1] * 8, segment=[0] * 4 + [1] * 4)
    assert not out["shift"].any()


def test_variation_and_colour_follow_the_good_direction():
    up = rules([1] * 7, improvement_direction="increase")
    assert set(up["variation"]) == {"improvement"} and set(up["colour"]) == {"#00b0f0"}
    down = rules([1] * 7, improvement_direction="decrease")
    assert set(down["variation"]) == {"concern"} and set(down["colour"]) == {"#e46c0a"}
    neutral = rules([1] * 7, improvement_direction="neutral")
    assert set(neutral["variation"]) == {"neutral"} and set(neutral["colour"]) == {"#490092"}
    common = rules([1, -1, 1])
    assert set(common["variation"]) == {"common"} and set(common["colour"]) == {"#a6a6a6"}
    assert not common["special"].any()


def test_a_rising_trend_is_an_improvement_even_below_the_mean():
    out = rules([1, 2, 3, 4, 5, 6, 7], centre=4, limit=10, near=9)
    assert out["side"].tolist() == [1] * 7
    assert set(out["variation"]) == {"improvement"}


# ---------------------------------------------------------------------------------- icons

def test_variation_icon_for_the_latest_point():
    assert spc.variation_icon(rules([1] * 7)) == "improvement_high"
    assert spc.variation_icon(rules([-1] * 7, improvement_direction="decrease")) == "improvement_low"
    assert spc.variation_icon(rules([1] * 7, improvement_direction="decrease")) == "concern_high"
    assert spc.variation_icon(rules([-1] * 7)) == "concern_low"
    assert spc.variation_icon(rules([1] * 7, improvement_direction="neutral")) == "neutral_high"
    assert spc.variation_icon(rules([-1] * 7, improvement_direction="neutral")) == "neutral_low"
    assert spc.variation_icon(rules([1] * 7 + [-1])) == "common_cause"
    assert spc.variation_icon(rules([1] * 7 + [NAN])) == "improvement_high"  # skips the gap
    assert spc.variation_icon(rules([NAN, NAN])) is None


@pytest.mark.parametrize("target,direction,icon", [
    (50, "increase", "pass"),
    (95, "increase", "fail"),
    (70, "increase", "hit_and_miss"),
    (90, "increase", "hit_and_miss"),
    (50, "decrease", "fail"),
    (95, "decrease", "pass"),
    (70, "decrease", "hit_and_miss"),
    (50, "neutral", None),
    (None, "increase", None),
])
def test_assurance_icon(target, direction, icon):
    assert spc.assurance_icon(target, 90, 60, direction) == icon


# ------------------------------------------------------------------------------- one call

def test_rebase_positions_from_change_dates():
    x = months(8)
    assert spc.rebase_positions(x, ["2024-05-01"]) == [4]
    assert spc.rebase_positions(x, ["2024-04-15"]) == [4]
    assert spc.rebase_positions(x, ["2023-01-01", "2030-01-01"]) == []


def test_spc_table_recalculates_at_a_change_date():
    x = months(8)
    table = spc.spc_table(x, [1, 2, 1, 2, 10, 11, 10, 11], change_dates=["2024-05-01"])
    assert table["x"].tolist() == x
    assert table["segment"].tolist() == [0] * 4 + [1] * 4
    assert table["centre"].tolist() == pytest.approx([1.5] * 4 + [10.5] * 4)
    assert table["trial"].all()
    assert not table["special"].any()  # against one baseline the jump would be a signal
    joined = spc.spc_table(x, [1, 2, 1, 2, 10, 11, 10, 11])
    assert joined["special"].any()


def test_spc_table_p_chart_in_percent_with_icons():
    x = months(13)
    k = [80] * 12 + [20]
    n = [100] * 13
    table = spc.spc_table(x, k=k, n=n, chart="p", scale=100, target=90)
    assert table["value"].iloc[-1] == pytest.approx(20.0)
    assert table["outside"].iloc[-1] and table["variation"].iloc[-1] == "concern"
    assert not table["trial"].any()
    assert table["target"].iloc[0] == 90
    variation, assurance = spc.icons(table, "increase", target=90)
    assert variation == "concern_low"
    assert assurance in spc.ASSURANCE_ICONS


def test_spc_table_needs_the_right_inputs():
    with pytest.raises(ValueError):
        spc.spc_table(months(3), chart="p", k=[1, 2, 3])
    with pytest.raises(ValueError):
        spc.spc_table(months(3))
    with pytest.raises(ValueError):
        spc.spc_table(months(2), [1, 2, 3])
