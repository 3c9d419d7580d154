"""The data contract as code: one spec per table.

This module defines the force and public tables (``system`` holds forcepack's own, the
``derived_*`` modules the derived tables; ``types`` the building blocks and ``vocab`` the
closed vocabularies). Together they are the single definition of every table forcepack
stores. From them come the DuckDB
DDL (:func:`forcepack.contract.ddl.create_statements`), the ingest validation rules and
``docs/data-contract.md`` (:func:`forcepack.contract.docs.render_markdown`). Table and column
names follow ``DESIGN.md``; where a table gains a column DESIGN.md does not list (a surrogate
key such as ``event_id``, or ``owning_unit``), the column's description says why.
"""

from __future__ import annotations

from forcepack.contract.types import (
    DT,
    INT,
    TABLES,
    TS,
    B,
    Column,
    ColumnType,
    D,
    Reference,
    Role,
    S,
    Table,
    TimeOrder,
    register,
)
from forcepack.contract.vocab import (
    ATTENDANCE_TARGET_MINUTES,
    CALL_LINES,
    CALL_TYPE_CATEGORIES,
    CONTACT_CHANNELS,
    CONTACT_TYPES,
    CRIME_STATUSES,
    DELAY_REASONS,
    EVENT_TYPES,
    GRADES,
    HO_GROUPS,
    INCIDENT_SOURCES,
    ORDER_TYPES,
    OUTCOME_GROUPS,
    POLICE_UK_CATEGORIES,
    PRIORITY_GROUPS,
    RESPONSE_GRADES,
    SATISFACTION_SCALE,
    SURVEY_CRIME_GROUPS,
    SURVEYS,
    SUSPECT_EVENTS,
    CallLine,
    CallTypeCategory,
    ContactChannel,
    ContactType,
    CrimeStatus,
    DelayReason,
    EventType,
    Grade,
    IncidentSource,
    OrderType,
    PriorityGroup,
    Survey,
    SurveyCrimeGroup,
    values,
)

# What consumers import from here: the contract's building blocks and vocabularies, re-exported,
# and the table specs themselves.
__all__ = [
    "ATTENDANCE_TARGET_MINUTES",
    "CALL_LINES",
    "CALL_TYPE_CATEGORIES",
    "CONTACT_CHANNELS",
    "CONTACT_TYPES",
    "CRIME_REF",
    "CRIME_STATUSES",
    "DELAY_REASONS",
    "EVENT_TYPES",
    "GRADES",
    "HO_GROUPS",
    "INCIDENT_SOURCES",
    "ORDER_TYPES",
    "OUTCOME_GROUPS",
    "POLICE_UK_CATEGORIES",
    "PRIORITY_GROUPS",
    "RESPONSE_GRADES",
    "SATISFACTION_SCALE",
    "SURVEYS",
    "SURVEY_CRIME_GROUPS",
    "SUSPECT_EVENTS",
    "TABLES",
    "VICTIM_ID",
    "CallLine",
    "CallTypeCategory",
    "Column",
    "ColumnType",
    "ContactChannel",
    "ContactType",
    "CrimeStatus",
    "DelayReason",
    "EventType",
    "Grade",
    "IncidentSource",
    "OrderType",
    "PriorityGroup",
    "Reference",
    "Role",
    "Survey",
    "SurveyCrimeGroup",
    "Table",
    "TimeOrder",
    "load_order",
    "table",
    "values",
]


def _survey_question(name: str, description: str) -> Column:
    return Column(name, INT, description, minimum=1, maximum=7)


#: Columns several tables share, defined once.
CRIME_REF = Column(
    "crime_id", S, "Crime reference", nullable=False, references=Reference("crimes", "crime_id")
)
VICTIM_ID = Column(
    "victim_id", S, "Pseudonymous person id of the victim", nullable=False, personal=True
)


_add = register


