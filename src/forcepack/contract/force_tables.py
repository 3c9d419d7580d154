"""The force tables: a force's operational extracts (crimes and their victims, suspects,
investigation events and victim contacts; incidents and calls; surveys, missing episodes, civil
orders, the QA backlog and system downtime)."""

from __future__ import annotations

from forcepack.contract.columns import (
    CRIME_REF,
    SUSPECT_ID,
    VICTIM_ID,
    crime_flag_columns,
    foreign_key,
    person_id,
    stable_key,
)
from forcepack.contract.types import (
    DT,
    INT,
    TS,
    B,
    Column,
    Role,
    S,
    Table,
    TimeOrder,
    register,
)
from forcepack.contract.vocab import (
    CALL_LINES,
    CONTACT_CHANNELS,
    CONTACT_TYPES,
    CRIME_STATUSES,
    DELAY_REASONS,
    EVENT_TYPES,
    GRADES,
    INCIDENT_SOURCES,
    ORDER_TYPES,
    PRIORITY_GROUPS,
    SATISFACTION_SCALE,
    SURVEY_CRIME_GROUPS,
    SURVEYS,
)

_add = register


def _survey_question(name: str, description: str) -> Column:
    return Column(name, INT, description, minimum=1, maximum=7)


_add(
    Table(
        "crimes",
        Role.FORCE,
        "Recorded crimes (one row per crime), with their flags, status and outcome.",
        (
            Column("crime_id", S, "Crime reference", nullable=False),
            Column("recorded_at", TS, "When the crime was recorded", nullable=False),
            foreign_key("offences", "offence_code", "Offence classification"),
            foreign_key("districts", "district_code", "District where the crime happened"),
            foreign_key(
                "neighbourhoods",
                "neighbourhood_code",
                "Neighbourhood where the crime happened",
                nullable=True,
            ),
            foreign_key(
                "incidents",
                "incident_id",
                "The incident the crime was raised from, if any",
                nullable=True,
            ),
            *crime_flag_columns(),
            Column("status", S, "Investigation status", nullable=False, enum=CRIME_STATUSES),
            foreign_key(
                "outcome_types",
                "outcome_code",
                "Home Office outcome type once finalised",
                nullable=True,
                type=INT,
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
            SUSPECT_ID,
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
            stable_key("event_id", "Event reference"),
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
            stable_key("contact_id", "Contact reference"),
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
            foreign_key("call_types", "call_type_code", "Call type (valid on the creation date)"),
            Column("grade", S, "Response grade", nullable=False, enum=GRADES),
            foreign_key("districts", "district_code", "District of the incident"),
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
            foreign_key("crimes", "crime_id", "The crime the respondent was a victim of"),
            Column("interviewed_at", TS, "When the interview took place", nullable=False),
            foreign_key("districts", "district_code", "District of the crime"),
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
            person_id("person_id", "Pseudonymous person id"),
            Column("age", INT, "Age when reported", minimum=0, maximum=120),
            Column("reported_at", TS, "When the episode was reported", nullable=False),
            foreign_key("districts", "district_code", "District"),
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
            foreign_key("districts", "district_code", "District"),
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
