"""Measure spec -> Ibis expression, for every period of a window at once.

The shape of every query:

1. the source table, joined to the lookups it needs (``districts``, ``call_types`` ...), with
   the derived columns it names, filtered;
2. each record's month (``_month``, the first day of the month of its date column);
3. for a window longer than a month, a join to a small window map ``(_month, _period)`` holding,
   for each reported period, every calendar month in its span. This is a range window over
   calendar months, so a month with no records is simply absent and never shifts the window
   (a row window would). Additive parts (counts and sums) are aggregated by month first and the
   map joins the monthly parts; medians and latest values join the records themselves;
4. a group by ``_period`` and the dimension columns.

State measures (``as_at``) join records to period ends instead: a record counts at each period
end it was open at.

The result holds parts (``_n``, ``_num``, ``_den``) or, for medians and latest values,
``_value``; :mod:`forcepack.measures.compute` turns parts into values so that every backend
divides the same way.

A plan may hold several measures over the same source and date (a *fused* plan): the source is
read once, each measure's filter becomes a ``FILTER (WHERE ...)`` on its own aggregates, whose
columns carry the measure's position as a suffix (``_n__0``, ``_num__1`` ...), and ``_rows__i``
counts the records passing measure ``i``'s filter, so that each measure's groups are exactly
those it would have on its own. Additive parts of the month window can be rolled up into any
longer window without reading the source again (:func:`rollup_expr`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.datatypes as idt
import pandas as pd

from forcepack import calendar
from forcepack.contract.spec import TABLES
from forcepack.measures.dimensions import (
    CRIME_FLAGS,
    DERIVED_BY_NAME,
    DIMENSIONS,
    LOCAL_TZ,
    lookup_columns,
)
from forcepack.measures.spec import (
    Backend,
    Condition,
    Kind,
    MeasureSpec,
    Op,
    Window,
    WindowKind,
)

#: The end of a state that has not ended (later than any period end).
OPEN_END = dt.datetime(2200, 1, 1)

ADDITIVE = (Kind.COUNT, Kind.SUM, Kind.MEAN, Kind.SHARE, Kind.RATE, Kind.PER_1000)


_INSTANT = idt.Timestamp(timezone="UTC")


@ibis.udf.scalar.builtin(name="timezone")
def _duckdb_timezone(tz: str, ts: idt.timestamp) -> _INSTANT:  # type: ignore[valid-type]
    """DuckDB: a local wall-clock timestamp in ``tz`` as an instant."""


@ibis.udf.scalar.builtin(name="to_utc_timestamp")
def _spark_to_utc(ts: idt.timestamp, tz: str) -> idt.timestamp:
    """Spark: a local wall-clock timestamp in ``tz`` as UTC (session time zone UTC)."""


@ibis.udf.scalar.builtin(name="from_utc_timestamp")
def _spark_from_utc(ts: idt.timestamp, tz: str) -> idt.timestamp:
    """Spark: a UTC timestamp as local wall-clock time in ``tz``."""


def _spark_instant(ts: Any) -> Any:
    """Spark's instant of a local time, agreeing with DuckDB's where the clock goes back: an
    hour that happens twice (01:30 on the last Sunday of October) is read as the second, in
    GMT, as DuckDB does; Spark alone would take the first, in BST. A local time an hour later
    in UTC that still reads the same on the local clock is such a time."""
    first = _spark_to_utc(ts, LOCAL_TZ)
    second = first + ibis.interval(hours=1)
    return (_spark_from_utc(second, LOCAL_TZ) == ts).ifelse(second, first)


def to_utc_for(backend: str) -> Callable[[Any], Any]:
    """How local Europe/London timestamps become instants on ``backend``."""
    if backend == Backend.PYSPARK:
        return _spark_instant
    return lambda ts: _duckdb_timezone(LOCAL_TZ, ts)


@dataclass(frozen=True, slots=True)
class Plan:
    """One query: measures over one source and date, in a window, cut by dimensions, for the
    given periods. With one measure the columns are unsuffixed; with several, fused."""

    specs: tuple[MeasureSpec, ...]
    window: Window
    by: tuple[str, ...]
    periods: tuple[dt.date, ...]  # first day of each reported period's final month
    #: Several longer windows read in one query (records joined to their window maps, rows
    #: told apart by a ``_w`` column); ``window`` and ``periods`` are then not used.
    windows: tuple[tuple[Window, tuple[dt.date, ...]], ...] = ()
    #: A lone median over longer windows: count each value per month and sum the counts over
    #: the window (:func:`_median_by_frequency`), not join every record to its window's months.
    by_value: bool = True

    @property
    def spec(self) -> MeasureSpec:
        """The first measure: it names the source, date and state columns all of them share."""
        return self.specs[0]

    @property
    def fused(self) -> bool:
        return len(self.specs) > 1


def fusion_key(spec: MeasureSpec) -> tuple[Any, ...]:
    """Measures with the same key can share one scan of their source."""
    family = "additive" if spec.kind in ADDITIVE else spec.kind.value
    if spec.kind is Kind.LATEST:  # argmax with a filter is not portable: one query each
        family = f"latest:{spec.id}"
    return (spec.source, spec.date, spec.as_at, family)


def suffix(i: int, plan: Plan) -> str:
    return f"__{i}" if plan.fused else ""


# ---------------------------------------------------------------------------------------------
# Calendar


month_add = calendar.add  # the first day of the month n months on
month_range = calendar.span  # the first days of every month from first's to last's
fy_start = calendar.fy_start  # 1 April of the financial year


def window_months(period: dt.date, window: Window) -> list[dt.date]:
    """Calendar months in the window ending with month ``period``."""
    if window.kind is WindowKind.MONTH:
        return [period]
    if window.kind is WindowKind.FYTD:
        return month_range(fy_start(period), period)
    return month_range(month_add(period, -(window.months - 1)), period)


def valid_periods(first: dt.date, last: dt.date, window: Window) -> list[dt.date]:
    """Period months whose whole window lies within the data's span ``first``..``last``."""
    return list(_valid_periods(first, last, window))


