"""SPC centre line, process limits, screening, rebasing, fixed baselines, assurance, short groups.

Every expected value is worked by hand from NHSRplotthedots ``R/ptd_spc_standard.R``:

    mean  = mean(y[1:fix])                    amr = mean(|diff(y[1:fix])|)
    drop moving ranges with mr >= 3.267 * amr (once), recompute amr
    lpl, upl           = mean -+ 2.66 * amr
    near_lpl, near_upl = mean -+ (2 * 2.66 / 3) * amr

so agreement with the R package is checked to 1e-6 on each example.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forcepack.errors import InputError
from forcepack.stats import Assurance, PointType, spc

TOL = 1e-6
NEAR = 2 * 2.66 / 3

# 13 points: sum 84 -> mean 84/13 = 6.461538...
# moving ranges 2,1,2,2,1,2,1,1,1,2,1,1 -> sum 17 over 12 -> amr 17/12 = 1.416667
# screening threshold 3.267 * 17/12 = 4.63: nothing screened.
PLAIN = [5, 7, 6, 8, 6, 7, 5, 6, 7, 8, 6, 7, 6]


def test_plain_limits_are_mean_plus_minus_2_66_mean_moving_range() -> None:
    p = spc(PLAIN).points
    mean, amr = 84 / 13, 17 / 12
    assert p["mean"].to_numpy() == pytest.approx([mean] * 13, abs=TOL)
    assert p["lpl"].iloc[0] == pytest.approx(mean - 2.66 * amr, abs=TOL)  # 2.693205
    assert p["upl"].iloc[0] == pytest.approx(mean + 2.66 * amr, abs=TOL)  # 10.229872
    assert p["near_lpl"].iloc[0] == pytest.approx(mean - NEAR * amr, abs=TOL)  # 3.949316
    assert p["near_upl"].iloc[0] == pytest.approx(mean + NEAR * amr, abs=TOL)  # 8.973761
    assert np.isnan(p["moving_range"].iloc[0])
    assert p["moving_range"].iloc[1:].sum() == 17
    assert (p["point_type"] == PointType.COMMON_CAUSE).all()
    assert p["rule"].isna().all()


def test_screening_drops_large_moving_ranges_once() -> None:
    # y: 0,1,0,1,0,1,0,1,0,1,0,5,45 -> ranges ten 1s, then 5, then 40; sum 55 over 12.
    # amr = 55/12 = 4.5833; threshold 3.267 * 4.5833 = 14.974: the 40 goes, the 5 stays.
    # amr after one pass = (10 + 5)/11 = 15/11 = 1.363636. A second pass would also drop the
    # 5 (3.267 * 15/11 = 4.455 < 5) but R screens once, so it must stay.
    y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 5, 45]
    p = spc(y).points
    mean = 55 / 13  # 5 ones + 5 + 45
    assert p["mean"].iloc[0] == pytest.approx(mean, abs=TOL)
    assert p["upl"].iloc[0] == pytest.approx(mean + 2.66 * 15 / 11, abs=TOL)
    assert p["lpl"].iloc[0] == pytest.approx(mean - 2.66 * 15 / 11, abs=TOL)


def test_screening_off_uses_every_moving_range() -> None:
    y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 5, 45]
    p = spc(y, screen_outliers=False).points
    assert p["upl"].iloc[0] == pytest.approx(55 / 13 + 2.66 * 55 / 12, abs=TOL)


def test_screening_can_leave_only_zero_ranges() -> None:
    # y 1,1,1,1,2: ranges 0,0,0,1 -> amr 0.25; threshold 3.267 * 0.25 = 0.81675 <= 1, so the
    # 1 is dropped and amr = mean(0,0,0) = 0: both limits sit on the mean 6/5 = 1.2.
    y = [1, 1, 1, 1, 2]  # ranges 0,0,0,1: amr = 0.25, threshold 0.81675 <= 1 -> dropped
    p = spc(y).points
    assert p["upl"].iloc[0] == pytest.approx(6 / 5, abs=TOL)
    assert p["lpl"].iloc[0] == pytest.approx(6 / 5, abs=TOL)
    assert p["rule"].iloc[-1] == "outside_limits"


def test_rebase_gives_each_group_its_own_limits() -> None:
    # group 0: 1,2,1,2,1,2 -> mean 1.5, ranges all 1 -> limits 1.5 -+ 2.66
    # group 1: 11,12,11,12,11,12 -> mean 11.5, ranges all 1 (the 2 -> 11 jump is not a range
    # of either group) -> limits 11.5 -+ 2.66
    dates = pd.date_range("2019-01-31", periods=12, freq="ME")
    y = [1, 2, 1, 2, 1, 2, 11, 12, 11, 12, 11, 12]
    r = spc(y, dates, rebase_at=[dates[6]])
    p = r.points
    assert list(p["rebase_group"]) == [0] * 6 + [1] * 6
    assert p["lpl"].iloc[0] == pytest.approx(1.5 - 2.66, abs=TOL)
    assert p["upl"].iloc[-1] == pytest.approx(11.5 + 2.66, abs=TOL)
    assert r.summary.upl == pytest.approx(11.5 + 2.66, abs=TOL)
    assert [g.n for g in r.summary.groups] == [6, 6]
    assert r.summary.groups[1].start == dates[6]


def test_rebase_at_a_date_not_in_the_series_is_an_input_error() -> None:
    dates = pd.date_range("2019-01-31", periods=4, freq="ME")
    with pytest.raises(InputError, match="rebase_at"):
        spc([1, 2, 3, 4], dates, rebase_at=["2020-06-30"])


def test_fixed_baseline_uses_only_the_first_n_points() -> None:
    # baseline: 5,7,6,8,6,7,5,6,7,8,6,7 -> sum 78, mean 6.5;
    # ranges 2,1,2,2,1,2,1,1,1,2,1 -> 16/11 = 1.454545 -> upl 6.5 + 2.66*16/11 = 10.369
    y = [5, 7, 6, 8, 6, 7, 5, 6, 7, 8, 6, 7, 20, 6, 7]
    p = spc(y, fix_after_n_points=12).points
    assert p["mean"].to_numpy() == pytest.approx([6.5] * 15, abs=TOL)
    assert p["upl"].iloc[-1] == pytest.approx(6.5 + 2.66 * 16 / 11, abs=TOL)
    assert p["rule"].iloc[12] == "outside_limits"  # 20 > 10.369


def test_fixed_baseline_restarts_after_a_rebase() -> None:
    first = [5, 7, 6, 8, 6, 7, 5, 6, 7, 8, 6, 7, 20]
    y = first + [v + 10 for v in first[:12]] + [99]
    p = spc(y, rebase_at=[13], fix_after_n_points=12).points
    assert p["mean"].iloc[0] == pytest.approx(6.5, abs=TOL)
    assert p["mean"].iloc[-1] == pytest.approx(16.5, abs=TOL)
    assert p["upl"].iloc[-1] == pytest.approx(16.5 + 2.66 * 16 / 11, abs=TOL)


@pytest.mark.parametrize("n", [11, 0, -3])
def test_fixed_baseline_needs_at_least_12_points(n: int) -> None:
    with pytest.raises(InputError, match="at least 12"):
        spc(PLAIN, fix_after_n_points=n)


def test_groups_under_13_points_are_short() -> None:
    assert spc(PLAIN).summary.short_group_warning is False
    short = spc(PLAIN[:12])
    assert short.summary.short_group_warning is True
    assert short.points["short_group"].all()
    # Rebasing 13 points into 7 + 6 makes both groups short.
    both = spc(PLAIN, rebase_at=[7])
    assert [g.short for g in both.summary.groups] == [True, True]


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        # latest limits (PLAIN): lpl 2.693205, upl 10.229872
        ("increase", 11.0, Assurance.CONSISTENT_FAIL),  # target above upl: cannot be met
        ("increase", 2.0, Assurance.CONSISTENT_PASS),  # target below lpl: always met
        ("increase", 6.0, Assurance.INCONSISTENT),
        ("decrease", 11.0, Assurance.CONSISTENT_PASS),
        ("decrease", 2.0, Assurance.CONSISTENT_FAIL),
        ("decrease", 6.0, Assurance.INCONSISTENT),
        ("neutral", 11.0, None),  # R: no assurance for a neutral measure
        ("increase", None, None),
    ],
)
def test_assurance_compares_target_with_latest_limits(
    improvement: str, target: float | None, expected: Assurance | None
) -> None:
    assert spc(PLAIN, improvement=improvement, target=target).summary.assurance is expected


def test_assurance_target_on_the_limit_is_inconsistent() -> None:
    upl = 84 / 13 + 2.66 * 17 / 12
    r = spc(PLAIN, target=spc(PLAIN).summary.upl)
    assert r.summary.upl == pytest.approx(upl, abs=TOL)
    assert r.summary.assurance is Assurance.INCONSISTENT  # R tests target > upl strictly


def test_assurance_uses_the_latest_group_after_a_rebase() -> None:
    y = [1, 2, 1, 2, 1, 2, 11, 12, 11, 12, 11, 12]
    # target 5: above group 0's upl (4.16) but below group 1's lpl (8.84) -> pass
    assert spc(y, rebase_at=[6], target=5).summary.assurance is Assurance.CONSISTENT_PASS


def test_dates_order_the_points() -> None:
    dates = pd.to_datetime(["2019-03-31", "2019-01-31", "2019-02-28"])
    p = spc([3.0, 1.0, 2.0], dates).points
    assert list(p["value"]) == [1.0, 2.0, 3.0]
    assert list(p["date"]) == sorted(dates)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": []}, "non-empty"),
        ({"values": [1.0, float("nan"), 2.0]}, "position 1"),
        ({"values": [1.0, 2.0], "improvement": "up"}, "increase, decrease, neutral"),
        ({"values": [1.0, 2.0], "dates": ["2019-01-31"]}, "1 dates for 2 values"),
        ({"values": [1.0, 2.0], "dates": ["2019-01-31", "2019-01-31"]}, "more than once"),
    ],
)
def test_bad_input_is_named(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        spc(**kwargs)


# --- agreement with NHSRplotthedots' own published results ---------------------------------
# tests/testthat/test-ptd_spc_standard.R draws y = rnorm(20) after set.seed(123); the package's
# snapshot (tests/testthat/_snaps/ptd_spc_standard.md) records R's output, printed by pillar to
# 7 significant digits. These are those 20 values, to R's printed 8 decimals.
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def test_agrees_with_the_r_snapshot_r1() -> None:
    r = spc(RNORM_123)
    p = r.points
    assert p["mean"].iloc[0] == pytest.approx(0.1416238, abs=TOL)
    assert p["lpl"].iloc[0] == pytest.approx(-3.011380, abs=TOL)
    assert p["upl"].iloc[0] == pytest.approx(3.294627, abs=TOL)
    side = np.sign(p["value"] - p["mean"]).astype(int).tolist()
    assert side[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    # ptd_spc summary snapshot: 20 points, all common cause; with target 0.5, inconsistent
    assert r.summary.groups[0].common_cause == 20
    assert spc(RNORM_123, target=0.5).summary.assurance is Assurance.INCONSISTENT


def test_agrees_with_the_r_snapshot_screening_on_and_off() -> None:
    y = list(RNORM_123)
    y[14] = 10  # data$y[15] <- 10 in R's 1-based indexing
    on, off = spc(y).points, spc(y, screen_outliers=False).points
    assert on["mean"].iloc[0] == pytest.approx(0.6694159, abs=TOL)
    assert (on["lpl"].iloc[0], on["upl"].iloc[0]) == (
        pytest.approx(-2.383666, abs=TOL),
        pytest.approx(3.722497, abs=TOL),
    )
    assert (off["lpl"].iloc[0], off["upl"].iloc[0]) == (
        pytest.approx(-4.596625, abs=TOL),
        pytest.approx(5.935457, abs=TOL),
    )


def test_agrees_with_the_r_snapshot_for_two_groups() -> None:
    # _snaps/ptd_spc.md, faceted 10 + 10 (printed to 3 significant digits): group means
    # 0.0746 and 0.209, limits -2.60 to 2.75 and -3.28 to 3.70. A rebase at the 11th point
    # gives the same groups.
    groups = spc(RNORM_123, rebase_at=[10]).summary.groups
    assert [round(g.mean, 4) for g in groups] == [0.0746, 0.2086]
    assert [(round(g.lpl, 2), round(g.upl, 2)) for g in groups] == [(-2.60, 2.75), (-3.28, 3.70)]
