"""A board paper builder's context over made-up measure results, for the report's unit tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from forcepack.report.builders import Context
from forcepack.report.data import MeasureData

DEC19 = dt.date(2019, 12, 31)


def monthly_shares(values: list[float], n: int = 1000, month: dt.date = DEC19) -> Context:
    """A builder's context for ``month`` whose every measure's results are the monthly shares
    ``values`` (each of ``n``: numerator the share of ``n`` rounded), ending with ``month``."""
    months = pd.date_range(end=month, periods=len(values), freq="ME")

    def compute(ids: list[str], **kw: object) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "measure_id": ids[0],
                "period_end": months,
                "window": kw.get("window", "month"),
                "value": values,
                "numerator": [round(v * n) for v in values],
                "denominator": float(n),
                "n": float(n),
            }
        )

    return Context(
        data=MeasureData(None, compute),  # type: ignore[arg-type]
        con=None,  # type: ignore[arg-type]
        month=month,
        inputs=None,  # type: ignore[arg-type]
        board=month,
        meeting=month,
    )
