"""data.police.uk street and outcomes files into ``public_crimes`` and ``public_outcomes``.

Each file is one load through the same validation, quarantine and load log as a force's
extracts (see ``load.py``). What is particular to the open data:

- **In the force's area** is decided by the force's own lookups (``public_area.py``): its
  ``lsoas`` table when loaded, else the LSOA name's prefix (``Peterborough 012A`` ->
  ``Peterborough``) against its ``districts``. Rows outside are kept and flagged
  ``in_force_area = false`` (a few dozen a month geocode outside the force; another force's
  files are wholly outside).
- **No-location rows** (empty coordinates and LSOA) are kept with ``district_name`` null and
  ``in_force_area`` false, and counted in the data quality report.
- **Anti-social behaviour** has no Crime ID: such rows are kept apart (``is_asb``) and keyed by
  the file's hash and row (``record_key``). A later file for the same force and month replaces
  the anti-social behaviour rows of the earlier one, so a re-download never double-counts them.
- **Outcome groups** come from outcome text through the mapping in ``police_uk_outcomes.toml``
  (documented there; a user's own file can replace it). Unknown text gets no group and is
  reported.
- **Force** is ``Falls within``.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import tomllib
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

import duckdb

from forcepack.contract.spec import OUTCOME_GROUPS, TABLES
from forcepack.contract.vocab import LoadStatus
from forcepack.errors import ConfigError, DataError, MissingFileError
from forcepack.ingest.load import LoadResult, load_file, writable
from forcepack.ingest.police_uk_archive import items
from forcepack.ingest.public_area import district_name, in_force_area, prefix_district
from forcepack.ingest.read import SourceFile, inspect_file
from forcepack.ingest.validate import normalise
from forcepack.textfiles import read_text
from forcepack.warehouse.sql import ident, insert_rows, lit

STREET, OUTCOMES = "public_crimes", "public_outcomes"
ASB = "Anti-social behaviour"
MAP_TABLE = "_fp_outcome_map"


def outcome_groups(path: str | Path | None = None) -> dict[str, str | None]:
    """The outcome text -> Home Office outcome group mapping (``None`` = deliberately none).

    ``path`` is a TOML file with an ``[outcome_groups]`` table; the default is the documented
    file shipped with forcepack. Every group must be one of the contract's outcome groups.
    """
    if path is None:
        text = (
            resources.files("forcepack.ingest")
            .joinpath("police_uk_outcomes.toml")
            .read_text(encoding="utf-8")
        )
        where = "police_uk_outcomes.toml (shipped)"
    else:
        p = Path(path)
        if not p.is_file():
            raise MissingFileError(f"outcome mapping {p} does not exist")
        text, where = read_text(p, "outcome mapping")[0], str(p)  # UTF-8 or Windows-1252
    try:
        table = tomllib.loads(text).get("outcome_groups")
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"outcome mapping {where} is not valid TOML: {err}") from None
    if not isinstance(table, dict) or not table:
        raise ConfigError(
            f"outcome mapping {where} has no [outcome_groups] table",
            hint='add lines like "Local resolution" = "Out-of-court (informal)"',
        )
    out: dict[str, str | None] = {}
    seen: dict[str, str] = {}
    for key, group in table.items():
        if not isinstance(group, str) or (group and group not in OUTCOME_GROUPS):
            raise ConfigError(
                f'outcome mapping {where}: "{key}" maps to {group!r}, which is not an outcome '
                f'group; allowed: {", ".join(OUTCOME_GROUPS)} (or "" for none)'
            )
        if key.lower() in seen:
            raise ConfigError(
                f'outcome mapping {where}: "{key}" and "{seen[key.lower()]}" '
                "differ only in case; keep one"
            )
        seen[key.lower()] = key
        out[key] = group or None
    return out


def file_kind(path: Path) -> str | None:
    """``public_crimes`` for a street file, ``public_outcomes`` for an outcomes file, or None."""
    name = path.name.lower()
    if name.endswith("-street.csv"):
        return STREET
    if name.endswith("-outcomes.csv"):
        return OUTCOMES
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f:
        header = {normalise(h) for h in next(csv.reader([f.readline()]), [])}
    if "crimetype" in header:
        return STREET
    if "outcometype" in header:
        return OUTCOMES
    return None


def _group_of(column: str) -> str:
    """SQL: the outcome group of the outcome text in ``column``, through the mapping."""
    return (
        f"(SELECT m.outcome_group FROM {ident(MAP_TABLE)} m "
        f"WHERE m.text_key = lower({ident(column)}))"
    )


def _derived(kind: str, file_name: str, sha256: str, snapshot: str | None) -> dict[str, str]:
    common = {
        "district_name": district_name(),
        "in_force_area": in_force_area(),
        "source_file": lit(file_name),
        "source_row": "_row",
        "snapshot": "CAST(NULL AS VARCHAR)" if snapshot is None else lit(snapshot),
    }
    if kind == STREET:
        return {
            "record_key": f"coalesce(crime_id, {lit(sha256[:16] + ':')} || _row)",
            "is_asb": f"crime_type = {lit(ASB)}",
            "last_outcome_group": _group_of("last_outcome_category"),
            **common,
        }
    return {
        "record_key": "crime_id || '|' || strftime(month, '%Y-%m') || '|' || outcome_type",
        "outcome_group": _group_of("outcome_type"),
        **common,
    }


class Shortfall(DataError):
    """A file holds fewer rows for a force and month than the warehouse already does."""


def _month_rows(
    con: duckdb.DuckDBPyConnection, table: str, clean: str
) -> list[tuple[str, str, int, int]]:
    """(force, month, rows in the file, rows already stored) for each force and month."""
    t, c = ident(table), ident(clean)
    rows = con.execute(
        f"SELECT c.falls_within, strftime(c.month, '%Y-%m'), c.n, "
        f"(SELECT count(*) FROM {t} p WHERE p.falls_within = c.falls_within "
        f"AND p.month = c.month) FROM (SELECT falls_within, month, count(*) AS n FROM {c} "
        f"GROUP BY ALL) c ORDER BY 1, 2"
    ).fetchall()
    return [(str(f), str(m), int(n), int(k)) for f, m, n, k in rows]


def _shortfalls(
    con: duckdb.DuckDBPyConnection, table: str, clean: str, file_name: str, supersede: bool
) -> list[tuple[str, str, int, int]]:
    """The forces and months for which the file holds fewer rows than are stored (a partial
    re-download): a :class:`Shortfall` unless ``supersede``, else the months to replace."""
    short = [g for g in _month_rows(con, table, clean) if g[2] < g[3]]
    if short and not supersede:
        force, month, n, held = short[0]
        raise Shortfall(
            f"{file_name} holds {n:,} rows for {force} {month}, {held - n:,} fewer than "
            f"the {held:,} already loaded; kept what was loaded (a partial download?)",
            hint="load it with --supersede (supersede=True) if it replaces the month",
        )
    return short


def _supersede(
    con: duckdb.DuckDBPyConnection, table: str, clean: str, short: list[tuple[str, str, int, int]]
) -> list[str]:
    """Remove the stored rows of each superseded force and month that the file lacks."""
    notes = []
    for force, month, n, held in short:
        (dropped,) = con.execute(  # type: ignore[misc]
            f"DELETE FROM {ident(table)} p WHERE p.falls_within = ? "
            f"AND strftime(p.month, '%Y-%m') = ? "
            f"AND p.record_key NOT IN (SELECT record_key FROM {ident(clean)})",
            [force, month],
        ).fetchone()
        notes.append(
            f"superseded {force} {month}: {held:,} rows were held, the file has {n:,}; "
            f"{int(dropped):,} stored rows not in the file removed"
        )
    return notes


def _check_forces(con: duckdb.DuckDBPyConnection, clean: str, file_name: str) -> None:
    """Refuse a file naming a force that is not one of England and Wales (or BTP)."""
    from forcepack.contract.forces import match_force

    rows = con.execute(
        f"SELECT falls_within, min(source_row) FROM {ident(clean)} GROUP BY 1 ORDER BY 2"
    ).fetchall()
    for text, row in rows:
        if match_force(str(text)) is None:
            raise DataError(
                f'{file_name} row {int(row):,}: Falls within "{text}" is not a force of England '
                "and Wales or British Transport Police; kept nothing of the file",
                hint='data.police.uk names forces as in "Bedfordshire Police" (see '
                "forcepack/contract/reference/forces.csv)",
            )


def _street_notes(
    con: duckdb.DuckDBPyConnection, clean: str, file_name: str, supersede: bool
) -> list[str]:
    """Replace earlier anti-social behaviour rows of the same force and month; count quirks."""
    _check_forces(con, clean, file_name)
    short = _shortfalls(con, STREET, clean, file_name, supersede)
    (n,) = con.execute(  # type: ignore[misc]
        f"DELETE FROM {ident(STREET)} p USING (SELECT DISTINCT month, falls_within "
        f"FROM {ident(clean)} WHERE is_asb) c WHERE p.is_asb AND p.month = c.month AND "
        f"p.falls_within = c.falls_within"
    ).fetchone()
    (asb, no_location, outside) = con.execute(  # type: ignore[misc]
        f"SELECT count(*) FILTER (WHERE is_asb), count(*) FILTER (WHERE district_name IS NULL), "
        f"count(*) FILTER (WHERE district_name IS NOT NULL AND NOT in_force_area) "
        f"FROM {ident(clean)}"
    ).fetchone()
    notes = [
        f"{asb:,} anti-social behaviour, {no_location:,} with no location, {outside:,} "
        "geocoded outside this warehouse's districts (kept and flagged)",
        *_supersede(con, STREET, clean, short),
    ]
    if n:
        notes.append(
            f"replaced {n:,} anti-social behaviour rows of the same force and month loaded "
            "from an earlier file"
        )
    unlisted = _unlisted_lsoas(con, clean)
    if unlisted:
        notes.append(unlisted)
    return notes


def _unlisted_lsoas(con: duckdb.DuckDBPyConnection, clean: str) -> str | None:
    """A force with an ``lsoas`` lookup whose files hold LSOA codes it does not list, named by
    one of its districts: another LSOA vintage (data.police.uk moved from 2011 to 2021 LSOAs),
    flagged outside the area by the lookup. Said, never silently dropped or guessed."""
    (rows, codes, example) = con.execute(  # type: ignore[misc]
        f"SELECT count(*), count(DISTINCT lsoa_code), min(lsoa_code) FROM {ident(clean)} "
        f"WHERE NOT in_force_area AND lsoa_code IS NOT NULL AND EXISTS (SELECT 1 FROM lsoas) "
        f"AND lsoa_code NOT IN (SELECT lsoa_code FROM lsoas) "
        f"AND ({prefix_district()}) IN (SELECT district_name FROM districts)"
    ).fetchone()
    if not rows:
        return None
    return (
        f"{rows:,} rows have LSOA codes not in this warehouse's lsoas lookup ({codes:,} codes, "
        f"e.g. {example}) although their LSOA names are in its districts: flagged outside the "
        "force's area; if the files use a newer LSOA vintage (data.police.uk moved to 2021 "
        "LSOAs), load the force's lookup for it (forcepack ingest lsoas FILE)"
    )


def _unmapped(
    con: duckdb.DuckDBPyConnection, clean: str, file_name: str, supersede: bool
) -> list[str]:
    _check_forces(con, clean, file_name)
    replaced = _supersede(
        con, OUTCOMES, clean, _shortfalls(con, OUTCOMES, clean, file_name, supersede)
    )
    rows = con.execute(
        f"SELECT outcome_type, count(*) FROM {ident(clean)} c WHERE outcome_group IS NULL AND "
        f"lower(outcome_type) NOT IN (SELECT text_key FROM {ident(MAP_TABLE)}) "
        "GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return [
        *replaced,
        *(
            f'outcome text "{t}" ({n:,} rows) is not in the outcome mapping: no group given'
            for t, n in rows
        ),
    ]


def _hook(
    notes: Callable[[duckdb.DuckDBPyConnection, str, str, bool], list[str]],
    file_name: str,
    supersede: bool,
    con: duckdb.DuckDBPyConnection,
    clean: str,
) -> list[str]:
    return notes(con, clean, file_name, supersede)


def _kept(kind: str, source: SourceFile, short: Shortfall) -> LoadResult:
    return LoadResult.nothing(
        "-", kind, source, LoadStatus.KEPT, notes=(short.message + f" ({short.hint})",)
    )


def _upgrade_public(con: duckdb.DuckDBPyConnection) -> None:
    """Give a warehouse made by an older forcepack the public columns it lacks (``snapshot``,
    ``last_outcome_group``): existing rows keep their values, the snapshot of rows loaded
    before is unknown (null), and their last outcome group comes through the mapping."""
    for table in (STREET, OUTCOMES):
        have = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = 'main'",
                [table],
            ).fetchall()
        }
        for col in TABLES[table].columns:
            if col.name not in have:
                con.execute(
                    f"ALTER TABLE {ident(table)} ADD COLUMN {ident(col.name)} {col.type.value}"
                )
                if col.name == "last_outcome_group":
                    con.execute(
                        f"UPDATE {ident(table)} SET last_outcome_group = "
                        f"{_group_of('last_outcome_category')}"
                    )


def load_police_uk(
    db: str | Path | duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    *,
    outcome_map: str | Path | None = None,
    supersede: bool = False,
    forces: Iterable[str] | None = None,
    on_file: Callable[[str], None] | None = None,
) -> list[LoadResult]:
    """Load data.police.uk street and outcomes files, folders of them, and monthly archive zips
    (``YYYY-MM/YYYY-MM-<force>-street.csv`` members), one load per file.

    Other CSV files in a folder (stop-and-search) are skipped; a named file that is neither a
    street nor an outcomes file is a DataError, as is a zip of another layout. An archive is
    read one member at a time (see ``police_uk_archive``) and its rows are stamped with the
    snapshot (the archive's name); ``forces`` (data.police.uk force ids) keeps only those
    forces' files. A file holding fewer rows for a force and month than the warehouse already
    holds (a partial re-download) is not loaded: its result has status ``kept`` and a one-line
    note of the shortfall. With ``supersede`` it replaces the month instead: stored rows of that
    force and month that the file lacks are removed. ``on_file`` is called with each file's name
    once it is loaded (a progress display).
    """
    mapping = outcome_groups(outcome_map)
    paths = list(paths)
    results: list[LoadResult] = []
    notes: list[str] = []
    with writable(db) as con:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ident(MAP_TABLE)} "
            "(text_key VARCHAR, outcome_group VARCHAR)"
        )
        insert_rows(
            con,
            MAP_TABLE,
            ("text_key", "outcome_group"),
            ([k.lower(), g] for k, g in mapping.items()),
        )
        try:
            _upgrade_public(con)
            for item in items(paths, forces, notes):
                kind = file_kind(item.path)
                if kind is None:
                    if item.explicit:
                        raise DataError(
                            f"{item.name} is neither a data.police.uk street file nor an "
                            "outcomes file (no Crime type or Outcome type column)"
                        )
                    continue
                source = dataclasses.replace(inspect_file(item.path), name=item.name)
                hook_notes = _street_notes if kind == STREET else _unmapped
                hook = functools.partial(_hook, hook_notes, source.name, supersede)
                try:
                    result = load_file(
                        con,
                        TABLES[kind],
                        item.path,
                        source=source,
                        derived=_derived(kind, source.name, source.sha256, item.snapshot),
                        before_upsert=hook,
                    )
                except Shortfall as short:
                    result = _kept(kind, source, short)
                results.append(result)
                if on_file is not None:
                    on_file(source.name)
        finally:
            con.execute(f"DROP TABLE IF EXISTS {ident(MAP_TABLE)}")
    if notes and results:
        last = results[-1]
        results[-1] = dataclasses.replace(last, notes=(*last.notes, *notes))
    return results
