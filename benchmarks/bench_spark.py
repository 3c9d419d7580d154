"""Benchmark: the catalogue on PySpark over Parquet files against DuckDB on the warehouse.

For a scale folder written by ``forcepack demo scale --load`` (``DIR/<table>/force-NN.parquet``
and ``DIR/warehouse.duckdb``), with the derived tables exported by ``forcepack warehouse export
--parquet DERIVED`` after ``forcepack warehouse derive``, each step runs in its own process
under ``/usr/bin/time -v``:

- ``duckdb``: each measure computed by DuckDB on the warehouse (nothing stored, one run each);
- ``pyspark``: the Spark session started (timed apart), then each measure computed by Spark
  reading the Parquet files (``compute(..., backend="pyspark", parquet=[DIR, DERIVED])``).

Two sets: the floor set of ``bench_floor.py`` and a representative set, one measure per source
table (force level, month). It prints seconds per measure and step, the step's wall time and
peak memory (``/usr/bin/time``'s maximum resident set of the largest process, and the largest
sum over the step's processes, Python and the JVM, sampled every half second), and checks that
the figures agree: to 1e-9 relative, with no tolerance declared for any measure (Spark's
medians are exact, see :data:`TOLERANCE`). It never fails on time; it fails when figures differ.

    uv run --no-sync python benchmarks/bench_spark.py --scale /work/scale2-spark \\
        --derived /work/scale2-spark-derived [--sets floor,representative] [--driver-memory 6g]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))

#: Relative tolerance per measure id where an engine's figure is approximate. None is: Spark's
#: ``percentile`` (what Ibis compiles ``median`` to) is exact and interpolates as DuckDB's
#: ``median`` does.
TOLERANCE: dict[str, float] = {}
RTOL = 1e-9

#: One measure per source table of the national files (public_* tables are data.police.uk's,
#: not in a force's files), at force level, monthly: the force tables', then the derived ones'.
FORCE_TABLES = [
    "crime.recorded",
    "investigations.da_bail_share",
    "demand.abandonment_101",
    "demand.qa_backlog",
    "response.immediate_share",
    "demand.system_downtime_hours",
    "satisfaction.treatment",
    "vulnerability.missing_children",
    "vulnerability.civil_orders",
]
DERIVED_TABLES = [
    "harm.total_days",
    "harm.repeat_victim_share",
    "victims.code_compliance",
    "victims.hub_referral_rate",
]


def measure_sets() -> dict[str, dict[str, dict[str, Any]]]:
    from bench_floor import COMPUTE

    return {
        "floor": dict(COMPUTE),
        "force": {f"{m}, month": {"ids": m, "window": "month"} for m in FORCE_TABLES},
        "derived": {f"{m}, month": {"ids": m, "window": "month"} for m in DERIVED_TABLES},
    }


def step(args: argparse.Namespace) -> None:
    """One engine's computations in this process: seconds and figures to ``args.result``."""
    from forcepack.measures import compute
    from forcepack.warehouse import connect

    sets = measure_sets()
    chosen = {k: v for s in args.sets.split(",") for k, v in sets[s].items()}
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k in args.only.split(";")}
    con = connect(args.db, read_only=True)
    timings: dict[str, float] = {}
    frames = []
    extra: dict[str, Any] = {}
    if args.step == "pyspark":
        from forcepack.measures import spark

        t0 = time.perf_counter()
        spark.session()
        extra["session_start"] = time.perf_counter() - t0
        folders = [args.scale, *([args.derived] if args.derived else [])]
        kw_engine: dict[str, Any] = {"backend": "pyspark", "parquet": folders}
    else:
        kw_engine = {"cache_results": False}
    try:
        for name, kw in chosen.items():
            t0 = time.perf_counter()
            df = compute(con=con, **kw_engine, **kw)
            timings[name] = time.perf_counter() - t0
            df = df.assign(case=name)
            by = kw.get("by")
            df["cut"] = df[by].astype(str) if by else ""
            frames.append(df[["case", "measure_id", "period_end", "window", "cut", "value", "n"]])
            print(f"{args.step}: {name}: {timings[name]:.1f} s", file=sys.stderr, flush=True)
    finally:
        con.close()
    pd.concat(frames, ignore_index=True).to_parquet(Path(args.result).with_suffix(".parquet"))
    Path(args.result).write_text(json.dumps({"timings": timings, **extra}))


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append(int(d.name))
            rss[int(d.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run_step(name: str, args: argparse.Namespace, result: Path) -> dict[str, Any]:
    if result.exists():  # kept from an earlier run (--keep)
        return json.loads(result.read_text()) | {
            "figures": pd.read_parquet(result.with_suffix(".parquet"))
        }
    cmd = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        str(HERE),
        "--step",
        name,
        "--result",
        str(result),
        "--scale",
        str(args.scale),
        "--db",
        str(args.db),
        "--sets",
        args.sets,
        *(["--derived", str(args.derived)] if args.derived else []),
        *(["--only", args.only] if args.only else []),
    ]
    env = {**os.environ, "FORCEPACK_SPARK_DRIVER_MEMORY": args.driver_memory}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"step {name} failed (exit {proc.returncode})")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    out = json.loads(result.read_text())
    out.update(wall=wall, max_rss=int(found.group(1)) * 1024 if found else 0, tree_rss=peak[0])
    result.write_text(json.dumps(out))
    return out | {"figures": pd.read_parquet(result.with_suffix(".parquet"))}


