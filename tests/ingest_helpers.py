"""Tiny hand-made extracts for the ingest tests (valid against the shipped reference data)."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import duckdb

from forcepack.ingest import LoadResult, LoadStatus
from forcepack.warehouse.core import open_duckdb
from forcepack.warehouse.sql import ident, lit
from rows import csv_row

#: The name a warehouse is attached by while :func:`fetch` reads it.
_ATTACHED = "_fp_read"

INCIDENT_HEADER = [
    "incident_id",
    "created_at",
    "call_type_code",
    "grade",
    "district_code",
    "dispatched_at",
    "arrived_at",
    "delay_reason",
    "source",
    "verbal_only",
]
CRIME_HEADER = [
    "crime_id",
    "recorded_at",
    "offence_code",
    "district_code",
    "neighbourhood_code",
    "incident_id",
    "domestic_abuse",
    "hate_crime",
    "child_sexual_abuse",
    "child_sexual_exploitation",
    "serious_sexual_offence",
    "knife_crime",
    "status",
    "outcome_code",
    "outcome_at",
    "next_review_due",
]
DISTRICTS = ["E07000008", "E07000009", "E07000010", "E07000011", "E07000012", "E06000031"]


def incident(i: int, **change: str) -> list[str]:
    """A valid incident: created 1 Dec 2019 plus i minutes, attended 12 minutes later."""
    day, minute = divmod(i, 24 * 60)
    hh, mm = divmod(minute, 60)
    created = f"2019-12-{1 + day % 28:02d} {hh:02d}:{mm:02d}:00"
    arrived_mm = mm + 12
    arrived = (
        f"2019-12-{1 + day % 28:02d} {hh + arrived_mm // 60:02d}:{arrived_mm % 60:02d}:00"
        if hh < 23
        else ""
    )
    row: dict[str, object] = {
        "incident_id": f"INC{i:06d}",
        "created_at": created,
        "call_type_code": "BURD",
        "grade": "immediate",
        "district_code": DISTRICTS[i % 6],
        "dispatched_at": created,
        "arrived_at": arrived,
        "source": "999",
        "verbal_only": False,
    }
    return csv_row("incidents", INCIDENT_HEADER, **{**row, **change})


def crime(i: int, **change: str) -> list[str]:
    row: dict[str, object] = {
        "crime_id": f"CR{i:05d}",
        "recorded_at": f"2019-11-{1 + i % 28:02d} 09:30:00",
        "district_code": DISTRICTS[i % 6],
        "status": "open",
        "next_review_due": "2019-12-31",
    }
    return csv_row("crimes", CRIME_HEADER, **{**row, **change})


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


@functools.cache
def _reader() -> duckdb.DuckDBPyConnection:
    """One in-memory database per test process that attaches each warehouse to read it:
    attaching takes about 2 ms, where opening a database of its own takes about 25 ms (DuckDB
    builds its catalogue of functions for each), and the ingest tests read hundreds of times."""
    return open_duckdb()


def fetch(db: Path, sql: str) -> list[tuple]:
    """The rows of ``sql`` over the warehouse ``db``, read-only (after the load closed it)."""
    con = _reader()
    con.execute(f"ATTACH {lit(str(db))} AS {ident(_ATTACHED)} (READ_ONLY)")
    try:
        con.execute(f"USE {ident(_ATTACHED)}")
        return con.execute(sql).fetchall()
    finally:
        con.execute("USE memory")
        con.execute(f"DETACH {ident(_ATTACHED)}")


def count(db: Path, sql: str) -> int:
    return int(fetch(db, sql)[0][0])


def assert_accounts(db: Path, result: LoadResult) -> None:
    """rows read = loaded + quarantined, in the result and in load_log, and per table."""
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert result.rows_loaded == result.inserted + result.updated + result.unchanged
    (logged, distinct_rows) = fetch(
        db,
        "SELECT (SELECT list((rows_read, rows_loaded, rows_quarantined, status)) FROM load_log "
        f"WHERE load_id = '{result.load_id}'), (SELECT count(DISTINCT row_number) "
        f"FROM quarantine WHERE load_id = '{result.load_id}')",
    )[0]
    assert [tuple(r) for r in logged or []] == [
        (result.rows_read, result.rows_loaded, result.rows_quarantined, str(result.status))
    ]
    if result.status is LoadStatus.LOADED:
        assert distinct_rows == result.rows_quarantined
