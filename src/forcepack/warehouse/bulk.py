"""Bulk loading of Parquet files into a warehouse, in one transaction.

Used by the demo generator and its scale path: each table's files are inserted with DuckDB's
``INSERT INTO ... SELECT ... FROM read_parquet([...])``, naming the contract columns, so the
engine reads and checks (types, NOT NULL, primary keys) without Python touching rows.
A reference table given files (a scale run's ``districts``, one file per force) is replaced by
them: the shipped rows a new warehouse starts with describe the demo force only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb

from forcepack.contract.ddl import declares_key
from forcepack.contract.spec import TABLES, Role, load_order
from forcepack.errors import DataError
from forcepack.warehouse import sql
from forcepack.warehouse.core import create, keys_checked, open_warehouse, transaction
from forcepack.warehouse.sql import ident, ident_list, lit_list


def load_parquet(
    db: str | Path,
    files: Mapping[str, Sequence[str | Path]],
    *,
    replace: bool = False,
    threads: int | None = None,
    memory_limit: str | None = None,
    index_keys: bool = True,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Insert each table's Parquet files into the warehouse ``db`` (created if needed).

    All tables load in one transaction: a failure leaves the warehouse as it was. The rows of
    a reference table given files are replaced by the files' rows. Returns the rows inserted
    per table.

    ``index_keys=False`` creates a new warehouse whose force and public tables' keys are not
    indexed (see :func:`forcepack.warehouse.create`): each such table's key is then checked
    with one grouping query after its insert (which spills to disk, unlike an index), and a
    duplicate refuses the whole load, naming the table, the key and a value. ``progress`` is
    called with each table's name once it is in.
    """
    unknown = sorted(set(files) - set(TABLES))
    if unknown:
        raise DataError(
            f"no contract table named {', '.join(unknown)}; allowed: {', '.join(sorted(TABLES))}"
        )
    path = create(db, replace=replace, index_keys=index_keys)
    con = open_warehouse(path)
    inserted: dict[str, int] = {}
    try:
        if threads:
            con.execute(sql.threads(threads))
        if memory_limit:
            con.execute(sql.memory_limit(memory_limit))
        con.execute("SET preserve_insertion_order = false")
        keys_indexed = not keys_checked(con)
        with transaction(con):
            for name in load_order():
                if name not in files or not files[name]:
                    continue
                cols = ident_list(TABLES[name].stored_names)
                if TABLES[name].role is Role.REFERENCE:
                    con.execute(f"DELETE FROM {ident(name)}")
                paths = lit_list(Path(p) for p in files[name])
                (n,) = con.execute(  # type: ignore[misc]
                    f"INSERT INTO {ident(name)} ({cols}) SELECT {cols} FROM read_parquet([{paths}])"
                ).fetchone()
                inserted[name] = int(n)
                if TABLES[name].key and not declares_key(TABLES[name], index_keys=keys_indexed):
                    _check_key(con, name, files[name])  # no index enforces it
                if progress is not None:
                    progress(name)
    except duckdb.Error as err:
        raise DataError(f"loading Parquet into {path} failed: {err}") from err
    finally:
        con.close()
    return inserted


def _check_key(con: duckdb.DuckDBPyConnection, name: str, files: Sequence[str | Path]) -> None:
    """Refuse a table whose key, not indexed (a checked-keys warehouse's force and public
    tables, any derived table), repeats (key columns are NOT NULL, which the engine enforces
    on insert)."""
    table = TABLES[name]
    key = ident_list(table.key)
    row = con.execute(
        f"SELECT {key}, count(*) FROM {ident(name)} GROUP BY ALL HAVING count(*) > 1 LIMIT 1"
    ).fetchone()
    if row is not None:
        value = ", ".join(str(v) for v in row[:-1])
        raise DataError(
            f"{name}: the key ({', '.join(table.key)}) = ({value}) appears {row[-1]} times in "
            f"{', '.join(str(Path(f)) for f in files[:3])}{' ...' if len(files) > 3 else ''}; "
            "each key must appear once",
            hint="remove the repeated rows from the Parquet files; nothing was loaded",
        )
