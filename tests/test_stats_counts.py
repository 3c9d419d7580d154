"""forcepack's statistics take scipy's distribution functions from scipy.special, not
scipy.stats (whose import costs every paper about 0.9 s): the values must be scipy.stats' to the
last bit, so every judgement is the same as before."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.special import chdtrc, ndtr, ndtri

from forcepack.stats.change import dispersion_test
from forcepack.stats.counts import binomial_two_sided, compare_counts
from forcepack.stats.survey import compare_proportions
from forcepack.stats.trend import mann_kendall


def _cases() -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(20261204)
    out = [(k, n, p) for n in (1, 2, 3, 7, 30, 101) for k in range(n + 1) for p in (0.5, 0.3)]
    for _ in range(3000):
        n = int(rng.integers(1, 5000))
        p = float(rng.uniform(0.01, 0.99))
        k = int(np.clip(rng.normal(n * p, 2 * np.sqrt(n * p * (1 - p)) + 1), 0, n))
        out.append((k, n, p))
    out += [(0, 5000, 0.5), (5000, 5000, 0.5), (1060, 1960, 0.5), (10, 30, 0.5), (20, 30, 2 / 3)]
    return out


@pytest.mark.slow  # over 0.8 s: thousands of binomial tests
def test_the_exact_binomial_test_is_scipys_to_the_last_bit() -> None:
    cases = _cases()
    mine = [binomial_two_sided(k, n, p) for k, n, p in cases]
    theirs = [float(stats.binomtest(k, n, p).pvalue) for k, n, p in cases]
    differ = [(c, a, b) for c, a, b in zip(cases, mine, theirs, strict=True) if a != b]
    assert differ == []
    assert min(mine) < 1e-6 and max(mine) == 1.0  # the grid reaches both tails and the middle


def test_compare_counts_uses_it() -> None:
    c = compare_counts(1060, 900, exposure_current=2, exposure_previous=1)
    assert c.p_value == float(stats.binomtest(1060, 1960, 2 / 3).pvalue)


def test_the_normal_and_chi_squared_functions_are_scipy_stats() -> None:
    rng = np.random.default_rng(7)
    z = np.concatenate([rng.normal(0, 3, 5000), [0.0, 1e-300, 8.5, 40.0]])
    assert [float(2 * ndtr(-abs(v))) for v in z] == [float(2 * stats.norm.sf(abs(v))) for v in z]
    q = np.concatenate([rng.uniform(0, 1, 5000), [1 - 0.05 / 2, 1 - 0.01 / 2]])
    assert [float(ndtri(v)) for v in q] == [float(stats.norm.ppf(v)) for v in q]
    d, k = rng.uniform(0, 200, 5000), rng.integers(1, 80, 5000)
    assert [float(chdtrc(df, x)) for x, df in zip(d, k, strict=True)] == [
        float(stats.chi2.sf(x, df)) for x, df in zip(d, k, strict=True)
    ]


@pytest.mark.parametrize("seed", range(5))
def test_the_tests_that_use_them_agree_with_scipy_stats(seed: int) -> None:
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rng.uniform(3, 300), size=int(rng.integers(3, 40))).astype(float)
    ratio, p = dispersion_test(counts)
    k = len(counts)
    assert p == pytest.approx(float(stats.chi2.sf(ratio * (k - 1), k - 1)), rel=1e-12)
    series = rng.normal(size=int(rng.integers(8, 60))).cumsum()
    mk = mann_kendall(series)
    assert mk.p_value == float(2 * stats.norm.sf(abs(mk.z)))
    n1, n2 = int(rng.integers(20, 900)), int(rng.integers(20, 900))
    x1, x2 = int(rng.integers(0, n1)), int(rng.integers(0, n2))
    cmp = compare_proportions(x1, n1, x2, n2)
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = 0.0 if se == 0 else (x1 / n1 - x2 / n2) / se
    assert cmp.p_value == pytest.approx(float(2 * stats.norm.sf(abs(z))), rel=1e-12)
