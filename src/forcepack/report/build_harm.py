"""6.1.6: the Crime Harm Index: how much harm, how concentrated, and how many victims the
neighbourhood lists cover in each area (aggregate figures; the lists themselves are
OFFICIAL-SENSITIVE and never part of the paper)."""

from __future__ import annotations

import datetime as dt

import duckdb

from forcepack.report import format as fmt
from forcepack.report.build_performance import SOFT_ERRORS
from forcepack.report.builders import Context, builder, para
from forcepack.report.model import Block, Gap, Paragraph, Table
from forcepack.report.narrative import say

#: Catalogue measures whose definitions match the harm summary.
HARM_MEASURES = ("harm.total_days", "harm.repeat_victim_share")
_FIX = "run `forcepack harm build` on the warehouse and rebuild the paper."


def harm_blocks(con: duckdb.DuckDBPyConnection, month: dt.date) -> list[Block]:
    """The harm paragraph and the table by area, or a marked gap when the harm tables are
    missing (not built, or built before the latest load)."""
    from forcepack.summaries import harm_summary

    try:
        s = harm_summary(con, fmt.month_end(month))
    except (*SOFT_ERRORS, duckdb.CatalogException) as err:
        # the missing-figure cases: no harm tables, or none for the month
        return [
            Gap(
                what="Crime Harm Index summary",
                reason=f"It could not be computed: {err}.",
                fix=_FIX,
            )
        ]
    window = fmt.window(month, s.months)
    parts = [
        say(
            "victims.harm.total",
            window=window,
            days=fmt.estimate(s.total_days),
            victims=fmt.number(s.victims),
        )
    ]
    if s.top_5pct_share is not None:
        parts.append(say("victims.harm.concentration", share=fmt.percent(s.top_5pct_share)))
    if s.victims and s.repeat_victim_share is not None:
        # repeat_victim_share is the share of victims' HARM suffered in repeat victimisation;
        # the share of victims who were repeat victims is counted separately
        parts.append(
            say(
                "victims.harm.repeat",
                victims=fmt.percent(s.repeat_victims / s.victims),
                harm=fmt.percent(s.repeat_victim_share),
            )
        )
    parts.append(
        say(
            "victims.harm.lists",
            named=fmt.number(sum(a.victims_on_lists for a in s.areas)),
            top=s.list_top,
        )
    )
    table = Table(
        caption=say("victims.harm.caption", window=window),
        columns=(
            say("victims.harm.area"),
            say("victims.harm.days"),
            say("victims.harm.crimes"),
            say("victims.harm.named"),
        ),
        rows=tuple(
            (
                a.name,
                fmt.estimate(a.harm_days),
                fmt.number(a.crimes),
                fmt.number(a.victims_on_lists),
            )
            for a in sorted(s.areas, key=lambda a: a.name)
        ),
        note=say("victims.harm.note"),
    )
    return [Paragraph(" ".join(parts)), table]


@builder(
    "harm.lists", "the Crime Harm Index summary and list coverage by area", measures=HARM_MEASURES
)
def harm_lists(ctx: Context) -> list[Block]:
    """6.1.6: harm, its concentration and the neighbourhood lists' coverage by area."""
    blocks = harm_blocks(ctx.con, ctx.month)
    if any(isinstance(b, Paragraph) for b in blocks):
        ctx.data.note_used(*HARM_MEASURES)
    return [para(b.text) if isinstance(b, Paragraph) else b for b in blocks]
