"""Victims' Code entitlements, as obligations (see ``docs/victim-care.md`` for the rules).

- **Key-event contact**: every investigation event is followed by a ``key_event`` contact by the
  end of the 1st working day after the event's date for a victim with enhanced entitlement
  (a priority group recorded by the time of the event), the 5th otherwise.
- **Monthly update** while no suspect is identified: an ``update`` or ``key_event`` contact at
  most one calendar month after recording or the previous update.
- **Hub referral**: referred to the Victim and Witness Hub by the end of the 2nd calendar day
  after the recording date, unless the victim declined.
- **Needs assessment**: a ``needs_assessment`` contact by the end of the 5th working day after
  the recording date.
"""

from __future__ import annotations

from forcepack.compliance import rules
from forcepack.compliance.obligations import (
    CONTACTS,
    EVENTS,
    SUSPECTS,
    dimensions,
    enhanced_at,
    select_obligations,
    working_day_deadline,
)
from forcepack.compliance.vcc import chain_sql
from forcepack.contract.derived_compliance import Entitlement
from forcepack.contract.vocab import ContactType
from forcepack.warehouse.sql import lit, lit_list

KEY_EVENT = Entitlement.KEY_EVENT_CONTACT
MONTHLY_UPDATE = Entitlement.MONTHLY_UPDATE
HUB_REFERRAL = Entitlement.HUB_REFERRAL
NEEDS_ASSESSMENT = Entitlement.NEEDS_ASSESSMENT


def key_event_sql() -> str:
    enhanced = enhanced_at("b.event_at")
    n = (
        f"CASE WHEN {enhanced} THEN {rules.ENHANCED_KEY_EVENT_WORKING_DAYS} "
        f"ELSE {rules.STANDARD_KEY_EVENT_WORKING_DAYS} END"
    )
    # each (event, victim) with the first key-event contact at or after the event: the ASOF
    # join keeps every row of its left side, so nothing is joined back
    body = f"""
        WITH ev AS (
            SELECT e.event_id, e.event_type, e.event_at, b.*
            FROM {EVENTS} e JOIN _victims_base b USING (crime_id)
        ),
        kc AS (
            SELECT crime_id, victim_id, contact_at FROM {CONTACTS}
            WHERE contact_type = {lit(ContactType.KEY_EVENT)}
        ),
        firsts AS (
            SELECT ev.*, kc.contact_at AS fulfilled_at
            FROM ev ASOF LEFT JOIN kc
              ON ev.crime_id = kc.crime_id AND ev.victim_id = kc.victim_id
             AND ev.event_at <= kc.contact_at
        )
        SELECT b.crime_id, b.victim_id, {enhanced} AS enhanced,
               b.event_type AS trigger, b.event_id AS trigger_ref, b.event_at AS starts_at,
               d_due.day AS due_date, b.fulfilled_at, NULL::TIMESTAMP AS closes_at,
               {dimensions("b")}
        FROM firsts b
        {working_day_deadline("b.event_at::DATE", n, "d")}
    """
    return select_obligations(KEY_EVENT, body)


def monthly_update_sql() -> str:
    suspects = f"""
        SELECT c.crime_id,
               CASE WHEN ev.first_at IS NOT NULL THEN ev.first_at
                    WHEN s.crime_id IS NOT NULL THEN c.recorded_at END AS suspect_at
        FROM (SELECT DISTINCT crime_id, recorded_at FROM _victims_base) c
        LEFT JOIN (SELECT crime_id, min(event_at) AS first_at FROM {EVENTS}
                   WHERE event_type IN ({lit_list(rules.SUSPECT_EVENTS)})
                   GROUP BY crime_id) ev USING (crime_id)
        LEFT JOIN {SUSPECTS} s USING (crime_id)
    """
    return chain_sql(
        entitlement=MONTHLY_UPDATE,
        eligible="true",
        clock_end="least(b.clock_end, x.suspect_at)",
        contact_filter=f"k.contact_type IN ({lit_list(rules.UPDATE_CONTACT_TYPES)})",
        due_date=f"(ch.anchor_at::DATE + INTERVAL {rules.MONTHLY_UPDATE_MONTHS} MONTH)::DATE",
        closes_at="least(b.outcome_at, b.suspect_at)",
        extra_cte=suspects,
    )


def hub_referral_sql() -> str:
    body = f"""
        SELECT b.crime_id, b.victim_id, {enhanced_at("b.recorded_at")} AS enhanced,
               'recorded' AS trigger, NULL::VARCHAR AS trigger_ref, b.recorded_at AS starts_at,
               b.recorded_at::DATE + {rules.HUB_REFERRAL_DAYS} AS due_date,
               b.hub_referred_at AS fulfilled_at, NULL::TIMESTAMP AS closes_at,
               {dimensions("b")}
        FROM _victims_base b
        WHERE NOT b.hub_referral_declined
    """
    return select_obligations(HUB_REFERRAL, body)


def needs_assessment_sql() -> str:
    body = f"""
        WITH na AS (
            SELECT crime_id, victim_id, min(contact_at) AS fulfilled_at FROM {CONTACTS}
            WHERE contact_type = {lit(ContactType.NEEDS_ASSESSMENT)}
            GROUP BY crime_id, victim_id
        )
        SELECT b.crime_id, b.victim_id, {enhanced_at("b.recorded_at")} AS enhanced,
               'recorded' AS trigger, NULL::VARCHAR AS trigger_ref, b.recorded_at AS starts_at,
               d_due.day AS due_date, na.fulfilled_at, NULL::TIMESTAMP AS closes_at,
               {dimensions("b")}
        FROM _victims_base b
        LEFT JOIN na USING (crime_id, victim_id)
        {working_day_deadline("b.recorded_at::DATE", str(rules.NEEDS_ASSESSMENT_WORKING_DAYS), "d")}
    """
    return select_obligations(NEEDS_ASSESSMENT, body)


def obligation_queries() -> list[tuple[str, str]]:
    """``(entitlement, INSERT-ready SELECT)`` for each Victims' Code entitlement."""
    return [
        (KEY_EVENT, key_event_sql()),
        (MONTHLY_UPDATE, monthly_update_sql()),
        (HUB_REFERRAL, hub_referral_sql()),
        (NEEDS_ASSESSMENT, needs_assessment_sql()),
    ]
