"""Benchmark: demo generation rate (rows per second) and peak memory, for 1 and 10 forces.

Each run is compared with a baseline measured in the same run on the same machine: DuckDB
writing the same number of rows from its own ``range()`` table to Parquet (a floor for "make rows
and write them"). Ratios, not absolute times, are what to compare between machines. Peak memory
is the resident high-water mark of a child process per case (so cases do not inherit each
other's peaks). The benchmark never fails on time.

    uv run --no-sync python benchmarks/bench_generate.py [--forces 1 10] [--years 5]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import tempfile
import time
from pathlib import Path


def _generate(forces: int, years: int, out: str, queue: mp.Queue) -> None:
    from forcepack.demo.scale import ScaleOptions, generate_scale

    opts = ScaleOptions.make(forces=forces, years=years, end="2019-12", out=out, seed=1)
    t0 = time.perf_counter()
    result = generate_scale(opts)
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"rows": sum(result.rows.values()), "seconds": seconds, "peak_mb": peak_mb})


def _baseline(rows: int, out: str, queue: mp.Queue) -> None:
    import duckdb

    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"""COPY (SELECT range AS id, 'CR' || lpad(range::VARCHAR, 8, '0') AS crime_id,
        TIMESTAMP '2015-01-01' + to_seconds(range % 157766400) AS at,
        range % 7 AS code, random() AS value FROM range({rows}))
        TO '{out}/baseline.parquet' (FORMAT parquet, COMPRESSION zstd)""")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"rows": rows, "seconds": seconds, "peak_mb": peak_mb})


def _in_child(target, *args: object) -> dict:  # type: ignore[no-untyped-def]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    report = []
    for forces in args.forces:
        with tempfile.TemporaryDirectory() as tmp:
            gen = _in_child(_generate, forces, args.years, str(Path(tmp) / "gen"))
            base = _in_child(_baseline, gen["rows"], tmp)
        gen_rate = gen["rows"] / gen["seconds"]
        base_rate = base["rows"] / base["seconds"]
        row = {
            "forces": forces,
            "years": args.years,
            "rows": gen["rows"],
            "seconds": round(gen["seconds"], 1),
            "rows_per_second": round(gen_rate),
            "peak_mb": round(gen["peak_mb"]),
            "baseline_rows_per_second": round(base_rate),
            "baseline_peak_mb": round(base["peak_mb"]),
            "rate_ratio_to_baseline": round(gen_rate / base_rate, 3),
        }
        report.append(row)
        print(
            f"{forces:>3} forces x {args.years} years: {gen['rows']:>12,} rows in "
            f"{gen['seconds']:7.1f} s = {gen_rate:>10,.0f} rows/s, peak {gen['peak_mb']:,.0f} MB"
            f" | DuckDB range() to Parquet {base_rate:>12,.0f} rows/s, peak "
            f"{base['peak_mb']:,.0f} MB | ratio {gen_rate / base_rate:.3f}"
        )
    if len(report) > 1:
        a, b = report[0], report[-1]
        print(
            f"memory grows {b['peak_mb'] / max(a['peak_mb'], 1):.2f}x for "
            f"{b['forces'] / a['forces']:.0f}x the forces (bounded: one force in memory at a time)"
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
