"""Benchmark: the national-scale run, step by step: generate, load, derive and refresh.

Each step runs as its own ``forcepack`` process (as a national user runs it), timed as a whole,
with its peak resident memory read from the operating system for that child alone. The
baseline, measured in the same run on the same machine, is DuckDB copying the same Parquet
files into a new database file with nothing else (``CREATE TABLE ... AS SELECT * FROM
read_parquet(...)`` per table): a floor for "read every row once and store it". Ratios to it,
not absolute times, are what to compare between machines. The benchmark never fails on time.

    uv run --no-sync python benchmarks/bench_national.py --forces 43 --years 5 --out DIR \\
        [--memory-limit 8GB] [--keep]

``--forces 43 --years 5`` (505 million rows) needs about 45 GB of free disk in ``--out`` and
about an hour on two cores; the defaults (``--forces 2 --years 1``, in a new temporary folder)
check the script in about a minute. Figures:
docs/performance.md, "National scale".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The forcepack command installed beside this interpreter (``make demo`` installs it).
FORCEPACK = [str(Path(sys.executable).with_name("forcepack"))]


def _run(argv: list[str], env: dict[str, str], log: Path) -> dict[str, object]:
    """Run ``argv`` to the end (its output to ``log``); its wall time, its own peak resident
    memory (GB, from ``wait4``: this child alone) and its last line of output."""
    with log.open("w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = log.read_text(errors="replace").strip().splitlines()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n" + "\n".join(lines[-20:]))
    return {
        "seconds": round(seconds, 1),
        "peak_gb": round(usage.ru_maxrss / 1e6, 2),  # kilobytes on Linux
        "output": lines[-1] if lines else "",
    }


def _baseline(folder: Path, db: Path, env: dict[str, str]) -> dict[str, object]:
    """DuckDB alone copying every table's Parquet files into a new database file."""
    tables = sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.parquet")))
    script = (
        "import duckdb, sys, os\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "limit = os.environ.get('FORCEPACK_MEMORY_LIMIT')\n"
        "con.execute(f\"SET memory_limit = '{limit}'\") if limit else None\n"
        "con.execute('SET preserve_insertion_order = false')\n"
        "for t in sys.argv[3:]:\n"
        "    src = os.path.join(sys.argv[2], t, '*.parquet').replace(\"'\", \"''\")\n"
        "    con.execute(f'CREATE TABLE \"{t}\" AS SELECT * FROM read_parquet(\\'{src}\\')')\n"
    )
    argv = [sys.executable, "-c", script, str(db), str(folder), *tables]
    return _run(argv, env, folder / "baseline.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, default=2)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument(
        "--out", type=Path, default=None, help="work folder, emptied first (default: a new one)"
    )
    parser.add_argument("--memory-limit", default="8GB", help="FORCEPACK_MEMORY_LIMIT")
    parser.add_argument("--keep", action="store_true", help="keep the files and warehouse")
    args = parser.parse_args()
    out: Path = args.out or Path(tempfile.mkdtemp(prefix="forcepack-national-"))
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    db = out / "warehouse.duckdb"
    env = {**os.environ, "FORCEPACK_MEMORY_LIMIT": args.memory_limit}
    steps = {
        "generate": [
            *FORCEPACK,
            "demo",
            "scale",
            "--forces",
            str(args.forces),
            "--years",
            str(args.years),
            "--out",
            str(out),
        ],
        "load": [
            *FORCEPACK,
            "warehouse",
            "load-parquet",
            str(out),
            "--db",
            str(db),
            "--replace",
            "--check-keys",
        ],
        "derive": [*FORCEPACK, "warehouse", "derive", "--db", str(db)],
        "refresh": [*FORCEPACK, "measures", "refresh", "--db", str(db)],
    }
    report: dict[str, dict[str, object]] = {}
    for name, argv in steps.items():
        report[name] = _run(argv, env, out / f"{name}.log")
        if name == "generate":
            report["baseline"] = _baseline(out, out / "baseline.duckdb", env)
            (out / "baseline.duckdb").unlink()
        r = report[name]
        print(f"{name:>9}: {r['seconds']:8.1f} s, peak {r['peak_gb']} GB  {r['output']}")
    base = float(report["baseline"]["seconds"])  # type: ignore[arg-type]
    print(f" baseline: {base:8.1f} s (DuckDB copying the Parquet files into a database file)")
    for name in steps:
        r = report[name]
        seconds = float(r["seconds"])  # type: ignore[arg-type]
        r["ratio_to_baseline"] = round(seconds / base, 2)
        r["seconds_per_force"] = round(seconds / args.forces, 1)
    print(json.dumps({"forces": args.forces, "years": args.years, "steps": report}, default=str))
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
