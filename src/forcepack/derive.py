"""Rebuild the derived tables after force data change: harm scores and victim care.

Derived tables (``Role.DERIVED`` in the contract) are computed from the force tables in the
engine. Ingest does not rebuild them on every file, because a month's extracts arrive as
several files; run :func:`derive` (``forcepack warehouse derive``) once the month is loaded.
The demo build runs it for you, and ``forcepack measures refresh`` runs :func:`derive_stale`
first. Each build records the data it was built from, so whatever reads a derived table built
before the latest load refuses (:mod:`forcepack.warehouse.freshness`).

**Only what changed.** Each derive also keeps, in the system table ``derive_inputs``, a hash
of every crime's rows in each force table the derivations read (the crime, its victims,
suspects, investigation events and victim contacts), and records in ``forcepack_meta`` the
fingerprints of the data that snapshot describes. The next derive compares the hashes now
with the snapshot in one query: the crimes whose rows were added, corrected or removed are
rescored (:func:`forcepack.harm.build` with ``changed``) and their victim care rebuilt
(:func:`forcepack.compliance.build` with ``changed``), and nothing else. It falls back to a full
rebuild whenever it cannot prove the difference is only those crimes: a reference list
(districts, offences, outcome types) changed, a derivation was built from other data than the
snapshot (``forcepack harm build`` with another weighting, a failed run), or there is no
snapshot yet. Either way the tables equal a full rebuild.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from forcepack.contract.spec import TABLES, Role
from forcepack.errors import DataError
from forcepack.warehouse import connect, freshness
from forcepack.warehouse.core import (
    DERIVED_KEY,
    META_TABLE,
    fingerprints,
    row_hash_sum,
    shaped_as_contract,
    transaction,
)
from forcepack.warehouse.sql import ident, lit, lit_list


@dataclass(frozen=True, slots=True)
class DeriveResult:
    """What each derivation wrote, and how long it took."""

    harm_crimes: int
    harm_days: float
    victim_care_victims: int
    victim_care_obligations: int
    seconds: dict[str, float]
    #: per derivation built: "full" or "changed" (only the changed crimes), and how many
    changed_crimes: int | None = None  # crimes found changed (None: a full rebuild)
    how: dict[str, str] = field(default_factory=dict)


#: The derivations, in the order :func:`derive` runs them.
STEPS = ("harm", "victim care")
#: The system table of per-crime row hashes the derivations were last built from.
SNAPSHOT = "derive_inputs"
#: ``forcepack_meta`` key: the fingerprints of the data :data:`SNAPSHOT` describes.
SNAPSHOT_KEY = "derive.snapshot"
#: Force tables the derivations read, each keyed to its crime by ``crime_id``.
BY_CRIME = ("crimes", "crime_victims", "crime_suspects", "investigation_events", "victim_contacts")
_CHANGED = "_fp_changed_crimes"
_NOW = "_fp_crime_hashes"
#: The snapshot a full build writes, under this name until it replaces :data:`SNAPSHOT`.
_BUILDING = "_fp_building_derive_inputs"


def derive(
    db: str | Path | duckdb.DuckDBPyConnection,
    *,
    progress: Callable[[str], None] | None = None,
    full: bool = False,
    detail: Callable[[str], None] | None = None,
) -> DeriveResult:
    """Score harm (``forcepack.harm.build``) and victim care (``forcepack.compliance.build``).

    Only the crimes changed since the last derive are rebuilt when that gives the same tables
    as a full rebuild (see the module's notes); ``full`` rebuilds everything regardless.
    ``progress`` is called with the name of each of :data:`STEPS` when it is done, ``detail``
    with what runs now inside a long step ("victim care: slice 3 of 15")."""
    con = db if isinstance(db, duckdb.DuckDBPyConnection) else connect(db, read_only=False)
    try:
        return _derive(con, STEPS, full=full, progress=progress, detail=detail)
    finally:
        if con is not db:
            con.close()


def _derive(
    con: duckdb.DuckDBPyConnection,
    names: Iterable[str],
    *,
    full: bool,
    progress: Callable[[str], None] | None = None,
    detail: Callable[[str], None] | None = None,
) -> DeriveResult:
    from forcepack import compliance, harm

    names = [n for n in STEPS if n in set(names)]
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    snapshot = None if full else _snapshot(con)
    # a full build writes the new snapshot now (it replaces the old one at the end)
    now = _hash_inputs(
        con, _NOW if snapshot is not None else _BUILDING, temporary=snapshot is not None
    )
    changed: int | None = None
    if snapshot is not None:
        changed = _find_changed(con)
    seconds["changes"] = time.perf_counter() - t
    how: dict[str, str] = {}
    h = c = None
    try:
        for name in names:
            t = time.perf_counter()
            use = changed is not None and _can_follow(con, name, snapshot or {}, now)
            if name == "harm":
                h = harm.build(con, changed=_CHANGED if use else None, inputs=now)
            else:
                c = compliance.build(
                    con,
                    changed=_CHANGED if use else None,
                    progress=_slice_note(detail),
                    inputs=now,
                )
            how[name] = "changed" if use else "full"
            seconds[name] = time.perf_counter() - t
            if progress is not None:
                progress(name)
        t = time.perf_counter()
        _save_snapshot(con, now, whole=changed is None)
        seconds["snapshot"] = time.perf_counter() - t
    finally:
        for table in (_CHANGED, _NOW, _BUILDING):
            con.execute(f"DROP TABLE IF EXISTS {ident(table)}")
    return DeriveResult(
        harm_crimes=h.crimes if h else 0,
        harm_days=h.harm_days if h else 0.0,
        victim_care_victims=c.victims if c else 0,
        victim_care_obligations=sum(c.obligations.values()) if c else 0,
        seconds=seconds,
        changed_crimes=changed,
        how=how,
    )


def _slice_note(detail: Callable[[str], None] | None) -> Callable[[int, int], None] | None:
    """The victim care build's ``progress(done, slices)`` as a line for ``detail``."""
    if detail is None:
        return None
    say = detail
    return lambda done, total: say(f"victim care: slice {done} of {total} built")


def _by_crime_sql() -> str:
    """Per force table and crime: the rows' count and the sum of their hashes."""
    return " UNION ALL ".join(
        f"SELECT {lit(t)} AS table_name, crime_id, count(*) AS n, "
        f"{row_hash_sum(t)} AS h "
        f"FROM {ident(t)} GROUP BY crime_id"
        for t in BY_CRIME
    )


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """The fingerprints the snapshot describes, or None when there is no usable snapshot."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [SNAPSHOT]
    ).fetchall()[0][0]
    row = con.execute(
        f"SELECT value FROM {ident(META_TABLE)} WHERE key = ?", [SNAPSHOT_KEY]
    ).fetchone()
    if not exists or row is None:
        return None
    value = json.loads(str(row[0]))
    return {str(k): str(v) for k, v in value.items()}


def _hash_inputs(con: duckdb.DuckDBPyConnection, into: str, *, temporary: bool) -> dict[str, str]:
    """Write every crime's hashes in each of :data:`BY_CRIME` to table ``into`` and return the
    fingerprint of every derivation's input, read once: a table's fingerprint is its rows'
    count and the sum of their hashes (:func:`forcepack.warehouse.core.fingerprints`), so the
    by-crime tables' are the sums of their crimes' hashes, and only the reference tables are
    read again. The builds stamp their tables with these fingerprints rather than reading
    their inputs once more (the inputs do not change while they build)."""
    kind = "TEMP TABLE" if temporary else "TABLE"
    con.execute(f"CREATE OR REPLACE {kind} {ident(into)} AS {_by_crime_sql()}")
    sums = {
        str(t): f"{n}:{h}"
        for t, n, h in con.execute(
            f"SELECT table_name, sum(n), sum(h) FROM {ident(into)} GROUP BY table_name"
        ).fetchall()
    }
    inputs = {i for d in freshness.DERIVATIONS for i in d.inputs}
    now = fingerprints(con, inputs - set(BY_CRIME))
    now.update({t: sums.get(t, "0:0") for t in BY_CRIME})
    return now


def _find_changed(con: duckdb.DuckDBPyConnection) -> int:
    """Fill the temporary table of the crimes whose rows in any of :data:`BY_CRIME` differ
    from the snapshot (added, corrected or removed), from the hashes now in :data:`_NOW`."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ident(_CHANGED)} AS "
        f"SELECT DISTINCT coalesce(n.crime_id, s.crime_id) AS crime_id "
        f"FROM {ident(_NOW)} n FULL JOIN {ident(SNAPSHOT)} s "
        "ON n.table_name = s.table_name AND n.crime_id = s.crime_id "
        "WHERE n.n IS DISTINCT FROM s.n OR n.h IS DISTINCT FROM s.h"
    )
    return int(con.execute(f"SELECT count(*) FROM {ident(_CHANGED)}").fetchall()[0][0])


