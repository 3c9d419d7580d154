"""The PySpark backend: the same Ibis expressions on a local (or given) Spark session.

The tables a computation reads become temporary views under their contract names, from one of
two sources: copied from the DuckDB warehouse through Arrow (a force's warehouse), or read by
Spark itself from Parquet files (``parquet=[DIR, ...]``: ``DIR/<table>/*.parquet``, the layout
``forcepack demo scale`` and ``forcepack warehouse export`` write), for data too large to pass
through one process. Timestamps stay local wall-clock values: the session time zone is UTC so
that Spark never shifts them.

The session is local (``local[2]``) unless ``$FORCEPACK_SPARK_MASTER`` names another master
(``local[8]``, ``spark://host:7077``, ``yarn``) or ``$FORCEPACK_SPARK_REMOTE`` a Spark Connect
server (``sc://host:15002``); ``$FORCEPACK_SPARK_DRIVER_MEMORY`` (``4g``) sizes the driver's
JVM, which must be set before the session starts.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from forcepack.contract.spec import table as table_spec
from forcepack.contract.types import Role
from forcepack.errors import DataError, InputError
from forcepack.measures.compiler import span_expr, span_months
from forcepack.measures.engine import DuckDBEngine, IbisEngine
from forcepack.measures.spec import MeasureSpec

MASTER_ENV = "FORCEPACK_SPARK_MASTER"
REMOTE_ENV = "FORCEPACK_SPARK_REMOTE"
DRIVER_MEMORY_ENV = "FORCEPACK_SPARK_DRIVER_MEMORY"

#: Settings of the local session: two cores, few shuffle partitions (the data are small once
#: aggregated), no web UI, and UTC so local wall-clock timestamps are never shifted.
SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.app.name": "forcepack",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.timestampType": "TIMESTAMP_LTZ",
    # small inputs: planning and code generation cost more than they save
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.autoBroadcastJoinThreshold": str(64 * 1024 * 1024),
}
_LOCK = threading.Lock()
_SESSION: Any = None


def session_conf() -> dict[str, str]:
    """The settings of the session :func:`session` starts, from :data:`SPARK_CONF` and the
    environment: a Spark Connect server takes only the SQL settings (the server owns the
    rest)."""
    conf = dict(SPARK_CONF)
    if os.environ.get(REMOTE_ENV):
        return {k: v for k, v in conf.items() if k.startswith("spark.sql.")}
    if os.environ.get(MASTER_ENV):
        conf["spark.master"] = os.environ[MASTER_ENV]
    if os.environ.get(DRIVER_MEMORY_ENV):
        conf["spark.driver.memory"] = os.environ[DRIVER_MEMORY_ENV]
    return conf


def session() -> Any:
    """The process's Spark session (created on first use; see the module's settings)."""
    global _SESSION
    with _LOCK:
        if _SESSION is None:
            from pyspark.sql import SparkSession

            remote = os.environ.get(REMOTE_ENV)
            builder = SparkSession.builder.remote(remote) if remote else SparkSession.builder
            for k, v in session_conf().items():
                builder = builder.config(k, v)
            _SESSION = builder.getOrCreate()
            if not remote:
                _SESSION.sparkContext.setLogLevel("ERROR")
        return _SESSION


def stop() -> None:
    """Stop the process's session (tests call this at the end). The next :func:`session` reads
    the environment again: after a Spark Connect client is stopped, PySpark's own mark that the
    process is in Connect mode is removed, so an unset ``FORCEPACK_SPARK_REMOTE`` then starts
    a local session rather than failing for want of a server address."""
    global _SESSION
    with _LOCK:
        if _SESSION is not None:
            remote = type(_SESSION).__module__.startswith("pyspark.sql.connect")
            _SESSION.stop()
            _SESSION = None
            if remote:
                os.environ.pop("SPARK_CONNECT_MODE_ENABLED", None)


def _to_spark(spark: Any, df: pd.DataFrame | Any, name: str) -> None:
    spark.createDataFrame(df).createOrReplaceTempView(name)


def _copy(spark: Any, duck: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    """Copy ``tables`` from the warehouse into views of the session, through Arrow.

    The schema is given with the rows, as a Spark Connect session cannot infer one from an
    empty table (a table the warehouse holds no rows of yet); a timestamp without time zone
    becomes the session's local timestamp type, as it does when Spark infers it."""
    from pyspark.sql.pandas.types import from_arrow_schema

    from forcepack.warehouse.sql import ident

    cur = duck.cursor()
    try:
        for name in tables:
            arrow = cur.sql(f"SELECT * FROM {ident(name)}").to_arrow_table()
            schema = from_arrow_schema(arrow.schema, prefer_timestamp_ntz=False)
            spark.createDataFrame(arrow, schema=schema).createOrReplaceTempView(name)
    finally:
        cur.close()


