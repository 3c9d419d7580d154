"""Which force-months of data.police.uk data are loaded, and how much of each has a location.

One row per loaded force (``Falls within``) and month from its first loaded month to the
latest month loaded for any force: ``present`` (any published crime), ``crimes`` (excluding
anti-social behaviour), ``located`` and ``located_share``. A month that is absent, or whose
located share is below the coverage gate, is ``usable = false``: the pack never compares it.
The counts come from the measure catalogue (``public.crimes``, ``public.located_share``).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from forcepack import calendar
from forcepack.measures import compute

#: Default coverage gate: the share of a month's crimes that must carry a location.
COVERAGE_GATE = 0.95


def coverage(con: duckdb.DuckDBPyConnection, *, gate: float = COVERAGE_GATE) -> pd.DataFrame:
    """The coverage table: falls_within, month, present, crimes, located, located_share,
    usable (sorted by force and month)."""
    cols = ["falls_within", "month", "present", "crimes", "located", "located_share", "usable"]
    share = compute(
        "public.located_share", con=con, by="falls_within", window="month", cache_results=False
    )
    if share.empty:
        return pd.DataFrame(columns=cols)
    share = share.assign(month=share["period_end"].map(calendar.first_day))
    last = max(share["month"])
    rows = []
    for force, g in share.groupby("falls_within", sort=True):
        by_month = {r.month: r for r in g.itertuples()}
        for m in calendar.span(min(by_month), last):
            r = by_month.get(m)
            crimes = int(r.denominator) if r is not None and pd.notna(r.denominator) else 0
            located = int(r.numerator) if r is not None and pd.notna(r.numerator) else 0
            share_v = located / crimes if crimes else None
            rows.append(
                {
                    "falls_within": force,
                    "month": m,
                    "present": crimes > 0,
                    "crimes": crimes,
                    "located": located,
                    "located_share": share_v,
                    "usable": crimes > 0 and share_v is not None and share_v >= gate,
                }
            )
    return pd.DataFrame(rows, columns=cols)
