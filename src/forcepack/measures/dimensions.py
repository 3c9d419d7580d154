"""Columns a measure may use beyond its source table's own, each defined once.

* **Lookups** join a source table to a reference table through a key column and expose some of
  its columns under stable names (``force``, ``area`` and ``district`` through ``districts``,
  ``call_type_category`` through ``call_types`` ...).
* **Derived columns** are computed from other columns (``minutes_to_arrival``, ``delayed``,
  ``abandoned`` ...). Elapsed times are computed from the local wall-clock timestamps converted
  to UTC, so an incident spanning a clock change is timed by the real minutes that passed.
* **Dimensions** are the cuts a result can be grouped by, with their closed domain where there
  is one (so that an empty group appears as a zero count rather than a missing row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forcepack.contract.columns import CRIME_FLAGS
from forcepack.contract.spec import (
    ATTENDANCE_TARGET_MINUTES,
    CALL_TYPE_CATEGORIES,
    GRADES,
    HO_GROUPS,
    OUTCOME_GROUPS,
    POLICE_UK_CATEGORIES,
    RESPONSE_GRADES,
    TABLES,
    ColumnType,
)

#: Age below which a missing person is a child.
CHILD_AGE = 18
#: Time zone of every timestamp in the warehouse.
LOCAL_TZ = "Europe/London"


@dataclass(frozen=True, slots=True)
class ColumnInfo:
    """What validation needs to know about a column a measure may use."""

    name: str
    type: ColumnType
    enum: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Lookup:
    """A left join from a source table's ``key`` column to reference table ``table``."""

    table: str
    key: str
    columns: tuple[tuple[str, str], ...]  # (exposed name, reference column)


LOOKUPS: tuple[Lookup, ...] = (
    Lookup(
        "districts",
        "district_code",
        (
            ("force", "force"),
            ("area", "area"),
            ("district", "district_name"),
            ("population", "population"),
        ),
    ),
    Lookup("neighbourhoods", "neighbourhood_code", (("neighbourhood", "neighbourhood_name"),)),
    Lookup("call_types", "call_type_code", (("call_type_category", "category"),)),
    Lookup(
        "offences",
        "offence_code",
        (
            ("ho_group", "ho_group"),
            ("police_uk_category", "police_uk_category"),
            ("offence_harm_days", "harm_days"),
        ),
    ),
    Lookup(
        "outcome_types",
        "outcome_code",
        (("prosecution_possible", "prosecution_possible"), ("outcome_group", "outcome_group")),
    ),
    # a crime's domestic abuse flag on the records about that crime (bail and release under
    # investigation decisions in investigation_events)
    Lookup("crimes", "crime_id", (("domestic_abuse", "domestic_abuse"),)),
)

Builder = Callable[[Any, dict[str, Any]], Any]


@dataclass(frozen=True, slots=True)
class Derived:
    """A column computed from ``needs``; ``snapshot`` columns exist only in ``as_at`` measures."""

    name: str
    type: ColumnType
    needs: tuple[str, ...]
    description: str
    build: Builder
    enum: tuple[str, ...] | None = None
    snapshot: bool = False


#: Local months that are wholly British Summer Time or wholly GMT (the clocks change on the last
#: Sundays of March and October): only March and October need the time zone database.
BST_MONTHS = (4, 5, 6, 7, 8, 9)
GMT_MONTHS = (11, 12, 1, 2)


def _utc_offset_seconds(ts: Any, to_utc: Any) -> Any:
    """Seconds the local wall clock is ahead of UTC at ``ts`` (0 or 3,600)."""
    import ibis

    month = ts.month()
    exact = ts.epoch_seconds() - to_utc(ts).epoch_seconds()
    return ibis.cases((month.isin(BST_MONTHS), 3600), (month.isin(GMT_MONTHS), 0), else_=exact)


def _minutes(t: Any, ctx: dict[str, Any], start: str, end: str) -> Any:
    utc = ctx["to_utc"]
    wall = t[end].epoch_seconds() - t[start].epoch_seconds()
    seconds = wall - (_utc_offset_seconds(t[end], utc) - _utc_offset_seconds(t[start], utc))
    # float division: Spark reads a literal 60.0 as a DECIMAL and would round the result
    return seconds.cast("float64") / 60


def _delayed(t: Any, ctx: dict[str, Any]) -> Any:
    import ibis

    target = ibis.cases(
        *((t.grade == g, m) for g, m in ATTENDANCE_TARGET_MINUTES.items()), else_=None
    )
    return (t.minutes_to_arrival > target).fill_null(False)


