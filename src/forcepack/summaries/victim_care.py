"""Aggregate, non-personal victim care figures for the board paper and ``forcepack victims
summary`` (no person ids).

``victim_care_summary(con, "2019-12")`` gives the month's and the rolling 12 months' figures,
each a catalogue measure (``measures/catalogue/victims.toml`` and the ``investigations.*``
measures) read through :func:`forcepack.measures.compute`: victim care contract compliance
(overall and by area), Victims' Code compliance (overall and per entitlement, with key event
contacts split by enhanced and standard entitlement), the Hub referral rate, priority-group
victims identified at first contact, and the crimes open at the month end (how many, how many
overdue for review, their average age).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from forcepack import calendar
from forcepack.compliance.build import require_built
from forcepack.contract.derived_compliance import CODE_ENTITLEMENTS, Entitlement
from forcepack.summaries.figures import Figure, Figures

VCC = "victims.vcc_compliance"
CODE = "victims.code_compliance"
HUB = "victims.hub_referral_rate"
PRIORITY = "victims.priority_identified_at_first_contact"
KEY_EVENTS_ENHANCED = "victims.key_event_contact_rate.enhanced"
KEY_EVENTS_STANDARD = "victims.key_event_contact_rate.standard"
OVERDUE = "investigations.overdue_reviews"
AGE = "investigations.average_length_days"
#: The catalogue measure of each Victims' Code entitlement's compliance.
ENTITLEMENT_MEASURES = {
    Entitlement.KEY_EVENT_CONTACT.value: "victims.key_event_contact_rate",
    Entitlement.MONTHLY_UPDATE.value: "victims.monthly_update_rate",
    Entitlement.HUB_REFERRAL.value: "victims.hub_referral_within_2_days",
    Entitlement.NEEDS_ASSESSMENT.value: "victims.needs_assessment_rate",
}
assert set(ENTITLEMENT_MEASURES) == set(CODE_ENTITLEMENTS)
#: Every catalogue measure the victim care summary reports.
CARE_MEASURES = (
    VCC,
    CODE,
    *ENTITLEMENT_MEASURES.values(),
    KEY_EVENTS_ENHANCED,
    KEY_EVENTS_STANDARD,
    HUB,
    PRIORITY,
)
INVESTIGATION_MEASURES = (OVERDUE, AGE)
WINDOWS = ("month", "rolling12")
#: The area of obligations whose crime's district has none.
UNKNOWN_AREA = "unknown"


@dataclass(frozen=True, slots=True)
class Rate:
    """``numerator`` of ``denominator``; ``value`` is null when nothing was due."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class Pair:
    """The same figure for the month and the rolling 12 months to it."""

    month: Rate
    rolling12: Rate


@dataclass(frozen=True, slots=True)
class VictimCareSummary:
    month: str
    vcc_compliance: Pair
    vcc_compliance_by_area: dict[str, Pair]
    code_compliance: Pair
    code_compliance_by_entitlement: dict[str, Pair]
    key_event_contact_enhanced: Pair
    key_event_contact_standard: Pair
    hub_referral_rate: Pair
    priority_identified_at_first_contact: Pair
    overdue_reviews: int
    open_investigations: int
    average_investigation_days: float | None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain data with each rate's value filled in (for templates and JSON)."""

        def fix(obj: Any) -> Any:
            if isinstance(obj, dict) and set(obj) == {"numerator", "denominator"}:
                d = obj["denominator"]
                return {**obj, "value": obj["numerator"] / d if d else None}
            if isinstance(obj, dict):
                return {k: fix(v) for k, v in obj.items()}
            return obj

        out: dict[str, Any] = fix(asdict(self))
        return out


def _rate(f: Figure) -> Rate:
    return Rate(round(f.numerator), round(f.denominator))


def _pair(figures: Figures, measure_id: str, *group: Any) -> Pair:
    month, year = (_rate(figures.get(measure_id, w, *group)) for w in WINDOWS)
    return Pair(month, year)


def victim_care_summary(
    con: duckdb.DuckDBPyConnection, month_text: str | dt.date
) -> VictimCareSummary:
    """The month's victim care figures; raises :class:`forcepack.errors.DataError` if the
    victim care tables are not built from the data the warehouse holds. A month outside the
    data has nothing due."""
    m = calendar.parse(month_text)
    require_built(con)
    force = Figures(con, CARE_MEASURES, m.first, WINDOWS)
    by_area = Figures(con, (VCC,), m.first, WINDOWS, by=("area",))
    areas = {}
    for (area,) in by_area.groups(VCC, WINDOWS[0]):
        pair = _pair(by_area, VCC, area)
        if pair.month.denominator or pair.rolling12.denominator:  # only areas with any due
            areas[UNKNOWN_AREA if area is None else str(area)] = pair
    open_at_end = Figures(con, INVESTIGATION_MEASURES, m.first, ("month",))
    age = open_at_end.get(AGE, "month")
    return VictimCareSummary(
        month=str(m),
        vcc_compliance=_pair(force, VCC),
        vcc_compliance_by_area=dict(sorted(areas.items())),
        code_compliance=_pair(force, CODE),
        code_compliance_by_entitlement={
            e: _pair(force, ENTITLEMENT_MEASURES[e]) for e in CODE_ENTITLEMENTS
        },
        key_event_contact_enhanced=_pair(force, KEY_EVENTS_ENHANCED),
        key_event_contact_standard=_pair(force, KEY_EVENTS_STANDARD),
        hub_referral_rate=_pair(force, HUB),
        priority_identified_at_first_contact=_pair(force, PRIORITY),
        overdue_reviews=round(open_at_end.get(OVERDUE, "month").numerator),
        open_investigations=age.n,
        average_investigation_days=age.value,
    )
