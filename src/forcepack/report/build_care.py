"""Section 6's victim care figures: Victims' Code compliance per entitlement (under the
commitment on keeping victims informed) and Hub referral (under the Hub commitment).

Aggregate figures only, from :func:`forcepack.compliance.summary`; the split of key event
notifications into enhanced and standard entitlements is one aggregate query over
``victim_care_obligations`` on the same periods. No person id is read or shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from forcepack.report import format as fmt
from forcepack.report.build_performance import SOFT_ERRORS
from forcepack.report.model import Block, Gap, Paragraph, Table
from forcepack.report.narrative import say

#: Words in a commitment's title that place the Victims' Code table and the Hub paragraph.
CODE_TITLE_WORDS = ("kept informed",)
HUB_TITLE_WORDS = ("hub",)
_FIX = "run `forcepack victims build` on the warehouse and rebuild the paper."


@dataclass(frozen=True, slots=True)
class CareBlocks:
    """The Victims' Code blocks (6.1.2) and the Hub referral blocks (6.2)."""

    code: tuple[Block, ...]
    hub: tuple[Block, ...]


def _gaps(reason: str) -> CareBlocks:
    return CareBlocks(
        (Gap(what="Victims' Code compliance by entitlement", reason=reason, fix=_FIX),),
        (Gap(what="Hub referral", reason=reason, fix=_FIX),),
    )


def _key_events(con: duckdb.DuckDBPyConnection, month: dt.date) -> dict[tuple[bool, str], Any]:
    """Key event notifications met and due, by enhanced entitlement, for the month and 12 months
    (the periods of ``forcepack.compliance.summary``)."""
    from forcepack.compliance.periods import month as period
    from forcepack.compliance.periods import months_back

    m = period(month)
    year = months_back(m, 12)
    rows = con.execute(
        """
        SELECT enhanced, 'month', count(*) FILTER (WHERE met), count(*)
        FROM victim_care_obligations
        WHERE entitlement = 'key_event_contact' AND due_date >= ? AND due_date < ?
        GROUP BY ALL
        UNION ALL
        SELECT enhanced, 'rolling12', count(*) FILTER (WHERE met), count(*)
        FROM victim_care_obligations
        WHERE entitlement = 'key_event_contact' AND due_date >= ? AND due_date < ?
        GROUP BY ALL
        """,
        [m.start, m.end, year.start, year.end],
    ).fetchall()
    return {(bool(e), w): (int(num or 0), int(den or 0)) for e, w, num, den in rows}


def _cells(num: int, den: int) -> tuple[str, str]:
    return (fmt.percent(num / den) if den else "–", fmt.number(den))


def care_blocks(con: duckdb.DuckDBPyConnection, month: dt.date) -> CareBlocks:
    """Build the section 6 victim care blocks, or marked gaps when the figures are missing."""
    try:
        from forcepack.compliance import summary as care_summary

        s = care_summary(con, fmt.month_end(month))
        keys = _key_events(con, month)
    except ImportError:
        return _gaps("forcepack.compliance is not installed.")
    except (*SOFT_ERRORS, duckdb.CatalogException) as err:  # tables not built
        return _gaps(f"It could not be computed: {err}.")
    code = s.code_compliance
    if not code.month.denominator:
        return _gaps(f"The victim care tables hold no obligations for {fmt.month(month)}.")
    window = fmt.window(month)
    lead = say(
        "crime.victim_care.code_lead",
        month=fmt.month(month),
        code=fmt.percent(code.month.value),
        code_n=fmt.number(code.month.denominator),
        window=window,
        code12=fmt.percent(code.rolling12.value),
        code12_n=fmt.number(code.rolling12.denominator),
    )
    by = s.code_compliance_by_entitlement
    pairs: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for enhanced, label in ((True, "key_events_enhanced"), (False, "key_events_standard")):
        pairs.append(
            (
                label,
                keys.get((enhanced, "month"), (0, 0)),
                keys.get((enhanced, "rolling12"), (0, 0)),
            )
        )
    for entitlement, label in (
        ("monthly_update", "monthly_updates"),
        ("hub_referral", "hub_referral"),
        ("needs_assessment", "needs_assessment"),
    ):
        p = by[entitlement]
        pairs.append(
            (
                label,
                (p.month.numerator, p.month.denominator),
                (p.rolling12.numerator, p.rolling12.denominator),
            )
        )
    pairs.append(
        (
            "all",
            (code.month.numerator, code.month.denominator),
            (code.rolling12.numerator, code.rolling12.denominator),
        )
    )
    prio = s.priority_identified_at_first_contact
    pairs.append(
        (
            "priority_identified",
            (prio.month.numerator, prio.month.denominator),
            (prio.rolling12.numerator, prio.rolling12.denominator),
        )
    )
    table = Table(
        caption=say("crime.victim_care_table.caption", month=fmt.month(month), window=window),
        columns=(
            say("crime.victim_care_table.entitlement"),
            fmt.month(month),
            say("crime.victim_care_table.due"),
            say("crime.victim_care_table.rolling"),
            say("crime.victim_care_table.due"),
        ),
        rows=tuple(
            (say(f"crime.victim_care_table.{label}"), *_cells(*now), *_cells(*year))
            for label, now, year in pairs
        ),
        note=say("crime.victim_care_table.note"),
    )
    hub_rate, within = s.hub_referral_rate, by["hub_referral"]
    hub = say(
        "crime.victim_care.hub",
        month=fmt.month(month),
        hub=fmt.percent(hub_rate.month.value),
        hub_n=fmt.number(hub_rate.month.denominator),
        hub12=fmt.percent(hub_rate.rolling12.value),
        window=window,
        within=fmt.percent(within.month.value),
        within_n=fmt.number(within.month.denominator),
        within12=fmt.percent(within.rolling12.value),
    )
    return CareBlocks((Paragraph(lead), table), (Paragraph(hub),))
