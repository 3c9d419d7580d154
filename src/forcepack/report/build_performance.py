"""Section 4 of the paper: strategic measures, national context, headlines and updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from forcepack.errors import ForcepackError
from forcepack.report import charts, narrative
from forcepack.report import format as fmt
from forcepack.report.data import MeasureData, MissingFigure
from forcepack.report.facts import Median, compare
from forcepack.report.inputs import Inputs, UpdateSlot
from forcepack.report.model import Block, Gap, Numberer, Section, Table
from forcepack.report.spc_blocks import reading

STAGES = (
    ("satisfaction.ease_of_contact", "Ease of contact"),
    ("satisfaction.actions_taken", "Actions taken"),
    ("satisfaction.follow_up", "Follow up"),
    ("satisfaction.treatment", "Treatment"),
    ("satisfaction.overall", "Overall experience"),
)
INCIDENT_TYPES = {
    "domestic_abuse": "domestic abuse",
    "burglary_dwelling": "dwelling burglary",
    "violence": "violence",
    "concern_for_safety": "concern for safety",
    "road_traffic": "road traffic",
    "anti_social_behaviour": "anti-social behaviour",
    "other": "other",
}
#: Errors that leave a marked gap in the paper instead of stopping it.
SOFT_ERRORS = (ForcepackError, MissingFigure, ImportError, KeyError, IndexError)


def guarded(what: str, make: Callable[[], list[Block]]) -> list[Block]:
    """Run a paragraph builder; a missing figure or capability becomes a marked gap."""
    try:
        return make()
    except SOFT_ERRORS as err:
        return [
            Gap(
                what=what,
                reason=f"The figures could not be computed: {err}.",
                fix="check that the warehouse holds data for the reporting month and that "
                "`forcepack measures compute` runs for the measures named.",
            )
        ]


def updates(inputs: Inputs, slot: UpdateSlot, num: Numberer) -> list[Block]:
    """The force-written paragraphs for a slot, numbered on from the data paragraphs."""
    got = inputs.update(slot)
    if isinstance(got, Gap):
        return [got]
    return [num.para(p) for p in got.paragraphs]


def _areas(data: MeasureData, mid: str, month: dt.date, window: str) -> dict[str, object]:
    rows = data.rows(mid, month, window, ("area",))
    return {r["area"]: r for _, r in rows.iterrows()}


def strategic(data: MeasureData, month: dt.date) -> Section:
    """4.1: satisfaction by stage, area and crime type; response times; delay reasons."""
    num = Numberer("4.1")
    quarter, year = fmt.add_months(month, -3), fmt.add_months(month, -12)
    blocks: list[Block] = [num.para(narrative.say("paper.strategic.lead"))]

    def overall() -> list[Block]:
        now = data.share("satisfaction.overall", month, "rolling12")
        surveyed = int(data.value("satisfaction.victims_surveyed", month, "rolling12"))
        text = narrative.overall_satisfaction(
            surveyed,
            now,
            data.share("satisfaction.overall", year, "rolling12"),
            data.share("satisfaction.overall", quarter, "rolling12"),
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
        out: list[Block] = [num.para(text), _stage_table(data, month)]
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
                "Overall satisfaction, rolling 12 months, by area", pd.concat(trend), unit="share"
            )
        )
        return out

    def follow_up() -> list[Block]:
        last6 = [
            data.share("satisfaction.follow_up", fmt.add_months(month, -i), "month")
            for i in range(5, -1, -1)
        ]
        stages = {mid: data.share(mid, month, "rolling12").value for mid, _ in STAGES}
        lowest = min(stages, key=lambda k: stages[k]) == "satisfaction.follow_up"
        return [num.para(narrative.follow_up_range(last6[3:], last6[:3], lowest))]

    def ease() -> list[Block]:
        return [
            num.para(
                narrative.ease_of_contact(
                    data.share("satisfaction.ease_of_contact", month, "rolling12"),
                    data.share("satisfaction.ease_of_contact", quarter, "rolling12"),
                )
            )
        ]

    def burglary() -> list[Block]:
        by = data.rows("satisfaction.overall", month, "rolling12", ("crime_group",))
        b = by[by["crime_group"] == "burglary"].iloc[0]
        rest = by[by["crime_group"] != "burglary"]
        from forcepack.report.facts import Share

        overall_b = Share(int(b["numerator"]), int(b["denominator"]), fmt.month_end(month))
        others = Share(
            int(rest["numerator"].sum()), int(rest["denominator"].sum()), fmt.month_end(month)
        )
        fu_now = data.share("satisfaction.follow_up", month, "rolling12", crime_group="burglary")
        fu_then = data.share("satisfaction.follow_up", quarter, "rolling12", crime_group="burglary")
        areas = {}
        try:
            rows = data.rows("satisfaction.follow_up", month, "rolling12", ("crime_group", "area"))
            for _, r in rows[rows["crime_group"] == "burglary"].iterrows():
                if r["denominator"]:
                    areas[r["area"]] = Share(
                        int(r["numerator"]), int(r["denominator"]), fmt.month_end(month)
                    )
        except SOFT_ERRORS:
            areas = {}
        return [num.para(narrative.burglary(overall_b, others, fu_now, fu_then, areas))]

    def domestic() -> list[Block]:
        return [
            num.para(
                narrative.domestic_abuse_survey(
                    data.share("satisfaction.da.overall", month, "rolling:9"),
                    data.share("satisfaction.da.follow_up", month, "rolling:9"),
                )
            )
        ]

    def response() -> list[Block]:
        imm = reading(
            data,
            "response.immediate.median_minutes",
            month,
            title="Median minutes to attend immediate grade incidents",
            unit="minutes",
            improvement="decrease",
        )
        prm = reading(
            data,
            "response.prompt.median_minutes",
            month,
            title="Median minutes to attend prompt grade incidents",
            unit="minutes",
            improvement="decrease",
        )
        try:
            dispatch = data.value("response.prompt.median_dispatch_minutes", month)
        except SOFT_ERRORS:
            dispatch = None
        share = data.value("response.immediate_share", month)
        text = narrative.response_grades(
            Median(imm.latest, fmt.month_end(month), imm.previous, imm.special),
            Median(prm.latest, fmt.month_end(month), prm.previous, prm.special),
            dispatch,
            share,
        )
        return [num.para(text), imm.chart, prm.chart, _incident_table(data, month)]

    def incident(category: str) -> Callable[[], list[Block]]:
        def make() -> list[Block]:
            mid = "response.prompt.median_minutes"
            now = data.value(mid, month, call_type_category=category)
            try:
                prev = data.value(mid, fmt.add_months(month, -1), call_type_category=category)
            except SOFT_ERRORS:
                prev = None
            areas = {}
            try:
                rows = data.rows(mid, month, "month", ("call_type_category", "area"))
                for _, r in rows[rows["call_type_category"] == category].iterrows():
                    if pd.notna(r["value"]):
                        areas[r["area"]] = float(r["value"])
            except SOFT_ERRORS:
                areas = {}
            label = INCIDENT_TYPES[category]
            text = narrative.incident_type(label, Median(now, fmt.month_end(month), prev), areas)
            if category == "domestic_abuse":
                text += " " + _delay(data, month, category)
            return [num.para(text)]

        return make

    blocks += guarded("victim satisfaction (overall)", overall)
    blocks += guarded("satisfaction with follow up", follow_up)
    blocks += guarded("satisfaction with ease of contact", ease)
    blocks += guarded("burglary victims' satisfaction", burglary)
    blocks += guarded("domestic abuse survey", domestic)
    blocks += guarded("response times", response)
    blocks += guarded("dwelling burglary response times", incident("burglary_dwelling"))
    blocks += guarded("domestic abuse response times", incident("domestic_abuse"))
    blocks += guarded("delay reasons", lambda: [_delay_chart(data, month)])
    return Section("4.1", "Strategic measures", tuple(blocks))


def _delay(data: MeasureData, month: dt.date, category: str) -> str:
    mid = "response.delay_resourcing_share"
    rows = data.rows(mid, month, "month", ("call_type_category",)).dropna(subset=["value"])
    now = float(rows.loc[rows["call_type_category"] == category, "value"].iloc[0])
    highest = now >= float(rows["value"].max())
    try:
        prev = data.value(mid, fmt.add_months(month, -1), call_type_category=category)
    except SOFT_ERRORS:
        prev = None
    return narrative.delay_resourcing(
        INCIDENT_TYPES[category] + " incident", now, prev, fmt.month_end(month), highest
    )


def _delay_chart(data: MeasureData, month: dt.date) -> charts.Chart:
    rows = data.rows(
        "response.delay_resourcing_share", month, "month", ("call_type_category",)
    ).dropna(subset=["value"])
    df = pd.DataFrame(
        {
            "category": [INCIDENT_TYPES.get(c, c) for c in rows["call_type_category"]],
            "value": rows["value"].astype(float),
        }
    )
    return charts.bar_chart(
        f"Delayed attendances citing non-availability of resources, {fmt.month(month)}",
        df,
        unit="share",
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
    "burglary": "Burglary",
    "violent_crime": "Violent crime",
    "vehicle_crime": "Vehicle crime",
    "hate_crime": "Hate crime",
    "other": "Other crime",
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
        c = compare(now, then)
        change = (
            ("significantly " + c.direction.value) if c.significant else "no significant change"
        )
        rows.append(
            (label, fmt.percent(now.value), fmt.number(now.n), fmt.percent(then.value), change)
        )
    return Table(
        caption=f"Overall satisfaction by crime type, {fmt.window(month)}",
        columns=("Crime type", fmt.month(month), "n", fmt.month(year), "Change (95% test)"),
        rows=tuple(rows),
    )
