"""Section 6's figures, one builder per Police and Crime Plan commitment they answer.

Each builder reads catalogue measures (or, for the harm and victim care summaries, the
aggregate functions of ``forcepack.harm`` and ``forcepack.compliance``); no person id is read
or shown. Every word of direction or trend comes from a claim (:meth:`Context.claim`): a share
is read on its Laney p' chart over the monthly numerators and denominators, a count against a
year earlier by the series' own variation, a long-term trend by the Mann-Kendall test over the
last :data:`~forcepack.stats.constants.TREND_WINDOW_MONTHS` months.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from forcepack.report import charts
from forcepack.report import format as fmt
from forcepack.report.assessed import assessment, judge_count, judge_share, share_reading
from forcepack.report.build_care import care_blocks
from forcepack.report.builders import Context, builder, para
from forcepack.report.data import MissingFigure
from forcepack.report.facts import Share
from forcepack.report.model import Block, Chart, Gap, Paragraph, Table
from forcepack.report.narrative import say
from forcepack.report.spc_blocks import SPC_KIND
from forcepack.report.units import unit_of
from forcepack.settings import SUPPRESSION_THRESHOLD
from forcepack.stats import SpcResult, TrendResult, trend
from forcepack.stats import constants as C

#: Civil order types in the order the paper lists them (``civil_orders.order_type``).
ORDER_TYPES = ("DVPN", "DVPO", "SPO", "SHPO", "DVDS_ask", "DVDS_tell")


def _share(ctx: Context, measure_id: str, window: str = "month", **cut: str) -> Share:
    return ctx.data.share(measure_id, ctx.month, window, **cut)


def latest_trend(ctx: Context, measure_id: str) -> TrendResult | None:
    """The Mann-Kendall trend of the last TREND_WINDOW_MONTHS monthly values to the reporting
    month, or None when the series is shorter or does not reach the month (not yet claimed)."""
    months = C.TREND_WINDOW_MONTHS
    s = ctx.data.series(measure_id, ctx.month, months)
    if len(s) < months or fmt.month_end(s["period_end"].iloc[-1]) != fmt.month_end(ctx.month):
        return None
    return trend(s["value"].to_numpy(dtype=float), pd.to_datetime(s["period_end"]))


def claimed_trend(ctx: Context, measure_id: str, words: str = "trend") -> tuple[str, int] | None:
    """The claimed trend phrase over the last TREND_WINDOW_MONTHS monthly values, or None
    when the series is shorter."""
    result = latest_trend(ctx, measure_id)
    if result is None:
        return None
    return ctx.claim(result, measure_id=measure_id, words=words), C.TREND_WINDOW_MONTHS


def _month_words(ctx: Context) -> dict[str, str]:
    return {
        "month": fmt.month(ctx.month),
        "month_name": fmt.month_name(ctx.month),
        "window": fmt.window(ctx.month),
    }


def _share_lead(ctx: Context, mid: str, sentences: str) -> str:
    """The ``victims.<sentences>.lead`` sentence: the month's share and the 12 months', with
    the month judged on its p' chart."""
    now, year = _share(ctx, mid), _share(ctx, mid, "rolling12")
    return say(
        f"victims.{sentences}.lead",
        **_month_words(ctx),
        share=fmt.percent(now.value),
        n=fmt.number(now.n),
        share12=fmt.percent(year.value),
        n12=fmt.number(year.n),
        judgement=judge_share(ctx, mid),
    )


@builder(
    "victims.priority_identified",
    "priority-group victims identified at first contact",
    measures=("victims.priority_identified_at_first_contact",),
)
def priority_identified(ctx: Context) -> list[Block]:
    """6.1.1: the share of priority-group victims identified on the day of recording."""
    return [para(_share_lead(ctx, "victims.priority_identified_at_first_contact", "priority"))]


@builder(
    "victims.care_contract",
    "victim care contract compliance",
    measures=("victims.vcc_compliance",),
)
def care_contract(ctx: Context) -> list[Block]:
    """6.1.2: victim care contract compliance, the month, 12 months and by area."""
    mid = "victims.vcc_compliance"
    text = _share_lead(ctx, mid, "vcc")
    areas = ctx.data.rows(mid, ctx.month, "rolling12", ("area",)).sort_values("area")
    parts = [
        say(
            "victims.vcc.area",
            area=str(r["area"]),
            share=fmt.percent(float(r["value"])),
            n=fmt.number(int(r["denominator"])),
        )
        for _, r in areas.iterrows()
        if pd.notna(r["value"]) and r["denominator"]
    ]
    if parts:
        text += " " + say("victims.vcc.areas", window=fmt.window(ctx.month), areas=fmt.join(parts))
    return [para(text)]


