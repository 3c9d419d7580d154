"""DuckDB DDL generated from the contract spec.

Primary keys and NOT NULL are enforced by the database. A warehouse built in bulk at national
scale may leave the keys of the force and public tables unindexed (``index_keys=False``): their
primary-key indexes (505 million keys at 43 forces) cannot fit in memory, so the bulk load
checks the loaded tables' keys with a query instead
(:func:`forcepack.warehouse.bulk.load_parquet`).

A derived table's key is never declared, in any warehouse: it holds by construction (one row
per crime, or per crime and person, of force tables whose keys are indexed or checked; the
tests check it after full and incremental builds), and an index would cost every incremental
derive the removal of each replaced row from it when the build commits (0.5 to 0.7 s a table
for the 15,000 crimes a demo month changes).

Foreign keys are not declared: DuckDB forbids updating a referenced key, which a restated
extract must be able to do, so references are checked by ingest validation instead (and
reported, never silently dropped).
"""

from __future__ import annotations

from forcepack.contract.spec import TABLES, Role, Table, load_order

#: Tables whose keys a bulk-built warehouse may check by query instead of indexing.
CHECKABLE_KEYS = (Role.FORCE, Role.PUBLIC)


def declares_key(table: Table, *, index_keys: bool = True) -> bool:
    """Whether ``CREATE TABLE`` declares (and so indexes) ``table``'s key: never for a derived
    table (see the module's notes), and for a force or public table unless ``index_keys`` is
    off."""
    if not table.key or table.role is Role.DERIVED:
        return False
    return index_keys or table.role not in CHECKABLE_KEYS


def create_statement(table: Table, *, index_keys: bool = True, name: str | None = None) -> str:
    """``CREATE TABLE`` for ``table`` (under ``name`` when given: a table built to replace it);
    the key is declared as :func:`declares_key` says."""
    lines = []
    for col in table.columns:
        if col.generated is not None:  # DuckDB takes no constraint on a generated column
            lines.append(
                f"    {col.name} {col.type.value} GENERATED ALWAYS AS ({col.generated}) VIRTUAL"
            )
            continue
        null = "" if col.nullable else " NOT NULL"
        lines.append(f"    {col.name} {col.type.value}{null}")
    if declares_key(table, index_keys=index_keys):
        lines.append(f"    PRIMARY KEY ({', '.join(table.key)})")
    body = ",\n".join(lines)
    return f"CREATE TABLE IF NOT EXISTS {name or table.name} (\n{body}\n);"


def create_statements(*, index_keys: bool = True) -> list[str]:
    """CREATE TABLE statements for every contract table, referenced tables first."""
    return [create_statement(TABLES[name], index_keys=index_keys) for name in load_order()]
