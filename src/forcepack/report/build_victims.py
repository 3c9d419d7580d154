"""Sections 6 and 7 and the victim care paragraph: Police and Crime Plan outcomes and their
commitments, the Crime Harm Index summary, victim care compliance and good practice.

Section 6 places the aggregate figures under the commitment they answer: the harm summary under
the first commitment whose title mentions harm, the Victims' Code table under the one on keeping
victims informed, Hub referral under the one on the Hub; at the start of section 6 otherwise."""

from __future__ import annotations

import datetime as dt

import duckdb

from forcepack.contract.derived_compliance import Entitlement
from forcepack.report import format as fmt
from forcepack.report import narrative
from forcepack.report.build_care import CODE_TITLE_WORDS, HUB_TITLE_WORDS, care_blocks
from forcepack.report.build_harm import HARM_MEASURES, harm_blocks
from forcepack.report.build_performance import SOFT_ERRORS
from forcepack.report.builders import Context, builder, para, section_builder
from forcepack.report.inputs import UpdateSlot
from forcepack.report.model import Block, Gap, Paragraph, Section

#: Catalogue measures whose definitions match the victim care and harm summaries.
CARE_MEASURES = (
    "victims.vcc_compliance",
    "victims.code_compliance",
    "victims.key_event_contact_rate",  # the code sentence's key events, when any fell due
    "victims.hub_referral_rate",
)


def victim_care(con: duckdb.DuckDBPyConnection, month: dt.date) -> Paragraph | Gap:
    """Victim care contract and Victims' Code compliance (``forcepack.summaries``)."""
    what = "victim care compliance"
    fix = "run `forcepack victims build` on the warehouse and rebuild the paper."
    try:
        from forcepack.summaries import victim_care_summary

        s = victim_care_summary(con, fmt.month_end(month))
    except ImportError:
        return Gap(what=what, reason="forcepack.compliance is not installed.", fix=fix)
    except (*SOFT_ERRORS, duckdb.CatalogException) as err:  # tables not built
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
    # "key events notified within time" counts key event obligations only, not every
    # Victims' Code entitlement
    keys = s.code_compliance_by_entitlement.get(Entitlement.KEY_EVENT_CONTACT)
    key_events = keys is not None and keys.month.denominator
    sentence, shown = ("code", keys) if key_events else ("code_all", code)
    assert shown is not None
    text += " " + narrative.say(
        f"crime.victim_care.{sentence}",
        code=fmt.percent(shown.month.value),
        month=fmt.month_name(month),
        code_n=fmt.number(shown.month.denominator),
        hub=fmt.percent(s.hub_referral_rate.month.value),
    )
    return Paragraph(text)


@section_builder(
    "victims.updates",
    "Police and Crime Plan outcomes and commitments, with the harm and victim care figures",
)
def victim_updates(ctx: Context, number: str) -> Section:
    """6: Police and Crime Plan outcomes and commitments, with the harm summary."""
    con, month, inputs, data = ctx.con, ctx.month, ctx.inputs, ctx.data
    harm = harm_blocks(con, month)
    if any(isinstance(b, Paragraph) for b in harm):
        data.note_used(*HARM_MEASURES)
    care = care_blocks(con, month)
    got = inputs.update(UpdateSlot.VICTIM_UPDATES)
    if isinstance(got, Gap):
        return Section(number, "Victim Updates", (got, *harm, *care.code, *care.hub))
    titles = [c.title.lower() for o in got.outcomes for c in o.commitments]
    placed = {
        "harm": _first(titles, ("harm",)),
        "code": _first(titles, CODE_TITLE_WORDS),
        "hub": _first(titles, HUB_TITLE_WORDS),
    }
    extra = {"harm": tuple(harm), "code": care.code, "hub": care.hub}
    outcomes = []
    k = 0
    for i, o in enumerate(got.outcomes, start=1):
        subs = []
        for j, c in enumerate(o.commitments, start=1):
            blocks: list[Block] = [Paragraph(p) for p in c.paragraphs]
            blocks += [b for key, at in placed.items() if at == k for b in extra[key]]
            k += 1
            subs.append(Section(f"{number}.{i}.{j}", c.title, tuple(blocks), quote_title=True))
        outcomes.append(
            Section(
                f"{number}.{i}", o.title, tuple(Paragraph(p) for p in o.paragraphs), tuple(subs)
            )
        )
    lead: tuple[Block, ...] = tuple(Paragraph(p) for p in got.paragraphs)
    lead += tuple(b for key, at in placed.items() if at is None for b in extra[key])
    return Section(number, "Victim Updates", lead, tuple(outcomes))


def _first(titles: list[str], words: tuple[str, ...]) -> int | None:
    """The index of the first commitment title holding one of ``words``, or None."""
    return next((i for i, t in enumerate(titles) if any(w in t for w in words)), None)


@builder("paper.good_practice.lead", "the introduction to the force's good practice")
def good_practice_lead(ctx: Context) -> list[Block]:
    """7: the lead sentence, when the force has written its good practice update."""
    if isinstance(ctx.inputs.update(UpdateSlot.GOOD_PRACTICE), Gap):
        return []
    return [para(narrative.say("paper.good_practice.lead"))]