def parquet_location(name: str, folders: Sequence[str | Path]) -> Path | None:
    """Where ``name``'s Parquet files are: ``FOLDER/<name>/`` holding ``*.parquet`` files, or
    a file ``FOLDER/<name>.parquet``, in the first of ``folders`` that has either."""
    for folder in folders:
        d = Path(folder) / name
        if d.is_dir() and any(d.glob("*.parquet")):
            return d
        f = Path(folder) / f"{name}.parquet"
        if f.is_file():
            return f
    return None


def read_parquet(spark: Any, name: str, where: Path) -> Any:
    """Table ``name`` read from ``where`` with the contract's columns, order and types.

    Spark reads a timestamp without time zone as ``timestamp_ntz`` and casts it to the local
    type unchanged in the UTC session, so wall-clock values survive; a column the contract
    declares but the files lack is a data error naming both."""
    from pyspark.sql import functions as F

    spec = table_spec(name)
    df = spark.read.parquet(str(where) if where.is_file() else str(where / "*.parquet"))
    have = set(df.columns)
    missing = [c.name for c in spec.columns if c.name not in have]
    if missing:
        raise DataError(
            f"Parquet files {where} of table {name} lack column(s) {', '.join(missing)}",
            hint="write them with `forcepack warehouse export --parquet DIR`",
        )
    return df.select(*[F.col(c.name).cast(c.type.spark).alias(c.name) for c in spec.columns])


def _from_parquet(
    spark: Any,
    duck: duckdb.DuckDBPyConnection,
    tables: Sequence[str],
    folders: Sequence[str | Path],
) -> dict[str, str]:
    """Views of ``tables`` read from Parquet under ``folders``; a reference table with no files
    (the shipped offences and outcome types) is copied from the warehouse, being small.
    Returns where each table came from."""
    where: dict[str, str] = {}
    copies = []
    for name in tables:
        found = parquet_location(name, folders)
        if found is not None:
            read_parquet(spark, name, found).createOrReplaceTempView(name)
            where[name] = str(found)
        elif table_spec(name).role is Role.REFERENCE:
            copies.append(name)
            where[name] = "warehouse"
        else:
            raise InputError(
                f"no Parquet files of table {name} under {', '.join(map(str, folders))}: "
                f"looked for <folder>/{name}/*.parquet and <folder>/{name}.parquet",
                hint="write the warehouse's tables with `forcepack warehouse export --parquet "
                "DIR` and give that folder too",
            )
    _copy(spark, duck, copies)
    return where


def spark_engine(
    duck: duckdb.DuckDBPyConnection,
    tables: Sequence[str],
    spark: Any = None,
    parquet: Sequence[str | Path] = (),
) -> IbisEngine:
    """An engine over ``tables`` copied from the DuckDB warehouse into Spark, or with
    ``parquet`` folders read from their Parquet files (see :func:`parquet_location`)."""
    import ibis

    spark = spark or session()
    if parquet:
        _from_parquet(spark, duck, tables, parquet)
    else:
        _copy(spark, duck, tables)
    con = ibis.pyspark.connect(spark)

    def register(frames: dict[str, pd.DataFrame]) -> None:
        for name, df in frames.items():
            _to_spark(spark, df, name)

    def files_span(spec: MeasureSpec) -> Any:
        return span_months(con.execute(span_expr(spec)).iloc[0])

    # a warehouse copy's span is read from the warehouse itself: cheaper than a Spark job;
    # the files' own span when they are the source
    span = files_span if parquet else DuckDBEngine(duck).span
    return IbisEngine(con, "pyspark", register, span)
