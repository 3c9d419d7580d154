"""Attribute control charts (p, Laney p', u, Laney u', c) with the Making Data Count rules.

Limits follow qicharts2 (``R/helper.functions.R``, ``qic.p``, ``qic.pp``, ``qic.u``,
``qic.up``, ``qic.c``) exactly, per rebase group, over the group's baseline points:

- p: centre ``cl = sum(y) / sum(n)``, ``sigma_i = sqrt(cl (1 - cl) / n_i)``;
- u: centre ``cl = sum(y) / sum(n)``, ``sigma_i = sqrt(cl / n_i)``;
- c: centre ``cl = mean(y)``, ``sigma = sqrt(cl)``;
- Laney p' and u' (Laney 2002): ``z_i = (value_i - cl) / sigma_i`` over the baseline, moving
  ranges of z screened once at 3.267 x their mean, ``sigma_z = mean moving range / 1.128``,
  and every ``sigma_i`` multiplied by ``sigma_z``;
- limits ``cl +- 3 sigma_i`` and "2-sigma" lines ``cl +- 2 sigma_i``, clipped to [0, 1] for
  proportions and at 0 below for rates and counts.

The special-cause rules are those of ``spc`` (outside limits > trend > two-in-three > run), with
two-in-three judged against each point's own 2-sigma lines. See docs/statistics.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from forcepack.errors import InputError
from forcepack.stats import constants as C
from forcepack.stats.baseline import Baseline, resolve_baseline
from forcepack.stats.checks import first_bad, series
from forcepack.stats.spc import (
    RULE_SETS,
    SpcMethod,
    SpcResult,
    assemble,
    classify_points,
    limit_lines,
    r_mean,
    rebase_groups,
    series_dates,
    spc,
)
from forcepack.stats.vocab import ChartType, Improvement, choose

_ATTRIBUTE = (ChartType.P, ChartType.PP, ChartType.U, ChartType.UP, ChartType.C)
_PROPORTION = (ChartType.P, ChartType.PP)
_LANEY = (ChartType.PP, ChartType.UP)
_DIRECTION = {Improvement.INCREASE: 1, Improvement.DECREASE: -1, Improvement.NEUTRAL: 0}
_NAMES = {
    ChartType.P: "p chart",
    ChartType.PP: "p' chart",
    ChartType.U: "u chart",
    ChartType.UP: "u' chart",
    ChartType.C: "c chart",
}


def _long_sum(values: np.ndarray) -> float:
    """A sum accumulated in long double, as R's ``sum()`` does."""
    return float(np.asarray(values, dtype=np.longdouble).sum())


def _point(i: int, dates: pd.Series) -> str:
    d = dates.iloc[i]
    shown = d.strftime("%Y-%m-%d") if isinstance(d, pd.Timestamp) else repr(d)
    return f"point {i} ({shown})"


def _num(value: float) -> str:
    v = float(value)
    return f"{v:g}" if math.isfinite(v) else repr(v)


def _counts(values: Any, what: str, n: int | None) -> np.ndarray:
    y = series(values, f"attribute_chart {what}")
    if n is not None and y.size != n:
        raise InputError(
            f"attribute_chart {what}: received {y.size} values for {n} numerators; "
            "there must be one per period"
        )
    return y


def _check(y: np.ndarray, n: np.ndarray | None, chart: ChartType, dates: pd.Series) -> None:
    """Every error a caller can make with the counts, naming the first bad point."""
    name = _NAMES[chart]
    if (i := first_bad(~np.isfinite(y) | (y < 0))) is not None:
        raise InputError(
            f"attribute_chart numerators: {_point(i, dates)} is {_num(y[i])}; a {name} needs a "
            "finite count of at least 0",
            hint="fill or drop missing periods before charting (the series must have no gaps)",
        )
    if n is None:
        return
    if (i := first_bad(~np.isfinite(n) | (n <= 0))) is not None:
        raise InputError(
            f"attribute_chart denominators: {_point(i, dates)} has denominator {_num(n[i])}; "
            f"a {name} needs a denominator above 0",
            hint="leave out periods with nothing to count, or chart the counts with a c chart",
        )
    if chart in _PROPORTION and (i := first_bad(y > n)) is not None:
        raise InputError(
            f"attribute_chart denominators: {_point(i, dates)} has denominator {_num(n[i])} "
            f"below its numerator {_num(y[i])}; a {name} needs numerator <= denominator",
            hint="a proportion counts the cases of the denominator that meet the condition",
        )


