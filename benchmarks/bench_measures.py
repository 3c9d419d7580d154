"""Benchmark: the full measure catalogue, every month, window and dimension, against hand SQL.

For a warehouse (the demo force by default; ``--forces N`` also builds N synthetic forces) it
times :func:`forcepack.measures.refresh.refresh`: every catalogue measure in the windows month,
rolling12 and fytd, at force level and cut by each of its dimensions, for every month, as the
monthly refresh computes it (one ``compute`` call per cut, all windows at once):

* **cold**: the first pass in this process (Ibis builds and compiles every query);
* **warm**: the same pass again (compiled SQL reused, every figure recomputed by DuckDB);
* **stored**: the pass once the results are stored in the warehouse (an unchanged pack rebuilt).

The floor is hand-written DuckDB SQL for three measures (recorded crime by district by month,
the rolling 12-month prompt median by incident type, rolling 12-month overall satisfaction by
area), timed in the same run on the same file against ``compute`` of the same measure, window
and cut with nothing stored (every figure recomputed), and checked to give the same figures.
Targets: the demo catalogue warm in under 10 s; the three measures within 2x of the floor.
It prints seconds and ratios and never fails on time.

    uv run --no-sync python benchmarks/bench_measures.py [--demo PATH] [--forces 10 --years 1]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from forcepack.measures import compute
from forcepack.measures.refresh import STANDARD_WINDOWS, refresh

WINDOWS = STANDARD_WINDOWS

FLOOR_SQL = {
    "crime.recorded by district, month": """
        SELECT date_trunc('month', c.recorded_at)::DATE AS period, d.district_name AS district,
               count(*) AS n
        FROM crimes c JOIN districts d USING (district_code)
        WHERE c.status <> 'cancelled'
        GROUP BY ALL""",
    "response.prompt.median_minutes by call_type_category, rolling12": """
        WITH i AS (
          SELECT date_trunc('month', created_at)::DATE AS month, t.category,
                 (epoch(timezone('Europe/London', arrived_at))
                  - epoch(timezone('Europe/London', created_at))) / 60.0 AS minutes
          FROM incidents JOIN call_types t USING (call_type_code)
          WHERE grade = 'prompt' AND arrived_at IS NOT NULL),
        p AS (SELECT DISTINCT month AS period FROM i)
        SELECT p.period, i.category, median(i.minutes) AS value, count(*) AS n
        FROM p JOIN i ON i.month BETWEEN p.period - INTERVAL 11 MONTH AND p.period
        WHERE p.period >= (SELECT date_trunc('month', min(created_at)) FROM incidents)
                           + INTERVAL 11 MONTH
        GROUP BY ALL""",
    "satisfaction.overall by area, rolling12": """
        WITH m AS (
          SELECT date_trunc('month', interviewed_at)::DATE AS month, d.area,
                 count(*) FILTER (WHERE overall <= 3) AS num, count(*) AS den
          FROM survey_responses s JOIN districts d USING (district_code)
          WHERE survey = 'victim' AND overall IS NOT NULL GROUP BY ALL),
        p AS (SELECT DISTINCT month AS period FROM m)
        SELECT p.period, m.area, sum(num) / sum(den) AS value, sum(den) AS n
        FROM p JOIN m ON m.month BETWEEN p.period - INTERVAL 11 MONTH AND p.period
        WHERE p.period >= (SELECT date_trunc('month', min(interviewed_at)) FROM survey_responses)
                           + INTERVAL 11 MONTH
        GROUP BY ALL""",
}
FLOOR_COMPUTE: dict[str, dict[str, Any]] = {
    "crime.recorded by district, month": {
        "ids": "crime.recorded",
        "window": "month",
        "by": "district",
    },
    "response.prompt.median_minutes by call_type_category, rolling12": {
        "ids": "response.prompt.median_minutes",
        "window": "rolling12",
        "by": "call_type_category",
    },
    "satisfaction.overall by area, rolling12": {
        "ids": "satisfaction.overall",
        "window": "rolling12",
        "by": "area",
    },
}


def best_of(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return min(times), result


def catalogue_pass(
    db: Path, *, cache_results: bool, windows: tuple[str, ...] = WINDOWS
) -> tuple[float, int, int]:
    """Every measure × window × (force level, each of its dimensions) on one connection, as
    the monthly refresh computes it. Returns seconds, measure computations and result rows."""
    con = duckdb.connect(str(db), read_only=not cache_results)
    try:
        done = refresh(con, windows=windows, cache_results=None if cache_results else False)
    finally:
        con.close()
    return done.seconds, done.computations, done.rows


def floor(db: Path) -> list[tuple[str, float, float]]:
    out = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        for name, sql in FLOOR_SQL.items():
            t_sql, hand = best_of(lambda sql=sql: con.execute(sql).df())
            kw = FLOOR_COMPUTE[name]
            compute(con=con, cache_results=False, **kw)  # compile once: the pack runs warm
            t_fp, ours = best_of(lambda kw=kw: compute(con=con, cache_results=False, **kw))
            got = ours["value"].dropna().sort_values().to_numpy()
            want = pd.Series(hand.iloc[:, 2], dtype="float64").dropna().sort_values().to_numpy()
            same = len(got) == len(want) and (len(got) == 0 or bool(abs(got - want).max() < 1e-9))
            out.append((name + ("" if same else "  (FIGURES DIFFER)"), t_sql, t_fp))
    finally:
        con.close()
    return out


def report(label: str, db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    crimes = con.execute("SELECT count(*) FROM crimes").fetchall()[0][0]
    incidents = con.execute("SELECT count(*) FROM incidents").fetchall()[0][0]
    con.close()
    print(f"\n== {label}: {crimes:,} crimes, {incidents:,} incidents ({db})")
    cold, queries, rows = catalogue_pass(db, cache_results=False)
    warm = statistics.median(catalogue_pass(db, cache_results=False)[0] for _ in range(3))
    month, month_n, _ = catalogue_pass(db, cache_results=False, windows=("month",))
    catalogue_pass(db, cache_results=True)  # store
    stored, _, _ = catalogue_pass(db, cache_results=True)
    print(f"full catalogue: {queries} measure x window x cut computations, {rows:,} result rows")
    print(f"  cold   {cold:7.2f} s")
    print(f"  warm   {warm:7.2f} s   (windows {', '.join(WINDOWS)}; median of 3; target < 10 s)")
    print(f"  warm   {month:7.2f} s   (month window only: {month_n} computations)")
    print(f"  stored {stored:7.2f} s   (results read back from the warehouse)")
    print("three measures against hand-written DuckDB SQL (best of 5, warm):")
    for name, t_sql, t_fp in floor(db):
        print(
            f"  {name:<66} sql {t_sql:6.3f} s  forcepack {t_fp:6.3f} s  "
            f"ratio {t_fp / t_sql:5.2f}x (target <= 2x)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--demo", type=Path, default=None, help="an existing demo warehouse")
    ap.add_argument("--forces", type=int, default=0, help="also benchmark N generated forces")
    ap.add_argument("--years", type=int, default=5, help="years of data for --forces")
    ap.add_argument("--keep", type=Path, default=None, help="work here instead of a temp dir")
    ap.add_argument("--skip-demo", action="store_true", help="only benchmark the --forces")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-measures-"))
    work.mkdir(parents=True, exist_ok=True)
    demo_db = work / "demo.duckdb"
    if args.skip_demo:
        pass
    elif args.demo is not None:
        shutil.copy(args.demo, demo_db)  # a copy: the stored-results pass writes to it
        report("demo force, 5 years", demo_db)
    else:
        from forcepack.demo import build_demo

        build_demo(work / "demo", warehouse=demo_db)
        report("demo force, 5 years", demo_db)
    if args.forces:
        from forcepack.demo.scale import ScaleOptions, generate_scale

        opts = ScaleOptions.make(
            forces=args.forces, years=args.years, out=work / "scale", load=True
        )
        t0 = time.perf_counter()
        res = generate_scale(opts)
        print(f"\n(generated and loaded {args.forces} forces in {time.perf_counter() - t0:.0f} s)")
        assert res.warehouse is not None
        from forcepack.derive import derive

        t0 = time.perf_counter()
        derive(res.warehouse)  # harm and victim care: their measures read the derived tables
        print(f"(derived harm and victim care tables in {time.perf_counter() - t0:.0f} s)")
        report(f"{args.forces} forces, {args.years} years", res.warehouse)


if __name__ == "__main__":
    main()
