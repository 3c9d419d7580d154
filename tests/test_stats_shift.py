"""detect_shift and declared baselines: a sustained shift is reported as a shift, not a concern.

The prompt-response case of issue 13, constructed: 12 months alternating 128/132, then 24
months alternating 103/107 (lower is better). Over the whole series the mean is
(12 x 130 + 24 x 105) / 36 = 113.33; the 35 moving ranges are 34 of 4 and one of 25, so
MR-bar = 161/35 = 4.6, the 25 is screened (3.267 x 4.6 = 15.03) and MR-bar = 4:
limits 113.33 -+ 10.64 = 102.69 to 123.97. Every one of the 36 points is special cause (the
first 12 above the upper limit, the last 24 a run below the mean), and the latest reads as an
"improvement" although the process has simply run lower since month 13.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcepack.errors import InputError
from forcepack.stats import (
    Baseline,
    BaselineKind,
    PointType,
    Side,
    SpcMethod,
    Variation,
    attribute_chart,
    detect_shift,
    spc,
)

DATES = pd.date_range("2017-01-31", periods=60, freq="ME")
PROMPT = [128, 132] * 6 + [103, 107] * 12


def test_limits_spanning_a_shift_make_every_point_special_cause() -> None:
    r = spc(PROMPT, DATES[:36], improvement="decrease")
    p = r.points
    assert p["mean"].iloc[0] == pytest.approx(340 / 3)
    assert p["upl"].iloc[0] == pytest.approx(340 / 3 + 2.66 * 4)
    assert (p["point_type"] != PointType.COMMON_CAUSE).all()
    assert r.summary.variation is Variation.IMPROVEMENT_LOW


def test_a_shift_without_a_declared_change_is_reported_since_its_first_month() -> None:
    r = spc(PROMPT, DATES[:36], improvement="decrease")
    shift = detect_shift(r)
    assert shift is not None
    assert shift.since == DATES[12] and shift.since_index == 12
    assert shift.side is Side.LOWER and shift.points == 24
    assert shift.special_cause_points == 24
    assert shift.point_type is PointType.SPECIAL_CAUSE_IMPROVEMENT
    assert shift.earlier_mean == pytest.approx(340 / 3)
    assert shift.describe() == "has run below its earlier range since 2018-01-31 (24 points)"
    suggested = shift.suggested_baseline
    assert suggested.kind is BaselineKind.DECLARED_CHANGE
    assert suggested.change_points[0].date == DATES[12]
    assert "suggested" in (suggested.change_points[0].reason or "")
    # the suggested rebase gives the new process its own limits: the latest is common cause
    rebased = spc(PROMPT, DATES[:36], improvement="decrease", baseline=suggested)
    assert rebased.summary.variation is Variation.COMMON_CAUSE
    assert rebased.summary.mean == pytest.approx(105)
    assert detect_shift(rebased) is None


def test_a_shift_with_a_declared_change_point_is_not_reported() -> None:
    declared = Baseline.declared((DATES[12], "2018-01 new response model"))
    r = spc(PROMPT, DATES[:36], improvement="decrease", baseline=declared)
    assert detect_shift(r) is None
    assert r.summary.variation is Variation.COMMON_CAUSE
    assert r.baseline.describe() == (
        "limits recomputed from 2018-01-31 (2018-01 new response model)"
    )
    assert [g.mean for g in r.summary.groups] == pytest.approx([130, 105])


def test_a_declared_change_point_outside_the_series() -> None:
    declared = Baseline.declared(("2016-01-31", "new response model"))
    with pytest.raises(InputError, match=r"2016-01-31.*new response model.*2017-01-31 to"):
        spc(PROMPT, DATES[:36], baseline=declared)
    with pytest.raises(InputError, match="has no reason"):
        Baseline.declared(("2018-01-31", " "))
    with pytest.raises(InputError, match="no change point given"):
        Baseline.declared()
    with pytest.raises(InputError, match="at least 12"):
        Baseline.first_n(6)


def test_a_rise_where_lower_is_better_is_a_concern_shift() -> None:
    y = [18, 20] * 10 + [23, 25] * 5
    shift = detect_shift(spc(y, DATES[:30], improvement="decrease"))
    assert shift is not None and shift.side is Side.HIGHER
    assert shift.point_type is PointType.SPECIAL_CAUSE_CONCERN
    assert shift.since == DATES[20] and shift.points == 10
    neutral = detect_shift(spc(y, DATES[:30], improvement="neutral"))
    assert neutral is not None and neutral.point_type is PointType.SPECIAL_CAUSE_NEUTRAL_HIGH


def test_a_run_shorter_than_the_run_rule_is_not_a_shift() -> None:
    y = [18, 20] * 10 + [23, 25, 23, 25, 23, 25]  # 6 points above: below plot-the-dots' 7
    assert detect_shift(spc(y, DATES[:26])) is None
    excel = detect_shift(spc(y, DATES[:26], method=SpcMethod.MDC_EXCEL))  # 6 is the MDC tool's
    assert excel is not None and excel.points == 6


def test_a_stable_series_has_no_shift() -> None:
    assert detect_shift(spc([10, 12, 11, 13, 9, 12, 10, 11] * 4, DATES[:32])) is None


def test_a_shift_on_an_attribute_chart() -> None:
    # compliance 90% of 500 for 18 months, then 95% for 12 (higher is better)
    y = [450] * 18 + [475] * 12
    r = attribute_chart(y, [500] * 30, DATES[:30], chart="pp")
    shift = detect_shift(r)
    assert shift is not None and shift.since == DATES[18] and shift.side is Side.HIGHER
    assert shift.point_type is PointType.SPECIAL_CAUSE_IMPROVEMENT


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=8, max_size=40))
def test_a_reported_shift_is_a_maximal_same_side_run(y: list[int]) -> None:
    r = spc(y, DATES[: len(y)])
    shift = detect_shift(r)
    side = np.sign(r.points["value"] - r.points["mean"]).to_numpy()
    if shift is None:
        run = 0
        while run < len(side) and side[-1 - run] == side[-1] != 0:
            run += 1
        assert run < 7 or run == len(side)
        return
    want = 1 if shift.side is Side.HIGHER else -1
    assert (side[shift.since_index :] == want).all()
    assert side[shift.since_index - 1] != want
    assert shift.points == len(y) - shift.since_index >= 7


def test_spc_records_the_baseline_it_used() -> None:
    y = [10, 12] * 10
    whole = spc(y, DATES[:20])
    assert whole.baseline.kind is BaselineKind.WHOLE_SERIES
    assert whole.baseline.describe() == "limits from the whole series"
    first = spc(y, DATES[:20], baseline=Baseline.first_n(12))
    assert first.baseline.kind is BaselineKind.FIRST_N_POINTS
    pd.testing.assert_frame_equal(first.points, spc(y, DATES[:20], fix_after_n_points=12).points)
    both = spc(y, DATES[:20], rebase_at=[DATES[8]], baseline=Baseline.first_n(12))
    assert both.baseline.kind is BaselineKind.DECLARED_CHANGE
    assert both.baseline.describe() == (
        "limits recomputed from 2017-09-30; limits fixed from the first 12 points of each period"
    )
    with pytest.raises(InputError, match="expected a list of dates"):
        spc(y, DATES[:20], rebase_at="2017-09-30")  # type: ignore[arg-type]
