"""Incremental refresh: results stored over earlier data brought forward period by period,
recomputing only the periods whose window holds a changed month (:func:`periods_to_redo`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from forcepack.measures import cache
from forcepack.measures.compiler import month_add, valid_periods, window_months
from forcepack.measures.spec import MeasureSpec, Window
from forcepack.measures.state import Run, data_span, tables_read


def follows(spec: MeasureSpec) -> bool:
    """Whether the measure's results can be brought forward period by period (see
    :func:`periods_to_redo`): not a state measure, and dated by a column of its source."""
    from forcepack.contract.spec import TABLES

    return (
        spec.as_at is None
        and spec.date is not None
        and spec.source in TABLES
        and spec.date in TABLES[spec.source].column_names
    )


def earlier_results(
    duck: duckdb.DuckDBPyConnection,
    specs: Sequence[MeasureSpec],
    wins: Sequence[Window],
    dims: tuple[str, ...],
    backend: str,
) -> dict[tuple[str, str], tuple[dict[str, str], pd.DataFrame]]:
    """Per (definition hash, window label): the table hashes and the result stored for the
    same measure, window, cut and backend over earlier data (the latest), in two queries."""
    wanted = [(s.definition_hash(), w.label) for s in specs for w in wins]
    found = cache.previous_many(duck, wanted, dims, backend)
    if not found:
        return {}
    frames = cache.read_many(duck, [k for k, _ in found.values()], dims)
    return {pair: (tables, frames[k]) for pair, (k, tables) in found.items() if k in frames}


def periods_to_redo(
    run: Run,
    specs: Sequence[MeasureSpec],
    wins: Sequence[Window],
    earlier: dict[tuple[str, str], tuple[dict[str, str], pd.DataFrame]],
) -> dict[str, list[dt.date]]:
    """Per window label: the periods to recompute for measures over one source and date whose
    results over earlier data are stored; the other periods keep their stored figures.

    A period is recomputed when its window holds a month whose records changed (by each
    month's row count and row-hash sum, recorded per table state) or it is new. A window is
    left out (every period computed) when that cannot be shown to equal a full computation:
    a state measure (a change reaches every later period), a changed lookup table, no stored
    result for some measure, no record of the earlier data's months, or periods that are no
    longer in the data."""
    engine, duck, dims, memo = run.engine, run.duck, run.dims, run.memo
    spec = specs[0]
    if not follows(spec):
        return {}
    assert spec.date is not None
    out: dict[str, list[dt.date]] = {}
    changed: set[dt.date] | None = None
    span: Any = None
    for win in wins:
        olds = [earlier.get((s.definition_hash(), win.label)) for s in specs]
        if any(o is None for o in olds):
            continue
        tables = [o[0] for o in olds if o is not None]
        frames = [o[1] for o in olds if o is not None]
        now = {t: memo["hashes"][t] for t in tables_read(spec, dims)}
        if any(
            set(t) != set(now) or any(t[x] != now[x] for x in now if x != spec.source)
            for t in tables
        ):
            continue
        if len({t[spec.source] for t in tables}) != 1:
            continue
        if changed is None:
            before = cache.month_prints(
                duck, spec.source, spec.date, tables[0][spec.source], compute=False
            )
            if before is None:
                return {}
            after = cache.month_prints(duck, spec.source, spec.date, now[spec.source], compute=True)
            assert after is not None
            changed = {
                m
                for m in set(before) | set(after)
                if m is not None and before.get(m) != after.get(m)
            }
            span = data_span(engine, spec, memo["spans"])
        periods = valid_periods(span[0], span[1], win) if span else []
        ends = {p: month_add(p, 1) - dt.timedelta(days=1) for p in periods}
        olds_ends = [set(f["period_end"]) for f in frames]
        if any(not e <= set(ends.values()) or (not e and periods) for e in olds_ends):
            continue
        out[win.label] = [
            p
            for p in periods
            if any(ends[p] not in e for e in olds_ends)
            or any(m in changed for m in window_months(p, win))
        ]
    return out


def merge_periods(
    old: pd.DataFrame, part: pd.DataFrame, redo: Sequence[dt.date], dims: tuple[str, ...]
) -> pd.DataFrame | None:
    """The stored result ``old`` with the periods ``redo`` replaced by their recomputed rows
    ``part``; None when the dimension values differ (a full computation would give every
    period the union's rows, so the kept periods would be incomplete)."""
    if not redo:  # no period's records changed: the stored result is the result
        return old
    for d in dims:
        if set(old[d].dropna()) != set(part[d].dropna()):
            return None
    ends = {month_add(p, 1) - dt.timedelta(days=1) for p in redo}
    keep = old[~old["period_end"].isin(ends)]
    out = pd.concat([keep, part], ignore_index=True) if len(keep) else part
    out = out.sort_values("period_end", kind="stable").reset_index(drop=True)
    out["n"] = out["n"].astype("Int64")
    return out
