"""Derived tables built by ``forcepack.harm`` (Crime Harm Index scores).

Declared in ``tables/harm.toml``, as part of the one contract, so that the measure catalogue can
validate measures over them and the docs list them. ``forcepack harm build``
(:func:`forcepack.harm.build`) replaces their rows from the force tables; every non-cancelled
crime gets one ``crime_harm`` row, every victim of such a crime one ``victim_harm`` row and
every suspect one ``offender_harm`` row.
"""

from __future__ import annotations

from enum import StrEnum

from forcepack.contract.declared import load_family
from forcepack.contract.vocab import CRIME_STATUSES, CrimeStatus, values


class ExclusionReason(StrEnum):
    """Why a crime's harm is left out of totals and lists (``crime_harm.exclusion_reason``)."""

    PROACTIVE = "proactive"  # an offence found by police activity
    LATE_REPORT = "late_report"  # recorded long after it happened


EXCLUSION_REASONS = values(ExclusionReason)

#: The statuses a scored crime may have: every recorded crime but a cancelled one.
HARM_STATUSES = tuple(s for s in CRIME_STATUSES if s != CrimeStatus.CANCELLED)

load_family(
    "harm", vocabularies={"EXCLUSION_REASONS": EXCLUSION_REASONS, "HARM_STATUSES": HARM_STATUSES}
)
