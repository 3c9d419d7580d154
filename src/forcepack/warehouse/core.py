"""Create and open forcepack warehouses."""

from __future__ import annotations

import contextlib
import hashlib
import os
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from forcepack import __version__
from forcepack.contract.ddl import create_statements, declares_key
from forcepack.contract.reference import REFERENCE_TABLES, rows
from forcepack.contract.spec import TABLES, Role, load_order
from forcepack.errors import InputError, MissingFileError, WarehouseError
from forcepack.warehouse import sql
from forcepack.warehouse.sql import ident, ident_list, insert_rows, lit

META_TABLE = "forcepack_meta"
#: ``forcepack_meta`` keys ``derived.<table>`` record the data each derived table was built from.
DERIVED_KEY = "derived."
#: Environment variables bounding every warehouse connection: DuckDB's memory limit (it spills
#: to ``<warehouse>.tmp`` beyond it) and the number of threads it may use.
#: ``forcepack_meta`` key saying how the force and public tables' keys are kept: ``indexed``
#: (primary keys, the default) or ``checked`` (a bulk-built national warehouse; see ``create``).
KEYS_KEY = "keys"
MEMORY_LIMIT_ENV = "FORCEPACK_MEMORY_LIMIT"
THREADS_ENV = "FORCEPACK_THREADS"
#: Every DuckDB connection forcepack opens: no extension is ever installed (downloaded) or
#: loaded behind a query's back. forcepack runs offline and needs only the extensions built
#: into the DuckDB wheel (parquet, json, icu); a query wanting another one fails, naming it.
OFFLINE = ("SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false")


