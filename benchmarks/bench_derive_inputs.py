"""Benchmark: how a derive reads its inputs, against reading each input again for each use.

A derive needs the fingerprint of every input (to record what the derived tables were built
from) and every crime's row hashes in the by-crime tables (the snapshot the next derive
compares with). ``forcepack.derive`` hashes by crime once and sums those hashes into the
by-crime tables' fingerprints; the baseline, as a derive did before, fingerprints every input,
then each derivation's inputs again for its stamp, then hashes by crime. Both run in turns on
the same warehouse (baseline, forcepack, baseline, ...), so other work on a shared machine
weighs on both alike; the fingerprints must be equal, and the best of ``--repeat`` (3) each is
reported. It writes and drops a scratch table; it never fails on time.

    uv run --no-sync python benchmarks/bench_derive_inputs.py [--db WAREHOUSE] [--repeat 3]

Without ``--db`` it builds the demo warehouse in a temporary folder.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from forcepack.derive import _by_crime_sql, _hash_inputs
from forcepack.warehouse import connect, freshness
from forcepack.warehouse.core import fingerprints

SCRATCH = "_fp_bench_crime_hashes"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=None, help="an existing derived warehouse")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    db = args.db
    if db is None:
        from forcepack.demo import build_demo

        db = build_demo(Path(tempfile.mkdtemp(prefix="bench-derive-inputs-"))).warehouse
    con = connect(db, read_only=False)
    every = {i for d in freshness.DERIVATIONS for i in d.inputs}

    def baseline() -> dict[str, str]:
        now = fingerprints(con, every)
        for d in freshness.DERIVATIONS:
            fingerprints(con, d.inputs)
        con.execute(f"CREATE OR REPLACE TABLE {SCRATCH} AS {_by_crime_sql()}")
        return now

    def forcepack() -> dict[str, str]:
        return _hash_inputs(con, SCRATCH, temporary=False)

    best: dict[str, float] = {}
    seen: dict[str, dict[str, str]] = {}
    runs: list[tuple[str, Callable[[], dict[str, str]]]] = [
        ("baseline", baseline),
        ("forcepack", forcepack),
    ]
    try:
        for _ in range(args.repeat):
            for name, run in runs:
                t = time.perf_counter()
                seen[name] = run()
                s = time.perf_counter() - t
                con.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
                best[name] = min(best.get(name, s), s)
                print(f"{name:10s} {s:8.2f} s", flush=True)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        con.close()
    if seen["baseline"] != seen["forcepack"]:
        raise SystemExit(f"fingerprints differ: {seen}")
    ratio = best["forcepack"] / best["baseline"]
    print(
        f"best: baseline {best['baseline']:.2f} s, forcepack {best['forcepack']:.2f} s "
        f"({ratio:.2f} of the baseline), the same fingerprints of {len(every)} tables"
    )


if __name__ == "__main__":
    main()
