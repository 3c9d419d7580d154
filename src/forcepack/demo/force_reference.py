"""The demo force's own reference rows: its districts and its call-type list.

A new warehouse holds no districts and no call types (they are the force's own, not national
reference data). The demo force's are kept here, as CSV files a force can copy as a template:
``reference/districts.csv`` (generated again by :func:`forcepack.demo.tables.districts_table`,
and a test keeps the two equal) and ``reference/call_types.csv``.
"""

from __future__ import annotations

from functools import cache

import duckdb
import pyarrow as pa

from forcepack.contract.reference import packaged_csv
from forcepack.contract.spec import TABLES
from forcepack.demo.config import DemoConfig
from forcepack.warehouse.sql import ident, ident_list

FORCE_REFERENCE_TABLES = ("districts", "call_types")


@cache
def rows(table: str) -> tuple[dict[str, object], ...]:
    """The demo force's rows of ``districts`` or ``call_types``."""
    if table not in FORCE_REFERENCE_TABLES:
        raise KeyError(f"{table} is not one of the demo force's reference tables")
    return packaged_csv("forcepack.demo", table)


def call_types_table() -> pa.Table:
    """The demo force's call types as an Arrow table in contract column order."""
    from forcepack.demo.tables import make_table

    data = rows("call_types")
    return make_table(
        "call_types", {c: [r[c] for r in data] for c in TABLES["call_types"].column_names}
    )


def force_reference_tables(cfg: DemoConfig) -> dict[str, pa.Table]:
    """A generated force's districts and call types (the demo force's, with its place codes)."""
    from forcepack.demo.tables import districts_table

    return {"districts": districts_table(cfg), "call_types": call_types_table()}


def install(con: duckdb.DuckDBPyConnection, cfg: DemoConfig | None = None) -> dict[str, int]:
    """Insert the demo force's districts and call types into an open warehouse connection.

    For tests and examples that load small extracts of the demo force into a new warehouse.
    Rows already present (by key) are left alone.
    """
    out: dict[str, int] = {}
    for name, table in force_reference_tables(cfg or DemoConfig(seed=0)).items():
        spec = TABLES[name]
        cols = ident_list(spec.column_names)
        key = " AND ".join(f"t.{ident(k)} = s.{ident(k)}" for k in spec.key)
        con.register("_fp_demo_ref", table)
        try:
            (n,) = con.execute(  # type: ignore[misc]
                f"INSERT INTO {ident(name)} ({cols}) SELECT {cols} FROM _fp_demo_ref s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {ident(name)} t WHERE {key})"
            ).fetchone()
        finally:
            con.unregister("_fp_demo_ref")
        out[name] = int(n)
    return out
