"""The reference tables: the force's geography (districts, neighbourhoods, LSOAs) and the
classifications its records use (offences, outcome types, call types).

forcepack ships the national lists (offences, outcome types; ``contract/reference/``); a force
loads its own geography and call types.
"""

from __future__ import annotations

from forcepack.contract.columns import foreign_key
from forcepack.contract.types import (
    DT,
    INT,
    B,
    Column,
    D,
    Role,
    S,
    Table,
    TimeOrder,
    register,
)
from forcepack.contract.vocab import (
    CALL_TYPE_CATEGORIES,
    HO_GROUPS,
    OUTCOME_GROUPS,
    POLICE_UK_CATEGORIES,
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
            foreign_key("districts", "district_code", "District the neighbourhood lies in"),
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
            foreign_key("districts", "district_code", "District of the force the LSOA lies in"),
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
