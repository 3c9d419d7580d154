"""Many synthetic forces, written to Parquet one force at a time (bounded memory).

Each force is the demo force's generator with its own seed stream and id prefix (``F07-``),
volumes multiplied by a per-force size factor, so 43 forces over 5 years make about 29 million
crimes with proportional incidents, calls and contacts. Each force has its own six districts
(``districts.force`` = ``Force 07``) and neighbourhoods: force 1 keeps the demo force's codes
and names, force 7's codes are prefixed ``F07-`` and its names suffixed `` (Force 07)``, and its
populations are the demo's times its size factor. Every table that names a district or
neighbourhood uses the force's own codes, so measures can be cut by force and references hold.

Files go to ``OUT/<table>/force-NN.parquet``; only one force's arrays are in memory at any
time. Optionally the files are loaded into ``OUT/warehouse.duckdb``, the forces' districts
replacing the shipped (demo force) rows. qa_backlog and system_downtime carry no force or place,
so they come from the first force only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from forcepack import calendar
from forcepack.demo.config import DemoConfig, parse_month
from forcepack.demo.generate import check_writable, generate_force, write_parquet
from forcepack.errors import InputError

MAX_FORCES = 99


@dataclass(frozen=True, slots=True)
class ScaleOptions:
    forces: int
    start: str
    end: str
    out: Path
    seed: int
    load: bool = False

    @classmethod
    def make(
        cls,
        *,
        forces: int,
        years: int | None = None,
        start: str = "2015-01",
        end: str = "2019-12",
        out: str | Path = "out/scale",
        seed: int = 0,
        load: bool = False,
    ) -> ScaleOptions:
        if not 1 <= forces <= MAX_FORCES:
            raise InputError(
                f"--forces {forces} is not allowed: give a whole number from 1 to {MAX_FORCES}"
            )
        end = parse_month(end, "--end")
        if years is not None:
            if not 1 <= years <= 50:
                raise InputError(f"--years {years} is not allowed: give 1 to 50")
            start = str(calendar.parse(end, "--end") - (12 * years - 1))
        start = parse_month(start, "--start")
        DemoConfig(seed=seed, start=start, end=end)  # validates the period and seed
        return cls(forces, start, end, Path(out), seed, load)


def force_size(seed: int, force: int) -> float:
    """Relative size of force ``force``: from about half to three and a half times the demo
    force, averaging about two (so 43 forces over 5 years make about 29 million crimes)."""
    rng = np.random.default_rng([seed, force, 17])
    return float(np.exp(rng.normal(0.6, 0.55)).clip(0.45, 3.5))


@dataclass(frozen=True, slots=True)
class ScaleResult:
    out: Path
    files: dict[str, list[Path]]
    rows: dict[str, int]
    seconds: float
    warehouse: Path | None

    @property
    def rows_per_second(self) -> float:
        return sum(self.rows.values()) / max(self.seconds, 1e-9)


def generate_scale(
    opts: ScaleOptions, progress: Callable[[str], None] | None = None
) -> ScaleResult:
    """Generate ``opts.forces`` forces to Parquet, one force at a time."""
    t0 = time.perf_counter()
    out = check_writable(opts.out)
    step = progress or (lambda _s: None)
    files: dict[str, list[Path]] = {}
    rows: dict[str, int] = {}
    for force in range(1, opts.forces + 1):
        cfg = DemoConfig(
            seed=opts.seed,
            start=opts.start,
            end=opts.end,
            force=force,
            scale=force_size(opts.seed, force),
        )
        tables = generate_force(cfg, shared=force == 1)
        for name, table in tables:
            path = write_parquet(table, out / name / f"force-{force:02d}.parquet")
            files.setdefault(name, []).append(path)
            rows[name] = rows.get(name, 0) + table.num_rows
            del table
        step(f"force {force}")
    warehouse = None
    if opts.load:
        from forcepack.warehouse.bulk import load_parquet

        warehouse = out / "warehouse.duckdb"
        # the force tables' primary-key indexes would have to fit in memory (505 million keys
        # at 43 forces over five years): their keys are checked by query instead
        load_parquet(
            warehouse, {k: list(v) for k, v in files.items()}, replace=True, index_keys=False
        )
        step("load")
    return ScaleResult(out, files, rows, time.perf_counter() - t0, warehouse)
