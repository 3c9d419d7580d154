"""The engine's aggregated parts -> the tidy result every backend reports the same way: empty
groups of closed dimensions added, parts divided into values, rows ordered (:func:`finish`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from forcepack.measures.dimensions import DIMENSIONS
from forcepack.measures.spec import Kind, MeasureSpec, Window
from forcepack.warehouse.sql import ident

RESULT_COLUMNS = ("value", "numerator", "denominator", "n")


def empty_result(dims: Sequence[str]) -> pd.DataFrame:
    cols: dict[str, Any] = {
        c: pd.Series(dtype=object) for c in ("measure_id", "period_end", "window", *dims)
    }
    cols.update({c: pd.Series(dtype="float64") for c in RESULT_COLUMNS[:3]})
    cols["n"] = pd.Series(dtype="Int64")
    return pd.DataFrame(cols)


def domain_values(
    duck: duckdb.DuckDBPyConnection, dim: str, known: dict[Any, list[Any]]
) -> list[Any] | None:
    """Every value of a closed dimension: its fixed domain, or its reference table's values,
    read once into ``known`` (the memo of this state of the warehouse, see
    :func:`forcepack.measures.state.memo_for`, so a changed warehouse is read again)."""
    d = DIMENSIONS[dim]
    if d.domain is not None:
        return list(d.domain)
    if d.domain_table is not None:
        table, column = d.domain_table
        key = ("domain", table, column)
        if key not in known:
            sql = f"SELECT DISTINCT {ident(column)} FROM {ident(table)} ORDER BY 1"
            known[key] = [r[0] for r in duck.execute(sql).fetchall()]
        return list(known[key])
    return None


def finish(
    raw: pd.DataFrame,
    spec: MeasureSpec,
    win: Window,
    dims: tuple[str, ...],
    periods: Sequence[dt.date],
    duck: duckdb.DuckDBPyConnection,
    sfx: str = "",
    months: np.ndarray | None = None,
    domains: dict[Any, list[Any]] | None = None,
) -> pd.DataFrame:
    """Parts -> the tidy result: empty groups added, values computed, rows ordered.

    ``raw`` holds one row per period and group with the parts of the measure (columns suffixed
    ``sfx`` in a fused result, where ``_rows<sfx>`` > 0 marks the measure's own groups); the
    result has a row for every period × every value of each dimension's domain (sorted), plus
    any group whose dimension value was unknown (null), ordered by period and group. Arrays,
    not records: the input is the engine's aggregated result.
    """
    P = np.asarray(periods, dtype="datetime64[D]")
    rp = period_months(raw) if months is None else months
    mask = np.isin(rp, P)
    if sfx:
        mask &= raw[f"_rows{sfx}"].to_numpy() > 0
    pidx = np.searchsorted(P, rp[mask])
    parts = {
        c: raw[f"{c}{sfx}"].to_numpy(dtype="float64")[mask]
        for c in ("_n", "_num", "_den", "_value")
        if f"{c}{sfx}" in raw
    }
    axes: list[list[Any]] = []
    codes: list[np.ndarray] = []
    unknown = np.zeros(len(pidx), dtype=bool)
    for d in dims:
        vals = raw[d].to_numpy(dtype=object)[mask]
        known = pd.notna(vals)
        present = list(pd.unique(vals[known]))
        dom = domain_values(duck, d, {} if domains is None else domains)
        if dom is not None:
            seen = set(dom)
            present = dom + [v for v in present if v not in seen]
        axis = sorted(present, key=str)
        idx = pd.Index(axis, dtype=object).get_indexer(vals) if axis else np.full(len(vals), -1)
        unknown |= idx < 0
        axes.append(axis)
        codes.append(idx)
    sizes = [len(P), *(len(a) for a in axes)]
    size = int(np.prod(sizes))
    strides = [int(np.prod(sizes[k + 1 :])) for k in range(len(sizes))]
    ok = ~unknown
    flat = pidx[ok] * strides[0]
    for k, c in enumerate(codes):
        flat = flat + c[ok] * strides[k + 1]
    extra = int(unknown.sum())  # groups with an unknown (null) value keep their own rows
    total = size + extra

    def column(name: str, fill: float) -> np.ndarray:
        out = np.full(total, fill, dtype="float64")
        if name in parts:
            v = parts[name]
            out[flat] = v[ok]
            out[size:] = v[unknown]
            if fill == 0.0:
                out = np.nan_to_num(out, nan=0.0)
        return out

    n, num, den = column("_n", 0.0), column("_num", 0.0), column("_den", 0.0)
    ends = ((P.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(object)
    period_col = np.concatenate([np.repeat(ends, strides[0]), ends[pidx[unknown]]])
    out: dict[str, Any] = {"measure_id": spec.id, "period_end": period_col, "window": win.label}
    for i, d in enumerate(dims):
        axis_values = np.empty(len(axes[i]), dtype=object)
        axis_values[:] = axes[i]
        reps = size // strides[i] if strides[i] else 0
        grid = np.tile(np.repeat(axis_values, strides[i + 1]), reps)
        vals = raw[d].to_numpy(dtype=object)[mask][unknown]
        out[d] = np.concatenate([grid, np.where(pd.notna(vals), vals, None)])
    nan = np.full(total, np.nan)
    kind = spec.kind
    if kind is Kind.COUNT:
        value, numerator, denominator = n, n, nan
    elif kind is Kind.SUM:
        value, numerator, denominator = num, num, nan
    elif kind is Kind.MEAN:
        value, numerator, denominator = _ratio(num, n), num, n
    elif kind.is_proportion:
        value, numerator, denominator = _ratio(num, den), num, den
    elif kind is Kind.PER_1000:
        pop = _population(duck, out, dims, total)
        value, numerator, denominator = _ratio(num, pop) * 1000.0, num, pop
    else:  # median, latest
        value, numerator, denominator = column("_value", np.nan), nan, nan
    out["value"] = value
    out["numerator"] = numerator
    out["denominator"] = denominator
    out["n"] = pd.array(n.astype("int64"), dtype="Int64")
    df = pd.DataFrame(out)
    if extra:  # rows of unknown groups go to their place in the order
        df = df.sort_values(["period_end", *dims], key=_sort_key, kind="stable")
        df = df.reset_index(drop=True)
    return df


def period_months(raw: pd.DataFrame) -> np.ndarray:
    """The ``_period`` column as days (the first of each month)."""
    col = raw["_period"]
    if not pd.api.types.is_datetime64_any_dtype(col):
        col = pd.to_datetime(col)
    return np.asarray(col.to_numpy(), dtype="datetime64[D]")


def _sort_key(s: pd.Series) -> pd.Series:
    return s.astype(str) if s.dtype == object and s.name != "period_end" else s


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, null where ``den`` is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def _population(
    duck: duckdb.DuckDBPyConnection, out: dict[str, Any], dims: tuple[str, ...], total: int
) -> np.ndarray:
    """Resident population of each result row's geography (the force's, with no geography)."""
    geo = [d for d in dims if d in ("force", "area", "district")]
    pops = duck.execute(
        "SELECT force, area, district_name AS district, population FROM districts"
    ).df()
    if not geo:  # every district in the warehouse: all its forces together
        return np.full(total, float(pops["population"].sum()))
    grouped = pops.groupby(geo)["population"].sum().astype("float64")
    keys = pd.MultiIndex.from_arrays([out[d] for d in geo]) if len(geo) > 1 else out[geo[0]]
    return grouped.reindex(keys).to_numpy(dtype="float64")
