"""Tiny hand-built warehouses for the harm tests: a few crimes, victims and suspects."""

from __future__ import annotations

from pathlib import Path

import duckdb

from rows import insert

CAMBRIDGE, PETERBOROUGH = "E07000008", "E06000031"  # South, North
NEIGHBOURHOODS = [
    ("CAM1", CAMBRIDGE, "Cambridge City Centre"),
    ("CAM2", CAMBRIDGE, "Cambridge East"),
    ("PBO1", PETERBOROUGH, "Peterborough Central"),
]


def add_crime(
    con: duckdb.DuckDBPyConnection,
    crime_id: str,
    recorded_at: str,
    offence: str,
    *,
    district: str = CAMBRIDGE,
    neighbourhood: str | None = "CAM1",
    domestic_abuse: bool = False,
    status: str = "open",
    occurred_at: str | None = None,
    lsoa: str | None = None,
    victims: tuple[str, ...] = (),
    suspects: tuple[str, ...] = (),
    priority_group: str | None = None,
) -> None:
    insert(
        con,
        "crimes",
        [
            {
                "crime_id": crime_id,
                "recorded_at": recorded_at,
                "offence_code": offence,
                "district_code": district,
                "neighbourhood_code": neighbourhood,
                "domestic_abuse": domestic_abuse,
                "status": status,
                "occurred_at": occurred_at,
                "lsoa_code": lsoa,
            }
        ],
    )
    insert(
        con,
        "crime_victims",
        [{"crime_id": crime_id, "victim_id": v, "priority_group": priority_group} for v in victims],
    )
    insert(con, "crime_suspects", [{"crime_id": crime_id, "person_id": s} for s in suspects])


def new_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse with the shipped reference data, the demo force's districts and three
    neighbourhoods, opened writable."""
    from force_helpers import create_force
    from forcepack.warehouse import connect

    create_force(path)
    con = connect(path, read_only=False)
    con.executemany("INSERT INTO neighbourhoods VALUES (?, ?, ?)", NEIGHBOURHOODS)
    return con
