"""One month's catalogue figures, looked up by measure, window and group.

The summaries read every figure the catalogue defines through :func:`forcepack.measures.compute`
(stored results are read when they describe the current data), so a summary, the paper and the
dashboard can never disagree about a measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from forcepack.measures import compute


@dataclass(frozen=True, slots=True)
class Figure:
    """One result row: ``value`` is None where the measure has none (a zero denominator)."""

    value: float | None = None
    numerator: float = 0.0
    denominator: float = 0.0
    n: int = 0


#: The figure of a group the results do not hold (a month outside the data): nothing counted.
NOTHING = Figure()


def _number(x: Any) -> float | None:
    return None if pd.isna(x) else float(x)


class Figures:
    """The figures of ``ids`` for one month in each of ``windows``, cut by ``by``."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        ids: Sequence[str],
        month: dt.date,
        windows: Sequence[str],
        by: tuple[str, ...] = (),
    ) -> None:
        df = compute(list(ids), con=con, months=[month], window=list(windows), by=by)
        self.by = by
        self._rows: dict[tuple[str, str, tuple[Any, ...]], Figure] = {}
        for row in df.itertuples(index=False):
            group = tuple(getattr(row, d) for d in by)
            self._rows[(row.measure_id, row.window, group)] = Figure(
                _number(row.value),
                _number(row.numerator) or 0.0,
                _number(row.denominator) or 0.0,
                0 if pd.isna(row.n) else int(row.n),
            )

    def get(self, measure_id: str, window: str, *group: Any) -> Figure:
        """The figure of one measure, window and group (:data:`NOTHING` when there is none)."""
        return self._rows.get((measure_id, window, tuple(group)), NOTHING)

    def groups(self, measure_id: str, window: str) -> list[tuple[Any, ...]]:
        """The groups the results hold for one measure and window, in their order."""
        return [g for (m, w, g) in self._rows if m == measure_id and w == window]
