"""Tiny hand-built warehouses for the harm tests: a few crimes, victims and suspects."""

from __future__ import annotations

from pathlib import Path

import duckdb

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
    con.execute(
        "INSERT INTO crimes (crime_id, recorded_at, offence_code, district_code, "
        "neighbourhood_code, domestic_abuse, hate_crime, child_sexual_abuse, "
        "child_sexual_exploitation, serious_sexual_offence, knife_crime, status, occurred_at, "
        "lsoa_code) VALUES (?, ?, ?, ?, ?, ?, FALSE, FALSE, FALSE, FALSE, FALSE, ?, ?, ?)",
        [
            crime_id,
            recorded_at,
            offence,
            district,
            neighbourhood,
            domestic_abuse,
            status,
            occurred_at,
            lsoa,
        ],
    )
    for v in victims:
        con.execute(
            "INSERT INTO crime_victims (crime_id, victim_id, priority_group, vcc_agreed, "
            "hub_referral_declined) VALUES (?, ?, ?, FALSE, FALSE)",
            [crime_id, v, priority_group],
        )
    for s in suspects:
        con.execute("INSERT INTO crime_suspects VALUES (?, ?)", [crime_id, s])


def new_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse with the shipped reference data, the demo force's districts and three
    neighbourhoods, opened writable."""
    from force_helpers import create_force
    from forcepack.warehouse import connect

    create_force(path)
    con = connect(path, read_only=False)
    con.executemany("INSERT INTO neighbourhoods VALUES (?, ?, ?)", NEIGHBOURHOODS)
    return con
