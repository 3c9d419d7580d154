"""Victim care contract (VCC) compliance.

For each victim with a contract (``vcc_agreed`` and ``vcc_contact_days``), contact is due every
``vcc_contact_days`` calendar days while the crime is open. The clock starts at the crime's
recording and restarts at every contact of any type; each gap is one obligation, due at the end
of the day ``vcc_contact_days`` days after the gap opened, and met when the next contact came by
then. A gap is owed only if it fell due before the crime's outcome (or the build's ``as_of`` for
open crimes). A victim is compliant when no gap exceeded the agreed interval (DESIGN.md,
"Compliance"); one over-long gap is one missed contact, however long it lasted.
"""

from __future__ import annotations

from forcepack.compliance.obligations import (
    BASE,
    CONTACTS,
    VK,
    dimensions,
    enhanced_at,
    select_obligations,
)
from forcepack.contract.derived_compliance import Entitlement

ENTITLEMENT = Entitlement.VCC_CONTACT


def chain_sql(
    *,
    entitlement: str,
    eligible: str,
    clock_end: str,
    contact_filter: str,
    due_date: str,
    closes_at: str,
    extra_cte: str = "",
) -> str:
    """Obligations from a chain of contacts: recording, then every contact, up to ``clock_end``.

    ``eligible`` filters ``_victims_base b``; ``due_date`` is an SQL expression over the gap's
    start ``ch.anchor_at`` and ``b``; ``extra_cte`` may define a table ``clock_end`` refers to
    (joined as ``x`` on ``crime_id``), whose columns ``due_date`` and ``closes_at`` then read as
    ``b``'s. Each clock carries its victim's row, so the gaps are not joined to the base again.
    The chain is ordered and joined back by the victim's row number in the base
    (:data:`forcepack.compliance.obligations.VK`) rather than by the two string ids.
    """
    join_x = "LEFT JOIN x USING (crime_id)" if extra_cte else ""
    with_x = f"x AS ({extra_cte})," if extra_cte else ""
    x_cols = ", x.* EXCLUDE (crime_id)" if extra_cte else ""
    body = f"""
        WITH {with_x}
        clocks AS (
            SELECT b.* REPLACE ({clock_end} AS clock_end), b.rowid AS {VK}{x_cols}
            FROM {BASE} b {join_x}
            WHERE {eligible}
        ),
        anchors AS (
            SELECT {VK}, recorded_at AS anchor_at, 'recorded' AS trigger,
                   NULL::VARCHAR AS trigger_ref
            FROM clocks
            UNION ALL
            SELECT c.{VK}, k.contact_at, k.contact_type, k.contact_id
            FROM {CONTACTS} k JOIN clocks c USING (crime_id, victim_id)
            WHERE k.contact_at > c.recorded_at AND k.contact_at <= c.clock_end
              AND {contact_filter}
        ),
        chain AS (
            SELECT *, lead(anchor_at) OVER (PARTITION BY {VK}
                                            ORDER BY anchor_at, trigger_ref NULLS FIRST)
                      AS next_at
            FROM anchors
        )
        SELECT b.crime_id, b.victim_id, {enhanced_at("ch.anchor_at")} AS enhanced,
               ch.trigger, ch.trigger_ref, ch.anchor_at AS starts_at,
               {due_date} AS due_date, ch.next_at AS fulfilled_at,
               {closes_at} AS closes_at, {dimensions("b")}
        FROM chain ch
        JOIN clocks b USING ({VK})
        WHERE ({due_date} + 1)::TIMESTAMP <= b.clock_end
    """
    return select_obligations(entitlement, body)


def obligation_queries() -> list[tuple[str, str]]:
    """``(entitlement, INSERT-ready SELECT)`` for the victim care contract."""
    return [
        (
            ENTITLEMENT,
            chain_sql(
                entitlement=ENTITLEMENT,
                eligible="b.vcc_agreed AND b.vcc_contact_days IS NOT NULL",
                clock_end="b.clock_end",
                contact_filter="true",
                due_date="(ch.anchor_at::DATE + b.vcc_contact_days::INTEGER)",
                closes_at="b.outcome_at",
            ),
        )
    ]
