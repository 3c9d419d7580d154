"""Statistical process control (XmR charts) with the Making Data Count rules.

``spc`` follows NHSRplotthedots (nhs-r-community) ``ptd_spc`` exactly: limits at
mean +- 2.66 x mean moving range, moving ranges at or above 3.267 x their mean screened out
once, the four special-cause rules with precedence outside limits > trend > two-in-three > run,
rules never crossing a rebase, a fixed baseline of at least 12 points, short groups (< 13 points)
flagged, and assurance from the target against the latest group's limits. Every choice and
deviation is listed in docs/statistics.md.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forcepack.errors import InputError
from forcepack.stats import constants as C
from forcepack.stats.baseline import Baseline, ChangePoint, resolve_baseline
from forcepack.stats.checks import first_bad, series
from forcepack.stats.rules import run_points, trend_points, two_in_three_points
from forcepack.stats.vocab import (
    Assurance,
    ChartType,
    Improvement,
    PointType,
    Rule,
    Variation,
    choose,
)


class SpcMethod(enum.StrEnum):
    """Named rule sets: NHSRplotthedots (default) and the MDC Excel tool's variant."""

    PLOT_THE_DOTS = "plot_the_dots"
    MDC_EXCEL = "mdc_excel"


@dataclass(frozen=True)
class RuleSet:
    run_length: int
    trend_length: int
    two_of_three_hits: int
    two_of_three_window: int
    screen_outliers: bool


RULE_SETS: dict[SpcMethod, RuleSet] = {
    SpcMethod.PLOT_THE_DOTS: RuleSet(
        C.RUN_LENGTH, C.TREND_LENGTH, C.TWO_OF_THREE_HITS, C.TWO_OF_THREE_WINDOW, True
    ),
    SpcMethod.MDC_EXCEL: RuleSet(
        C.MDC_EXCEL_RUN_LENGTH,
        C.MDC_EXCEL_TREND_LENGTH,
        C.TWO_OF_THREE_HITS,
        C.TWO_OF_THREE_WINDOW,
        False,
    ),
}


@dataclass(frozen=True)
class GroupSummary:
    """One rebase group: its first point, size, centre line and limits, and point counts."""

    rebase_group: int
    start: Any
    n: int
    mean: float
    lpl: float
    upl: float
    short: bool
    common_cause: int
    special_cause_improvement: int
    special_cause_concern: int


@dataclass(frozen=True)
class SpcSummary:
    variation: Variation
    assurance: Assurance | None
    short_group_warning: bool
    mean: float
    lpl: float
    upl: float
    groups: tuple[GroupSummary, ...]


@dataclass(frozen=True)
class SpcResult:
    """``points``: one row per point (date, value, mean, lpl, upl, near_lpl, near_upl,
    moving_range, rule, point_type, rebase_group, short_group; attribute charts add
    numerator, denominator, sigma and sigma_z); ``summary``: icons and limits; ``chart``: the
    chart type; ``baseline``: where the limits came from."""

    points: pd.DataFrame
    summary: SpcSummary
    improvement: Improvement
    method: SpcMethod
    target: float | None
    chart: ChartType = ChartType.XMR
    baseline: Baseline = field(default_factory=Baseline)


def r_mean(values: np.ndarray) -> float:
    """The arithmetic mean as R's ``mean()`` computes it: a long-double sum divided by n, then
    corrected by the mean of the residuals. A constant series then has exactly its value as mean
    (a plain floating-point mean can miss by one unit in the last place, which would put every
    point "above the mean")."""
    x = np.asarray(values, dtype=np.longdouble)
    centre = x.sum() / x.size
    centre += (x - centre).sum() / x.size
    return float(centre)


