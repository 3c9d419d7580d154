"""Engines that run compiled measure plans: DuckDB (the default and reference) and PySpark.

Plans compile to Ibis expressions over unbound tables named like the warehouse's tables. The
DuckDB engine turns them into DuckDB SQL and runs it on the warehouse connection, keeping the SQL
of each plan so a pack rebuilt in the same process does not pay Ibis's compile time again; the
Ibis engine hands them to an Ibis backend (PySpark) holding the same tables.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pandas as pd

from forcepack.measures import compiled
from forcepack.measures.compiler import (
    PARTS_TABLE,
    WINDOW_MAPS_PREFIX,
    Plan,
    aux_frames,
    compile_plan,
    helper_name,
    rollup_expr,
    span_expr,
    span_months,
    window_maps,
)
from forcepack.measures.spec import Backend, MeasureSpec, Window
from forcepack.warehouse.sql import ident

#: Compiled SQL by plan (definition hashes, window, cut, windows, how medians are counted):
#: plans are pure, and their periods enter the SQL only through the helper table it reads
#: under a fixed name (:func:`forcepack.measures.compiler.helper_name`), so this is safe.
_SQL_CACHE: dict[tuple[Any, ...], str] = {}
_SQL_CACHE_MAX = 4096
#: Helper tables (window maps, period ends) as Arrow, by their content-derived names.
_ARROW: dict[str, Any] = {}
#: The name a helper table's Arrow data is seen by while it is copied into its table.
_LOADING = "_fp_loading"


def _plan_key(plan: Plan) -> tuple[Any, ...]:
    return (
        tuple(s.definition_hash() for s in plan.specs),
        plan.window.label,
        plan.by,
        tuple(w.label for w, _ in plan.windows),
        plan.by_value,
    )


class Rollup:
    """Additive monthly parts summed into longer windows (see
    :func:`forcepack.measures.compiler.rollup_expr`): the parts as Arrow, the window maps, and
    the query. The result has a ``_w`` column holding each row's window label."""

    def __init__(
        self,
        parts: pd.DataFrame,
        by: tuple[str, ...],
        windows: Sequence[tuple[Window, Sequence[Any]]],
    ) -> None:
        import numpy as np
        import pyarrow as pa

        self.columns = {
            c: ("int64" if pd.api.types.is_integer_dtype(parts[c]) else "float64")
            for c in parts.columns
            if c.startswith("_") and c != "_period"
        }
        self.by = by
        self.maps, self.map_frame = window_maps(windows)
        days = np.asarray(pd.to_datetime(parts["_period"]).to_numpy(), dtype="datetime64[D]")
        frame = {"_month": pa.array(days, pa.date32())}
        for d in by:
            frame[d] = pa.array(parts[d].to_numpy(dtype=object), pa.string(), from_pandas=True)
        for c, ty in self.columns.items():
            arrow_type = pa.int64() if ty == "int64" else pa.float64()
            frame[c] = pa.array(parts[c].to_numpy(), arrow_type, from_pandas=True)  # NaN: null
        self.arrow = pa.table(frame)

    @property
    def key(self) -> tuple[Any, ...]:
        return ("rollup", tuple(self.columns.items()), self.by)

    def expr(self, *, fixed: bool = False) -> Any:
        return rollup_expr(self.columns, self.by, WINDOW_MAPS_PREFIX if fixed else self.maps)

    def aux(self) -> dict[str, pd.DataFrame]:
        return {self.maps: self.map_frame}


def duckdb_sql(expr: Any) -> str:
    import ibis

    return str(ibis.to_sql(expr, dialect="duckdb"))


