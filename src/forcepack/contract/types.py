"""The building blocks of the data contract: column types, roles, columns and tables.

:data:`TABLES` is the one registry of table specs: :mod:`forcepack.contract.declared` adds
each family file's tables to it with :func:`register`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ColumnType(StrEnum):
    """Logical column types. The value is the DuckDB spelling (used in DDL and casts); the
    properties give the other engines' spellings, so no module keeps its own map."""

    STRING = "VARCHAR"
    INTEGER = "BIGINT"
    DOUBLE = "DOUBLE"
    BOOLEAN = "BOOLEAN"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"  # local Europe/London wall-clock time, no offset

    @property
    def duckdb(self) -> str:
        """The DuckDB type (``CAST(x AS ...)``, DDL)."""
        return self.value

    @property
    def ibis(self) -> str:
        """The Ibis dtype string (unbound tables of the measure compiler)."""
        return _IBIS[self]

    @property
    def arrow(self) -> Any:
        """The Arrow type (``pyarrow.DataType``) of Parquet files forcepack writes."""
        import pyarrow as pa

        return {
            "string": pa.string(),
            "int64": pa.int64(),
            "float64": pa.float64(),
            "boolean": pa.bool_(),
            "date": pa.date32(),
            "timestamp": pa.timestamp("us"),
        }[_IBIS[self]]

    @property
    def spark(self) -> str:
        """The Spark SQL type (``Column.cast``, DDL strings), by name so that the contract
        needs no pyspark. ``timestamp`` is the session's local-time type, which the UTC
        session shows as the stored wall-clock value."""
        return _SPARK[self]

    @property
    def example(self) -> str:
        """A value of this type as a force's extract spells it (templates)."""
        return _EXAMPLE[self]

    @property
    def words(self) -> str:
        """What a value of this type looks like, for people (templates, docs)."""
        return _WORDS[self]


_IBIS = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "int64",
    ColumnType.DOUBLE: "float64",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamp",
}
_SPARK = {
    ColumnType.STRING: "string",
    ColumnType.INTEGER: "bigint",
    ColumnType.DOUBLE: "double",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamp",
}
_EXAMPLE = {
    ColumnType.STRING: "text",
    ColumnType.INTEGER: "1",
    ColumnType.DOUBLE: "1.5",
    ColumnType.BOOLEAN: "false",
    ColumnType.DATE: "2019-12-01",
    ColumnType.TIMESTAMP: "2019-12-01 09:30:00",
}
_WORDS = {
    ColumnType.STRING: "text",
    ColumnType.INTEGER: "whole number",
    ColumnType.DOUBLE: "number",
    ColumnType.BOOLEAN: "true/false (also yes/no, y/n, 1/0)",
    ColumnType.DATE: "date YYYY-MM-DD (or DD/MM/YYYY)",
    ColumnType.TIMESTAMP: "local time YYYY-MM-DD HH:MM[:SS] (or DD/MM/YYYY HH:MM)",
}


class Role(StrEnum):
    """What a table is for."""

    REFERENCE = "reference"  # shipped with forcepack or configured per force
    FORCE = "force"  # a force's operational extracts
    PUBLIC = "public"  # data.police.uk open data
    SYSTEM = "system"  # forcepack's own bookkeeping (loads, quarantine, caches, access log)
    DERIVED = "derived"  # rebuilt from force tables by forcepack (harm scores, victim care)


@dataclass(frozen=True, slots=True)
class Reference:
    """A foreign key: values must exist in ``table.column``."""

    table: str
    column: str


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType
    description: str
    nullable: bool = True
    enum: tuple[str, ...] | None = None
    references: Reference | None = None
    minimum: float | None = None
    maximum: float | None = None
    personal: bool = False  # a pseudonymous person id: never in public outputs
    # value given to the rows already stored when an older warehouse gains this column
    backfill: str | None = None
    # SQL over the row's other columns: computed when read (a virtual column), never stored
    generated: str | None = None


@dataclass(frozen=True, slots=True)
class TimeOrder:
    """``later`` must not be before ``earlier`` when both are present."""

    earlier: str
    later: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    role: Role
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    time_order: tuple[TimeOrder, ...] = ()
    # the column giving a row's date for gap and range reports
    date_column: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def stored_names(self) -> tuple[str, ...]:
        """The columns a row is written with and hashed by: all but the generated ones, which
        are functions of these."""
        return tuple(c.name for c in self.columns if c.generated is None)


TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    """Add a table spec to the contract (in declaration order, which the docs follow)."""
    TABLES[table.name] = table
    return table


# short names for the shared columns of ``columns``
S, INT, B = ColumnType.STRING, ColumnType.INTEGER, ColumnType.BOOLEAN