@functools.lru_cache(maxsize=1024)
def _valid_periods(first: dt.date, last: dt.date, window: Window) -> tuple[dt.date, ...]:
    return tuple(p for p in month_range(first, last) if window_months(p, window)[0] >= first)


def window_map(periods: Sequence[dt.date], window: Window) -> pd.DataFrame:
    rows = [(m, p) for p in periods for m in window_months(p, window)]
    return pd.DataFrame(rows, columns=["_wm", "_period"])


def period_frame(periods: Sequence[dt.date]) -> pd.DataFrame:
    """Period months with the first instant after each (state measures)."""
    return pd.DataFrame(
        {
            "_period": list(periods),
            "_period_next": [pd.Timestamp(month_add(d, 1)) for d in periods],
        }
    )


@functools.lru_cache(maxsize=256)
def periods_table(periods: tuple[dt.date, ...]) -> tuple[str, pd.DataFrame]:
    """The period ends a state measure joins to, and a name unique to them."""
    tag = hashlib.sha256(",".join(p.isoformat() for p in periods).encode()).hexdigest()[:12]
    return f"{PERIODS_PREFIX}{tag}", period_frame(periods)


#: Name of the period ends a state measure joins to (with a tag unique to the periods).
PERIODS_PREFIX = "_fp_periods_"
#: Name of the window maps of a rollup: ``(_w, _wm, _period)``, window label first (likewise).
WINDOW_MAPS_PREFIX = "_fp_wmaps_"


def helper_name(plan: Plan) -> str | None:
    """The name under which a plan's query reads its helper table when it is compiled to read
    it under its kind's fixed name (:data:`PERIODS_PREFIX`, :data:`WINDOW_MAPS_PREFIX`): the
    same query text then serves every set of periods (see :func:`compile_plan`)."""
    if plan.spec.as_at is not None:
        return PERIODS_PREFIX
    if plan.windows or plan.window.kind is not WindowKind.MONTH:
        return WINDOW_MAPS_PREFIX
    return None