def _can_follow(
    con: duckdb.DuckDBPyConnection, name: str, snapshot: dict[str, str], now: dict[str, str]
) -> bool:
    """Whether derivation ``name`` may be brought up to date by rebuilding the changed crimes:
    its tables have the contract's columns, it was built from exactly the snapshot's data (as
    forcepack's defaults build it), and no reference list it reads changed since."""
    from forcepack.harm import weights
    from forcepack.harm.score import Exclusions

    d = next(x for x in freshness.DERIVATIONS if x.name == name)
    if not all(shaped_as_contract(con, t) for t in d.tables):
        return False  # made by an older forcepack: a full build recreates the tables
    rows = dict(
        con.execute(
            f"SELECT key, value FROM {ident(META_TABLE)} WHERE key IN ({lit_list(_keys(d))})"
        ).fetchall()
    )
    stamps = {rows.get(DERIVED_KEY + t) for t in d.tables}
    if None in stamps or len(stamps) != 1:
        return False
    built = json.loads(str(stamps.pop())).get("inputs", {})
    if any(built.get(t) != snapshot.get(t) for t in d.inputs):
        return False
    if any(now[t] != snapshot.get(t) for t in d.inputs if TABLES[t].role is not Role.FORCE):
        return False
    if name == "harm":
        used = (rows.get("harm.weighting"), rows.get("harm.exclusions"))
        return used == (weights.DEFAULT_NAME, Exclusions().describe())
    return True


