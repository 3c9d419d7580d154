"""Loading a staged, validated file: atomic, idempotent, with restatements and a load log.

One file is one load and one DuckDB transaction: staging, validation, quarantine, upsert and the
``load_log`` row commit together or not at all, so a load that fails or is killed part-way
leaves the warehouse as it was.

- **Idempotent.** A file whose SHA-256 was already loaded into the same table adds nothing; the
  attempt is logged with status ``duplicate`` and zero rows.
- **Restatements.** A corrected re-extract updates records by key. Every column whose value
  changed is written to ``restatements`` (old and new value as text) before the update, so the
  history of a crime reclassified, cancelled or given an outcome later is kept. Columns absent
  from the re-extract are left as stored.
- **Accounting.** ``rows_read = rows_loaded + rows_quarantined`` for every load, and
  ``rows_loaded = rows_inserted + rows_updated + rows_unchanged``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from forcepack import __version__
from forcepack.contract.columns import SOURCE_COLUMNS
from forcepack.contract.spec import Role, Table
from forcepack.contract.spec import table as table_spec
from forcepack.contract.vocab import LoadStatus
from forcepack.errors import DataError, InputError, WarehouseError
from forcepack.ingest.columns import rename
from forcepack.ingest.public_area import AREA_TABLES, reflag
from forcepack.ingest.quarantine import find_bad_rows, write_quarantine
from forcepack.ingest.read import Encoding, SourceFile, Staged, inspect_file, stage
from forcepack.ingest.reference_lists import replace_reference
from forcepack.ingest.validate import (
    ColumnMap,
    checks,
    date_orders,
    match_columns,
    typed_select,
)
from forcepack.warehouse.core import transaction
from forcepack.warehouse.sql import ident, ident_list, lit

LONDON = ZoneInfo("Europe/London")
#: Columns saying where a row came from: a new file or row number is not a restatement (they are
#: updated along with a record that did change).
PROVENANCE_COLUMNS = tuple(c.name for c in SOURCE_COLUMNS)
_counter = itertools.count(1)

#: A function run inside the load's transaction just before the upsert, given the connection
#: and the name of the view of clean rows; it returns notes to show the user.
BeforeUpsert = Callable[[duckdb.DuckDBPyConnection, str], list[str]]


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What one load did, as stored in ``load_log`` and shown to the user."""

    load_id: str
    table: str
    file: str
    sha256: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    inserted: int
    updated: int
    unchanged: int
    status: LoadStatus
    top_reasons: tuple[tuple[str, str | None, int], ...] = ()  # (rule, column, rows)
    extra_columns: tuple[str, ...] = ()
    absent_columns: tuple[str, ...] = ()
    encoding: str = ""
    values_restated: int = 0
    duplicate_of: str | None = None
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def nothing(
        cls, load_id: str, table: str, source: SourceFile, status: LoadStatus, **extra: Any
    ) -> LoadResult:
        """A load that added no row (a file already loaded, or one kept out)."""
        return cls(
            load_id,
            table,
            source.name,
            source.sha256,
            rows_read=0,
            rows_loaded=0,
            rows_quarantined=0,
            inserted=0,
            updated=0,
            unchanged=0,
            status=status,
            encoding=str(source.encoding),
            **extra,
        )

    def summary(self) -> str:
        if self.status is LoadStatus.KEPT:
            return f"{self.file} -> {self.table}: " + "; ".join(self.notes)
        if self.status is LoadStatus.DUPLICATE:
            return (
                f"{self.file} -> {self.table}: already loaded (load {self.duplicate_of}, "
                f"same SHA-256); nothing added"
            )
        return (
            f"{self.file} -> {self.table}: read {self.rows_read:,} = loaded "
            f"{self.rows_loaded:,} + quarantined {self.rows_quarantined:,} (inserted "
            f"{self.inserted:,}, updated {self.updated:,}, unchanged {self.unchanged:,}) "
            f"[load {self.load_id}]"
            + (
                "; read as Windows-1252 text (not UTF-8)"
                if self.encoding == Encoding.CP1252
                else ""
            )
        )


