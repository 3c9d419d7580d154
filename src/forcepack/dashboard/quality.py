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


def report(con: duckdb.DuckDBPyConnection) -> Quality:
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    loads = pd.DataFrame()
    if "load_log" in present:
        loads = con.execute(
            "SELECT started_at, table_name, file_name, rows_read, rows_loaded, rows_quarantined, "
            "status FROM load_log ORDER BY started_at DESC, table_name LIMIT 100"
        ).df()
    quarantine = pd.DataFrame()
    if "quarantine" in present:
        quarantine = con.execute(
            "SELECT table_name, rule, count(*) AS rows FROM quarantine "
            "GROUP BY ALL ORDER BY table_name, rows DESC, rule"
        ).df()
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
