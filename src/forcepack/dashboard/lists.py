"""The OFFICIAL-SENSITIVE lists for one granted place, from the library's own list builders."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from forcepack import calendar
from forcepack.compliance import periods
from forcepack.compliance.audit import audit_sample
from forcepack.compliance.breaches import breach_list
from forcepack.contract.vocab import PlaceKind
from forcepack.dashboard.scope import Place
from forcepack.errors import InputError
from forcepack.harm.lists import ListKind, make_list
from forcepack.sensitive import Scope, csv_text

#: Rows of a list shown on screen; the download holds them all.
SHOWN = 500


@dataclass(frozen=True, slots=True)
class Result:
    list_name: str
    place: Place
    period: str
    frame: pd.DataFrame

    @property
    def file_name(self) -> str:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{self.place.kind}-{self.place.code}").strip("-")
        return f"{self.list_name}-{slug}-{re.sub(r'[^A-Za-z0-9]+', '-', self.period)}.csv"


def latest_month(con: duckdb.DuckDBPyConnection) -> dt.date:
    row = con.execute("SELECT max(recorded_at) FROM crimes").fetchone()
    if not row or row[0] is None:
        raise InputError("the warehouse holds no crimes, so no list can be built")
    return calendar.first_day(row[0])


def _month(con: duckdb.DuckDBPyConnection, text: str | None) -> dt.date:
    last = latest_month(con)
    if not text:
        return last
    m = calendar.parse(text).first
    if m > last:
        raise InputError(f"month {text} is after the last month in the data ({last:%Y-%m})")
    return m


def _quarter(con: duckdb.DuckDBPyConnection, text: str | None) -> str:
    last = latest_month(con)
    if text:
        return periods.quarter(text).label
    return periods.latest_quarter(last)


def build(
    con: duckdb.DuckDBPyConnection,
    list_name: str,
    place: Place,
    month: str | None,
    quarter: str | None,
) -> Result:
    """The list ``list_name`` for ``place`` (already granted by ``scope.grant``)."""
    if list_name in ("harm-victims", "harm-offenders"):
        kind = ListKind.VICTIMS if list_name == "harm-victims" else ListKind.OFFENDERS
        scope = Scope(place.kind, place.code, place.label)
        result = make_list(con, kind, _month(con, month), scope)
        frame = pd.DataFrame(list(result.rows), columns=list(result.columns))
        return Result(list_name, place, result.period, frame)
    if list_name == "breaches":
        m = _month(con, month)
        area = place.code if place.kind is PlaceKind.AREA else None
        district = place.code if place.kind is PlaceKind.DISTRICT else None
        breaches = breach_list(con, f"{m:%Y-%m}", area=area, district=district)
        return Result(list_name, place, f"{m:%Y-%m}", breaches.rows)
    sample = audit_sample(con, _quarter(con, quarter))
    cases = sample.cases
    cases = cases[cases["area"] == place.code].reset_index(drop=True)
    return Result(list_name, place, sample.quarter.label, cases)


def to_csv(result: Result) -> str:
    """The list as CSV in the one form of an OFFICIAL-SENSITIVE list
    (:func:`forcepack.sensitive.csv_text`: the marking on every row, formula-safe)."""
    return csv_text(result.frame)
