"""A second demo force unlike the first: seven districts in three areas, its own codes.

``forcepack demo --shape other`` builds "Wessex Vale Police", a made-up force whose geography,
names and codes share nothing with the Cambridgeshire-like demo force:

- **seven districts in three areas** (West, Central, East), with made-up names and codes, and
  neighbourhoods of their own;
- **offence codes outside the demo's list**: a share of some offences is recorded under other
  Home Office codes (distraction burglary, assault on a constable, racially or religiously
  aggravated harassment, blackmail);
- **its own call-type list**, with other codes and its own split of the domestic call type (on
  1 April 2019 rather than 6 January 2020), so its measures must span that change through
  ``call_types.category``.

The records are the demo generator's, redrawn onto this geography in the engine (one SQL
statement per table over the generated Arrow tables): the first demo's districts map one to
one onto six of the new ones, and one of them is split in two by neighbourhood. Volumes, trends
and seasonality are therefore those of the calibrated demo; what differs is everything a force
names. Deterministic: the same seed gives the same files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from forcepack.contract.spec import TABLES
from forcepack.demo.config import DISTRICTS, POPULATION_YEAR, DemoConfig
from forcepack.warehouse.core import open_duckdb
from forcepack.warehouse.sql import ident, lit

FORCE_NAME = "Wessex Vale Police"
#: The date this force split its domestic call type.
SPLIT_DATE = dt.date(2019, 4, 1)


@dataclass(frozen=True, slots=True)
class NewDistrict:
    code: str
    name: str
    short: str
    area: str
    neighbourhoods: tuple[str, ...]


# Made-up district codes (the E07000 range stops well below 900) and names.
NEW_DISTRICTS = (
    NewDistrict(
        "E07000901",
        "Westhaven",
        "WHV",
        "West",
        ("Harbour", "Old Town", "Quayside", "Hillfort", "Marsh End", "Dock Road"),
    ),
    NewDistrict(
        "E07000902",
        "Marlcombe",
        "MRL",
        "West",
        ("Marlcombe Town", "Combe Valley", "Riverside", "Upper Marl"),
    ),
    NewDistrict(
        "E07000903",
        "Aldermoor",
        "ALD",
        "Central",
        ("Market Square", "Abbey", "Castle Hill", "Meadows", "University"),
    ),
    NewDistrict(
        "E07000904",
        "Redcliffe Down",
        "RCD",
        "Central",
        ("Redcliffe", "Downside", "Ashby Green", "Coldharbour"),
    ),
    NewDistrict(
        "E07000905", "Oakhurst", "OAK", "East", ("Oakhurst", "Fairlea", "Brookmead", "Heathside")
    ),
    NewDistrict("E07000906", "Saltmarsh", "SLT", "East", ("Saltmarsh", "Kingsferry", "Moorend")),
    NewDistrict("E07000907", "Eastmere", "EMR", "East", ("Eastmere", "Sandling")),
)
#: The first demo's district (by code) -> the new district(s) it becomes, in order of its
#: neighbourhoods: (new district index, number of the old district's neighbourhoods it takes).
_FROM_DEMO = {
    "E06000031": ((0, 6),),  # the city that rises in late 2019 becomes Westhaven
    "E07000010": ((1, 4),),
    "E07000008": ((2, 5),),
    "E07000012": ((3, 4),),
    "E07000009": ((4, 4),),
    "E07000011": ((5, 3), (6, 2)),  # split by neighbourhood in two
}
#: Offences recorded under other Home Office codes: (demo code, new code, share in %).
OFFENCE_CODES = (
    ("28E", "28G", 12),  # residential burglary -> distraction burglary (residential)
    ("105A", "104", 8),  # assault without injury -> on a constable
    ("8R", "8M", 10),  # harassment -> racially or religiously aggravated harassment
    ("49", "35", 3),  # other theft -> blackmail
)
#: The demo's call types -> this force's (code, name).
_CALL_TYPES = {
    "DOM": ("C01", "Domestic Incident"),
    "BURD": ("C10", "Burglary - Dwelling"),
    "BURO": ("C11", "Burglary - Commercial"),
    "ASLT": ("C20", "Assault"),
    "SEXO": ("C21", "Sexual Offences"),
    "PUBO": ("C22", "Public Disorder"),
    "CFS": ("C30", "Concern for Welfare"),
    "MISP": ("C31", "Missing Person"),
    "RTC": ("C40", "Road Traffic Collision"),
    "ROAD": ("C41", "Road Offences"),
    "ASBP": ("C50", "ASB Personal"),
    "ASBN": ("C51", "ASB Nuisance"),
    "THEF": ("C60", "Theft"),
    "CDAM": ("C61", "Criminal Damage"),
    "SUSP": ("C70", "Suspicious Activity"),
    "ALRM": ("C71", "Alarms"),
    "OTHR": ("C99", "Other"),
}
#: After the split, domestic calls are one of these two (this share of them the first).
_DOMESTIC_AFTER = (("C02", "Domestic Abuse"), ("C03", "Domestic Incident (Non-crime)"))
_DOMESTIC_ABUSE_SHARE = 70


def _populations() -> list[int]:
    pops = [0] * len(NEW_DISTRICTS)
    for d in DISTRICTS:
        parts = _FROM_DEMO[d.code]
        total = sum(n for _, n in parts)
        left = d.population
        for k, (i, n) in enumerate(parts):
            share = left if k == len(parts) - 1 else round(d.population * n / total)
            pops[i] += share
            left -= share
    return pops


def _register_rows(
    con: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Register ``rows`` (tuples in the order of ``columns``) as the view ``name``."""
    con.register(name, pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)}))


