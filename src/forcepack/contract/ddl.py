"""DuckDB DDL generated from the contract spec.

Primary keys and NOT NULL are enforced by the database. Foreign keys are not declared:
DuckDB forbids updating a referenced key, which a restated extract must be able to do, so
references are checked by ingest validation instead (and reported, never silently dropped).
"""

from __future__ import annotations

from forcepack.contract.spec import TABLES, Table, load_order


def create_statement(table: Table) -> str:
    lines = []
    for col in table.columns:
        null = "" if col.nullable else " NOT NULL"
        lines.append(f"    {col.name} {col.type.value}{null}")
    if table.key:
        lines.append(f"    PRIMARY KEY ({', '.join(table.key)})")
    body = ",\n".join(lines)
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n{body}\n);"


def create_statements() -> list[str]:
    """CREATE TABLE statements for every contract table, referenced tables first."""
    return [create_statement(TABLES[name]) for name in load_order()]