def _group_lines(
    y: np.ndarray, n: np.ndarray | None, chart: ChartType, fix: int | None, screen: bool
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, float]:
    """Value, [centre, lcl, ucl, lcl.95, ucl.95], sigma and sigma_z of one rebase group."""
    size = y.size
    base = slice(0, size if fix is None else min(fix, size))
    if chart is ChartType.C:
        value = y.copy()
        cl = r_mean(y[base])
        sigma = np.full(size, math.sqrt(cl))
    else:
        assert n is not None
        value = y / n
        cl = _long_sum(y[base]) / _long_sum(n[base])
        spread = cl * (1 - cl) if chart in _PROPORTION else cl
        sigma = np.sqrt(spread / n)
    sigma_z = math.nan
    if chart in _LANEY:
        # A centre of 0 (or 1 for a proportion) leaves no spread to scale: z is taken as 0
        # (qicharts2 gives NaN limits there; forcepack draws them on the centre line).
        dev = value[base] - cl
        z = np.divide(dev, sigma[base], out=np.zeros_like(dev), where=sigma[base] > 0)
        mr = np.abs(np.diff(z))
        amr = r_mean(mr)
        if screen:
            kept = mr[mr < C.MR_SCREEN_FACTOR * amr]
            amr = r_mean(kept) if kept.size else 0.0
        sigma_z = amr / C.D2
        sigma = sigma * sigma_z
    centre = np.full(size, cl)
    lines = limit_lines(centre, sigma, C.ATTRIBUTE_SIGMA_LIMIT, C.ATTRIBUTE_SIGMA_NEAR)
    for k in (1, 3):
        lines[k] = np.maximum(lines[k], 0.0)
    if chart in _PROPORTION:
        for k in (2, 4):
            lines[k] = np.minimum(lines[k], 1.0)
    return value, lines, sigma, sigma_z


