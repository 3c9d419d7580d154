"""Aggregate, non-personal harm figures for the board paper (no person ids leave this module)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from forcepack.harm.lists import DEFAULT_TOP, HOMICIDE_OFFENCES
from forcepack.harm.score import (
    WINDOW_MONTHS,
    concentration,
    crime_source,
    parse_month,
    repeat_victim_share,
    victim_source,
    window,
)
from forcepack.warehouse.sql import lit_list


@dataclass(frozen=True, slots=True)
class PlaceHarm:
    """Harm in one area or district over the window."""

    code: str
    name: str
    harm_days: float
    crimes: int
    per_1000: float | None
    victims_on_lists: int  # victims the monthly neighbourhood lists would name (top N each)


@dataclass(frozen=True, slots=True)
class HarmSummary:
    month: dt.date
    months: int
    weighting: str
    total_days: float
    crimes: int
    population: int
    per_1000: float | None
    victims: int  # victims with harm in the window
    repeat_victims: int  # of whom victims of two or more (not excluded) crimes in the window
    top_1pct_share: float | None
    top_5pct_share: float | None
    repeat_victim_share: float | None  # share of victims' harm suffered in repeat victimisations
    list_top: int
    areas: tuple[PlaceHarm, ...]
    districts: tuple[PlaceHarm, ...]


def _weighting(con: duckdb.DuckDBPyConnection, source: str) -> str:
    if source != "crime_harm":
        return "forcepack default CCHI (scored on the fly)"
    row = con.execute("SELECT any_value(weighting) FROM crime_harm").fetchone()
    return str(row[0]) if row else ""


def summary(
    con: duckdb.DuckDBPyConnection,
    month: str | dt.date,
    *,
    months: int = WINDOW_MONTHS,
    top: int = DEFAULT_TOP,
) -> HarmSummary:
    """Harm totals, rate, concentration and list sizes for the ``months`` to ``month``.

    ``victims_on_lists`` counts, per area or district, the victims the neighbourhood lists of
    that month would name: in each neighbourhood at most ``top`` (people are placed by their
    most recent crime, as on the lists).
    """
    end_month = parse_month(month)
    start, end = window(end_month, months)
    crimes = crime_source(con)
    victims = victim_source(con)
    places: dict[str, list[PlaceHarm]] = {}
    homicide = lit_list(sorted(HOMICIDE_OFFENCES))
    latest = "strftime(recorded_at, '%Y%m%d%H%M%S.%f') || crime_id"  # most recent crime wins
    for level, code, name in (
        ("area", "d.area", "d.area"),
        ("district", "d.district_code", "any_value(d.district_name)"),
    ):
        rows = con.execute(
            f"""
            WITH pop AS (SELECT {code} AS code, {name} AS name, sum(d.population) AS population
                         FROM districts d GROUP BY 1),
            h AS (SELECT {code} AS code, sum(c.harm_days) AS harm, count(*) AS n
                  FROM {crimes} c JOIN districts d USING (district_code)
                  WHERE NOT c.excluded AND c.recorded_at >= ? AND c.recorded_at < ?
                  GROUP BY 1),
            v AS (SELECT victim_id, sum(harm_days) AS total,
                         arg_max(neighbourhood_code, {latest}) AS nb,
                         arg_max(district_code, {latest}) AS district_code
                  FROM {victims}
                  WHERE NOT excluded AND recorded_at >= ? AND recorded_at < ?
                  GROUP BY victim_id HAVING sum(harm_days) > 0
                  AND NOT bool_or(offence_code IN ({homicide}))),
            per_nb AS (SELECT {code} AS code, v.nb, least(count(*), {int(top)}) AS listed
                       FROM v JOIN districts d USING (district_code)
                       WHERE v.nb IS NOT NULL GROUP BY 1, 2),
            listed AS (SELECT code, sum(listed) AS listed FROM per_nb GROUP BY code)
            SELECT pop.code, pop.name, coalesce(h.harm, 0), coalesce(h.n, 0), pop.population,
                   coalesce(listed.listed, 0)
            FROM pop LEFT JOIN h USING (code) LEFT JOIN listed USING (code)
            ORDER BY pop.code
            """,
            [start, end, start, end],
        ).fetchall()
        places[level] = [
            PlaceHarm(
                str(c), str(n), float(h), int(k), float(h) / float(p) * 1000 if p else None, int(li)
            )
            for c, n, h, k, p, li in rows
        ]
    total = sum(p.harm_days for p in places["area"])
    n_crimes = sum(p.crimes for p in places["area"])
    (population,) = con.execute(  # type: ignore[misc]
        "SELECT coalesce(sum(population), 0) FROM districts"
    ).fetchone()
    conc = concentration(con, end_month, months)
    (repeat_victims,) = con.execute(  # type: ignore[misc]
        f"SELECT count(*) FROM (SELECT victim_id FROM {victims} WHERE NOT excluded "
        "AND recorded_at >= ? AND recorded_at < ? GROUP BY victim_id "
        "HAVING count(*) >= 2 AND sum(harm_days) > 0)",
        [start, end],
    ).fetchone()
    return HarmSummary(
        month=end_month,
        months=months,
        weighting=_weighting(con, crimes),
        total_days=total,
        crimes=n_crimes,
        population=int(population),
        per_1000=total / population * 1000 if population else None,
        victims=conc.victims,
        repeat_victims=int(repeat_victims),
        top_1pct_share=conc.top_1pct_share,
        top_5pct_share=conc.top_5pct_share,
        repeat_victim_share=repeat_victim_share(con, end_month, months),
        list_top=top,
        areas=tuple(places["area"]),
        districts=tuple(places["district"]),
    )