def _limits(y: np.ndarray, fix_after: int | None, screen: bool) -> tuple[float, float]:
    """Centre line and mean moving range of one group.

    ``ptd_spc_standard``: mean and moving ranges over the first ``fix_after`` points; ranges
    at or above 3.267 x their mean are dropped once and the mean range recomputed.
    """
    base = y if fix_after is None else y[:fix_after]
    mean = r_mean(base)
    ranges = np.abs(np.diff(base))
    if ranges.size == 0:
        return mean, math.nan
    amr = r_mean(ranges)
    if screen:
        kept = ranges[ranges < C.MR_SCREEN_FACTOR * amr]
        # R gives NaN limits when every range is screened, which happens only when every
        # range is 0; forcepack keeps amr = 0 (limits on the mean) instead.
        amr = r_mean(kept) if kept.size else 0.0
    return mean, amr


def limit_lines(centre: Any, spread: Any, limit: float, near: float) -> list[Any]:
    """The lines :func:`classify_points` takes, in its order: ``centre``, the process limits
    ``centre -/+ limit * spread`` and the near-limit lines ``centre -/+ near * spread``
    (scalars for an XmR chart's MR-bar, arrays for an attribute chart's sigma per point)."""
    return [
        centre,
        centre - limit * spread,
        centre + limit * spread,
        centre - near * spread,
        centre + near * spread,
    ]


def classify_points(
    y: np.ndarray, lines: Sequence[np.ndarray], rules: RuleSet, direction: int
) -> dict[str, Any]:
    """The special-cause rules and point types of one rebase group, given its lines per point.

    ``lines`` is (mean, lpl, upl, near_lpl, near_upl), each an array with one value per point
    (constant for an XmR chart, varying with the denominator for p and u charts);
    ``direction`` is +1 (increase is improvement), -1 (decrease) or 0 (neutral).
    """
    mean, lpl, upl, near_lpl, near_upl = lines
    outside = (y > upl) | (y < lpl)
    side = np.sign(y - mean)
    near = ~outside & ((y < near_lpl) | (y > near_upl))

    trend, trend_dir = trend_points(y, rules.trend_length)
    two3 = two_in_three_points(near, side, rules.two_of_three_hits, rules.two_of_three_window)
    run = run_points(side, rules.run_length)

    # Precedence as the case_when in ptd_special_cause_type: outside > trend > 2-in-3 > run.
    rule = np.select(
        [outside, trend, two3, run],
        [Rule.OUTSIDE_LIMITS.value, Rule.TREND.value, Rule.TWO_IN_THREE.value, Rule.RUN.value],
        default="",
    )
    # Direction of the special cause: "Above"/"Increasing" = +1, "Below"/"Decreasing" = -1.
    above = np.where(side > 0, 1.0, -1.0)
    high = np.select([outside, trend, two3 | run], [above, trend_dir, above], default=0.0)
    if direction == 0:
        kinds = [PointType.SPECIAL_CAUSE_NEUTRAL_HIGH, PointType.SPECIAL_CAUSE_NEUTRAL_LOW]
        oriented = high
    else:
        kinds = [PointType.SPECIAL_CAUSE_IMPROVEMENT, PointType.SPECIAL_CAUSE_CONCERN]
        oriented = high * direction
    point_type = np.select(
        [oriented > 0, oriented < 0], [k.value for k in kinds], PointType.COMMON_CAUSE.value
    )
    n = y.size
    mr = np.full(n, np.nan)
    mr[1:] = np.abs(np.diff(y))
    return {
        "value": y,
        "mean": mean,
        "lpl": lpl,
        "upl": upl,
        "near_lpl": near_lpl,
        "near_upl": near_upl,
        "moving_range": mr,
        "rule": [Rule(r) if r else None for r in rule],
        "point_type": [PointType(p) for p in point_type],
        "short_group": np.full(n, n < C.SHORT_GROUP_THRESHOLD),
    }


def _group_points(y: np.ndarray, fix_after: int | None, rules: RuleSet, direction: int) -> dict:
    mean, amr = _limits(y, fix_after, rules.screen_outliers)
    n = y.size
    lines = limit_lines(mean, amr, C.LIMIT_FACTOR, C.NEAR_LIMIT_FACTOR)
    return classify_points(y, [np.full(n, v) for v in lines], rules, direction)


