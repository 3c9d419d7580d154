"""The closed vocabularies of the data contract (DESIGN.md "Fixed enumerations") and the facts
that belong to their columns (attendance targets by grade, the events that identify a suspect).

Extend here, never in a consumer. A vocabulary a consumer compares against is a StrEnum (its
members equal their strings); the tuple beside it is what a column's ``enum`` holds.
"""

from __future__ import annotations

from enum import StrEnum

#: The vocabularies, their values and facts: what ``spec`` re-exports as the contract's own.
__all__ = [
    "ACCESS_OUTCOMES",
    "ATTENDANCE_TARGET_MINUTES",
    "CALL_LINES",
    "CALL_TYPE_CATEGORIES",
    "CONTACT_CHANNELS",
    "CONTACT_TYPES",
    "CRIME_STATUSES",
    "DELAY_REASONS",
    "EVENT_TYPES",
    "GRADES",
    "HO_GROUPS",
    "INCIDENT_SOURCES",
    "LOGGED_LOAD_STATUSES",
    "NAMED_PLACE_KINDS",
    "ORDER_TYPES",
    "OUTCOME_GROUPS",
    "POLICE_UK_CATEGORIES",
    "PRIORITY_GROUPS",
    "RESPONSE_GRADES",
    "SURVEYS",
    "SURVEY_CRIME_GROUPS",
    "SUSPECT_EVENTS",
    "AccessOutcome",
    "CallLine",
    "CallTypeCategory",
    "ContactChannel",
    "ContactType",
    "CrimeStatus",
    "DelayReason",
    "EventType",
    "Grade",
    "IncidentSource",
    "LoadStatus",
    "OrderType",
    "PlaceKind",
    "PriorityGroup",
    "Survey",
    "SurveyCrimeGroup",
    "values",
]


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The values of a vocabulary, in order (for a column's ``enum``)."""
    return tuple(member.value for member in vocabulary)


class CrimeStatus(StrEnum):
    """Where a recorded crime's investigation stands (``crimes.status``)."""

    OPEN = "open"
    FINALISED = "finalised"
    CANCELLED = "cancelled"


class PriorityGroup(StrEnum):
    """Victims' Code groups entitled to enhanced services."""

    MOST_SERIOUS = "most_serious"
    PERSISTENTLY_TARGETED = "persistently_targeted"
    VULNERABLE = "vulnerable"
    INTIMIDATED = "intimidated"


class EventType(StrEnum):
    """Key investigation events (``investigation_events.event_type``; the Victims' Code's key
    events)."""

    ARREST = "arrest"
    INTERVIEW = "interview"
    BAIL = "bail"
    RELEASED_UNDER_INVESTIGATION = "released_under_investigation"
    CHARGE = "charge"
    OUT_OF_COURT_DISPOSAL = "out_of_court_disposal"
    NO_FURTHER_ACTION = "no_further_action"
    CPS_DECISION = "cps_decision"
    COURT_DATE = "court_date"


#: Investigation events that mean a suspect has been identified (a Victims' Code fact: it ends
#: the monthly-update clock).
SUSPECT_EVENTS = (
    EventType.ARREST,
    EventType.INTERVIEW,
    EventType.BAIL,
    EventType.RELEASED_UNDER_INVESTIGATION,
    EventType.CHARGE,
    EventType.OUT_OF_COURT_DISPOSAL,
)


class ContactType(StrEnum):
    """What a contact with a victim was for (``victim_contacts.contact_type``)."""

    UPDATE = "update"
    KEY_EVENT = "key_event"
    NEEDS_ASSESSMENT = "needs_assessment"


class ContactChannel(StrEnum):
    """How a contact with a victim was made (``victim_contacts.channel``)."""

    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    SMS = "sms"
    OTHER = "other"


class Grade(StrEnum):
    """Incident grades (the response the call handler's THRIVE assessment gives)."""

    IMMEDIATE = "immediate"
    PROMPT = "prompt"
    SCHEDULED = "scheduled"
    RESOLVED_WITHOUT_DEPLOYMENT = "resolved_without_deployment"


#: Grades that count as a response (an emergency or priority attendance).
RESPONSE_GRADES = (Grade.IMMEDIATE, Grade.PROMPT)
#: Attendance targets in minutes by grade (DESIGN.md: 15 minutes immediate, 60 minutes prompt).
ATTENDANCE_TARGET_MINUTES = {Grade.IMMEDIATE: 15, Grade.PROMPT: 60}


class IncidentSource(StrEnum):
    """How an incident was reported (``incidents.source``)."""

    CALL_999 = "999"
    CALL_101 = "101"
    ONLINE = "online"
    OTHER = "other"


class DelayReason(StrEnum):
    """Why attendance was later than its target (``incidents.delay_reason``)."""

    RESOURCE_UNAVAILABLE = "resource_unavailable"
    TRAVEL_DISTANCE = "travel_distance"
    AWAITING_INFORMATION = "awaiting_information"
    OTHER = "other"


class CallLine(StrEnum):
    """The telephone line a call came in on (``calls.line``)."""

    EMERGENCY = "999"
    NON_EMERGENCY = "101"


class Survey(StrEnum):
    """Which victim survey a response belongs to (``survey_responses.survey``)."""

    VICTIM = "victim"
    DOMESTIC_ABUSE = "domestic_abuse"


class SurveyCrimeGroup(StrEnum):
    """The crime group a survey response is reported under
    (``survey_responses.crime_group``)."""

    BURGLARY = "burglary"
    VIOLENT_CRIME = "violent_crime"
    VEHICLE_CRIME = "vehicle_crime"
    HATE_CRIME = "hate_crime"
    OTHER = "other"


class CallTypeCategory(StrEnum):
    """The stable category of a call type (``call_types.category``), which measures cut by
    across call type changes."""

    DOMESTIC_ABUSE = "domestic_abuse"
    BURGLARY_DWELLING = "burglary_dwelling"
    VIOLENCE = "violence"
    CONCERN_FOR_SAFETY = "concern_for_safety"
    ROAD_TRAFFIC = "road_traffic"
    ANTI_SOCIAL_BEHAVIOUR = "anti_social_behaviour"
    OTHER = "other"


class OrderType(StrEnum):
    """Civil orders and disclosure-scheme applications (``civil_orders.order_type``): Domestic
    Violence Protection Notices and Orders, Stalking Protection Orders, Sexual Harm Prevention
    Orders and the Domestic Violence Disclosure Scheme's right to ask and right to know."""

    DVPN = "DVPN"
    DVPO = "DVPO"
    SPO = "SPO"
    SHPO = "SHPO"
    DVDS_ASK = "DVDS_ask"
    DVDS_TELL = "DVDS_tell"


class LoadStatus(StrEnum):
    """What a load of a file did (``load_log.status``)."""

    LOADED = "loaded"
    DUPLICATE = "duplicate"  # the same bytes were loaded before: nothing new
    FAILED = "failed"
    KEPT = "kept"  # not loaded: what the warehouse holds was kept (a partial re-download)


#: The statuses a ``load_log`` row may hold (a kept file leaves no load behind).
LOGGED_LOAD_STATUSES = values(LoadStatus)[:3]


class AccessOutcome(StrEnum):
    """What became of a request for an OFFICIAL-SENSITIVE list (``access_log.outcome``)."""

    GRANTED = "granted"  # the list was written
    REFUSED = "refused"


class PlaceKind(StrEnum):
    """The kind of place a list or a page is scoped to (``Scope.kind``, ``Place.kind``): a
    named area, district or neighbourhood (the ``districts`` and ``neighbourhoods`` tables),
    or the whole force. ``access_log.scope`` and a list's heading spell it this way."""

    AREA = "area"
    DISTRICT = "district"
    NEIGHBOURHOOD = "neighbourhood"
    FORCE = "force"


#: The places a user names (``--area``, ``--district``, ``--neighbourhood``): all but the force.
NAMED_PLACE_KINDS = (PlaceKind.AREA, PlaceKind.DISTRICT, PlaceKind.NEIGHBOURHOOD)


CRIME_STATUSES = values(CrimeStatus)
PRIORITY_GROUPS = values(PriorityGroup)
EVENT_TYPES = values(EventType)
CONTACT_TYPES = values(ContactType)
CONTACT_CHANNELS = values(ContactChannel)
GRADES = values(Grade)
INCIDENT_SOURCES = values(IncidentSource)
DELAY_REASONS = values(DelayReason)
CALL_LINES = values(CallLine)
SURVEYS = values(Survey)
SURVEY_CRIME_GROUPS = values(SurveyCrimeGroup)
CALL_TYPE_CATEGORIES = values(CallTypeCategory)
ORDER_TYPES = values(OrderType)
ACCESS_OUTCOMES = values(AccessOutcome)
HO_GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Robbery",
    "Theft offences",
    "Criminal damage and arson",
    "Drug offences",
    "Possession of weapons offences",
    "Public order offences",
    "Miscellaneous crimes against society",
    "Fraud offences",
)
POLICE_UK_CATEGORIES = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
OUTCOME_GROUPS = (
    "Charged/Summonsed",
    "Out-of-court (formal)",
    "Out-of-court (informal)",
    "Diversionary",
    "Taken into consideration",
    "Prosecution prevented or not in the public interest",
    "Evidential difficulties (victim supports action)",
    "Evidential difficulties (victim does not support action)",
    "Investigation complete: no suspect identified",
    "Transferred to another body",
    "Further investigation not in the public interest",
    "Not yet assigned",
)
