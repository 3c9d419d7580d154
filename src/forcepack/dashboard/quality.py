"""Data quality for analysts: the load log, quarantine counts by rule, coverage by month."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from forcepack.contract.spec import TABLES, ColumnType, Role
from forcepack.warehouse.sql import ident, lit

#: Months of coverage shown.
COVERAGE_MONTHS = 24


@dataclass(frozen=True, slots=True)
class Quality:
    loads: pd.DataFrame
    quarantine: pd.DataFrame
    coverage: pd.DataFrame  # month x table row counts
    coverage_tables: list[str]


def _date_column(name: str) -> str | None:
    for col in TABLES[name].columns:
        if col.type in (ColumnType.TIMESTAMP, ColumnType.DATE):
            return col.name
    return None


def _if_present(
    con: duckdb.DuckDBPyConnection, present: set[str], table: str, query: str
) -> pd.DataFrame:
    """The result of ``query`` on ``table``, or an empty frame when the warehouse lacks it."""
    return con.execute(query).df() if table in present else pd.DataFrame()


def report(con: duckdb.DuckDBPyConnection) -> Quality:
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    loads = _if_present(
        con,
        present,
        "load_log",
        "SELECT started_at, table_name, file_name, rows_read, rows_loaded, rows_quarantined, "
        "status FROM load_log ORDER BY started_at DESC, table_name LIMIT 100",
    )
    quarantine = _if_present(
        con,
        present,
        "quarantine",
        "SELECT table_name, rule, count(*) AS rows FROM quarantine "
        "GROUP BY ALL ORDER BY table_name, rows DESC, rule",
    )
    parts = []
    tables = []
    for name, table in TABLES.items():
        column = _date_column(name)
        if table.role is not Role.FORCE or column is None or name not in present:
            continue
        tables.append(name)
        parts.append(
            f"SELECT {lit(name)} AS table_name, "
            f"date_trunc('month', {ident(column)})::DATE AS month, count(*) AS rows "
            f"FROM {ident(name)} WHERE {ident(column)} IS NOT NULL GROUP BY ALL"
        )
    coverage = pd.DataFrame()
    if parts:
        long = con.execute(" UNION ALL ".join(parts)).df()
        if not long.empty:
            coverage = (
                long.pivot_table(index="month", columns="table_name", values="rows", aggfunc="sum")
                .sort_index(ascending=False)
                .head(COVERAGE_MONTHS)
                .fillna(0)
                .astype(int)
            )
    return Quality(loads, quarantine, coverage, tables)
