"""4.2 National context, 4.3 performance headlines and 5 priority updates, one builder per
paragraph."""

from __future__ import annotations

import pandas as pd

from forcepack.contract.vocab import CallTypeCategory
from forcepack.report import format as fmt
from forcepack.report import narrative, narrative_crime
from forcepack.report.assessed import assessment, benchmark_streak, judge_count, judge_share
from forcepack.report.build_commitments import claimed_trend, latest_trend
from forcepack.report.build_performance import SOFT_ERRORS, delay_sentence, monthly_reading
from forcepack.report.build_victims import CARE_MEASURES, victim_care
from forcepack.report.builders import Context, builder, para
from forcepack.report.data import MissingFigure
from forcepack.report.facts import Share
from forcepack.report.inputs import FigureUnit
from forcepack.report.model import Block, Gap, Paragraph, Table
from forcepack.report.spc_blocks import reading
from forcepack.stats import CountCompare, count_change
from forcepack.stats import constants as C


def part_gap(what: str, err: Exception | str) -> Gap:
    """A marked gap for one sentence of a paragraph whose figures could not be computed, so the
    paper shows what is missing instead of silently dropping the sentence."""
    return Gap(
        what=what,
        reason=f"This sentence was left out: {err}.",
        fix="check that the warehouse holds data for the reporting month and that "
        "`forcepack measures compute` runs for the measure named.",
    )


@builder(
    "national.figures",
    "national and regional figures",
    measures=("crime.recorded_per_1000",),
)
def national(ctx: Context) -> list[Block]:
    """4.2: the user's national and regional figures, with the force's own rate beside them."""
    data, inputs = ctx.data, ctx.inputs
    blocks: list[Block] = []
    if inputs.national is None:
        blocks.append(inputs.national_gap())
    else:
        figures = inputs.national
        rate = None
        missing: Gap | None = None
        if figures:
            try:
                rate = data.value("crime.recorded_per_1000", figures[0].period_end, "rolling12")
            except SOFT_ERRORS as err:
                missing = part_gap("the force's crime rate beside the national figures", err)
        blocks += [
            para(t) for t in narrative_crime.national(figures, inputs.details.force_name, rate)
        ]
        if missing is not None and any(f.unit is FigureUnit.PER_1000 for f in figures):
            blocks.append(missing)  # the rates are given without the force's own beside them
    return blocks


FLAG_LABELS = {
    "domestic_abuse": "domestic abuse",
    "hate_crime": "hate crime",
    "child_sexual_abuse": "child sexual abuse",
    "child_sexual_exploitation": "child sexual exploitation",
    "serious_sexual_offence": "serious sexual offences",
}


@builder(
    "demand.calls",
    "Demand Hub call volumes",
    measures=(
        "demand.calls_999",
        "demand.calls_101",
        "demand.abandonment_secondary",
        "demand.call_handling_minutes",
    ),
)
def demand(ctx: Context) -> list[Block]:
    """4.3: 999 and 101 calls, and secondary call abandonment."""
    data, month = ctx.data, ctx.month
    prev = fmt.add_months(month, -1)
    a999 = assessment(data, "demand.calls_999", month)
    a101 = assessment(data, "demand.calls_101", month)
    j999, _ = judge_count(ctx, a999.previous, "demand.calls_999", "count_month")
    j101, _ = judge_count(ctx, a101.previous, "demand.calls_101", "count_month")
    text = narrative_crime.calls(a999, a101, month, j999, j101)
    try:
        ab = data.value("demand.abandonment_secondary", month)
        ab_prev = data.value("demand.abandonment_secondary", prev)
        text += " " + narrative.say(
            "crime.demand.abandonment",
            share=fmt.percent(ab),
            month=fmt.month_name(month),
            previous=fmt.percent(ab_prev),
            previous_month=fmt.month_name(prev),
        )
    except SOFT_ERRORS as err:
        return [para(text), part_gap("secondary call abandonment", err)]
    try:
        text += " " + _handling(ctx)
    except SOFT_ERRORS as err:
        return [para(text), part_gap("call handling time", err)]
    return [para(text)]


