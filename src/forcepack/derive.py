"""Rebuild the derived tables after force data change: harm scores and victim care.

Derived tables (``Role.DERIVED`` in the contract) are computed from the force tables in the
engine. Ingest does not rebuild them on every file, because a month's extracts arrive as
several files; run :func:`derive` (``forcepack warehouse derive``) once the month is loaded.
The demo build runs it for you, and ``forcepack measures refresh`` runs :func:`derive_stale`
first. Each build records the data it was built from, so whatever reads a derived table built
before the latest load refuses (:mod:`forcepack.warehouse.freshness`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.errors import DataError
from forcepack.warehouse import connect, freshness


@dataclass(frozen=True, slots=True)
class DeriveResult:
    """What each derivation wrote, and how long it took."""

    harm_crimes: int
    harm_days: float
    victim_care_victims: int
    victim_care_obligations: int
    seconds: dict[str, float]


#: The derivations, in the order :func:`derive` runs them.
STEPS = ("harm", "victim care")


def derive(
    db: str | Path | duckdb.DuckDBPyConnection,
    *,
    progress: Callable[[str], None] | None = None,
) -> DeriveResult:
    """Score harm (``forcepack.harm.build``) and victim care (``forcepack.compliance.build``).

    ``progress`` is called with the name of each of :data:`STEPS` when it is done."""
    from forcepack import compliance, harm

    con = db if isinstance(db, duckdb.DuckDBPyConnection) else connect(db, read_only=False)
    try:
        seconds: dict[str, float] = {}
        t = time.perf_counter()
        h = harm.build(con)
        seconds["harm"] = time.perf_counter() - t
        if progress is not None:
            progress("harm")
        t = time.perf_counter()
        c = compliance.build(con)
        seconds["victim care"] = time.perf_counter() - t
        if progress is not None:
            progress("victim care")
    finally:
        if con is not db:
            con.close()
    return DeriveResult(
        harm_crimes=h.crimes,
        harm_days=h.harm_days,
        victim_care_victims=c.victims,
        victim_care_obligations=sum(c.obligations.values()),
        seconds=seconds,
    )


def derive_stale(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None
) -> tuple[freshness.Stale, ...]:
    """Rebuild, as :func:`derive` does, the derivations of ``tables`` (default: every derived
    table) that are out of date on the writable ``con``; returns what was rebuilt and why.
    Harm tables built with another weighting or exclusions than the defaults are not rebuilt
    with the defaults: that is refused, naming the command that rebuilds them as they were."""
    from forcepack import compliance, harm
    from forcepack.harm import weights
    from forcepack.harm.score import Exclusions

    found = tuple(freshness.stale(con, tables))
    names = {s.derivation.name for s in found}
    if "harm" in names:
        meta = dict(
            con.execute(
                "SELECT key, value FROM forcepack_meta WHERE key IN "
                "('harm.weighting', 'harm.exclusions')"
            ).fetchall()
        )
        used = (meta.get("harm.weighting"), meta.get("harm.exclusions"))
        if used != (None, None) and used != (weights.DEFAULT_NAME, Exclusions().describe()):
            raise DataError(
                f"the harm tables are out of date and were built with weighting {used[0]} "
                f"and exclusions {used[1]}, not forcepack's defaults",
                hint="rebuild them as they were with `forcepack harm build` and its options, "
                "then refresh",
            )
        harm.build(con)
    if "victim care" in names:
        compliance.build(con)
    return found
