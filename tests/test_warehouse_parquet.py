"""``forcepack warehouse export --parquet``: warehouse tables as Parquet files that round-trip
rows and types exactly, and the Spark settings taken from the environment."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from force_helpers import create_force
from forcepack.cli.main import cli
from forcepack.errors import InputError
from forcepack.measures import compute
from forcepack.warehouse.parquet import export_parquet, exportable
from forcepack.warehouse.sql import ident, lit
from rows import insert


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    db = create_force(tmp_path / "force.duckdb")
    con = duckdb.connect(str(db))
    insert(
        con,
        "crimes",
        [
            {"crime_id": "C1", "recorded_at": "2019-03-31 00:50:00"},  # before the clock change
            {"crime_id": "C2", "recorded_at": "2019-03-31 02:10:00", "knife_crime": True},
            {"crime_id": "C'3", "recorded_at": "2019-10-27 01:30:00", "outcome_code": 1},
        ],
    )
    insert(con, "qa_backlog", [{"snapshot_date": "2019-12-31", "crimes_awaiting_qa": 7}])
    con.close()
    return db


def _described(con: duckdb.DuckDBPyConnection, source: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]


def test_export_round_trips_rows_and_types(wh: Path, tmp_path: Path) -> None:
    out = tmp_path / "files"
    con = duckdb.connect(str(wh), read_only=True)
    try:
        done = export_parquet(con, out)
        names = [d.table for d in done]
        assert names == exportable(con)
        assert {"crimes", "districts", "offences", "qa_backlog"} <= set(names)
        assert "load_log" not in names  # forcepack's own bookkeeping stays
        for item in done:
            assert item.path == out / item.table / f"{item.table}.parquet"
            files = f"read_parquet({lit(item.path)})"
            table = ident(item.table)
            assert _described(con, files) == _described(con, table), item.table
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert n is not None and item.rows == n[0]
            for a, b in ((files, table), (table, files)):
                diff = con.execute(f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})")
                assert diff.fetchone() == (0,), item.table
        times = con.execute(
            f"SELECT strftime(recorded_at, '%Y-%m-%d %H:%M') FROM "
            f"read_parquet({lit(out / 'crimes' / 'crimes.parquet')}) ORDER BY crime_id"
        ).fetchall()
        # C'3 sorts first
        assert [t[0] for t in times] == ["2019-10-27 01:30", "2019-03-31 00:50", "2019-03-31 02:10"]
    finally:
        con.close()


def test_export_refuses_unknown_tables_and_existing_files(wh: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        with pytest.raises(InputError, match='table "crime" is not in this warehouse') as err:
            export_parquet(con, tmp_path, ["crime"])
        assert "crimes" in str(err.value)
        export_parquet(con, tmp_path, ["crimes"])
        with pytest.raises(InputError, match="exists: give --force"):
            export_parquet(con, tmp_path, ["crimes"])
        assert export_parquet(con, tmp_path, ["crimes"], replace=True)[0].rows == 3
    finally:
        con.close()


def test_cli_export(wh: Path, tmp_path: Path) -> None:
    out = tmp_path / "files"
    args = ["warehouse", "export", "--db", str(wh), "--parquet", str(out), "--table", "crimes"]
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert "crimes" in done.output and "3 rows" in done.output
    assert "wrote 1 tables" in done.output
    again = CliRunner().invoke(cli, args)
    assert isinstance(again.exception, InputError) and "--force" in str(again.exception)
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0
    frame = pd.read_parquet(out / "crimes" / "crimes.parquet")
    assert sorted(frame["crime_id"]) == ["C'3", "C1", "C2"]


def test_parquet_needs_the_pyspark_backend(wh: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="give --backend pyspark"):
        compute("crime.recorded", db=wh, parquet=[tmp_path])


def test_spark_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from forcepack.measures import spark

    for name in (spark.MASTER_ENV, spark.REMOTE_ENV, spark.DRIVER_MEMORY_ENV):
        monkeypatch.delenv(name, raising=False)
    conf = spark.session_conf()
    assert conf["spark.master"] == "local[2]" and "spark.driver.memory" not in conf
    monkeypatch.setenv(spark.MASTER_ENV, "spark://cluster:7077")
    monkeypatch.setenv(spark.DRIVER_MEMORY_ENV, "4g")
    conf = spark.session_conf()
    assert conf["spark.master"] == "spark://cluster:7077" and conf["spark.driver.memory"] == "4g"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    monkeypatch.setenv(spark.REMOTE_ENV, "sc://cluster:15002")
    conf = spark.session_conf()  # a Spark Connect server takes only the SQL settings
    assert "spark.master" not in conf and conf["spark.sql.session.timeZone"] == "UTC"
    assert all(k.startswith("spark.sql.") for k in conf)