def _handling(ctx: Context) -> str:
    """4.3.1's call handling time: the month's median against the month before, and whether
    calls take longer to resolve, said only when the 24-month trend test finds it."""
    mid, month = "demand.call_handling_minutes", ctx.month
    prev = fmt.add_months(month, -1)
    months = C.TREND_WINDOW_MONTHS
    result = latest_trend(ctx, mid)
    if result is None:
        raise MissingFigure(f"measure {mid} has fewer than {months} months to {fmt.month(month)}")
    return narrative.say(
        "crime.demand.handling",
        minutes=f"{ctx.data.value(mid, month):.1f}",
        month=fmt.month_name(month),
        previous=f"{ctx.data.value(mid, prev):.1f}",
        previous_month=fmt.month_name(prev),
        months=months,
        judgement=ctx.claim(result, measure_id=mid, words="handling"),
    )


@builder(
    "demand.qa_backlog",
    "crimes awaiting QA, with system downtime as its caveat",
    measures=(
        "demand.qa_backlog",
        "demand.system_downtime_hours",
        "demand.system_downtime_unplanned_hours",
    ),
)
def qa_backlog(ctx: Context) -> list[Block]:
    """4.3.2: crimes awaiting QA/linking at month end (on its XmR chart), and the hours
    systems were down as the caveat the model paper gives it."""
    data, month = ctx.data, ctx.month
    prev = fmt.add_months(month, -1)
    spc = reading(
        ctx,
        "demand.qa_backlog",
        month,
        title=narrative.say("crime.demand.qa_caption"),
    )
    text = narrative.say(
        "crime.demand.qa",
        backlog=fmt.number(data.value("demand.qa_backlog", month)),
        month=fmt.month_name(month),
        previous=fmt.number(data.value("demand.qa_backlog", prev)),
        previous_month=fmt.month_name(prev),
        judgement=spc.phrase,
    )
    try:
        hours = data.value("demand.system_downtime_hours", month)
        unplanned = data.value("demand.system_downtime_unplanned_hours", month)
        hours12 = data.value("demand.system_downtime_hours", month, "rolling12")
    except SOFT_ERRORS as err:
        return [para(text), part_gap("system downtime", err), spc.chart]
    words = {"month": fmt.month_name(month), "window": fmt.window(month)}
    words["hours12"] = f"{hours12:.1f}"
    if hours:
        text += " " + narrative.say(
            "crime.demand.downtime", **words, hours=f"{hours:.1f}", unplanned=f"{unplanned:.1f}"
        )
    else:
        text += " " + narrative.say("crime.demand.downtime_none", **words)
    return [para(text), spc.chart]


@builder("crime.recorded", "recorded crime", measures=("crime.recorded",))
def recorded(ctx: Context) -> list[Block]:
    """Recorded crime: the month by district, the year, the long-term benchmark, growth."""
    data, month = ctx.data, ctx.month
    prev, year = fmt.add_months(month, -1), fmt.add_months(month, -12)
    by = data.rows("crime.recorded", month, "month", ("district",))
    by_prev = data.rows("crime.recorded", prev, "month", ("district",))
    before = dict(zip(by_prev["district"], by_prev["value"], strict=True))
    districts = {
        r["district"]: (int(r["value"]), int(before[r["district"]]))
        for _, r in by.iterrows()
        if r["district"] in before
    }
    a = assessment(data, "crime.recorded", month, by=("district",))
    j_month, _ = judge_count(ctx, a.previous, "crime.recorded", "count_month")
    text = narrative_crime.recorded_month(a, month, len(districts), j_month)
    streak = 0
    if a.benchmark is not None:
        streak = benchmark_streak(data, "crime.recorded", month, a.benchmark.verdict)
    j_year, _ = judge_count(ctx, a.last_year, "crime.recorded", "count_year")
    text += " " + narrative_crime.recorded_year(a, month, streak, j_year)
    r12 = data.rows("crime.recorded", month, "rolling12", ("district",))
    r12y = data.rows("crime.recorded", year, "rolling12", ("district",))
    base = dict(zip(r12y["district"], r12y["value"], strict=True))
    growth = {
        r["district"]: float(r["value"]) / float(base[r["district"]]) - 1
        for _, r in r12.iterrows()
        if base.get(r["district"])
    }
    g = narrative_crime.district_growth(growth)
    if g:
        text += " " + g
    rows = tuple(
        (d, fmt.number(b), fmt.number(a), f"{a - b:+,}", fmt.percent(growth.get(d)))
        for d, (a, b) in districts.items()
    )
    table = Table(
        caption=f"Recorded crime by district, {fmt.month(prev)} and {fmt.month(month)}",
        columns=(
            "District",
            fmt.month(prev),
            fmt.month(month),
            "Change",
            "12-month growth on a year earlier",
        ),
        rows=rows,
    )
    spc = reading(
        ctx,
        "crime.recorded",
        month,
        title="Recorded crime per month",
    )
    return [para(text), table, spc.chart]