class DuckDBEngine:
    backend = Backend.DUCKDB

    def __init__(self, duck: duckdb.DuckDBPyConnection) -> None:
        self.cur = duck.cursor()
        self._registered: set[str] = set()
        #: Kept for the connection's next computation (see :func:`duckdb_engine`): not closed.
        self.kept = False

    def register(self, frames: dict[str, pd.DataFrame]) -> None:
        import pyarrow as pa

        for name, df in frames.items():
            if name not in self._registered:
                if name not in _ARROW:  # names are unique to their contents
                    if len(_ARROW) > 1024:
                        _ARROW.clear()
                    _ARROW[name] = pa.Table.from_pandas(df, preserve_index=False)
                # a temporary table of the cursor, not a view of the Arrow table: a query
                # joins a table faster than it scans Arrow, and the cursor keeps it
                self.cur.register(_LOADING, _ARROW[name])
                try:
                    copy = f"SELECT * FROM {ident(_LOADING)}"
                    self.cur.execute(f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS {copy}")
                finally:
                    self.cur.unregister(_LOADING)
                self._registered.add(name)

    def span(self, spec: MeasureSpec) -> tuple[Any, Any] | None:
        key = ("span", spec.source, spec.date, spec.as_at)
        return span_months(self.cur.execute(self._sql(key, lambda: span_expr(spec))).df().iloc[0])

    def _sql(self, key: tuple[Any, ...], build: Callable[[], Any]) -> str:
        """The SQL of ``key``: kept in this process, else kept from an earlier run
        (:mod:`forcepack.measures.compiled`), else compiled from ``build()`` and kept."""
        sql = _SQL_CACHE.get(key)
        if sql is None:
            sql = compiled.STORE.get(key)
            if sql is None:
                sql = duckdb_sql(build())
                compiled.STORE.put(key, sql)
            if len(_SQL_CACHE) >= _SQL_CACHE_MAX:
                _SQL_CACHE.clear()
            _SQL_CACHE[key] = sql
        return sql

    def _show(self, name: str, fixed: str) -> None:
        """The helper table ``name`` seen under the fixed name the compiled SQL reads."""
        self.cur.execute(
            f"CREATE OR REPLACE TEMP VIEW {ident(fixed)} AS SELECT * FROM {ident(name)}"
        )

    def run(self, plan: Plan) -> pd.DataFrame:
        frames = aux_frames(plan)
        self.register(frames)
        fixed = helper_name(plan)
        if fixed is not None:
            (name,) = frames
            self._show(name, fixed)
        sql = self._sql(_plan_key(plan), lambda: compile_plan(plan, self.backend, fixed=True))
        return self.cur.execute(sql).df()

    def rollup(self, r: Rollup) -> pd.DataFrame:
        self.register(r.aux())
        self._show(r.maps, WINDOW_MAPS_PREFIX)
        self.cur.register(PARTS_TABLE, r.arrow)
        try:
            return self.cur.execute(self._sql(r.key, lambda: r.expr(fixed=True))).df()
        finally:
            self.cur.unregister(PARTS_TABLE)

    def close(self) -> None:
        if not self.kept:
            self.cur.close()


#: Per connection and thread: its engine, whose cursor keeps the helper tables it registered
#: (window maps, period ends), so that a pack's computations over one connection register each
#: once. Closing the connection closes the cursor; a dropped connection drops its engines.
_ENGINES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[int, DuckDBEngine]] = (
    weakref.WeakKeyDictionary()
)


def duckdb_engine(duck: duckdb.DuckDBPyConnection) -> DuckDBEngine:
    """The DuckDB engine of ``duck`` for this thread (cursors are not shared across threads),
    made on first use and kept while the connection lives."""
    engines = _ENGINES.setdefault(duck, {})
    engine = engines.get(threading.get_ident())
    if engine is None:
        engine = engines[threading.get_ident()] = DuckDBEngine(duck)
        engine.kept = True
    return engine


class IbisEngine:
    """Another Ibis backend holding the warehouse tables under their contract names."""

    def __init__(
        self,
        con: Any,
        backend: str,
        register: Callable[[dict[str, pd.DataFrame]], None],
        span: Callable[[MeasureSpec], Any],
    ) -> None:
        self.con = con
        self.backend = backend
        self._register = register
        self._span = span
        self._registered: set[str] = set()

    def span(self, spec: MeasureSpec) -> Any:
        return self._span(spec)

    def run(self, plan: Plan) -> pd.DataFrame:
        frames = {k: v for k, v in aux_frames(plan).items() if k not in self._registered}
        if frames:
            self._register(frames)
            self._registered.update(frames)
        return self.con.execute(compile_plan(plan, self.backend))

    def rollup(self, r: Rollup) -> pd.DataFrame:
        frames = {k: v for k, v in r.aux().items() if k not in self._registered}
        if frames:
            self._register(frames)
            self._registered.update(frames)
        self._register({PARTS_TABLE: r.arrow})
        return self.con.execute(r.expr())

    def close(self) -> None:
        pass
