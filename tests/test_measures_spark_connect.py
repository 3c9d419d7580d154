"""The catalogue through a Spark Connect server gives the same results as DuckDB.

A Spark Connect server (``org.apache.spark.sql.connect.service.SparkConnectServer``, shipped
with PySpark) is started on a free local port, as a force's or a national user's server would
run apart from forcepack; ``$FORCEPACK_SPARK_REMOTE`` then points the session at it
(``sc://localhost:PORT``), so every query travels over Spark Connect's gRPC protocol. The cases
are those of the local-session tests: tables copied from the warehouse, and the same tables read
by the server from Parquet files. Run with ``pytest -m spark``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from forcepack.measures import compute
from forcepack.measures import spark as sp
from test_measures_spark import CASES, wh  # noqa: F401 (fixture)
from test_measures_spark_parquet import DERIVED, derived, files  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.spark,
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Spark Connect server exited: {log.read_text()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the Spark Connect server did not listen within {seconds} s")


@pytest.fixture(scope="module", autouse=True)
def connect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Spark Connect server on a free port, the session pointed at it for this module."""
    from pyspark.find_spark_home import _find_spark_home

    port = _free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    submit = Path(_find_spark_home()) / "bin" / "spark-submit"
    cmd = [
        str(submit),
        "--class",
        SERVER_CLASS,
        "--master",
        "local[2]",
        "--conf",
        f"spark.connect.grpc.binding.port={port}",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.sql.shuffle.partitions=2",
        "spark-internal",
    ]
    sp.stop()  # a local session of an earlier module
    with log.open("w") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(port, server, log)
        url = f"sc://localhost:{port}"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(sp.REMOTE_ENV, url)
            mp.delenv(sp.MASTER_ENV, raising=False)
            try:
                yield url
            finally:
                sp.stop()
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


def test_the_session_is_a_spark_connect_client_in_utc(connect_server: str) -> None:
    spark = sp.session()
    assert type(spark).__module__.startswith("pyspark.sql.connect")
    assert os.environ[sp.REMOTE_ENV] == connect_server
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"
    assert spark.range(3).count() == 3


@pytest.mark.parametrize(("window", "by", "ids"), CASES, ids=[str(c[0]) for c in CASES])
def test_connect_matches_duckdb(wh: Path, window: Any, by: tuple[str, ...], ids: list) -> None:  # noqa: F811
    expected = compute(ids, db=wh, window=window, by=by, cache_results=False)
    got = compute(ids, db=wh, window=window, by=by, backend="pyspark", cache_results=False)
    assert len(expected) > 0 and expected["value"].notna().any()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("window", ["month", "rolling12"])
def test_connect_reads_parquet_files(derived: Path, files: Path, window: str) -> None:  # noqa: F811
    """The server reads the files itself: the force tables' and the derived tables'."""
    ids = ["crime.recorded", "response.immediate.median_minutes", *DERIVED]
    expected = compute(ids, db=derived, window=window, cache_results=False)
    got = compute(ids, db=derived, window=window, backend="pyspark", parquet=[files])
    assert set(expected["measure_id"]) == set(ids)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)


def test_an_empty_table_is_copied_with_its_columns(tmp_path: Path) -> None:
    """Spark Connect cannot infer a schema from no rows; the copy gives it the table's."""
    db = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE qa_backlog (snapshot_date DATE, crimes_awaiting_qa BIGINT)")
    try:
        spark = sp.session()
        sp._copy(spark, con, ["qa_backlog"])
        view = spark.table("qa_backlog")
        assert view.count() == 0
        assert [(f.name, f.dataType.simpleString()) for f in view.schema.fields] == [
            ("snapshot_date", "date"),
            ("crimes_awaiting_qa", "bigint"),
        ]
    finally:
        con.close()


def test_a_local_session_follows_once_the_remote_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopping the Connect client leaves the process free to start a local session."""
    sp.stop()
    monkeypatch.delenv(sp.REMOTE_ENV)
    try:
        spark = sp.session()
        assert not type(spark).__module__.startswith("pyspark.sql.connect")
        assert spark.range(2).count() == 2
    finally:
        sp.stop()