@builder(
    "investigations.management",
    "crime management",
    measures=("investigations.average_length_days", "investigations.overdue_reviews"),
)
def management(ctx: Context) -> list[Block]:
    data, month = ctx.data, ctx.month
    prev = fmt.add_months(month, -1)
    avg = data.value("investigations.average_length_days", month)
    avg_prev = data.value("investigations.average_length_days", prev)
    # overdue reviews are counted from the extract's current review dates: only the latest
    # month of the series can be stated; for an earlier month the figure is not available
    overdue_frame = data.frame("investigations.overdue_reviews", "month")
    latest = max(overdue_frame["period_end"]) if len(overdue_frame) else None
    if latest is not None and month < latest:
        overdue_text = narrative.say(
            "crime.management.overdue_not_available", latest=fmt.month(latest)
        )
    else:
        overdue = data.value("investigations.overdue_reviews", month)
        overdue_text = narrative.say("crime.management.overdue", overdue=fmt.number(overdue))
    text = narrative.say(
        "crime.management.investigations",
        avg=f"{avg:,.0f}",
        month=fmt.month(month),
        avg_prev=f"{avg_prev:,.0f}",
        overdue=overdue_text,
    )
    return [para(text)]


@builder("victims.care", "victim care compliance", measures=CARE_MEASURES)
def care(ctx: Context) -> list[Block]:
    """Victim care contract and Victims' Code compliance (forcepack.compliance)."""
    got = victim_care(ctx.con, ctx.month)
    if isinstance(got, Paragraph):
        ctx.data.note_used(*CARE_MEASURES)
        return [para(got.text)]
    return [got]


@builder(
    "crime.management",
    "crime management and victim care compliance, in one paragraph as the model's 4.3.5",
    measures=(
        "investigations.average_length_days",
        "investigations.overdue_reviews",
        *CARE_MEASURES,
    ),
)
def crime_management(ctx: Context) -> list[Block]:
    """4.3.5: open-investigation length and overdue reviews, then victim care compliance,
    in one paragraph (``investigations.management`` and ``victims.care`` are the two halves);
    a half whose figures are missing leaves its marked gap after the paragraph."""
    texts: list[str] = []
    gaps: list[Block] = []
    for half, what in ((management, "crime management"), (care, "victim care compliance")):
        try:
            got = half(ctx)
        except SOFT_ERRORS as err:
            gaps.append(part_gap(what, err))
            continue
        texts += [b.text for b in got if isinstance(b, Paragraph)]
        gaps += [b for b in got if not isinstance(b, Paragraph)]
    return ([para(" ".join(texts))] if texts else []) + gaps


