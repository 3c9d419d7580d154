"""Section 6's victim care figures: Victims' Code compliance per entitlement (under the
commitment on keeping victims informed) and Hub referral (under the Hub commitment).

Aggregate figures only, from :func:`forcepack.summaries.victim_care_summary` (catalogue
measures, the split of key event notifications into enhanced and standard entitlements
included). No person id is read or shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from forcepack.contract.derived_compliance import Entitlement
from forcepack.report import format as fmt
from forcepack.report.build_performance import SOFT_ERRORS
from forcepack.report.model import Block, Gap, Paragraph, Table
from forcepack.report.narrative import say

if TYPE_CHECKING:
    from forcepack.summaries import Pair, Rate

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


def _cells(rate: Rate) -> tuple[str, str]:
    return (fmt.percent(rate.value) if rate.denominator else "–", fmt.number(rate.denominator))


def care_blocks(con: duckdb.DuckDBPyConnection, month: dt.date) -> CareBlocks:
    """Build the section 6 victim care blocks, or marked gaps when the figures are missing."""
    try:
        from forcepack.summaries import victim_care_summary

        s = victim_care_summary(con, fmt.month_end(month))
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
    pairs: list[tuple[str, Pair]] = [
        ("key_events_enhanced", s.key_event_contact_enhanced),
        ("key_events_standard", s.key_event_contact_standard),
        ("monthly_updates", by[Entitlement.MONTHLY_UPDATE]),
        ("hub_referral", by[Entitlement.HUB_REFERRAL]),
        ("needs_assessment", by[Entitlement.NEEDS_ASSESSMENT]),
        ("all", code),
        ("priority_identified", s.priority_identified_at_first_contact),
    ]
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
            (say(f"crime.victim_care_table.{label}"), *_cells(p.month), *_cells(p.rolling12))
            for label, p in pairs
        ),
        note=say("crime.victim_care_table.note"),
    )
    hub_rate, within = s.hub_referral_rate, by[Entitlement.HUB_REFERRAL]
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