def rebase_groups(change_points: Sequence[ChangePoint], dates: pd.Series, what: str) -> np.ndarray:
    """The rebase group of each (sorted) point: 0 before the first change point, 1 from it..."""
    starts = np.zeros(len(dates), dtype=int)
    known = {d: i for i, d in enumerate(dates)}
    for cp in change_points:
        when = cp.date
        try:
            key = pd.Timestamp(when) if isinstance(dates.iloc[0], pd.Timestamp) else when
        except (TypeError, ValueError):
            key = None
        if key not in known:
            why = f" ({cp.reason})" if cp.reason else ""
            raise InputError(
                f"{what} rebase_at: change point {when!r}{why} is not one of the series' dates "
                f"({_show(dates.iloc[0])} to {_show(dates.iloc[-1])}, {len(dates)} points)",
                hint="rebase at a date (or position, without dates) that is in the series",
            )
        starts[known[key]] = 1
    return np.cumsum(starts)


def _show(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else repr(value)


def _assurance(
    target: float | None, improvement: Improvement, lpl: float, upl: float
) -> Assurance | None:
    """``ptd_calculate_assurance_type``: the target against the latest group's limits."""
    if target is None or improvement is Improvement.NEUTRAL:
        return None
    increasing = improvement is Improvement.INCREASE
    if target > upl:
        return Assurance.CONSISTENT_FAIL if increasing else Assurance.CONSISTENT_PASS
    if target < lpl:
        return Assurance.CONSISTENT_PASS if increasing else Assurance.CONSISTENT_FAIL
    return Assurance.INCONSISTENT


def variation_of(point_type: PointType, improvement: Improvement) -> Variation:
    """The variation icon for a point type (``ptd_get_icons`` in ``R/geom_ptd_icon.R``)."""
    increase = improvement is Improvement.INCREASE
    return {
        PointType.COMMON_CAUSE: Variation.COMMON_CAUSE,
        PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: Variation.NEUTRAL_HIGH,
        PointType.SPECIAL_CAUSE_NEUTRAL_LOW: Variation.NEUTRAL_LOW,
        PointType.SPECIAL_CAUSE_IMPROVEMENT: (
            Variation.IMPROVEMENT_HIGH if increase else Variation.IMPROVEMENT_LOW
        ),
        PointType.SPECIAL_CAUSE_CONCERN: Variation.CONCERN_LOW
        if increase
        else Variation.CONCERN_HIGH,
    }[point_type]


def spc(
    values: Sequence[float] | np.ndarray | pd.Series,
    dates: Sequence[Any] | pd.Series | None = None,
    *,
    improvement: Improvement | str = Improvement.INCREASE,
    target: float | None = None,
    rebase_at: Sequence[Any] = (),
    fix_after_n_points: int | None = None,
    screen_outliers: bool | None = None,
    method: SpcMethod | str = SpcMethod.PLOT_THE_DOTS,
    baseline: Baseline | None = None,
) -> SpcResult:
    """Judge a series with an XmR chart and the Making Data Count special-cause rules.

    ``dates`` orders the points (positions 0..n-1 when omitted); ``rebase_at`` names the dates
    (or positions) where new limits start; ``screen_outliers=None`` takes the method's default
    (on for plot-the-dots, off for the MDC Excel variant). ``baseline`` states the same as a
    ``Baseline`` (declared change points with reasons, a fixed first N points); its change
    points are added to ``rebase_at``.
    """
    improvement = choose(Improvement, improvement, "spc improvement")
    method = choose(SpcMethod, method, "spc method")
    rules = RULE_SETS[method]
    if screen_outliers is not None:
        rules = RuleSet(
            rules.run_length,
            rules.trend_length,
            rules.two_of_three_hits,
            rules.two_of_three_window,
            bool(screen_outliers),
        )
    y = series(values, "spc values")
    if (bad := first_bad(~np.isfinite(y))) is not None:
        raise InputError(
            f"spc values: position {bad} is {y[bad]!r}; every value must be a finite number",
            hint="fill or drop missing periods before charting (the series must have no gaps)",
        )
    used = resolve_baseline(baseline, rebase_at, fix_after_n_points, "spc")
    if target is not None and not math.isfinite(target):
        raise InputError(f"spc target: must be a finite number, received {target!r}")
    date_s = series_dates(dates, y.size)
    order = np.argsort(date_s.to_numpy(), kind="stable")
    y, date_s = y[order], date_s.iloc[order].reset_index(drop=True)
    groups = rebase_groups(used.change_points, date_s, "spc")
    direction = {Improvement.INCREASE: 1, Improvement.DECREASE: -1, Improvement.NEUTRAL: 0}[
        improvement
    ]
    return assemble(
        date_s,
        groups,
        lambda mask: _group_points(y[mask], used.n_points, rules, direction),
        improvement=improvement,
        target=target,
        method=method,
        chart=ChartType.XMR,
        baseline=used,
    )


def assemble(
    date_s: pd.Series,
    groups: np.ndarray,
    group_columns: Callable[[np.ndarray], dict[str, Any]],
    *,
    improvement: Improvement,
    target: float | None,
    method: SpcMethod,
    chart: ChartType,
    baseline: Baseline,
) -> SpcResult:
    """An ``SpcResult`` from a chart computed rebase group by rebase group: ``group_columns``
    gives the point columns of the points in one group (a boolean mask over the series),
    ``short_group`` among them; the result adds ``date`` first and ``rebase_group`` just before
    ``short_group``."""
    frames = []
    for g in np.unique(groups):
        mask = groups == g
        frame = pd.DataFrame({"date": date_s[mask].to_numpy(), **group_columns(mask)})
        frame.insert(frame.columns.get_loc("short_group"), "rebase_group", int(g))
        frames.append(frame)
    points = pd.concat(frames, ignore_index=True)
    return SpcResult(
        points=points,
        summary=summarise(points, improvement, target),
        improvement=improvement,
        method=method,
        target=target,
        chart=chart,
        baseline=baseline,
    )


def series_dates(dates: Sequence[Any] | pd.Series | None, n: int, what: str = "spc") -> pd.Series:
    """The dates of a series as a Series (positions 0..n-1 when None), checked one per value."""
    if dates is None:
        return pd.Series(np.arange(n))
    s = pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates.to_numpy())
    if len(s) != n:
        raise InputError(
            f"{what} dates: received {len(s)} dates for {n} values; there must be one per value"
        )
    if not pd.api.types.is_numeric_dtype(s):
        s = pd.to_datetime(s)
    if s.duplicated().any():
        raise InputError(
            f"{what} dates: {_show(s[s.duplicated()].iloc[0])} appears more than once; "
            "each period must appear once",
            hint="aggregate to one value per period before charting",
        )
    return s


