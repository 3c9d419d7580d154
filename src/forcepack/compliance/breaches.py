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
from forcepack.compliance.build import require_built
from forcepack.compliance.periods import Period, month
from forcepack.compliance.rules import BREACH_LOOKBACK_DAYS
from forcepack.contract.derived_compliance import Entitlement
from forcepack.contract.vocab import PlaceKind
from forcepack.names import resolve_place
from forcepack.sensitive import require_scope, write_sensitive
from forcepack.warehouse.sql import lit

LIST_NAME = "victim care breaches"

WHAT = {
    Entitlement.VCC_CONTACT: "contact under the victim care contract",
    Entitlement.KEY_EVENT_CONTACT: "told of a key investigation event",
    Entitlement.MONTHLY_UPDATE: "monthly update (no suspect identified)",
    Entitlement.HUB_REFERRAL: "referral to the Victim and Witness Hub",
    Entitlement.NEEDS_ASSESSMENT: "needs assessment",
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
        area=area,
        district=district,
        list_name="A breach list",
        allowed=(PlaceKind.AREA, PlaceKind.DISTRICT),
    )
    assert value is not None
    place = resolve_place(con, kind, value)  # a code or a name, any case, of this warehouse
    if kind is PlaceKind.AREA:
        return "area", place.code, f"area {place.name}"
    return "district_code", place.code, f"district {place.code} ({place.name})"


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
    what = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in WHAT.items())
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
    con: duckdb.DuckDBPyConnection,
    breaches: BreachList,
    path: Path,
    *,
    data_hash: str,
    force: bool = False,
    warehouse: Path | None = None,
) -> Path:
    """Write the list (CSV or XLSX by extension) and record it in ``access_log``
    (by :func:`forcepack.sensitive.write_sensitive`; ``force`` replaces an existing file)."""
    about = (
        f"Victim care breaches, {breaches.month.label}, {breaches.scope}: obligations to "
        "victims not met in time (see docs/victim-care.md).",
        f"forcepack {__version__}; data hash {data_hash}; {len(breaches.rows)} rows.",
    )
    return write_sensitive(
        con,
        breaches.rows,
        path,
        list_name=LIST_NAME,
        scope=breaches.scope,
        period=breaches.month.label,
        about=about,
        sheet="Breaches",
        force=force,
        warehouse=warehouse,
    )
