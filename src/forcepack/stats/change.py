"""Is the latest month's change in a count real? Judged by the series' own variation.

``count_change`` compares the latest month with the previous month or the same month last year
and calls it a ``rise`` or ``fall`` only when the series' own variation says so:

1. The baseline is the months before the latest (at least ``MIN_CHANGE_BASELINE``). Fisher's
   index-of-dispersion test [FIS] asks whether they vary more than Poisson counts would:
   ``D = sum (x - mean)^2 / mean`` against chi-squared with k - 1 degrees of freedom.
2. Overdispersed (p < ``ALPHA``): the change is judged against the series' XmR variation. With
   MR-bar the mean moving range of the baseline, a change is real when
   ``|latest - comparison| > 3.267 MR-bar`` (D4, the upper limit of the moving range chart [W]):
   a change no larger is within the usual range. Under a stable process the difference of two
   months twelve apart has the same distribution as that of two adjacent months, so one limit
   serves both comparisons.
3. Not overdispersed: the exact conditional Poisson test (``compare_counts``), p < ``ALPHA``.

An exact Poisson test is never used on an overdispersed series. See docs/statistics.md.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# the chi-squared upper tail as scipy.stats.chi2.sf computes it (the same values to the last
# bit); importing scipy.stats would cost about 0.9 s
from scipy.special import chdtrc

from forcepack.errors import InputError
from forcepack.stats import checks
from forcepack.stats import constants as C
from forcepack.stats.counts import compare_counts
from forcepack.stats.spc import r_mean, series_dates
from forcepack.stats.vocab import Verdict, choose


class CountMethod(enum.StrEnum):
    """How a count's change was judged."""

    XMR_MOVING_RANGE = "xmr_moving_range"
    POISSON_EXACT = "poisson_exact"


class CountCompare(enum.StrEnum):
    PREVIOUS_MONTH = "previous_month"
    SAME_MONTH_LAST_YEAR = "same_month_last_year"


@dataclass(frozen=True)
class CountChange:
    """The latest month against its comparison month, with everything the verdict used.

    ``limit`` is the largest ordinary change (3.267 MR-bar) for the XmR method, None for the
    Poisson test; ``p_value`` is the Poisson test's, None for the XmR method. ``dispersion`` is
    the baseline's variance over its mean (1 for Poisson counts) and ``dispersion_p_value`` the
    index-of-dispersion test's upper-tail p-value. ``dates`` and ``values`` are the months used
    (the baseline and the latest), so the verdict can be reproduced from them.
    """

    verdict: Verdict  # RISE, FALL or NO_CHANGE
    method: CountMethod
    compare: CountCompare
    date: Any
    value: float
    comparison_date: Any
    comparison_value: float
    change: float
    relative_change: float | None
    baseline_start: Any
    baseline_end: Any
    baseline_points: int
    baseline_mean: float
    mean_moving_range: float
    dispersion: float
    dispersion_p_value: float
    overdispersed: bool
    limit: float | None
    p_value: float | None
    dates: tuple[Any, ...]
    values: tuple[float, ...]


