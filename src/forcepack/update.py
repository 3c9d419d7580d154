"""A month's work in one call: load a folder of extracts, rebuild what depends on them, refresh.

``update(db, folder)`` (``forcepack update FOLDER --db DB``):

1. finds every extract in the folder and decides its table, by name (``crimes.csv``,
   ``crimes-2019-12.xlsx``, ``2019-12_crime_victims.parquet``: a contract table's name as a
   whole word of the file name, the longest match winning) or as the caller says (``tables``);
   data.police.uk street and outcomes files are recognised by their own names. A file whose
   table cannot be told, or two tables equally likely, stops the update before anything loads;
2. loads them in the contract's load order (reference lists first, so a new district is there
   before the crimes that name it), each file in its own transaction;
3. rebuilds the derived tables (harm scores, victim care) when any force data changed: only
   the crimes the month's files added or corrected, when that gives the same tables as a
   full rebuild (:mod:`forcepack.derive`);
4. refreshes the stored results of the whole measure catalogue.

Each step reports progress through ``progress(step, done, total)``. The update works on a copy
of the warehouse that replaces it in one rename at the end, so a file that cannot be loaded
stops the update with an error naming it and the warehouse is left exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from forcepack.contract.spec import TABLES, Role, load_order
from forcepack.contract.vocab import LoadStatus
from forcepack.errors import InputError, MissingFileError
from forcepack.ingest.columns import ColumnMapping
from forcepack.ingest.load import LoadResult

#: File endings an extract has; a ``.txt`` file is read as CSV when its name names a table
#: (``crimes.txt``) and skipped otherwise (a README).
EXTRACT_SUFFIXES = (".csv", ".parquet", ".pq", ".xlsx")
TEXT_SUFFIX = ".txt"
#: The working copy an update builds beside the warehouse before it replaces it.
UPDATING_SUFFIX = ".updating"
#: The pseudo-table of data.police.uk files in a plan.
POLICE_UK = "police-uk"

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Planned:
    """One file of the folder and the table it loads into."""

    path: Path
    table: str
    how: str  # "name", "given" or "police.uk"


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What an update loaded, rebuilt and refreshed."""

    loads: tuple[LoadResult, ...]
    skipped: tuple[Path, ...]
    derived: bool
    harm_crimes: int | None
    victim_care_obligations: int | None
    measures_refreshed: int
    result_rows: int
    seconds: dict[str, float] = field(default_factory=dict)
    #: per derivation, "changed" (only the changed crimes rebuilt) or "full"
    derive_how: dict[str, str] = field(default_factory=dict)
    changed_crimes: int | None = None  # crimes found changed; None when rebuilt in full

    @property
    def changed(self) -> bool:
        return any(r.status is LoadStatus.LOADED and (r.inserted or r.updated) for r in self.loads)


def _words(stem: str) -> str:
    return "_" + re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_") + "_"


def table_for(path: Path) -> str | None:
    """The contract table a file's name says it holds, or None when it says none.

    Raises :class:`InputError` when two tables fit equally well."""
    from forcepack.ingest.police_uk import file_kind

    if path.suffix.lower() == ".csv" and file_kind(path) is not None:
        return POLICE_UK
    words = _words(path.stem)
    loadable = [t.name for t in TABLES.values() if t.role in (Role.FORCE, Role.REFERENCE)]
    hits = [name for name in loadable if f"_{name}_" in words]
    if not hits:
        return None
    longest = max(len(h) for h in hits)
    best = [h for h in hits if len(h) == longest]
    if len(best) > 1:
        raise InputError(
            f"extract {path.name}: its name fits tables {' and '.join(best)}",
            hint=f"rename it, or give --table {path.name}=TABLE",
        )
    return best[0]


