"""Derived tables built by ``forcepack.harm`` (Crime Harm Index scores).

Declared here, as part of the one contract, so that the measure catalogue can validate measures
over them and the docs list them. ``forcepack harm build`` (:func:`forcepack.harm.build`)
replaces their rows from the force tables; every non-cancelled crime gets one ``crime_harm``
row, every victim of such a crime one ``victim_harm`` row and every suspect one
``offender_harm`` row.
"""

from __future__ import annotations

from enum import StrEnum

from forcepack.contract.columns import (
    CRIME_REF,
    PRIORITY_GROUP_COPY,
    SUSPECT_ID,
    VICTIM_ID,
    crime_flag_columns,
)
from forcepack.contract.types import DT, TABLES, B, Column, D, Role, S, Table, register
from forcepack.contract.vocab import CRIME_STATUSES, CrimeStatus, values


class ExclusionReason(StrEnum):
    """Why a crime's harm is left out of totals and lists (``crime_harm.exclusion_reason``)."""

    PROACTIVE = "proactive"  # an offence found by police activity
    LATE_REPORT = "late_report"  # recorded long after it happened


EXCLUSION_REASONS = values(ExclusionReason)

_CRIMES = TABLES["crimes"]
_CRIME_COLUMNS = (
    _CRIMES.column("recorded_at"),
    Column("month", DT, "Month the crime was recorded (first day)", nullable=False),
    _CRIMES.column("district_code"),
    Column("area", S, "Policing area of the district", nullable=False),
    _CRIMES.column("neighbourhood_code"),
    _CRIMES.column("offence_code"),
    Column(
        "harm_days",
        D,
        "Crime Harm Index weight of the offence under the weighting used "
        "(days of imprisonment at the sentencing-guideline starting point)",
        nullable=False,
        minimum=0,
    ),
    Column("excluded", B, "Left out of harm totals, measures and lists", nullable=False),
    *crime_flag_columns(("domestic_abuse",), copied=True),
    Column(
        "status",
        S,
        "Investigation status of the crime (open or finalised)",
        nullable=False,
        enum=tuple(s for s in CRIME_STATUSES if s != CrimeStatus.CANCELLED),
    ),
)

register(
    Table(
        "crime_harm",
        Role.DERIVED,
        "Crime Harm Index score of every recorded (not cancelled) crime, with the exclusion "
        "applied to it. Harm per place, district and month is summed from here, each crime once.",
        (
            CRIME_REF,
            *_CRIME_COLUMNS[:5],
            Column("lsoa_code", S, "LSOA of the crime location, where known"),
            *_CRIME_COLUMNS[5:8],
            Column(
                "exclusion_reason",
                S,
                "Why the crime is excluded (null = included): proactive "
                "= an offence found by police activity; late_report = recorded long after it "
                "happened",
                enum=EXCLUSION_REASONS,
            ),
            Column(
                "weighting",
                S,
                "Which harm weighting scored it (default, or the file loaded)",
                nullable=False,
            ),
            *_CRIME_COLUMNS[8:],
        ),
        key=("crime_id",),
        date_column="recorded_at",
    )
)

register(
    Table(
        "victim_harm",
        Role.DERIVED,
        "Harm suffered by each victim of each recorded crime: every victim of a crime suffers its "
        "whole harm. OFFICIAL-SENSITIVE (pseudonymous victim ids).",
        (
            CRIME_REF,
            VICTIM_ID,
            *_CRIME_COLUMNS,
            PRIORITY_GROUP_COPY,
            Column(
                "repeat_victim",
                B,
                "The victim was also the victim of another recorded crime in "
                "the 12 months before this one (by recorded_at)",
                nullable=False,
            ),
        ),
        key=("crime_id", "victim_id"),
        date_column="recorded_at",
    )
)

register(
    Table(
        "offender_harm",
        Role.DERIVED,
        "Harm of each crime attributed to each of its suspects: every suspect of a crime carries "
        "its whole harm. OFFICIAL-SENSITIVE (pseudonymous person ids).",
        (
            CRIME_REF,
            SUSPECT_ID,
            *_CRIME_COLUMNS,
        ),
        key=("crime_id", "person_id"),
        date_column="recorded_at",
    )
)