def open_duckdb(
    path: str | Path = ":memory:", *, read_only: bool = False
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``path`` (default: a new in-memory database) with the
    :data:`OFFLINE` settings; the one way forcepack opens DuckDB.

    The settings are set once the database is open rather than passed to ``connect``: a
    database a caller of the library already has open in this process is then shared as
    DuckDB shares it, where a connection asking for other settings at open is refused."""
    con = duckdb.connect(str(path), read_only=read_only)
    for statement in OFFLINE:
        con.execute(statement)
    return con


def engine_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Apply ``$FORCEPACK_MEMORY_LIMIT`` and ``$FORCEPACK_THREADS`` (when set) to ``con``."""
    for name, statement, hint in (
        (MEMORY_LIMIT_ENV, sql.memory_limit, "use a size such as 8GB or 500MB"),
        (THREADS_ENV, sql.threads, "use a whole number of cores such as 2"),
    ):
        value = os.environ.get(name)
        if not value:
            continue
        try:
            con.execute(statement(value))
        except (duckdb.Error, InputError) as err:
            con.close()
            raise InputError(f"{name}={value!r} is not allowed: {err}", hint=hint) from None


def open_warehouse(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """:func:`open_duckdb` on a warehouse file, with :func:`engine_settings` applied; a file
    DuckDB cannot open (another process writing to it, not a database) is a
    :class:`WarehouseError` naming it."""
    try:
        con = open_duckdb(path, read_only=read_only)
    except duckdb.Error as err:
        raise WarehouseError(
            f"cannot open warehouse {path}: {err}",
            hint="another process may be writing to it; wait for it to finish",
        ) from err
    engine_settings(con)
    return con


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction on ``con``: committed when it ends, rolled back when
    it (or the commit) raises, the error then raised as it was. A rollback that fails itself
    (the failed commit already ended the transaction) does not hide the error."""
    con.execute("BEGIN")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def create(
    path: str | Path, *, replace: bool = False, reference: bool = True, index_keys: bool = True
) -> Path:
    """Create a warehouse with every contract table, and load the shipped reference data.

    An existing file is kept (tables are created only if missing) unless ``replace`` is true.
    ``index_keys=False`` (only for a new warehouse built by a bulk load) leaves the force and
    public tables' primary keys unindexed, the bulk load checking them by query; extracts are
    never ingested into such a warehouse (:func:`keys_checked`).
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
    con = open_warehouse(path)
    try:
        with transaction(con):
            existing = {
                r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            }
            for stmt in create_statements(index_keys=index_keys):
                con.execute(stmt)
            con.execute(
                f"CREATE TABLE IF NOT EXISTS {ident(META_TABLE)} "
                "(key VARCHAR PRIMARY KEY, value VARCHAR)"
            )
            if META_TABLE not in existing:
                con.execute(
                    f"INSERT INTO {ident(META_TABLE)} VALUES (?, ?)",
                    [KEYS_KEY, "indexed" if index_keys else "checked"],
                )
            con.execute(
                f"INSERT OR REPLACE INTO {ident(META_TABLE)} VALUES ('forcepack_version', ?)",
                [__version__],
            )
            for stmt in upgrade_statements(_declared_columns(con)):
                con.execute(stmt)
            if reference:
                for name in REFERENCE_TABLES:
                    load_reference(con, name)
    finally:
        con.close()
    return path


def keys_checked(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a bulk-built warehouse whose force and public keys are checked, not indexed."""
    row = con.execute(f"SELECT value FROM {ident(META_TABLE)} WHERE key = ?", [KEYS_KEY]).fetchone()
    return row is not None and row[0] == "checked"


def load_reference(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """Replace the rows of reference table ``name`` with the shipped ones (if it is empty)."""
    (count,) = con.execute(f"SELECT count(*) FROM {ident(name)}").fetchone()  # type: ignore[misc]
    if count:
        return 0
    cols = TABLES[name].column_names
    return insert_rows(con, name, cols, ([r[c] for c in cols] for r in rows(name)))


#: How to get a warehouse when the one named does not exist.
CREATE_HINT = (
    "create one with `forcepack warehouse create --db PATH`, build the demo with `make demo`, "
    "or name an existing one"
)


def require_warehouse(
    path: str | Path, source: str | None = None, *, hint: str = CREATE_HINT
) -> Path:
    """``path`` as a warehouse file that exists: the one check (and message) of every command,
    page and library call that opens a warehouse. ``source`` says where the path came from
    (``from --db``) and ``hint`` how to get one (the CLI names its options), for the message."""
    path = Path(path)
    said = f" ({source})" if source else ""
    if not path.exists():
        raise MissingFileError(f"warehouse {path} does not exist{said}", hint=hint)
    if path.is_dir():
        raise MissingFileError(
            f"warehouse {path}{said} is a folder, not a warehouse file",
            hint="name the .duckdb file",
        )
    return path


def connect(path: str | Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse; read-only unless asked otherwise."""
    path = require_warehouse(path)
    con = open_warehouse(path, read_only=read_only)
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
    if not read_only:
        upgrade(con)
    return con


def upgrade(con: duckdb.DuckDBPyConnection) -> int:
    """Bring an older warehouse's system tables up to the contract (see
    :func:`upgrade_statements`); returns the number of statements run (0 when up to date)."""
    statements = upgrade_statements(_declared_columns(con))
    if not statements:
        return 0
    with transaction(con):
        for stmt in statements:
            con.execute(stmt)
    return len(statements)


def _declared_columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, bool]]:
    """``{table: {column: nullable}}`` as the warehouse declares them (main schema)."""
    out: dict[str, dict[str, bool]] = {}
    for table, column, nullable in con.execute(
        "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_catalog = current_database()"
    ).fetchall():
        out.setdefault(table, {})[column] = nullable == "YES"
    return out


def upgrade_statements(present: dict[str, dict[str, bool]]) -> list[str]:
    """ALTER statements that bring an older warehouse's system tables up to the contract.

    ``present`` maps each existing table to ``{column: nullable}`` as the warehouse declares
    it. A column the spec has and the table lacks is added; the rows already stored get the
    column's ``backfill`` (then NOT NULL is set if the spec asks) or null. A column the spec
    allows to be null but the table declares NOT NULL loses the constraint. Only system tables
    (``Role.SYSTEM``: forcepack's own bookkeeping, such as ``access_log``) are upgraded;
    nothing is ever dropped or retyped.
    """
    out: list[str] = []
    for name in load_order():
        table = TABLES[name]
        if table.role is not Role.SYSTEM or name not in present:
            continue
        have = present[name]
        t = ident(name)
        for col in table.columns:
            c = ident(col.name)
            if col.name not in have:
                if col.backfill is None:
                    out.append(f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} {col.type.value}")
                    continue
                out.append(
                    f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} {col.type.value} "
                    f"DEFAULT {lit(col.backfill)}"
                )
                out.append(f"ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT")
                if not col.nullable:
                    out.append(f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL")
            elif col.nullable and not have[col.name] and col.name not in table.key:
                out.append(f"ALTER TABLE {t} ALTER COLUMN {c} DROP NOT NULL")
    return out


def shaped_as_contract(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether table ``name`` has the contract's columns in its order, the generated ones
    generated, and its key declared as the contract declares it (a table made by an older
    forcepack may store a column now computed, or index a key no longer indexed)."""
    where = "WHERE table_name = ? AND schema_name = 'main' AND database_name = current_database()"
    have = con.execute(
        f"SELECT column_name, is_generated FROM duckdb_columns() {where} ORDER BY column_index",
        [name],
    ).fetchall()
    want = [(c.name, c.generated is not None) for c in TABLES[name].columns]
    (keyed,) = con.execute(  # type: ignore[misc]
        f"SELECT count(*) > 0 FROM duckdb_constraints() {where} "
        "AND constraint_type = 'PRIMARY KEY'",
        [name],
    ).fetchone()
    declared = declares_key(TABLES[name], index_keys=not keys_checked(con))
    return [(str(n), bool(g)) for n, g in have] == want and bool(keyed) == declared


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every contract table."""
    out = {}
    for name in TABLES:
        (n,) = con.execute(f"SELECT count(*) FROM {ident(name)}").fetchone()  # type: ignore[misc]
        out[name] = int(n)
    return out


#: Per read-only connection: the fingerprints it computed. Its data cannot change while it is
#: open: it cannot write, no other process can open the file for writing meanwhile, and a file
#: replaced by ``forcepack update`` is a new file the connection never sees.
_READ_ONLY_PRINTS: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, str]] = (
    weakref.WeakKeyDictionary()
)


