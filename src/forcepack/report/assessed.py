"""The month's reading of a measure for the paper, from :func:`forcepack.stats.assess`.

The paper words comparisons, records, district moves and the long-term benchmark from an
:class:`~forcepack.stats.Assessment`. A count's change is worded only through
:func:`judge_count`, which records the comparison's ``count_change`` (the series judged by its
own variation) as a claim and returns the verdict's phrase.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from forcepack.errors import InputError
from forcepack.measures import MeasureSpec
from forcepack.report import format as fmt
from forcepack.report.builders import Context
from forcepack.report.data import MeasureData
from forcepack.report.narrative import say
from forcepack.stats import (
    Assessment,
    BenchmarkVerdict,
    Comparison,
    SpcResult,
    Verdict,
    assess,
)
from forcepack.stats.vocab import ChartType, chart_of, improvement_of


def measure_spec(measure_id: str) -> MeasureSpec:
    """The catalogue's spec of a measure the paper judges: its kind, polarity and target are
    read from here, never restated by a builder."""
    from forcepack.measures import get

    return get(measure_id)


def assessment(
    data: MeasureData,
    measure_id: str,
    month: dt.date,
    *,
    window: str = "month",
    by: tuple[str, ...] = (),
    record_months: int | None = None,
) -> Assessment:
    """Assess ``measure_id`` at ``month`` from the paper's cached measure results, with the
    kind and polarity of its spec.

    ``by=("district",)`` adds the district rows so the assessment names district moves.
    The monthly rows are always included: SPC and the benchmark run on them.
    """
    keys: set[tuple[str, tuple[str, ...]]] = {(window, ()), ("month", ())}
    if by:
        keys.add((window, by))
    frame = pd.concat([data.frame(measure_id, w, b) for w, b in sorted(keys)], ignore_index=True)
    spec = measure_spec(measure_id)
    return assess(
        frame,
        kind=spec.kind,
        polarity=spec.polarity,
        month=fmt.month_end(month),
        measure_id=measure_id,
        window=window,
        record_months=record_months,
    )


def benchmark_streak(
    data: MeasureData, measure_id: str, month: dt.date, verdict: BenchmarkVerdict
) -> int:
    """Consecutive months (up to 12, this one included) whose benchmark verdict is ``verdict``."""
    streak = 1
    while streak < 12:
        try:
            earlier = assessment(data, measure_id, fmt.add_months(month, -streak))
        except InputError:  # no value that month: the streak ends
            break
        if earlier.benchmark is None or earlier.benchmark.verdict is not verdict:
            break
        streak += 1
    return streak


def p_text(p: float) -> str:
    """A p-value as printed: ``p < 0.001`` or ``p = `` and three decimals."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def judge_count(
    ctx: Context, c: Comparison | None, measure_id: str, words: str, **cut: str
) -> tuple[str, bool]:
    """The phrase for a count's comparison (``words``: ``count_month`` or ``count_year``) and
    whether it is a real change; the judgement is claimed. A comparison count_change could not
    judge (too few consecutive months) is said to be not judged, with no claim."""
    if c is None or c.count is None:
        return say("crime.judge.not_judged"), False
    phrase = ctx.claim(c.count, measure_id=measure_id, words=words, cut=cut)
    return phrase, c.count.verdict is not Verdict.NO_CHANGE


#: Months of monthly numerators and denominators a share's p' chart is drawn over.
SHARE_MONTHS = 36


def judge_share(
    ctx: Context, measure_id: str, *, improvement: str | None = None, **cut: str
) -> str:
    """The reporting month's share on its control chart over the last :data:`SHARE_MONTHS`
    months, claimed; the phrase says whether the month is within the usual range of monthly
    variation. The chart is the one the measure's kind takes, as on the dashboard
    (:func:`~forcepack.stats.vocab.chart_of`): a Laney p' chart of the monthly numerators and
    denominators (months with nobody counted left out) for a share or rate, an XmR chart of
    the monthly values for any other kind. The direction of improvement and the target are
    the measure's, from the catalogue. Raises MissingFigure when the month has no value."""
    return share_reading(ctx, measure_id, improvement=improvement, **cut)[0]


def share_reading(
    ctx: Context, measure_id: str, *, improvement: str | None = None, **cut: str
) -> tuple[str, SpcResult]:
    """:func:`judge_share`'s phrase and the chart it was read from (to draw it)."""
    from forcepack.report.data import MissingFigure
    from forcepack.stats import measure_chart

    spec = measure_spec(measure_id)
    chart = chart_of(spec.kind)
    s = ctx.data.series(measure_id, ctx.month, SHARE_MONTHS, "month", **cut)
    if chart is ChartType.PP:
        s = s[s["denominator"].notna() & (s["denominator"] > 0)]
    else:
        s = s[s["value"].notna()]
    if s.empty or fmt.month_end(s["period_end"].iloc[-1]) != fmt.month_end(ctx.month):
        what = "share" if chart is ChartType.PP else "value"
        raise MissingFigure(f"measure {measure_id} has no monthly {what} for {ctx.month}")
    towards = improvement or improvement_of(spec.polarity)
    result = measure_chart(s, chart, improvement=towards, target=spec.target)
    last = result.points.iloc[-1]
    side = " (higher)" if last["value"] > last["mean"] else " (lower)"
    return ctx.claim(result, measure_id=measure_id, words="share", cut=cut, side=side), result
