"""The special-cause rules, each firing, each near miss, precedence and improvement direction.

Most examples append points to a fixed 12-point baseline so the limits are easy to read:

    BASE = 6,4,6,4,6,4,6,4,6,4,6,4  -> mean 5, every moving range 2 -> amr 2
    lpl, upl           = 5 -+ 2.66 * 2       = -0.32, 10.32
    near_lpl, near_upl = 5 -+ 1.773333 * 2   =  1.453333, 8.546667

The baseline ends on 4 (below the mean), so appended points above the mean start a new run.
Which NHSRplotthedots behaviour each test pins is named in its docstring
(``R/ptd_calculate_point_type.R``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from forcepack.stats import PointType, Rule, SpcMethod, Variation, spc
from forcepack.stats.rules import run_points, trend_points, two_in_three_points

BASE = [6, 4] * 6


def judge(extra: Sequence[float], **kwargs: object) -> pd.DataFrame:
    """The appended points' rows, judged against the fixed baseline."""
    return spc([*BASE, *extra], fix_after_n_points=12, **kwargs).points.iloc[12:]  # type: ignore[arg-type]


def rules(extra: Sequence[float], **kwargs: object) -> list[str | None]:
    return [None if r is None else str(r) for r in judge(extra, **kwargs)["rule"]]


def test_baseline_limits() -> None:
    p = spc(BASE).points
    assert p["upl"].iloc[0] == pytest.approx(5 + 2.66 * 2, abs=1e-6)
    assert p["near_upl"].iloc[0] == pytest.approx(5 + 2 * 2.66 / 3 * 2, abs=1e-6)
    assert (p["point_type"] == PointType.COMMON_CAUSE).all()


def test_point_outside_limits_fires_and_a_point_just_inside_does_not() -> None:
    """``outside_limits = y > upl | y < lpl`` (strict)."""
    assert rules([10.5]) == ["outside_limits"]  # 10.5 > 10.32
    assert rules([10.3]) == [None]  # 10.3 < 10.32: near the limit but alone
    assert rules([-0.5]) == ["outside_limits"]  # -0.5 < -0.32


def test_seven_points_on_one_side_fire_six_do_not() -> None:
    """``ptd_seven_point_one_side_mean`` and ``ptd_part_of_seven_trend``: all 7 are flagged."""
    assert rules([6] * 7) == ["run"] * 7
    assert rules([6] * 6 + [4]) == [None] * 7


def test_a_point_on_the_mean_breaks_a_run() -> None:
    """sign(y - mean) = 0 is neither side: 6,6,6,5,6,6,6 is two runs of three."""
    assert rules([6, 6, 6, 5, 6, 6, 6]) == [None] * 7


def test_seven_point_trend_fires_and_a_tie_breaks_it() -> None:
    """``ptd_seven_point_trend``: six rising steps; ``sign(diff) == 0`` breaks the trend.

    2,3,4,4.5,5.5,6,7: the 4 before the 2 is higher, so the trend starts at 2. Below the mean:
    base 4 + 2,3,4,4.5 = 5 points (no run); nothing beyond the near lines (1.45, 8.55).
    """
    assert rules([2, 3, 4, 4.5, 5.5, 6, 7]) == ["trend"] * 7
    # with a tie: 2,3,4,4.5 | 4.5,5.5,6,7 -> two rises of four points; below the mean
    # 4,2,3,4,4.5,4.5 is six points: no run either.
    assert rules([2, 3, 4, 4.5, 4.5, 5.5, 6, 7]) == [None] * 8


def test_six_point_trend_is_not_enough() -> None:
    assert rules([2, 3, 4, 5.5, 6, 7]) == [None] * 6


def test_falling_trend_is_a_concern_when_increase_is_better() -> None:
    p = judge([8, 7, 6, 5.5, 4.5, 3, 2])
    assert list(p["rule"]) == [Rule.TREND] * 7
    assert list(p["point_type"]) == [PointType.SPECIAL_CAUSE_CONCERN] * 7


def test_two_of_three_beyond_the_near_line_fire_on_the_near_points_only() -> None:
    """``ptd_two_in_three``: 9,6,9 -> two of three beyond 8.55 and all three above the mean.

    ``ptd_part_of_two_in_three`` flags only the points beyond the near line, not the 6.
    """
    assert rules([9, 6, 9]) == ["two_in_three", None, "two_in_three"]


