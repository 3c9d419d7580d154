"""Trend words earned by a tested rule over a stated window.

- ``trend``: the Mann-Kendall test for a monotone trend [MK] over the latest ``window`` months
  (24 by default), with the tie correction of the variance and a continuity correction,
  two-sided at ``ALPHA``: ``trend_up``, ``trend_down`` or ``stable``; Sen's slope [SEN] gives
  the size of the trend per month.
- ``recent_improvement``: "improved in recent months" holds when the last ``RECENT_POINTS``
  points of a chart include a special-cause improvement point (any Making Data Count rule) and
  no special-cause concern point.

See docs/statistics.md, "Trends".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# scipy.special's normal distribution functions, which scipy.stats.norm's ppf and sf call
# (the same values to the last bit); importing scipy.stats would cost about 0.9 s
from scipy.special import ndtr

from forcepack.errors import InputError
from forcepack.stats import constants as C
from forcepack.stats.checks import at_least, first_bad
from forcepack.stats.spc import SpcResult, series_dates
from forcepack.stats.vocab import PointType, Rule, Verdict


@dataclass(frozen=True)
class MannKendall:
    """The Mann-Kendall statistics of a series: S, its tie-corrected variance, the continuity-
    corrected Z, the two-sided p-value, Kendall's tau-a (S over the number of pairs) and Sen's
    slope (the median pairwise slope, per point)."""

    n: int
    s: int
    var_s: float
    z: float
    p_value: float
    tau: float
    sen_slope: float


@dataclass(frozen=True)
class TrendResult:
    """A trend verdict with the window it was judged over, its points and the test's numbers."""

    verdict: Verdict  # TREND_UP, TREND_DOWN or STABLE
    method: str
    start: Any
    end: Any
    window: int
    test: MannKendall
    alpha: float
    dates: tuple[Any, ...]
    values: tuple[float, ...]


def mann_kendall(values: Sequence[float] | np.ndarray) -> MannKendall:
    """The Mann-Kendall trend test of equally spaced values [MK].

    ``S = sum_{i<j} sign(x_j - x_i)``; ``Var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18``
    over groups of t tied values; ``Z = (S - 1)/sqrt(Var)`` for S > 0, ``(S + 1)/sqrt(Var)``
    for S < 0, 0 for S = 0; ``p = 2 (1 - Phi(|Z|))``.
    """
    x = np.asarray(values, dtype=float)
    n = x.size
    if n < C.MIN_TREND_POINTS or not np.isfinite(x).all():
        raise InputError(
            f"mann_kendall: needs at least {C.MIN_TREND_POINTS} finite values, received {n}"
            + ("" if np.isfinite(x).all() else " with a missing or infinite value"),
            hint="judge a trend over a longer window with no gaps",
        )
    i, j = np.triu_indices(n, k=1)
    diffs = x[j] - x[i]
    s = int(np.sign(diffs).sum())
    _, ties = np.unique(x, return_counts=True)
    ties = ties[ties > 1].astype(float)
    var_s = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18
    if var_s <= 0:
        z = 0.0
    elif s > 0:
        z = (s - 1) / math.sqrt(var_s)
    elif s < 0:
        z = (s + 1) / math.sqrt(var_s)
    else:
        z = 0.0
    p = float(2 * ndtr(-abs(z)))
    slope = float(np.median(diffs / (j - i)))
    return MannKendall(
        n=n, s=s, var_s=float(var_s), z=z, p_value=p, tau=s / (n * (n - 1) / 2), sen_slope=slope
    )


def trend(
    series: Sequence[float] | np.ndarray | pd.Series,
    dates: Sequence[Any] | pd.Series | None = None,
    *,
    window: int = C.TREND_WINDOW_MONTHS,
    alpha: float = C.ALPHA,
) -> TrendResult:
    """Is there a monotone trend over the latest ``window`` points? Mann-Kendall, two-sided.

    ``trend_up`` (``trend_down``) when p < ``alpha`` and S > 0 (S < 0), else ``stable``. The
    series must have at least ``window`` points; earlier points are not used.
    """
    at_least(
        window,
        C.MIN_TREND_POINTS,
        "trend window",
        hint=f"judge trends over {C.TREND_WINDOW_MONTHS} months",
    )
    y = np.asarray(series, dtype=float)
    if y.ndim != 1:
        raise InputError(f"trend series: expected a 1-D series, received shape {y.shape}")
    date_s = series_dates(dates, y.size, "trend")
    order = np.argsort(date_s.to_numpy(), kind="stable")
    y, date_s = y[order], date_s.iloc[order].reset_index(drop=True)
    if y.size < window:
        span = f" ({_show(date_s.iloc[0])} to {_show(date_s.iloc[-1])})" if y.size else ""
        raise InputError(
            f"trend series: {y.size} points{span} are fewer than the window of {window}",
            hint=f"pass at least {window} points, or a shorter window (at least "
            f"{C.MIN_TREND_POINTS})",
        )
    tail = y[-window:]
    if (bad := first_bad(~np.isfinite(tail))) is not None:
        k = y.size - window + bad
        raise InputError(
            f"trend series: point {k} ({_show(date_s.iloc[k])}) is {float(y[k])!r}; every "
            "value in the window must be a finite number",
            hint="fill or drop missing periods before judging a trend",
        )
    test = mann_kendall(tail)
    verdict = Verdict.STABLE
    if test.p_value < alpha and test.s > 0:
        verdict = Verdict.TREND_UP
    elif test.p_value < alpha and test.s < 0:
        verdict = Verdict.TREND_DOWN
    return TrendResult(
        verdict=verdict,
        method="mann_kendall",
        start=date_s.iloc[-window],
        end=date_s.iloc[-1],
        window=window,
        test=test,
        alpha=alpha,
        dates=tuple(date_s.iloc[-window:]),
        values=tuple(float(v) for v in tail),
    )


def _show(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else repr(value)


@dataclass(frozen=True)
class RecentImprovement:
    """Whether a chart "improved in recent months", and the points and rules that say so."""

    improved: bool
    points: int
    start: Any
    end: Any
    improvement_points: int
    concern_points: int
    first_improvement: Any
    rules: tuple[Rule, ...]


def recent_improvement(result: SpcResult, *, points: int = C.RECENT_POINTS) -> RecentImprovement:
    """ "Improved in recent months": the last ``points`` points of ``result`` include a
    special-cause improvement point (by any rule) and no special-cause concern point.

    Neutral charts (no improvement direction) never improve.
    """
    at_least(
        points, 1, "recent_improvement points", hint=f"look at the last {C.RECENT_POINTS} points"
    )
    frame = result.points
    if len(frame) < points:
        raise InputError(
            f"recent_improvement: the chart has {len(frame)} points, fewer than the {points} "
            "to look at",
            hint="look at fewer recent points, or chart a longer series",
        )
    tail = frame.iloc[-points:]
    kinds = tail["point_type"]
    good = (kinds == PointType.SPECIAL_CAUSE_IMPROVEMENT).to_numpy()
    bad = (kinds == PointType.SPECIAL_CAUSE_CONCERN).to_numpy()
    rules = tuple(dict.fromkeys(r for r, g in zip(tail["rule"], good, strict=True) if g))
    return RecentImprovement(
        improved=bool(good.any() and not bad.any()),
        points=points,
        start=tail["date"].iloc[0],
        end=tail["date"].iloc[-1],
        improvement_points=int(good.sum()),
        concern_points=int(bad.sum()),
        first_improvement=tail["date"].iloc[int(np.argmax(good))] if good.any() else None,
        rules=rules,
    )