def _maps(con: duckdb.DuckDBPyConnection) -> None:
    """Mapping tables: districts, neighbourhoods, call types."""
    nb_rows = []
    for d in DISTRICTS:
        j = 0
        for i, n in _FROM_DEMO[d.code]:
            new = NEW_DISTRICTS[i]
            for local in range(n):
                nb_rows.append(
                    (
                        f"{d.short}-{j + 1:02d}",
                        new.code,
                        f"{new.short}-{local + 1:02d}",
                        f"{new.name} {new.neighbourhoods[local]}",
                    )
                )
                j += 1
    _register_rows(con, "_nmap", ("old_nb", "new_district", "new_nb", "new_name"), nb_rows)
    # records with a district but no neighbourhood: the first new district of the old one, or
    # for a split district, the second for a fifth of hashes per neighbourhood share
    drows = []
    for d in DISTRICTS:
        parts = _FROM_DEMO[d.code]
        first = NEW_DISTRICTS[parts[0][0]].code
        second = NEW_DISTRICTS[parts[-1][0]].code
        share = round(100 * parts[0][1] / sum(n for _, n in parts))
        drows.append((d.code, first, second, share))
    _register_rows(con, "_dmap", ("old", "first", "second", "first_share"), drows)
    areas = {d.code: d.area for d in NEW_DISTRICTS}
    con.register("_areas", pa.table({"code": list(areas), "area": list(areas.values())}))


def _district(col: str, key: str) -> str:
    """SQL: the new district of a record with old district ``col``, split by ``key``'s hash."""
    return (
        f"(SELECT CASE WHEN hash({key}) % 100 < m.first_share THEN m.first ELSE m.second END "
        f"FROM _dmap m WHERE m.old = {col})"
    )


def _offence(col: str, key: str) -> str:
    cases = " ".join(
        f"WHEN {col} = {lit(old)} AND hash({key} || 'offence') % 100 < {share} THEN {lit(new)}"
        for old, new, share in OFFENCE_CODES
    )
    return f"CASE {cases} ELSE {col} END"


def _call_type(col: str, at: str, key: str) -> str:
    cases = " ".join(
        f"WHEN {col} = {lit(old)} THEN {lit(new)}"
        for old, (new, _name) in _CALL_TYPES.items()
        if old != "DOM"
    )
    (abuse, _), (other, _) = _DOMESTIC_AFTER
    domestic = (
        f"WHEN {col} = 'DOM' AND {at} < DATE {lit(SPLIT_DATE.isoformat())} THEN "
        f"{lit(_CALL_TYPES['DOM'][0])} "
        f"WHEN {col} = 'DOM' AND hash({key} || 'domestic') % 100 < {_DOMESTIC_ABUSE_SHARE} "
        f"THEN {lit(abuse)} WHEN {col} = 'DOM' THEN {lit(other)}"
    )
    return f"CASE {domestic} {cases} ELSE {col} END"


def call_types_table() -> pa.Table:
    """This force's call types: the demo's categories under its own codes and split date."""
    from forcepack.demo.force_reference import rows as demo_rows
    from forcepack.demo.tables import make_table

    category = {str(r["call_type_code"]): r["category"] for r in demo_rows("call_types")}
    start = dt.date(2008, 4, 1)
    rows: list[tuple[object, ...]] = [
        (
            _CALL_TYPES["DOM"][0],
            _CALL_TYPES["DOM"][1],
            "domestic_abuse",
            start,
            SPLIT_DATE - dt.timedelta(days=1),
        )
    ]
    rows += [(code, name, "domestic_abuse", SPLIT_DATE, None) for code, name in _DOMESTIC_AFTER]
    rows += [
        (code, name, category[old], start, None)
        for old, (code, name) in _CALL_TYPES.items()
        if old != "DOM"
    ]
    names = ("call_type_code", "call_type_name", "category", "valid_from", "valid_to")
    return make_table("call_types", {n: [r[i] for r in rows] for i, n in enumerate(names)})