def _counts(ctx: Context, window: str, month: dt.date) -> dict[str, int]:
    rows = ctx.data.rows("vulnerability.civil_orders", month, window, ("order_type",))
    return {str(r["order_type"]): int(r["value"] or 0) for _, r in rows.iterrows()}


@builder(
    "vulnerability.civil_orders",
    "civil orders and disclosure scheme applications",
    measures=("vulnerability.civil_orders",),
)
def civil_orders(ctx: Context) -> list[Block]:
    """6.1.4: civil orders by type: the month, 12 months, the 12 months before, and a chart."""
    mid, month = "vulnerability.civil_orders", ctx.month
    then = fmt.add_months(month, -12)
    total = int(ctx.data.value(mid, month))
    total_then = int(ctx.data.value(mid, then))
    total12 = int(ctx.data.value(mid, month, "rolling12"))
    total12_then = int(ctx.data.value(mid, then, "rolling12"))
    words = {
        **_month_words(ctx),
        "total": fmt.number(total),
        "total_then": fmt.number(total_then),
        "total12": fmt.number(total12),
        "total12_then": fmt.number(total12_then),
    }
    a = assessment(ctx.data, mid, month)
    if (
        a.last_year is None
        or a.last_year.count is None
        or min(total, total_then) < SUPPRESSION_THRESHOLD
    ):
        text = say("victims.civil_orders.lead_small", **words)
    else:
        judgement, _ = judge_count(ctx, a.last_year, mid, "count_year")
        text = say("victims.civil_orders.lead", **words, judgement=judgement)
    m, y = _counts(ctx, "month", month), _counts(ctx, "rolling12", month)
    y_then = _counts(ctx, "rolling12", then)
    types = [t for t in ORDER_TYPES if y.get(t) or y_then.get(t) or m.get(t)]
    rows: list[tuple[str, ...]] = [
        (
            say(f"victims.civil_orders.{t}"),
            fmt.number(m.get(t, 0)),
            fmt.number(y.get(t, 0)),
            fmt.number(y_then.get(t, 0)),
        )
        for t in types
    ]
    rows.append(
        (
            say("victims.civil_orders.total"),
            *(fmt.number(v) for v in (total, total12, total12_then)),
        )
    )
    table = Table(
        caption=say("victims.civil_orders.caption"),
        columns=(
            say("victims.civil_orders.type"),
            fmt.month(month),
            say("victims.civil_orders.window_col", month=fmt.month(month)),
            say("victims.civil_orders.then_col", then=fmt.month(then)),
        ),
        rows=tuple(rows),
        note=say("victims.civil_orders.note"),
    )
    chart = charts.bar_chart(
        say("victims.civil_orders.caption"),
        pd.DataFrame(
            {
                "category": [t.replace("_", " ") for t in types],
                "value": [y.get(t, 0) for t in types],
            }
        ),
        unit=unit_of(mid),
        subtitle=say("victims.civil_orders.subtitle", month=fmt.month(month)),
        x_title="Applications",
    )
    return [para(text), table, chart]


@builder(
    "investigations.da_bail",
    "domestic abuse bail and release under investigation",
    measures=("investigations.da_bail_share",),
)
def da_bail(ctx: Context) -> list[Block]:
    """6.1.5: the share of domestic abuse suspects bailed rather than released under
    investigation: the month (on its p' chart), the 12 months and the 24-month trend."""
    mid, month = "investigations.da_bail_share", ctx.month
    prev = fmt.add_months(month, -1)
    now, year = _share(ctx, mid), _share(ctx, mid, "rolling12")
    before = ctx.data.share(mid, prev)
    phrase, result = share_reading(ctx, mid)
    text = say(
        "victims.bail.lead",
        **_month_words(ctx),
        share=fmt.percent(now.value),
        n=fmt.number(now.n),
        previous=fmt.percent(before.value),
        previous_month=fmt.month_name(prev),
        share12=fmt.percent(year.value),
        judgement=phrase,
    )
    got = claimed_trend(ctx, mid)
    if got is not None:
        text += " " + say("victims.bail.trend", months=got[1], judgement=got[0])
    return [para(text), share_chart(result, mid, "victims.bail", phrase)]


def share_chart(result: SpcResult, measure_id: str, sentences: str, phrase: str) -> Chart:
    """A share drawn on the chart its month was judged on (:func:`share_reading`'s, a p'
    chart for a share or rate): the monthly values, the centre line and the process limits
    (so the axis is never narrower than the variation the judgement allows), in the
    measure's unit, with the reading as its caption."""
    pts = result.points
    frame = pd.DataFrame(
        {
            "period_end": pd.to_datetime(pts["date"]).dt.date,
            "value": pts["value"],
            "mean": pts["mean"],
            "ucl": pts["upl"],
            "lcl": pts["lpl"],
            "kind": [SPC_KIND.get(str(t), "common") for t in pts["point_type"]],
        }
    )
    return charts.spc_chart(
        say(f"{sentences}.caption"),
        frame,
        unit=unit_of(measure_id),
        caption=say(f"{sentences}.subtitle") + ". " + phrase[0].upper() + phrase[1:] + ".",
    )