def compare(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, bool]:
    keys = ["case", "measure_id", "period_end", "window", "cut"]
    m = a.merge(b, on=keys, how="outer", suffixes=("_a", "_b"), indicator=True)
    same: dict[str, bool] = {}
    for case, g in m.groupby("case"):
        rtol = max(TOLERANCE.get(mid, RTOL) for mid in g["measure_id"])
        va, vb = g["value_a"].astype("float64"), g["value_b"].astype("float64")
        close = ((va - vb).abs() <= rtol * va.abs().clip(lower=1.0)) | (va.isna() & vb.isna())
        same[str(case)] = bool((g["_merge"] == "both").all() and close.all())
    return same


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=Path, required=True, help="folder of demo scale's files")
    p.add_argument("--derived", type=Path, help="folder of the exported derived tables")
    p.add_argument("--db", type=Path, help="warehouse (default: SCALE/warehouse.duckdb)")
    p.add_argument(
        "--sets", default="floor,force,derived", help="floor, force, derived (comma-separated)"
    )
    p.add_argument("--only", help="just these cases (names as printed, ';'-separated)")
    p.add_argument("--engines", default="duckdb,pyspark", help="steps to run")
    p.add_argument(
        "--keep",
        type=Path,
        help="keep each step's results in this folder; a step whose "
        "results are there already is not run again (remove them to rerun)",
    )
    p.add_argument("--driver-memory", default="6g", help="the Spark driver's JVM heap")
    p.add_argument("--step", choices=["duckdb", "pyspark"], help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    args = p.parse_args()
    args.db = args.db or args.scale / "warehouse.duckdb"
    if args.step:
        step(args)
        return
    engines = args.engines.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        res = {e: run_step(e, args, folder / f"{e}.json") for e in engines}
    for e, r in res.items():
        print(
            f"step {e}: {sum(r['timings'].values()):.1f} s in measures, {r['wall']:.1f} s wall; "
            f"peak memory {r['max_rss'] / 2**30:.2f} GiB (largest process), "
            f"{r['tree_rss'] / 2**30:.2f} GiB (all its processes)"
        )
        if len(res) < 2:
            for case, t in r["timings"].items():
                print(f"  {case:<62} {t:>9.2f} s")
    if len(res) < 2:
        return
    duck, spark = res["duckdb"], res["pyspark"]
    common = set(duck["timings"]) & set(spark["timings"])
    a, b = (r["figures"][r["figures"]["case"].isin(common)] for r in (duck, spark))
    same = compare(a, b)
    print(f"scale {args.scale}  sets {args.sets}  Spark driver memory {args.driver_memory}")
    print(f"Spark session start: {spark['session_start']:.1f} s")
    print(f"{'measure':<62} {'duckdb s':>9} {'spark s':>9} {'ratio':>7}  figures")
    for case, t_duck in duck["timings"].items():
        if case not in spark["timings"]:
            continue
        t_spark = spark["timings"][case]
        agree = "agree" if same.get(case) else "DIFFER"
        print(f"{case:<62} {t_duck:>9.2f} {t_spark:>9.2f} {t_spark / t_duck:>6.1f}x  {agree}")
    if not all(same.values()):
        raise SystemExit("figures differ")


if __name__ == "__main__":
    main()
