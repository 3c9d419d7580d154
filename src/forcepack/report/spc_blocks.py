"""SPC for the paper: a measure's monthly series judged by ``forcepack.stats.spc``, charted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from forcepack.report import charts
from forcepack.report import format as fmt
from forcepack.report.data import MeasureData
from forcepack.report.model import Chart
from forcepack.report.narrative import say

#: Months of history on an SPC chart.
SPC_MONTHS = 36

_KIND = {
    "common_cause": "common",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}


@dataclass(frozen=True, slots=True)
class SpcReading:
    """What the paper says about a series: the latest point's reading, and its chart."""

    latest: float
    previous: float | None
    special: str | None  # how the variation is worded, when the latest point is special cause
    variation: str
    assurance: str | None
    chart: Chart


def _icons(variation: str, assurance: str | None) -> list[str]:
    try:
        from forcepack.stats import icons
    except ImportError:
        return []
    out = []
    for name, value in (("variation_icon", variation), ("assurance_icon", assurance)):
        fn = getattr(icons, name, None)
        if fn is not None and value is not None:
            out.append(str(fn(value)))
    return out


def reading(
    data: MeasureData,
    measure_id: str,
    month: dt.date,
    *,
    title: str,
    unit: charts.Unit,
    improvement: str,
    window: str = "month",
    **dims: object,
) -> SpcReading:
    """Judge the last :data:`SPC_MONTHS` months of a measure and chart them."""
    from forcepack.stats import spc

    series = data.series(measure_id, month, SPC_MONTHS, window, **dims)
    target = None
    try:
        from forcepack.measures import catalogue

        target = catalogue()[measure_id].target
    except (ImportError, KeyError, AttributeError):
        target = None
    result = spc(
        series["value"].to_numpy(),
        pd.to_datetime(series["period_end"]),
        improvement=improvement,
        target=target,
    )
    pts = result.points
    variation = str(result.summary.variation)
    assurance = str(result.summary.assurance) if result.summary.assurance else None
    frame = pd.DataFrame(
        {
            "period_end": series["period_end"].to_numpy(),
            "value": pts["value"].to_numpy(),
            "mean": pts["mean"].to_numpy(),
            "ucl": pts["upl"].to_numpy() if "upl" in pts else pts["mean"].to_numpy(),
            "lcl": pts["lpl"].to_numpy() if "lpl" in pts else pts["mean"].to_numpy(),
            "kind": [_KIND.get(str(t), "common") for t in pts["point_type"]],
        }
    )
    last = pts.iloc[-1]
    words = say(f"paper.spc_variation.{variation}")
    special = None if str(last["point_type"]) == "common_cause" else words
    summary = say("paper.spc.latest", variation=words)
    if assurance:
        summary += say("paper.spc.target", assurance=say(f"paper.spc_assurance.{assurance}"))
    chart = charts.spc_chart(
        title,
        frame,
        unit=unit,
        target=target,
        icons=_icons(variation, assurance),
        summary=summary,
        caption=summary[0].upper() + summary[1:],
    )
    previous = float(series["value"].iloc[-2]) if len(series) > 1 else None
    if fmt.month_end(series["period_end"].iloc[-1]) != fmt.month_end(month):
        from forcepack.report.data import MissingFigure

        raise MissingFigure(f"measure {measure_id} has no value for {fmt.month(month)}")
    return SpcReading(
        latest=float(series["value"].iloc[-1]),
        previous=previous,
        special=special,
        variation=variation,
        assurance=assurance,
        chart=chart,
    )