@builder(
    "vulnerability.missing_children",
    "missing children reports and missing-person episodes from care homes",
    measures=("vulnerability.missing_children", "vulnerability.care_home_callouts"),
)
def missing_children(ctx: Context) -> list[Block]:
    """6.1.7: missing children reports (12 months, the long-term trend, a chart) and the
    missing-person episodes from children's care homes by district."""
    mid, month = "vulnerability.missing_children", ctx.month
    then = fmt.add_months(month, -12)
    text = say(
        "victims.missing.lead",
        **_month_words(ctx),
        now=fmt.number(ctx.data.value(mid, month, "rolling12")),
        then=fmt.number(ctx.data.value(mid, then, "rolling12")),
        month_n=fmt.number(ctx.data.value(mid, month)),
    )
    got = claimed_trend(ctx, mid)
    if got is not None:
        text += " " + say("victims.missing.trend", months=got[1], judgement=got[0])
    s = ctx.data.series(mid, month, 36)
    chart = charts.trend_chart(
        say("victims.missing.chart_caption"),
        pd.DataFrame({"period_end": s["period_end"], "series": "Reports", "value": s["value"]}),
        unit=unit_of(mid),
        subtitle=say("victims.missing.chart_subtitle"),
        y_title="Reports per month",
    )
    blocks: list[Block] = [para(text), chart]
    care = "vulnerability.care_home_callouts"
    try:
        three = ctx.data.rows(care, month, "rolling:3", ("district",))
        twelve = ctx.data.rows(care, month, "rolling12", ("district",))
    except MissingFigure as err:
        return [*blocks, _part_gap("missing-person episodes from children’s care homes", err)]
    year = {str(r["district"]): int(r["value"] or 0) for _, r in twelve.iterrows()}
    three = three.assign(v=three["value"].fillna(0)).sort_values(
        ["v", "district"], ascending=[False, True]
    )
    top = [str(d) for d in three["district"].head(2)]
    blocks.append(para(say("victims.missing.care", districts=fmt.join(top))))
    blocks.append(
        Table(
            caption=say("victims.missing.caption"),
            columns=(
                say("victims.missing.district"),
                say("victims.missing.three", month=fmt.month(month)),
                say("victims.missing.twelve", month=fmt.month(month)),
            ),
            rows=tuple(
                (
                    str(r["district"]),
                    fmt.number(int(r["v"])),
                    fmt.number(year.get(str(r["district"]), 0)),
                )
                for _, r in three.iterrows()
            ),
            note=say("victims.missing.note"),
        )
    )
    return blocks


def _part_gap(what: str, err: Exception) -> Gap:
    return Gap(
        what=what,
        reason=f"This part was left out: {err}.",
        fix="check that the warehouse holds data for the reporting month and that "
        "`forcepack measures compute` runs for the measure named.",
    )


@builder(
    "victims.hub_referral",
    "referral to the Victim and Witness Hub",
    measures=("victims.hub_referral_rate", "victims.hub_referral_within_2_days"),
)
def hub_referral(ctx: Context) -> list[Block]:
    """6.2.2: the Hub referral rate; the month on its p' chart and the 24-month trend are
    judged on referrals within 2 days (an obligation counts once its deadline has passed), not
    on the rate at any time, whose latest weeks are still filling as referrals are made."""
    care = care_blocks(ctx.con, ctx.month)
    if any(isinstance(b, Gap) for b in care.hub):
        return list(care.hub)
    mid = "victims.hub_referral_within_2_days"
    month_phrase = judge_share(ctx, mid)
    got = claimed_trend(ctx, mid)
    blocks: list[Block] = [para(b.text) if isinstance(b, Paragraph) else b for b in care.hub]
    if got is not None:
        blocks.append(
            para(
                say(
                    "victims.hub.trend",
                    months=got[1],
                    judgement=got[0],
                    month_name=fmt.month_name(ctx.month),
                    judgement_month=month_phrase,
                )
            )
        )
    return blocks


@builder(
    "victims.code_compliance",
    "Victims' Code compliance by entitlement",
    measures=(
        "victims.code_compliance",
        "victims.key_event_contact_rate.enhanced",
        "victims.key_event_contact_rate.standard",
        "victims.monthly_update_rate",
        "victims.hub_referral_within_2_days",
        "victims.needs_assessment_rate",
    ),
)
def code_compliance(ctx: Context) -> list[Block]:
    """6.3.2: Victims' Code compliance per entitlement, the month and 12 months."""
    care = care_blocks(ctx.con, ctx.month)
    ctx.data.note_used("victims.code_compliance")
    return [para(b.text) if isinstance(b, Paragraph) else b for b in care.code]
