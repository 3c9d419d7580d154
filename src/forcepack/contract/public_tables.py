"""The public tables: data.police.uk street-level crimes and outcomes, for any force."""

from __future__ import annotations

from forcepack.contract.columns import SOURCE_COLUMNS
from forcepack.contract.types import DT, B, Column, D, Role, S, Table, register
from forcepack.contract.vocab import OUTCOME_GROUPS, POLICE_UK_CATEGORIES

_add = register

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
            *SOURCE_COLUMNS,
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
            *SOURCE_COLUMNS,
        ),
        key=("record_key",),
        date_column="month",
    )
)
