"""Generate a demo force: every contract table, as Parquet, loaded into a new warehouse.

``build_demo`` is the library call behind ``forcepack demo``: it generates the force from a
seed (the same seed gives the same data), writes one Parquet file per table under
``out/parquet``, creates the warehouse and loads the files in one transaction.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from forcepack.demo import tables as tb
from forcepack.demo._util import Months
from forcepack.demo.config import DemoConfig
from forcepack.demo.crimes import generate_crimes
from forcepack.demo.events import generate_contacts, generate_events
from forcepack.demo.force_reference import force_reference_tables
from forcepack.demo.incidents import generate_calls, generate_incidents
from forcepack.demo.other import (
    generate_downtime,
    generate_missing,
    generate_orders,
    generate_qa_backlog,
)
from forcepack.demo.people import generate_suspects, generate_victims
from forcepack.demo.surveys import generate_surveys
from forcepack.demo.volumes import crime_volumes
from forcepack.errors import MissingFileError

#: Tables the generator writes, in load order.
GENERATED_TABLES = (
    "neighbourhoods",
    "incidents",
    "crimes",
    "crime_victims",
    "crime_suspects",
    "investigation_events",
    "victim_contacts",
    "calls",
    "survey_responses",
    "missing_episodes",
    "civil_orders",
    "qa_backlog",
    "system_downtime",
)
#: Tables whose rows carry no force or place (a date, a system): a scale run writes them once,
#: from its first force.
#: The demo forces ``build_demo`` can make.
SHAPES = ("demo", "other")
SHARED_TABLES = ("call_types", "qa_backlog", "system_downtime")
#: Steps reported to a progress callback.
STEPS = (
    "crimes",
    "people",
    "investigations",
    "contacts",
    "incidents",
    "calls",
    "surveys",
    "other",
    "write",
    "load",
    "derive",
)

Progress = Callable[[str], None]

#: The random streams of a force, one per table family (docs/demo.md, "Random streams").
STREAMS = (
    "volumes",
    "crimes",
    "victims",
    "suspects",
    "events",
    "contacts",
    "incidents",
    "calls",
    "surveys",
    "missing",
    "orders",
    "qa_backlog",
    "downtime",
)


def stream(cfg: DemoConfig, name: str) -> np.random.Generator:
    """The random stream named ``name`` of the force ``cfg`` describes.

    Each table family draws from its own stream: a child of ``SeedSequence([seed, force])``
    whose spawn key is a checksum of the name, so a stream depends only on the seed, the force
    and its own name. Adding a table (a new name) or drawing more numbers in one family leaves
    every other family's draws, and so the calibrated figures, as they were.
    """
    key = zlib.crc32(name.encode("utf-8"))
    seq = np.random.SeedSequence([cfg.seed, cfg.force], spawn_key=(key,))
    return np.random.Generator(np.random.PCG64(seq))


def generate_force(
    cfg: DemoConfig, progress: Progress | None = None, shared: bool = True
) -> Iterator[tuple[str, pa.Table]]:
    """Yield ``(table name, Arrow table)`` for every generated table of one force.

    Memory stays bounded by one force: tables are yielded as soon as they are made. Places
    (district, neighbourhood and LSOA codes) are the force's own (:attr:`DemoConfig.place_prefix`);
    without ``shared`` the :data:`SHARED_TABLES` are left out. The force's own reference rows
    (its districts and call types, :mod:`forcepack.demo.force_reference`) come first: a new
    warehouse holds none.
    """
    step = progress or (lambda _s: None)
    rng = {name: stream(cfg, name) for name in STREAMS}
    months = Months.between(cfg.start, cfg.end)
    for name, table in force_reference_tables(cfg).items():
        if shared or name not in SHARED_TABLES:
            yield name, table
    yield "neighbourhoods", tb.neighbourhoods_table(cfg)
    vol = crime_volumes(rng["volumes"], months, cfg.scale)
    crimes = generate_crimes(rng["crimes"], months, vol)
    step("crimes")
    victims = generate_victims(rng["victims"], crimes, months.period_end)
    suspects = generate_suspects(rng["suspects"], crimes)
    step("people")
    events = generate_events(rng["events"], months, crimes)
    step("investigations")
    contacts = generate_contacts(rng["contacts"], months, crimes, victims, events)
    step("contacts")
    incidents = generate_incidents(rng["incidents"], months, crimes, cfg.scale)
    step("incidents")
    crime_id = tb.crime_ids(cfg, crimes.n)
    yield "incidents", tb.incidents_table(cfg, incidents)
    yield "crimes", tb.crimes_table(cfg, crimes, incidents)
    del incidents
    yield "crime_victims", tb.victims_table(cfg, victims, crime_id)
    yield "crime_suspects", tb.suspects_table(cfg, suspects, crime_id)
    yield "investigation_events", tb.events_table(cfg, events, crime_id)
    yield "victim_contacts", tb.contacts_table(cfg, contacts, victims, crime_id)
    del contacts, events, suspects
    yield "calls", tb.calls_table(cfg, generate_calls(rng["calls"], months, cfg.scale))
    step("calls")
    yield (
        "survey_responses",
        tb.surveys_table(cfg, generate_surveys(rng["surveys"], months, crimes, victims), crime_id),
    )
    step("surveys")
    yield (
        "missing_episodes",
        tb.missing_table(cfg, generate_missing(rng["missing"], months, cfg.scale)),
    )
    yield "civil_orders", tb.orders_table(cfg, generate_orders(rng["orders"], months, cfg.scale))
    if shared:
        yield "qa_backlog", tb.qa_table(*generate_qa_backlog(rng["qa_backlog"], months, cfg.scale))
        yield "system_downtime", tb.downtime_table(generate_downtime(rng["downtime"], months))
    step("other")


def check_writable(folder: Path) -> Path:
    """Create ``folder`` if needed and check files can be written there."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".forcepack-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise MissingFileError(
            f"output folder {folder} is not writable: {err.strerror}",
            hint="choose a folder you can write to with --out",
        ) from err
    return folder


