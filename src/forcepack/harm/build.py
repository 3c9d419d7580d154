"""Materialise the harm tables (``crime_harm``, ``victim_harm``, ``offender_harm``).

``build`` replaces their rows in one transaction, from the force tables and a weighting (the
shipped default unless another is given). It refuses a weighting that leaves a recorded offence
unweighted, unless asked to fill the gaps from the default, and records what it used, and the
data it was built from (:mod:`forcepack.warehouse.freshness`), in ``forcepack_meta``.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

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


def build(
    con: duckdb.DuckDBPyConnection,
    weights: w.Weights | None = None,
    exclusions: Exclusions | None = None,
    *,
    fill_from_default: bool = False,
) -> BuildResult:
    """Score every recorded crime and rebuild the harm tables (``con`` must be writable)."""
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
    con.execute("BEGIN")
    try:
        for name in ("victim_harm", "offender_harm", "crime_harm"):
            con.execute(f"DELETE FROM {ident(name)}")
        con.execute(
            "INSERT INTO crime_harm BY NAME " + crime_harm_select(exclusions, table, weights.name)
        )
        con.execute("INSERT INTO victim_harm BY NAME " + victim_harm_select("crime_harm"))
        con.execute("INSERT INTO offender_harm BY NAME " + offender_harm_select("crime_harm"))
        for key, value in (
            ("harm.weighting", weights.name),
            ("harm.exclusions", exclusions.describe()),
            (SIGNATURE_KEY, source_signature(con)),
        ):
            con.execute(f"INSERT OR REPLACE INTO {ident(META_TABLE)} VALUES (?, ?)", [key, value])
        freshness.stamp(
            con, "harm", built_with=f"weighting {weights.name}; {exclusions.describe()}"
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
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
