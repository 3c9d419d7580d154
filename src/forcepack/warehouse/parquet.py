"""Warehouse tables written out as Parquet files, one folder per table.

``forcepack warehouse export --parquet DIR`` writes ``DIR/<table>/<table>.parquet`` with
DuckDB's ``COPY ... TO ... (FORMAT parquet)``: the layout ``forcepack demo scale`` writes, so
another engine (the PySpark backend, see :mod:`forcepack.measures.spark`) reads the force
tables and the derived ones (harm scores, victim care) from the same kind of folders.
Timestamps keep their local wall-clock values (no time zone); types are the warehouse's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.contract.types import TABLES, Role
from forcepack.errors import InputError
from forcepack.warehouse import sql


@dataclass(frozen=True, slots=True)
class Exported:
    table: str
    path: Path
    rows: int


def exportable(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The contract tables the warehouse holds, but forcepack's own bookkeeping, in contract
    order: what an export writes when no table is named."""
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return [n for n, t in TABLES.items() if n in present and t.role is not Role.SYSTEM]


def export_parquet(
    con: duckdb.DuckDBPyConnection,
    out: str | Path,
    tables: Sequence[str] | None = None,
    *,
    replace: bool = False,
) -> list[Exported]:
    """Write each of ``tables`` (default: :func:`exportable`) to ``out/<table>/<table>.parquet``.

    An existing file is an input error unless ``replace``; a table the warehouse does not hold
    is an input error naming the ones it does."""
    have = exportable(con)
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    chosen = list(tables) if tables else have
    for name in chosen:
        if name not in present:
            raise InputError(
                f'table "{name}" is not in this warehouse; it holds: {", ".join(have)}',
                hint="derived tables exist after `forcepack warehouse derive`",
            )
    root = Path(out)
    paths = {name: root / name / f"{name}.parquet" for name in chosen}
    if not replace:
        for path in paths.values():
            if path.exists():
                raise InputError(f"{path} exists: give --force to replace it, or another folder")
    done = []
    for name, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        row = con.execute(
            f"COPY (SELECT * FROM {sql.ident(name)}) TO {sql.lit(path)} "
            "(FORMAT parquet, COMPRESSION zstd)"
        ).fetchone()  # the number of rows written
        done.append(Exported(name, path, int(row[0]) if row else 0))
    return done
