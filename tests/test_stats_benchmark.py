"""The long-term benchmark (DESIGN.md): baseline = the 36 months before the latest 12,
sigma = mean moving range / 1.128, expected 12 mu, limits 12 mu +- 3 sqrt(12) sigma."""

from __future__ import annotations

import math

import pytest

from forcepack.errors import InputError
from forcepack.stats import BenchmarkVerdict, long_term_benchmark

# baseline 100,110,100,110,... (36 months): mu = 105, every moving range 10
# sigma = 10 / 1.128 = 8.865248; expected 12 * 105 = 1260
# half-width 3 * sqrt(12) * 8.865248 = 92.130 -> limits 1167.870 to 1352.130
BASELINE = [100, 110] * 18
SIGMA = 10 / 1.128
HALF = 3 * math.sqrt(12) * SIGMA


def test_worked_example_significantly_higher() -> None:
    r = long_term_benchmark([*BASELINE, *[115] * 12])  # total 1380 > 1352.13
    assert r.baseline_mean == pytest.approx(105)
    assert r.baseline_sigma == pytest.approx(SIGMA, abs=1e-9)
    assert r.expected == pytest.approx(1260)
    assert (r.lower, r.upper) == (pytest.approx(1260 - HALF), pytest.approx(1260 + HALF))
    assert r.total == 1380
    assert r.verdict is BenchmarkVerdict.HIGHER


def test_within_and_lower() -> None:
    assert long_term_benchmark([*BASELINE, *[110] * 12]).verdict is BenchmarkVerdict.WITHIN
    assert long_term_benchmark([*BASELINE, *[95] * 12]).verdict is BenchmarkVerdict.LOWER  # 1140


def test_only_the_last_48_months_count() -> None:
    early = [10_000] * 5  # ignored: before the baseline
    a = long_term_benchmark([*early, *BASELINE, *[110] * 12])
    b = long_term_benchmark([*BASELINE, *[110] * 12])
    assert a == b


def test_baseline_is_configurable() -> None:
    # 24-month baseline of the last 24 values before the window: still mu 105, sigma 10/1.128
    r = long_term_benchmark([*[0] * 12, *BASELINE[:24], *[115] * 12], baseline_months=24)
    assert r.baseline_months == 24
    assert r.expected == pytest.approx(1260)
    assert r.verdict is BenchmarkVerdict.HIGHER
    # the 36-month default would take the zeros in and lower the benchmark
    assert long_term_benchmark([*[0] * 12, *BASELINE[:24], *[115] * 12]).expected < 1000


def test_too_short_a_series_is_named() -> None:
    with pytest.raises(InputError, match="needs 48 monthly values"):
        long_term_benchmark([1.0] * 47)
