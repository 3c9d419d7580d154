"""Engines that run compiled measure plans: DuckDB (the default and reference) and PySpark.

Plans compile to Ibis expressions over unbound tables named like the warehouse's tables. The
DuckDB engine turns them into DuckDB SQL and runs it on the warehouse connection, keeping the SQL
of each plan so a pack rebuilt in the same process does not pay Ibis's compile time again; the
Ibis engine hands them to an Ibis backend (PySpark) holding the same tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from forcepack.measures.compiler import Plan, aux_frames, compile_plan, span_expr, span_months
from forcepack.measures.spec import MeasureSpec

#: Compiled SQL by plan (definition hash, window, cut, periods): plans are pure, so this is safe.
_SQL_CACHE: dict[tuple[Any, ...], str] = {}
_SQL_CACHE_MAX = 4096
#: Helper tables (window maps, period ends) as Arrow, by their content-derived names.
_ARROW: dict[str, Any] = {}


def _plan_key(plan: Plan) -> tuple[Any, ...]:
    return (plan.spec.definition_hash(), plan.window.label, plan.by, plan.periods)


def duckdb_sql(expr: Any) -> str:
    import ibis

    return str(ibis.to_sql(expr, dialect="duckdb"))


class DuckDBEngine:
    backend = "duckdb"

    def __init__(self, duck: duckdb.DuckDBPyConnection) -> None:
        self.cur = duck.cursor()
        self._registered: set[str] = set()

    def register(self, frames: dict[str, pd.DataFrame]) -> None:
        import pyarrow as pa

        for name, df in frames.items():
            if name not in self._registered:
                if name not in _ARROW:  # names are unique to their contents
                    if len(_ARROW) > 1024:
                        _ARROW.clear()
                    _ARROW[name] = pa.Table.from_pandas(df, preserve_index=False)
                self.cur.register(name, _ARROW[name])
                self._registered.add(name)

    def span(self, spec: MeasureSpec) -> tuple[Any, Any] | None:
        key = ("span", spec.source, spec.date, spec.as_at)
        sql = _SQL_CACHE.get(key)
        if sql is None:
            sql = _SQL_CACHE[key] = duckdb_sql(span_expr(spec))
        return span_months(self.cur.execute(sql).df().iloc[0])

    def run(self, plan: Plan) -> pd.DataFrame:
        self.register(aux_frames(plan))
        key = _plan_key(plan)
        sql = _SQL_CACHE.get(key)
        if sql is None:
            sql = duckdb_sql(compile_plan(plan, self.backend))
            if len(_SQL_CACHE) >= _SQL_CACHE_MAX:
                _SQL_CACHE.clear()
            _SQL_CACHE[key] = sql
        return self.cur.execute(sql).df()

    def close(self) -> None:
        self.cur.close()


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

    def close(self) -> None:
        pass
