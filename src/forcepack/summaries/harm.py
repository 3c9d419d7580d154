"""Aggregate, non-personal Crime Harm Index figures for the board paper and ``forcepack harm
summary`` (no person ids leave this module).

Totals, crime counts, rates per 1,000 people and the repeat victimisation share are the
catalogue's ``harm.*`` measures (``measures/catalogue/harm.toml``), read through
:func:`forcepack.measures.compute` for the force, each area and each district. Two figures
rank or count people, which a measure cannot: the concentration of harm on the most harmed
victims (:func:`forcepack.harm.concentration`) and the victims the neighbourhood lists would
name (:func:`forcepack.harm.lists.list_coverage`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from forcepack.harm import DEFAULT_TOP, concentration
from forcepack.harm.lists import list_coverage
from forcepack.harm.score import WINDOW_MONTHS, parse_month, window
from forcepack.measures import Window
from forcepack.summaries.figures import Figures

TOTAL, PER_1000, REPEAT_SHARE = "harm.total_days", "harm.per_1000", "harm.repeat_victim_share"
#: The catalogue measures the harm summary reports.
HARM_MEASURES = (TOTAL, PER_1000, REPEAT_SHARE)


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


def _weighting(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT any_value(weighting) FROM crime_harm").fetchone()
    return "" if row is None or row[0] is None else str(row[0])


def harm_summary(
    con: duckdb.DuckDBPyConnection,
    month: str | dt.date,
    *,
    months: int = WINDOW_MONTHS,
    top: int = DEFAULT_TOP,
) -> HarmSummary:
    """Harm totals, rates, concentration and list sizes for the ``months`` to ``month``.

    Raises :class:`forcepack.errors.DataError` when the harm tables were not built from the
    data the warehouse holds (run ``forcepack warehouse derive``). A month outside the data
    counts nothing.
    """
    end_month = parse_month(month)
    window(end_month, months)  # the window's length is checked as the lists check it
    win = Window.parse(f"rolling:{months}").label
    force = Figures(con, HARM_MEASURES, end_month, [win])
    total, rate = force.get(TOTAL, win), force.get(PER_1000, win)
    listed = list_coverage(con, end_month, months, top=top)
    districts = con.execute(
        "SELECT district_code, district_name, area FROM districts ORDER BY district_code"
    ).fetchall()

    def places(level: str, rows: list[tuple[str, str]]) -> tuple[PlaceHarm, ...]:
        cut = Figures(con, (TOTAL, PER_1000), end_month, [win], by=(level,))
        out = []
        for code, name in rows:
            days, per = cut.get(TOTAL, win, name), cut.get(PER_1000, win, name)
            on_lists = listed[level].get(str(code), 0)
            out.append(PlaceHarm(str(code), str(name), days.numerator, days.n, per.value, on_lists))
        return tuple(out)

    conc = concentration(con, end_month, months)
    return HarmSummary(
        month=end_month,
        months=months,
        weighting=_weighting(con),
        total_days=total.numerator,
        crimes=total.n,
        population=int(rate.denominator),
        per_1000=rate.value,
        victims=conc.victims,
        repeat_victims=conc.repeat_victims,
        top_1pct_share=conc.top_1pct_share,
        top_5pct_share=conc.top_5pct_share,
        repeat_victim_share=force.get(REPEAT_SHARE, win).value,
        list_top=top,
        areas=places("area", sorted({(a, a) for _, _, a in districts}, key=str)),
        districts=places("district", [(c, n) for c, n, _ in districts]),
    )
