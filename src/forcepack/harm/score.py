"""Crime Harm Index scoring: harm per crime, and its sums per victim, offender, place and month.

All the work runs in DuckDB SQL. The scored crimes come from the ``crime_harm`` table when
``forcepack harm build`` has filled it, and otherwise are scored on the fly from the shipped
weights (``offences.harm_days``) with the default exclusions, so a reader never needs a
writable warehouse.

Definitions (also in ``docs/harm.md``):

- A crime is scored once, with its offence's weight; cancelled crimes are not recorded crime
  and are not scored.
- **Excluded** crimes (proactive offences, reports made long after the event) keep their score
  but are left out of every total, measure and list.
- The **window** "12 months to M" is the calendar months M-11 to M inclusive, by the month
  ``recorded_at`` falls in.
- A victim suffers the whole harm of each crime they are a victim of; an offender carries the
  whole harm of each crime they are a suspect in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

import duckdb

from forcepack import calendar
from forcepack.contract.derived_harm import ExclusionReason
from forcepack.contract.vocab import CrimeStatus, PlaceKind
from forcepack.errors import DataError, InputError
from forcepack.warehouse.sql import ident, lit, lit_list

#: Offences usually found by police activity rather than reported by a victim (Sherman 2020):
#: drug trafficking and possession (92A, 92C, 92D, 92E) and the possession of weapons offences
#: (10A firearms with intent, 10B firearms, 10C other weapons, 10D blade or point, 81 other
#: firearms, 90 other knives). Their counts measure enforcement, not harm suffered.
PROACTIVE_OFFENCES = frozenset({"92A", "92C", "92D", "92E", "10A", "10B", "10C", "10D", "81", "90"})
#: A crime recorded more than this many days after it happened is a late report.
LATE_REPORT_DAYS = 365
#: Default length of the harm window in months.
WINDOW_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Exclusions:
    """Which crimes are left out of harm totals and lists (their score is kept).

    ``proactive_offences``: offence codes found by police activity. ``late_report_days``: a
    crime recorded more than this many days after ``occurred_at`` (when known) is excluded;
    ``None`` keeps late reports.
    """

    proactive_offences: frozenset[str] = field(default=PROACTIVE_OFFENCES)
    late_report_days: int | None = LATE_REPORT_DAYS

    @classmethod
    def none(cls) -> Exclusions:
        return cls(frozenset(), None)

    def describe(self) -> str:
        parts = []
        if self.proactive_offences:
            parts.append("proactive offences " + ", ".join(sorted(self.proactive_offences)))
        if self.late_report_days is not None:
            parts.append(f"reports made over {self.late_report_days} days after the event")
        return "; ".join(parts) or "none"


class Level(StrEnum):
    """What harm is summed by: a crime, a person, a place or a month. The places a list can
    be scoped to are spelt as their :class:`~forcepack.contract.vocab.PlaceKind`."""

    CRIME = "crime"
    VICTIM = "victim"
    OFFENDER = "offender"
    NEIGHBOURHOOD = PlaceKind.NEIGHBOURHOOD.value
    LSOA = "lsoa"
    DISTRICT = PlaceKind.DISTRICT.value
    AREA = PlaceKind.AREA.value
    MONTH = "month"


def parse_month(text: str | dt.date) -> dt.date:
    """``"2019-12"`` -> 2019-12-01; a date is taken to its month (the one month rule,
    :func:`forcepack.calendar.parse`)."""
    return calendar.parse(text, "--month").first


def window(month: str | dt.date, months: int = WINDOW_MONTHS) -> tuple[dt.date, dt.date]:
    """``[start, end)`` of the ``months`` calendar months ending with ``month`` (inclusive)."""
    if months < 1:
        raise InputError(f"window of {months} months is not allowed; give 1 or more")
    last = calendar.parse(month, "--month")
    return (last - (months - 1)).first, last.end


def crime_harm_select(
    exclusions: Exclusions = Exclusions(),
    weights_table: str = "offences",
    weighting: str = "forcepack default CCHI",
) -> str:
    """The SELECT that scores every recorded crime (the ``crime_harm`` columns, in order).

    A crime whose offence has no weight in ``weights_table`` scores NULL; :func:`build` checks
    coverage first so that never reaches the table.
    """
    late = (
        "FALSE"
        if exclusions.late_report_days is None
        else f"(c.occurred_at IS NOT NULL AND c.recorded_at > c.occurred_at + INTERVAL "
        f"{int(exclusions.late_report_days)} DAY)"
    )
    proactive = (
        f"c.offence_code IN ({lit_list(sorted(exclusions.proactive_offences))})"
        if exclusions.proactive_offences
        else "FALSE"
    )
    weighting_sql = lit(weighting)
    return f"""
        SELECT c.crime_id, c.recorded_at, CAST(date_trunc('month', c.recorded_at) AS DATE) AS month,
               c.district_code, d.area, c.neighbourhood_code, c.lsoa_code, c.offence_code,
               CAST(w.harm_days AS DOUBLE) AS harm_days,
               ({proactive}) OR {late} AS excluded,
               CASE WHEN {proactive} THEN {lit(ExclusionReason.PROACTIVE)}
                    WHEN {late} THEN {lit(ExclusionReason.LATE_REPORT)} END
                   AS exclusion_reason,
               {weighting_sql} AS weighting, c.domestic_abuse, c.status
        FROM crimes c
        JOIN districts d USING (district_code)
        LEFT JOIN {ident(weights_table)} w USING (offence_code)
        WHERE c.status <> {lit(CrimeStatus.CANCELLED)}
    """


SIGNATURE_KEY = "harm.source_signature"


def source_signature(con: duckdb.DuckDBPyConnection) -> str:
    """A cheap fingerprint of the tables harm is built from: row counts and the latest load."""
    (sig,) = con.execute(  # type: ignore[misc]
        "SELECT concat_ws('/', (SELECT count(*) FROM crimes), (SELECT count(*) FROM "
        "crime_victims), (SELECT count(*) FROM crime_suspects), (SELECT coalesce("
        "CAST(max(started_at) AS VARCHAR), '-') FROM load_log))"
    ).fetchone()
    return str(sig)


def is_built(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``crime_harm`` holds scores of the current data; False when it is empty.

    Raises :class:`DataError` when it was built before the latest change to crimes, victims
    or suspects, so a list never silently misses the latest month.
    """
    (built,) = con.execute("SELECT count(*) > 0 FROM crime_harm").fetchone()  # type: ignore[misc]
    if not built:
        return False
    row = con.execute("SELECT value FROM forcepack_meta WHERE key = ?", [SIGNATURE_KEY]).fetchone()
    now = source_signature(con)
    if row is not None and row[0] != now:
        raise DataError(
            f"the harm tables were built from older data (crimes/victims/suspects/last load "
            f"{row[0]}, now {now})",
            hint="run `forcepack harm build` again",
        )
    return True