def plan(
    folder: str | Path, tables: Mapping[str, str] | None = None
) -> tuple[list[Planned], list[Path]]:
    """The files of ``folder`` with their tables, in load order, and the files skipped.

    ``tables`` maps a file name to its table for files whose names do not say it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError(
            f"update folder {folder} does not exist or is not a folder",
            hint="give the folder holding the month's extracts",
        )
    given = dict(tables or {})
    for name, wanted in given.items():
        if wanted not in TABLES or TABLES[wanted].role not in (Role.FORCE, Role.REFERENCE):
            loadable = sorted(
                t.name for t in TABLES.values() if t.role in (Role.FORCE, Role.REFERENCE)
            )
            raise InputError(
                f'--table {name}={wanted}: "{wanted}" is not a table an extract loads into',
                hint="allowed: " + ", ".join(loadable),
            )
        if not (folder / name).is_file():
            raise MissingFileError(f"--table {name}={wanted}: no file {name} in {folder}")
    planned: list[Planned] = []
    skipped: list[Path] = []
    unknown: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        suffix = path.suffix.lower()
        if path.name in given:
            planned.append(Planned(path, given[path.name], "given"))
            continue
        if path.name.startswith(".") or suffix not in (*EXTRACT_SUFFIXES, TEXT_SUFFIX):
            skipped.append(path)
            continue
        table = table_for(path)
        if table is None and suffix == TEXT_SUFFIX:
            skipped.append(path)
        elif table is None:
            unknown.append(path.name)
        else:
            planned.append(Planned(path, table, "police.uk" if table == POLICE_UK else "name"))
    if unknown:
        raise InputError(
            f"update {folder}: cannot tell which table {', '.join(unknown)} "
            f"{'is' if len(unknown) == 1 else 'are'} for; nothing was loaded",
            hint="name each extract after its table (crimes-2019-12.csv) or give "
            "--table FILE=TABLE",
        )
    order = {name: i for i, name in enumerate([*load_order(), POLICE_UK])}
    planned.sort(key=lambda p: (order.get(p.table, len(order)), p.path.name))
    return planned, skipped


def update(
    db: str | Path,
    folder: str | Path,
    *,
    tables: Mapping[str, str] | None = None,
    columns: ColumnMapping | None = None,
    refresh: bool = True,
    progress: Progress | None = None,
) -> UpdateResult:
    """Load every extract in ``folder`` into the warehouse ``db``, derive and refresh.

    ``columns`` maps each table's export column names to contract columns
    (:func:`forcepack.ingest.columns.read_column_map`).

    The work is done on a copy beside the warehouse (``<db>.updating``), which replaces the
    warehouse in one rename when everything succeeded: readers (the dashboard's workers, a
    paper being built) keep the file they opened and never see a half-updated warehouse, and a
    refused file or any failure leaves the warehouse exactly as it was."""
    from forcepack.warehouse import connect

    db = Path(db)
    # the warehouse must exist (update never creates one); opened read-only, as the dashboard's
    # workers may hold it open while it is updated
    connect(db).close()
    files, skipped = plan(folder, tables)
    work = db.with_name(db.name + UPDATING_SUFFIX)
    _remove(work)
    shutil.copy2(db, work)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():  # changes a writer left unchecked in its log go with the copy
        shutil.copy2(wal, work.with_name(work.name + ".wal"))
    try:
        result = _update(work, files, skipped, columns, refresh, progress)
        con = connect(work, read_only=False)
        try:
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _remove(work.with_name(work.name + ".wal"))
        os.replace(work, db)  # atomic on one file system: readers see the old or the new file
    except BaseException:
        _remove(work)
        raise
    return result


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def _update(
    db: Path,
    files: list[Planned],
    skipped: list[Path],
    columns: ColumnMapping | None,
    refresh: bool,
    progress: Progress | None,
) -> UpdateResult:
    from forcepack.derive import derive
    from forcepack.ingest import load_extract, load_police_uk
    from forcepack.ingest.load import writable
    from forcepack.measures.refresh import refresh_file

    step = progress or (lambda _s, _d, _t: None)
    seconds: dict[str, float] = {}
    loads: list[LoadResult] = []
    harm_crimes = obligations = changed_crimes = None
    how: dict[str, str] = {}
    # one connection for the loads and the derive: each writable connection closed is a
    # checkpoint of the file, which a month's twelve extracts would otherwise pay each (with
    # nothing to load, none is opened: nothing is written before the refresh)
    changed = False
    if files:
        with writable(db) as con:
            t = time.perf_counter()
            step("load", 0, len(files))
            for i, item in enumerate(files, start=1):
                if item.table == POLICE_UK:
                    loads.extend(load_police_uk(con, [item.path]))
                else:
                    mapping = (columns or {}).get(item.table)
                    loads.append(load_extract(con, item.table, item.path, columns=mapping))
                step("load", i, len(files))
            seconds["load"] = time.perf_counter() - t
            changed = any(
                r.status is LoadStatus.LOADED and (r.inserted or r.updated) for r in loads
            )
            if changed:
                from forcepack.derive import STEPS

                t = time.perf_counter()
                step("derive", 0, len(STEPS))
                built: list[str] = []

                def derived(name: str) -> None:
                    built.append(name)
                    step("derive", len(built), len(STEPS))

                d = derive(con, progress=derived)
                harm_crimes, obligations = d.harm_crimes, d.victim_care_obligations
                how, changed_crimes = d.how, d.changed_crimes
                seconds["derive"] = time.perf_counter() - t
    refreshed = rows = 0
    if refresh:
        from forcepack.measures.refresh import cuts

        t = time.perf_counter()
        total = len(cuts())
        step("refresh", 0, total)
        done: list[str] = []

        def refreshed_cut(name: str) -> None:
            done.append(name)
            step("refresh", len(done), total)

        r = refresh_file(db, progress=refreshed_cut)
        refreshed, rows = r.computations, r.rows
        seconds["refresh"] = time.perf_counter() - t
    return UpdateResult(
        tuple(loads),
        tuple(skipped),
        changed,
        harm_crimes,
        obligations,
        refreshed,
        rows,
        seconds,
        how,
        changed_crimes,
    )
