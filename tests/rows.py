"""Rows for tests, made from the data contract: every test builds warehouse rows and extract rows
through here instead of writing its own column lists.

``row("crimes", crime_id="C1", offence_code="8N")`` is a dict of every column of the table:
the values given, a valid default for each other required column (from its type, its closed
vocabulary, or the demo force's first district for a district reference), and null for each
other optional one. A column the contract does not have is an error, so a test cannot drift
from the contract. ``insert`` writes rows into a warehouse; ``csv_row`` spells a row as an
extract file holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import duckdb

from forcepack.contract.spec import TABLES, Column, ColumnType
from forcepack.warehouse.sql import insert_rows

#: A district of the demo force (Cambridge), the default for a required district reference.
DEFAULT_DISTRICT = "E07000008"
_DEFAULT_AT = dt.datetime(2019, 12, 2, 10, 0)
_BY_REFERENCE = {
    ("districts", "district_code"): DEFAULT_DISTRICT,
    ("offences", "offence_code"): "8N",
    ("outcome_types", "outcome_code"): "1",
}


def _default(col: Column) -> Any:
    if col.references is not None:
        key = (col.references.table, col.references.column)
        if key in _BY_REFERENCE:
            return _BY_REFERENCE[key]
    if col.enum:
        return col.enum[0]
    if col.type is ColumnType.BOOLEAN:
        return False
    if col.type is ColumnType.INTEGER:
        return max(1, int(col.minimum)) if col.minimum is not None else 1
    if col.type is ColumnType.DOUBLE:
        return float(col.minimum) if col.minimum is not None else 1.0
    if col.type is ColumnType.DATE:
        return _DEFAULT_AT.date()
    if col.type is ColumnType.TIMESTAMP:
        return _DEFAULT_AT
    return f"{col.name}-1"


def row(table: str, **values: Any) -> dict[str, Any]:
    """Every column of ``table``: the given values, defaults for the other required columns and
    null for the other optional ones (in the contract's column order)."""
    spec = TABLES[table]
    unknown = set(values) - set(spec.column_names)
    if unknown:
        raise KeyError(f"{table} has no column(s) {', '.join(sorted(unknown))}")
    return {
        c.name: values[c.name] if c.name in values else (None if c.nullable else _default(c))
        for c in spec.columns
    }


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows (each completed by :func:`row`) into ``table``; returns how many."""
    full = [row(table, **dict(r)) for r in rows]
    if not full:
        return 0
    names = list(full[0])
    return insert_rows(con, table, names, ([r[n] for n in names] for r in full))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_row(table: str, header: Iterable[str] | None = None, **values: Any) -> list[str]:
    """A row as an extract file spells it, in ``header`` order (default: every column)."""
    full = row(table, **values)
    return [_text(full[name]) for name in (header or full)]
