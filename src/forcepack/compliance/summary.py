"""Aggregate, non-personal victim care figures for the board paper (no person ids).

``summary(con, "2019-12")`` reads the tables ``build`` made and returns the month's and the
rolling 12 months' figures: VCC compliance (overall and by area), Victims' Code compliance by
entitlement and overall, the Hub referral rate, the share of priority-group victims identified
at first contact, and the two crime management figures (open investigations overdue for review
and their average age at the month end, as the ``investigations.*`` catalogue measures define
them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import duckdb

from forcepack.compliance.build import require_built
from forcepack.compliance.periods import Period, month, months_back
from forcepack.contract.derived_compliance import CODE_ENTITLEMENTS


@dataclass(frozen=True, slots=True)
class Rate:
    """``numerator`` of ``denominator``; ``value`` is null when nothing was due."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True, slots=True)
class Pair:
    """The same figure for the month and the rolling 12 months to it."""

    month: Rate
    rolling12: Rate


@dataclass(frozen=True, slots=True)
class VictimCareSummary:
    month: str
    vcc_compliance: Pair
    vcc_compliance_by_area: dict[str, Pair]
    code_compliance: Pair
    code_compliance_by_entitlement: dict[str, Pair]
    hub_referral_rate: Pair
    priority_identified_at_first_contact: Pair
    overdue_reviews: int
    open_investigations: int
    average_investigation_days: float | None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain data with each rate's value filled in (for templates and JSON)."""

        def fix(obj: Any) -> Any:
            if isinstance(obj, dict) and set(obj) == {"numerator", "denominator"}:
                d = obj["denominator"]
                return {**obj, "value": obj["numerator"] / d if d else None}
            if isinstance(obj, dict):
                return {k: fix(v) for k, v in obj.items()}
            return obj

        out: dict[str, Any] = fix(asdict(self))
        return out


def _rate(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> dict[Any, Rate]:
    rows = con.execute(sql, params).fetchall()
    return {key: Rate(int(num or 0), int(den or 0)) for key, num, den in rows}


def _pair(con: duckdb.DuckDBPyConnection, sql: str, m: Period, year: Period) -> dict[Any, Pair]:
    now = _rate(con, sql, [m.start, m.end])
    rolling = _rate(con, sql, [year.start, year.end])
    empty = Rate(0, 0)
    return {k: Pair(now.get(k, empty), rolling.get(k, empty)) for k in {*now, *rolling}}


def _one(pairs: dict[Any, Pair], key: Any) -> Pair:
    return pairs.get(key, Pair(Rate(0, 0), Rate(0, 0)))


def summary(con: duckdb.DuckDBPyConnection, month_text: str | dt.date) -> VictimCareSummary:
    """The month's victim care figures; raises :class:`DataError` if the tables are not built."""
    m = month(month_text)
    year = months_back(m, 12)
    require_built(con)
    obligations = """
        SELECT {key}, count(*) FILTER (WHERE met), count(*)
        FROM victim_care_obligations
        WHERE due_date >= ? AND due_date < ? AND {where}
        GROUP BY ALL
    """
    vcc = _pair(con, obligations.format(key="'all'", where="entitlement = 'vcc_contact'"), m, year)
    vcc_area = _pair(
        con,
        obligations.format(key="coalesce(area, 'unknown')", where="entitlement = 'vcc_contact'"),
        m,
        year,
    )
    code = _pair(con, obligations.format(key="'all'", where="code_entitlement"), m, year)
    by_ent = _pair(con, obligations.format(key="entitlement", where="code_entitlement"), m, year)
    victims_sql = """
        SELECT 'all', count(*) FILTER (WHERE {num}), count(*) FILTER (WHERE {den})
        FROM victim_care_victims WHERE recorded_at >= ? AND recorded_at < ?
    """
    hub = _pair(con, victims_sql.format(num="hub_referred", den="true"), m, year)
    prio = _pair(
        con,
        victims_sql.format(
            num="priority_identified_at_first_contact", den="priority_group IS NOT NULL"
        ),
        m,
        year,
    )
    overdue, open_n, avg_days = _investigations(con, m)
    return VictimCareSummary(
        month=m.label,
        vcc_compliance=_one(vcc, "all"),
        vcc_compliance_by_area={k: v for k, v in sorted(vcc_area.items())},
        code_compliance=_one(code, "all"),
        code_compliance_by_entitlement={e: _one(by_ent, e) for e in CODE_ENTITLEMENTS},
        hub_referral_rate=_one(hub, "all"),
        priority_identified_at_first_contact=_one(prio, "all"),
        overdue_reviews=overdue,
        open_investigations=open_n,
        average_investigation_days=avg_days,
    )


def _investigations(con: duckdb.DuckDBPyConnection, m: Period) -> tuple[int, int, float | None]:
    """Crimes open at the month end: how many were overdue a review, and their mean age.

    Open at the end of the month: recorded before it ended, not cancelled, and with no outcome
    by then. Overdue: still ``open`` with a next review date before the month's end (the review
    date is as extracted, so the figure is exact for the latest month).
    """
    end = dt.datetime.combine(m.end, dt.time())
    row = con.execute(
        """
        SELECT count(*) FILTER (WHERE status = 'open' AND next_review_due < ?::DATE),
               count(*),
               avg(epoch(?::TIMESTAMP) - epoch(recorded_at)) / 86400.0
        FROM crimes
        WHERE recorded_at < ? AND status <> 'cancelled' AND (outcome_at IS NULL OR outcome_at >= ?)
        """,
        [m.end, end, end, end],
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), None if row[2] is None else float(row[2])