def aux_frames(plan: Plan) -> dict[str, pd.DataFrame]:
    """The helper tables ``plan`` reads, by name (the engine registers them before running
    it): period ends for state measures, the window maps for longer windows, else none."""
    kind = helper_name(plan)
    if kind == PERIODS_PREFIX:
        name, frame = periods_table(plan.periods)
    elif kind == WINDOW_MAPS_PREFIX:
        name, frame = window_maps(_plan_windows(plan))
    else:
        return {}
    return {name: frame}


def _plan_windows(plan: Plan) -> tuple[tuple[Window, tuple[dt.date, ...]], ...]:
    """The longer windows a plan reads (its own window when it has no list)."""
    return plan.windows or ((plan.window, plan.periods),)


# ---------------------------------------------------------------------------------------------
# Tables: unbound Ibis tables named like the warehouse's, typed from the contract

_AUX_SCHEMAS = {
    PERIODS_PREFIX: {"_period": "date", "_period_next": "timestamp"},
    WINDOW_MAPS_PREFIX: {"_w": "string", "_wm": "date", "_period": "date"},
}


def table(name: str) -> Any:
    """An unbound Ibis table: a contract table, or a helper table of a plan."""
    for prefix, schema in _AUX_SCHEMAS.items():
        if name.startswith(prefix):
            return ibis.table(schema, name=name)
    spec = TABLES[name]
    return ibis.table({c.name: c.type.ibis for c in spec.columns}, name=name)


# ---------------------------------------------------------------------------------------------
# Source, lookups, derived columns, filters


def _needed_columns(specs: Sequence[MeasureSpec], by: Sequence[str]) -> set[str]:
    names = {c for spec in specs for c in spec.columns_used}
    for d in by:
        dim = DIMENSIONS[d]
        names.update(CRIME_FLAGS if dim.column is None else (dim.column,))
    pending = list(names)
    while pending:  # derived columns need other columns
        derived = DERIVED_BY_NAME.get(pending.pop())
        if derived is not None:
            for n in derived.needs:
                if n not in names:
                    names.add(n)
                    pending.append(n)
    return names


def condition(t: Any, c: Condition) -> Any:
    col = t[c.column]
    v = c.value
    match c.op:
        case Op.IS_NULL:
            return col.isnull() if v else col.notnull()
        case Op.EQ if isinstance(v, bool):  # `x = TRUE` trips Spark's parser after IN (...)
            return col if v else ~col
        case Op.EQ:
            return col == v
        case Op.NOT:  # a null is not equal to the value: it passes
            return (col != v) | col.isnull()
        case Op.IN:
            return col.isin(list(v))
        case Op.NOT_IN:
            return ~col.isin(list(v)) | col.isnull()
        case Op.GT:
            return col > v
        case Op.GE:
            return col >= v
        case Op.LT:
            return col < v
        case Op.LE:
            return col <= v


def conjunction(t: Any, conds: Sequence[Condition]) -> Any:
    pred = ibis.literal(True)
    for c in conds:
        pred = pred & condition(t, c)
    return pred


def source(
    specs: MeasureSpec | Sequence[MeasureSpec],
    by: Sequence[str],
    backend: str,
    periods: Sequence[dt.date] = (),
    *,
    fixed: bool = False,
) -> Any:
    """The records of ``specs`` (one source and date) with a ``_month`` (or, for state
    measures, ``_period``) column and every column the measures and dimensions use. One
    measure: filtered by its filter. Several: the records passing any of their filters.
    ``fixed``: a state measure reads its period ends under :data:`PERIODS_PREFIX`."""
    specs = (specs,) if isinstance(specs, MeasureSpec) else tuple(specs)
    spec = specs[0]
    needed = _needed_columns(specs, by)
    t = table(spec.source)
    lookups: dict[str, list[tuple[str, str]]] = {}
    for name, (lk, ref_col) in lookup_columns(spec.source).items():
        if name in needed:
            lookups.setdefault(lk.table, []).append((name, ref_col))
    for table_name, cols in lookups.items():
        lk = next(lk for lk, _ in lookup_columns(spec.source).values() if lk.table == table_name)
        r = table(table_name)
        r = r.select(_k=r[lk.key], **{name: r[ref] for name, ref in cols})
        t = t.left_join(r, t[lk.key] == r["_k"]).drop("_k")
    if spec.as_at is not None:
        p = table(PERIODS_PREFIX if fixed else periods_table(tuple(periods))[0])
        start = t[spec.as_at.start].cast("timestamp")
        end = t[spec.as_at.end].cast("timestamp")
        # still open (no end) counts as ending after every period: two plain inequalities,
        # which the engines join by sorting (an OR in the condition would compare every pair)
        end = end.fill_null(ibis.literal(OPEN_END, type="timestamp"))
        t = t.join(p, [start < p["_period_next"], end >= p["_period_next"]])
    else:
        assert spec.date is not None
        t = t.mutate(_month=t[spec.date].cast("date").truncate("M"))
    ctx = {"to_utc": to_utc_for(backend)}
    for name, d in DERIVED_BY_NAME.items():
        if name in needed and name not in t.columns:
            t = t.mutate(**{name: d.build(t, ctx)})
    if len(specs) == 1:
        return t.filter(conjunction(t, spec.filter))
    if any(not s.filter for s in specs):  # one measure reads every record
        return t
    pred = ibis.literal(False)
    for s in specs:
        pred = pred | conjunction(t, s.filter)
    return t.filter(pred)


