"""Compute and store the whole catalogue: every measure, window and cut, once per data load.

The monthly job after the month's extracts are loaded (and the derived tables rebuilt, which
:func:`refresh_file` does itself when they are older than the data): each
measure at force level and cut by each dimension it supports, in the standard windows, stored in
the warehouse under its definition and data hash. The board paper, exports and later runs then
read the stored figures; an unchanged measure on unchanged data is never recomputed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.measures import cache
from forcepack.measures.compute import catalogue, compute, get
from forcepack.measures.spec import MeasureSpec
from forcepack.warehouse.sql import ident

#: The windows the pack reports.
STANDARD_WINDOWS = ("month", "rolling12", "fytd")


def cuts(ids: Sequence[str] | None = None) -> list[tuple[str, ...]]:
    """Force level, then each dimension that any of the measures (default: all) supports."""
    specs = catalogue()
    chosen = [get(i) for i in ids] if ids else list(specs.values())
    return [(), *((d,) for d in sorted({d for s in chosen for d in s.dimensions}))]


@dataclass(frozen=True, slots=True)
class Refreshed:
    computations: int  # measure x window x cut
    rows: int
    pruned: int  # stale stored rows removed
    seconds: float
    recomputed: int = 0  # of the computations, those not already stored for this data
    rebuilt: tuple[str, ...] = ()  # derived tables rebuilt first, with why ("the harm tables...")


def refresh(
    con: duckdb.DuckDBPyConnection,
    *,
    ids: Sequence[str] | None = None,
    windows: Sequence[str] = STANDARD_WINDOWS,
    cache_results: bool | None = None,
    prune: bool = True,
    progress: Callable[[str], None] | None = None,
    incremental: bool = False,
) -> Refreshed:
    """Every measure (or ``ids``) × ``windows`` × (force level and each of its dimensions) on
    ``con``: one :func:`compute` per cut. With a writable connection the results are stored
    (``cache_results=None``) and results already stored for the same data are read, not
    recomputed; ``cache_results=False`` recomputes everything and stores nothing. With
    ``prune``, stored results of these measures for other data or older definitions are
    removed (they can never be read again unless the data go back). ``progress`` is called with
    the name of each cut when it is done (see :func:`cuts`). With ``incremental``, each result
    is brought forward from the one stored (with ``incremental``) for the previous data,
    recomputing only the periods whose windows hold a changed month (see
    :func:`forcepack.measures.compute.compute`)."""
    t0 = time.perf_counter()
    done = rows = 0
    specs = catalogue()
    chosen = list(ids) if ids else list(specs)
    for i in chosen:
        get(i)  # an unknown id is an input error naming it
    before = _stored_keys(con)
    for by in cuts(chosen):
        members = [i for i in chosen if set(by) <= set(specs[i].dimensions)]
        df = compute(
            members,
            con=con,
            window=list(windows),
            by=by,
            cache_results=cache_results,
            incremental=incremental,
        )
        done += len(members) * len(windows)
        rows += len(df)
        if progress is not None:
            progress(f"by {by[0]}" if by else "force level")
    # every computation stores one key (an empty result a marker), so new keys are recomputed
    recomputed = done if cache_results is False else len(_stored_keys(con) - before)
    pruned = _prune(con, [specs[i] for i in chosen]) if prune and cache_results is not False else 0
    return Refreshed(done, rows, pruned, time.perf_counter() - t0, recomputed)


def _stored_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The keys of the result sets stored in the warehouse."""
    if not cache._exists(con):
        return set()
    rows = con.execute(f"SELECT DISTINCT cache_key FROM {ident(cache.TABLE)}").fetchall()
    return {str(r[0]) for r in rows}


def _prune(con: duckdb.DuckDBPyConnection, specs: Sequence[MeasureSpec]) -> int:
    """Remove stored results of ``specs`` whose engine version, definition or data hash is not
    the current one."""
    import pandas as pd

    from forcepack.measures.compute import _alias, _memo, data_identity, tables_read

    if not cache._exists(con):
        return 0
    identity = data_identity(con)
    hashes = _memo(identity)["hashes"]
    current = pd.DataFrame(
        [
            (
                s.id,
                cache.stored_definition(s.definition_hash()),
                cache.table_hash(con, tables_read(s, ()), hashes),
            )
            for s in specs
        ],
        columns=["measure_id", "definition_hash", "data_hash"],
    )
    con.register("_fp_current", current)
    try:
        stale = (
            f"FROM {cache.TABLE} r JOIN _fp_current c USING (measure_id) "
            "WHERE r.definition_hash <> c.definition_hash OR r.data_hash <> c.data_hash"
        )
        legacy = f"FROM {cache.TABLE} WHERE measure_id = ''"  # empty markers of old engines
        n = int(con.execute(f"SELECT count(*) {stale}").fetchall()[0][0])
        n += int(con.execute(f"SELECT count(*) {legacy}").fetchall()[0][0])
        if n:
            con.execute(
                f"DELETE FROM {cache.TABLE} WHERE cache_key IN (SELECT r.cache_key {stale})"
            )
            con.execute(f"DELETE {legacy}")
        cache.prune_lineage(con, hashes)
        _alias(identity, data_identity(con))  # stored results are not the data
    except duckdb.Error:  # read-only: nothing to prune here
        return 0
    finally:
        con.unregister("_fp_current")
    return n


def refresh_file(
    db: Path,
    *,
    ids: Sequence[str] | None = None,
    windows: Sequence[str] = STANDARD_WINDOWS,
    progress: Callable[[str], None] | None = None,
    incremental: bool = False,
) -> Refreshed:
    """:func:`refresh` on the warehouse file ``db``, opened for writing, after rebuilding the
    derived tables (harm, victim care) the measures read that are older than the data
    (:func:`forcepack.derive.derive_stale`), so no stored figure describes older data."""
    from dataclasses import replace

    from forcepack.derive import derive_stale
    from forcepack.measures.compute import tables_read
    from forcepack.measures.state import mark_fresh
    from forcepack.warehouse.core import connect

    specs = catalogue()
    chosen = [get(i) for i in ids] if ids else list(specs.values())
    con = connect(db, read_only=False)
    try:
        t0 = time.perf_counter()
        reads = {t for s in chosen for by in cuts([s.id]) for t in tables_read(s, by)}
        rebuilt = tuple(s.message() for s in derive_stale(con, reads))
        mark_fresh(con, sorted(reads))  # checked or rebuilt just now
        done = refresh(con, ids=ids, windows=windows, progress=progress, incremental=incremental)
        return replace(done, rebuilt=rebuilt, seconds=time.perf_counter() - t0)
    finally:
        con.close()