def _keys(d: freshness.Derivation) -> list[str]:
    return [*(DERIVED_KEY + t for t in d.tables), "harm.weighting", "harm.exclusions"]


def _save_snapshot(con: duckdb.DuckDBPyConnection, now: dict[str, str], *, whole: bool) -> None:
    """Make the snapshot describe the data now: the changed crimes' hashes replaced, or (with
    ``whole``) the new snapshot :data:`_BUILDING` put in its place."""
    with transaction(con):
        if whole:
            con.execute(f"DROP TABLE IF EXISTS {ident(SNAPSHOT)}")
            con.execute(f"ALTER TABLE {ident(_BUILDING)} RENAME TO {ident(SNAPSHOT)}")
        else:
            where = f"WHERE crime_id IN (SELECT crime_id FROM {ident(_CHANGED)})"
            con.execute(f"DELETE FROM {ident(SNAPSHOT)} {where}")
            con.execute(f"INSERT INTO {ident(SNAPSHOT)} SELECT * FROM {ident(_NOW)} {where}")
        con.execute(
            f"INSERT OR REPLACE INTO {ident(META_TABLE)} VALUES (?, ?)",
            [SNAPSHOT_KEY, json.dumps(now, sort_keys=True)],
        )


def derive_stale(
    con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None
) -> tuple[freshness.Stale, ...]:
    """Rebuild, as :func:`derive` does, the derivations of ``tables`` (default: every derived
    table) that are out of date on the writable ``con``; returns what was rebuilt and why.
    Harm tables built with another weighting or exclusions than the defaults are not rebuilt
    with the defaults: that is refused, naming the command that rebuilds them as they were."""
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
    if names:
        _derive(con, names, full=False)
    return found