DERIVED: tuple[Derived, ...] = (
    Derived(
        "minutes_to_arrival",
        ColumnType.DOUBLE,
        ("created_at", "arrived_at"),
        "Minutes from the incident's creation to the first arrival (real elapsed time)",
        lambda t, c: _minutes(t, c, "created_at", "arrived_at"),
    ),
    Derived(
        "minutes_to_dispatch",
        ColumnType.DOUBLE,
        ("created_at", "dispatched_at"),
        "Minutes from the incident's creation to the first dispatch (real elapsed time)",
        lambda t, c: _minutes(t, c, "created_at", "dispatched_at"),
    ),
    Derived(
        "minutes_to_end",
        ColumnType.DOUBLE,
        ("answered_at", "ended_at"),
        "Minutes from answering a call to its end (real elapsed time; null when abandoned)",
        lambda t, c: _minutes(t, c, "answered_at", "ended_at"),
    ),
    Derived(
        "duration_hours",
        ColumnType.DOUBLE,
        ("start_at", "end_at"),
        "Hours from the start to the end (real elapsed time), e.g. of a system outage",
        lambda t, c: _minutes(t, c, "start_at", "end_at") / 60,
    ),
    Derived(
        "response_graded",
        ColumnType.BOOLEAN,
        ("grade",),
        "Graded for a response: " + " or ".join(RESPONSE_GRADES),
        lambda t, c: t.grade.isin(RESPONSE_GRADES),
    ),
    Derived(
        "delayed",
        ColumnType.BOOLEAN,
        ("grade", "minutes_to_arrival"),
        "A response-graded incident attended later than its target ("
        + ", ".join(f"{m} minutes {g}" for g, m in ATTENDANCE_TARGET_MINUTES.items())
        + ")",
        _delayed,
    ),
    Derived(
        "attended",
        ColumnType.BOOLEAN,
        ("arrived_at",),
        "A resource arrived",
        lambda t, c: t.arrived_at.notnull(),
    ),
    Derived(
        "abandoned",
        ColumnType.BOOLEAN,
        ("answered_at", "offered_at"),
        "An offered call that was never answered",
        lambda t, c: t.answered_at.isnull(),
    ),
    Derived(
        "outcome_assigned",
        ColumnType.BOOLEAN,
        ("outcome_code",),
        "The crime has an outcome type",
        lambda t, c: t.outcome_code.notnull(),
    ),
    Derived(
        "child",
        ColumnType.BOOLEAN,
        ("age",),
        f"Aged under {CHILD_AGE}",
        lambda t, c: (t.age < CHILD_AGE).fill_null(False),
    ),
    Derived(
        "granted",
        ColumnType.BOOLEAN,
        ("granted_at",),
        "The order was granted",
        lambda t, c: t.granted_at.notnull(),
    ),
    Derived(
        "days_open",
        ColumnType.DOUBLE,
        ("recorded_at",),
        "Days from recording to the end of the period (state measures)",
        lambda t, c: (
            (t._period_next.epoch_seconds() - t.recorded_at.epoch_seconds()).cast("float64") / 86400
        ),
        snapshot=True,
    ),
    Derived(
        "review_overdue",
        ColumnType.BOOLEAN,
        ("next_review_due",),
        "The next supervisory review fell due before the end of the period (state measures)",
        lambda t, c: (t.next_review_due.cast("timestamp") < t._period_next).fill_null(False),
        snapshot=True,
    ),
)
# data.police.uk records (public_crimes, public_outcomes): their crime type is the police.uk
# category, and the local authority is the part of the LSOA name before its number
# ("Bedford 003A" -> "Bedford"; 2011 LSOA names carry the local authority's name).
_LSOA_NAME = r"^(.+) [0-9]{3}[A-Z]$"
DERIVED = (
    *DERIVED,
    Derived(
        "police_uk_category",
        ColumnType.STRING,
        ("crime_type",),
        "data.police.uk crime type (public records: their Crime type)",
        lambda t, c: t.crime_type,
        enum=POLICE_UK_CATEGORIES,
    ),
    Derived(
        "local_authority",
        ColumnType.STRING,
        ("lsoa_name",),
        "Local authority of a public record: its LSOA name without the LSOA number",
        lambda t, c: t.lsoa_name.re_extract(_LSOA_NAME, 1).nullif(""),
    ),
    Derived(
        "located",
        ColumnType.BOOLEAN,
        ("lsoa_code",),
        "A public record with a location (an LSOA)",
        lambda t, c: t.lsoa_code.notnull(),
    ),
)
DERIVED_BY_NAME = {d.name: d for d in DERIVED}