def london_now() -> dt.datetime:
    """Local (Europe/London) wall-clock time, as the contract's timestamps are."""
    return dt.datetime.now(LONDON).replace(tzinfo=None)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@contextmanager
def writable(db: str | Path | duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection: the one given, or the existing warehouse at ``db`` (never created
    here: a missing file is an error saying how to create one)."""
    if isinstance(db, duckdb.DuckDBPyConnection):
        yield db
        return
    from forcepack.warehouse import connect
    from forcepack.warehouse.core import keys_checked

    con = connect(Path(db), read_only=False)
    if keys_checked(con):
        con.close()
        raise WarehouseError(
            f"warehouse {db} was built in bulk with its keys checked, not indexed (a national "
            "scale warehouse), so extracts cannot be merged into it row by row",
            hint="load extracts into a warehouse made by `forcepack warehouse create`, or "
            "rebuild this one in bulk from the Parquet files",
        )
    con.execute("SET enable_progress_bar = false")
    try:
        yield con
    finally:
        con.close()


def load_extract(
    db: str | Path | duckdb.DuckDBPyConnection,
    table: str,
    path: str | Path,
    *,
    now: dt.datetime | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadResult:
    """Validate and load one extract (CSV, Parquet or .xlsx) into contract table ``table``.

    ``columns`` maps the export's own column names to contract columns
    (:mod:`forcepack.ingest.columns`)."""
    spec = table_spec(table)
    if spec.role not in (Role.FORCE, Role.REFERENCE):
        hint = (
            "load data.police.uk files with `forcepack ingest police-uk`"
            if spec.role is Role.PUBLIC
            else "forcepack maintains it itself"
        )
        raise InputError(
            f"table {table} cannot be loaded from an extract ({spec.role} table)", hint=hint
        )
    with writable(db) as con:
        return load_file(con, spec, path, now=now, columns=columns)


def load_file(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    path: str | Path,
    *,
    now: dt.datetime | None = None,
    derived: dict[str, str] | None = None,
    before_upsert: BeforeUpsert | None = None,
    source: SourceFile | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadResult:
    """Load one file into ``spec`` in one transaction (see the module docstring)."""
    source = source or inspect_file(path)
    now = now or london_now()
    prefix = f"_fp_load{next(_counter)}"
    started = _utc_now()
    try:
        # Staging writes only temporary tables, so it runs before the transaction (where its
        # row ids, hence row numbers, start at 0); a file already loaded is not staged at all.
        staged: tuple[Staged, ColumnMap] | None = None
        if _previous_load(con, spec, source) is None:
            if not spec.key:
                raise InputError(f"table {spec.name} has no key, so it cannot be upserted")
            staged = _stage(con, spec, source, prefix, derived or {}, columns)
        try:
            with transaction(con):
                result = _load(
                    con, spec, source, now, prefix, started, derived or {}, before_upsert, staged
                )
        except duckdb.Error as err:
            raise DataError(f"loading {source.name} into {spec.name} failed: {err}") from err
    finally:
        _drop_temp(con, prefix)
    return result


def _previous_load(con: duckdb.DuckDBPyConnection, spec: Table, source: SourceFile) -> str | None:
    prev = con.execute(
        "SELECT load_id FROM load_log WHERE table_name = ? AND sha256 = ? AND status = ? "
        "ORDER BY started_at LIMIT 1",
        [spec.name, source.sha256, str(LoadStatus.LOADED)],
    ).fetchone()
    return None if prev is None else str(prev[0])


def _stage(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    source: SourceFile,
    prefix: str,
    derived: dict[str, str],
    columns: Mapping[str, str] | None = None,
) -> tuple[Staged, ColumnMap]:
    try:
        staged = stage(con, source, prefix)
    except duckdb.Error as err:
        raise DataError(
            f"extract {source.name} could not be read as {source.format}: {err}",
            hint="check the file is a complete, comma-separated export",
        ) from None
    header = rename(staged.header, columns)
    return staged, match_columns(spec, header, source.name, tuple(derived))


def _drop_temp(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    try:
        objs = con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_catalog = 'temp' AND table_name LIKE ?",
            [prefix + "%"],
        ).fetchall()
        for name, kind in sorted(objs, key=lambda o: o[1] != "VIEW"):
            kind_sql = "VIEW" if kind == "VIEW" else "TABLE"
            con.execute(f"DROP {kind_sql} IF EXISTS temp.{ident(name)}")
    except duckdb.Error:  # the connection may be closing after a failure; nothing to keep
        pass


def _next_load_id(con: duckdb.DuckDBPyConnection, source: SourceFile) -> str:
    (n,) = con.execute("SELECT count(*) FROM load_log").fetchone()  # type: ignore[misc]
    return f"{int(n) + 1:06d}-{source.sha256[:8]}"


def _log(
    con: duckdb.DuckDBPyConnection, r: LoadResult, source: SourceFile, started: dt.datetime
) -> None:
    con.execute(
        "INSERT INTO load_log (load_id, table_name, file_name, file_size, sha256, rows_read, "
        "rows_loaded, rows_quarantined, rows_inserted, rows_updated, rows_unchanged, "
        "started_at, finished_at, forcepack_version, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            r.load_id,
            r.table,
            source.name,
            source.size,
            source.sha256,
            r.rows_read,
            r.rows_loaded,
            r.rows_quarantined,
            r.inserted,
            r.updated,
            r.unchanged,
            started,
            _utc_now(),
            __version__,
            str(r.status),
        ],
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _load(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    source: SourceFile,
    now: dt.datetime,
    p: str,
    started: dt.datetime,
    derived: dict[str, str],
    before_upsert: BeforeUpsert | None,
    staged_map: tuple[Staged, ColumnMap] | None,
) -> LoadResult:
    load_id = _next_load_id(con, source)
    prev = _previous_load(con, spec, source)
    if prev is not None:
        result = LoadResult.nothing(
            load_id, spec.name, source, LoadStatus.DUPLICATE, duplicate_of=prev
        )
        _log(con, result, source, started)
        return result
    if staged_map is None:  # loaded by another process between the check and the transaction
        raise WarehouseError(f"{source.name}: the load log changed during the load; run it again")
    staged, cmap = staged_map
    typed = f"{p}_typed"  # a view: raw text and typed values, computed when read
    orders = date_orders(con, spec, cmap, staged.view, source.name)
    select = typed_select(spec, cmap, staged.view, derived, orders.day_first)
    con.execute(f"CREATE TEMP VIEW {ident(typed)} AS {select}")
    rules = checks(spec, cmap, source.name, now, tuple(derived), orders.day_first)
    loaded_cols = [c for c in spec.column_names if c in cmap.present or c in derived]
    # One pass: typed values and whether the row breaks any rule, materialised once.
    cond = " OR ".join(f"({c.condition})" for c in rules) or "false"
    values = f"{p}_values"
    con.execute(
        f"CREATE TEMP TABLE {ident(values)} AS SELECT _row, {ident_list(loaded_cols)}, "
        f"coalesce({cond}, false) AS _bad FROM {ident(typed)} r"
    )
    bad = f"{p}_bad"
    find_bad_rows(con, spec, values, bad)
    write_quarantine(con, spec, source, staged, load_id, typed, bad, rules, derived)
    quarantined = _scalar(con, f"SELECT count(*) FROM {ident(bad)}") + staged.rows_malformed
    clean = f"{p}_clean"
    con.execute(
        f"CREATE TEMP VIEW {ident(clean)} AS SELECT * EXCLUDE (_bad) FROM {ident(values)} "
        f"ANTI JOIN {ident(bad)} USING (_row)"
    )
    notes = [*orders.notes, *(before_upsert(con, clean) if before_upsert else [])]
    if spec.role is Role.REFERENCE:  # a whole list, superseding the stored one
        notes += replace_reference(con, spec, source.name, clean, load_id)
    inserted, updated, unchanged, restated = _upsert(con, spec, clean, loaded_cols, load_id, p)
    if spec.name in AREA_TABLES:  # the force's area changed: public records flagged again
        notes += reflag(con)
    loaded = inserted + updated + unchanged
    if loaded + quarantined != staged.rows_read:  # the accounting identity, checked every load
        raise WarehouseError(
            f"load of {source.name}: rows read {staged.rows_read:,} != loaded {loaded:,} + "
            f"quarantined {quarantined:,}; nothing was loaded (this is a forcepack bug)"
        )
    reasons = con.execute(
        "SELECT rule, column_name, count(DISTINCT row_number) AS n FROM quarantine "
        "WHERE load_id = ? GROUP BY ALL ORDER BY n DESC, rule, column_name LIMIT 5",
        [load_id],
    ).fetchall()
    result = LoadResult(
        load_id,
        spec.name,
        source.name,
        source.sha256,
        staged.rows_read,
        loaded,
        quarantined,
        inserted,
        updated,
        unchanged,
        LoadStatus.LOADED,
        top_reasons=tuple((str(r), c, int(n)) for r, c, n in reasons),
        extra_columns=cmap.extra,
        absent_columns=cmap.absent,
        encoding=str(source.encoding),
        values_restated=restated,
        notes=tuple(notes),
    )
    _log(con, result, source, started)
    return result


def _upsert(
    con: duckdb.DuckDBPyConnection, spec: Table, clean: str, cols: list[str], load_id: str, p: str
) -> tuple[int, int, int, int]:
    """Insert new keys, update changed records (logging restatements); return the counts."""
    target = ident(spec.name)
    src = ident(clean)
    col_list = ident_list(cols)
    if _scalar(con, f"SELECT count(*) FROM (SELECT 1 FROM {target} LIMIT 1)") == 0:
        inserted = _scalar(con, f"INSERT INTO {target} ({col_list}) SELECT {col_list} FROM {src}")
        return inserted, 0, 0, 0
    keys = list(spec.key)
    nonkey = [c for c in cols if c not in keys]
    compared = [c for c in nonkey if c not in PROVENANCE_COLUMNS]
    on = " AND ".join(f"t.{ident(k)} = c.{ident(k)}" for k in keys)
    same = (
        " AND ".join(f"t.{ident(c)} IS NOT DISTINCT FROM c.{ident(c)}" for c in compared) or "true"
    )
    match = ident(f"{p}_match")
    con.execute(
        f"CREATE TEMP TABLE {match} AS SELECT c._row, NOT ({same}) AS changed "
        f"FROM {src} c JOIN {target} t ON {on}"
    )
    matched = _scalar(con, f"SELECT count(*) FROM {match}")
    updated = _scalar(con, f"SELECT count(*) FROM {match} WHERE changed")
    restated = 0
    if updated:
        changed = ident(f"{p}_changed")
        con.execute(
            f"CREATE TEMP TABLE {changed} AS SELECT c.* FROM {src} c "
            f"SEMI JOIN (SELECT _row FROM {match} WHERE changed) m USING (_row)"
        )
        key_text = " || '|' || ".join(f"CAST(c.{ident(k)} AS VARCHAR)" for k in keys)
        diffs = " UNION ALL ".join(
            f"SELECT {key_text} AS record_key, {lit(col)} AS column_name, "
            f"CAST(t.{ident(col)} AS VARCHAR) AS old_value, "
            f"CAST(c.{ident(col)} AS VARCHAR) AS new_value FROM {changed} c "
            f"JOIN {target} t ON {on} WHERE t.{ident(col)} IS DISTINCT FROM c.{ident(col)}"
            for col in compared
        )
        restated = _scalar(
            con,
            f"INSERT INTO restatements SELECT ?, ?, record_key, column_name, old_value, "
            f"new_value FROM ({diffs})",
            [load_id, spec.name],
        )
        sets = ", ".join(f"{ident(col)} = c.{ident(col)}" for col in nonkey)
        where = " AND ".join(f"{target}.{ident(k)} = c.{ident(k)}" for k in keys)
        con.execute(f"UPDATE {target} SET {sets} FROM {changed} c WHERE {where}")
    inserted = _scalar(
        con,
        f"INSERT INTO {target} ({col_list}) SELECT {col_list} FROM {src} "
        f"ANTI JOIN {match} USING (_row)",
    )
    return inserted, updated, matched - updated, restated
