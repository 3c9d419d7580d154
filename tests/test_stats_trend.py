"""trend (Mann-Kendall over a stated window) and recent_improvement.

Worked example: 1, 2, ..., 10 has every pair rising: S = 45, Var(S) = 10 x 9 x 25 / 18 = 125,
Z = (45 - 1) / sqrt(125) = 3.93548, p = 2 (1 - Phi(3.93548)) = 8.30e-5, Sen's slope 1.
With ties the variance loses sum_t t(t-1)(2t+5)/18 (checked against scipy's Kendall tau, whose
asymptotic test has the same variance and no continuity correction).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau, norm, theilslopes

from forcepack.errors import InputError
from forcepack.stats import (
    PointType,
    Rule,
    Verdict,
    mann_kendall,
    recent_improvement,
    spc,
    trend,
)

DATES = pd.date_range("2017-01-31", periods=60, freq="ME")
NOISE = np.array([3, -2, 4, -3, 1, -4, 2, -1, 3, -3, 0, 2] * 5, dtype=float)


def test_mann_kendall_worked_example() -> None:
    mk = mann_kendall(np.arange(1, 11))
    assert (mk.n, mk.s, mk.var_s) == (10, 45, 125.0)
    assert mk.z == pytest.approx(44 / math.sqrt(125))
    assert mk.p_value == pytest.approx(8.30e-5, rel=1e-2)
    assert mk.tau == 1.0 and mk.sen_slope == 1.0


def test_mann_kendall_tie_correction_matches_scipy() -> None:
    x = np.array([5, 3, 3, 6, 6, 6, 4, 8, 8, 9, 7, 10, 10, 12, 11])
    mk = mann_kendall(x)
    # ties: 3 x2, 6 x3, 8 x2, 10 x2 -> sum t(t-1)(2t+5) = 18 + 66 + 18 + 18 = 120
    n = 15
    assert mk.var_s == pytest.approx((n * (n - 1) * (2 * n + 5) - 120) / 18)
    tau = kendalltau(np.arange(n), x)
    assert 2 * norm.sf(abs(mk.s) / math.sqrt(mk.var_s)) == pytest.approx(tau.pvalue, rel=1e-9)
    assert mk.sen_slope == pytest.approx(theilslopes(x).slope)


def test_a_trend_over_24_months_is_trend_up() -> None:
    y = 100 + 1.5 * np.arange(36) + NOISE[:36]
    r = trend(y, DATES[:36])
    assert r.verdict is Verdict.TREND_UP and r.method == "mann_kendall"
    assert (r.start, r.end, r.window) == (DATES[12], DATES[35], 24)
    assert r.test.n == 24 and r.test.p_value < 0.05
    assert r.test.sen_slope == pytest.approx(1.5, abs=0.5)
    assert trend(y[::-1].copy(), DATES[:36]).verdict is Verdict.TREND_DOWN


def test_noise_and_a_level_shift_before_the_window_are_stable() -> None:
    # 12 low months, then 24 months of noise around a higher level: only the 24 are judged
    y = np.concatenate([np.full(12, 50.0), 100 + NOISE[:24]])
    assert trend(y, DATES[:36]).verdict is Verdict.STABLE
    assert trend(y, DATES[:36], window=36).verdict is Verdict.TREND_UP


def test_trend_bad_input() -> None:
    with pytest.raises(InputError, match=r"20 points \(2017-01-31 to 2018-08-31\) are fewer"):
        trend(np.arange(20.0), DATES[:20])
    with pytest.raises(InputError, match="window: must be a whole number of at least 10"):
        trend(np.arange(30.0), DATES[:30], window=6)
    y = np.arange(30.0)
    y[20] = np.nan
    with pytest.raises(InputError, match=r"point 20 \(2018-09-30\) is nan"):
        trend(y, DATES[:30])
    y[20] = 20
    y[2] = np.nan  # outside the window: not used
    assert trend(y, DATES[:30]).verdict is Verdict.TREND_UP


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=10, max_size=40))
def test_mann_kendall_is_rank_based_and_reverses_with_time(y: list[int]) -> None:
    x = np.array(y, dtype=float)
    a = mann_kendall(x)
    b = mann_kendall(np.exp(x / 10))  # a monotone transformation keeps every sign
    assert (a.s, a.var_s, a.p_value) == (b.s, b.var_s, b.p_value)
    c = mann_kendall(x[::-1])
    assert c.s == -a.s and c.p_value == pytest.approx(a.p_value)


# --- recent_improvement -------------------------------------------------------------------

BASE = [6, 4] * 6  # mean 5, MR-bar 2: limits -0.32 to 10.32, near lines 1.45 and 8.55


def test_improved_in_recent_months_by_two_in_three() -> None:
    # higher is better: 9, 7, 9 after the baseline: two of three beyond 8.55, all above 5
    r = spc([*BASE, 5, 5, 9, 7, 9], DATES[:17], fix_after_n_points=12)
    rec = recent_improvement(r)
    assert rec.improved and rec.improvement_points == 2 and rec.concern_points == 0
    assert rec.rules == (Rule.TWO_IN_THREE,)
    assert (rec.start, rec.first_improvement, rec.end) == (DATES[14], DATES[14], DATES[16])


def test_not_improved_when_a_recent_point_is_a_concern_or_none_is_special() -> None:
    mixed = spc([*BASE, 5, 11, 5, 9, 7, 9, -1], DATES[:19], fix_after_n_points=12)
    assert mixed.points["point_type"].iloc[-1] == PointType.SPECIAL_CAUSE_CONCERN
    assert not recent_improvement(mixed).improved
    plain = spc([*BASE, 5, 6, 4], DATES[:15], fix_after_n_points=12)
    rec = recent_improvement(plain)
    assert not rec.improved and rec.improvement_points == 0 and rec.first_improvement is None
    # an improvement that is no longer recent does not count
    old = spc([*BASE, 11, 5, 6, 4, 5], DATES[:17], fix_after_n_points=12)
    assert not recent_improvement(old).improved
    assert recent_improvement(old, points=5).improved


def test_improvement_follows_the_direction() -> None:
    r = spc([*BASE, 5, 5, 1, 3, 1], DATES[:17], fix_after_n_points=12, improvement="decrease")
    assert recent_improvement(r).improved
    neutral = spc([*BASE, 5, 5, 1, 3, 1], DATES[:17], fix_after_n_points=12, improvement="neutral")
    assert not recent_improvement(neutral).improved


def test_recent_improvement_bad_input() -> None:
    r = spc([1, 2], DATES[:2])
    with pytest.raises(InputError, match="has 2 points, fewer than the 3"):
        recent_improvement(r)
    with pytest.raises(InputError, match="at least 1"):
        recent_improvement(r, points=0)
