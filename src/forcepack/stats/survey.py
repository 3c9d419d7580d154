"""Survey statistics: Wilson intervals, a two-proportion test between periods, Newcombe's
interval for the difference, and the small-sample flag the narrative words with caution.

Sources: Wilson (1927) for the score interval; the pooled two-proportion z-test (e.g. Agresti,
"Categorical Data Analysis", 3rd ed., 2013, section 3.1); Newcombe (1998) method 10 for the
hybrid score interval of a difference. See docs/statistics.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# scipy.special's normal distribution functions, which scipy.stats.norm's ppf and sf call
# (the same values to the last bit); importing scipy.stats would cost about 0.9 s
from scipy.special import ndtr, ndtri

from forcepack.errors import InputError
from forcepack.stats import constants as C


@dataclass(frozen=True)
class Interval:
    """An estimate with its lower and upper bounds."""

    estimate: float
    lower: float
    upper: float

    def __contains__(self, value: float) -> bool:
        return self.lower <= value <= self.upper


@dataclass(frozen=True)
class ProportionComparison:
    """The current period's share against the previous one.

    ``difference`` is current minus previous with Newcombe's 95% interval; ``p_value`` is the
    two-sided pooled z-test; ``significant`` is ``p_value < alpha``; ``small_sample`` is True
    when either period has fewer respondents than the threshold (default 50).
    """

    current: Interval
    previous: Interval
    difference: Interval
    z: float
    p_value: float
    significant: bool
    small_sample: bool
    test: str = "two-proportion z-test"


def _check_counts(successes: float, n: float, what: str) -> None:
    for name, value in (("successes", successes), ("n", n)):
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
            raise InputError(
                f"{what} {name}: must be a finite count of at least 0, received {value!r}"
            )
    if n <= 0:
        raise InputError(
            f"{what} n: the number of respondents must be at least 1, received {n!r}",
            hint="report the share as not available when nobody answered",
        )
    if successes > n:
        raise InputError(
            f"{what}: successes {successes!r} exceed the {n!r} respondents",
            hint="successes are the respondents who gave the counted answer, a subset of n",
        )


def wilson_interval(successes: float, n: float, *, z: float = C.WILSON_Z) -> Interval:
    """Wilson's score interval for a proportion (95% by default).

    centre = (p + z^2/2n) / (1 + z^2/n);  half = z/(1 + z^2/n) * sqrt(p(1-p)/n + z^2/4n^2).
    """
    _check_counts(successes, n, "wilson_interval")
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # At p = 0 (p = 1) the lower (upper) bound is exactly 0 (1); rounding can miss by an ulp.
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(estimate=p, lower=lower, upper=upper)


def is_small_sample(*ns: float, threshold: int = C.SMALL_SAMPLE_N) -> bool:
    """True when any of the sample sizes is below the threshold (default 50)."""
    return any(n < threshold for n in ns)


def compare_proportions(
    successes_current: float,
    n_current: float,
    successes_previous: float,
    n_previous: float,
    *,
    alpha: float = C.ALPHA,
    small_sample_n: int = C.SMALL_SAMPLE_N,
) -> ProportionComparison:
    """Has a share changed between two periods? Pooled two-proportion z-test and Newcombe's
    hybrid score interval (method 10) for the difference current - previous.

    z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2)) with p the pooled share; when the pooled share is
    0 or 1 there is no variation and z = 0, p = 1.
    """
    z_crit = float(ndtri(1 - alpha / 2))
    cur = wilson_interval(successes_current, n_current, z=z_crit)
    prev = wilson_interval(successes_previous, n_previous, z=z_crit)
    p1, p2 = cur.estimate, prev.estimate
    pooled = (successes_current + successes_previous) / (n_current + n_previous)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_current + 1 / n_previous))
    z = 0.0 if se == 0 else (p1 - p2) / se
    p_value = float(2 * ndtr(-abs(z)))
    d = p1 - p2
    diff = Interval(
        estimate=d,
        lower=d - math.sqrt((p1 - cur.lower) ** 2 + (prev.upper - p2) ** 2),
        upper=d + math.sqrt((cur.upper - p1) ** 2 + (p2 - prev.lower) ** 2),
    )
    return ProportionComparison(
        current=cur,
        previous=prev,
        difference=diff,
        z=z,
        p_value=p_value,
        significant=p_value < alpha,
        small_sample=is_small_sample(n_current, n_previous, threshold=small_sample_n),
    )