def _unpivot_flags(t: Any, keep: list[str]) -> Any:
    parts = [
        t.filter(t[f].fill_null(False)).select(*keep, crime_flag=ibis.literal(f))
        for f in CRIME_FLAGS
    ]
    out = parts[0]
    for p in parts[1:]:
        out = out.union(p)  # distinct=False: each (crime, flag) pair once
    return out


# ---------------------------------------------------------------------------------------------
# The query


#: The type floating-point values are summed in (exact, so the sum does not depend on order).
EXACT_SUM = "decimal(38, 9)"


def exact_sum(val: Any, where: Any = None) -> Any:
    """``val.sum(where=...)``; a floating-point column is summed exactly (to 1e-9) and rounded
    once, because a sum of doubles depends on the order the engine adds them in, which
    parallel aggregation does not fix: the same records then always give the same figure to
    the last bit."""
    if not val.type().is_floating():
        return val.sum(where=where)
    return val.cast(EXACT_SUM).sum(where=where).cast("float64")


def _parts(t: Any, spec: MeasureSpec, sfx: str, fused: bool) -> dict[str, Any]:
    """Aggregates of one measure in one group: additive parts, or a value for medians and
    latest values. In a fused plan each aggregate is filtered by the measure's own filter."""
    kind, has_column = spec.kind, spec.column is not None
    f = t[f"_f{sfx}"] if fused else None
    val = t[f"_val{sfx}"] if has_column else None

    def both(a: Any, b: Any) -> Any:
        return b if a is None else a & b

    out: dict[str, Any] = {}
    if fused:
        out[f"_rows{sfx}"] = t.count(where=f)
    if kind is Kind.COUNT:
        out[f"_n{sfx}"] = t.count(where=f)
    elif kind in (Kind.SUM, Kind.PER_1000):
        n = t.count(where=f)
        out[f"_n{sfx}"] = n
        out[f"_num{sfx}"] = exact_sum(val, f) if val is not None else n
    elif kind is Kind.MEAN:
        assert val is not None
        out[f"_n{sfx}"] = val.count(where=f)
        out[f"_num{sfx}"] = exact_sum(val, f)
    elif kind.is_proportion:
        den = both(f, t[f"_in_den{sfx}"])
        num = den & t[f"_in_num{sfx}"]
        out[f"_n{sfx}"] = t.count(where=den)
        if val is not None:
            out[f"_num{sfx}"] = exact_sum(val, num)
            out[f"_den{sfx}"] = exact_sum(val, den)
        else:
            out[f"_num{sfx}"] = t.count(where=num)
            out[f"_den{sfx}"] = t.count(where=den)
    elif kind is Kind.MEDIAN:  # fused: the value is already null outside the filter
        assert val is not None
        out[f"_n{sfx}"] = val.count()
        out[f"_value{sfx}"] = val.median()
    elif kind is Kind.LATEST:
        assert val is not None and not fused
        out["_n"] = t.count()
        out["_value"] = val.argmax(t._date)
    else:
        raise AssertionError(kind)
    return out