@builder(
    "outcomes.prosecution_possible",
    "prosecution possible outcome rate",
    measures=("outcomes.prosecution_possible_rate",),
)
def outcomes(ctx: Context) -> list[Block]:
    data, month = ctx.data, ctx.month
    prev, year = fmt.add_months(month, -1), fmt.add_months(month, -12)
    mid = "outcomes.prosecution_possible_rate"
    rate = assessment(data, mid, month, record_months=12)
    before11 = data.series(mid, month, 12)["value"].astype(float).iloc[:-1]
    text = narrative_crime.outcomes(
        rate,
        float(before11.min()) if len(before11) else rate.value,
        float(before11.max()) if len(before11) else rate.value,
        data.share(mid, month, "rolling12"),
        data.share(mid, prev, "rolling12"),
        month,
        judge_share(ctx, mid),
    )
    flags: dict[str, tuple[Share, Share, str | None]] = {}
    unmet: list[str] = []
    for flag, label in FLAG_LABELS.items():
        try:
            now = data.share(mid, month, "rolling12", crime_flag=flag)
            then = data.share(mid, year, "rolling12", crime_flag=flag)
            flags[label] = (now, then, monthly_reading(ctx, mid, crime_flag=flag))
        except SOFT_ERRORS as err:
            unmet.append(f"{label} ({err})")
    if flags:
        text += " " + narrative_crime.outcome_flags(flags)
    blocks: list[Block] = [para(text)]
    if flags:
        blocks.append(
            Table(
                caption=f"Prosecution possible outcome rate by crime type, {fmt.window(month)}",
                columns=("Crime type", fmt.month(month), "Outcomes", fmt.month(year)),
                rows=tuple(
                    (k, fmt.percent(a.value), fmt.number(a.n), fmt.percent(b.value))
                    for k, (a, b, _) in flags.items()
                ),
                note=narrative.say("paper.tables.outcomes_note"),
            )
        )
    if unmet:
        what = "the prosecution possible outcome rate by crime type"
        blocks.append(part_gap(what, "no figures for " + "; ".join(unmet)))
    return blocks


@builder(
    "domestic_abuse.demand",
    "domestic abuse demand and response",
    measures=(
        "demand.response_incidents",
        "response.prompt.median_minutes",
        "response.delay_resourcing_share",
    ),
)
def domestic_abuse_demand(ctx: Context) -> list[Block]:
    """5.1: response-graded domestic abuse incidents on the month before (judged by the series'
    own variation), their prompt response time on its chart and its rank among incident types,
    and the delays citing resources."""
    data, month = ctx.data, ctx.month
    category = CallTypeCategory.DOMESTIC_ABUSE
    mid = "demand.response_incidents"
    s = data.series(mid, month, 36, "month", call_type_category=category)
    if len(s) < 2 or fmt.month_end(s["period_end"].iloc[-1]) != month:
        raise MissingFigure(f"measure {mid} has no domestic abuse incidents for {month}")
    change = count_change(
        s["value"].to_numpy(dtype=float),
        pd.to_datetime(s["period_end"]),
        compare=CountCompare.PREVIOUS_MONTH,
    )
    cut = {"call_type_category": category}
    prev_month = fmt.add_months(month, -1)
    text = narrative.say(
        "crime.priority.da_demand",
        now=fmt.number(s["value"].iloc[-1]),
        previous=fmt.number(s["value"].iloc[-2]),
        month_name=fmt.month_name(month),
        previous_month=fmt.month_name(prev_month),
        judgement=ctx.claim(change, measure_id=mid, words="count_month", cut=cut),
    )
    median_id = "response.prompt.median_minutes"
    got = reading(
        ctx,
        median_id,
        month,
        title="Median minutes to attend prompt grade domestic abuse incidents",
        call_type_category=category,
    )
    rows = data.rows(median_id, month, "month", ("call_type_category",)).dropna(subset=["value"])
    ordered = list(rows.sort_values("value", ascending=False)["call_type_category"])
    if category in ordered and got.previous is not None:
        place = ordered.index(category)
        text += narrative.say(
            "crime.priority.da_demand_response",
            median=fmt.minutes(got.latest),
            previous_median=fmt.minutes(got.previous),
            previous_month=fmt.month_name(prev_month),
            reading=got.phrase,
            rank="longest" if place == 0 else f"{fmt.ordinal(place + 1)} longest",
            types=len(ordered),
        )
    try:
        text += " " + delay_sentence(data, month, category)
    except SOFT_ERRORS as err:
        return [para(text), part_gap("delayed attendances citing resources", err)]
    return [para(text)]


