"""Materialise the victim care tables in the warehouse, in DuckDB SQL.

``build(con)`` rebuilds ``working_days``, ``victim_care_obligations`` and
``victim_care_victims`` from the force tables. Each entitlement contributes its obligations (see
:mod:`forcepack.compliance.vcc` and :mod:`forcepack.compliance.code`); an obligation is
included once its deadline has passed by ``as_of`` (default: the latest timestamp in the data),
so a month's figures do not change when later months are loaded. The build records the data it
was built from (:mod:`forcepack.warehouse.freshness`).

``build(con, changed=TABLE)`` rebuilds only the rows of the crimes in ``TABLE`` (a table with a
``crime_id`` column) and of every crime whose obligations can depend on ``as_of`` when it moved
since the last build (:func:`as_of_dependent`), in one transaction; the result is the same as a
full build.

**In slices.** A crime's obligations depend on its own rows alone (its victims, contacts and
investigation events), so a full build of many victims runs slice by slice: consecutive ranges
of ``crime_id`` holding about :data:`SLICE_VICTIMS` victims each (:func:`crime_slices`), each
slice its own transaction writing new tables that replace the old ones only once every
slice is built. Each query then joins, sorts and spills one slice's rows rather than all of
them, and a slice's temporary rows are freed when it commits, which bounds the disk a national
build needs; the tables are the same as one pass, and a failed build keeps the old ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import duckdb

from forcepack.compliance import code, vcc
from forcepack.compliance.calendar import FIRST_YEAR, LAST_YEAR, calendar_frame
from forcepack.compliance.obligations import BASE, CONTACTS, base_tables
from forcepack.contract.columns import CRIME_FLAGS
from forcepack.contract.ddl import create_statement
from forcepack.contract.derived_compliance import DIMENSIONS, Entitlement
from forcepack.contract.spec import TABLES
from forcepack.contract.vocab import ContactType, CrimeStatus
from forcepack.errors import DataError, WarehouseError
from forcepack.warehouse import freshness
from forcepack.warehouse.core import transaction
from forcepack.warehouse.sql import lit

OBLIGATIONS = "victim_care_obligations"
VICTIMS = "victim_care_victims"
CALENDAR = "working_days"

_DIM_NAMES = tuple(c.name for c in DIMENSIONS)


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote."""

    as_of: dt.datetime
    victims: int
    obligations: dict[str, int]  # entitlement -> rows
    calendar_days: int


#: The most victims one slice of a full build holds (unless one month alone holds more): at
#: five synthetic forces over five years (3.4 million victims) the one-pass build peaked at
#: 5.6 GB, so two million keeps a slice well inside an 8 GB memory limit.
SLICE_VICTIMS = 2_000_000


def victims_base_sql(as_of_param: str = "$as_of") -> str:
    """The victims of recorded (not cancelled) crimes with the crime's facts and clock end."""
    flags = ", ".join(f"c.{f}" for f in CRIME_FLAGS)
    return f"""
        SELECT v.crime_id, v.victim_id, v.priority_group, v.priority_group_recorded_at,
               v.vcc_agreed, v.vcc_contact_days, v.hub_referred_at, v.hub_referral_declined,
               c.recorded_at, c.status, c.outcome_at,
               least(coalesce(c.outcome_at, {as_of_param}), {as_of_param}) AS clock_end,
               c.district_code, d.area, c.owning_unit, c.offence_code, {flags}
        FROM crime_victims v
        JOIN crimes c USING (crime_id)
        LEFT JOIN districts d USING (district_code)
        WHERE c.status <> {lit(CrimeStatus.CANCELLED)}
    """


def default_as_of(con: duckdb.DuckDBPyConnection) -> dt.datetime:
    """00:00 after the last day with data (recording, contact, event, outcome, referral).

    An extract is taken to be complete to the end of its last day.
    """
    row = con.execute(
        """
        SELECT greatest(
            (SELECT max(recorded_at) FROM crimes), (SELECT max(outcome_at) FROM crimes),
            (SELECT max(contact_at) FROM victim_contacts),
            (SELECT max(event_at) FROM investigation_events),
            (SELECT max(hub_referred_at) FROM crime_victims))
        """
    ).fetchone()
    if row is None or row[0] is None:
        return dt.datetime(FIRST_YEAR, 1, 1)
    last: dt.datetime = row[0]
    return dt.datetime.combine(last.date() + dt.timedelta(days=1), dt.time())


