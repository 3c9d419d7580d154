"""Computed results stored in the warehouse, keyed by measure definition and data hash.

A result set (one measure, one window, one cut, every period) is stored under a key made from
the measure's definition hash, the hash of the tables it reads, the window, the cut, the
backend and the engine version. Rebuilding the pack reads what has not changed instead of
recomputing it. Writing needs a writable connection; when the warehouse is open read-only (or
locked by another process) results are simply not stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from forcepack.contract.ddl import create_statements
from forcepack.warehouse.core import data_hash, row_hash_sum, transaction
from forcepack.warehouse.sql import ident, lit

TABLE = "measure_results"
#: Bumped whenever the engine computes any figure differently: old results then miss.
ENGINE_VERSION = "3"
_VALUE_COLS = ("value", "numerator", "denominator", "n")


def table_hash(con: duckdb.DuckDBPyConnection, tables: Sequence[str], memo: dict[str, str]) -> str:
    """Hash of the contents of ``tables`` (memoised per call of compute)."""
    parts = []
    for name in sorted(set(tables)):
        if name not in memo:
            cur = con.cursor()  # data_hash leaves its last result open; keep it off `con`
            try:
                memo[name] = data_hash(cur, [name])
            finally:
                cur.close()
        parts.append(f"{name}={memo[name]}")
    return hashlib.sha256(";".join(parts).encode()).hexdigest()[:16]


def stored_definition(definition_hash: str) -> str:
    """What ``measure_results.definition_hash`` holds: the engine version and the measure's
    definition hash, so that results of an older engine are told apart (and pruned)."""
    return f"{ENGINE_VERSION}:{definition_hash}"


def key(definition_hash: str, data: str, window: str, by: Sequence[str], backend: str) -> str:
    text = "|".join((ENGINE_VERSION, definition_hash, data, window, ",".join(by), backend))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``con`` is inside an explicit transaction: there one transaction id serves every
    statement, in autocommit each statement gets a new one. Asking changes nothing."""
    first = con.execute("SELECT txid_current()").fetchall()[0][0]
    return bool(first == con.execute("SELECT txid_current()").fetchall()[0][0])


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [TABLE]
    ).fetchall()
    return bool(rows[0][0])


def read(con: duckdb.DuckDBPyConnection, cache_key: str, by: Sequence[str]) -> pd.DataFrame | None:
    """The stored result for ``cache_key`` (dimension columns restored), or None."""
    return read_many(con, [cache_key], by).get(cache_key)


def read_many(
    con: duckdb.DuckDBPyConnection, cache_keys: Sequence[str], by: Sequence[str]
) -> dict[str, pd.DataFrame]:
    """The stored results among ``cache_keys`` (all with the cut ``by``), in one query: key ->
    result with its dimension columns restored. Keys with nothing stored are absent."""
    if not cache_keys or not _exists(con):
        return {}
    dims = ", ".join(
        f"json_extract_string(dimensions, {lit(f'$[{i}]')}) AS {ident(d)}" for i, d in enumerate(by)
    )
    df = con.execute(
        'SELECT cache_key, measure_id, period_end, window_label AS "window"'
        + (f", {dims}" if dims else "")
        + f", value, numerator, denominator, n FROM {TABLE} "
        "WHERE cache_key IN (SELECT unnest(?)) ORDER BY cache_key, row_number",
        [list(cache_keys)],
    ).df()
    if df.empty:
        return {}
    df["period_end"] = pd.to_datetime(df["period_end"]).dt.date
    df["n"] = df["n"].astype("Int64")
    for d in by:
        df[d] = df[d].astype(object).where(df[d].notna(), None)
    out = {}
    for k, part in df.groupby("cache_key", sort=False):
        part = part.drop(columns="cache_key").reset_index(drop=True)
        out[str(k)] = part.iloc[0:0] if part["window"].iloc[0] == "" else part  # empty marker
    return out


def write(
    con: duckdb.DuckDBPyConnection,
    cache_key: str,
    measure_id: str,
    definition_hash: str,
    data: str,
    by: Sequence[str],
    df: pd.DataFrame,
) -> bool:
    """Store ``df`` under ``cache_key``; False when the connection cannot be written."""
    return write_many(con, [(cache_key, measure_id, definition_hash, data, df)], by)