def crime_source(con: duckdb.DuckDBPyConnection) -> str:
    """SQL for the scored crimes: the built ``crime_harm`` table, or scored on the fly."""
    return "crime_harm" if is_built(con) else f"({crime_harm_select()})"


def victim_source(con: duckdb.DuckDBPyConnection) -> str:
    """SQL for harm per victim and crime: ``victim_harm``, or joined on the fly."""
    if is_built(con):
        return "victim_harm"
    return f"({victim_harm_select(f'({crime_harm_select()})')})"


def offender_source(con: duckdb.DuckDBPyConnection) -> str:
    """SQL for harm per suspect and crime: ``offender_harm``, or joined on the fly."""
    if is_built(con):
        return "offender_harm"
    return f"({offender_harm_select(f'({crime_harm_select()})')})"


_PER_CRIME = (
    "recorded_at, month, district_code, area, neighbourhood_code, offence_code, "
    "harm_days, excluded, domestic_abuse, status"
)


def victim_harm_select(crimes: str = "crime_harm", victims: str | None = None) -> str:
    """The SELECT of ``victim_harm`` from scored crimes: one row per victim and crime.

    ``victims`` (SQL of a set of victim ids) limits it to those victims' rows, all of them.

    ``repeat_victim``: the same victim has another scored crime recorded in the 12 months before
    this one (ties on recorded_at are broken by crime_id, so exactly one of two crimes recorded
    at the same moment is the repeat).
    """
    cols = ", ".join(f"ch.{c}" for c in _PER_CRIME.split(", "))
    return f"""
        WITH v AS (
            SELECT cv.crime_id, cv.victim_id, {cols}, cv.priority_group
            FROM crime_victims cv JOIN {crimes} ch USING (crime_id)
            {"" if victims is None else f"WHERE cv.victim_id IN {victims}"}
        )
        SELECT v.*, coalesce(lag(recorded_at) OVER (
                   PARTITION BY victim_id ORDER BY recorded_at, crime_id)
                   >= recorded_at - INTERVAL 12 MONTH, FALSE) AS repeat_victim
        FROM v
    """


