"""Sections 4.2 to 7: national context, headlines, priorities, victim updates, good practice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb

from forcepack.report import format as fmt
from forcepack.report import narrative, narrative_crime
from forcepack.report.build_performance import SOFT_ERRORS, guarded, updates
from forcepack.report.data import MeasureData
from forcepack.report.inputs import Inputs, UpdateSlot
from forcepack.report.model import Block, Gap, Numberer, Paragraph, Section, Table
from forcepack.report.spc_blocks import reading


def national(data: MeasureData, inputs: Inputs) -> Section:
    """4.2: the user's national and regional figures, with the force's own rate beside them."""
    num = Numberer("4.2")
    blocks: list[Block] = []
    if inputs.national is None:
        blocks.append(inputs.national_gap())
    else:
        figures = inputs.national
        rate = None
        if figures:
            try:
                rate = data.value("crime.recorded_per_1000", figures[0].period_end, "rolling12")
            except SOFT_ERRORS:
                rate = None
        blocks += [
            num.para(t) for t in narrative_crime.national(figures, inputs.details.force_name, rate)
        ]
    got = inputs.update(UpdateSlot.NATIONAL_CONTEXT)
    if not isinstance(got, Gap):
        blocks += [num.para(p) for p in got.paragraphs]
    return Section("4.2", "National Context", tuple(blocks))


def _benchmark(data: MeasureData, month: dt.date) -> tuple[str, int]:
    """Rolling 12-month total against the long-term benchmark at ``month``, and the streak."""
    from forcepack.stats import BenchmarkVerdict, long_term_benchmark

    values = data.series("crime.recorded", month).set_index("period_end")["value"].astype(float)
    words = {
        BenchmarkVerdict.HIGHER: "above",
        BenchmarkVerdict.LOWER: "below",
        BenchmarkVerdict.WITHIN: "within",
    }

    def status(end: dt.date) -> str:
        upto = values[values.index <= fmt.month_end(end)].to_numpy()
        return words[long_term_benchmark(upto).verdict]

    now = status(month)
    streak = 1
    while streak < 12:
        try:
            if status(fmt.add_months(month, -streak)) != now:
                break
        except SOFT_ERRORS:
            break
        streak += 1
    return now, streak


def headlines(
    data: MeasureData, con: duckdb.DuckDBPyConnection, month: dt.date, inputs: Inputs
) -> Section:
    """4.3: demand hub, recorded crime, crime management and outcomes."""
    num = Numberer("4.3")
    prev, year = fmt.add_months(month, -1), fmt.add_months(month, -12)
    blocks: list[Block] = []

    def demand() -> list[Block]:
        c999 = (
            int(data.value("demand.calls_999", month)),
            int(data.value("demand.calls_999", prev)),
        )
        s101 = data.series("demand.calls_101", month)
        now101 = int(s101["value"].iloc[-1])
        lowest = now101 <= s101["value"].min()
        highest = now101 >= s101["value"].max()
        text = narrative_crime.calls(c999, (now101, int(s101["value"].iloc[-2])), lowest, highest)
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
        except SOFT_ERRORS:
            pass
        return [num.para(text)]

    def recorded() -> list[Block]:
        by = data.rows("crime.recorded", month, "month", ("district",))
        by_prev = data.rows("crime.recorded", prev, "month", ("district",))
        before = dict(zip(by_prev["district"], by_prev["value"], strict=True))
        districts = {
            r["district"]: (int(r["value"]), int(before[r["district"]])) for _, r in by.iterrows()
        }
        now, last = (
            int(data.value("crime.recorded", month)),
            int(data.value("crime.recorded", prev)),
        )
        text = narrative_crime.recorded_month(now, last, fmt.month_end(month), districts)
        try:
            bench, streak = _benchmark(data, month)
        except (*SOFT_ERRORS, LookupError):
            bench, streak = None, 0
        text += " " + narrative_crime.recorded_year(
            now, int(data.value("crime.recorded", year)), fmt.month_end(month), bench, streak
        )
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
        last12 = data.series(mid, month, 12)["value"].astype(float).tolist()
        text = narrative_crime.outcomes(
            last12[-1],
            last12,
            data.value(mid, month, "rolling12"),
            data.value(mid, prev, "rolling12"),
            fmt.month_end(month),
        )
        return [num.para(text)]

    blocks += guarded("Demand Hub call volumes", demand)
    blocks += updates(inputs, UpdateSlot.DEMAND_HUB, num)
    blocks += guarded("recorded crime", recorded)
    blocks += guarded("crime management", management)
    care = victim_care(con, month)
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
            s = data.series("crime.domestic_abuse", month)
            now = int(s["value"].iloc[-1])
            record = now > s["value"].iloc[:-1].max()
            text = narrative_crime.domestic_abuse_crimes(
                now, int(s["value"].iloc[-2]), fmt.month_end(month), record
            )
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
            text = narrative_crime.child_sexual_abuse(
                int(data.value("crime.child_sexual_abuse", month)),
                int(data.value("crime.child_sexual_abuse", year)),
                fmt.month_end(month),
            )
            try:
                mc = data.rows(
                    "vulnerability.care_home_callouts", month, "rolling:3", ("district",)
                ).sort_values("value", ascending=False)
                top = [d for d in mc["district"].head(2)]
                text += " " + narrative.say(
                    "crime.vulnerability.care_homes", districts=fmt.join(top)
                )
            except SOFT_ERRORS:
                pass
            return [num.para(text)]

        return make

    def sso(num: Numberer) -> Callable[[], list[Block]]:
        def make() -> list[Block]:
            now = int(data.value("crime.serious_sexual", month, "rolling12"))
            then = int(data.value("crime.serious_sexual", year, "rolling12"))
            text = narrative.say(
                "crime.vulnerability.sso",
                now=fmt.number(now),
                window=fmt.window(month),
                then=fmt.number(then),
            )
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


def _harm_blocks(con: duckdb.DuckDBPyConnection, month: dt.date) -> list[Block]:
    try:
        from forcepack.harm import summary as harm_summary
    except ImportError:
        return [
            Gap(
                what="Crime Harm Index summary",
                reason="forcepack.harm is not installed.",
                fix="install a forcepack with the harm capability and rebuild.",
            )
        ]
    try:
        s = harm_summary(con, fmt.month_end(month))
    except (*SOFT_ERRORS, duckdb.Error) as err:
        return [
            Gap(
                what="Crime Harm Index summary",
                reason=f"It could not be computed: {err}.",
                fix="run `forcepack harm build` on the warehouse and rebuild the paper.",
            )
        ]
    parts = [
        narrative.say(
            "crime.harm.total",
            window=fmt.window(month, s.months),
            days=fmt.number(s.total_days),
            victims=fmt.number(s.victims),
        )
    ]
    if s.top_5pct_share is not None:
        parts.append(narrative.say("crime.harm.concentration", share=fmt.percent(s.top_5pct_share)))
    if s.repeat_victim_share is not None:
        parts.append(narrative.say("crime.harm.repeat", share=fmt.percent(s.repeat_victim_share)))
    parts.append(
        narrative.say(
            "crime.harm.lists",
            named=fmt.number(sum(a.victims_on_lists for a in s.areas)),
            top=s.list_top,
        )
    )
    text = " ".join(parts)
    return [Paragraph(text)]


#: Catalogue measures whose definitions match the victim care and harm summaries.
CARE_MEASURES = ("victims.vcc_compliance", "victims.code_compliance", "victims.hub_referral_rate")
HARM_MEASURES = ("harm.total_days", "harm.repeat_victim_share")


def victim_care(con: duckdb.DuckDBPyConnection, month: dt.date) -> Paragraph | Gap:
    """Victim care contract and Victims' Code compliance from ``forcepack.compliance``."""
    what = "victim care compliance"
    fix = "run `forcepack victims build` on the warehouse and rebuild the paper."
    try:
        from forcepack.compliance import summary as care_summary

        s = care_summary(con, fmt.month_end(month))
    except ImportError:
        return Gap(what=what, reason="forcepack.compliance is not installed.", fix=fix)
    except (*SOFT_ERRORS, duckdb.Error) as err:
        return Gap(what=what, reason=f"It could not be computed: {err}.", fix=fix)
    vcc, code = s.vcc_compliance, s.code_compliance
    if not vcc.month.denominator or not code.month.denominator:
        return Gap(
            what=what,
            reason=f"The victim care tables hold no obligations for {fmt.month(month)}.",
            fix=fix,
        )
    text = narrative.say(
        "crime.victim_care.vcc",
        vcc=fmt.percent(vcc.month.value),
        month=fmt.month(month),
        vcc_n=fmt.number(vcc.month.denominator),
        vcc12=fmt.percent(vcc.rolling12.value),
        window=fmt.window(month),
    )
    text += " " + narrative.say(
        "crime.victim_care.code",
        code=fmt.percent(code.month.value),
        month=fmt.month_name(month),
        code_n=fmt.number(code.month.denominator),
        hub=fmt.percent(s.hub_referral_rate.month.value),
    )
    return Paragraph(text)


