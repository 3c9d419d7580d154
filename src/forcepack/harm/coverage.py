"""How much of a force's recorded crime a harm weighting covers, and on what basis.

:func:`crime_coverage` counts the recorded crimes (not cancelled) of a window by the basis of
their offence's weight: *published*, *estimate* or *missing* (listed without a weight, or not in
the weighting at all), with the harm days the weighted ones carry. A missing weight is never
scored as zero: its crimes are counted apart and their harm is unknown, so the harm shares are
of the weighted harm only. The uncovered offence codes are listed, most crimes first. Everything
is computed in DuckDB.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from forcepack.contract.vocab import CrimeStatus
from forcepack.errors import DataError
from forcepack.harm import weights as w
from forcepack.harm.score import WINDOW_MONTHS, parse_month, window
from forcepack.warehouse.sql import ident, insert_rows, lit

#: Uncovered offence codes listed by default.
TOP_UNCOVERED = 10
#: The order bases are reported in.
BASES = (w.Basis.PUBLISHED, w.Basis.ESTIMATE, w.Basis.MISSING)


@dataclass(frozen=True, slots=True)
class BasisShare:
    """Recorded crimes whose offence's weight has one basis, and the harm they carry."""

    basis: w.Basis
    crimes: int
    crime_share: float | None  # of all recorded crimes in the window
    harm_days: float | None  # None for missing: the harm of unweighted crimes is unknown
    harm_share: float | None  # of the weighted harm


@dataclass(frozen=True, slots=True)
class Uncovered:
    """An offence code with recorded crimes and no weight."""

    offence_code: str
    offence_name: str | None  # None when the code is not in the offences table
    crimes: int
    listed: bool  # True: the weighting lists the code as missing; False: it is not in it


@dataclass(frozen=True, slots=True)
class CrimeCoverage:
    weighting: str
    start: dt.date  # first day of the window
    end: dt.date  # first day after the window
    crimes: int
    harm_days: float  # of the weighted crimes
    by_basis: tuple[BasisShare, ...]  # one row per basis, in BASES order
    uncovered: tuple[Uncovered, ...]  # the top ones by crimes
    uncovered_codes: int  # how many codes have crimes and no weight

    def share(self, basis: w.Basis | str) -> BasisShare:
        for row in self.by_basis:
            if row.basis == basis:
                return row
        raise KeyError(basis)


def _latest_month(con: duckdb.DuckDBPyConnection) -> dt.date:
    (latest,) = con.execute(  # type: ignore[misc]
        f"SELECT max(recorded_at) FROM crimes WHERE status <> {lit(CrimeStatus.CANCELLED)}"
    ).fetchone()
    if latest is None:
        raise DataError(
            "no recorded crimes in the warehouse, so there is nothing to cover",
            hint="load the force's crimes first (`forcepack ingest crimes FILE`)",
        )
    return parse_month(latest)


def _register(con: duckdb.DuckDBPyConnection, weights: w.Weights, name: str) -> None:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ident(name)} (offence_code VARCHAR PRIMARY KEY, "
        "harm_days DOUBLE, basis VARCHAR NOT NULL)"
    )
    days = weights.as_dict()
    insert_rows(
        con,
        name,
        ("offence_code", "harm_days", "basis"),
        ([code, days.get(code), basis] for code, basis in sorted(w.bases(weights).items())),
    )


def crime_coverage(
    con: duckdb.DuckDBPyConnection,
    weights: w.Weights | None = None,
    month: str | dt.date | None = None,
    months: int = WINDOW_MONTHS,
    *,
    top: int = TOP_UNCOVERED,
) -> CrimeCoverage:
    """Share of the recorded crimes of ``months`` to ``month`` (default: the latest month with
    crimes) and of their harm covered by published, estimated and missing weights."""
    weights = weights or w.default()
    start, end = window(month if month is not None else _latest_month(con), months)
    table = "harm_coverage_weights"
    _register(con, weights, table)
    try:
        joined = f"FROM crimes c LEFT JOIN {ident(table)} t USING (offence_code) "
        where = (
            f"WHERE c.status <> {lit(CrimeStatus.CANCELLED)} "
            f"AND c.recorded_at >= {lit(start.isoformat())}::DATE "
            f"AND c.recorded_at < {lit(end.isoformat())}::DATE"
        )
        scope = joined + where
        counts = {
            str(basis): (int(n), harm)
            for basis, n, harm in con.execute(
                f"SELECT CASE WHEN t.harm_days IS NULL THEN {lit(w.Basis.MISSING.value)} "
                f"ELSE t.basis END AS basis, count(*), sum(t.harm_days) {scope} GROUP BY 1"
            ).fetchall()
        }
        rows = con.execute(
            f"SELECT c.offence_code, any_value(o.offence_name), count(*) AS n, "
            f"bool_or(t.offence_code IS NOT NULL) {joined} "
            f"LEFT JOIN offences o ON o.offence_code = c.offence_code {where} "
            f"AND t.harm_days IS NULL GROUP BY c.offence_code ORDER BY n DESC, c.offence_code"
        ).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {ident(table)}")
    total = sum(n for n, _h in counts.values())
    weighted = sum(float(h or 0) for b, (_n, h) in counts.items() if b != w.Basis.MISSING)
    by_basis = []
    for basis in BASES:
        n, harm = counts.get(basis.value, (0, None))
        known = basis is not w.Basis.MISSING
        days = float(harm or 0) if known else None
        by_basis.append(
            BasisShare(
                basis,
                n,
                n / total if total else None,
                days,
                (days or 0) / weighted if known and weighted else None,
            )
        )
    return CrimeCoverage(
        weights.name,
        start,
        end,
        total,
        weighted,
        tuple(by_basis),
        tuple(
            Uncovered(str(code), None if name is None else str(name), int(n), bool(listed))
            for code, name, n, listed in rows[:top]
        ),
        len(rows),
    )
