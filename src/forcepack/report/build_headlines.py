"""Sections 4.2 to 5: national context, performance headlines and priority updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb

from forcepack.report import format as fmt
from forcepack.report import narrative, narrative_crime
from forcepack.report.assessed import assessment, benchmark_streak
from forcepack.report.build_performance import SOFT_ERRORS, guarded, updates
from forcepack.report.build_victims import CARE_MEASURES, victim_care
from forcepack.report.data import MeasureData
from forcepack.report.facts import Share
from forcepack.report.inputs import Inputs, UpdateSlot
from forcepack.report.model import Block, Gap, Numberer, Paragraph, Section, Table
from forcepack.report.spc_blocks import reading


def part_gap(what: str, err: Exception | str) -> Gap:
    """A marked gap for one sentence of a paragraph whose figures could not be computed, so the
    paper shows what is missing instead of silently dropping the sentence."""
    return Gap(
        what=what,
        reason=f"This sentence was left out: {err}.",
        fix="check that the warehouse holds data for the reporting month and that "
        "`forcepack measures compute` runs for the measure named.",
    )


def national(data: MeasureData, inputs: Inputs) -> Section:
    """4.2: the user's national and regional figures, with the force's own rate beside them."""
    num = Numberer("4.2")
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
            num.para(t) for t in narrative_crime.national(figures, inputs.details.force_name, rate)
        ]
        if missing is not None and any(f.unit == "per_1000" for f in figures):
            blocks.append(missing)  # the rates are given without the force's own beside them
    got = inputs.update(UpdateSlot.NATIONAL_CONTEXT)
    if not isinstance(got, Gap):
        blocks += [num.para(p) for p in got.paragraphs]
    return Section("4.2", "National Context", tuple(blocks))


FLAG_LABELS = {
    "domestic_abuse": "domestic abuse",
    "hate_crime": "hate crime",
    "child_sexual_abuse": "child sexual abuse",
    "child_sexual_exploitation": "child sexual exploitation",
    "serious_sexual_offence": "serious sexual offences",
}


def headlines(
    data: MeasureData, con: duckdb.DuckDBPyConnection, month: dt.date, inputs: Inputs
) -> Section:
    """4.3: demand hub, recorded crime, crime management and outcomes."""
    num = Numberer("4.3")
    prev, year = fmt.add_months(month, -1), fmt.add_months(month, -12)
    blocks: list[Block] = []

    def demand() -> list[Block]:
        text = narrative_crime.calls(
            assessment(data, "demand.calls_999", month, kind="count", polarity="neutral"),
            assessment(data, "demand.calls_101", month, kind="count", polarity="neutral"),
            fmt.month_end(month),
        )
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
            return [num.para(text), part_gap("secondary call abandonment", err)]
        return [num.para(text)]

    def recorded() -> list[Block]:
        by = data.rows("crime.recorded", month, "month", ("district",))
        by_prev = data.rows("crime.recorded", prev, "month", ("district",))
        before = dict(zip(by_prev["district"], by_prev["value"], strict=True))
        districts = {
            r["district"]: (int(r["value"]), int(before[r["district"]])) for _, r in by.iterrows()
        }
        a = assessment(
            data, "crime.recorded", month, kind="count", polarity="neutral", by=("district",)
        )
        text = narrative_crime.recorded_month(a, fmt.month_end(month), len(districts))
        streak = 0
        if a.benchmark is not None:
            streak = benchmark_streak(data, "crime.recorded", month, a.benchmark.verdict)
        text += " " + narrative_crime.recorded_year(a, fmt.month_end(month), streak)
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
            data,
            "crime.recorded",
            month,
            title="Recorded crime per month",
            unit="count",
            improvement="neutral",
        )
        return [num.para(text), table, spc.chart]

    def management() -> list[Block]:
        avg = data.value("investigations.average_length_days", month)
        avg_prev = data.value("investigations.average_length_days", prev)
        overdue = data.value("investigations.overdue_reviews", month)
        text = narrative.say(
            "crime.management.investigations",
            avg=f"{avg:,.0f}",
            month=fmt.month(month),
            avg_prev=f"{avg_prev:,.0f}",
            overdue=fmt.number(overdue),
        )
        return [num.para(text)]

    def outcomes() -> list[Block]:
        mid = "outcomes.prosecution_possible_rate"
        rate = assessment(
            data, mid, month, kind="rate", polarity="higher_is_better", record_months=12
        )
        before11 = data.series(mid, month, 12)["value"].astype(float).iloc[:-1]
        text = narrative_crime.outcomes(
            rate,
            float(before11.min()) if len(before11) else rate.value,
            float(before11.max()) if len(before11) else rate.value,
            data.share(mid, month, "rolling12"),
            data.share(mid, prev, "rolling12"),
            fmt.month_end(month),
        )
        flags: dict[str, tuple[Share, Share]] = {}
        unmet: list[str] = []
        for flag, label in FLAG_LABELS.items():
            try:
                flags[label] = (
                    data.share(mid, month, "rolling12", crime_flag=flag),
                    data.share(mid, year, "rolling12", crime_flag=flag),
                )
            except SOFT_ERRORS as err:
                unmet.append(f"{label} ({err})")
        if flags:
            text += " " + narrative_crime.outcome_flags(flags)
        blocks_: list[Block] = [num.para(text)]
        if flags:
            blocks_.append(
                Table(
                    caption=f"Prosecution possible outcome rate by crime type, {fmt.window(month)}",
                    columns=("Crime type", fmt.month(month), "Outcomes", fmt.month(year)),
                    rows=tuple(
                        (k, fmt.percent(a.value), fmt.number(a.n), fmt.percent(b.value))
                        for k, (a, b) in flags.items()
                    ),
                    note=narrative.say("paper.tables.outcomes_note"),
                )
            )
        if unmet:
            what = "the prosecution possible outcome rate by crime type"
            blocks_.append(part_gap(what, "no figures for " + "; ".join(unmet)))
        return blocks_

    blocks += guarded("Demand Hub call volumes", demand)
    blocks += updates(inputs, UpdateSlot.DEMAND_HUB, num)
    blocks += guarded("recorded crime", recorded)
    blocks += guarded("crime management", management)
    care = victim_care(con, month)  # from forcepack.compliance, or a marked gap
    if isinstance(care, Paragraph):
        blocks.append(num.para(care.text))
        data.note_used(*CARE_MEASURES)
    else:
        blocks.append(care)
    blocks += updates(inputs, UpdateSlot.CRIME_MANAGEMENT, num)
    blocks += guarded("prosecution possible outcome rate", outcomes)
    blocks += updates(inputs, UpdateSlot.OUTCOMES, num)
    return Section("4.3", "Performance Headlines and Department Updates", tuple(blocks))


def priorities(data: MeasureData, month: dt.date, inputs: Inputs) -> Section:
    """5.0: domestic abuse; child abuse and exploitation; serious sexual offences."""
    year = fmt.add_months(month, -12)

    def da(num: Numberer) -> Callable[[], list[Block]]:
        def make() -> list[Block]:
            a = assessment(data, "crime.domestic_abuse", month, kind="count", polarity="neutral")
            text = narrative_crime.domestic_abuse_crimes(a, fmt.month_end(month))
            spc = reading(
                data,
                "crime.domestic_abuse",
                month,
                title="Domestic abuse crimes recorded per month",
                unit="count",
                improvement="neutral",
            )
            return [num.para(text), spc.chart]

        return make

    def csa(num: Numberer) -> Callable[[], list[Block]]:
        def make() -> list[Block]:
            a = assessment(
                data, "crime.child_sexual_abuse", month, kind="count", polarity="neutral"
            )
            text = narrative_crime.child_sexual_abuse(a, fmt.month_end(month))
            try:
                mc = data.rows(
                    "vulnerability.care_home_callouts", month, "rolling:3", ("district",)
                ).sort_values("value", ascending=False)
                top = [d for d in mc["district"].head(2)]
                text += " " + narrative.say(
                    "crime.vulnerability.care_homes", districts=fmt.join(top)
                )
            except SOFT_ERRORS as err:
                return [num.para(text), part_gap("police call-outs to children's homes", err)]
            return [num.para(text)]

        return make

    def sso(num: Numberer) -> Callable[[], list[Block]]:
        def make() -> list[Block]:
            now = int(data.value("crime.serious_sexual", month, "rolling12"))
            then = int(data.value("crime.serious_sexual", year, "rolling12"))
            text = narrative_crime.serious_sexual_offences(now, then, month)
            try:
                mid = "outcomes.prosecution_possible_rate"
                text += " " + narrative_crime.sso_outcomes(
                    data.share(mid, month, "rolling12", crime_flag="serious_sexual_offence"),
                    data.share(mid, year, "rolling12", crime_flag="serious_sexual_offence"),
                )
            except SOFT_ERRORS as err:
                gap = part_gap("the serious sexual offences outcome rate", err)
                return [num.para(text), gap]
            return [num.para(text)]

        return make

    subs = []
    for i, (title, slot, maker) in enumerate(
        (
            ("Domestic Abuse", UpdateSlot.DOMESTIC_ABUSE, da),
            ("Child Abuse and Child Exploitation", UpdateSlot.CHILD_ABUSE, csa),
            ("Serious Sexual Offences", UpdateSlot.SERIOUS_SEXUAL_OFFENCES, sso),
        ),
        start=1,
    ):
        num = Numberer(f"5.{i}")
        blocks = guarded(title.lower(), maker(num)) + updates(inputs, slot, num)
        subs.append(Section(f"5.{i}", title, tuple(blocks)))
    return Section("5", "Priority Updates", subsections=tuple(subs))
