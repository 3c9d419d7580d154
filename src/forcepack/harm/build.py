"""Materialise the harm tables (``crime_harm``, ``victim_harm``, ``offender_harm``).

``build`` replaces their rows in one transaction, from the force tables and a weighting (the
shipped default unless another is given); the tables are dropped and recreated from the contract,
which on a million rows is several times faster than deleting every row of a keyed table.
``build(..., changed=TABLE)`` rescores only the crimes named in ``TABLE`` (a table with a
``crime_id`` column: crimes whose rows, victims or suspects changed since the last build) and
every victim of them, whose repeat flags depend on the victim's other crimes; the result is the
same as a full build (:mod:`forcepack.derive` decides when it may be used). It refuses a
weighting that leaves a recorded offence unweighted, unless asked to fill the gaps from the
default, and records what it used, and the data it was built from
(:mod:`forcepack.warehouse.freshness`), in ``forcepack_meta``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from forcepack.contract.ddl import create_statement
from forcepack.contract.spec import TABLES
from forcepack.errors import ConfigError
from forcepack.harm import weights as w
from forcepack.harm.score import (
    SIGNATURE_KEY,
    Exclusions,
    crime_harm_select,
    offender_harm_select,
    source_signature,
    victim_harm_select,
)
from forcepack.warehouse import freshness
from forcepack.warehouse.core import transaction
from forcepack.warehouse.sql import ident

META_TABLE = "forcepack_meta"


@dataclass(frozen=True, slots=True)
class BuildResult:
    weighting: str
    exclusions: str
    crimes: int
    excluded: int
    victim_rows: int
    offender_rows: int
    harm_days: float  # over included crimes, all months


def _rebuild_all(
    con: duckdb.DuckDBPyConnection, exclusions: Exclusions, table: str, weighting: str
) -> None:
    for name in ("victim_harm", "offender_harm", "crime_harm"):
        con.execute(f"DROP TABLE IF EXISTS {ident(name)}")
        con.execute(create_statement(TABLES[name]))
    con.execute("INSERT INTO crime_harm BY NAME " + crime_harm_select(exclusions, table, weighting))
    con.execute("INSERT INTO victim_harm BY NAME " + victim_harm_select("crime_harm"))
    con.execute("INSERT INTO offender_harm BY NAME " + offender_harm_select("crime_harm"))


def _rebuild_changed(
    con: duckdb.DuckDBPyConnection,
    exclusions: Exclusions,
    table: str,
    weighting: str,
    changed: str,
) -> None:
    """Rescore the crimes in ``changed``; rebuild every row of each victim of them (before or
    after the change), as a victim's repeat flags follow the order of all their crimes."""
    ids = f"(SELECT crime_id FROM {ident(changed)})"
    victims = ident("_fp_harm_victims")
    con.execute(f"DROP TABLE IF EXISTS {victims}")
    con.execute(
        f"CREATE TEMP TABLE {victims} AS SELECT DISTINCT victim_id FROM ("
        f"SELECT victim_id FROM victim_harm WHERE crime_id IN {ids} UNION ALL "
        f"SELECT victim_id FROM crime_victims WHERE crime_id IN {ids})"
    )
    try:
        con.execute(f"DELETE FROM victim_harm WHERE victim_id IN (SELECT victim_id FROM {victims})")
        con.execute(f"DELETE FROM offender_harm WHERE crime_id IN {ids}")
        con.execute(f"DELETE FROM crime_harm WHERE crime_id IN {ids}")
        con.execute(
            "INSERT INTO crime_harm BY NAME SELECT * FROM ("
            + crime_harm_select(exclusions, table, weighting)
            + f") WHERE crime_id IN {ids}"
        )
        con.execute(
            "INSERT INTO victim_harm BY NAME "
            + victim_harm_select("crime_harm", victims=f"(SELECT victim_id FROM {victims})")
        )
        con.execute(
            "INSERT INTO offender_harm BY NAME "
            + offender_harm_select("crime_harm")
            + f" WHERE cs.crime_id IN {ids}"
        )
    finally:
        con.execute(f"DROP TABLE IF EXISTS {victims}")


def build(
    con: duckdb.DuckDBPyConnection,
    weights: w.Weights | None = None,
    exclusions: Exclusions | None = None,
    *,
    fill_from_default: bool = False,
    changed: str | None = None,
    inputs: Mapping[str, str] | None = None,
) -> BuildResult:
    """Score every recorded crime and rebuild the harm tables (``con`` must be writable).

    With ``changed`` (a table of ``crime_id``), only those crimes and their victims' rows are
    rebuilt; the caller guarantees the tables were last built with the same weighting and
    exclusions from data that differ only in those crimes. ``inputs``: the fingerprints of the
    tables read, when the caller has them (see :func:`forcepack.warehouse.freshness.stamp`)."""
    weights = weights or w.default()
    exclusions = exclusions if exclusions is not None else Exclusions()
    if fill_from_default and weights.name != w.DEFAULT_NAME:
        weights = weights.filled_from(w.default())
    cover = w.coverage(con, weights)
    if not cover.complete:
        raise ConfigError(
            cover.message(),
            hint="add them to the table, or build with "
            "--fill-default to take the missing ones from forcepack's default",
        )
    table = w.register(con, weights, "harm_weights_build")
    try:
        with transaction(con):
            if changed is None:
                _rebuild_all(con, exclusions, table, weights.name)
            else:
                _rebuild_changed(con, exclusions, table, weights.name, changed)
            for key, value in (
                ("harm.weighting", weights.name),
                ("harm.exclusions", exclusions.describe()),
                (SIGNATURE_KEY, source_signature(con)),
            ):
                con.execute(
                    f"INSERT OR REPLACE INTO {ident(META_TABLE)} VALUES (?, ?)", [key, value]
                )
            freshness.stamp(
                con,
                "harm",
                built_with=f"weighting {weights.name}; {exclusions.describe()}",
                inputs=inputs,
            )
    finally:
        con.execute(f"DROP TABLE IF EXISTS {ident(table)}")
    crimes, excluded, harm = con.execute(  # type: ignore[misc]
        "SELECT count(*), count(*) FILTER (WHERE excluded), "
        "coalesce(sum(harm_days) FILTER (WHERE NOT excluded), 0) FROM crime_harm"
    ).fetchone()
    (victims,) = con.execute("SELECT count(*) FROM victim_harm").fetchone()  # type: ignore[misc]
    (offenders,) = con.execute(  # type: ignore[misc]
        "SELECT count(*) FROM offender_harm"
    ).fetchone()
    return BuildResult(
        weights.name,
        exclusions.describe(),
        int(crimes),
        int(excluded),
        int(victims),
        int(offenders),
        float(harm),
    )
