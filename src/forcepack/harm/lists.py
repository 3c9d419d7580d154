"""The monthly OFFICIAL-SENSITIVE harm lists: victims and offenders ranked by harm.

A list covers the 12 months to the month (inclusive) and one named neighbourhood, district or
area (force-wide only when asked for explicitly). Each person is placed in the neighbourhood,
district and area of their **most recent** crime in the window (latest ``recorded_at``, then
highest ``crime_id``), so nobody appears on two neighbourhoods' lists; their total counts all
their crimes in the window, wherever they happened.

**Ranking** (deterministic): total harm days, highest first; then more crimes first; then the
more recent latest crime first; then person id ascending. People whose crimes in the window
are all excluded (harm 0) are not listed, nor victims of a homicide in the window (they cannot
suffer further harm; ``HOMICIDE_OFFENCES``).

Lists are written only to the path given (CSV or XLSX, marked OFFICIAL-SENSITIVE in the file,
by the one writer :func:`forcepack.sensitive.write_sensitive`) and every list made is recorded
in ``access_log``: see :func:`write_list`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb
import pandas as pd

from forcepack import __version__
from forcepack.contract.vocab import CrimeStatus, PlaceKind, PriorityGroup
from forcepack.errors import InputError
from forcepack.harm.score import (
    WINDOW_MONTHS,
    offender_source,
    parse_month,
    victim_source,
    window,
)
from forcepack.sensitive import Scope, write_sensitive
from forcepack.warehouse.sql import lit, lit_list

#: Rows on a list unless the user asks for another number.
DEFAULT_TOP = 50
#: Offences whose victim has died (murder, manslaughter): their victims cannot suffer further
#: harm, so they are not put on victim lists (the crimes still count in every total).
HOMICIDE_OFFENCES = frozenset({"1", "4.1"})


class ListKind(StrEnum):
    VICTIMS = "victims"
    OFFENDERS = "offenders"

    @property
    def list_name(self) -> str:
        return f"harm {self.value}"


@dataclass(frozen=True, slots=True)
class HarmList:
    """A ranked list: its columns, its rows and what it covers."""

    kind: ListKind
    month: dt.date
    scope: Scope
    months: int
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    @property
    def period(self) -> str:
        start, _ = window(self.month, self.months)
        return f"{start:%Y-%m} to {self.month:%Y-%m}"


def resolve_scope(
    con: duckdb.DuckDBPyConnection, kind: PlaceKind | str, value: str | None
) -> Scope:
    """Check an area, district or neighbourhood exists (by code or name, any case), against the
    warehouse's own ``districts`` and ``neighbourhoods`` (see :mod:`forcepack.names`)."""
    from forcepack.names import resolve_place

    if kind == PlaceKind.FORCE:
        return Scope(PlaceKind.FORCE, "", "force-wide")
    place = resolve_place(con, kind, value or "")
    if place.kind is PlaceKind.AREA:
        return Scope(PlaceKind.AREA, place.code, place.name)
    return Scope(place.kind, place.code, f"{place.code} {place.name}")


_SCOPE_COLUMN = {
    PlaceKind.AREA: "area",
    PlaceKind.DISTRICT: "district_code",
    PlaceKind.NEIGHBOURHOOD: "neighbourhood_code",
}

#: What both lists say of a person's crimes in the window, and where the person is placed.
_CRIMES = (
    "total_harm_days",
    "crime_count",
    "repeat_count",
    "crime_ids",
    "offences",
    "offence_names",
    "crime_dates",
    "crime_harm_days",
    "latest_crime",
)
_PLACE = (
    "neighbourhood_code",
    "neighbourhood_name",
    "district_code",
    "district_name",
    "area",
)
VICTIM_COLUMNS = (
    "rank",
    "victim_id",
    *_CRIMES,
    "latest_contact",
    "open_investigations",
    "domestic_abuse",
    "priority_groups",
    "vulnerable",
    *_PLACE,
)
OFFENDER_COLUMNS = (
    "rank",
    "person_id",
    *_CRIMES,
    "open_investigations",
    "domestic_abuse",
    "victims",
    *_PLACE,
)