def offender_harm_select(crimes: str = "crime_harm") -> str:
    cols = ", ".join(f"ch.{c}" for c in _PER_CRIME.split(", "))
    return f"""
        SELECT cs.crime_id, cs.person_id, {cols}
        FROM crime_suspects cs JOIN {crimes} ch USING (crime_id)
    """


_GROUP = {
    Level.CRIME: "crime_id",
    Level.NEIGHBOURHOOD: "neighbourhood_code",
    Level.LSOA: "lsoa_code",
    Level.DISTRICT: "district_code",
    Level.AREA: "area",
    Level.MONTH: "month",
    Level.VICTIM: "victim_id",
    Level.OFFENDER: "person_id",
}


def harm_by(
    con: duckdb.DuckDBPyConnection,
    level: Level | str,
    month: str | dt.date,
    months: int = WINDOW_MONTHS,
) -> list[tuple[str | dt.date | None, float, int]]:
    """Harm days and crimes per ``level`` in the ``months`` to ``month``, largest harm first.

    Rows are ``(key, harm_days, crimes)``; ties are ordered by key, and the unknown key (a crime
    with no neighbourhood or LSOA) comes last. Excluded crimes are left out.
    """
    level = Level(level)
    start, end = window(month, months)
    if level is Level.VICTIM:
        source = victim_source(con)
    elif level is Level.OFFENDER:
        source = offender_source(con)
    else:
        source = crime_source(con)
    key = _GROUP[level]
    order = "1" if level is Level.MONTH else f"({key} IS NULL), 2 DESC, 1"
    rows = con.execute(
        f"SELECT {key}, sum(harm_days), count(*) FROM {source} "
        "WHERE NOT excluded AND recorded_at >= ? AND recorded_at < ? "
        f"GROUP BY 1 ORDER BY {order}",
        [start, end],
    ).fetchall()
    return [(k, float(h), int(n)) for k, h, n in rows]


@dataclass(frozen=True, slots=True)
class Concentration:
    """The "power few": the share of victims' harm suffered by the most harmed victims."""

    victims: int
    harm_days: float
    top_1pct_share: float | None  # None when there are no victims
    top_5pct_share: float | None
    top_1pct_victims: int
    top_5pct_victims: int
    repeat_victims: int = 0  # victims of two or more (not excluded) crimes in the window


def concentration(
    con: duckdb.DuckDBPyConnection,
    month: str | dt.date,
    months: int = WINDOW_MONTHS,
    where: str = "TRUE",
    params: list[object] | None = None,
) -> Concentration:
    """Share of harm suffered by the top 1% and 5% of victims (by harm) in the window, and how
    many victims (with harm) had two or more crimes in it.

    The top p% is ``ceil(p/100 x victims)`` victims, so any victim count gives at least one.
    ``where`` narrows the victims' crimes (e.g. ``"area = ?"`` with ``params``). This ranks and
    counts people, which no catalogue measure expresses (a measure counts or sums records);
    harm totals, rates and the repeat victimisation share are catalogue measures (``harm.*``).
    """
    start, end = window(month, months)
    row = con.execute(
        f"""
        WITH per AS (
            SELECT victim_id, sum(harm_days) AS h, count(*) AS k FROM {victim_source(con)}
            WHERE NOT excluded AND recorded_at >= ? AND recorded_at < ? AND ({where})
            GROUP BY victim_id HAVING sum(harm_days) > 0
        ), ranked AS (
            SELECT h, k, row_number() OVER (ORDER BY h DESC, victim_id) AS r,
                   count(*) OVER () AS n
            FROM per
        )
        SELECT count(*), coalesce(sum(h), 0),
               coalesce(sum(h) FILTER (WHERE r <= ceil(n * 0.01)), 0),
               coalesce(sum(h) FILTER (WHERE r <= ceil(n * 0.05)), 0),
               coalesce(max(ceil(n * 0.01)), 0), coalesce(max(ceil(n * 0.05)), 0),
               count(*) FILTER (WHERE k >= 2)
        FROM ranked
        """,
        [start, end, *(params or [])],
    ).fetchone()
    assert row is not None
    n, total, top1, top5, n1, n5, repeats = row
    share = (lambda part: float(part) / float(total)) if total else (lambda part: None)
    return Concentration(
        int(n), float(total), share(top1), share(top5), int(n1), int(n5), int(repeats)
    )