def _read_only_prints(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """The fingerprints remembered for ``con``, or None when it may write."""
    if con not in _READ_ONLY_PRINTS:
        row = con.execute(
            "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
        if not (row and row[0]):
            return None
        _READ_ONLY_PRINTS[con] = {}
    return _READ_ONLY_PRINTS[con]


def row_hash_sum(name: str) -> str:
    """SQL: the sum of the row hashes of contract table ``name``, over its stored columns (a
    generated column is a function of them). Every fingerprint, whole-table, per crime or per
    month, sums this, so they add up to each other."""
    return f"sum(hash(({ident_list(TABLES[name].stored_names)}))::HUGEINT)"


def fingerprints(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, str]:
    """``table -> "rows:sum of row hashes"`` for each of ``tables``, in one query.

    Computed in the engine (an order-independent aggregate of row hashes per table), so it is
    cheap on millions of rows and the same for the same data whatever the load order. The row
    hashes are summed, not XORed, so that two identical rows do not cancel out. A read-only
    connection computes each table's once (a paper checks its inputs' freshness section by
    section).
    """
    names = sorted(set(tables))
    if not names:
        return {}
    known = _read_only_prints(con)
    todo = [n for n in names if known is None or n not in known]
    found: dict[str, str] = {}
    if todo:
        parts = [
            f"SELECT {lit(name)} AS t, count(*) AS n, "
            f"coalesce({row_hash_sum(name)}, 0) AS h "
            f"FROM {ident(name)}"
            for name in todo
        ]
        rows = con.execute(" UNION ALL ".join(parts)).fetchall()
        found = {str(t): f"{n}:{h}" for t, n, h in rows}
    if known is None:
        return found
    known.update(found)
    return {n: known[n] for n in names}


def data_hash(con: duckdb.DuckDBPyConnection, tables: list[str] | None = None) -> str:
    """A short SHA-256 over the contents of ``tables``, by default the warehouse's state.

    The default covers the force and reference tables and the state of the derived tables: the
    data each derived table was built from, as recorded in ``forcepack_meta`` when it was built
    (:mod:`forcepack.warehouse.freshness`). So a warehouse whose harm or victim care tables are
    older than its crimes has another hash than the same data derived afresh.
    """
    names = tables or [t.name for t in TABLES.values() if t.role in (Role.REFERENCE, Role.FORCE)]
    digest = hashlib.sha256()
    for name, fingerprint in sorted(fingerprints(con, names).items()):
        digest.update(f"{name}:{fingerprint};".encode())
    if tables is None:
        stamps = con.execute(
            f"SELECT key, value FROM {ident(META_TABLE)} "
            f"WHERE starts_with(key, {lit(DERIVED_KEY)}) ORDER BY key"
        ).fetchall()
        for key, value in stamps:
            digest.update(f"{key}={value};".encode())
    return digest.hexdigest()[:16]