def make_list(
    con: duckdb.DuckDBPyConnection,
    kind: ListKind | str,
    month: str | dt.date,
    scope: Scope,
    *,
    top: int | None = DEFAULT_TOP,
    months: int = WINDOW_MONTHS,
) -> HarmList:
    """Rank the victims (or offenders) of the scope by harm in the ``months`` to ``month``."""
    kind = ListKind(kind)
    if top is not None and top < 1:
        raise InputError(f"--top {top} is not allowed; give 1 or more")
    end_month = parse_month(month)
    start, end = window(end_month, months)
    person = "victim_id" if kind is ListKind.VICTIMS else "person_id"
    source = victim_source(con) if kind is ListKind.VICTIMS else offender_source(con)
    seq = "ORDER BY recorded_at, crime_id"
    params: list[object] = [start, end]
    where = "TRUE"
    if scope.kind is not PlaceKind.FORCE:
        where = f"{_SCOPE_COLUMN[scope.kind]} = ?"
        params.append(scope.code)
    if kind is ListKind.VICTIMS:
        extra_agg = (
            "string_agg(DISTINCT priority_group, '; ' ORDER BY priority_group) AS pg, "
            f"bool_or(priority_group = {lit(PriorityGroup.VULNERABLE)}) AS vuln, "
            f"bool_or(offence_code IN ({lit_list(sorted(HOMICIDE_OFFENCES))})) AS killed"
        )
        extra_out = "c.last_contact, p.open_inv, p.da, p.pg, coalesce(p.vuln, FALSE)"
        extra_cte = (
            ", c AS (SELECT victim_id, max(contact_at) AS last_contact FROM "
            "victim_contacts WHERE contact_at < ? GROUP BY victim_id)"
        )
        extra_join = "LEFT JOIN c USING (victim_id)"
        params.append(end)
    else:
        extra_agg = "NULL AS pg, NULL AS vuln, FALSE AS killed"
        extra_out = "p.open_inv, p.da, coalesce(vc.victims, 0)"
        extra_cte = (
            ", vc AS (SELECT w.person_id, count(DISTINCT cv.victim_id) AS victims "
            "FROM w JOIN crime_victims cv USING (crime_id) GROUP BY w.person_id)"
        )
        extra_join = "LEFT JOIN vc USING (person_id)"
    limit = "" if top is None else f"LIMIT {int(top)}"
    # The scope is applied first (each person's most recent crime), so only the people of the
    # scope are aggregated.
    sql = f"""
        WITH w0 AS (
            SELECT * FROM {source}
            WHERE NOT excluded AND recorded_at >= ? AND recorded_at < ?
        ), h AS (
            SELECT {person}, neighbourhood_code, district_code, area FROM (
                SELECT {person}, neighbourhood_code, district_code, area,
                       row_number() OVER (PARTITION BY {person}
                                          ORDER BY recorded_at DESC, crime_id DESC) AS rn
                FROM w0) WHERE rn = 1 AND {where}
        ), w AS (
            SELECT w1.*, coalesce(o.offence_name, w1.offence_code) AS offence_name
            FROM (SELECT * FROM w0 SEMI JOIN h USING ({person})) w1
            LEFT JOIN offences o USING (offence_code)
        ), p AS (
            SELECT {person}, sum(harm_days) AS total, count(*) AS n, max(recorded_at) AS latest,
                   string_agg(crime_id, '; ' {seq}) AS ids,
                   string_agg(offence_code, '; ' {seq}) AS offences,
                   string_agg(offence_name, '; ' {seq}) AS offence_names,
                   string_agg(strftime(recorded_at, '%Y-%m-%d'), '; ' {seq}) AS dates,
                   string_agg(printf('%g', harm_days), '; ' {seq}) AS harms,
                   count(*) FILTER (WHERE status = {lit(CrimeStatus.OPEN)}) AS open_inv,
                   bool_or(domestic_abuse) AS da, {extra_agg}
            FROM w GROUP BY {person}
        ){extra_cte}
        SELECT row_number() OVER (ORDER BY p.total DESC, p.n DESC, p.latest DESC, p.{person})
                   AS rank,
               p.{person}, p.total, p.n, p.n - 1, p.ids, p.offences, p.offence_names,
               p.dates, p.harms, p.latest, {extra_out},
               h.neighbourhood_code, nb.neighbourhood_name, h.district_code, ds.district_name,
               h.area
        FROM p JOIN h USING ({person}) {extra_join}
        LEFT JOIN neighbourhoods nb ON nb.neighbourhood_code = h.neighbourhood_code
        LEFT JOIN districts ds ON ds.district_code = h.district_code
        WHERE p.total > 0 AND NOT p.killed
        ORDER BY rank {limit}
    """
    rows = con.execute(sql, params).fetchall()
    columns = VICTIM_COLUMNS if kind is ListKind.VICTIMS else OFFENDER_COLUMNS
    return HarmList(kind, end_month, scope, months, columns, tuple(tuple(r) for r in rows))