def summarise(points: pd.DataFrame, improvement: Improvement, target: float | None) -> SpcSummary:
    groups = []
    for g, frame in points.groupby("rebase_group", sort=True):
        types = frame["point_type"]
        special = types != PointType.COMMON_CAUSE
        groups.append(
            GroupSummary(
                rebase_group=int(g),
                start=frame["date"].iloc[0],
                n=len(frame),
                mean=float(frame["mean"].iloc[0]),
                lpl=float(frame["lpl"].iloc[0]),
                upl=float(frame["upl"].iloc[0]),
                short=bool(frame["short_group"].iloc[0]),
                common_cause=int((~special).sum()),
                special_cause_improvement=int((types == PointType.SPECIAL_CAUSE_IMPROVEMENT).sum()),
                special_cause_concern=int((types == PointType.SPECIAL_CAUSE_CONCERN).sum()),
            )
        )
    last = points.iloc[-1]
    return SpcSummary(
        variation=variation_of(last["point_type"], improvement),
        assurance=_assurance(target, improvement, float(last["lpl"]), float(last["upl"])),
        short_group_warning=bool(points["short_group"].any()),
        mean=float(last["mean"]),
        lpl=float(last["lpl"]),
        upl=float(last["upl"]),
        groups=tuple(groups),
    )
