"""Breach lists for crime managers: which victims are owed what, and since when.

A breach list is OFFICIAL-SENSITIVE (pseudonymous victim ids): it is built only for a named
area or district, written only to the file the user names, and every list made is appended to
the warehouse's ``access_log``.

For a month M the list holds every obligation that was **not met in time** and either fell due
in M, or fell due earlier (at most ``BREACH_LOOKBACK_DAYS`` before M's end) and was still owed
when M began (unanswered, and the crime had not closed it). ``status`` says where each stood at
the end of M: ``outstanding``, ``answered late`` or ``closed unanswered``; ``days_overdue``
counts calendar days from the due date to the answer, the closing or the month end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from forcepack import __version__
from forcepack.compliance import export
from forcepack.compliance.build import require_built
from forcepack.compliance.periods import Period, month
from forcepack.compliance.rules import BREACH_LOOKBACK_DAYS
from forcepack.errors import InputError
from forcepack.sensitive import record_access, require_scope

LIST_NAME = "victim care breaches"

WHAT = {
    "vcc_contact": "contact under the victim care contract",
    "key_event_contact": "told of a key investigation event",
    "monthly_update": "monthly update (no suspect identified)",
    "hub_referral": "referral to the Victim and Witness Hub",
    "needs_assessment": "needs assessment",
}


@dataclass(frozen=True, slots=True)
class BreachList:
    month: Period
    scope: str  # "area North", "district E07000008 (Cambridge)"
    rows: pd.DataFrame


def resolve_scope(
    con: duckdb.DuckDBPyConnection, *, area: str | None, district: str | None
) -> tuple[str, str, str]:
    """``(column, value, label)`` for the named area or district; checks it exists."""
    kind, value = require_scope(
        area=area, district=district, list_name="A breach list", allowed=("area", "district")
    )
    assert value is not None
    if kind == "area":
        areas = [
            r[0] for r in con.execute("SELECT DISTINCT area FROM districts ORDER BY 1").fetchall()
        ]
        match = {a.lower(): a for a in areas}.get(value.strip().lower())
        if match is None:
            allowed = ", ".join(areas) or "none (load the force's districts first)"
            raise InputError(f'area "{value}" is not an area of this force; allowed: {allowed}')
        return "area", match, f"area {match}"
    names = dict(con.execute("SELECT district_code, district_name FROM districts").fetchall())
    if value not in names:
        allowed = ", ".join(f"{c} ({n})" for c, n in sorted(names.items()))
        raise InputError(
            f'district "{value}" is not a district code of this force; allowed: {allowed}'
        )
    return "district_code", value, f"district {value} ({names[value]})"


def breach_list(
    con: duckdb.DuckDBPyConnection,
    month_text: str,
    *,
    area: str | None = None,
    district: str | None = None,
) -> BreachList:
    """The month's breaches for one area or district (a small frame, built in the engine)."""
    m = month(month_text)
    column, value, label = resolve_scope(con, area=area, district=district)
    require_built(con)
    end = dt.datetime.combine(m.end, dt.time())
    start = dt.datetime.combine(m.start, dt.time())
    what = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in WHAT.items())
    frame = con.execute(
        f"""
        SELECT o.area, ds.district_name AS district, o.owning_unit, o.crime_id, o.victim_id,
               v.priority_group, o.enhanced, o.entitlement,
               CASE o.entitlement {what} END AS owed,
               o.trigger AS clock_started_by, o.starts_at AS clock_started_at,
               o.due_date AS owed_since,
               CASE WHEN o.fulfilled_at < $end THEN 'answered late'
                    WHEN o.closes_at < $end THEN 'closed unanswered'
                    ELSE 'outstanding' END AS status,
               o.fulfilled_at AS answered_at,
               date_diff('day', o.due_date,
                         least(coalesce(o.fulfilled_at, $end), coalesce(o.closes_at, $end),
                               $end)::DATE) AS days_overdue
        FROM victim_care_obligations o
        LEFT JOIN districts ds USING (district_code)
        LEFT JOIN victim_care_victims v USING (crime_id, victim_id)
        WHERE NOT o.met AND o.{column} = $value
          AND o.due_date < $end_date AND o.due_date >= $end_date - {BREACH_LOOKBACK_DAYS}
          AND (o.due_date >= $start_date
               OR ((o.fulfilled_at IS NULL OR o.fulfilled_at >= $start)
                   AND (o.closes_at IS NULL OR o.closes_at >= $start)))
        ORDER BY o.area, district, o.owning_unit NULLS LAST, o.due_date, o.crime_id,
                 o.victim_id, o.entitlement, o.starts_at
        """,
        {"end": end, "start": start, "end_date": m.end, "start_date": m.start, "value": value},
    ).df()
    return BreachList(m, label, frame)


def write_breach_list(
    con: duckdb.DuckDBPyConnection, breaches: BreachList, path: Path, *, data_hash: str
) -> Path:
    """Write the list (CSV or XLSX by extension) and record it in ``access_log``."""
    fmt = export.output_format(path)
    about = (
        f"Victim care breaches, {breaches.month.label}, {breaches.scope}: obligations to "
        "victims not met in time (see docs/victim-care.md).",
        f"forcepack {__version__}; data hash {data_hash}; {len(breaches.rows)} rows.",
    )
    if fmt == ".csv":
        written = export.write_csv(breaches.rows, path, about)
    else:
        written = export.write_xlsx(breaches.rows, path, about, sheet="Breaches")
    record_access(
        con,
        list_name=LIST_NAME,
        scope=breaches.scope,
        period=breaches.month.label,
        rows=len(breaches.rows),
        path=written,
    )
    return written