@builder("crime.domestic_abuse", "domestic abuse crimes", measures=("crime.domestic_abuse",))
def domestic_abuse(ctx: Context) -> list[Block]:
    """5.1: domestic abuse crimes in the month, with their SPC chart."""
    data, month = ctx.data, ctx.month
    a = assessment(data, "crime.domestic_abuse", month)
    judgement, _ = judge_count(ctx, a.previous, "crime.domestic_abuse", "count_month")
    text = narrative_crime.domestic_abuse_crimes(a, month, judgement)
    spc = reading(
        ctx,
        "crime.domestic_abuse",
        month,
        title="Domestic abuse crimes recorded per month",
    )
    return [para(text), spc.chart]


@builder(
    "crime.child_sexual_abuse",
    "child sexual abuse",
    measures=(
        "crime.child_sexual_abuse",
        "vulnerability.care_home_callouts",
        "vulnerability.missing_children",
    ),
)
def child_sexual_abuse(ctx: Context) -> list[Block]:
    """5.2: child sexual abuse crimes, and where missing episodes from care homes were."""
    data, month = ctx.data, ctx.month
    a = assessment(data, "crime.child_sexual_abuse", month)
    judgement, moved = judge_count(ctx, a.last_year, "crime.child_sexual_abuse", "count_year")
    text = narrative_crime.child_sexual_abuse(a, month, judgement, moved)
    try:
        mc = data.rows(
            "vulnerability.care_home_callouts", month, "rolling:3", ("district",)
        ).sort_values("value", ascending=False)
        top = [d for d in mc["district"].head(2)]
        text += " " + narrative.say("crime.vulnerability.care_homes", districts=fmt.join(top))
    except SOFT_ERRORS as err:
        return [para(text), part_gap("missing-person episodes from children's care homes", err)]
    got = claimed_trend(ctx, "vulnerability.missing_children")
    if got is not None:
        text += " " + narrative.say("victims.missing.trend_short", months=got[1], judgement=got[0])
    return [para(text)]


@builder(
    "crime.serious_sexual",
    "serious sexual offences",
    measures=("crime.serious_sexual", "outcomes.prosecution_possible_rate"),
)
def serious_sexual(ctx: Context) -> list[Block]:
    """5.3: serious sexual offences over 12 months, and their outcome rate."""
    data, month = ctx.data, ctx.month
    year = fmt.add_months(month, -12)
    now = int(data.value("crime.serious_sexual", month, "rolling12"))
    then = int(data.value("crime.serious_sexual", year, "rolling12"))
    text = narrative_crime.serious_sexual_offences(now, then, month)
    result = latest_trend(ctx, "crime.serious_sexual")
    if result is not None:
        text += " " + narrative.say(
            "crime.vulnerability.sso_trend",
            months=C.TREND_WINDOW_MONTHS,
            judgement=ctx.claim(result, measure_id="crime.serious_sexual", words="trend"),
        )
    try:
        mid = "outcomes.prosecution_possible_rate"
        sso_now = data.share(mid, month, "rolling12", crime_flag="serious_sexual_offence")
        sso_then = data.share(mid, year, "rolling12", crime_flag="serious_sexual_offence")
        monthly_sso = monthly_reading(ctx, mid, crime_flag="serious_sexual_offence")
        text += " " + narrative_crime.sso_outcomes(sso_now, sso_then, monthly_sso)
    except SOFT_ERRORS as err:
        return [para(text), part_gap("the serious sexual offences outcome rate", err)]
    return [para(text)]