@dataclass(frozen=True, slots=True)
class Dimension:
    """A cut of the results. ``column`` names the (source, lookup or derived) column it groups
    by; ``domain`` lists every value an empty group is reported for (None: the values present)."""

    name: str
    column: str | None
    description: str
    domain: tuple[str, ...] | None = None
    domain_table: tuple[str, str] | None = None  # (reference table, column) holding the domain


def _enum(table: str, column: str) -> tuple[str, ...] | None:
    return TABLES[table].column(column).enum


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "force",
            "force",
            "Police force of the district (`districts.force`): one group in a single force's "
            "warehouse, one per force in a warehouse holding several",
            None,
            ("districts", "force"),
        ),
        Dimension(
            "area",
            "area",
            "The force's own policing area of the district (`districts.area`)",
            None,
            ("districts", "area"),
        ),
        Dimension("district", "district", "District name", None, ("districts", "district_name")),
        Dimension(
            "neighbourhood",
            "neighbourhood",
            "Neighbourhood name",
            None,
            ("neighbourhoods", "neighbourhood_name"),
        ),
        Dimension(
            "crime_group",
            "crime_group",
            "Survey crime group",
            _enum("survey_responses", "crime_group"),
        ),
        Dimension(
            "call_type_category",
            "call_type_category",
            "Incident type: the stable category of the call type",
            CALL_TYPE_CATEGORIES,
        ),
        Dimension("ho_group", "ho_group", "Home Office offence group", HO_GROUPS),
        Dimension(
            "police_uk_category",
            "police_uk_category",
            "data.police.uk crime type",
            POLICE_UK_CATEGORIES,
        ),
        Dimension(
            "crime_flag",
            None,
            "Crime flag (a crime counts once under each flag it "
            "carries; crimes with no flag are in no group)",
            CRIME_FLAGS,
        ),
        Dimension(
            "order_type", "order_type", "Civil order type", _enum("civil_orders", "order_type")
        ),
        Dimension("owning_unit", "owning_unit", "Unit owning the investigation"),
        Dimension("grade", "grade", "Incident grade", GRADES),
        Dimension(
            "falls_within",
            "falls_within",
            "Force a data.police.uk record falls within (its Falls within text)",
        ),
        Dimension(
            "local_authority",
            "local_authority",
            "Local authority of a data.police.uk record (from its LSOA name)",
        ),
        Dimension("lsoa", "lsoa_code", "Lower layer super output area of a data.police.uk record"),
    )
}


def lookup_columns(source: str) -> dict[str, tuple[Lookup, str]]:
    """Lookup columns reachable from ``source``: exposed name -> (lookup, reference column)."""
    own = set(TABLES[source].column_names)
    out: dict[str, tuple[Lookup, str]] = {}
    for lk in LOOKUPS:
        if lk.key in own and lk.table != source:
            for exposed, ref_col in lk.columns:
                if exposed not in own:
                    out[exposed] = (lk, ref_col)
    return out


def available_columns(source: str, *, snapshot: bool = False) -> dict[str, ColumnInfo]:
    """Every column a measure over ``source`` may name, with its type and enumeration."""
    out = {
        c.name: ColumnInfo(c.name, c.type, c.enum, c.description) for c in TABLES[source].columns
    }
    for name, (lk, ref_col) in lookup_columns(source).items():
        col = TABLES[lk.table].column(ref_col)
        out[name] = ColumnInfo(name, col.type, col.enum, f"{col.description} (via {lk.table})")
    for d in DERIVED:
        if d.name in out or (d.snapshot and not snapshot):
            continue
        if all(n in out for n in d.needs):
            out[d.name] = ColumnInfo(d.name, d.type, d.enum, d.description)
    return out


def dimension_available(dim: Dimension, columns: dict[str, ColumnInfo]) -> bool:
    if dim.column is None:  # crime_flag
        return all(f in columns for f in CRIME_FLAGS)
    return dim.column in columns


# Outcome groups are re-exported for docs that list lookup enumerations.
__all__ = [
    "CRIME_FLAGS",
    "DERIVED",
    "DIMENSIONS",
    "LOOKUPS",
    "OUTCOME_GROUPS",
    "ColumnInfo",
    "Derived",
    "Dimension",
    "Lookup",
    "available_columns",
    "lookup_columns",
]
