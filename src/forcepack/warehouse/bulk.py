"""Bulk loading of Parquet files into a warehouse, in one transaction.

Used by the demo generator and its scale path: each table's files are inserted with DuckDB's
``INSERT INTO ... SELECT ... FROM read_parquet([...])``, naming the contract columns, so the
engine reads and checks (types, NOT NULL, primary keys) without Python touching rows.
A reference table given files (a scale run's ``districts``, one file per force) is replaced by
them: the shipped rows a new warehouse starts with describe the demo force only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from forcepack.contract.spec import TABLES, Role, load_order
from forcepack.errors import DataError, WarehouseError
from forcepack.warehouse import sql
from forcepack.warehouse.core import create, engine_settings
from forcepack.warehouse.sql import ident, ident_list, lit_list


def load_parquet(
    db: str | Path,
    files: Mapping[str, Sequence[str | Path]],
    *,
    replace: bool = False,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> dict[str, int]:
    """Insert each table's Parquet files into the warehouse ``db`` (created if needed).

    All tables load in one transaction: a failure leaves the warehouse as it was. The rows of
    a reference table given files are replaced by the files' rows. Returns the rows inserted
    per table.
    """
    unknown = sorted(set(files) - set(TABLES))
    if unknown:
        raise DataError(
            f"no contract table named {', '.join(unknown)}; allowed: {', '.join(sorted(TABLES))}"
        )
    path = create(db, replace=replace)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as err:
        raise WarehouseError(f"cannot open warehouse {path}: {err}") from err
    engine_settings(con)
    inserted: dict[str, int] = {}
    try:
        if threads:
            con.execute(sql.threads(threads))
        if memory_limit:
            con.execute(sql.memory_limit(memory_limit))
        con.execute("SET preserve_insertion_order = false")
        con.execute("BEGIN")
        for name in load_order():
            if name not in files or not files[name]:
                continue
            cols = ident_list(TABLES[name].column_names)
            if TABLES[name].role is Role.REFERENCE:
                con.execute(f"DELETE FROM {ident(name)}")
            paths = lit_list(Path(p) for p in files[name])
            (n,) = con.execute(  # type: ignore[misc]
                f"INSERT INTO {ident(name)} ({cols}) SELECT {cols} FROM read_parquet([{paths}])"
            ).fetchone()
            inserted[name] = int(n)
        con.execute("COMMIT")
    except duckdb.Error as err:
        con.execute("ROLLBACK")
        raise DataError(f"loading Parquet into {path} failed: {err}") from err
    finally:
        con.close()
    return inserted