def compile_plan(plan: Plan, backend: str, *, fixed: bool = False) -> Any:
    """The Ibis expression of ``plan``: one row per period and dimension group.

    The periods enter the query only through its helper table (the period ends or window
    maps of :func:`aux_frames`), read under a name unique to them; with ``fixed``, under its
    kind's fixed name (:func:`helper_name`), so one query text serves every set of periods and
    the engine shows it the right table under that name before running it."""
    window, by = plan.window, list(plan.by)
    spec = plan.spec
    t = source(plan.specs, by, backend, plan.periods, fixed=fixed)
    time_col = "_period" if spec.as_at is not None else "_month"
    dim_cols = {d: DIMENSIONS[d].column for d in by}
    sel: dict[str, Any] = {time_col: t[time_col]}
    for d, c in dim_cols.items():
        if c is not None:
            sel[d] = t[c]
    for i, s in enumerate(plan.specs):
        sfx = suffix(i, plan)
        if plan.fused:
            sel[f"_f{sfx}"] = conjunction(t, s.filter)
        if s.column is not None:
            val = t[s.column]
            # a stored NaN is no measurement: missing, like a null (derived columns are
            # computed from timestamps and never NaN, and cost too much to compute twice)
            if val.type().is_floating() and s.column not in DERIVED_BY_NAME:
                val = ibis.ifelse(val.isnan(), None, val)
            if plan.fused and s.kind is Kind.MEDIAN:  # Spark: a filtered median does not compile
                val = ibis.ifelse(conjunction(t, s.filter), val, None)
            sel[f"_val{sfx}"] = val
        if s.kind.is_proportion:
            sel[f"_in_num{sfx}"] = conjunction(t, s.numerator)
            sel[f"_in_den{sfx}"] = conjunction(t, s.denominator)
    if spec.kind is Kind.LATEST:
        sel["_date"] = t[spec.date]
    if "crime_flag" in by:
        flags = {f: t[f] for f in CRIME_FLAGS}
        t = _unpivot_flags(t.select(**sel, **flags), list(sel))
    else:
        t = t.select(**sel)

    def aggregates(t: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, s in enumerate(plan.specs):
            out.update(_parts(t, s, suffix(i, plan), plan.fused))
        return out

    if spec.as_at is not None or (window.kind is WindowKind.MONTH and not plan.windows):
        t = t.rename(_period=time_col) if time_col != "_period" else t
        return t.group_by(["_period", *by]).aggregate(**aggregates(t))
    wmap = table(WINDOW_MAPS_PREFIX if fixed else window_maps(_plan_windows(plan))[0])
    if spec.kind is Kind.MEDIAN and not plan.fused and plan.by_value:
        return _median_by_frequency(t, wmap, ["_w"] if plan.windows else [], by)
    if plan.windows:  # medians and latest values of several windows: one read of the records
        j = t.join(wmap, t._month == wmap._wm)
        return j.group_by(["_w", "_period", *by]).aggregate(**aggregates(j))
    if all(s.kind in ADDITIVE for s in plan.specs):
        monthly = t.group_by(["_month", *by]).aggregate(**aggregates(t))
        names = [c for c in monthly.columns if c.startswith("_") and c != "_month"]
        j = monthly.join(wmap, monthly._month == wmap._wm)
        return j.group_by(["_period", *by]).aggregate(**{n: exact_sum(j[n]) for n in names})
    j = t.join(wmap, t._month == wmap._wm)
    return j.group_by(["_period", *by]).aggregate(**aggregates(j))


def _median_by_frequency(t: Any, wmap: Any, window: list[str], by: Sequence[str]) -> Any:
    """The exact median of ``_val`` over each period of a longer window, from how often each
    value occurs in each month rather than from the records themselves.

    Joining every record to the months of each window holds twelve copies of a record for a
    rolling 12 months, which an engine cannot spill for a median (at 43 forces, 2.3 billion
    call values). Counted by month and value first, a value's count is summed over the window's
    months, and the median is read from the running counts in value order: the values at
    positions ``(n + 1) // 2`` and ``n // 2 + 1`` (1-based; the same one when ``n`` is odd),
    interpolated as the engine's own median is (``lo + (hi - lo) * 0.5``, DuckDB's
    ``quantile_cont``). The same figure as the records' median; as small as the distinct
    values (timings to the second: a few thousand per month and group)."""
    keys = [*window, "_period", *by]
    freq = t.group_by(["_month", *by, "_val"]).aggregate(_c=t.count())
    j = freq.join(wmap, freq._month == wmap._wm)
    g = j.group_by([*keys, "_val"]).aggregate(_c=j._c.sum())
    counted = ibis.ifelse(g._val.isnull(), 0, g._c)  # a missing value is no measurement
    g = g.mutate(
        _cum=counted.sum().over(ibis.cumulative_window(group_by=keys, order_by=g._val)),
        _tot=counted.sum().over(ibis.window(group_by=keys)),
        _nn=counted,
    )
    lo_at, hi_at = (g._tot + 1) // 2, g._tot // 2 + 1
    first = g._cum - g._nn  # the positions before this value's
    value = g._val.cast("float64")
    r = g.group_by(keys).aggregate(
        _n=g._nn.sum(),
        _lo=value.min(where=g._val.notnull() & (first < lo_at) & (g._cum >= lo_at)),
        _hi=value.min(where=g._val.notnull() & (first < hi_at) & (g._cum >= hi_at)),
    )
    return r.select(*keys, "_n", _value=r._lo + (r._hi - r._lo) * 0.5)


#: Name of the monthly parts table a rollup reads (registered by the engine before it runs).
PARTS_TABLE = "_fp_parts"


def window_maps(windows: Sequence[tuple[Window, Sequence[dt.date]]]) -> tuple[str, pd.DataFrame]:
    """The window maps of several windows in one table (``_w`` = window label), and a name
    unique to its contents."""
    return _window_maps(tuple((w, tuple(periods)) for w, periods in windows))


@functools.lru_cache(maxsize=256)
def _window_maps(
    windows: tuple[tuple[Window, tuple[dt.date, ...]], ...],
) -> tuple[str, pd.DataFrame]:
    frames = [window_map(periods, w).assign(_w=w.label) for w, periods in windows]
    df = pd.concat(frames, ignore_index=True)[["_w", "_wm", "_period"]]
    tag = hashlib.sha256(
        "|".join(f"{w.label}:{','.join(p.isoformat() for p in ps)}" for w, ps in windows).encode()
    ).hexdigest()[:12]
    return WINDOW_MAPS_PREFIX + tag, df


def rollup_expr(columns: dict[str, str], by: Sequence[str], maps: str) -> Any:
    """Additive monthly parts (``_month``, ``by``, numeric ``columns``: name -> Ibis type)
    summed over each period of each window in the window maps ``maps``: the same figures as
    reading the source in those windows, from the month window's small result."""
    schema = {"_month": "date", **{d: "string" for d in by}, **columns}
    parts = ibis.table(schema, name=PARTS_TABLE)
    wmap = table(maps)
    j = parts.join(wmap, parts._month == wmap._wm)
    return j.group_by(["_w", "_period", *by]).aggregate(**{n: exact_sum(j[n]) for n in columns})


def span_expr(spec: MeasureSpec) -> Any:
    """First and last date of the measure's source data (unfiltered): columns lo, hi."""
    t = table(spec.source)
    if spec.as_at is not None:
        start = t[spec.as_at.start].cast("date")
        end = t[spec.as_at.end].cast("date")
        return t.aggregate(lo=start.min(), hi=ibis.greatest(start.max(), end.max()))
    assert spec.date is not None
    d = t[spec.date].cast("date")
    return t.aggregate(lo=d.min(), hi=d.max())


def span_months(row: pd.Series) -> tuple[dt.date, dt.date] | None:
    """The span query's row as first days of months, or None when the source is empty."""
    if pd.isna(row["lo"]):
        return None
    hi = row["hi"] if not pd.isna(row["hi"]) else row["lo"]
    lo, hi = pd.Timestamp(row["lo"]).date(), pd.Timestamp(hi).date()
    return lo.replace(day=1), hi.replace(day=1)
