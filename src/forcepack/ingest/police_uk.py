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
import tomllib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import duckdb

from forcepack.contract.spec import OUTCOME_GROUPS, TABLES
from forcepack.errors import ConfigError, DataError, MissingFileError
from forcepack.ingest.load import LoadResult, load_file, writable
from forcepack.ingest.public_area import district_name, in_force_area
from forcepack.ingest.read import inspect_file
from forcepack.ingest.validate import normalise

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
        text, where = p.read_text(encoding="utf-8"), str(p)
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


def _files(paths: Iterable[str | Path]) -> list[Path]:
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*.csv") if f.is_file()))
        elif p.is_file():
            found.append(p)
        else:
            raise MissingFileError(f"data.police.uk path {p} does not exist")
    return found


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


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _derived(kind: str, file_name: str, sha256: str) -> dict[str, str]:
    common = {
        "district_name": district_name(),
        "in_force_area": in_force_area(),
        "source_file": _lit(file_name),
        "source_row": "_row",
    }
    if kind == STREET:
        return {
            "record_key": f"coalesce(crime_id, {_lit(sha256[:16] + ':')} || _row)",
            "is_asb": f"crime_type = {_lit(ASB)}",
            **common,
        }
    return {
        "record_key": "crime_id || '|' || strftime(month, '%Y-%m') || '|' || outcome_type",
        "outcome_group": f"(SELECT m.outcome_group FROM {MAP_TABLE} m "
        "WHERE m.text_key = lower(outcome_type))",
        **common,
    }


def _street_notes(con: duckdb.DuckDBPyConnection, clean: str) -> list[str]:
    """Replace earlier anti-social behaviour rows of the same force and month; count quirks."""
    (n,) = con.execute(  # type: ignore[misc]
        f"DELETE FROM {STREET} p USING (SELECT DISTINCT month, falls_within "
        f"FROM {clean} WHERE is_asb) c WHERE p.is_asb AND p.month = c.month AND "
        f"p.falls_within = c.falls_within"
    ).fetchone()
    (asb, no_location, outside) = con.execute(  # type: ignore[misc]
        f"SELECT count(*) FILTER (WHERE is_asb), count(*) FILTER (WHERE district_name IS NULL), "
        f"count(*) FILTER (WHERE district_name IS NOT NULL AND NOT in_force_area) FROM {clean}"
    ).fetchone()
    notes = [
        f"{asb:,} anti-social behaviour, {no_location:,} with no location, {outside:,} "
        "geocoded outside this warehouse's districts (kept and flagged)"
    ]
    if n:
        notes.append(
            f"replaced {n:,} anti-social behaviour rows of the same force and month loaded "
            "from an earlier file"
        )
    return notes


def _unmapped(con: duckdb.DuckDBPyConnection, clean: str) -> list[str]:
    rows = con.execute(
        f"SELECT outcome_type, count(*) FROM {clean} c WHERE outcome_group IS NULL AND "
        f"lower(outcome_type) NOT IN (SELECT text_key FROM {MAP_TABLE}) GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    return [
        f'outcome text "{t}" ({n:,} rows) is not in the outcome mapping: no group given'
        for t, n in rows
    ]


def load_police_uk(
    db: str | Path | duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    *,
    outcome_map: str | Path | None = None,
) -> list[LoadResult]:
    """Load data.police.uk street and outcomes files (or folders of them), one load per file.

    Other CSV files in a folder (stop-and-search) are skipped; a named file that is neither a
    street nor an outcomes file is a DataError.
    """
    mapping = outcome_groups(outcome_map)
    files = _files(paths)
    explicit = {Path(p) for p in paths if Path(p).is_file()}
    results: list[LoadResult] = []
    with writable(db) as con:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {MAP_TABLE} (text_key VARCHAR, outcome_group VARCHAR)"
        )
        con.executemany(
            f"INSERT INTO {MAP_TABLE} VALUES (?, ?)", [[k.lower(), g] for k, g in mapping.items()]
        )
        try:
            for path in files:
                kind = file_kind(path)
                if kind is None:
                    if path in explicit:
                        raise DataError(
                            f"{path.name} is neither a data.police.uk street file nor an "
                            "outcomes file (no Crime type or Outcome type column)"
                        )
                    continue
                source = inspect_file(path)
                hook = _street_notes if kind == STREET else _unmapped
                results.append(
                    load_file(
                        con,
                        TABLES[kind],
                        path,
                        source=source,
                        derived=_derived(kind, source.name, source.sha256),
                        before_upsert=hook,
                    )
                )
        finally:
            con.execute(f"DROP TABLE IF EXISTS {MAP_TABLE}")
    return results
