"""National reference data shipped with forcepack: offences and outcome types.

The files live beside this module as CSV so that a force can read and replace them. Each is
validated against its contract table when read. A force's own geography (``districts``,
``neighbourhoods``) and its call-type list (``call_types``) are not shipped: a new warehouse holds
none until the force loads its own (the demo force's live in ``forcepack.demo``).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from forcepack.contract.spec import TABLES, ColumnType

REFERENCE_TABLES = ("offences", "outcome_types")

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


def _convert(table: str, column: str, text: str) -> object:
    spec = TABLES[table].column(column)
    if text == "":
        if not spec.nullable:
            raise ValueError(f"reference {table}.csv: {column} is empty but required")
        return None
    if spec.type is ColumnType.INTEGER:
        return int(text)
    if spec.type is ColumnType.DOUBLE:
        return float(text)
    if spec.type is ColumnType.BOOLEAN:
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"reference {table}.csv: {column} {text!r} is not true or false")
    if spec.enum is not None and text not in spec.enum:
        raise ValueError(f"reference {table}.csv: {column} {text!r} is not one of {spec.enum}")
    return text


@cache
def rows(table: str) -> tuple[dict[str, object], ...]:
    """The shipped rows of a reference table, converted to Python values."""
    if table not in REFERENCE_TABLES:
        raise KeyError(f"{table} is not a shipped reference table")
    return packaged_csv("forcepack.contract", table)


def packaged_csv(package: str, table: str) -> tuple[dict[str, object], ...]:
    """The rows of ``<package>/reference/<table>.csv``, checked against the contract."""
    text = resources.files(package).joinpath("reference", f"{table}.csv").read_text("utf-8")
    return parse_csv(table, text)


def parse_csv(table: str, text: str) -> tuple[dict[str, object], ...]:
    """The rows of a reference CSV for contract table ``table``, checked and converted."""
    reader = csv.DictReader(text.splitlines())
    expected = list(TABLES[table].column_names)
    if reader.fieldnames != expected:
        raise ValueError(f"reference {table}.csv columns {reader.fieldnames} != {expected}")
    return tuple({k: _convert(table, k, v) for k, v in row.items()} for row in reader)
