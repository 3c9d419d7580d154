"""What ``compute`` remembers between computations (a connection's database, its engine
cursor, each warehouse state's dimension domains) is never served for a changed warehouse."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack.measures import compute
from rows import insert


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    db = create_force(tmp_path / "state.duckdb")
    con = duckdb.connect(str(db))
    at = pd.Timestamp("2019-01-05").to_pydatetime()
    insert(con, "crimes", [{"crime_id": "a", "recorded_at": at}])
    con.close()
    return db


def _districts(df: pd.DataFrame) -> dict[str, int]:
    return dict(zip(df["district"], df["value"].astype(int), strict=True))


def _add_district(con: duckdb.DuckDBPyConnection, name: str) -> None:
    insert(con, "districts", [{"district_code": f"X{len(name)}", "district_name": name}])


def test_a_district_added_between_computations_is_reported(wh: Path) -> None:
    before = _districts(compute("crime.recorded", db=wh, by="district", cache_results=False))
    assert "Zz New District" not in before and sum(before.values()) == 1
    con = duckdb.connect(str(wh))
    _add_district(con, "Zz New District")
    con.close()
    after = _districts(compute("crime.recorded", db=wh, by="district", cache_results=False))
    assert after == {**before, "Zz New District": 0}


def test_a_change_on_the_same_writable_connection_is_reported(wh: Path) -> None:
    con = duckdb.connect(str(wh))
    try:
        before = _districts(compute("crime.recorded", con=con, by="district"))
        _add_district(con, "Zz Other District")
        after = _districts(compute("crime.recorded", con=con, by="district"))
        assert after == {**before, "Zz Other District": 0}
        insert(con, "crimes", [{"crime_id": "b", "recorded_at": pd.Timestamp("2019-01-07")}])
        assert sum(_districts(compute("crime.recorded", con=con, by="district")).values()) == 2
    finally:
        con.close()


def test_a_new_connection_after_one_is_closed_computes_afresh(wh: Path) -> None:
    first = duckdb.connect(str(wh), read_only=True)
    assert compute("crime.recorded", con=first, cache_results=False)["value"].tolist() == [1]
    first.close()  # closes the cursor its computations kept
    rw = duckdb.connect(str(wh))
    insert(rw, "crimes", [{"crime_id": "b", "recorded_at": pd.Timestamp("2019-01-07")}])
    rw.close()
    second = duckdb.connect(str(wh), read_only=True)
    try:
        assert compute("crime.recorded", con=second, cache_results=False)["value"].tolist() == [2]
    finally:
        second.close()


def test_threads_sharing_a_connection_each_get_the_figures(wh: Path) -> None:
    con = duckdb.connect(str(wh), read_only=True)
    want = compute("crime.recorded", con=con, by="district", cache_results=False)
    got: list[pd.DataFrame] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                got.append(compute("crime.recorded", con=con, by="district", cache_results=False))
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    con.close()
    assert not errors and len(got) == 15
    for df in got:
        pd.testing.assert_frame_equal(df, want)


def test_helper_tables_stay_off_the_callers_connection(wh: Path) -> None:
    con = duckdb.connect(str(wh))
    try:
        months = pd.date_range("2019-02-01", periods=12, freq="MS") + pd.Timedelta(days=9)
        insert(
            con, "crimes", [{"crime_id": f"m{i}", "recorded_at": m} for i, m in enumerate(months)]
        )
        year = compute("crime.recorded", con=con, window="rolling12", cache_results=False)
        assert year["value"].tolist() == [12, 12]  # to December 2019 and to January 2020
        temporary = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
        views = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        assert temporary == [] and views == []
    finally:
        con.close()
