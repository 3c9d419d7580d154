"""What the pages show, read from the measure results stored in the warehouse.

Nothing here computes a measure: :class:`Stored` looks results up under the keys
``forcepack measures refresh`` stored them with (definition hash, data hash, window, cut), and
a result that is not stored is reported as such (:class:`NotStored`, naming the command that
builds it). A :class:`Stored` belongs to one state of the warehouse file; the server makes a new
one when the file is replaced.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd

from forcepack import calendar
from forcepack.errors import WarehouseError
from forcepack.measures import cache
from forcepack.measures.compute import _memo, catalogue, data_identity, tables_read
from forcepack.measures.spec import Backend, MeasureSpec
from forcepack.report.units import Unit, unit_of
from forcepack.stats import measure_chart
from forcepack.stats.vocab import ChartType, chart_of, improvement_of

T = TypeVar("T")
#: Pages kept per state of the warehouse.
MEMO_SIZE = 4000
WINDOWS = {"month": "month", "rolling12": "rolling 12 months", "fytd": "financial year to date"}
#: Months of history on a measure's SPC chart (as in the paper).
SPC_MONTHS = 36
#: Themes in the order the meeting reviews them (the first part of a measure id).
THEMES = {
    "satisfaction": "Satisfaction",
    "response": "Response",
    "demand": "Demand",
    "crime": "Crime",
    "outcomes": "Outcomes",
    "investigations": "Investigations",
    "vulnerability": "Vulnerability",
    "harm": "Harm",
    "victims": "Victim care",
}


class NotStored(WarehouseError):
    """The warehouse holds no stored results for what a page shows."""


def refresh_hint(db: Path) -> str:
    return f"run `forcepack measures refresh --db {db}` (or `forcepack update`) to store them"


@dataclass(frozen=True, slots=True)
class Judgement:
    variation: str
    assurance: str | None
    points: pd.DataFrame  # period_end, value, mean, ucl, lcl, kind


def theme(measure_id: str) -> str:
    return measure_id.split(".")[0]


class Stored:
    """Stored results of one state of the warehouse, read once and kept in memory."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db: Path) -> None:
        self.db = db
        self.specs = catalogue()
        self._lock = threading.Lock()
        self._frames: dict[tuple[str, str, tuple[str, ...]], pd.DataFrame | None] = {}
        self._judged: dict[tuple[str, str, str, str], Judgement | None] = {}
        self._memo: dict[Any, Any] = {}
        self.identity = data_identity(con)
        self.has_results = cache._exists(con)
        self._hashes: dict[str, str] = {}
        if self.has_results:
            memo = _memo(self.identity)["hashes"]
            self._hashes = {
                s.id: cache.table_hash(con, tables_read(s, ()), memo) for s in self.specs.values()
            }
        self._load(con, [(s.id, w, ()) for s in self.specs.values() for w in WINDOWS])
        ends = [
            df["period_end"].max()
            for (_, w, _), df in self._frames.items()
            if w == "month" and df is not None and not df.empty
        ]
        self.reporting_end = reporting_end(ends)

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """``make()`` once per key for this state of the warehouse (pages built from stored
        results are the same until the file changes); at most :data:`MEMO_SIZE` kept."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = make()
        with self._lock:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = value
        return value

    def _key(self, spec: MeasureSpec, window: str, by: tuple[str, ...]) -> str:
        return cache.key(spec.definition_hash(), self._hashes[spec.id], window, by, Backend.DUCKDB)

    def _load(
        self, con: duckdb.DuckDBPyConnection, wanted: Sequence[tuple[str, str, tuple[str, ...]]]
    ) -> None:
        by_cut: dict[tuple[str, ...], list[tuple[str, str, tuple[str, ...]]]] = {}
        for item in wanted:
            by_cut.setdefault(item[2], []).append(item)
        for by, items in by_cut.items():
            keys = {self._key(self.specs[m], w, by): (m, w, b) for m, w, b in items}
            found = cache.read_many(con, list(keys), by) if self.has_results else {}
            for k, item in keys.items():
                self._frames[item] = found.get(k)

    def frame(
        self, con: duckdb.DuckDBPyConnection, measure_id: str, window: str, by: tuple[str, ...]
    ) -> pd.DataFrame:
        """The stored result of one measure, window and cut; :class:`NotStored` if none."""
        item = (measure_id, window, by)
        with self._lock:
            if item not in self._frames:
                self._load(con, [item])
            df = self._frames[item]
        if df is None:
            cut = f" by {', '.join(by)}" if by else ""
            raise NotStored(
                f"the warehouse {self.db} holds no stored results for {measure_id} "
                f"({WINDOWS.get(window, window)}{cut})",
                hint=refresh_hint(self.db),
            )
        return df

    def maybe(self, con: duckdb.DuckDBPyConnection, measure_id: str, window: str) -> pd.DataFrame:
        try:
            return self.frame(con, measure_id, window, ())
        except NotStored:
            return pd.DataFrame(columns=["period_end", "value"])

    def judge(
        self, con: duckdb.DuckDBPyConnection, measure_id: str, series: pd.DataFrame, scope: str
    ) -> Judgement | None:
        """SPC of the last :data:`SPC_MONTHS` monthly values of ``series`` (None if too few)."""
        month = str(series["period_end"].max()) if len(series) else ""
        item = (measure_id, "month", scope, month)
        with self._lock:
            if item in self._judged:
                return self._judged[item]
        result = judge(self.specs[measure_id], series)
        with self._lock:
            self._judged[item] = result
        return result


def _proportion(spec: MeasureSpec, s: pd.DataFrame) -> bool:
    """Whether ``s`` is a share or rate with a numerator and a positive denominator every month."""
    if chart_of(spec.kind) is not ChartType.PP:
        return False
    if not {"numerator", "denominator"} <= set(s.columns):
        return False
    n, d = s["numerator"], s["denominator"]
    return bool(n.notna().all() and d.notna().all() and (d > 0).all() and (n <= d).all())


def judge(spec: MeasureSpec, series: pd.DataFrame) -> Judgement | None:
    s = series.dropna(subset=["value"]).sort_values("period_end").tail(SPC_MONTHS)
    if len(s) < 12:
        return None
    # a share or rate is judged as the paper judges it, on a Laney p' chart of the monthly
    # numerators and denominators (not XmR limits of the percentages), when it has them all
    chart = ChartType.PP if _proportion(spec, s) else ChartType.XMR
    result = measure_chart(s, chart, improvement=improvement_of(spec.polarity), target=spec.target)
    pts = result.points
    kinds = {
        "common_cause": "common",
        "special_cause_improvement": "improvement",
        "special_cause_concern": "concern",
    }
    points = pd.DataFrame(
        {
            "period_end": s["period_end"].to_numpy(),
            "value": pts["value"].to_numpy(),
            "mean": pts["mean"].to_numpy(),
            "ucl": pts["upl"].to_numpy(),
            "lcl": pts["lpl"].to_numpy(),
            "kind": [kinds.get(str(t), "neutral") for t in pts["point_type"]],
        }
    )
    assurance = result.summary.assurance
    return Judgement(str(result.summary.variation), str(assurance) if assurance else None, points)


def reporting_end(ends: Sequence[dt.date]) -> dt.date | None:
    """The month the pages report: the last month that most measures have (the latest month
    of most of the catalogue; ties go to the earlier month). A measure dated by due dates can
    run into the month after the data end, where its figure is partial; it is shown at the
    reporting month like the others."""
    if not ends:
        return None
    counts = pd.Series(list(ends)).value_counts()
    top = counts[counts == counts.max()].index
    return min(top)


def latest(df: pd.DataFrame, upto: dt.date | None = None) -> tuple[dt.date | None, float | None]:
    """The last period (at or before ``upto``) and its value (None when there is none)."""
    if upto is not None and not df.empty:
        df = df[df["period_end"] <= upto]
    if df.empty:
        return None, None
    row = df.sort_values("period_end").iloc[-1]
    value = row["value"]
    return row["period_end"], (None if pd.isna(value) else float(value))


def value_at(df: pd.DataFrame, period_end: dt.date | None) -> float | None:
    if period_end is None or df.empty:
        return None
    hit = df.loc[df["period_end"] == period_end, "value"]
    if hit.empty or pd.isna(hit.iloc[0]):
        return None
    return float(hit.iloc[0])


def month_end(d: dt.date, months_back: int) -> dt.date:
    """The last day of the month ``months_back`` months before ``d``'s."""
    return (calendar.Month.of(d) - months_back).last


def fmt_value(value: float | None, spec: MeasureSpec) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if unit_of(spec) is Unit.SHARE:
        return f"{value * 100:.1f}%"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"