def test_two_of_three_needs_all_three_on_the_same_side() -> None:
    """9,4,9: the 4 is below the mean, so |sum(sign)| = 1, not 3: no signal."""
    assert rules([9, 4, 9]) == [None] * 3


def test_points_beyond_the_limits_do_not_count_for_two_of_three() -> None:
    """``close_to_limits = !outside_limits & ...``: 11 is outside, so 11,9,6 has one near point."""
    assert rules([11, 9, 6]) == ["outside_limits", None, None]


def test_precedence_outside_over_run() -> None:
    """``case_when`` order: outside limits first, then trend, two-in-three, run."""
    assert rules([6] * 6 + [11]) == ["run"] * 6 + ["outside_limits"]


def test_precedence_trend_over_run() -> None:
    # 5.5 ... 8.2: rising and all above the mean (7 points) -> both rules; trend wins.
    assert rules([5.5, 6, 6.5, 7, 7.5, 8, 8.2]) == ["trend"] * 7


def test_precedence_two_in_three_over_run() -> None:
    # seven points above the mean; the last two beyond 8.55 with the 6 before them.
    assert rules([6, 6, 6, 6, 6, 9, 9]) == ["run"] * 5 + ["two_in_three"] * 2


def test_precedence_trend_over_two_in_three() -> None:
    # 3,4,5,6,7,8.6,8.7 rises for 7 points; 8.6 and 8.7 are also two-of-three.
    assert rules([3, 4, 5, 6, 7, 8.6, 8.7]) == ["trend"] * 7


@pytest.mark.parametrize(
    ("improvement", "high", "low", "icon_high"),
    [
        (
            "increase",
            PointType.SPECIAL_CAUSE_IMPROVEMENT,
            PointType.SPECIAL_CAUSE_CONCERN,
            Variation.IMPROVEMENT_HIGH,
        ),
        (
            "decrease",
            PointType.SPECIAL_CAUSE_CONCERN,
            PointType.SPECIAL_CAUSE_IMPROVEMENT,
            Variation.CONCERN_HIGH,
        ),
        (
            "neutral",
            PointType.SPECIAL_CAUSE_NEUTRAL_HIGH,
            PointType.SPECIAL_CAUSE_NEUTRAL_LOW,
            Variation.NEUTRAL_HIGH,
        ),
    ],
)
def test_improvement_direction_orients_point_types(
    improvement: str, high: PointType, low: PointType, icon_high: Variation
) -> None:
    """``ptd_point_type``: Above/Increasing = +1, Below/Decreasing = -1, times the direction."""
    assert list(judge([10.5, -0.5], improvement=improvement)["point_type"]) == [high, low]
    r = spc([*BASE, 10.5], fix_after_n_points=12, improvement=improvement)
    assert r.summary.variation is icon_high


def test_variation_icon_for_a_low_special_cause() -> None:
    r = spc([*BASE, -0.5], fix_after_n_points=12, improvement="increase")
    assert r.summary.variation is Variation.CONCERN_LOW
    r = spc([*BASE, -0.5], fix_after_n_points=12, improvement="decrease")
    assert r.summary.variation is Variation.IMPROVEMENT_LOW
    assert spc(BASE).summary.variation is Variation.COMMON_CAUSE


def test_peak_shared_by_two_trends_takes_the_later_direction() -> None:
    """``ptd_special_cause_type``: a trend point whose next point is also in a trend uses the
    step to its right, so the peak of 2..8..2 is labelled decreasing (a concern)."""
    p = judge([2, 3, 4, 5, 6, 7, 8, 7, 6, 5, 4, 3, 2])
    assert (p["rule"] == Rule.TREND).all()
    types = list(p["point_type"])
    assert types[:6] == [PointType.SPECIAL_CAUSE_IMPROVEMENT] * 6
    assert types[6:] == [PointType.SPECIAL_CAUSE_CONCERN] * 7


def test_rules_never_cross_a_rebase() -> None:
    """Rules are computed per (facet, rebase_group) in ``ptd_calculate_point_type``.

    Without a rebase: 25 points, mean 120/25 = 4.8, and the 6s at positions 12-18 are seven in a
    row above it. Rebased at 15 they split 3 + 4 and neither group has a run.
    """
    y = [*BASE, 6, 6, 6, 6, 6, 6, 6, 4, 2, 4, 2, 4, 2]
    whole = spc(y).points
    assert list(whole["rule"].iloc[12:19]) == [Rule.RUN] * 7
    rebased = spc(y, rebase_at=[15]).points
    assert rebased["rule"].isna().all()