_add(
    Table(
        "districts",
        Role.REFERENCE,
        "The force's districts (local authority districts), their policing area, force and "
        "population.",
        (
            Column("district_code", S, "ONS local authority district code", nullable=False),
            Column("district_name", S, "District name", nullable=False),
            Column(
                "area",
                S,
                "The force's own policing area the district belongs to (any name: North, "
                "West, Central...; the force's areas are the values of this column)",
                nullable=False,
            ),
            Column(
                "force",
                S,
                "Police force the district belongs to: one name on all of a force's districts, "
                "telling forces apart in a warehouse that holds several",
                nullable=False,
            ),
            Column("population", INT, "Resident population", nullable=False, minimum=1),
            Column("population_year", INT, "Year of the population estimate", nullable=False),
        ),
        key=("district_code",),
    )
)
_add(
    Table(
        "neighbourhoods",
        Role.REFERENCE,
        "Neighbourhood policing areas within districts.",
        (
            Column("neighbourhood_code", S, "Neighbourhood code", nullable=False),
            Column(
                "district_code",
                S,
                "District the neighbourhood lies in",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
            Column("neighbourhood_name", S, "Neighbourhood name", nullable=False),
        ),
        key=("neighbourhood_code",),
    )
)
_add(
    Table(
        "lsoas",
        Role.REFERENCE,
        "The force's own lookup of lower layer super output areas (LSOAs) to its districts: "
        "which data.police.uk records fall in the force's area. Optional: without it, a record "
        "is in the area when its LSOA name's prefix is one of the force's district names.",
        (
            Column(
                "lsoa_code", S, "LSOA code (2011 or 2021 census, E01.../W01...)", nullable=False
            ),
            Column("lsoa_name", S, "LSOA name"),
            Column(
                "district_code",
                S,
                "District of the force the LSOA lies in",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
        ),
        key=("lsoa_code",),
    )
)
_add(
    Table(
        "offences",
        Role.REFERENCE,
        "Offence classifications (Home Office offence codes) with their Home Office group and "
        "sub-group, data.police.uk category, Crime Harm Index weight and validity dates. The "
        "shipped list and its sources are described in contract/reference/sources/README.md; a "
        "force may load its own list, which supersedes it.",
        (
            Column("offence_code", S, "Home Office offence code", nullable=False),
            Column("offence_name", S, "Offence name", nullable=False),
            Column("ho_group", S, "Home Office offence group", nullable=False, enum=HO_GROUPS),
            Column(
                "police_uk_category",
                S,
                "data.police.uk crime type",
                nullable=False,
                enum=POLICE_UK_CATEGORIES,
            ),
            Column(
                "harm_days",
                D,
                "Crime Harm Index weight: days of imprisonment at the sentencing-guideline "
                "starting point (null = no weight; `forcepack harm coverage` reports the crimes "
                "it leaves unweighted)",
                minimum=0,
            ),
            Column(
                "ho_subgroup",
                S,
                "Home Office offence sub-group within the group (null where the classification "
                "has no sub-group level for the code)",
            ),
            Column(
                "valid_from",
                DT,
                "First day a crime may be recorded with the code (null = not known or always)",
            ),
            Column(
                "valid_to",
                DT,
                "Last day a crime may be recorded with the code (null = still valid or not "
                "known); a crime recorded after it is quarantined",
            ),
            Column("source", S, "Where the row's classification comes from"),
        ),
        key=("offence_code",),
        time_order=(TimeOrder("valid_from", "valid_to"),),
    )
)
_add(
    Table(
        "outcome_types",
        Role.REFERENCE,
        "Home Office outcome types 1-22 with their groups; prosecution_possible is configurable.",
        (
            Column(
                "outcome_code",
                INT,
                "Home Office outcome type",
                nullable=False,
                minimum=0,
                maximum=22,
            ),
            Column("outcome_name", S, "Outcome type name", nullable=False),
            Column(
                "outcome_group", S, "Home Office outcome group", nullable=False, enum=OUTCOME_GROUPS
            ),
            Column(
                "prosecution_possible",
                B,
                "Counts as a prosecution-possible outcome",
                nullable=False,
            ),
        ),
        key=("outcome_code",),
    )
)
_add(
    Table(
        "call_types",
        Role.REFERENCE,
        "Command-and-control call types, versioned by validity dates; measures span changes "
        "through category.",
        (
            Column("call_type_code", S, "Call type code", nullable=False),
            Column("call_type_name", S, "Call type name", nullable=False),
            Column(
                "category",
                S,
                "Stable category used by measures",
                nullable=False,
                enum=CALL_TYPE_CATEGORIES,
            ),
            Column("valid_from", DT, "First day the call type may be used", nullable=False),
            Column("valid_to", DT, "Last day the call type may be used (null = still valid)"),
        ),
        key=("call_type_code",),
        time_order=(TimeOrder("valid_from", "valid_to"),),
    )
)
_add(
    Table(
        "crimes",
        Role.FORCE,
        "Recorded crimes (one row per crime), with their flags, status and outcome.",
        (
            Column("crime_id", S, "Crime reference", nullable=False),
            Column("recorded_at", TS, "When the crime was recorded", nullable=False),
            Column(
                "offence_code",
                S,
                "Offence classification",
                nullable=False,
                references=Reference("offences", "offence_code"),
            ),
            Column(
                "district_code",
                S,
                "District where the crime happened",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
            Column(
                "neighbourhood_code",
                S,
                "Neighbourhood where the crime happened",
                references=Reference("neighbourhoods", "neighbourhood_code"),
            ),
            Column(
                "incident_id",
                S,
                "The incident the crime was raised from, if any",
                references=Reference("incidents", "incident_id"),
            ),
            Column("domestic_abuse", B, "Domestic abuse flag", nullable=False),
            Column("hate_crime", B, "Hate crime flag", nullable=False),
            Column("child_sexual_abuse", B, "Child sexual abuse flag", nullable=False),
            Column(
                "child_sexual_exploitation", B, "Child sexual exploitation flag", nullable=False
            ),
            Column("serious_sexual_offence", B, "Serious sexual offence flag", nullable=False),
            Column("knife_crime", B, "Knife or sharp instrument flag", nullable=False),
            Column("status", S, "Investigation status", nullable=False, enum=CRIME_STATUSES),
            Column(
                "outcome_code",
                INT,
                "Home Office outcome type once finalised",
                references=Reference("outcome_types", "outcome_code"),
            ),
            Column("outcome_at", TS, "When the outcome was assigned"),
            Column("next_review_due", DT, "Next supervisory review due (open crimes)"),
            Column(
                "occurred_at",
                TS,
                "When the offence happened, where known (extension: used "
                "by harm exclusions for reports made long after the event)",
            ),
            Column(
                "lsoa_code",
                S,
                "LSOA of the crime location, where known (extension: harm per place)",
            ),
            Column(
                "owning_unit",
                S,
                "Unit that owns the investigation (extension: victim care compliance by unit)",
            ),
        ),
        key=("crime_id",),
        time_order=(
            TimeOrder("recorded_at", "outcome_at"),
            TimeOrder("occurred_at", "recorded_at"),
        ),
        date_column="recorded_at",
    )
)
_add(
    Table(
        "crime_victims",
        Role.FORCE,
        "Victims of each crime, their Victims' Code priority group and victim care contract.",
        (
            CRIME_REF,
            VICTIM_ID,
            Column(
                "priority_group",
                S,
                "Victims' Code priority group (enhanced entitlement); null = standard",
                enum=PRIORITY_GROUPS,
            ),
            Column(
                "priority_group_recorded_at",
                TS,
                "When the priority group was recorded "
                "(extension: enhanced entitlement applies from then)",
            ),
            Column("vcc_agreed", B, "A victim care contract was agreed", nullable=False),
            Column(
                "vcc_contact_days", INT, "Agreed contact interval in days", minimum=1, maximum=365
            ),
            Column("hub_referred_at", TS, "Referral to the Victim and Witness Hub"),
            Column(
                "hub_referral_declined",
                B,
                "The victim declined referral to the Hub",
                nullable=False,
            ),
        ),
        key=("crime_id", "victim_id"),
    )
)
_add(
    Table(
        "crime_suspects",
        Role.FORCE,
        "Suspects and offenders linked to each crime.",
        (
            CRIME_REF,
            Column(
                "person_id",
                S,
                "Pseudonymous person id of the suspect",
                nullable=False,
                personal=True,
            ),
        ),
        key=("crime_id", "person_id"),
    )
)
_add(
    Table(
        "investigation_events",
        Role.FORCE,
        "Key investigation events (Victims' Code key events).",
        (
            Column(
                "event_id",
                S,
                "Event reference (extension: a stable key for re-extracts)",
                nullable=False,
            ),
            CRIME_REF,
            Column("event_type", S, "Kind of event", nullable=False, enum=EVENT_TYPES),
            Column("event_at", TS, "When the event happened", nullable=False),
        ),
        key=("event_id",),
        date_column="event_at",
    )
)
_add(
    Table(
        "victim_contacts",
        Role.FORCE,
        "Contacts with victims: updates, key-event notifications and needs assessments.",
        (
            Column(
                "contact_id",
                S,
                "Contact reference (extension: a stable key for re-extracts)",
                nullable=False,
            ),
            CRIME_REF,
            VICTIM_ID,
            Column("contact_at", TS, "When the contact was made", nullable=False),
            Column("contact_type", S, "Kind of contact", nullable=False, enum=CONTACT_TYPES),
            Column("channel", S, "How the contact was made", enum=CONTACT_CHANNELS),
        ),
        key=("contact_id",),
        date_column="contact_at",
    )
)
_add(
    Table(
        "incidents",
        Role.FORCE,
        "Command-and-control incidents with their grade and attendance times.",
        (
            Column("incident_id", S, "Incident reference", nullable=False),
            Column("created_at", TS, "When the incident was created", nullable=False),
            Column(
                "call_type_code",
                S,
                "Call type (valid on the creation date)",
                nullable=False,
                references=Reference("call_types", "call_type_code"),
            ),
            Column("grade", S, "Response grade", nullable=False, enum=GRADES),
            Column(
                "district_code",
                S,
                "District of the incident",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
            Column("dispatched_at", TS, "When a resource was dispatched"),
            Column("arrived_at", TS, "When the first resource arrived"),
            Column(
                "delay_reason",
                S,
                "Why attendance was later than target (null = not delayed)",
                enum=DELAY_REASONS,
            ),
            Column(
                "source", S, "How the incident was reported", nullable=False, enum=INCIDENT_SOURCES
            ),
            Column("verbal_only", B, "Domestic incident that was verbal only"),
        ),
        key=("incident_id",),
        time_order=(
            TimeOrder("created_at", "dispatched_at"),
            TimeOrder("created_at", "arrived_at"),
            TimeOrder("dispatched_at", "arrived_at"),
        ),
        date_column="created_at",
    )
)
_add(
    Table(
        "calls",
        Role.FORCE,
        "Telephony: 999 and 101 calls offered to the control room.",
        (
            Column("call_id", S, "Call reference", nullable=False),
            Column("line", S, "999 or 101", nullable=False, enum=CALL_LINES),
            Column("offered_at", TS, "When the call was offered", nullable=False),
            Column("answered_at", TS, "When it was answered (null = abandoned)"),
            Column("ended_at", TS, "When it ended", nullable=False),
            Column("secondary", B, "A call on the secondary (transfer) queue", nullable=False),
        ),
        key=("call_id",),
        time_order=(
            TimeOrder("offered_at", "answered_at"),
            TimeOrder("offered_at", "ended_at"),
            TimeOrder("answered_at", "ended_at"),
        ),
        date_column="offered_at",
    )
)
_add(
    Table(
        "survey_responses",
        Role.FORCE,
        "Victim satisfaction survey responses (" + SATISFACTION_SCALE + ").",
        (
            Column("response_id", S, "Response reference", nullable=False),
            Column("survey", S, "Which survey", nullable=False, enum=SURVEYS),
            Column(
                "crime_id",
                S,
                "The crime the respondent was a victim of",
                nullable=False,
                references=Reference("crimes", "crime_id"),
            ),
            Column("interviewed_at", TS, "When the interview took place", nullable=False),
            Column(
                "district_code",
                S,
                "District of the crime",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
            Column(
                "crime_group", S, "Survey crime group", nullable=False, enum=SURVEY_CRIME_GROUPS
            ),
            _survey_question("ease_of_contact", "Satisfaction with ease of contact"),
            _survey_question("actions_taken", "Satisfaction with actions taken"),
            _survey_question("follow_up", "Satisfaction with follow-up"),
            _survey_question("treatment", "Satisfaction with treatment"),
            _survey_question("overall", "Satisfaction with the whole experience"),
        ),
        key=("response_id",),
        date_column="interviewed_at",
    )
)
_add(
    Table(
        "missing_episodes",
        Role.FORCE,
        "Missing person episodes reported to the police.",
        (
            Column("episode_id", S, "Episode reference", nullable=False),
            Column("person_id", S, "Pseudonymous person id", nullable=False, personal=True),
            Column("age", INT, "Age when reported", minimum=0, maximum=120),
            Column("reported_at", TS, "When the episode was reported", nullable=False),
            Column(
                "district_code",
                S,
                "District",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
            Column("from_care_home", B, "Went missing from a children's care home", nullable=False),
        ),
        key=("episode_id",),
        date_column="reported_at",
    )
)
_add(
    Table(
        "civil_orders",
        Role.FORCE,
        "Civil orders and disclosure-scheme applications.",
        (
            Column("order_id", S, "Order reference", nullable=False),
            Column("order_type", S, "Kind of order", nullable=False, enum=ORDER_TYPES),
            Column("applied_at", TS, "When applied for", nullable=False),
            Column("granted_at", TS, "When granted (null = not granted or pending)"),
            Column(
                "district_code",
                S,
                "District",
                nullable=False,
                references=Reference("districts", "district_code"),
            ),
        ),
        key=("order_id",),
        time_order=(TimeOrder("applied_at", "granted_at"),),
        date_column="applied_at",
    )
)
_add(
    Table(
        "qa_backlog",
        Role.FORCE,
        "Crimes awaiting quality assurance or linking, at each snapshot.",
        (
            Column("snapshot_date", DT, "Date of the snapshot", nullable=False),
            Column(
                "crimes_awaiting_qa", INT, "Crimes awaiting QA/linking", nullable=False, minimum=0
            ),
        ),
        key=("snapshot_date",),
        date_column="snapshot_date",
    )
)
_add(
    Table(
        "system_downtime",
        Role.FORCE,
        "Planned and unplanned downtime of force systems.",
        (
            Column("system", S, "System name", nullable=False),
            Column("start_at", TS, "Start of the downtime", nullable=False),
            Column("end_at", TS, "End of the downtime", nullable=False),
            Column("planned", B, "Planned downtime", nullable=False),
        ),
        key=("system", "start_at"),
        time_order=(TimeOrder("start_at", "end_at"),),
        date_column="start_at",
    )
)

_PUBLIC_COMMON = (
    Column("month", DT, "Month of the record (first day)", nullable=False),
    Column("reported_by", S, "Force that provided the data"),
    Column("falls_within", S, "Force the location falls within", nullable=False),
    Column("longitude", D, "Anonymised longitude", minimum=-180, maximum=180),
    Column("latitude", D, "Anonymised latitude", minimum=-90, maximum=90),
    Column("location", S, "Anonymised location description"),
    Column("lsoa_code", S, "Lower layer super output area code"),
    Column("lsoa_name", S, "LSOA name; its prefix is the district"),
    Column(
        "district_name",
        S,
        "District: the force's own (through lsoas) or else the LSOA name's prefix "
        "(null = no location)",
    ),
    Column(
        "in_force_area",
        B,
        "In this warehouse's force area: the LSOA is in the force's lsoas lookup or, when the "
        "force loaded none, its name's prefix is one of the force's district names (another "
        "force's records are false)",
        nullable=False,
    ),
    Column(
        "snapshot",
        S,
        "data.police.uk snapshot the row was last loaded from: the archive's name (2019-01), "
        "or null for a loose file",
    ),
)
_add(
    Table(
        "public_crimes",
        Role.PUBLIC,
        "data.police.uk street-level crimes and anti-social behaviour.",
        (
            Column(
                "record_key",
                S,
                "Crime ID, or for anti-social behaviour (no Crime ID) the source file hash and row",
                nullable=False,
            ),
            Column("crime_id", S, "data.police.uk Crime ID (null for anti-social behaviour)"),
            *_PUBLIC_COMMON,
            Column("crime_type", S, "Crime type", nullable=False, enum=POLICE_UK_CATEGORIES),
            Column("last_outcome_category", S, "Last outcome category at publication"),
            Column(
                "last_outcome_group",
                S,
                "Home Office outcome group of the last outcome category, through the "
                "configurable mapping (approximate: the last known outcome at publication)",
                enum=OUTCOME_GROUPS,
            ),
            Column("context", S, "Context"),
            Column("is_asb", B, "Anti-social behaviour (not a crime; no Crime ID)", nullable=False),
            Column("source_file", S, "File the row came from", nullable=False),
            Column(
                "source_row", INT, "Row number in the file (1 = first data row)", nullable=False
            ),
        ),
        key=("record_key",),
        date_column="month",
    )
)
_add(
    Table(
        "public_outcomes",
        Role.PUBLIC,
        "data.police.uk outcomes (a crime may have several).",
        (
            Column("record_key", S, "Crime ID, outcome month and outcome type", nullable=False),
            Column("crime_id", S, "data.police.uk Crime ID", nullable=False),
            *_PUBLIC_COMMON,
            Column("outcome_type", S, "Outcome type text", nullable=False),
            Column(
                "outcome_group",
                S,
                "Home Office outcome group, through the configurable mapping",
                enum=OUTCOME_GROUPS,
            ),
            Column("source_file", S, "File the row came from", nullable=False),
            Column(
                "source_row", INT, "Row number in the file (1 = first data row)", nullable=False
            ),
        ),
        key=("record_key",),
        date_column="month",
    )
)


def table(name: str) -> Table:
    """The spec of ``name``; an unknown name is an input error listing the allowed ones."""
    from forcepack.errors import InputError

    try:
        return TABLES[name]
    except KeyError:
        allowed = ", ".join(sorted(TABLES))
        raise InputError(
            f'table "{name}" is not in the data contract; allowed: {allowed}'
        ) from None


def load_order() -> list[str]:
    """Tables ordered so that every referenced table comes before the tables that reference it."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for col in TABLES[name].columns:
            if col.references and col.references.table != name:
                visit(col.references.table)
        order.append(name)

    for name in TABLES:
        visit(name)
    return order


# forcepack's own tables, then the derived tables, declared by the modules that build them (so
# each concern owns its schema); importing them here registers them with the one contract.
import forcepack.contract.system  # noqa: E402, F401  (first: the docs list tables in this order)
from forcepack.contract import derived_compliance, derived_harm  # noqa: E402, F401