def attribute_chart(
    numerators: Sequence[float] | np.ndarray | pd.Series,
    denominators: Sequence[float] | np.ndarray | pd.Series | None,
    dates: Sequence[Any] | pd.Series | None = None,
    *,
    chart: ChartType | str,
    improvement: Improvement | str = Improvement.INCREASE,
    target: float | None = None,
    rebase_at: Sequence[Any] = (),
    fix_after_n_points: int | None = None,
    baseline: Baseline | None = None,
    screen_outliers: bool = True,
    method: SpcMethod | str = SpcMethod.PLOT_THE_DOTS,
) -> SpcResult:
    """Judge counts with an attribute chart and the Making Data Count special-cause rules.

    ``chart``: ``p`` (numerators out of denominators), ``pp`` (Laney p', for large or varying
    denominators whose proportions vary more than binomially), ``u`` (events per unit of
    exposure), ``up`` (Laney u') or ``c`` (counts in equal areas of opportunity; pass
    ``denominators=None``). ``value`` is the proportion or rate (the count for c); ``target``
    is on that scale. ``rebase_at``, ``fix_after_n_points`` and ``baseline`` work as in
    ``spc`` (a fixed baseline applies within each rebase group). ``screen_outliers`` screens
    the moving ranges of the Laney z-scores once at 3.267 times their mean, as qicharts2 does
    once attached. ``method`` picks the rule set as in ``spc`` (``mdc_excel``: runs and trends
    of 6). Returns an ``SpcResult`` whose points add ``numerator``, ``denominator``,
    ``sigma`` (per point, after Laney scaling) and ``sigma_z`` (Laney's ratio, NaN otherwise).
    """
    kind = choose(ChartType, chart, "attribute_chart chart")
    if kind not in _ATTRIBUTE:
        raise InputError(
            f"attribute_chart chart: {kind.value!r} is not an attribute chart; "
            f"use one of {', '.join(c.value for c in _ATTRIBUTE)}",
            hint="chart a series of individual values with spc()",
        )
    improvement = choose(Improvement, improvement, "attribute_chart improvement")
    rule_set = choose(SpcMethod, method, "attribute_chart method")
    if target is not None and not math.isfinite(target):
        raise InputError(f"attribute_chart target: must be a finite number, received {target!r}")
    y = _counts(numerators, "numerators", None)
    if kind is ChartType.C:
        if denominators is not None:
            raise InputError(
                "attribute_chart denominators: a c chart counts events in equal areas of "
                "opportunity and takes no denominators",
                hint="pass denominators=None, or use a u chart for events per unit of exposure",
            )
        n = None
    else:
        if denominators is None:
            raise InputError(
                f"attribute_chart denominators: a {_NAMES[kind]} needs one denominator per "
                "numerator, received None",
                hint="pass the denominators, or chart plain counts with chart='c'",
            )
        n = _counts(denominators, "denominators", y.size)
    date_s = series_dates(dates, y.size, "attribute_chart")
    _check(y, n, kind, date_s)
    used = resolve_baseline(baseline, rebase_at, fix_after_n_points, "attribute_chart")
    order = np.argsort(date_s.to_numpy(), kind="stable")
    y, date_s = y[order], date_s.iloc[order].reset_index(drop=True)
    n = None if n is None else n[order]
    groups = rebase_groups(used.change_points, date_s, "attribute_chart")
    rules = RULE_SETS[rule_set]

    def group_columns(mask: np.ndarray) -> dict[str, Any]:
        first = int(np.flatnonzero(mask)[0])
        size = int(mask.sum())
        in_base = size if used.n_points is None else min(used.n_points, size)
        if kind in _LANEY and in_base < C.MIN_LANEY_POINTS:
            raise InputError(
                f"attribute_chart: the group starting at {_point(first, date_s)} has "
                f"{in_base} baseline point(s); a {_NAMES[kind]} needs at least "
                f"{C.MIN_LANEY_POINTS} (its sigma comes from moving ranges of z-scores)",
                hint="rebase later, or chart this stretch with a p or u chart",
            )
        ng = None if n is None else n[mask]
        value, lines, sigma, sigma_z = _group_lines(
            y[mask], ng, kind, used.n_points, screen_outliers
        )
        return {
            **classify_points(value, lines, rules, _DIRECTION[improvement]),
            "numerator": y[mask],
            "denominator": np.nan if ng is None else ng,
            "sigma": sigma,
            "sigma_z": sigma_z,
        }

    return assemble(
        date_s,
        groups,
        group_columns,
        improvement=improvement,
        target=target,
        method=rule_set,
        chart=kind,
        baseline=used,
    )


def measure_chart(
    frame: pd.DataFrame,
    chart: ChartType | str,
    *,
    improvement: Improvement | str,
    target: float | None = None,
    baseline: Baseline | None = None,
) -> SpcResult:
    """The control chart of a measure's monthly series, the one way the paper and the
    dashboard chart a catalogue measure: ``frame`` has ``period_end`` and ``value``, and for an
    attribute chart ``numerator`` and ``denominator``. ``chart`` ``xmr`` is :func:`spc` of the
    values; any other (``pp`` for a share or rate, by ``stats.vocab.chart_of``) is
    :func:`attribute_chart` of the numerators out of the denominators."""
    dates = pd.to_datetime(frame["period_end"])
    chart = choose(ChartType, chart, "chart")
    if chart is ChartType.XMR:
        return spc(
            frame["value"].to_numpy(dtype=float),
            dates,
            improvement=improvement,
            target=target,
            baseline=baseline,
        )
    return attribute_chart(
        frame["numerator"].to_numpy(dtype=float),
        frame["denominator"].to_numpy(dtype=float),
        dates,
        chart=chart,
        improvement=improvement,
        target=target,
        baseline=baseline,
    )