def test_mdc_excel_variant_fires_on_six_points() -> None:
    """Named option: the MDC Excel tool's 6-point run and trend rules, no screening."""
    assert rules([6] * 6, method=SpcMethod.MDC_EXCEL) == ["run"] * 6
    assert rules([2, 3, 4, 5.5, 6, 7], method="mdc_excel") == ["trend"] * 6
    assert rules([6] * 5 + [4], method="mdc_excel") == [None] * 6


def test_mdc_excel_variant_does_not_screen() -> None:
    y = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 5, 45]
    r = spc(y, method="mdc_excel")
    assert r.summary.upl == pytest.approx(55 / 13 + 2.66 * 55 / 12, abs=1e-6)
    # an explicit screen_outliers overrides the method's default
    r = spc(y, method="mdc_excel", screen_outliers=True)
    assert r.summary.upl == pytest.approx(55 / 13 + 2.66 * 15 / 11, abs=1e-6)


def test_group_summary_counts_point_types() -> None:
    r = spc([*BASE, 10.5, -0.5], fix_after_n_points=12)
    g = r.summary.groups[0]
    assert (g.n, g.common_cause, g.special_cause_improvement, g.special_cause_concern) == (
        14,
        12,
        1,
        1,
    )


def test_r_two_in_three_on_opposite_sides_is_common_cause() -> None:
    """test-ptd_spc_standard.R: 1,-1 alternating (16 points) with the last two set to 5.5 and
    -5.5 (close to opposite limits) must both be common cause."""
    y: list[float] = [1, -1] * 8
    y[14], y[15] = 5.5, -5.5
    p = spc(y).points
    assert list(p["point_type"].iloc[-2:]) == [PointType.COMMON_CAUSE] * 2


# --- the rule helpers against NHSRplotthedots' unit tests (test-ptd_calculate_point_type.R) ---
# R returns where a pattern ends; forcepack returns membership (R's ptd_part_of_seven_trend /
# ptd_part_of_two_in_three applied), so each R expectation is converted by hand in the comment.


def test_r_seven_point_one_side_mean_cases() -> None:
    # R: c(rep(1, 8), -1) -> ends c(0,0,0,0,0,0,1,1,0) -> part of: the first eight points
    assert run_points(np.array([1.0] * 8 + [-1.0]), 7).tolist() == [True] * 8 + [False]
    assert run_points(np.array([-1.0] * 8 + [1.0]), 7).tolist() == [True] * 8 + [False]
    # R: rep(1, 6) and c(rep(1, 6), -1) -> no run
    assert not run_points(np.array([1.0] * 6), 7).any()
    assert not run_points(np.array([1.0] * 6 + [-1.0]), 7).any()
    assert run_points(np.array([]), 7).tolist() == []


def test_r_seven_point_trend_cases() -> None:
    def part(y: list[float]) -> list[bool]:
        return trend_points(np.array(y, dtype=float), 7)[0].tolist()

    assert part([1, 2, 3, 4, 5, 6]) == [False] * 6  # R: 1:6 -> zeros
    assert part([1, 2, 3, 3, 4, 5, 6]) == [False] * 7  # R: c(1:3, 3:6) -> zeros (the tie)
    assert part([1, 2, 3, 4, 5, 6, 7]) == [True] * 7  # R: 1:7 -> ends at 7
    # R: c(2, 1:7, 3) -> ends at position 8 -> points 2..8 are part
    assert part([2, 1, 2, 3, 4, 5, 6, 7, 3]) == [False] + [True] * 7 + [False]
    # R: c(2, 7:1, 3) -> a falling trend ending at position 8
    up, direction = trend_points(np.array([2, 7, 6, 5, 4, 3, 2, 1, 3], dtype=float), 7)
    assert up.tolist() == [False] + [True] * 7 + [False]
    assert direction.tolist() == [0] + [-1] * 7 + [0]


@pytest.mark.parametrize(
    ("near", "side", "expected"),
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),  # opposite sides of the mean
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
    ],
)
def test_r_two_in_three_cases(near: list[int], side: list[int], expected: list[int]) -> None:
    got = two_in_three_points(np.array(near, dtype=bool), np.array(side, dtype=float), 2, 3)
    assert got.astype(int).tolist() == expected
