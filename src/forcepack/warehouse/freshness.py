"""Whether the derived tables were built from the data the warehouse holds now.

The derived tables (harm scores, victim care) are rebuilt by ``forcepack warehouse derive``,
not by each load, so after a corrected re-extract they describe older data until it runs. Each
build records, per derived table, the fingerprint of every input table it read (rows and the
sum of row hashes, :func:`forcepack.warehouse.core.fingerprints`) in ``forcepack_meta`` under
``derived.<table>``. :func:`stale` compares those with the input tables' fingerprints now, in
one query; whatever reads a derived table calls :func:`require_fresh` first, and refuses in one
line naming the command that rebuilds it. The warehouse's data hash covers these records, so a
paper built on stale derived tables could never carry the hash of a fresh one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb

from forcepack.contract.spec import TABLES, Role
from forcepack.errors import DataError
from forcepack.warehouse.core import DERIVED_KEY, META_TABLE, fingerprints
from forcepack.warehouse.sql import ident, lit_list

DERIVE_COMMAND = "forcepack warehouse derive"


@dataclass(frozen=True, slots=True)
class Derivation:
    """Derived tables built together, and the tables they are built from."""

    name: str
    tables: tuple[str, ...]
    inputs: tuple[str, ...]


#: Every derivation (``forcepack warehouse derive`` runs them all).
DERIVATIONS = (
    Derivation(
        "harm",
        ("crime_harm", "victim_harm", "offender_harm"),
        ("crimes", "crime_victims", "crime_suspects", "districts", "offences"),
    ),
    Derivation(
        "victim care",
        ("working_days", "victim_care_obligations", "victim_care_victims"),
        (
            "crimes",
            "crime_victims",
            "crime_suspects",
            "investigation_events",
            "victim_contacts",
            "districts",
            "offences",
            "outcome_types",
        ),
    ),
)
BY_TABLE = {t: d for d in DERIVATIONS for t in d.tables}
assert set(BY_TABLE) == {t.name for t in TABLES.values() if t.role is Role.DERIVED}


@dataclass(frozen=True, slots=True)
class Stale:
    """A derivation whose tables do not describe the current data, and why."""

    derivation: Derivation
    reason: str  # "crimes, crime_victims changed since they were built"

    def message(self) -> str:
        return (
            f"the {self.derivation.name} tables ({', '.join(self.derivation.tables)}) {self.reason}"
        )


def _derivation(name: str) -> Derivation:
    return next(d for d in DERIVATIONS if d.name == name)


def stamp(
    con: duckdb.DuckDBPyConnection,
    name: str,
    *,
    built_with: str = "",
    inputs: Mapping[str, str] | None = None,
) -> None:
    """Record that derivation ``name`` was just built from the current inputs (call it inside
    the build's transaction). ``built_with`` names the build's own settings (a weighting, a
    date), which the data hash then covers too. ``inputs``: the inputs' fingerprints when the
    caller has them for the data now (:func:`forcepack.derive.derive` does), else they are
    computed here."""
    d = _derivation(name)
    known = inputs if inputs is not None else fingerprints(con, d.inputs)
    value = json.dumps(
        {"inputs": {t: known[t] for t in d.inputs}, "built_with": built_with}, sort_keys=True
    )
    con.executemany(
        f"INSERT OR REPLACE INTO {ident(META_TABLE)} VALUES (?, ?)",
        [[DERIVED_KEY + t, value] for t in d.tables],
    )


def _database(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return str(row[0]) if row and row[0] else "PATH"


def stale(con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None) -> list[Stale]:
    """The derivations of ``tables`` (default: every derived table) that are out of date.

    A derivation is out of date when an input changed since its build, when its tables were
    filled by a forcepack that kept no record, or when it was never built although its force
    inputs hold rows. Never built over empty inputs is up to date: there is nothing to derive.
    """
    wanted = set(BY_TABLE) if tables is None else set(tables)
    chosen = [d for d in DERIVATIONS if wanted & set(d.tables)]  # in a fixed order
    if not chosen:
        return []
    keys = [DERIVED_KEY + t for d in chosen for t in d.tables]
    recorded = dict(
        con.execute(
            f"SELECT key, value FROM {ident(META_TABLE)} WHERE key IN ({lit_list(keys)})"
        ).fetchall()
    )
    now = fingerprints(con, {t for d in chosen for t in d.inputs})
    out = []
    for d in chosen:
        stamps = {recorded.get(DERIVED_KEY + t) for t in d.tables}
        if None in stamps or len(stamps) != 1:
            force_rows = [t for t in d.inputs if TABLES[t].role is Role.FORCE and _rows(now[t])]
            if _any_rows(con, d.tables):
                out.append(Stale(d, "hold no record of the data they were built from"))
            elif force_rows:
                out.append(Stale(d, f"were never built, though {', '.join(force_rows)} hold rows"))
            continue
        built = json.loads(str(stamps.pop())).get("inputs", {})
        changed = [t for t in d.inputs if built.get(t) != now[t]]
        if changed:
            out.append(Stale(d, f"were built before {', '.join(changed)} last changed"))
    return out


def _rows(fingerprint: str) -> int:
    return int(fingerprint.split(":", 1)[0])


def _any_rows(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> bool:
    query = " OR ".join(f"EXISTS (SELECT 1 FROM {ident(t)})" for t in tables)
    return bool(con.execute(f"SELECT {query}").fetchall()[0][0])


def require_fresh(con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None) -> None:
    """Raise :class:`DataError` naming the rebuild command when any of ``tables`` (default:
    every derived table) is out of date."""
    found = stale(con, tables)
    if found:
        raise DataError(
            "; ".join(s.message() for s in found),
            hint=f"run `{DERIVE_COMMAND} --db {_database(con)}` to rebuild them",
        )