def districts_table() -> pa.Table:
    from forcepack.demo.tables import make_table

    return make_table(
        "districts",
        {
            "district_code": [d.code for d in NEW_DISTRICTS],
            "district_name": [d.name for d in NEW_DISTRICTS],
            "area": [d.area for d in NEW_DISTRICTS],
            "force": [FORCE_NAME] * len(NEW_DISTRICTS),
            "population": _populations(),
            "population_year": [POPULATION_YEAR] * len(NEW_DISTRICTS),
        },
    )


def _select(name: str, columns: tuple[str, ...]) -> str | None:
    """The SQL redrawing table ``name`` (reading ``src_<name>``, whose columns are
    ``columns``), or None to keep it as it is."""
    src = ident(f"src_{name}")
    if name == "neighbourhoods":
        return (
            "SELECT new_nb AS neighbourhood_code, new_district AS district_code, "
            "new_name AS neighbourhood_name FROM _nmap ORDER BY new_district, new_nb"
        )
    if name == "crimes":
        unit = (
            "CASE WHEN c.owning_unit LIKE 'NPT %' THEN 'NPT ' || "
            "(SELECT a.area FROM _areas a WHERE a.code = n.new_district) ELSE c.owning_unit END"
        )
        replace = {
            "district_code": "n.new_district",
            "neighbourhood_code": "n.new_nb",
            "offence_code": _offence("c.offence_code", "c.crime_id"),
            "owning_unit": unit,
        }
        select = ", ".join(f"{replace.get(c, 'c.' + ident(c))} AS {ident(c)}" for c in columns)
        return f"SELECT {select} FROM {src} c JOIN _nmap n ON n.old_nb = c.neighbourhood_code"
    if name == "incidents":
        replace = {
            "district_code": "coalesce(k.district_code, "
            + _district("i.district_code", "i.incident_id")
            + ")",
            "call_type_code": _call_type("i.call_type_code", "i.created_at", "i.incident_id"),
        }
        select = ", ".join(f"{replace.get(c, 'i.' + ident(c))} AS {ident(c)}" for c in columns)
        return (
            f"SELECT {select} FROM {src} i LEFT JOIN (SELECT incident_id, "
            "any_value(district_code) AS district_code FROM new_crimes "
            "WHERE incident_id IS NOT NULL GROUP BY 1) k USING (incident_id)"
        )
    if name == "survey_responses":
        replace = {
            "district_code": "coalesce(k.district_code, "
            + _district("s.district_code", "s.response_id")
            + ")"
        }
        select = ", ".join(f"{replace.get(c, 's.' + ident(c))} AS {ident(c)}" for c in columns)
        return (
            f"SELECT {select} FROM {src} s LEFT JOIN "
            "(SELECT crime_id, district_code FROM new_crimes) k USING (crime_id)"
        )
    if name in ("missing_episodes", "civil_orders"):
        key = TABLES[name].key[0]
        replace = {"district_code": _district("t.district_code", f"t.{ident(key)}")}
        select = ", ".join(f"{replace.get(c, 't.' + ident(c))} AS {ident(c)}" for c in columns)
        return f"SELECT {select} FROM {src} t"
    return None


def _redraw(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> pa.Table:
    sql = _select(name, tuple(table.column_names))
    if sql is None:
        return table
    con.register(f"src_{name}", table)
    try:
        return con.sql(sql).to_arrow_table().cast(table.schema)
    finally:
        con.unregister(f"src_{name}")


def generate_other(
    cfg: DemoConfig, progress: Callable[[str], None] | None = None
) -> Iterator[tuple[str, pa.Table]]:
    """Yield ``(table name, Arrow table)`` for every table of the second demo force.

    Incidents are held back until the crimes are redrawn: a linked incident takes its crime's
    new district."""
    from forcepack.demo.generate import generate_force

    con = open_duckdb()
    held: pa.Table | None = None
    try:
        _maps(con)
        for name, table in generate_force(cfg, progress):
            if name == "districts":
                yield name, districts_table()
            elif name == "call_types":
                yield name, call_types_table()
            elif name == "incidents":
                held = table
            else:
                out = _redraw(con, name, table)
                yield name, out
                if name == "crimes":
                    con.register("new_crimes", out)
                    if held is not None:
                        yield "incidents", _redraw(con, "incidents", held)
                        held = None
    finally:
        con.close()
