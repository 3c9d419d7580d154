"""SPC for the paper: a measure's monthly series judged by ``forcepack.stats.spc``, charted.

The reading is claimed (``Context.claim``): the latest point's variation, or a shift when the
chart ends in a sustained run (``detect_shift``). Limits come from the change points the force
declares in ``paper.toml`` (``[[change_points]]``), else from the whole charted window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from forcepack.errors import InputError
from forcepack.report import charts
from forcepack.report import format as fmt
from forcepack.report.builders import Context
from forcepack.report.data import MissingFigure
from forcepack.report.model import Chart
from forcepack.report.narrative import say
from forcepack.report.units import unit_of
from forcepack.stats import (
    Baseline,
    ChangePoint,
    PointType,
    Side,
    SpcResult,
    detect_shift,
    measure_chart,
)
from forcepack.stats.vocab import chart_of, improvement_of

#: Months of history on an SPC chart.
SPC_MONTHS = 36

SPC_KIND = {
    "common_cause": "common",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}


@dataclass(frozen=True, slots=True)
class SpcReading:
    """What the paper says about a series: the latest point's reading, and its chart.

    ``phrase`` is the claimed judgement's wording: the latest point's variation, or, when the
    process has shifted (a sustained run at the end and no change point declared since), since
    when it has run above or below its earlier range. ``result`` is the chart judged."""

    latest: float
    previous: float | None
    special: str | None  # the phrase, when the latest point is special cause or a shift
    variation: str
    assurance: str | None
    chart: Chart
    phrase: str
    shifted: bool
    result: SpcResult


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


def declared_baseline(
    ctx: Context, measure_id: str, dates: pd.Series, first: dt.date
) -> Baseline | None:
    """The baseline from the change points the force declares for ``measure_id``
    (``paper.toml``), within the charted ``dates``; ``first`` is the measure's first month. A
    declared month outside the measure's series is an error naming the measure and month; one
    before the charted window leaves the whole window after the change."""
    declared = ctx.inputs.details.changes_for(measure_id) if ctx.inputs is not None else ()
    if not declared:
        return None
    last = fmt.month_end(dates.iloc[-1].date())
    points = []
    for c in declared:
        if not fmt.month_end(first) < c.month <= last:
            raise InputError(
                f"paper.toml change point for {measure_id}: {fmt.month(c.month)} ({c.reason}) "
                f"is outside the series, which runs from {fmt.month(first)} to {fmt.month(last)}",
                hint="declare a month after the first of the series and no later than the "
                "reporting month",
            )
        when = pd.Timestamp(c.month)
        if when > dates.iloc[0]:
            points.append(ChangePoint(when, c.reason))
    return Baseline(tuple(points)) if points else None


def _side(result: SpcResult) -> str:
    last = result.points.iloc[-1]
    return " (higher)" if last["value"] > last["mean"] else " (lower)"


def judge_chart(
    ctx: Context,
    result: SpcResult,
    measure_id: str,
    *,
    window: str = "month",
    cut: dict[str, str] | None = None,
) -> tuple[str, bool]:
    """Claim the chart's reading and return its phrase, and whether it is a shift: a
    sustained run at the end whose latest point is special cause is worded as the process
    having moved since the run began (a rebase is suggested in the notes), not as the month
    being a concern."""
    shift = detect_shift(result)
    latest = result.points["point_type"].iloc[-1]
    if shift is not None and latest != PointType.COMMON_CAUSE:
        phrase = ctx.claim(
            shift,
            measure_id=measure_id,
            words="shift",
            window=window,
            cut=cut,
            basis=result,
            side="above" if shift.side is Side.HIGHER else "below",
            since=fmt.month(shift.since.date()),
        )
        return phrase, True
    phrase = ctx.claim(
        result, measure_id=measure_id, words="chart", window=window, cut=cut, side=_side(result)
    )
    return phrase, False


def reading(
    ctx: Context,
    measure_id: str,
    month: dt.date,
    *,
    title: str,
    improvement: str | None = None,
    window: str = "month",
    **dims: str,
) -> SpcReading:
    """Judge the last :data:`SPC_MONTHS` months of a measure (limits from the change points the
    force declares, else the whole window), claim the reading and chart it. The direction of
    improvement, the target and the chart's unit are the measure's, from the catalogue."""
    data = ctx.data
    series = data.series(measure_id, month, SPC_MONTHS, window, **dims)
    if series.empty or fmt.month_end(series["period_end"].iloc[-1]) != fmt.month_end(month):
        raise MissingFigure(f"measure {measure_id} has no value for {fmt.month(month)}")
    from forcepack.measures import get

    spec = get(measure_id)
    target = spec.target
    if improvement is None:
        improvement = improvement_of(spec.polarity)
    dates = pd.to_datetime(series["period_end"])
    first = data.series(measure_id, month, None, window, **dims)["period_end"].iloc[0]
    result = measure_chart(
        series,
        chart_of(spec.kind),
        improvement=improvement,
        target=target,
        baseline=declared_baseline(ctx, measure_id, dates, first),
    )
    phrase, shifted = judge_chart(ctx, result, measure_id, window=window, cut=dict(dims) or None)
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
            "kind": [SPC_KIND.get(str(t), "common") for t in pts["point_type"]],
        }
    )
    last = pts.iloc[-1]
    special = None if str(last["point_type"]) == "common_cause" and not shifted else phrase
    summary = say("paper.spc.shifted" if shifted else "paper.spc.latest", judgement=phrase)
    if assurance:
        summary += say("paper.spc.target", assurance=say(f"paper.spc_assurance.{assurance}"))
    chart = charts.spc_chart(
        title,
        frame,
        unit=unit_of(spec),
        target=target,
        icons=_icons(variation, assurance),
        summary=summary,
        caption=summary[0].upper() + summary[1:],
    )
    previous = float(series["value"].iloc[-2]) if len(series) > 1 else None
    return SpcReading(
        latest=float(series["value"].iloc[-1]),
        previous=previous,
        special=special,
        variation=variation,
        assurance=assurance,
        chart=chart,
        phrase=phrase,
        shifted=shifted,
        result=result,
    )