def _cell(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _about(result: HarmList) -> str:
    return (
        f"{result.kind.list_name} for {result.scope}, recorded crime {result.period}; "
        f"{len(result.rows)} rows; forcepack {__version__}"
    )


def write_list(
    con: duckdb.DuckDBPyConnection,
    kind: ListKind | str,
    month: str | dt.date,
    scope: Scope,
    out: Path,
    *,
    top: int | None = DEFAULT_TOP,
    months: int = WINDOW_MONTHS,
    user: str | None = None,
    force: bool = False,
    warehouse: Path | None = None,
) -> HarmList:
    """Make a list, write it to ``out`` and record it in ``access_log`` (``con`` writable).

    Written by :func:`forcepack.sensitive.write_sensitive`: CSV (a ``marking`` column first)
    or XLSX (marking, handling note and what the list covers in rows 1-3, the header in row
    5, the marking in the page header and footer). The file appears only once its access-log
    row is committed; an existing ``out`` is replaced only with ``force``.
    """
    result = make_list(con, kind, month, scope, top=top, months=months)
    frame = pd.DataFrame(
        [[_cell(v) for v in r] for r in result.rows], columns=list(result.columns), dtype=object
    )
    write_sensitive(
        con,
        frame,
        out,
        list_name=result.kind.list_name,
        scope=str(scope),
        period=f"{result.month:%Y-%m}",
        about=(_about(result),),
        sheet=result.kind.list_name.replace(" ", "_"),
        force=force,
        warehouse=warehouse,
        user=user,
    )
    return result


#: Places the list coverage is counted for: level -> the ``districts`` column that names them.
_COVERAGE_LEVELS = {PlaceKind.AREA: "d.area", PlaceKind.DISTRICT: "d.district_code"}


def list_coverage(
    con: duckdb.DuckDBPyConnection,
    month: str | dt.date,
    months: int = WINDOW_MONTHS,
    *,
    top: int = DEFAULT_TOP,
) -> dict[str, dict[str, int]]:
    """How many victims the neighbourhood lists of ``month`` would name, per area and district:
    ``{"area": {area: n}, "district": {district_code: n}}`` (places with none are left out).

    In each neighbourhood at most ``top`` are named, and a victim is placed by their most
    recent crime in the window, as on the lists (victims of a homicide and those with no
    harm are not listed). This follows the lists' placement and cap, which no catalogue
    measure expresses: a measure counts records, not the people a ranking would name.
    """
    start, end = window(month, months)
    homicide = lit_list(sorted(HOMICIDE_OFFENCES))
    latest = "strftime(recorded_at, '%Y%m%d%H%M%S.%f') || crime_id"  # most recent crime wins
    out: dict[str, dict[str, int]] = {}
    for level, code in _COVERAGE_LEVELS.items():
        rows = con.execute(
            f"""
            WITH v AS (SELECT victim_id, arg_max(neighbourhood_code, {latest}) AS nb,
                              arg_max(district_code, {latest}) AS district_code
                       FROM {victim_source(con)}
                       WHERE NOT excluded AND recorded_at >= ? AND recorded_at < ?
                       GROUP BY victim_id HAVING sum(harm_days) > 0
                       AND NOT bool_or(offence_code IN ({homicide}))),
            per_nb AS (SELECT {code} AS code, v.nb, least(count(*), {int(top)}) AS listed
                       FROM v JOIN districts d USING (district_code)
                       WHERE v.nb IS NOT NULL GROUP BY 1, 2)
            SELECT code, sum(listed) FROM per_nb GROUP BY code
            """,
            [start, end],
        ).fetchall()
        out[level] = {str(c): int(n) for c, n in rows}
    return out
