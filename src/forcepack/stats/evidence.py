"""Every judgement as a plain record: method, series, baseline, numbers and verdict.

``evidence(result)`` turns an ``SpcResult`` (XmR or attribute chart), a ``CountChange``, a
``TrendResult``, a ``Shift`` or a ``RecentImprovement`` into a dict of JSON-ready values (dates
as ``YYYY-MM-DD``, NaN as None, enums as their values), with the series the verdict was
computed on, so a claims file can record it and anyone can reproduce the verdict. Key order
is fixed, so the output is deterministic.
"""

from __future__ import annotations

import enum
import math
from typing import Any

import numpy as np
import pandas as pd

from forcepack.errors import InputError
from forcepack.stats.baseline import Baseline
from forcepack.stats.change import CountChange
from forcepack.stats.shift import Shift
from forcepack.stats.spc import SpcResult
from forcepack.stats.trend import RecentImprovement, TrendResult
from forcepack.stats.vocab import ChartType, PointType, Verdict

_POINT_VERDICT = {
    PointType.COMMON_CAUSE: Verdict.COMMON_CAUSE,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: Verdict.IMPROVEMENT,
    PointType.SPECIAL_CAUSE_CONCERN: Verdict.CONCERN,
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: Verdict.NEUTRAL_HIGH,
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: Verdict.NEUTRAL_LOW,
}
Judgement = SpcResult | CountChange | TrendResult | Shift | RecentImprovement


def plain(value: Any) -> Any:
    """A JSON-ready copy: dates as YYYY-MM-DD, numpy scalars as Python, NaN as None."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def verdict_of(result: Judgement) -> Verdict | None:
    """The verdict of a judgement: the latest point of a chart, a count's change, a trend, the
    reading of a shift; ``improvement`` for a recent improvement that holds, else None."""
    if isinstance(result, SpcResult):
        return _POINT_VERDICT[result.points["point_type"].iloc[-1]]
    if isinstance(result, CountChange | TrendResult):
        return result.verdict
    if isinstance(result, Shift):
        return _POINT_VERDICT[result.point_type]
    if isinstance(result, RecentImprovement):
        return Verdict.IMPROVEMENT if result.improved else None
    raise InputError(
        f"evidence: cannot judge a {type(result).__name__}",
        hint="pass an SpcResult, CountChange, TrendResult, Shift or RecentImprovement",
    )


def _baseline(b: Baseline) -> dict[str, Any]:
    return {
        "kind": b.kind.value,
        "change_points": [{"date": cp.date, "reason": cp.reason} for cp in b.change_points],
        "n_points": b.n_points,
        "description": b.describe(),
    }


def _series(result: SpcResult) -> list[dict[str, Any]]:
    p = result.points
    rows: list[dict[str, Any]] = []
    attribute = result.chart is not ChartType.XMR
    for i in range(len(p)):
        row: dict[str, Any] = {"date": p["date"].iloc[i], "value": p["value"].iloc[i]}
        if attribute:
            row["numerator"] = p["numerator"].iloc[i]
            row["denominator"] = p["denominator"].iloc[i]
        rows.append(row)
    return rows


def _pairs(dates: tuple[Any, ...], values: tuple[float, ...]) -> list[dict[str, Any]]:
    return [{"date": d, "value": v} for d, v in zip(dates, values, strict=True)]


def evidence(result: Judgement) -> dict[str, Any]:
    """The judgement as a JSON-ready record: method, series, baseline, numbers, verdict."""
    verdict = verdict_of(result)
    out: dict[str, Any]
    if isinstance(result, SpcResult):
        last = result.points.iloc[-1]
        out = {
            "method": result.chart.value,
            "rules": result.method.value,
            "improvement": result.improvement.value,
            "series": _series(result),
            "baseline": _baseline(result.baseline),
            "latest": {
                "date": last["date"],
                "value": last["value"],
                "mean": last["mean"],
                "lpl": last["lpl"],
                "upl": last["upl"],
                "rule": last["rule"],
                "point_type": last["point_type"],
            },
            "target": result.target,
            "assurance": result.summary.assurance,
        }
    elif isinstance(result, CountChange):
        out = {
            "method": result.method.value,
            "compare": result.compare.value,
            "series": _pairs(result.dates, result.values),
            "baseline": {
                "start": result.baseline_start,
                "end": result.baseline_end,
                "points": result.baseline_points,
                "mean": result.baseline_mean,
                "mean_moving_range": result.mean_moving_range,
            },
            "latest": {"date": result.date, "value": result.value},
            "comparison": {"date": result.comparison_date, "value": result.comparison_value},
            "change": result.change,
            "relative_change": result.relative_change,
            "dispersion": result.dispersion,
            "dispersion_p_value": result.dispersion_p_value,
            "overdispersed": result.overdispersed,
            "limit": result.limit,
            "p_value": result.p_value,
        }
    elif isinstance(result, TrendResult):
        t = result.test
        out = {
            "method": result.method,
            "series": _pairs(result.dates, result.values),
            "window": {"start": result.start, "end": result.end, "points": result.window},
            "s": t.s,
            "var_s": t.var_s,
            "z": t.z,
            "p_value": t.p_value,
            "alpha": result.alpha,
            "tau": t.tau,
            "sen_slope": t.sen_slope,
        }
    elif isinstance(result, Shift):
        out = {
            "method": "sustained_run",
            "side": result.side,
            "since": result.since,
            "points": result.points,
            "special_cause_points": result.special_cause_points,
            "earlier_mean": result.earlier_mean,
            "group_start": result.group_start,
            "suggested_baseline": _baseline(result.suggested_baseline),
            "description": result.describe(),
        }
    else:
        out = {
            "method": "recent_special_cause",
            "points": result.points,
            "start": result.start,
            "end": result.end,
            "improvement_points": result.improvement_points,
            "concern_points": result.concern_points,
            "first_improvement": result.first_improvement,
            "rules": list(result.rules),
        }
    out["verdict"] = verdict
    return plain(out)
