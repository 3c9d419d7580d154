"""The public entry point: ``compute(ids, months=..., window=..., by=..., backend=...)``.

Each measure × window × cut is one engine query for every period at once; the small aggregated
result is then completed here (empty groups of closed dimensions added, parts divided into
values) so that every backend reports the same figures the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from forcepack.errors import InputError, WarehouseError
from forcepack.measures import cache
from forcepack.measures.compiler import Plan, month_add, valid_periods
from forcepack.measures.dimensions import DIMENSIONS, lookup_columns
from forcepack.measures.engine import DuckDBEngine
from forcepack.measures.spec import Kind, MeasureSpec, Window, load_catalogue

BACKENDS = ("duckdb", "pyspark")
RESULT_COLUMNS = ("value", "numerator", "denominator", "n")


@functools.cache
def catalogue() -> dict[str, MeasureSpec]:
    """The validated catalogue: measure id -> spec, in id order."""
    return dict(sorted(load_catalogue().items()))


def get(measure_id: str) -> MeasureSpec:
    """The spec of one measure; an unknown id is an input error listing close matches."""
    specs = catalogue()
    if measure_id in specs:
        return specs[measure_id]
    prefix = measure_id.split(".")[0]
    close = [m for m in specs if m.startswith(prefix)] or list(specs)
    raise InputError(
        f'measure "{measure_id}" is not in the catalogue; known ids include: '
        + ", ".join(close[:12]),
        hint="`forcepack measures list` shows them all",
    )


def parse_months(months: Any) -> list[dt.date] | None:
    """``YYYY-MM`` strings or dates -> first days of months (None stays None: every month)."""
    if months is None:
        return None
    if isinstance(months, str | dt.date):
        months = [months]
    out = []
    for m in months:
        if isinstance(m, dt.date):
            out.append(dt.date(m.year, m.month, 1))
            continue
        try:
            d = dt.datetime.strptime(str(m).strip(), "%Y-%m")
        except ValueError:
            raise InputError(
                f'month "{m}" is not a month; give it as YYYY-MM, e.g. 2019-12'
            ) from None
        out.append(d.date())
    return sorted(set(out))


def tables_read(spec: MeasureSpec, by: Sequence[str]) -> list[str]:
    """The source table and every lookup table the measure may join."""
    return [spec.source, *sorted({lk.table for lk, _ in lookup_columns(spec.source).values()})]


def _resolve(ids: Any, by: Sequence[str]) -> list[MeasureSpec]:
    if ids is None:  # the whole catalogue: only the measures that support the cut
        return [s for s in catalogue().values() if set(by) <= set(s.dimensions)]
    items = [ids] if isinstance(ids, str | MeasureSpec) else list(ids)
    specs = [i if isinstance(i, MeasureSpec) else get(i) for i in items]
    for s in specs:
        bad = [d for d in by if d not in s.dimensions]
        if bad:
            raise InputError(
                f"measure {s.id} cannot be cut by {', '.join(bad)}; it supports: "
                f"{', '.join(s.dimensions) or 'no dimensions (force level only)'}"
            )
    return specs


def compute(
    ids: str | Iterable[str] | None = None,
    *,
    db: str | Path | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    months: Any = None,
    window: str | Window = "month",
    by: str | Sequence[str] = (),
    backend: str = "duckdb",
    cache_results: bool | None = None,
    compare: bool = False,
) -> pd.DataFrame:
    """Compute measures for every period (or the given ``months``) as one tidy table.

    With ``compare``, each row also carries the value of the same window ending one month
    earlier (``value_previous_month``), three months earlier (``value_3_months_earlier``) and
    twelve months earlier (``value_last_year``), null where that period is not in the data.

    Columns: ``measure_id, period_end, window, <one per dimension in by>, value, numerator,
    denominator, n``. ``period_end`` is the last day of the window's final month. Shares and
    rates are fractions, medians minutes, counts numbers; a zero denominator gives a null value.
    ``ids`` are catalogue ids (None: every measure that supports ``by``) or specs made with
    :func:`forcepack.measures.spec.parse_measure`.

    Stored results: by default (``cache_results=None``) results stored in the warehouse are
    read, and new ones are stored when ``con`` is a writable connection; with ``db`` the file is
    opened read-only, so other readers are never locked out. ``True`` also reopens the ``db``
    file for writing to store them (skipped if another process holds it); ``False`` neither
    reads nor stores.
    """
    from forcepack.settings import default_db
    from forcepack.warehouse.core import connect

    win = Window.parse(window)
    dims = (by,) if isinstance(by, str) else tuple(by)
    for d in dims:
        if d not in DIMENSIONS:
            raise InputError(f'dimension "{d}" is not one of {", ".join(DIMENSIONS)}')
    if len(set(dims)) != len(dims):
        raise InputError(f"dimension repeated in by={dims}")
    if backend not in BACKENDS:
        raise InputError(f'backend "{backend}" is not one of {", ".join(BACKENDS)}')
    wanted = parse_months(months)
    specs = _resolve(ids, dims)
    path = None if con is not None else Path(db) if db is not None else default_db()
    own = con is None
    duck = connect(path, read_only=True) if own else con  # type: ignore[arg-type]
    assert duck is not None
    pending: list[tuple[str, MeasureSpec, str, pd.DataFrame]] = []
    frames = []
    engine = None
    _DOMAINS.clear()
    try:
        _check_tables(duck, specs)
        engine = _engine(duck, backend, specs)
        memo = _hash_memo(path)
        for spec in specs:
            use = cache_results is not False
            data = cache.table_hash(duck, tables_read(spec, dims), memo) if use else ""
            k = cache.key(spec.definition_hash(), data, win.label, dims, backend)
            df = cache.read(duck, k, dims) if use else None
            if df is None:
                df = _compute_one(engine, duck, spec, win, dims, data)
                pending.append((k, spec, data, df))
            frames.append(df)
        if cache_results is not False and pending and not own:
            for k, spec, data, df in pending:
                cache.write(duck, k, spec.id, spec.definition_hash(), data, dims, df)
    finally:
        if engine is not None:
            engine.close()
        if own:
            duck.close()
    if cache_results is True and pending and own and path is not None:
        _store(path, pending, dims)
    frames = [f for f in frames if len(f)]
    out = _empty(dims) if not frames else pd.concat(frames, ignore_index=True)
    if compare:
        out = with_comparisons(out, dims)
    if wanted is not None:
        ends = {month_add(m, 1) - dt.timedelta(days=1) for m in wanted}
        out = out[out["period_end"].isin(ends)].reset_index(drop=True)
    return out


#: Comparison columns added by ``compute(..., compare=True)``: name -> months earlier.
COMPARISONS = {"value_previous_month": 1, "value_3_months_earlier": 3, "value_last_year": 12}


def with_comparisons(out: pd.DataFrame, dims: Sequence[str]) -> pd.DataFrame:
    """Add the value of the same measure, window and group ``k`` months earlier, for each
    comparison in :data:`COMPARISONS` (a join on the aggregated results, not a scan)."""
    keys = ["measure_id", "window", *dims, "period_end"]
    out = out.copy()
    for column, months_back in COMPARISONS.items():
        earlier = out[[*keys, "value"]].rename(columns={"value": column})
        earlier["period_end"] = [
            month_add(dt.date(d.year, d.month, 1), months_back + 1) - dt.timedelta(days=1)
            for d in earlier["period_end"]
        ]
        out = out.merge(earlier, on=keys, how="left")
    return out


def _store(
    path: Path, pending: list[tuple[str, MeasureSpec, str, pd.DataFrame]], dims: tuple[str, ...]
) -> None:
    """Write new results back; skipped quietly when another process holds the warehouse."""
    try:
        rw = duckdb.connect(str(path))
    except duckdb.Error:
        return
    try:
        for k, spec, data, df in pending:
            cache.write(rw, k, spec.id, spec.definition_hash(), data, dims, df)
    finally:
        rw.close()


def _check_tables(duck: duckdb.DuckDBPyConnection, specs: Sequence[MeasureSpec]) -> None:
    present = {r[0] for r in duck.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    for s in specs:
        if s.source not in present:
            raise WarehouseError(
                f"measure {s.id} reads table {s.source}, which this warehouse does not have",
                hint="build it first (for derived tables, run "
                "the command that builds them), or recreate the warehouse",
            )


def _empty(dims: Sequence[str]) -> pd.DataFrame:
    cols: dict[str, Any] = {
        c: pd.Series(dtype=object) for c in ("measure_id", "period_end", "window", *dims)
    }
    cols.update({c: pd.Series(dtype="float64") for c in RESULT_COLUMNS[:3]})
    cols["n"] = pd.Series(dtype="Int64")
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------------------------
# Backends


def _engine(duck: duckdb.DuckDBPyConnection, backend: str, specs: Sequence[MeasureSpec]) -> Any:
    if backend == "duckdb":
        return DuckDBEngine(duck)
    from forcepack.measures.spark import spark_engine

    tables = sorted({t for s in specs for t in tables_read(s, ())})
    return spark_engine(duck, tables)


# ---------------------------------------------------------------------------------------------
# One measure


_SPANS: dict[tuple[str, ...], Any] = {}
_HASHES: dict[tuple[Any, ...], dict[str, str]] = {}


def _hash_memo(path: Path | None) -> dict[str, str]:
    """Table hashes already computed for this warehouse file as it is now (same size and
    modification time of the file and its write-ahead log); a fresh dict for a connection."""
    if path is None:
        return {}
    sig: list[Any] = [str(path.resolve())]
    for p in (path, path.with_name(path.name + ".wal")):
        st = p.stat() if p.exists() else None
        sig += [st.st_mtime_ns, st.st_size] if st else [None, None]
    if len(_HASHES) > 64:
        _HASHES.clear()
    return _HASHES.setdefault(tuple(sig), {})


def _span(engine: Any, spec: MeasureSpec, data: str) -> Any:
    """The data span of a measure's source, remembered while the data are unchanged (for the
    rest of this computation when the data were not hashed)."""
    if not data:
        k0 = (spec.source, str(spec.date), str(spec.as_at))
        memo = engine.__dict__.setdefault("_spans", {})
        if k0 not in memo:
            memo[k0] = engine.span(spec)
        return memo[k0]
    k = (engine.backend, data, spec.source, str(spec.date), str(spec.as_at))
    if k not in _SPANS:
        if len(_SPANS) > 1024:
            _SPANS.clear()
        _SPANS[k] = engine.span(spec)
    return _SPANS[k]


def _compute_one(
    engine: Any,
    duck: duckdb.DuckDBPyConnection,
    spec: MeasureSpec,
    win: Window,
    dims: tuple[str, ...],
    data: str,
) -> pd.DataFrame:
    span = _span(engine, spec, data)
    if span is None:
        return _empty(dims)
    periods = valid_periods(span[0], span[1], win)
    if not periods:
        return _empty(dims)
    plan = Plan(spec, win, dims, tuple(periods))
    raw = engine.run(plan)
    return finish(raw, spec, win, dims, periods, duck)


def _domain(duck: duckdb.DuckDBPyConnection, dim: str) -> list[Any] | None:
    d = DIMENSIONS[dim]
    if d.domain is not None:
        return list(d.domain)
    if d.domain_table is not None:
        table, column = d.domain_table
        key = (id(duck), table, column)
        if key not in _DOMAINS:  # reference tables: read once per computation
            sql = f"SELECT DISTINCT {column} FROM {table} ORDER BY 1"
            _DOMAINS[key] = [r[0] for r in duck.execute(sql).fetchall()]
        return list(_DOMAINS[key])
    return None


_DOMAINS: dict[tuple[Any, ...], list[Any]] = {}


def finish(
    raw: pd.DataFrame,
    spec: MeasureSpec,
    win: Window,
    dims: tuple[str, ...],
    periods: Sequence[dt.date],
    duck: duckdb.DuckDBPyConnection,
) -> pd.DataFrame:
    """Parts -> the tidy result: empty groups added, values computed, rows ordered."""
    raw = raw.copy()
    raw["_period"] = pd.to_datetime(raw["_period"]).dt.date
    axes: list[list[Any]] = [list(periods)]
    for d in dims:
        dom = _domain(duck, d)
        present = [v for v in raw[d].dropna().unique().tolist()]
        axes.append(
            dom + [v for v in present if v not in dom]
            if dom is not None
            else sorted(present, key=str)
        )
    if all(axes[1:]):
        grid = pd.MultiIndex.from_product(axes, names=["_period", *dims]).to_frame(index=False)
        keep = raw[raw["_period"].isin(set(periods))]
        if any(raw[d].isna().any() for d in dims):  # unknown lookup value: keep its own row
            extra = keep[keep[list(dims)].isna().any(axis=1)]
            grid = pd.concat([grid, extra[["_period", *dims]]], ignore_index=True)
        raw = grid.merge(keep, how="left", on=["_period", *dims])
    for c in ("_n", "_num", "_den"):
        if c in raw:
            raw[c] = raw[c].astype("float64")
    n = raw["_n"].fillna(0)
    num = raw["_num"].fillna(0) if "_num" in raw else None
    den = raw["_den"].fillna(0) if "_den" in raw else None
    out = pd.DataFrame(
        {
            "measure_id": spec.id,
            "period_end": [month_add(p, 1) - dt.timedelta(days=1) for p in raw["_period"]],
            "window": win.label,
        }
    )
    for d in dims:
        out[d] = raw[d].astype(object).where(raw[d].notna(), None)
    nan = np.nan
    k = spec.kind
    if k is Kind.COUNT:
        value, numerator, denominator = n, n, pd.Series(nan, index=raw.index)
    elif k is Kind.SUM:
        value, numerator, denominator = num, num, pd.Series(nan, index=raw.index)
    elif k is Kind.MEAN:
        value, numerator, denominator = _ratio(num, n), num, n
    elif k in (Kind.SHARE, Kind.RATE):
        value, numerator, denominator = _ratio(num, den), num, den
    elif k is Kind.PER_1000:
        pop = _population(duck, raw, dims)
        value, numerator, denominator = _ratio(num, pop) * 1000.0, num, pop
    else:  # median, latest
        value = raw["_value"].astype("float64")
        numerator = denominator = pd.Series(nan, index=raw.index)
    out["value"] = np.asarray(value, dtype="float64")
    out["numerator"] = np.asarray(numerator, dtype="float64")
    out["denominator"] = np.asarray(denominator, dtype="float64")
    out["n"] = pd.array(np.asarray(n, dtype="int64"), dtype="Int64")
    return out.sort_values(["period_end", *dims], key=_sort_key).reset_index(drop=True)


def _sort_key(s: pd.Series) -> pd.Series:
    return s.astype(str) if s.dtype == object and s.name != "period_end" else s


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype("float64")
    return (num.astype("float64") / den.where(den != 0)).astype("float64")


def _population(
    duck: duckdb.DuckDBPyConnection, raw: pd.DataFrame, dims: tuple[str, ...]
) -> pd.Series:
    geo = [d for d in dims if d in ("area", "district")]
    pops = duck.execute("SELECT area, district_name AS district, population FROM districts").df()
    if not geo:
        return pd.Series(float(pops["population"].sum()), index=raw.index)
    grouped = pops.groupby(geo, as_index=False)["population"].sum()
    merged = raw[geo].merge(grouped, how="left", on=geo)
    return pd.Series(merged["population"].astype("float64").to_numpy(), index=raw.index)