def write_many(
    con: duckdb.DuckDBPyConnection,
    items: Sequence[tuple[str, str, str, str, pd.DataFrame]],
    by: Sequence[str],
) -> bool:
    """Store results ``(cache_key, measure_id, definition_hash, data_hash, df)`` with the cut
    ``by`` in one transaction (an empty result is stored as a marker row, so that it is not
    recomputed either); False when the connection cannot be written."""
    items = list({item[0]: item for item in items}.values())  # each key once
    if not items:
        return True
    if in_transaction(con):  # the caller's uncommitted changes are not the data the key names
        return False
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    cols: dict[str, list[Any]] = {
        c: []
        for c in (
            "cache_key", "definition_hash", "data_hash", "measure_id", "period_end",
            "window_label", *(f"_d{i}" for i in range(len(by))), *_VALUE_COLS, "row_number",
        )
    }  # fmt: skip
    for cache_key, measure_id, definition_hash, data, df in items:
        n = max(len(df), 1)  # an empty result: one marker row, that there is nothing to report
        cols["cache_key"].append(np.full(n, cache_key, dtype=object))
        cols["definition_hash"].append(np.full(n, stored_definition(definition_hash), dtype=object))
        cols["data_hash"].append(np.full(n, data, dtype=object))
        cols["row_number"].append(np.arange(n))
        sources = {"measure_id": "measure_id", "period_end": "period_end", "window_label": "window"}
        sources.update({f"_d{i}": d for i, d in enumerate(by)})
        sources.update({c: c for c in _VALUE_COLS})
        for name, src in sources.items():
            if df.empty:
                marker: Any = measure_id if name == "measure_id" else None
                marker = "" if name == "window_label" else marker
                cols[name].append(np.full(1, marker, dtype=object))
            elif name in _VALUE_COLS:
                cols[name].append(df[src].to_numpy(dtype="float64", na_value=np.nan))
            else:
                vals = df[src].to_numpy(dtype=object)
                cols[name].append(np.where(pd.isna(vals), None, vals))
    rows = pd.DataFrame({c: np.concatenate(parts) for c, parts in cols.items()})
    dims = "to_json([" + ", ".join(f"_d{i}::VARCHAR" for i in range(len(by))) + "])::VARCHAR"
    names = (
        "cache_key, measure_id, definition_hash, data_hash, window_label, dimensions, "
        "period_end, value, numerator, denominator, n, row_number, computed_at"
    )
    select = (
        f"cache_key, measure_id, definition_hash, data_hash, window_label, "
        f"{dims if by else lit('[]')}, period_end::DATE, value::DOUBLE, "
        "numerator::DOUBLE, denominator::DOUBLE, n::BIGINT, row_number, ?::TIMESTAMP"
    )
    try:
        if not _exists(con):
            for stmt in create_statements():
                if f" {TABLE} " in stmt or f" {TABLE}(" in stmt:
                    con.execute(stmt)
        with transaction(con):
            con.register("_fp_rows", rows)
            con.execute(
                f"DELETE FROM {TABLE} WHERE cache_key IN (SELECT DISTINCT cache_key FROM _fp_rows)"
            )
            con.execute(f"INSERT INTO {TABLE} ({names}) SELECT {select} FROM _fp_rows", [now])
    except duckdb.Error:
        return False
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_fp_rows")
    return True


def clear(con: duckdb.DuckDBPyConnection) -> int:
    """Forget every stored result; returns how many rows were removed."""
    if not _exists(con):
        return 0
    rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()
    con.execute(f"DELETE FROM {TABLE}")
    return int(rows[0][0])


# ---------------------------------------------------------------------------------------------
# What a stored result was computed from, so that the next data need only recompute the
# periods a change reaches (see forcepack.measures.incremental.periods_to_redo).

#: System table: per stored result, its measure definition, window, cut, backend and the hash
#: of each table it read.
LINEAGE = "measure_lineage"
#: System table: per table, month column and table hash, each month's rows and row hash sum.
MONTHS = "measure_months"


def _ensure(con: duckdb.DuckDBPyConnection, name: str, columns: str) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {ident(name)} ({columns})")


