"""The catalogue on Spark reading Parquet files gives the same results as DuckDB.

The small warehouse of ``test_measures_spark.py`` (every kind and window, a missing month, a
clock change) is derived and exported with ``forcepack warehouse export --parquet``; crimes are
then split into two files per force, as ``forcepack demo scale`` writes them. Spark reads the
files themselves (``compute(..., parquet=[DIR])``), not the warehouse's tables. Spark's medians
are exact (``percentile``, interpolated as DuckDB's ``median`` is), so no measure needs a
tolerance: every figure agrees to 1e-12. Run with ``pytest -m spark``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from forcepack.derive import derive
from forcepack.errors import InputError
from forcepack.measures import compute
from forcepack.measures import spark as sp
from forcepack.warehouse.parquet import export_parquet
from forcepack.warehouse.sql import ident, lit
from rows import insert
from test_measures_spark import CASES, spark_session, wh  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


@pytest.fixture(scope="module")
def derived(wh: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """A copy of the warehouse with victims added and its derived tables built."""
    db = tmp_path_factory.mktemp("parquet") / "derived.duckdb"
    shutil.copy(wh, db)
    con = duckdb.connect(str(db))
    ids = [r[0] for r in con.execute("SELECT crime_id FROM crimes ORDER BY 1").fetchall()]
    victims = [
        {"crime_id": c, "victim_id": f"v{i % 7}", "vcc_agreed": True, "vcc_contact_days": 28}
        for i, c in enumerate(ids)
    ]
    insert(con, "crime_victims", victims)
    con.close()
    derive(db)
    return db


@pytest.fixture(scope="module")
def files(derived: Path) -> Path:
    out = derived.parent / "files"
    con = duckdb.connect(str(derived), read_only=True)
    try:
        export_parquet(con, out)
        # crimes as two forces' files, the layout of `forcepack demo scale`
        (out / "crimes" / "crimes.parquet").unlink()
        for n, cond in ((1, "district_code < 'E07'"), (2, "district_code >= 'E07'")):
            con.execute(
                f"COPY (SELECT * FROM crimes WHERE {cond}) TO "
                f"{lit(out / 'crimes' / f'force-0{n}.parquet')} (FORMAT parquet)"
            )
    finally:
        con.close()
    return out


@pytest.mark.parametrize(("window", "by", "ids"), CASES, ids=[str(c[0]) for c in CASES])
def test_parquet_matches_duckdb(
    derived: Path, files: Path, window: Any, by: tuple[str, ...], ids: list
) -> None:
    expected = compute(ids, db=derived, window=window, by=by, cache_results=False)
    got = compute(ids, db=derived, window=window, by=by, backend="pyspark", parquet=[files])
    assert len(expected) > 0 and expected["value"].notna().any()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


DERIVED = ["harm.total_days", "harm.repeat_victim_share", "victims.vcc_compliance"]


@pytest.mark.parametrize("window", ["month", "rolling12"])
def test_derived_tables_from_parquet(derived: Path, files: Path, window: str) -> None:
    expected = compute(DERIVED, db=derived, window=window, cache_results=False)
    got = compute(DERIVED, db=derived, window=window, backend="pyspark", parquet=[files])
    assert set(expected["measure_id"]) == set(DERIVED)
    assert expected["value"].notna().any()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_spark_reads_the_warehouse_types_and_wall_clock_times(derived: Path, files: Path) -> None:
    """Each table read from its Parquet files has the schema and the rows of the same table
    copied from the warehouse through Arrow; the clock-change incident keeps its local times."""
    spark = sp.session()
    con = duckdb.connect(str(derived), read_only=True)
    try:
        for name in ("crimes", "incidents", "qa_backlog", "crime_harm", "victim_care_victims"):
            where = sp.parquet_location(name, [files])
            assert where is not None
            got = sp.read_parquet(spark, name, where)
            arrow = con.sql(f"SELECT * FROM {ident(name)}").to_arrow_table()
            want = spark.createDataFrame(arrow)
            assert got.schema == want.schema, name
            assert got.count() == want.count() > 0, name
            assert got.exceptAll(want).count() == 0 and want.exceptAll(got).count() == 0, name
    finally:
        con.close()
    inc = sp.read_parquet(spark, "incidents", files / "incidents")
    row = inc.where("incident_id = 'dst'").selectExpr(
        "cast(created_at as string) AS c", "cast(arrived_at as string) AS a"
    )
    assert row.collect()[0].asDict() == {"c": "2019-03-31 00:50:00", "a": "2019-03-31 02:10:00"}


def test_a_table_without_files_is_named(derived: Path, files: Path, tmp_path: Path) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(files / "districts", partial / "districts")
    with pytest.raises(InputError, match="no Parquet files of table crimes") as err:
        compute("crime.recorded", db=derived, backend="pyspark", parquet=[partial])
    assert "forcepack warehouse export --parquet" in (err.value.hint or "")


def test_later_folders_fill_in_and_reference_tables_come_from_the_warehouse(
    derived: Path, files: Path, tmp_path: Path
) -> None:
    """crimes from one folder, districts from a second; offences (shipped reference data, no
    files) are copied from the warehouse."""
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(files / "crimes", first / "crimes")
    shutil.copytree(files / "districts", second / "districts")
    ids = ["crime.recorded"]
    expected = compute(ids, db=derived, by="area", cache_results=False)
    got = compute(ids, db=derived, by="area", backend="pyspark", parquet=[first, second])
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_the_hour_the_clocks_go_back_is_read_as_duckdb_reads_it(tmp_path: Path) -> None:
    """01:30 on 27 October 2019 happens twice; DuckDB reads it as the second (GMT), so an
    incident created then and attended at 02:10 took 40 minutes, not 100: Spark agrees, from
    the warehouse and from Parquet files."""
    from force_helpers import create_force

    db = create_force(tmp_path / "autumn.duckdb")
    con = duckdb.connect(str(db))
    insert(
        con,
        "incidents",
        [
            {
                "incident_id": "i1",
                "created_at": "2019-10-27 01:30:00",
                "arrived_at": "2019-10-27 02:10:00",
                "grade": "immediate",
                "call_type_code": "DOM",
                "district_code": "E07000008",
            }
        ],
    )
    export_parquet(con, tmp_path / "files", ["incidents"])
    con.close()
    ids = "response.immediate.median_minutes"
    duck = compute(ids, db=db, cache_results=False)
    assert duck["value"].tolist() == [40.0]
    spark = compute(ids, db=db, backend="pyspark", cache_results=False)
    files = compute(ids, db=db, backend="pyspark", parquet=[tmp_path / "files"])
    pd.testing.assert_frame_equal(spark, duck)
    pd.testing.assert_frame_equal(files, duck)


def test_the_files_span_their_own_months(derived: Path, files: Path, tmp_path: Path) -> None:
    """Files holding fewer months than the warehouse give results for the files' months only,
    even after DuckDB computed the same measure on the warehouse in this process."""
    part = tmp_path / "part"
    (part / "crimes").mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        f"COPY (FROM read_parquet({lit(files / 'crimes' / '*.parquet')}) "
        "WHERE recorded_at < TIMESTAMP '2019-01-01') "
        f"TO {lit(part / 'crimes' / 'crimes.parquet')} (FORMAT parquet)"
    )
    con.close()
    everything = compute("crime.recorded", db=derived, cache_results=False)
    assert everything["period_end"].max() == pd.Timestamp("2019-06-30").date()
    got = compute("crime.recorded", db=derived, backend="pyspark", parquet=[part, files])
    assert got["period_end"].max() == pd.Timestamp("2018-12-31").date()
    before = everything[everything["period_end"] <= got["period_end"].max()]
    pd.testing.assert_frame_equal(got, before.reset_index(drop=True), check_exact=False)
