"""Has a count changed between two periods? The exact conditional test of two Poisson counts.

Given x1 events in exposure e1 and x2 in e2, under "same rate" x1 given x1 + x2 is
Binomial(x1 + x2, e1 / (e1 + e2)); the two-sided p-value is scipy's exact binomial test
(Przyborowski & Wilenski 1940; Krishnamoorthy & Thomson 2004 call it the C-test). Exposures
default to 1 (two months of equal standing); pass populations for per-1,000 rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.stats import binomtest

from forcepack.errors import InputError
from forcepack.stats import constants as C


@dataclass(frozen=True)
class CountComparison:
    current: float
    previous: float
    ratio: float
    p_value: float
    significant: bool
    test: str = "exact Poisson (conditional binomial) test"


def compare_counts(
    current: float,
    previous: float,
    *,
    exposure_current: float = 1.0,
    exposure_previous: float = 1.0,
    alpha: float = C.ALPHA,
) -> CountComparison:
    """Two-sided exact test that two Poisson counts share one rate (per unit exposure)."""
    for name, value in (("current", current), ("previous", previous)):
        if not (math.isfinite(value) and value >= 0 and float(value).is_integer()):
            raise InputError(
                f"compare_counts {name}: must be a whole count of at least 0, received {value!r}",
                hint="the Poisson test is for counts of events; test rates through their counts",
            )
    for name, value in (
        ("exposure_current", exposure_current),
        ("exposure_previous", exposure_previous),
    ):
        if not (math.isfinite(value) and value > 0):
            raise InputError(f"compare_counts {name}: must be above 0, received {value!r}")
    x1, x2 = int(current), int(previous)
    total = x1 + x2
    p_value = (
        1.0
        if total == 0
        else float(
            binomtest(x1, total, exposure_current / (exposure_current + exposure_previous)).pvalue
        )
    )
    rate1, rate2 = x1 / exposure_current, x2 / exposure_previous
    ratio = math.inf if rate2 == 0 and rate1 > 0 else (math.nan if rate2 == 0 else rate1 / rate2)
    return CountComparison(
        current=float(x1),
        previous=float(x2),
        ratio=ratio,
        p_value=p_value,
        significant=p_value < alpha,
    )
