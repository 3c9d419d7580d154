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
import json
from collections.abc import Sequence

import duckdb
import pandas as pd

from forcepack.contract.ddl import create_statements
from forcepack.warehouse.core import data_hash

TABLE = "measure_results"
#: Bumped whenever the engine computes any figure differently: old results then miss.
ENGINE_VERSION = "1"
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


def key(definition_hash: str, data: str, window: str, by: Sequence[str], backend: str) -> str:
    text = "|".join((ENGINE_VERSION, definition_hash, data, window, ",".join(by), backend))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [TABLE]
    ).fetchall()
    return bool(rows[0][0])


def read(con: duckdb.DuckDBPyConnection, cache_key: str, by: Sequence[str]) -> pd.DataFrame | None:
    """The stored result for ``cache_key`` (dimension columns restored), or None."""
    if not _exists(con):
        return None
    df = con.execute(
        'SELECT measure_id, period_end, window_label AS "window", dimensions, value, '
        f"numerator, denominator, n FROM {TABLE} WHERE cache_key = ? ORDER BY row_number",
        [cache_key],
    ).df()
    if df.empty:
        return None
    if df["measure_id"].iloc[0] == "":  # a stored empty result
        return df.iloc[0:0].drop(columns="dimensions")
    dims = pd.DataFrame([json.loads(s) for s in df.pop("dimensions")], columns=list(by))
    out = pd.concat([df.iloc[:, :3], dims, df.iloc[:, 3:]], axis=1)
    out["period_end"] = pd.to_datetime(out["period_end"]).dt.date
    out["n"] = out["n"].astype("Int64")
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
    rows = pd.DataFrame(
        {
            "cache_key": cache_key,
            "measure_id": df["measure_id"] if len(df) else pd.Series(dtype=str),
            "definition_hash": definition_hash,
            "data_hash": data,
            "window_label": df["window"],
            "dimensions": [json.dumps(list(r)) for r in df[list(by)].itertuples(index=False)]
            if by
            else "[]",
            "period_end": df["period_end"],
            **{c: df[c] for c in _VALUE_COLS},
            "row_number": range(len(df)),
            "computed_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        }
    )
    if rows.empty:  # remember that there is nothing to report
        rows = pd.DataFrame(
            [
                {
                    "cache_key": cache_key,
                    "measure_id": "",
                    "definition_hash": definition_hash,
                    "data_hash": data,
                    "window_label": "",
                    "dimensions": "[]",
                    "period_end": None,
                    "value": None,
                    "numerator": None,
                    "denominator": None,
                    "n": None,
                    "row_number": 0,
                    "computed_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                }
            ]
        )
    try:
        if not _exists(con):
            for stmt in create_statements():
                if f" {TABLE} " in stmt or f" {TABLE}(" in stmt:
                    con.execute(stmt)
        con.execute("BEGIN")
        con.execute(f"DELETE FROM {TABLE} WHERE cache_key = ?", [cache_key])
        con.register("_fp_rows", rows)
        cols = ", ".join(f'"{c}"' for c in rows.columns)
        con.execute(f"INSERT INTO {TABLE} ({cols}) SELECT {cols} FROM _fp_rows")
        con.execute("COMMIT")
        con.unregister("_fp_rows")
    except duckdb.Error:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        return False
    return True


def clear(con: duckdb.DuckDBPyConnection) -> int:
    """Forget every stored result; returns how many rows were removed."""
    if not _exists(con):
        return 0
    rows = con.execute(f"SELECT count(*) FROM {TABLE}").fetchall()
    con.execute(f"DELETE FROM {TABLE}")
    return int(rows[0][0])