def _show(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else repr(value)


def _monthly(dates: pd.Series) -> None:
    """Timestamps must be consecutive months (one point each), so position 12 back is a year."""
    if not isinstance(dates.iloc[0], pd.Timestamp):
        return
    months = dates.dt.to_period("M").astype("int64").to_numpy()
    gaps = np.flatnonzero(np.diff(months) != 1)
    if gaps.size:
        i = int(gaps[0]) + 1
        raise InputError(
            f"count_change dates: point {i} ({_show(dates.iloc[i])}) does not follow "
            f"{_show(dates.iloc[i - 1])} by one month; the series must be consecutive months",
            hint="fill missing months (a month with no events is 0) before judging a change",
        )


def dispersion_test(counts: np.ndarray) -> tuple[float, float]:
    """Fisher's index of dispersion [FIS]: (variance / mean, upper-tail p-value).

    ``D = sum (x - mean)^2 / mean`` is chi-squared with k - 1 degrees of freedom for k Poisson
    counts of one mean; ``D / (k - 1)`` is the sample variance over the mean. A series of zeros
    is not overdispersed (ratio 1, p = 1).
    """
    k = counts.size
    mean = r_mean(counts)
    if mean == 0:
        return 1.0, 1.0
    d = float(((counts - mean) ** 2).sum() / mean)
    return d / (k - 1), float(chdtrc(k - 1, d))


def count_change(
    series: Sequence[float] | np.ndarray | pd.Series,
    dates: Sequence[Any] | pd.Series | None = None,
    *,
    compare: CountCompare | str = CountCompare.PREVIOUS_MONTH,
    baseline_points: int | None = None,
    alpha: float = C.ALPHA,
) -> CountChange:
    """Is the latest count a real rise or fall against the previous month (or the same month
    last year), judged by the series' own variation?

    ``series`` is one whole count per consecutive month (``dates`` orders them; positions when
    omitted). The baseline is the ``baseline_points`` months before the latest (all of them
    when None), at least ``MIN_CHANGE_BASELINE``; the comparison month must lie in it.
    """
    how = choose(CountCompare, compare, "count_change compare")
    y = checks.series(series, "count_change series", of="counts", hint="pass one count per month")
    date_s = series_dates(dates, y.size, "count_change")
    if (i := checks.first_bad(~np.isfinite(y) | (y < 0) | (np.mod(y, 1) != 0))) is not None:
        raise InputError(
            f"count_change series: point {i} ({_show(date_s.iloc[i])}) is {float(y[i])!r}; "
            "every value must be a whole count of at least 0",
            hint="judge rates through their counts; fill missing months before judging",
        )
    order = np.argsort(date_s.to_numpy(), kind="stable")
    y, date_s = y[order], date_s.iloc[order].reset_index(drop=True)
    _monthly(date_s)
    back = 1 if how is CountCompare.PREVIOUS_MONTH else C.MONTHS_IN_YEAR
    if baseline_points is not None:
        checks.at_least(
            baseline_points,
            C.MIN_CHANGE_BASELINE,
            "count_change baseline_points",
            hint=f"judge against {C.MIN_CHANGE_BASELINE} or more earlier months",
        )
    size = y.size - 1 if baseline_points is None else baseline_points
    need = max(size, back, C.MIN_CHANGE_BASELINE) + 1
    if y.size < need:
        raise InputError(
            f"count_change series: {y.size} months ({_show(date_s.iloc[0])} to "
            f"{_show(date_s.iloc[-1])}) are too few to compare the latest with the "
            f"{how.value.replace('_', ' ')}; it needs at least {need}: the latest and a "
            f"baseline of {max(size, C.MIN_CHANGE_BASELINE)} earlier months",
            hint=f"pass at least {C.MIN_CHANGE_BASELINE + 1} consecutive months",
        )
    base = y[-1 - size : -1]
    ratio, p_disp = dispersion_test(base)
    overdispersed = p_disp < alpha
    amr = r_mean(np.abs(np.diff(base)))
    latest, earlier = float(y[-1]), float(y[-1 - back])
    change = latest - earlier
    limit: float | None = None
    p_value: float | None = None
    if overdispersed:
        method = CountMethod.XMR_MOVING_RANGE
        limit = C.MR_UPPER_LIMIT_FACTOR * amr
        real = abs(change) > limit
    else:
        method = CountMethod.POISSON_EXACT
        p_value = compare_counts(latest, earlier, alpha=alpha).p_value
        real = p_value < alpha
    verdict = Verdict.NO_CHANGE
    if real and change > 0:
        verdict = Verdict.RISE
    elif real and change < 0:
        verdict = Verdict.FALL
    return CountChange(
        verdict=verdict,
        method=method,
        compare=how,
        date=date_s.iloc[-1],
        value=latest,
        comparison_date=date_s.iloc[-1 - back],
        comparison_value=earlier,
        change=change,
        relative_change=None if earlier == 0 else change / earlier,
        baseline_start=date_s.iloc[-1 - size],
        baseline_end=date_s.iloc[-2],
        baseline_points=size,
        baseline_mean=r_mean(base),
        mean_moving_range=amr,
        dispersion=ratio,
        dispersion_p_value=p_disp,
        overdispersed=bool(overdispersed),
        limit=limit,
        p_value=p_value,
        dates=tuple(date_s.iloc[-1 - size :]),
        values=tuple(float(v) for v in y[-1 - size :]),
    )
