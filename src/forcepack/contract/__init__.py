"""The data contract: table specs, reference data, DDL and documentation, defined once."""

from forcepack.contract.spec import TABLES, Column, ColumnType, Reference, Role, Table, table

__all__ = ["TABLES", "Column", "ColumnType", "Reference", "Role", "Table", "table"]
