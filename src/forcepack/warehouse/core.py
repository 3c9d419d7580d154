"""Create and open forcepack warehouses."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from forcepack import __version__
from forcepack.contract.ddl import create_statements
from forcepack.contract.reference import REFERENCE_TABLES, rows
from forcepack.contract.spec import TABLES, Role
from forcepack.errors import MissingFileError, WarehouseError

META_TABLE = "forcepack_meta"


def create(path: str | Path, *, replace: bool = False, reference: bool = True) -> Path:
    """Create a warehouse with every contract table, and load the shipped reference data.

    An existing file is kept (tables are created only if missing) unless ``replace`` is true.
    """
    path = Path(path)
    if path.parent and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise MissingFileError(
                f"cannot create the folder {path.parent} for the warehouse: {err.strerror}",
                hint="choose a writable --db path",
            ) from err
    if replace:
        for p in (path, path.with_name(path.name + ".wal")):
            p.unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as err:
        raise WarehouseError(f"cannot open warehouse {path}: {err}") from err
    try:
        con.execute("BEGIN")
        for stmt in create_statements():
            con.execute(stmt)
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)"
        )
        con.execute(
            f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('forcepack_version', ?)", [__version__]
        )
        if reference:
            for name in REFERENCE_TABLES:
                load_reference(con, name)
        con.execute("COMMIT")
    finally:
        con.close()
    return path


def load_reference(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """Replace the rows of reference table ``name`` with the shipped ones (if it is empty)."""
    (count,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()  # type: ignore[misc]
    if count:
        return 0
    data = rows(name)
    cols = TABLES[name].column_names
    placeholders = ", ".join("?" for _ in cols)
    con.executemany(
        f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({placeholders})",
        [[r[c] for c in cols] for r in data],
    )
    return len(data)


def connect(path: str | Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse; read-only unless asked otherwise."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(
            f"warehouse {path} does not exist",
            hint="run `make demo` for the demo warehouse, "
            "or `forcepack warehouse create --db PATH`",
        )
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as err:
        raise WarehouseError(
            f"cannot open warehouse {path}: {err}",
            hint="another process may be writing to it; wait for it to finish",
        ) from err
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if META_TABLE not in tables:
        con.close()
        raise WarehouseError(
            f"{path} is not a forcepack warehouse (no {META_TABLE} table)",
            hint="create one with `forcepack warehouse create --db PATH`",
        )
    missing = [t for t in TABLES if t not in tables]
    if missing:  # made by an older forcepack: add the new tables, keeping every row
        if read_only:
            con.close()
            raise WarehouseError(
                f"warehouse {path} was made by an older forcepack and lacks the table(s) "
                f"{', '.join(missing)}",
                hint=f"run `forcepack warehouse create --db {path}` once to add them "
                "(existing data are kept)",
            )
        for stmt in create_statements():
            con.execute(stmt)
    return con


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every contract table."""
    out = {}
    for name in TABLES:
        (n,) = con.execute(f"SELECT count(*) FROM {name}").fetchone()  # type: ignore[misc]
        out[name] = int(n)
    return out


def data_hash(con: duckdb.DuckDBPyConnection, tables: list[str] | None = None) -> str:
    """A short SHA-256 over the contents of the force and reference tables.

    Computed in the engine (an order-independent aggregate of row hashes per table), so it is
    cheap on millions of rows and the same for the same data whatever the load order. The row
    hashes are summed, not XORed, so that two identical rows do not cancel out.
    """
    names = tables or [t.name for t in TABLES.values() if t.role in (Role.REFERENCE, Role.FORCE)]
    digest = hashlib.sha256()
    for name in sorted(names):
        cols = ", ".join(TABLES[name].column_names)
        (n, h) = con.execute(  # type: ignore[misc]
            f"SELECT count(*), coalesce(sum(hash(({cols}))::HUGEINT), 0) FROM {name}"
        ).fetchone()
        digest.update(f"{name}:{n}:{h};".encode())
    return digest.hexdigest()[:16]
