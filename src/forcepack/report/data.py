"""Measure results for the paper: one engine query per measure × window × cut, then lookups.

:class:`MeasureData` wraps :func:`forcepack.measures.compute`: each (measure, window, cut) is
computed once for every period and kept, so the paper's many lookups cost one query each. It
records which measures were used, for the appendix of definitions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from forcepack.report import format as fmt
from forcepack.report.facts import Share

Compute = Callable[..., pd.DataFrame]


class MissingFigure(LookupError):
    """A figure the paper needs is not in the measure results (no data for that month)."""


#: A month at the start of a table with fewer rows than this share of the table's median
#: month is partial coverage (the extract begins part way through it): no series uses it.
PARTIAL_SHARE = 0.5


def partial_months(con: duckdb.DuckDBPyConnection | None, table: str, column: str) -> set[dt.date]:
    """The months at the start of ``table`` (by ``column``) whose row count is under
    :data:`PARTIAL_SHARE` of the table's median monthly count: the leading run of partial
    coverage, as month ends. Empty when the table cannot be read."""
    from forcepack.warehouse.sql import ident

    if con is None:
        return set()
    try:
        rows = con.execute(
            f"SELECT last_day(CAST({ident(column)} AS DATE)) AS m, count(*) FROM {ident(table)} "
            f"WHERE {ident(column)} IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    except duckdb.Error:
        return set()
    if not rows:
        return set()
    counts = sorted(int(n) for _, n in rows)
    median = (
        counts[len(counts) // 2]
        if len(counts) % 2
        else sum(counts[len(counts) // 2 - 1 : len(counts) // 2 + 1]) / 2
    )
    out: set[dt.date] = set()
    for m, n in rows:
        if n >= PARTIAL_SHARE * median:
            break
        out.add(m if isinstance(m, dt.date) else pd.Timestamp(m).date())
    return out


class MeasureData:
    """Cached access to measure results for one warehouse. Series (``series``) leave out the
    months of partial coverage at the start of the measure's source table."""

    def __init__(self, con: duckdb.DuckDBPyConnection, compute: Compute | None = None) -> None:
        if compute is None:
            from forcepack.measures import compute as measures_compute

            compute = measures_compute
        self.con = con
        self._compute = compute
        self._frames: dict[tuple[str, str, tuple[str, ...]], pd.DataFrame] = {}
        self._partial: dict[str, set[dt.date]] = {}
        self.used: list[str] = []

    def partial(self, measure_id: str) -> set[dt.date]:
        """The months of partial coverage of ``measure_id``'s source table (month ends)."""
        if measure_id not in self._partial:
            try:
                from forcepack.measures import catalogue

                spec = catalogue()[measure_id]
                table, column = str(spec.source), str(spec.date)
            except (ImportError, KeyError, AttributeError):
                self._partial[measure_id] = set()
            else:
                self._partial[measure_id] = partial_months(self.con, table, column)
        return self._partial[measure_id]

    def frame(
        self, measure_id: str, window: str = "month", by: tuple[str, ...] = ()
    ) -> pd.DataFrame:
        """Every period of one measure, window and cut."""
        key = (measure_id, window, by)
        if key not in self._frames:
            # stored results are read when the data are unchanged (`forcepack measures
            # refresh`); the rest is computed and not stored: the paper opens the
            # warehouse read-only, so other readers are never locked out
            df = self._compute([measure_id], con=self.con, window=window, by=by)
            df = df.copy()
            df["period_end"] = pd.to_datetime(df["period_end"]).dt.date
            self._frames[key] = df
            if measure_id not in self.used:
                self.used.append(measure_id)
        return self._frames[key]

    def note_used(self, *measure_ids: str) -> None:
        """Record measures the paper reports from elsewhere, for the appendix of definitions."""
        self.used.extend(m for m in measure_ids if m not in self.used)

    def rows(
        self, measure_id: str, month: dt.date, window: str = "month", by: tuple[str, ...] = ()
    ) -> pd.DataFrame:
        """The rows of one period (one per group of the cut)."""
        df = self.frame(measure_id, window, by)
        out = df[df["period_end"] == fmt.month_end(month)]
        if out.empty:
            raise MissingFigure(
                f"measure {measure_id} ({window}{', by ' + ', '.join(by) if by else ''}) has no "
                f"result for {fmt.month(month)}"
            )
        return out

    def row(self, measure_id: str, month: dt.date, window: str = "month", **dims: Any) -> pd.Series:
        """The single row of one period and one group (``dims`` name the group)."""
        by = tuple(dims)
        df = self.rows(measure_id, month, window, by)
        for k, v in dims.items():
            df = df[df[k] == v]
        if len(df) != 1:
            raise MissingFigure(
                f"measure {measure_id} ({window}) has no single result for {fmt.month(month)} "
                f"with {dims}"
            )
        return df.iloc[0]

    def value(self, measure_id: str, month: dt.date, window: str = "month", **dims: Any) -> float:
        """The value of one period and group; MissingFigure when it is null."""
        v = self.row(measure_id, month, window, **dims)["value"]
        if pd.isna(v):
            raise MissingFigure(f"measure {measure_id} ({window}) is empty for {fmt.month(month)}")
        return float(v)

    def share(self, measure_id: str, month: dt.date, window: str = "month", **dims: Any) -> Share:
        """A share with its numerator and denominator."""
        r = self.row(measure_id, month, window, **dims)
        if pd.isna(r["denominator"]) or not r["denominator"]:
            raise MissingFigure(
                f"measure {measure_id} ({window}) has no respondents/records for {fmt.month(month)}"
            )
        months = 1 if window == "month" else int(window.replace("rolling", "").strip(":") or 12)
        return Share(
            numerator=int(r["numerator"]),
            n=int(r["denominator"]),
            period_end=fmt.month_end(month),
            months=months,
        )

    def series(
        self,
        measure_id: str,
        end: dt.date,
        count: int | None = None,
        window: str = "month",
        **dims: Any,
    ) -> pd.DataFrame:
        """The monthly series up to ``end`` (the last ``count`` periods, or all), nulls dropped."""
        df = self.frame(measure_id, window, tuple(dims))
        for k, v in dims.items():
            df = df[df[k] == v]
        df = df[(df["period_end"] <= fmt.month_end(end)) & df["value"].notna()]
        partial = self.partial(measure_id) if window == "month" else set()
        if partial:
            df = df[~df["period_end"].isin(partial)]
        df = df.sort_values("period_end")
        if count is not None:
            df = df.tail(count)
        return df[["period_end", "value", "numerator", "denominator", "n"]].reset_index(drop=True)
