"""Random files: whatever bytes or cell text an extract holds, ingest either refuses it with a
forcepack error, leaving the warehouse as it was, or loads it with rows read = rows loaded +
rows quarantined. Nothing outside the error tree escapes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from force_helpers import create_force
from forcepack.errors import ForcepackError
from forcepack.ingest import LoadStatus, load_extract
from ingest_helpers import INCIDENT_HEADER, incident
from test_ingest_hostile_values import CALL_HEADER, SURVEY_HEADER, call, survey

NOW = dt.datetime(2020, 1, 15, 12, 0)
TABLES = {
    "incidents": (INCIDENT_HEADER, incident),
    "calls": (CALL_HEADER, call),
    "survey_responses": (SURVEY_HEADER, survey),
}
_names = itertools.count()


@pytest.fixture(scope="module")
def con(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    folder = tmp_path_factory.mktemp("hostile-random")
    db = create_force(folder / "warehouse.duckdb")
    connection = duckdb.connect(str(db))
    try:
        yield connection, folder
    finally:
        connection.close()


def _state(c: duckdb.DuckDBPyConnection) -> tuple[int, ...]:
    tables = ("incidents", "calls", "survey_responses", "load_log", "quarantine")
    return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)  # type: ignore[index]


def _check(c: duckdb.DuckDBPyConnection, folder: Path, table: str, data: bytes) -> None:
    path = folder / f"random-{next(_names)}.csv"
    path.write_bytes(data)
    before = _state(c)
    try:
        r = load_extract(c, table, path, now=NOW)
    except ForcepackError:
        assert _state(c) == before, "a refused file changed the warehouse"
        return
    assert r.rows_read == r.rows_loaded + r.rows_quarantined
    assert r.rows_loaded == r.inserted + r.updated + r.unchanged
    (logged,) = c.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined FROM load_log WHERE load_id = ?",
        [r.load_id],
    ).fetchall()
    assert logged == (r.rows_read, r.rows_loaded, r.rows_quarantined)
    if r.status is LoadStatus.LOADED:
        (n,) = c.execute(
            "SELECT count(DISTINCT row_number) FROM quarantine WHERE load_id = ?", [r.load_id]
        ).fetchone()  # type: ignore[misc]
        assert n == r.rows_quarantined


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(sorted(TABLES)),
    with_header=st.booleans(),
    body=st.binary(max_size=600),
)
@pytest.mark.slow
def test_random_bytes(
    con: tuple[duckdb.DuckDBPyConnection, Path], table: str, with_header: bool, body: bytes
) -> None:
    c, folder = con
    header = (",".join(TABLES[table][0]) + "\n").encode() if with_header else b""
    _check(c, folder, table, header + body)


def _cells(table: str) -> st.SearchStrategy[list[list[str]]]:
    header, make = TABLES[table]
    good = [make(i) for i in range(5)]
    cell = [
        st.one_of(st.text(max_size=25), st.sampled_from([g[j] for g in good]))
        for j in range(len(header))
    ]
    return st.lists(st.tuples(*cell).map(list), max_size=6)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_rows(con: tuple[duckdb.DuckDBPyConnection, Path], data: st.DataObject) -> None:
    c, folder = con
    table = data.draw(st.sampled_from(sorted(TABLES)))
    rows = data.draw(_cells(table))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TABLES[table][0])
    w.writerows(rows)
    _check(c, folder, table, buf.getvalue().encode("utf-8"))