def write_parquet(table: pa.Table, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=1_000_000)
    return path


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What ``build_demo`` made."""

    out: Path
    warehouse: Path
    parquet: dict[str, Path]
    rows: dict[str, int]
    seed: int
    start: str
    end: str
    seconds: float
    data_hash: str
    timings: dict[str, float] = field(default_factory=dict)


def build_demo(
    out: str | Path = "out/demo",
    *,
    seed: int | None = None,
    start: str = "2015-01",
    end: str = "2019-12",
    warehouse: str | Path | None = None,
    progress: Progress | None = None,
    derive: bool = True,
    shape: str = "demo",
) -> DemoResult:
    """Generate the demo force into ``out/parquet`` and load it into a new warehouse.

    The warehouse (default ``out/warehouse.duckdb``) is replaced if it exists. With ``derive``
    (the default) the derived tables (harm scores, victim care) are built too. ``shape`` is
    ``demo`` (the Cambridgeshire-like force) or ``other`` (:mod:`forcepack.demo.shape_other`:
    seven districts in three areas, its own codes and call types).
    """
    if shape not in SHAPES:
        from forcepack.errors import InputError

        raise InputError(f'demo shape "{shape}" is not one of {", ".join(SHAPES)}')
    from forcepack.settings import DEMO_SEED
    from forcepack.warehouse import connect, data_hash
    from forcepack.warehouse.bulk import load_parquet

    t0 = time.perf_counter()
    cfg = DemoConfig(seed=DEMO_SEED if seed is None else seed, start=start, end=end)
    out = check_writable(Path(out))
    pq_dir = out / "parquet"
    step = progress or (lambda _s: None)
    files: dict[str, Path] = {}
    rows: dict[str, int] = {}
    timings: dict[str, float] = {}
    last = time.perf_counter()

    def timed(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - last
        last = now
        step(name)

    if shape == "other":
        from forcepack.demo.shape_other import generate_other

        tables = generate_other(cfg, timed)
    else:
        tables = generate_force(cfg, timed)
    for name, table in tables:
        files[name] = write_parquet(table, pq_dir / f"{name}.parquet")
        rows[name] = table.num_rows
    timed("write")
    db = Path(warehouse) if warehouse else out / "warehouse.duckdb"
    load_parquet(db, {name: [p] for name, p in files.items()}, replace=True)
    timed("load")
    if derive:
        from forcepack.derive import derive as derive_tables

        derive_tables(db)
        timed("derive")
    con = connect(db)
    try:  # after derive: the hash covers the derived tables' state, as the paper's does
        digest = data_hash(con)
    finally:
        con.close()
    return DemoResult(
        out,
        db,
        files,
        rows,
        cfg.seed,
        cfg.start,
        cfg.end,
        time.perf_counter() - t0,
        digest,
        timings,
    )
