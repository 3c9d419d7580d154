"""The PySpark backend: the same Ibis expressions on a local (or given) Spark session.

The warehouse tables a computation reads are copied from DuckDB into Spark through Arrow as
temporary views under their contract names. Timestamps stay local wall-clock values: the
session time zone is UTC so that Spark never shifts them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from forcepack.measures.engine import DuckDBEngine, IbisEngine

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


def session() -> Any:
    """The process's local Spark session (created on first use)."""
    global _SESSION
    with _LOCK:
        if _SESSION is None:
            from pyspark.sql import SparkSession

            builder = SparkSession.builder
            for k, v in SPARK_CONF.items():
                builder = builder.config(k, v)
            _SESSION = builder.getOrCreate()
            _SESSION.sparkContext.setLogLevel("ERROR")
        return _SESSION


def stop() -> None:
    """Stop the local session (tests call this at the end)."""
    global _SESSION
    with _LOCK:
        if _SESSION is not None:
            _SESSION.stop()
            _SESSION = None


def _to_spark(spark: Any, df: pd.DataFrame | Any, name: str) -> None:
    spark.createDataFrame(df).createOrReplaceTempView(name)


def spark_engine(
    duck: duckdb.DuckDBPyConnection, tables: Sequence[str], spark: Any = None
) -> IbisEngine:
    """An engine over ``tables`` copied from the DuckDB warehouse into Spark."""
    import ibis

    spark = spark or session()
    cur = duck.cursor()
    try:
        for name in tables:
            arrow = cur.sql(f"SELECT * FROM {name}").to_arrow_table()
            spark.createDataFrame(arrow).createOrReplaceTempView(name)
    finally:
        cur.close()
    con = ibis.pyspark.connect(spark)

    def register(frames: dict[str, pd.DataFrame]) -> None:
        for name, df in frames.items():
            _to_spark(spark, df, name)

    # the span of the data is read from the warehouse itself: cheaper than a distributed job
    warehouse = DuckDBEngine(duck)
    return IbisEngine(con, "pyspark", register, warehouse.span)
