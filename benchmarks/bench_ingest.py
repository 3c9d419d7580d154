"""Benchmark: ingest of an incidents CSV against DuckDB's own ``read_csv`` of the same file.

The floor is DuckDB reading the file into a table of a new database file (type detection on,
no validation), measured in the same run on the same file. forcepack's ingest does more: it
hashes the file, checks its encoding, validates every row against the contract, writes the
quarantine and the load log, and upserts into a keyed table. The target is within 3x of the
floor with memory bounded. Each measurement runs in its own process so that peak memory (max
RSS) is that step's alone.

    uv run --no-sync python benchmarks/bench_ingest.py [--rows 5000000] [--keep DIR]

It prints seconds, rows per second, peak memory and the ratio to the floor; it never fails on
time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

CALL_TYPES = "['BURD', 'ASLT', 'CFS', 'RTC', 'THEF', 'OTHR', 'ASBP', 'MISP']"
GRADES = "['immediate', 'prompt', 'scheduled', 'resolved_without_deployment']"
DISTRICTS = "['E07000008', 'E07000009', 'E07000010', 'E07000011', 'E07000012', 'E06000031']"
SOURCES = "['999', '101', 'online', 'other']"


def make_incidents(path: Path, rows: int, *, bad_every: int = 10_000) -> None:
    """A valid incidents extract of ``rows`` rows (one in ``bad_every`` has a bad grade).

    Created times step 11 seconds from 1 January 2015, so 5 million rows span about 21 months.
    """
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT 'INC' || lpad(CAST(i AS VARCHAR), 9, '0') AS incident_id,
                 TIMESTAMP '2015-01-01' + to_seconds(i * 11) AS created_at,
                 {CALL_TYPES}[1 + i % 8] AS call_type_code,
                 CASE WHEN i % {bad_every} = 7 THEN 'urgent' ELSE {GRADES}[1 + i % 4] END AS grade,
                 {DISTRICTS}[1 + i % 6] AS district_code,
                 created_at + to_seconds(i % 600) AS dispatched_at,
                 created_at + to_seconds(i % 600 + i % 5400) AS arrived_at,
                 CASE WHEN i % 5 = 0 THEN 'resource_unavailable' END AS delay_reason,
                 {SOURCES}[1 + i % 4] AS source,
                 i % 3 = 0 AS verbal_only
          FROM range({rows}) r(i)
        ) TO '{path}' (HEADER, DELIMITER ',', TIMESTAMPFORMAT '%Y-%m-%d %H:%M:%S')
    """)
    con.close()


_FLOOR = """
import duckdb, os, sys, time
t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")
if os.environ.get("FORCEPACK_MEMORY_LIMIT"):
    con.execute(f"SET memory_limit = '{os.environ['FORCEPACK_MEMORY_LIMIT']}'")
con.execute(f"CREATE TABLE incidents AS SELECT * FROM read_csv('{sys.argv[1]}')")
con.close()
print(time.perf_counter() - t)
"""

_INGEST = """
import sys, time, datetime as dt
from forcepack.warehouse import create
from forcepack.ingest import load_extract
create(sys.argv[2])
t = time.perf_counter()
r = load_extract(sys.argv[2], "incidents", sys.argv[1], now=dt.datetime(2030, 1, 1))
print(time.perf_counter() - t)
print(r.rows_read, r.rows_loaded, r.rows_quarantined)
"""


def _run(code: str, *args: str, memory_limit: str | None = None) -> tuple[list[str], int]:
    """Run ``code`` in a child process; return its output lines and its peak RSS in MiB."""
    wrapper = (
        "import resource, runpy, sys\n"
        f"exec(compile({code!r}, 'bench', 'exec'))\n"
        "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    env = dict(os.environ)
    if memory_limit:
        env["FORCEPACK_MEMORY_LIMIT"] = memory_limit
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *args], check=True, env=env, capture_output=True, text=True
    ).stdout.split("\n")
    lines = [x for x in out if x]
    rss = int(lines[-1].split()[1]) // 1024
    return lines[:-1], rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the files in")
    parser.add_argument("--repeat", type=int, default=2, help="interleaved runs of each (best)")
    parser.add_argument(
        "--memory-limit",
        default=None,
        help="DuckDB memory limit for both runs, e.g. 1GB (FORCEPACK_MEMORY_LIMIT)",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="forcepack-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "incidents.csv"
    t = time.perf_counter()
    make_incidents(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 2**20
    print(f"generated {args.rows:,} rows, {size_mb:,.0f} MiB in {time.perf_counter() - t:.1f}s")
    results: dict[str, dict[str, object]] = {}
    # Interleaved repeats: floor and ingest see the same machine load; the best run counts.
    for _ in range(args.repeat):
        for name, code in (("duckdb read_csv (floor)", _FLOOR), ("forcepack ingest", _INGEST)):
            db = folder / f"{name.split()[0]}.duckdb"
            for p in (db, db.with_name(db.name + ".wal")):
                p.unlink(missing_ok=True)
            lines, rss = _run(code, str(csv_path), str(db), memory_limit=args.memory_limit)
            seconds = float(lines[0])
            print(
                f"{name:<26} {seconds:7.2f}s  {args.rows / seconds:>12,.0f} rows/s  "
                f"peak {rss:,} MiB  {' '.join(lines[1:])}"
            )
            best = results.get(name)
            if best is None or seconds < float(best["seconds"]):  # type: ignore[arg-type]
                results[name] = {"seconds": seconds, "max_rss_mib": rss, "detail": lines[1:]}
    floor = float(results["duckdb read_csv (floor)"]["seconds"])  # type: ignore[arg-type]
    ratio = float(results["forcepack ingest"]["seconds"]) / floor  # type: ignore[arg-type]
    print(f"ratio forcepack/floor (best of {args.repeat}): {ratio:.2f}x (target <= 3x)")
    print(json.dumps({"rows": args.rows, "ratio": round(ratio, 2), **results}))


if __name__ == "__main__":
    main()
