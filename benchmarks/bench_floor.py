"""Benchmark: the floor set of measures against hand-written DuckDB SQL for the same figures.

Each measure of the floor set is computed by ``forcepack.measures.compute`` (warm: its query
compiled once, nothing stored, every figure recomputed) and by a hand-written DuckDB query on
the same warehouse, both warmed by one call first, then in turns (hand, forcepack, hand, ...),
so that the other work on a shared machine weighs on both alike; the best of ``--repeat`` (7)
each is reported. The figures must agree (to 1e-9) and the target is forcepack within 1.5
times the hand-written query. The set is the three measures of
``bench_measures.py`` with the prosecution-possible outcome rate over rolling 12 months and the
median immediate response time by district added. It prints seconds and ratios and never fails
on time (it fails when figures differ).

    uv run --no-sync python benchmarks/bench_floor.py [--demo PATH] [--repeat 7]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from bench_measures import FLOOR_COMPUTE, FLOOR_SQL

from forcepack.measures import compute

TARGET = 1.5

SQL = {
    **FLOOR_SQL,
    "outcomes.prosecution_possible_rate, rolling12": """
        WITH m AS (
          SELECT date_trunc('month', c.outcome_at)::DATE AS month,
                 count(*) FILTER (WHERE o.prosecution_possible) AS num, count(*) AS den
          FROM crimes c LEFT JOIN outcome_types o USING (outcome_code)
          WHERE c.outcome_code IS NOT NULL GROUP BY ALL),
        p AS (SELECT DISTINCT month AS period FROM m)
        SELECT p.period, sum(num) / sum(den) AS value, sum(den) AS n
        FROM p JOIN m ON m.month BETWEEN p.period - INTERVAL 11 MONTH AND p.period
        WHERE p.period >= (SELECT min(month) FROM m) + INTERVAL 11 MONTH
        GROUP BY ALL""",
    "response.immediate.median_minutes by district, month": """
        SELECT date_trunc('month', i.created_at)::DATE AS period, d.district_name AS district,
               median((epoch(timezone('Europe/London', i.arrived_at))
                       - epoch(timezone('Europe/London', i.created_at))) / 60.0) AS value,
               count(*) AS n
        FROM incidents i JOIN districts d USING (district_code)
        WHERE i.grade = 'immediate' AND i.arrived_at IS NOT NULL
        GROUP BY ALL""",
}
COMPUTE: dict[str, dict[str, Any]] = {
    **FLOOR_COMPUTE,
    "outcomes.prosecution_possible_rate, rolling12": {
        "ids": "outcomes.prosecution_possible_rate",
        "window": "rolling12",
    },
    "response.immediate.median_minutes by district, month": {
        "ids": "response.immediate.median_minutes",
        "window": "month",
        "by": "district",
    },
}


def _values(df: pd.DataFrame, column: str) -> np.ndarray:
    return pd.Series(df[column], dtype="float64").dropna().sort_values().to_numpy()


def in_turns(
    first: Callable[[], Any], second: Callable[[], Any], repeat: int
) -> tuple[float, Any, float, Any]:
    """Best time and result of each of two calls, run in turns after one warming call each."""
    a, b = first(), second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, ts in ((first, times[0]), (second, times[1])):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
    return min(times[0]), a, min(times[1]), b


def floor(db: Path, repeat: int = 7) -> list[tuple[str, float, float, bool]]:
    out = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        for name, sql in SQL.items():
            kw = COMPUTE[name]
            t_sql, hand, t_fp, ours = in_turns(
                lambda sql=sql: con.execute(sql).df(),
                lambda kw=kw: compute(con=con, cache_results=False, **kw),
                repeat,
            )
            want = _values(hand, "value" if "value" in hand else "n")
            got = _values(ours, "value")
            same = len(got) == len(want) and (len(got) == 0 or bool(abs(got - want).max() < 1e-9))
            out.append((name, t_sql, t_fp, same))
    finally:
        con.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--demo", type=Path, default=None, help="an existing demo warehouse")
    ap.add_argument("--repeat", type=int, default=7, help="timed turns of each (best is shown)")
    args = ap.parse_args()
    db = args.demo
    if db is None:
        from forcepack.demo import build_demo

        db = build_demo(Path(tempfile.mkdtemp(prefix="bench-floor-"))).warehouse
    print(f"floor set on {db} (best of {args.repeat}, warm, in turns; target <= {TARGET}x):")
    differ = []
    for name, t_sql, t_fp, same in floor(db, args.repeat):
        print(
            f"  {name:<66} sql {t_sql:7.4f} s  forcepack {t_fp:7.4f} s  ratio "
            f"{t_fp / t_sql:5.2f}x{'' if t_fp <= TARGET * t_sql else '  (over target)'}"
            f"{'' if same else '  FIGURES DIFFER'}"
        )
        if not same:
            differ.append(name)
    if differ:
        raise SystemExit(f"figures differ from the hand-written SQL: {', '.join(differ)}")


if __name__ == "__main__":
    main()
