"""Benchmark: a month's update (load, derive, refresh, the paper in three formats), only what
changed against a full rebuild, in the same run on the same files.

The demo warehouse (``--demo PATH``, else built into a temporary folder) is split with
``tests/holdout_helpers.py``: December 2019 is held out as that month's extracts (new crimes
with their victims, suspects, events and contacts, the outcomes of older crimes, incidents,
calls and the rest), and the warehouse without it is derived and refreshed, as it stood at the
end of November. Then, each on its own copy of that warehouse:

* **incremental**, as the analyst runs it: the commands ``forcepack update FOLDER`` (load the
  month, derive only the changed crimes, refresh the stored results) and ``forcepack report``
  (the paper in HTML, PDF and Word), each a process of its own, imports included. Twice: with
  the compiled SQL that November's refresh kept (``forcepack.measures.compiled``, as every
  month after the first), and with none kept (the first update after installing forcepack);
* **full**: the same load, a full derive, every stored result cleared and recomputed, the same
  paper, in this process.

The full path runs in this process after the November set-up, so it finds the measure queries
compiled and the files in the page cache: its refresh and paper are the warm figures, without
the imports the commands pay.

Both warehouses must then hold the same rows in every derived table and every stored measure
result (the run fails otherwise). Target: the incremental path under 30 s on the demo force.
It prints seconds per step; it never fails on time.

    uv run --no-sync python benchmarks/bench_update.py [--demo PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from holdout_helpers import differences, hold_out

CACHE_ENV = "FORCEPACK_CACHE_DIR"

MONTH = dt.date(2019, 12, 1)


def timed(label: str, seconds: dict[str, float], fn: Callable[[], Any]) -> Any:
    t = time.perf_counter()
    out = fn()
    seconds[label] = time.perf_counter() - t
    print(f"  {label:<34} {seconds[label]:7.1f} s", flush=True)
    return out


def paper(db: Path, out: Path) -> list[Path]:
    from forcepack.report import build_paper, write_paper
    from forcepack.report.inputs import demo_inputs_dir

    built = build_paper(db, f"{MONTH:%Y-%m}", inputs=demo_inputs_dir())
    return write_paper(built, out, ("html", "pdf", "docx"), stem="board-paper")


def incremental(base: Path, work: Path, folder: Path, out: Path) -> dict[str, float]:
    """The month's update and the paper as the two commands an analyst runs."""
    exe = str(Path(sys.executable).with_name("forcepack"))
    shutil.copy2(base, work)
    seconds: dict[str, float] = {}

    def command(*args: str) -> None:
        subprocess.run([exe, *args], check=True, stdout=subprocess.DEVNULL)

    timed(
        "forcepack update (load, derive, refresh)",
        seconds,
        lambda: command("update", str(folder), "--db", str(work), "--quiet"),
    )
    timed(
        "forcepack report (html, pdf, docx)",
        seconds,
        lambda: command(
            "report",
            "--month",
            f"{MONTH:%Y-%m}",
            "--db",
            str(work),
            "--out",
            str(out),
            "--inputs",
            "demo",
            "--force",
        ),
    )
    return seconds


def full(base: Path, work: Path, folder: Path) -> dict[str, float]:
    from forcepack.derive import derive
    from forcepack.ingest import load_extract
    from forcepack.measures import cache
    from forcepack.measures.refresh import refresh
    from forcepack.update import plan
    from forcepack.warehouse import connect

    shutil.copy2(base, work)
    seconds: dict[str, float] = {}
    files, _ = plan(folder)
    timed("load", seconds, lambda: [load_extract(work, f.table, f.path) for f in files])
    timed("derive (full)", seconds, lambda: derive(work, full=True))

    def recompute() -> None:
        con = connect(work, read_only=False)
        try:
            cache.clear(con)
            refresh(con)
        finally:
            con.close()

    timed("refresh (every result recomputed)", seconds, recompute)
    timed("paper (html, pdf, docx)", seconds, lambda: paper(work, work.parent / "paper-full"))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, help="an existing demo warehouse")
    parser.add_argument("--keep", type=Path, help="keep the warehouses in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="fp-bench-update-"))
    root.mkdir(parents=True, exist_ok=True)
    # the compiled SQL this run keeps, apart from the user's own (read when the store is first
    # used, so set before anything computes)
    os.environ[CACHE_ENV] = str(root / "compiled-sql")
    from forcepack.measures import compiled

    try:
        t = time.perf_counter()
        for module in ("forcepack.report", "forcepack.update", "forcepack.measures.compute"):
            importlib.import_module(module)  # imports timed apart from the steps

        print(f"imports {time.perf_counter() - t:.1f} s")
        src = args.demo
        if src is None:
            from forcepack.demo import build_demo

            print("building the demo warehouse ...", flush=True)
            src = build_demo(root / "demo").warehouse
        from forcepack.derive import derive
        from forcepack.measures.refresh import refresh_file

        base, folder = root / "base.duckdb", root / f"{MONTH:%Y-%m}"
        setup: dict[str, float] = {}
        print("the warehouse at the end of November (set-up, not compared):")
        rows = timed("hold out December 2019", setup, lambda: hold_out(src, base, folder, MONTH))
        print(f"    {sum(rows.values()):,} rows in {len(rows)} extracts")
        timed("derive (full)", setup, lambda: derive(base, full=True))
        timed("refresh", setup, lambda: refresh_file(base))
        compiled.STORE.save()  # what November's refresh compiled, kept as a month's run keeps it
        print("incremental, with the SQL kept by November's refresh:")
        inc = incremental(base, root / "inc.duckdb", folder, root / "paper-inc")
        print("incremental, nothing kept (the first update after installing forcepack):")
        shutil.rmtree(os.environ[compiled.CACHE_ENV])
        cold = incremental(base, root / "cold.duckdb", folder, root / "paper-cold")
        print("full rebuild:")
        whole = full(base, root / "full.duckdb", folder)
        diff = differences(root / "full.duckdb", root / "inc.duckdb") or differences(
            root / "full.duckdb", root / "cold.duckdb"
        )
        total_inc, total_cold = sum(inc.values()), sum(cold.values())
        total_full = sum(v for k, v in whole.items())
        print(
            f"incremental total {total_inc:.1f} s (target 30 s), {total_cold:.1f} s with no "
            f"SQL kept; full {total_full:.1f} s"
        )
        if diff:
            raise SystemExit(f"incremental and full rebuild differ: {diff}")
        print("incremental equals the full rebuild in every derived table and stored result")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
