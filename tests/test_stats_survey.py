"""Survey statistics (Wilson, two-proportion z-test, Newcombe) and the Poisson count test.

Published reference values: Newcombe (1998) "Two-sided confidence intervals for the single
proportion", Statistics in Medicine 17:857-872, example 81/263 -> Wilson 0.2553 to 0.3662; and
Newcombe (1998) "Interval estimation for the difference between independent proportions",
Statistics in Medicine 17:873-890, example 56/70 - 48/80 -> method 10: 0.0524 to 0.3339.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from forcepack.errors import InputError
from forcepack.stats import (
    compare_counts,
    compare_proportions,
    is_small_sample,
    wilson_interval,
)


def test_wilson_matches_newcombes_published_example() -> None:
    ci = wilson_interval(81, 263)
    assert ci.estimate == pytest.approx(81 / 263)
    assert (round(ci.lower, 4), round(ci.upper, 4)) == (0.2553, 0.3662)


def test_wilson_worked_arithmetic() -> None:
    # 8 of 10, z = 1.959964: z^2 = 3.841459; denominator 1 + 0.384146 = 1.384146
    # centre (0.8 + 0.192073) / 1.384146 = 0.716742
    # half z/1.384146 * sqrt(0.016 + 0.009604) = 1.416009 * 0.160012 = 0.226579
    z = norm.ppf(0.975)
    z2 = z * z
    centre = (0.8 + z2 / 20) / (1 + z2 / 10)
    half = z / (1 + z2 / 10) * math.sqrt(0.8 * 0.2 / 10 + z2 / 400)
    ci = wilson_interval(8, 10)
    assert ci.lower == pytest.approx(centre - half, abs=1e-12)
    assert ci.upper == pytest.approx(centre + half, abs=1e-12)
    assert (round(ci.lower, 4), round(ci.upper, 4)) == (0.4902, 0.9433)


def test_wilson_stays_inside_zero_and_one() -> None:
    assert wilson_interval(0, 10).lower == 0.0
    assert wilson_interval(10, 10).upper == 1.0
    assert 0.0 < wilson_interval(0, 10).upper < 0.35


def test_newcombe_difference_matches_published_example() -> None:
    c = compare_proportions(56, 70, 48, 80)
    assert c.difference.estimate == pytest.approx(0.2)
    assert (round(c.difference.lower, 4), round(c.difference.upper, 4)) == (0.0524, 0.3339)


def test_pooled_z_test_worked_arithmetic() -> None:
    # pooled p = 104/150 = 0.693333; se = sqrt(0.693333 * 0.306667 * (1/70 + 1/80)) = 0.075467
    # z = (0.8 - 0.6) / 0.075467 = 2.650172; two-sided p = 2 * (1 - Phi(2.650172)) = 0.008045
    c = compare_proportions(56, 70, 48, 80)
    pooled = 104 / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert c.z == pytest.approx(z, abs=1e-9)
    assert c.p_value == pytest.approx(2 * norm.sf(z), abs=1e-12)
    assert c.significant is True
    assert c.small_sample is False


def test_seed_satisfaction_change_is_not_significant_at_these_sizes() -> None:
    # 76.5% of 1,340 against 79.2% of 1,300: z = -1.67, p = 0.095 -> not significant
    c = compare_proportions(1025, 1340, 1030, 1300)
    assert c.z < 0
    assert 0.05 < c.p_value < 0.2
    assert c.significant is False
    assert c.difference.lower < 0 < c.difference.upper


def test_no_variation_gives_no_signal() -> None:
    c = compare_proportions(10, 10, 20, 20)
    assert (c.z, c.p_value, c.significant) == (0.0, 1.0, False)


def test_small_sample_flag() -> None:
    assert compare_proportions(40, 49, 400, 500).small_sample is True  # 49 < 50
    assert compare_proportions(40, 50, 400, 500).small_sample is False
    assert is_small_sample(100, 30) is True
    assert is_small_sample(30, threshold=25) is False


@pytest.mark.parametrize(
    ("args", "message"),
    [((5, 0), "at least 1"), ((11, 10), "exceed"), ((-1, 10), "at least 0")],
)
def test_bad_counts_are_named(args: tuple[int, int], message: str) -> None:
    with pytest.raises(InputError, match=message):
        wilson_interval(*args)


def test_poisson_test_worked_arithmetic() -> None:
    # 10 this month against 20 last: given 30 events, X ~ Binomial(30, 1/2) under "same rate".
    # P(X <= 10) = sum_{k<=10} C(30,k) / 2^30 = 0.049369; two-sided (symmetric) p = 0.098737.
    tail = sum(math.comb(30, k) for k in range(11)) / 2**30
    c = compare_counts(10, 20)
    assert c.p_value == pytest.approx(2 * tail, abs=1e-12)
    assert c.significant is False
    assert c.ratio == pytest.approx(0.5)


def test_poisson_test_detects_a_large_rise() -> None:
    # 1,060 against 900 (DA crimes): p is far below 0.05
    c = compare_counts(1060, 900)
    assert c.significant is True
    assert c.p_value < 0.001


def test_poisson_test_with_exposures() -> None:
    # 20 events in 2 units of exposure against 10 in 1: the same rate, p = 1
    assert compare_counts(20, 10, exposure_current=2, exposure_previous=1).p_value == (
        pytest.approx(1.0)
    )
    assert compare_counts(0, 0).p_value == 1.0


def test_poisson_test_rejects_fractions() -> None:
    with pytest.raises(InputError, match="whole count"):
        compare_counts(1.5, 3)


# statsmodels (a development dependency only) as an independent implementation of the same
# methods: forcepack's own arithmetic must agree with it everywhere, not just at the worked
# examples above.
@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=5000),
    frac=st.floats(min_value=0, max_value=1),
)
def test_wilson_agrees_with_statsmodels(n: int, frac: float) -> None:
    from statsmodels.stats.proportion import proportion_confint

    k = round(frac * n)
    ours = wilson_interval(k, n)
    lower, upper = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert ours.lower == pytest.approx(lower, abs=1e-12)
    assert ours.upper == pytest.approx(upper, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(
    n1=st.integers(min_value=1, max_value=3000),
    n2=st.integers(min_value=1, max_value=3000),
    f1=st.floats(min_value=0, max_value=1),
    f2=st.floats(min_value=0, max_value=1),
)
def test_pooled_z_test_agrees_with_statsmodels(n1: int, n2: int, f1: float, f2: float) -> None:
    from statsmodels.stats.proportion import proportions_ztest

    k1, k2 = round(f1 * n1), round(f2 * n2)
    ours = compare_proportions(k1, n1, k2, n2)
    if k1 + k2 in (0, n1 + n2):  # no variation: statsmodels divides by zero, forcepack says 0
        assert ours.z == 0 and ours.p_value == 1
        return
    z, p = proportions_ztest([k1, k2], [n1, n2])
    assert ours.z == pytest.approx(z, rel=1e-9, abs=1e-12)
    assert ours.p_value == pytest.approx(p, rel=1e-9, abs=1e-12)