def write_lineage(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, str, str, Sequence[str], str, dict[str, str]]],
) -> None:
    """Record ``(cache_key, definition_hash, window, cut, backend, table hashes)`` of stored
    results (best effort: nothing is recorded on a connection that cannot be written)."""
    if not rows:
        return
    import json

    with contextlib.suppress(duckdb.Error):
        _ensure(
            con,
            LINEAGE,
            "cache_key VARCHAR PRIMARY KEY, definition_hash VARCHAR, window_label VARCHAR, "
            "cut VARCHAR, backend VARCHAR, tables VARCHAR, stored_at TIMESTAMP",
        )
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con.executemany(
            f"INSERT OR REPLACE INTO {ident(LINEAGE)} VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                [k, stored_definition(d), w, json.dumps(list(by)), b, json.dumps(t), now]
                for k, d, w, by, b, t in rows
            ],
        )


def previous_many(
    con: duckdb.DuckDBPyConnection,
    wanted: Sequence[tuple[str, str]],
    by: Sequence[str],
    backend: str,
) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """Per ``(definition hash, window)`` of ``wanted``: the latest stored result of the same
    measure definition, window, cut and backend (over other data), as its key and the hash of
    each table it read. Absent when there is none."""
    import json

    if not wanted or not _exists(con):
        return {}
    has = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [LINEAGE]
    ).fetchall()[0][0]
    if not has:
        return {}
    rows = con.execute(
        f"SELECT definition_hash, window_label, cache_key, tables FROM {ident(LINEAGE)} l "
        "WHERE cut = ? AND backend = ? AND definition_hash IN (SELECT unnest(?)) "
        f"AND cache_key IN (SELECT DISTINCT cache_key FROM {TABLE}) "
        "QUALIFY row_number() OVER (PARTITION BY definition_hash, window_label "
        "ORDER BY stored_at DESC, cache_key) = 1",
        [json.dumps(list(by)), backend, sorted({stored_definition(d) for d, _ in wanted})],
    ).fetchall()
    got = {(str(d), str(w)): (str(k), json.loads(str(t))) for d, w, k, t in rows}
    out = {}
    for d, w in wanted:
        hit = got.get((stored_definition(d), w))
        if hit is not None:
            out[(d, w)] = (hit[0], {str(a): str(b) for a, b in hit[1].items()})
    return out


def month_prints(
    con: duckdb.DuckDBPyConnection, table: str, column: str, table_hash: str, *, compute: bool
) -> dict[dt.date | None, str] | None:
    """Each month's rows of ``table`` by ``column`` (count and row-hash sum), for the table's
    contents of hash ``table_hash``: read when recorded, else (with ``compute``) computed in
    one query and recorded. None when not recorded and not computed."""
    has = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [MONTHS]
    ).fetchall()[0][0]
    if has:
        rows = con.execute(
            f"SELECT month, print FROM {ident(MONTHS)} WHERE table_name = ? AND date_column = ? "
            "AND table_hash = ?",
            [table, column, table_hash],
        ).fetchall()
        if rows:
            return {r[0]: str(r[1]) for r in rows}
    if not compute:
        return None
    rows = con.execute(
        f"SELECT date_trunc('month', CAST({ident(column)} AS DATE))::DATE AS month, "
        f"count(*)::VARCHAR || ':' || {row_hash_sum(table)}::VARCHAR "
        f"FROM {ident(table)} GROUP BY 1"
    ).fetchall()
    prints = {r[0]: str(r[1]) for r in rows}
    with contextlib.suppress(duckdb.Error):
        _ensure(
            con,
            MONTHS,
            "table_name VARCHAR, date_column VARCHAR, table_hash VARCHAR, month DATE, "
            "print VARCHAR",
        )
        con.executemany(
            f"INSERT INTO {ident(MONTHS)} VALUES (?, ?, ?, ?, ?)",
            [[table, column, table_hash, m, p] for m, p in prints.items()],
        )
    return prints


def prune_lineage(con: duckdb.DuckDBPyConnection, hashes: dict[str, str]) -> None:
    """Forget the lineage of results no longer stored, and the month prints of tables whose
    contents are not those of ``hashes`` (table -> its hash now) any more."""
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if LINEAGE in present:
        con.execute(
            f"DELETE FROM {ident(LINEAGE)} l WHERE NOT EXISTS "
            f"(SELECT 1 FROM {TABLE} r WHERE r.cache_key = l.cache_key)"
        )
    if MONTHS in present and hashes:
        current = " OR ".join(
            f"(table_name = {lit(t)} AND table_hash = {lit(h)})" for t, h in sorted(hashes.items())
        )
        con.execute(
            f"DELETE FROM {ident(MONTHS)} WHERE table_name IN "
            f"({', '.join(lit(t) for t in sorted(hashes))}) AND NOT ({current})"
        )
