"""The long-term benchmark for a rolling 12-month total (DESIGN.md, "Long-term benchmark").

The baseline is the monthly series over the 36 months before the latest 12. Its mean mu and
XmR sigma = mean moving range / 1.128 give an expected 12-month total 12 mu and limits
12 mu +- 3 sqrt(12) sigma (the total of 12 independent months has standard deviation
sqrt(12) sigma). A total outside the limits is "significantly higher/lower" than the benchmark.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from forcepack.errors import InputError
from forcepack.stats import constants as C
from forcepack.stats.spc import r_mean


class BenchmarkVerdict(enum.StrEnum):
    HIGHER = "significantly_higher"
    LOWER = "significantly_lower"
    WITHIN = "within"


@dataclass(frozen=True)
class BenchmarkResult:
    """The latest window's total against the baseline's expected total and limits."""

    total: float
    expected: float
    lower: float
    upper: float
    baseline_mean: float
    baseline_sigma: float
    baseline_months: int
    window_months: int
    verdict: BenchmarkVerdict


def long_term_benchmark(
    values: Sequence[float] | np.ndarray,
    *,
    baseline_months: int = C.BENCHMARK_BASELINE_MONTHS,
    window_months: int = C.BENCHMARK_WINDOW_MONTHS,
    sigma_multiplier: float = C.BENCHMARK_SIGMA_MULTIPLIER,
) -> BenchmarkResult:
    """Judge the total of the last ``window_months`` values against the ``baseline_months``
    before them. ``values`` is the monthly series in date order, ending with the month judged;
    earlier months are ignored."""
    y = np.asarray(values, dtype=float)
    if baseline_months < 2 or window_months < 1:
        raise InputError(
            f"long_term_benchmark: baseline_months must be at least 2 and window_months at "
            f"least 1, received {baseline_months} and {window_months}"
        )
    need = baseline_months + window_months
    if y.ndim != 1 or y.size < need:
        raise InputError(
            f"long_term_benchmark: needs {need} monthly values ({baseline_months} baseline + "
            f"{window_months} judged), received {y.size}",
            hint="pass a longer series or a shorter baseline_months",
        )
    if not np.isfinite(y[-need:]).all():
        raise InputError(
            "long_term_benchmark: every month in the baseline and window must be a number"
        )
    base, window = y[-need:-window_months], y[-window_months:]
    mu = r_mean(base)
    sigma = r_mean(np.abs(np.diff(base))) / C.D2
    expected = window_months * mu
    half = sigma_multiplier * math.sqrt(window_months) * sigma
    total = float(window.sum())
    lower, upper = expected - half, expected + half
    verdict = (
        BenchmarkVerdict.HIGHER
        if total > upper
        else BenchmarkVerdict.LOWER
        if total < lower
        else BenchmarkVerdict.WITHIN
    )
    return BenchmarkResult(
        total=total,
        expected=expected,
        lower=lower,
        upper=upper,
        baseline_mean=mu,
        baseline_sigma=sigma,
        baseline_months=baseline_months,
        window_months=window_months,
        verdict=verdict,
    )
