"""Rebuild the derived tables after force data change: harm scores and victim care.

Derived tables (``Role.DERIVED`` in the contract) are computed from the force tables in the
engine. Ingest does not rebuild them on every file, because a month's extracts arrive as
several files; run :func:`derive` (``forcepack warehouse derive``) once the month is loaded.
The demo build runs it for you.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.warehouse import connect


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
