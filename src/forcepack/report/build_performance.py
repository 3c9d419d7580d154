"""4.1 Strategic measures: victim satisfaction by stage, area and crime type, response times and
delay reasons, one builder per paragraph."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from forcepack.contract.vocab import CallTypeCategory, SurveyCrimeGroup
from forcepack.errors import DataError, InputError
from forcepack.report import charts, narrative
from forcepack.report import format as fmt
from forcepack.report.assessed import judge_share
from forcepack.report.builders import Context, builder, para
from forcepack.report.data import MeasureData, MissingFigure
from forcepack.report.facts import Median
from forcepack.report.inputs import Inputs, UpdateSlot
from forcepack.report.model import Block, Gap, Table
from forcepack.report.spc_blocks import reading
from forcepack.report.units import unit_of
from forcepack.stats import recent_improvement

STAGES = (
    ("satisfaction.ease_of_contact", "Ease of contact"),
    ("satisfaction.actions_taken", "Actions taken"),
    ("satisfaction.follow_up", "Follow up"),
    ("satisfaction.treatment", "Treatment"),
    ("satisfaction.overall", "Overall experience"),
)
INCIDENT_TYPES = {
    CallTypeCategory.DOMESTIC_ABUSE: "domestic abuse",
    CallTypeCategory.BURGLARY_DWELLING: "dwelling burglary",
    CallTypeCategory.VIOLENCE: "violence",
    CallTypeCategory.CONCERN_FOR_SAFETY: "concern for safety",
    CallTypeCategory.ROAD_TRAFFIC: "road traffic",
    CallTypeCategory.ANTI_SOCIAL_BEHAVIOUR: "anti-social behaviour",
    CallTypeCategory.OTHER: "other",
}
#: Errors that leave a marked gap in the paper instead of stopping it, the missing-figure cases:
#: a figure not in the measure results (MissingFigure), a series too short or a month without a
#: value for the statistics (InputError from forcepack.stats), derived tables not built
#: (DataError). Anything else raised by a builder (a missing sentence template, a KeyError, an
#: access error) is a bug or a refusal, and stops the build.
SOFT_ERRORS = (MissingFigure, InputError, DataError)


def updates(inputs: Inputs, slot: UpdateSlot) -> list[Block]:
    """The force-written paragraphs for a slot, numbered by their position."""
    got = inputs.update(slot)
    if isinstance(got, Gap):
        return [got]
    return [para(p) for p in got.paragraphs]


def first_row(df: pd.DataFrame, what: str) -> pd.Series:
    """The first row of ``df``, or :class:`MissingFigure` naming ``what``."""
    if df.empty:
        raise MissingFigure(f"no figures for {what}")
    return df.iloc[0]


def _areas(data: MeasureData, mid: str, month: dt.date, window: str) -> dict[str, object]:
    rows = data.rows(mid, month, window, ("area",))
    return {r["area"]: r for _, r in rows.iterrows()}


def monthly_reading(ctx: Context, measure_id: str, **cut: str) -> str | None:
    """The claimed reading of a share's monthly p' chart, or None when it has no monthly
    numerators and denominators to chart (the sentence is then left out)."""
    try:
        return judge_share(ctx, measure_id, **cut)
    except SOFT_ERRORS:
        return None


def value_or_none(
    data: MeasureData, measure_id: str, month: dt.date, window: str = "month", **dims: str
) -> float | None:
    """The measure's value, or None when it has none for the month (the words then leave the
    comparison out)."""
    try:
        return data.value(measure_id, month, window, **dims)
    except SOFT_ERRORS:
        return None


def _quarter_year(month: dt.date) -> tuple[dt.date, dt.date]:
    return fmt.add_months(month, -3), fmt.add_months(month, -12)


@builder("strategic.lead", "the introduction to the strategic measures")
def lead(ctx: Context) -> list[Block]:
    return [para(narrative.say("paper.strategic.lead"))]


@builder(
    "satisfaction.overall",
    "victim satisfaction (overall)",
    measures=("satisfaction.victims_surveyed", *(mid for mid, _ in STAGES)),
)
def overall(ctx: Context) -> list[Block]:
    """Overall satisfaction: force, areas and districts, with the stage, district and crime
    type tables and the trend by area."""
    data, month = ctx.data, ctx.month
    quarter, year = _quarter_year(month)
    now = data.share("satisfaction.overall", month, "rolling12")
    surveyed = int(data.value("satisfaction.victims_surveyed", month, "rolling12"))
    text = narrative.overall_satisfaction(
        surveyed,
        now,
        data.share("satisfaction.overall", year, "rolling12"),
        data.share("satisfaction.overall", quarter, "rolling12"),
        monthly_reading(ctx, "satisfaction.overall"),
    )
    areas = {
        a: (
            data.share("satisfaction.overall", month, "rolling12", area=a),
            data.share("satisfaction.overall", year, "rolling12", area=a),
        )
        for a in _areas(data, "satisfaction.overall", month, "rolling12")
    }
    text += " " + narrative.areas_satisfaction(areas)
    districts = data.rows("satisfaction.overall", month, "rolling12", ("district",))
    dshares = {
        r["district"]: data.share(
            "satisfaction.overall", month, "rolling12", district=r["district"]
        )
        for _, r in districts.iterrows()
        if r["denominator"]
    }
    text += " " + narrative.districts_satisfaction(dshares)
    out: list[Block] = [para(text), _stage_table(data, month)]
    out.append(_district_table(data, month))
    out.append(_crime_group_table(data, month))
    trend = []
    for a in areas:
        s = data.series("satisfaction.overall", month, 24, "rolling12", area=a)
        trend.append(
            pd.DataFrame({"period_end": s["period_end"], "series": a, "value": s["value"]})
        )
    out.append(
        charts.trend_chart(
            "Overall satisfaction, rolling 12 months, by area",
            pd.concat(trend),
            unit=unit_of("satisfaction.overall"),
        )
    )
    return out


@builder(
    "satisfaction.follow_up",
    "satisfaction with follow up",
    measures=tuple(mid for mid, _ in STAGES),
)
def follow_up(ctx: Context) -> list[Block]:
    data, month = ctx.data, ctx.month
    last6 = [
        data.share("satisfaction.follow_up", fmt.add_months(month, -i), "month")
        for i in range(5, -1, -1)
    ]
    stages = {mid: data.share(mid, month, "rolling12").value for mid, _ in STAGES}
    lowest = min(stages, key=lambda k: stages[k]) == "satisfaction.follow_up"
    return [para(narrative.follow_up_range(last6[3:], last6[:3], lowest))]


@builder(
    "satisfaction.ease_of_contact",
    "satisfaction with ease of contact",
    measures=("satisfaction.ease_of_contact",),
)
def ease(ctx: Context) -> list[Block]:
    data, month = ctx.data, ctx.month
    quarter, _ = _quarter_year(month)
    return [
        para(
            narrative.ease_of_contact(
                data.share("satisfaction.ease_of_contact", month, "rolling12"),
                data.share("satisfaction.ease_of_contact", quarter, "rolling12"),
                monthly_reading(ctx, "satisfaction.ease_of_contact"),
            )
        )
    ]


@builder(
    "satisfaction.burglary",
    "burglary victims' satisfaction",
    measures=("satisfaction.overall", "satisfaction.follow_up"),
)
def burglary(ctx: Context) -> list[Block]:
    from forcepack.report.facts import Share

    data, month = ctx.data, ctx.month
    group = SurveyCrimeGroup.BURGLARY
    quarter, _ = _quarter_year(month)
    by = data.rows("satisfaction.overall", month, "rolling12", ("crime_group",))
    b = first_row(by[by["crime_group"] == group], "burglary victims' satisfaction")
    rest = by[by["crime_group"] != group]
    overall_b = Share(int(b["numerator"]), int(b["denominator"]), month)
    others = Share(int(rest["numerator"].sum()), int(rest["denominator"].sum()), month)
    fu_now = data.share("satisfaction.follow_up", month, "rolling12", crime_group=group)
    fu_then = data.share("satisfaction.follow_up", quarter, "rolling12", crime_group=group)
    areas = {}
    rows = data.rows("satisfaction.follow_up", month, "rolling12", ("crime_group", "area"))
    for _, r in rows[rows["crime_group"] == group].iterrows():
        if r["denominator"]:
            areas[r["area"]] = Share(int(r["numerator"]), int(r["denominator"]), month)
    monthly = monthly_reading(ctx, "satisfaction.follow_up", crime_group=group)
    return [para(narrative.burglary(overall_b, others, fu_now, fu_then, areas, monthly))]


@builder(
    "satisfaction.domestic_abuse",
    "domestic abuse survey",
    measures=("satisfaction.da.overall", "satisfaction.da.follow_up"),
)
def domestic(ctx: Context) -> list[Block]:
    data, month = ctx.data, ctx.month
    text, interval = narrative.domestic_abuse_survey(
        data.share("satisfaction.da.overall", month, "rolling:9"),
        data.share("satisfaction.da.follow_up", month, "rolling:9"),
    )
    if interval is not None:
        ctx.note("satisfaction.da.follow_up", interval)
    return [para(text)]


@builder(
    "response.grades",
    "response times",
    measures=(
        "response.immediate.median_minutes",
        "response.prompt.median_minutes",
        "response.prompt.median_dispatch_minutes",
        "response.immediate_share",
    ),
)
def response(ctx: Context) -> list[Block]:
    data, month = ctx.data, ctx.month
    imm = reading(
        ctx,
        "response.immediate.median_minutes",
        month,
        title="Median minutes to attend immediate grade incidents",
    )
    prm = reading(
        ctx,
        "response.prompt.median_minutes",
        month,
        title="Median minutes to attend prompt grade incidents",
    )
    dispatch = value_or_none(data, "response.prompt.median_dispatch_minutes", month)
    share = data.value("response.immediate_share", month)
    text = narrative.response_grades(
        Median(imm.latest, month, imm.previous, imm.phrase, imm.shifted),
        Median(prm.latest, month, prm.previous, prm.phrase, prm.shifted),
        dispatch,
        share,
    )
    return [para(text), imm.chart, prm.chart, _incident_table(data, month)]


def _incident(ctx: Context, category: CallTypeCategory) -> list[Block]:
    data, month = ctx.data, ctx.month
    mid = "response.prompt.median_minutes"
    now = data.value(mid, month, call_type_category=category)
    prev = value_or_none(data, mid, fmt.add_months(month, -1), call_type_category=category)
    areas = {}
    rows = data.rows(mid, month, "month", ("call_type_category", "area"))
    for _, r in rows[rows["call_type_category"] == category].iterrows():
        if pd.notna(r["value"]):
            areas[r["area"]] = float(r["value"])
    label = INCIDENT_TYPES[category]
    got = reading(
        ctx,
        mid,
        month,
        title=f"Median minutes to attend prompt grade {label} incidents",
        call_type_category=category,
    )
    recent = recent_improvement(got.result)
    improved = None
    if recent.improved and not got.shifted:
        improved = ctx.claim(
            recent,
            measure_id=mid,
            words="recent",
            cut={"call_type_category": category},
            basis=got.result,
        )
    median = Median(now, month, prev, got.phrase, got.shifted)
    text = narrative.incident_type(label, median, areas, improved)
    if category == CallTypeCategory.DOMESTIC_ABUSE:
        text += " " + delay_sentence(data, month, category)
        return [para(text), _delay_chart(data, month)]
    return [para(text)]


@builder(
    "response.burglary",
    "dwelling burglary response times",
    measures=("response.prompt.median_minutes",),
)
def burglary_response(ctx: Context) -> list[Block]:
    return _incident(ctx, CallTypeCategory.BURGLARY_DWELLING)


@builder(
    "response.domestic_abuse",
    "domestic abuse response times",
    measures=("response.prompt.median_minutes", "response.delay_resourcing_share"),
)
def domestic_response(ctx: Context) -> list[Block]:
    return _incident(ctx, CallTypeCategory.DOMESTIC_ABUSE)


@builder(
    "response.delay_reasons",
    "delay reasons",
    measures=("response.delay_resourcing_share",),
)
def delay_reasons(ctx: Context) -> list[Block]:
    return [_delay_chart(ctx.data, ctx.month)]


def delay_sentence(data: MeasureData, month: dt.date, category: CallTypeCategory) -> str:
    mid = "response.delay_resourcing_share"
    rows = data.rows(mid, month, "month", ("call_type_category",)).dropna(subset=["value"])
    now = float(
        first_row(rows.loc[rows["call_type_category"] == category], f"{category} delays")["value"]
    )
    highest = now >= float(rows["value"].max())
    prev = value_or_none(data, mid, fmt.add_months(month, -1), call_type_category=category)
    return narrative.delay_resourcing(
        INCIDENT_TYPES[category] + " incident", now, prev, fmt.month_end(month), highest
    )


def _delay_chart(data: MeasureData, month: dt.date) -> charts.Chart:
    mid = "response.delay_resourcing_share"
    rows = data.rows(mid, month, "month", ("call_type_category",)).dropna(subset=["value"])
    df = pd.DataFrame(
        {
            "category": [INCIDENT_TYPES.get(c, c) for c in rows["call_type_category"]],
            "value": rows["value"].astype(float),
        }
    )
    return charts.bar_chart(
        f"Delayed attendances citing non-availability of resources, {fmt.month(month)}",
        df,
        unit=unit_of(mid),
        caption="Share of delayed response-graded attendances by incident type",
    )


def _stage_table(data: MeasureData, month: dt.date) -> Table:
    quarter, year = fmt.add_months(month, -3), fmt.add_months(month, -12)
    rows = []
    for mid, label in STAGES:
        now = data.share(mid, month, "rolling12")
        rows.append(
            (
                label,
                fmt.percent(now.value),
                fmt.number(now.n),
                fmt.percent(data.share(mid, quarter, "rolling12").value),
                fmt.percent(data.share(mid, year, "rolling12").value),
            )
        )
    return Table(
        caption=f"Victim satisfaction by stage, {fmt.window(month)}",
        columns=("Stage", fmt.month(month), "n", fmt.month(quarter), fmt.month(year)),
        rows=tuple(rows),
        note=narrative.say("paper.tables.satisfaction_note"),
    )


def _district_table(data: MeasureData, month: dt.date) -> Table:
    year = fmt.add_months(month, -12)
    now = data.rows("satisfaction.overall", month, "rolling12", ("district",))
    then = data.rows("satisfaction.overall", year, "rolling12", ("district",))
    prev = dict(zip(then["district"], then["value"], strict=True))
    rows = tuple(
        (
            r["district"],
            fmt.percent(r["value"]),
            fmt.number(r["denominator"]),
            fmt.percent(prev.get(r["district"])),
        )
        for _, r in now.iterrows()
    )
    return Table(
        caption=f"Overall satisfaction by district, {fmt.window(month)}",
        columns=("District", fmt.month(month), "n", fmt.month(year)),
        rows=rows,
        note=narrative.say("paper.tables.district_note"),
    )


def _incident_table(data: MeasureData, month: dt.date) -> Table:
    mid = "response.prompt.median_minutes"
    now = data.rows(mid, month, "month", ("call_type_category",))
    prev = data.rows(mid, fmt.add_months(month, -1), "month", ("call_type_category",))
    before = dict(zip(prev["call_type_category"], prev["value"], strict=True))
    rows = tuple(
        (
            INCIDENT_TYPES.get(r["call_type_category"], r["call_type_category"]),
            fmt.minutes(r["value"]),
            fmt.minutes(before.get(r["call_type_category"])),
            fmt.number(r["n"]),
        )
        for _, r in now.iterrows()
        if pd.notna(r["value"])
    )
    return Table(
        caption=f"Prompt grade median response time by incident type, {fmt.month(month)}",
        columns=(
            "Incident type",
            fmt.month(month),
            fmt.month(fmt.add_months(month, -1)),
            "Incidents",
        ),
        rows=rows,
    )


CRIME_GROUPS = {
    SurveyCrimeGroup.BURGLARY: "Burglary",
    SurveyCrimeGroup.VIOLENT_CRIME: "Violent crime",
    SurveyCrimeGroup.VEHICLE_CRIME: "Vehicle crime",
    SurveyCrimeGroup.HATE_CRIME: "Hate crime",
    SurveyCrimeGroup.OTHER: "Other crime",
}


def _crime_group_table(data: MeasureData, month: dt.date) -> Table:
    year = fmt.add_months(month, -12)
    rows = []
    for group, label in CRIME_GROUPS.items():
        try:
            now = data.share("satisfaction.overall", month, "rolling12", crime_group=group)
            then = data.share("satisfaction.overall", year, "rolling12", crime_group=group)
        except SOFT_ERRORS:
            continue
        change = f"{(now.value - then.value) * 100:+.1f}"
        rows.append(
            (label, fmt.percent(now.value), fmt.number(now.n), fmt.percent(then.value), change)
        )
    return Table(
        caption=f"Overall satisfaction by crime type, {fmt.window(month)}",
        columns=("Crime type", fmt.month(month), "n", fmt.month(year), "Change (points)"),
        rows=tuple(rows),
    )
