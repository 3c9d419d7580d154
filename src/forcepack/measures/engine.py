"""Engines that run compiled measure plans: DuckDB (the default and reference) and PySpark.

Both run the same Ibis expressions. The DuckDB engine also keeps the SQL it compiled for each
plan, so a pack rebuilt in the same process does not pay Ibis's compile time again.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from forcepack.measures.compiler import Plan, aux_frames, compile_plan, data_span

#: Compiled SQL by plan (definition hash, window, cut, periods): plans are pure, so this is safe.
_SQL_CACHE: dict[tuple[Any, ...], str] = {}
_SQL_CACHE_MAX = 4096


def _plan_key(plan: Plan) -> tuple[Any, ...]:
    return (plan.spec.definition_hash(), plan.window.label, plan.by, plan.periods)


class DuckDBEngine:
    backend = "duckdb"

    def __init__(self, duck: duckdb.DuckDBPyConnection) -> None:
        import ibis

        self.cur = duck.cursor()
        self.con = ibis.duckdb.from_connection(self.cur)
        self._registered: set[str] = set()

    def register(self, frames: dict[str, pd.DataFrame]) -> None:
        for name, df in frames.items():
            if name not in self._registered:
                self.cur.register(name, df)
                self._registered.add(name)

    def span(self, spec: Any) -> Any:
        return data_span(self.con, spec)

    def run(self, plan: Plan) -> pd.DataFrame:
        import ibis

        self.register(aux_frames(plan))
        key = _plan_key(plan)
        sql = _SQL_CACHE.get(key)
        if sql is None:
            sql = str(ibis.to_sql(compile_plan(self.con, plan, self.backend), dialect="duckdb"))
            if len(_SQL_CACHE) >= _SQL_CACHE_MAX:
                _SQL_CACHE.clear()
            _SQL_CACHE[key] = sql
        return self.cur.execute(sql).df()

    def close(self) -> None:
        self.cur.close()


class IbisEngine:
    """Any other Ibis backend holding the warehouse tables under their contract names."""

    def __init__(self, con: Any, backend: str, register: Any, span_con: Any = None) -> None:
        self.con = con
        self.backend = backend
        self._register = register
        self._registered: set[str] = set()
        self._span_con = span_con if span_con is not None else con

    def span(self, spec: Any) -> Any:
        """First and last month of the source, read from ``span_con`` (the warehouse itself
        when the tables were copied from it: cheaper than a distributed job)."""
        return data_span(self._span_con, spec)

    def run(self, plan: Plan) -> pd.DataFrame:
        frames = {k: v for k, v in aux_frames(plan).items() if k not in self._registered}
        if frames:
            self._register(frames)
            self._registered.update(frames)
        return self.con.execute(compile_plan(self.con, plan, self.backend))

    def close(self) -> None:
        pass
