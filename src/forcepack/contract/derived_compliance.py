"""Derived tables built by ``forcepack.compliance`` (victim care and Victims' Code compliance).

Declared here, as part of the one contract, so that the measure catalogue can validate measures
over them and the docs list them. ``forcepack victims build`` (``compliance.build``) rebuilds all
three from the force tables; the rules are in ``docs/victim-care.md``.
"""

from __future__ import annotations

from enum import StrEnum

from forcepack.contract.columns import (
    CRIME_REF,
    PRIORITY_GROUP_COPY,
    VICTIM_ID,
    crime_flag_columns,
    foreign_key,
)
from forcepack.contract.types import DT, INT, TABLES, TS, B, Column, Role, S, Table, register
from forcepack.contract.vocab import CRIME_STATUSES, values


class Entitlement(StrEnum):
    """What a victim is owed (``victim_care_obligations.entitlement``)."""

    VCC_CONTACT = "vcc_contact"  # victim care contract: a contact within the agreed interval
    KEY_EVENT_CONTACT = "key_event_contact"  # Victims' Code: told of a key event in time
    MONTHLY_UPDATE = "monthly_update"  # Victims' Code: monthly update while no suspect
    HUB_REFERRAL = "hub_referral"  # Victims' Code: referred to the Hub within 2 days
    NEEDS_ASSESSMENT = "needs_assessment"  # Victims' Code: needs assessed in 5 working days


ENTITLEMENTS = values(Entitlement)
#: Entitlements that make up Victims' Code compliance (the VCC is the force's own contract).
CODE_ENTITLEMENTS = ENTITLEMENTS[1:]

#: Crime columns copied onto every compliance row so measures cut by them without a join.
DIMENSIONS = (
    foreign_key("districts", "district_code", "District of the crime"),
    Column("area", S, "Policing area of the district"),
    Column("owning_unit", S, "Unit that owns the investigation"),
    foreign_key("offences", "offence_code", "Offence classification of the crime"),
    *crime_flag_columns(copied=True),
)

_add = register


_add(
    Table(
        "working_days",
        Role.DERIVED,
        "England and Wales calendar: working days (Monday to Friday, not a bank holiday) and "
        "a running count of them, for working-day deadlines.",
        (
            Column("day", DT, "Calendar day", nullable=False),
            Column("is_working_day", B, "Monday to Friday and not a bank holiday", nullable=False),
            Column(
                "working_day_index",
                INT,
                "Working days from the start of the table up to and "
                "including this day; the Nth working day after D has index(D) + N",
                nullable=False,
            ),
            Column("bank_holiday", S, "Bank holiday name (null = not a bank holiday)"),
        ),
        key=("day",),
        date_column="day",
    )
)
_add(
    Table(
        "victim_care_obligations",
        Role.DERIVED,
        "One row per thing a victim was owed and whose deadline has passed (a contact, an "
        "update, a Hub referral, a needs assessment): when it fell due and whether it was met.",
        (
            Column(
                "obligation_id",
                S,
                "entitlement:crime_id:victim_id:what started the clock",
                nullable=False,
                # a function of the row, so not stored: stored, it made the demo's table 124 MB
                # on disk against 80 MB without it
                generated="entitlement || ':' || crime_id || ':' || victim_id || ':' "
                "|| coalesce(trigger_ref, 'recorded')",
            ),
            CRIME_REF,
            VICTIM_ID,
            Column("entitlement", S, "What was owed", nullable=False, enum=ENTITLEMENTS),
            Column(
                "code_entitlement",
                B,
                "Part of Victims' Code compliance (all but the VCC)",
                nullable=False,
            ),
            Column(
                "enhanced",
                B,
                "Enhanced entitlement applied (a priority group recorded "
                "by the time the clock started)",
                nullable=False,
            ),
            Column(
                "trigger",
                S,
                "What started the clock: an event type, 'recorded', or the previous contact's type",
                nullable=False,
            ),
            Column(
                "trigger_ref",
                S,
                "event_id or contact_id that started the clock (null = the crime's recording)",
            ),
            Column("starts_at", TS, "When the clock started", nullable=False),
            Column("due_date", DT, "Last day on which the obligation could be met", nullable=False),
            Column(
                "due_at",
                TS,
                "Deadline instant: 00:00 after the due date; a contact at "
                "exactly this instant is in time",
                nullable=False,
            ),
            Column(
                "due_month",
                DT,
                "First day of the month of the due date (the reporting month)",
                nullable=False,
            ),
            Column(
                "fulfilled_at",
                TS,
                "First contact or referral that answered it (may be late; null = never)",
            ),
            Column("met", B, "Answered by the deadline", nullable=False),
            Column(
                "closes_at",
                TS,
                "When the obligation stops being owed if still unmet "
                "(the crime's outcome, or a suspect identified); null = owed until met",
            ),
            *DIMENSIONS,
        ),
        # obligation_id is unique by construction (tested); no primary key index, which would
        # cost more than the rest of the build on millions of rows
        key=(),
        date_column="due_date",
    )
)
_add(
    Table(
        "victim_care_victims",
        Role.DERIVED,
        "One row per victim of a recorded crime (not cancelled): entitlement, victim care "
        "contract and Victims' Code compliance so far.",
        (
            CRIME_REF,
            VICTIM_ID,
            TABLES["crimes"].column("recorded_at"),
            Column("recorded_month", DT, "First day of the recording month", nullable=False),
            Column("status", S, "Crime status", nullable=False, enum=CRIME_STATUSES),
            Column("outcome_at", TS, "When the crime's outcome was assigned"),
            PRIORITY_GROUP_COPY,
            Column("priority_group_recorded_at", TS, "When the priority group was recorded"),
            Column(
                "priority_identified_at_first_contact",
                B,
                "The priority group was recorded "
                "by the end of the day the crime was recorded (null = no priority group)",
            ),
            TABLES["crime_victims"].column("vcc_agreed"),
            Column("vcc_contact_days", INT, "Agreed contact interval in days"),
            Column("vcc_contacts_due", INT, "VCC contacts that fell due", nullable=False),
            Column("vcc_contacts_missed", INT, "VCC contacts not made in time", nullable=False),
            Column(
                "vcc_compliant",
                B,
                "No gap between contacts exceeded the agreed interval "
                "(null = no VCC, or no contact due yet)",
            ),
            Column(
                "code_obligations_due",
                INT,
                "Victims' Code obligations that fell due",
                nullable=False,
            ),
            Column(
                "code_obligations_missed",
                INT,
                "Victims' Code obligations not met in time",
                nullable=False,
            ),
            Column(
                "code_compliant",
                B,
                "Every Victims' Code obligation met in time (null = none due yet)",
            ),
            Column("hub_referred", B, "Referred to the Victim and Witness Hub", nullable=False),
            Column("hub_referred_at", TS, "When referred to the Hub"),
            Column("hub_referral_declined", B, "The victim declined referral", nullable=False),
            Column("needs_assessed", B, "A needs assessment contact was recorded", nullable=False),
            *DIMENSIONS,
        ),
        key=("crime_id", "victim_id"),
        date_column="recorded_at",
    )
)