def load_calendar(con: duckdb.DuckDBPyConnection) -> int:
    """Replace ``working_days`` with the England and Wales calendar covering the data.

    It spans every recording and event year (with a year before and two after), so every
    working-day deadline finds its day.
    """
    row = con.execute(
        "SELECT year(least((SELECT min(recorded_at) FROM crimes), "
        "(SELECT min(event_at) FROM investigation_events))), "
        "year(greatest((SELECT max(recorded_at) FROM crimes), "
        "(SELECT max(event_at) FROM investigation_events)))"
    ).fetchone()
    first, last = row or (None, None)
    first_year = min(FIRST_YEAR, int(first) - 1) if first is not None else FIRST_YEAR
    last_year = max(LAST_YEAR, int(last) + 2) if last is not None else LAST_YEAR
    frame = calendar_frame(first_year, last_year)
    _recreate(con, CALENDAR)
    con.register("_calendar_frame", frame)
    try:
        con.execute(
            f"INSERT INTO {CALENDAR} SELECT day, is_working_day, working_day_index, "
            "bank_holiday FROM _calendar_frame"
        )
    finally:
        con.unregister("_calendar_frame")
    return len(frame)


def _recreate(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop and recreate a derived table from the contract (faster than deleting every row)."""
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute(create_statement(TABLES[name]))


#: Days before the earlier ``as_of`` within which a recording or an investigation event can
#: still have an obligation whose deadline falls between the two: the longest deadline counted
#: from them is 5 working days, never more than a fortnight of calendar days.
AS_OF_MARGIN_DAYS = 45


def as_of_dependent(before: dt.datetime, after: dt.datetime) -> str:
    """SQL: the crimes whose obligations may differ between builds as of ``before`` and
    ``after`` on the same data. An open crime's clocks run to ``as_of``; a crime with an
    outcome stops its contact chains (VCC, monthly update) at the outcome, which is before
    either ``as_of``, so only its deadlines counted from the recording or an event (key-event
    contact, needs assessment, hub referral) can fall between the two."""
    if before == after:
        return "(SELECT NULL::VARCHAR AS crime_id WHERE false)"
    since = min(before, after) - dt.timedelta(days=AS_OF_MARGIN_DAYS)
    stamp = _timestamp(since)
    return (
        f"(SELECT crime_id FROM crimes WHERE outcome_at IS NULL OR recorded_at >= {stamp} "
        f"UNION SELECT crime_id FROM investigation_events WHERE event_at >= {stamp})"
    )


def recorded_as_of(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The ``as_of`` the victim care tables were last built with (None when not recorded)."""
    import json

    from forcepack.warehouse.core import DERIVED_KEY, META_TABLE

    row = con.execute(
        f"SELECT value FROM {META_TABLE} WHERE key = ?", [DERIVED_KEY + OBLIGATIONS]
    ).fetchone()
    if row is None:
        return None
    built = str(json.loads(str(row[0])).get("built_with", ""))
    if not built.startswith("as of "):
        return None
    try:
        return dt.datetime.strptime(built.removeprefix("as of "), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def crime_slices(
    con: duckdb.DuckDBPyConnection, most: int | None = None
) -> list[tuple[str | None, str | None]]:
    """``[lo, hi)`` ranges of ``crime_id`` in order, together covering every crime (None: no
    bound), each holding about ``most`` (default :data:`SLICE_VICTIMS`) victims of recorded
    crimes: at most ``most`` and the victims of one more crime, since a crime's victims are
    never split. One range, ``(None, None)``, when the victims fit in one.

    Ranges of the key rather than of recording months, so each slice's reads of the contacts,
    events and suspects skip the rest of those tables by their stored minimum and maximum
    ``crime_id`` (a force's crimes are loaded together, and its ids follow each other), where
    months would read every force's rows in every slice."""
    most = SLICE_VICTIMS if most is None else most
    victims = f"""
        SELECT v.crime_id, count(*) AS n
        FROM crime_victims v JOIN crimes c USING (crime_id)
        WHERE c.status <> {lit(CrimeStatus.CANCELLED)} GROUP BY 1
    """
    (total,) = con.execute(f"SELECT coalesce(sum(n), 0) FROM ({victims})").fetchone()  # type: ignore[misc]
    if total <= most:
        return [(None, None)]
    starts = [
        str(r[0])
        for r in con.execute(
            f"""
            SELECT min(crime_id) FROM (
                SELECT crime_id, sum(n) OVER (ORDER BY crime_id ROWS UNBOUNDED PRECEDING) - n
                       AS before
                FROM ({victims}))
            GROUP BY before // {int(most)} ORDER BY 1
            """
        ).fetchall()
    ]
    bounds: list[str | None] = [None, *starts[1:], None]
    return list(itertools.pairwise(bounds))


def crime_range(lo: str | None, hi: str | None) -> str | None:
    """SQL: ``crime_id`` in ``[lo, hi)`` (None: no condition)."""
    parts = [
        *([f"crime_id >= {lit(lo)}"] if lo is not None else []),
        *([f"crime_id < {lit(hi)}"] if hi is not None else []),
    ]
    return " AND ".join(parts) or None


def _obligation_columns() -> str:
    return ", ".join(TABLES[OBLIGATIONS].stored_names)


def build(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: dt.datetime | None = None,
    changed: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    inputs: Mapping[str, str] | None = None,
) -> BuildResult:
    """Rebuild the victim care tables (the connection must be writable, with no transaction
    open).

    With ``changed`` (a table of ``crime_id``), only those crimes' rows and the rows that
    depend on a moved ``as_of`` are rebuilt, in one transaction; the caller guarantees the
    tables were last built from data that differ only in those crimes. A full build writes new
    tables slice by slice (:func:`_full_build`) and calls ``progress(done, slices)`` after each.
    Either way a failed build leaves the victim care tables as they were. ``inputs``: the
    fingerprints of the tables read, when the caller has them (see
    :func:`forcepack.warehouse.freshness.stamp`)."""
    as_of = as_of or default_as_of(con)
    before = recorded_as_of(con) if changed is not None else None
    if changed is not None and before is None:
        changed = None  # no record of the last as_of: rebuild everything
    if changed is None:
        return _full_build(con, as_of, progress, inputs)
    assert before is not None
    try:
        with transaction(con):
            days = load_calendar(con)
            redo = f"(SELECT crime_id FROM {changed} UNION {as_of_dependent(before, as_of)})"
            con.execute(f"CREATE TEMP TABLE _fp_care_crimes AS {redo}")
            for name in (OBLIGATIONS, VICTIMS):
                con.execute(
                    f"DELETE FROM {name} WHERE crime_id IN (SELECT crime_id FROM _fp_care_crimes)"
                )
            _build_slice(con, as_of, "crime_id IN (SELECT crime_id FROM _fp_care_crimes)")
            con.execute("DROP TABLE IF EXISTS _fp_care_crimes")
            result = _finish(con, as_of, days, inputs)
    except duckdb.Error as err:
        raise _failed(err) from err
    return result


#: Prefix of the tables a full build writes before they replace the victim care tables.
BUILDING = "_fp_building_"


def _full_build(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.datetime,
    progress: Callable[[int, int], None] | None,
    inputs: Mapping[str, str] | None,
) -> BuildResult:
    """Build the victim care tables anew under :data:`BUILDING` names, one transaction a slice
    of crimes (so the temporary rows of a slice are freed when it commits: in one
    transaction a national build's spilled slices filled the disk), then swap them in for the
    old tables in one last transaction. The calendar is replaced first: it depends only on the
    years the data span. On failure the new tables are dropped and the old ones kept."""
    into = {name: BUILDING + name for name in (OBLIGATIONS, VICTIMS)}
    try:
        with transaction(con):
            days = load_calendar(con)
            for name, new in into.items():
                con.execute(f"DROP TABLE IF EXISTS {new}")
                con.execute(create_statement(TABLES[name], name=new))
            slices = crime_slices(con)
        for i, (lo, hi) in enumerate(slices, 1):
            with transaction(con):
                _build_slice(con, as_of, crime_range(lo, hi), into=into)
            if progress is not None:
                progress(i, len(slices))
        with transaction(con):
            for name, new in into.items():
                con.execute(f"DROP TABLE IF EXISTS {name}")
                con.execute(f"ALTER TABLE {new} RENAME TO {name}")
            result = _finish(con, as_of, days, inputs)
    except duckdb.Error as err:
        for new in into.values():
            con.execute(f"DROP TABLE IF EXISTS {new}")
        raise _failed(err) from err
    return result


def _finish(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.datetime,
    days: int,
    inputs: Mapping[str, str] | None,
) -> BuildResult:
    """Count what the tables hold and stamp them as built from the data now (in the build's
    last transaction)."""
    counts = {
        str(name): int(n)
        for name, n in con.execute(
            f"SELECT entitlement, count(*) FROM {OBLIGATIONS} GROUP BY 1"
        ).fetchall()
    }
    counts = {
        name: counts.get(name, 0)
        for name, _ in (*vcc.obligation_queries(), *code.obligation_queries())
    }
    (victims,) = con.execute(f"SELECT count(*) FROM {VICTIMS}").fetchone()  # type: ignore[misc]
    freshness.stamp(
        con, "victim care", built_with=f"as of {as_of:%Y-%m-%d %H:%M:%S}", inputs=inputs
    )
    return BuildResult(as_of=as_of, victims=int(victims), obligations=counts, calendar_days=days)


def _failed(err: duckdb.Error) -> WarehouseError:
    return WarehouseError(
        f"building the victim care tables failed: {err}",
        hint="check the warehouse is writable and was created by this forcepack version",
    )


def _timestamp(value: dt.datetime) -> str:
    return "TIMESTAMP " + lit(value.strftime("%Y-%m-%d %H:%M:%S"))


def _build_slice(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.datetime,
    where: str | None,
    *,
    into: dict[str, str] | None = None,
) -> None:
    """Insert the obligations and victim rows of the victims whose crimes match ``where`` (an
    SQL condition on ``crime_id`` alone; None: every victim), into the victim care tables or
    the tables ``into`` names for them."""
    into = into or {}
    obligations, victims = into.get(OBLIGATIONS, OBLIGATIONS), into.get(VICTIMS, VICTIMS)
    base = victims_base_sql()
    if where is not None:
        base = f"SELECT * FROM ({base}) WHERE {where}"
    temps = (BASE, *(name for name, _ in base_tables()))
    for name in temps:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute(f"CREATE TEMP TABLE {BASE} AS {base}", {"as_of": as_of})
    for name, sql in base_tables(where):
        con.execute(f"CREATE TEMP TABLE {name} AS {sql}")
    for _name, sql in (*vcc.obligation_queries(), *code.obligation_queries()):
        con.execute(
            f"INSERT INTO {obligations} ({_obligation_columns()}) {sql}",
            {"as_of": as_of} if "$as_of" in sql else {},
        )
    con.execute(
        f"INSERT INTO {victims} ({', '.join(TABLES[VICTIMS].stored_names)}) "
        f"{_victims_sql(obligations, where)}"
    )
    for name in temps:
        con.execute(f"DROP TABLE {name}")


def require_built(con: duckdb.DuckDBPyConnection) -> None:
    """Raise :class:`DataError` if victims were loaded but the victim care tables are empty, or
    they were built from older data than the warehouse holds now."""
    (victims, built) = con.execute(  # type: ignore[misc]
        f"SELECT (SELECT count(*) FROM crime_victims), (SELECT count(*) FROM {VICTIMS})"
    ).fetchone()
    if victims and not built:
        raise DataError(
            f"the victim care tables are empty although crime_victims has {victims:,} rows",
            hint="run `forcepack victims build --db PATH` after loading the extracts",
        )
    freshness.require_fresh(con, (OBLIGATIONS, VICTIMS))


def _victims_sql(obligations: str, where: str | None) -> str:
    """One row per victim of ``_victims_base`` from its obligations in ``obligations``, read by
    the base's own condition ``where`` alone: the rows of the crimes it matches are the ones
    just built from the base (a slice's are new; a rebuild of changed crimes deleted theirs
    first), and a slice's read of the table it appends to skips the earlier slices' rows by
    their stored range of ``crime_id``."""
    dims = ", ".join(f"b.{d}" for d in _DIM_NAMES)
    built = f"WHERE {where}" if where is not None else ""
    vcc = lit(Entitlement.VCC_CONTACT)
    return f"""
        WITH agg AS (
            SELECT crime_id, victim_id,
                   count(*) FILTER (WHERE entitlement = {vcc}) AS vcc_due,
                   count(*) FILTER (WHERE entitlement = {vcc} AND NOT met) AS vcc_missed,
                   count(*) FILTER (WHERE code_entitlement) AS code_due,
                   count(*) FILTER (WHERE code_entitlement AND NOT met) AS code_missed
            FROM {obligations} {built} GROUP BY crime_id, victim_id
        ),
        assessed AS (
            SELECT DISTINCT crime_id, victim_id FROM {CONTACTS}
            WHERE contact_type = {lit(ContactType.NEEDS_ASSESSMENT)}
        )
        SELECT b.crime_id, b.victim_id, b.recorded_at,
               date_trunc('month', b.recorded_at)::DATE, b.status, b.outcome_at,
               b.priority_group, b.priority_group_recorded_at,
               CASE WHEN b.priority_group IS NULL THEN NULL
                    ELSE coalesce(b.priority_group_recorded_at::DATE <= b.recorded_at::DATE, true)
               END,
               b.vcc_agreed, b.vcc_contact_days,
               coalesce(a.vcc_due, 0), coalesce(a.vcc_missed, 0),
               CASE WHEN b.vcc_agreed AND coalesce(a.vcc_due, 0) > 0 THEN a.vcc_missed = 0 END,
               coalesce(a.code_due, 0), coalesce(a.code_missed, 0),
               CASE WHEN coalesce(a.code_due, 0) > 0 THEN a.code_missed = 0 END,
               b.hub_referred_at IS NOT NULL, b.hub_referred_at, b.hub_referral_declined,
               s.crime_id IS NOT NULL,
               {dims}
        FROM _victims_base b
        LEFT JOIN agg a USING (crime_id, victim_id)
        LEFT JOIN assessed s USING (crime_id, victim_id)
    """
