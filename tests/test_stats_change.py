"""count_change: a count's change is a rise or fall only when the series' own variation says so.

Worked examples (docs/statistics.md, "Counts judged by their own variation"):

    OVER = 1000, 1100, 950, 1080, 900, 1050, 980, 1120, 940, 1060, 1010, 1090
    mean 1023.33; D = sum (x - mean)^2 / mean = 53.811 on 11 df -> p = 1.3e-7: overdispersed
    (variance 4.9 times the mean); moving ranges sum 1350 over 11 -> MR-bar 122.727;
    largest ordinary change 3.267 x 122.727 = 400.95

    POISSON = 20, 24, 18, 22, 25, 19, 21, 23, 17, 20, 22, 21
    mean 21; D = 2.952 on 11 df -> p = 0.991: not overdispersed -> exact Poisson test
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcepack.errors import InputError
from forcepack.stats import (
    CountCompare,
    CountMethod,
    Verdict,
    compare_counts,
    count_change,
    dispersion_test,
)

OVER = [1000, 1100, 950, 1080, 900, 1050, 980, 1120, 940, 1060, 1010, 1090]
POISSON = [20, 24, 18, 22, 25, 19, 21, 23, 17, 20, 22, 21]
DATES = pd.date_range("2018-01-31", periods=40, freq="ME")


def test_dispersion_test_worked_example() -> None:
    ratio, p = dispersion_test(np.array(OVER, float))
    assert ratio == pytest.approx(53.811075 / 11, rel=1e-6)
    assert p == pytest.approx(1.2778e-7, rel=1e-3)
    ratio, p = dispersion_test(np.array(POISSON, float))
    assert ratio == pytest.approx(2.952381 / 11, rel=1e-6)
    assert p == pytest.approx(0.99134, abs=1e-5)


def test_overdispersed_count_with_a_small_fall_is_no_change() -> None:
    # 1090 -> 970: an exact Poisson test would call this a significant fall (p = 0.0087),
    # but a change of 120 is well inside the series' usual 400.95.
    assert compare_counts(970, 1090).significant
    r = count_change([*OVER, 970], DATES[:13])
    assert r.verdict is Verdict.NO_CHANGE
    assert r.method is CountMethod.XMR_MOVING_RANGE
    assert r.overdispersed and r.p_value is None
    assert r.dispersion == pytest.approx(4.8919, abs=1e-4)
    assert r.mean_moving_range == pytest.approx(1350 / 11)
    assert r.limit == pytest.approx(3.267 * 1350 / 11)
    assert r.change == -120 and r.relative_change == pytest.approx(-120 / 1090)
    assert (r.date, r.comparison_date) == (DATES[12], DATES[11])
    assert (r.baseline_start, r.baseline_end, r.baseline_points) == (DATES[0], DATES[11], 12)


def test_a_genuine_shift_is_a_rise() -> None:
    # 1090 -> 1500: a change of 410 is beyond 400.95
    r = count_change([*OVER, 1500], DATES[:13])
    assert r.verdict is Verdict.RISE and r.method is CountMethod.XMR_MOVING_RANGE
    # a change of exactly the limit or less is ordinary (strictly beyond is needed)
    assert count_change([*OVER, 1090 + 400], DATES[:13]).verdict is Verdict.NO_CHANGE
    assert count_change([*OVER, 1090 - 401], DATES[:13]).verdict is Verdict.FALL


def test_a_poisson_like_series_uses_the_exact_poisson_test() -> None:
    r = count_change([*POISSON, 40], DATES[:13])
    assert not r.overdispersed
    assert r.method is CountMethod.POISSON_EXACT
    assert r.p_value == pytest.approx(compare_counts(40, 21).p_value)  # 0.0204
    assert r.verdict is Verdict.RISE and r.limit is None
    assert count_change([*POISSON, 26], DATES[:13]).verdict is Verdict.NO_CHANGE


def test_same_month_last_year_compares_twelve_months_back() -> None:
    y = [*OVER, 1000, 1000 - 120]  # 14 months: the latest (880) against month 2 (1100)
    r = count_change(y, DATES[:14], compare="same_month_last_year")
    assert r.compare is CountCompare.SAME_MONTH_LAST_YEAR
    assert r.comparison_date == DATES[1] and r.comparison_value == 1100
    assert r.change == -220 and r.baseline_points == 13
    assert r.verdict is Verdict.NO_CHANGE
    big = count_change([*OVER, 1000, 1100 + 500], DATES[:14], compare="same_month_last_year")
    assert big.verdict is Verdict.RISE


def test_baseline_points_limits_the_months_judged_against() -> None:
    # the first 20 months are wild (0 and 3000); only the last 12 before the latest count
    y = [0, 3000] * 10 + OVER + [970]
    whole = count_change(y, DATES[:33])
    recent = count_change(y, DATES[:33], baseline_points=12)
    assert recent.mean_moving_range == pytest.approx(1350 / 11)
    assert recent.baseline_start == DATES[20]
    assert whole.mean_moving_range > recent.mean_moving_range


def test_unsorted_input_is_judged_in_date_order() -> None:
    y = [*OVER, 970]
    r = count_change(y[::-1], DATES[:13][::-1])
    assert r.value == 970 and r.comparison_value == 1090


def test_bad_input() -> None:
    with pytest.raises(InputError, match=r"12 months .* are too few .*same month last year"):
        count_change(OVER, DATES[:12], compare="same_month_last_year")
    # 13 months are enough: the comparison month is the first of the 12-month baseline
    r = count_change([*OVER, 970], DATES[:13], compare="same_month_last_year")
    assert r.comparison_date == DATES[0] and r.baseline_start == DATES[0]
    with pytest.raises(InputError, match=r"12 months .* too few .* needs at least 13"):
        count_change(OVER, DATES[:12])
    with pytest.raises(InputError, match=r"point 3 \(2018-04-30\) is 2.5; .*whole count"):
        count_change([1, 2, 3, 2.5, *OVER], DATES[:16])
    with pytest.raises(InputError, match=r"point 0 \(2018-01-31\) is -1.0"):
        count_change([-1, *OVER], DATES[:13])
    with pytest.raises(InputError, match=r"point 12 \(2019-02-28\) does not follow 2018-11-30"):
        count_change([*OVER, 970], [*DATES[:12].shift(-1), DATES[13]])
    with pytest.raises(InputError, match="not one of previous_month, same_month_last_year"):
        count_change([*OVER, 970], DATES[:13], compare="last_quarter")
    with pytest.raises(InputError, match="baseline_points: must be a whole number of at least 12"):
        count_change([*OVER, 970], DATES[:13], baseline_points=6)


FAST = settings(max_examples=80, deadline=None)
counts = st.lists(st.integers(0, 5000), min_size=13, max_size=40)


@FAST
@given(counts)
def test_the_verdict_follows_the_sign_and_the_method_its_rule(y: list[int]) -> None:
    r = count_change(y)
    if r.verdict is Verdict.RISE:
        assert r.change > 0
    if r.verdict is Verdict.FALL:
        assert r.change < 0
    real = r.verdict is not Verdict.NO_CHANGE
    if r.overdispersed:
        assert r.method is CountMethod.XMR_MOVING_RANGE  # never Poisson when overdispersed
        assert r.limit is not None and real == (abs(r.change) > r.limit)
    else:
        assert r.method is CountMethod.POISSON_EXACT
        assert real == compare_counts(y[-1], y[-2]).significant


@FAST
@given(counts, st.integers(1, 1000))
def test_adding_a_constant_keeps_the_xmr_limit(y: list[int], c: int) -> None:
    a, b = count_change(y), count_change([v + c for v in y])
    assert b.mean_moving_range == pytest.approx(a.mean_moving_range)
    assert b.change == a.change