def victim_updates(
    con: duckdb.DuckDBPyConnection, month: dt.date, inputs: Inputs, data: MeasureData
) -> Section:
    """6.0: Police and Crime Plan outcomes and commitments, with the harm summary."""
    harm = _harm_blocks(con, month)
    if any(isinstance(b, Paragraph) for b in harm):
        data.note_used(*HARM_MEASURES)
    got = inputs.update(UpdateSlot.VICTIM_UPDATES)
    if isinstance(got, Gap):
        return Section("6", "Victim Updates", (got, *harm))
    outcomes = []
    for i, o in enumerate(got.outcomes, start=1):
        subs = []
        for j, c in enumerate(o.commitments, start=1):
            blocks: list[Block] = [Paragraph(p) for p in c.paragraphs]
            if "harm" in c.title.lower():
                blocks += harm
            subs.append(Section(f"6.{i}.{j}", c.title, tuple(blocks), quote_title=True))
        outcomes.append(
            Section(f"6.{i}", o.title, tuple(Paragraph(p) for p in o.paragraphs), tuple(subs))
        )
    lead: tuple[Block, ...] = tuple(Paragraph(p) for p in got.paragraphs)
    if not any("harm" in c.title.lower() for o in got.outcomes for c in o.commitments):
        lead += tuple(harm)
    return Section("6", "Victim Updates", lead, tuple(outcomes))


def good_practice(inputs: Inputs) -> Section:
    """7.0: highlighted good practice, from the force's own update."""
    num = Numberer("7")
    got = inputs.update(UpdateSlot.GOOD_PRACTICE)
    if isinstance(got, Gap):
        return Section("7", "Highlighted Good Practice", (got,))
    blocks = [num.para(narrative.say("paper.good_practice.lead"))]
    blocks += [num.para(p) for p in got.paragraphs]
    return Section("7", "Highlighted Good Practice", tuple(blocks))
