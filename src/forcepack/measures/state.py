"""What is known about a warehouse's state while its data are unchanged: the tables a measure
reads, the state of the file (:func:`data_identity`), and per state the table hashes, data
spans, table names and fresh derived tables already checked (:func:`memo_for`).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from forcepack.errors import WarehouseError
from forcepack.measures import cache
from forcepack.measures.dimensions import lookup_columns
from forcepack.measures.spec import MeasureSpec


@dataclass(frozen=True, slots=True)
class Run:
    """What every fused group of one computation shares: the engine that computes, the
    warehouse connection (stored results, month prints), the cut and the memo of what is known
    of the data (:func:`memo_for`)."""

    engine: Any
    duck: duckdb.DuckDBPyConnection
    dims: tuple[str, ...]
    memo: dict[str, Any]


def tables_read(spec: MeasureSpec, by: Sequence[str]) -> list[str]:
    """The source table and every lookup table the measure may join."""
    return [spec.source, *sorted({lk.table for lk, _ in lookup_columns(spec.source).values()})]


#: Per state of a warehouse file (see :func:`data_identity`): table hashes and data spans,
#: the states used last at the end.
_MEMOS: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()
#: How many states :data:`_MEMOS` keeps.
MEMOS_KEPT = 64


#: Per open connection: its database file's path and whether it is read-only (both fixed when
#: the connection is opened; forcepack never switches a connection's database).
_DATABASES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[Any, ...] | None] = (
    weakref.WeakKeyDictionary()
)


def _database(duck: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The connection's database file path and read-only flag, asked once per connection."""
    if duck not in _DATABASES:
        _DATABASES[duck] = duck.execute(
            "SELECT path, readonly FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()
    return _DATABASES[duck]


def data_identity(duck: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The state of the connection's warehouse file: its path with the size and modification
    time of the file and its write-ahead log (every commit changes one of them). None for an
    in-memory database or inside an open transaction, whose changes the file does not show
    yet: then nothing is remembered beyond this computation."""
    row = _database(duck)
    if not row or not row[0]:
        return None
    if not row[1] and cache.in_transaction(duck):  # uncommitted changes: not in the file
        return None
    path = Path(row[0])
    sig: list[Any] = [str(path.resolve())]
    for p in (path, path.with_name(path.name + ".wal")):
        st = p.stat() if p.exists() else None
        sig += [st.st_mtime_ns, st.st_size] if st else [None, None]
    return tuple(sig)


def writable(duck: duckdb.DuckDBPyConnection) -> bool:
    row = _database(duck)
    return bool(row and not row[1])


def memo_for(identity: tuple[Any, ...] | None) -> dict[str, Any]:
    """Table hashes, spans, dimension domains and table names already known for this state of
    the warehouse (fresh when the state cannot be told)."""
    if identity is None:
        return {"hashes": {}, "spans": {}, "domains": {}}
    if identity in _MEMOS:
        _MEMOS.move_to_end(identity)
        return _MEMOS[identity]
    _MEMOS[identity] = {"hashes": {}, "spans": {}, "domains": {}}
    _forget_oldest()
    return _MEMOS[identity]


def _forget_oldest() -> None:
    """Keep the :data:`MEMOS_KEPT` states used last (a long-lived process, such as the
    dashboard or the test suite, sees many); the one in use is never forgotten."""
    while len(_MEMOS) > MEMOS_KEPT:
        _MEMOS.popitem(last=False)


def alias_state(before: tuple[Any, ...] | None, after: tuple[Any, ...] | None) -> None:
    """Our own writes of stored results change the file but not the data: keep what is known."""
    if before is not None and after is not None and before in _MEMOS:
        _MEMOS[after] = _MEMOS[before]
        _MEMOS.move_to_end(after)
        _forget_oldest()


def data_span(engine: Any, spec: MeasureSpec, spans: dict[Any, Any]) -> Any:
    """The data span of a measure's source (first and last month), remembered while the data
    are unchanged."""
    k = (spec.source, str(spec.date), str(spec.as_at))
    if k not in spans:
        spans[k] = engine.span(spec)
    return spans[k]


def check_tables(
    duck: duckdb.DuckDBPyConnection, specs: Sequence[MeasureSpec], memo: dict[str, Any]
) -> None:
    if "tables" not in memo:
        rows = duck.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        memo["tables"] = {r[0] for r in rows}
    present = memo["tables"]
    for s in specs:
        if s.source not in present:
            raise WarehouseError(
                f"measure {s.id} reads table {s.source}, which this warehouse does not have",
                hint="build it first (for derived tables, run "
                "the command that builds them), or recreate the warehouse",
            )


def mark_fresh(duck: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
    """Remember that the derived ``tables`` were just found (or made) up to date, so the
    measures reading them do not check again while the data are unchanged."""
    from forcepack.warehouse import freshness

    memo = memo_for(data_identity(duck))
    memo.setdefault("fresh", set()).update(t for t in tables if t in freshness.BY_TABLE)


def check_fresh(
    duck: duckdb.DuckDBPyConnection,
    specs: Sequence[MeasureSpec],
    dims: Sequence[str],
    memo: dict[str, Any],
) -> None:
    """Refuse measures over derived tables built from older data (remembered once checked)."""
    from forcepack.warehouse import freshness

    fresh = memo.setdefault("fresh", set())
    derived = {t for s in specs for t in tables_read(s, dims) if t in freshness.BY_TABLE} - fresh
    if derived:
        freshness.require_fresh(duck, derived)
        fresh.update(derived)
