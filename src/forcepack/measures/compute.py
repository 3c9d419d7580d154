"""The public entry point: ``compute(ids, months=..., window=..., by=..., backend=...)``.

Measures over the same source and date are one engine query for every period and window at
once (see :func:`_compute_group`); the small aggregated result is then completed by
:func:`forcepack.measures.result.finish` (empty groups of closed dimensions added, parts
divided into values) so that every backend reports the same figures the same way. What is
known of the warehouse's state lives in :mod:`forcepack.measures.state`, incremental refresh
in :mod:`forcepack.measures.incremental`; the backend is chosen in :func:`backend_engine`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from forcepack import calendar
from forcepack.errors import InputError
from forcepack.measures import cache
from forcepack.measures.compiler import ADDITIVE, Plan, fusion_key, month_add, valid_periods
from forcepack.measures.dimensions import DIMENSIONS
from forcepack.measures.engine import Rollup, duckdb_engine
from forcepack.measures.incremental import earlier_results, follows, periods_to_redo
from forcepack.measures.incremental import merge_periods as _merge
from forcepack.measures.result import (
    RESULT_COLUMNS,
    empty_result,
    finish,
    period_months,
)
from forcepack.measures.spec import (
    Backend,
    Kind,
    MeasureSpec,
    Op,
    Window,
    WindowKind,
    catalogue,
    get,
)
from forcepack.measures.state import (
    Run,
    alias_state,
    check_fresh,
    check_tables,
    data_identity,
    data_span,
    memo_for,
    tables_read,
    writable,
)
from forcepack.warehouse.core import engine_settings, open_duckdb
from forcepack.warehouse.sql import ident

#: Kept importable from here (``forcepack.measures.compute``) for the modules that use them.
_memo, _alias = memo_for, alias_state
__all__ = [
    "BACKENDS",
    "COMPARISONS",
    "RESULT_COLUMNS",
    "Backend",
    "backend_engine",
    "catalogue",
    "compute",
    "data_identity",
    "finish",
    "fuse",
    "get",
    "parse_months",
    "tables_read",
    "with_comparisons",
]

BACKENDS = tuple(Backend)


def parse_months(months: Any) -> list[dt.date] | None:
    """``YYYY-MM`` strings or dates -> first days of months (None stays None: every month)."""
    if months is None:
        return None
    if isinstance(months, str | dt.date):
        months = [months]
    return sorted({calendar.parse(m).first for m in months})


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


def _windows(window: str | Window | Sequence[str | Window]) -> list[Window]:
    items = [window] if isinstance(window, str | Window) else list(window)
    if not items:
        raise InputError("no window given: give month, rolling12, rolling:N or fytd")
    out: dict[str, Window] = {}
    for w in items:
        parsed = Window.parse(w)
        out.setdefault(parsed.label, parsed)
    return list(out.values())


def compute(
    ids: str | Iterable[str] | None = None,
    *,
    db: str | Path | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    months: Any = None,
    window: str | Window | Sequence[str | Window] = "month",
    by: str | Sequence[str] = (),
    backend: Backend | str = Backend.DUCKDB,
    cache_results: bool | None = None,
    compare: bool = False,
    incremental: bool = False,
    parquet: Sequence[str | Path] = (),
) -> pd.DataFrame:
    """Compute measures for every period (or the given ``months``) as one tidy table.

    ``window`` is one window or a list of them (``["month", "rolling12", "fytd"]``): the
    ``window`` column tells the rows apart, and additive measures read their source once for
    all the windows (longer windows are summed from the month's parts).

    With ``compare``, each row also carries the value of the same window ending one month
    earlier (``value_previous_month``), three months earlier (``value_3_months_earlier``) and
    twelve months earlier (``value_last_year``), null where that period is not in the data.

    Columns: ``measure_id, period_end, window, <one per dimension in by>, value, numerator,
    denominator, n``. ``period_end`` is the last day of the window's final month. Shares and
    rates are fractions, medians minutes, counts numbers; a zero denominator gives a null value.
    ``ids`` are catalogue ids (None: every measure that supports ``by``) or specs made with
    :func:`forcepack.measures.spec.parse_measure`. Measures over the same source and date are
    computed together, one scan of the source for all of them.

    Stored results: by default (``cache_results=None``) results stored in the warehouse are
    read, and new ones are stored when ``con`` is a writable connection; with ``db`` the file is
    opened read-only, so other readers are never locked out. ``True`` also reopens the ``db``
    file for writing to store them (skipped if another process holds it); ``False`` neither
    reads nor stores.

    With ``incremental`` on a writable connection (``forcepack measures refresh
    --incremental``): a result stored with ``incremental`` for the same measure, window and
    cut over the previous data is reused for every period whose window holds no changed month,
    and only the other periods are recomputed (see :func:`periods_to_redo`). It gives the same
    figures, but recording each month's rows costs more than it saves on the demo force, so it
    is off by default.

    With ``parquet`` folders (``backend="pyspark"`` only), Spark reads the tables from their
    Parquet files there (:func:`forcepack.measures.spark.spark_engine`) instead of copying
    them from the warehouse, which still gives the dimensions' domains and the freshness of
    derived tables; results are then neither read from nor stored in the warehouse.
    """
    from forcepack.settings import default_db
    from forcepack.warehouse.core import connect

    wins = _windows(window)
    dims = (by,) if isinstance(by, str) else tuple(by)
    for d in dims:
        if d not in DIMENSIONS:
            raise InputError(f'dimension "{d}" is not one of {", ".join(DIMENSIONS)}')
    if len(set(dims)) != len(dims):
        raise InputError(f"dimension repeated in by={dims}")
    if backend not in BACKENDS:
        raise InputError(f'backend "{backend}" is not one of {", ".join(BACKENDS)}')
    backend = Backend(backend)
    if parquet and backend is not Backend.PYSPARK:
        raise InputError("Parquet folders are read by the pyspark backend: give --backend pyspark")
    wanted = parse_months(months)
    specs = _resolve(ids, dims)
    path = None if con is not None else Path(db) if db is not None else default_db()
    own = con is None
    duck = connect(path, read_only=True) if own else con  # type: ignore[arg-type]
    assert duck is not None
    use = cache_results is not False and not parquet  # stored results are the warehouse's
    found: dict[tuple[int, str], pd.DataFrame] = {}
    pending: list[tuple[str, MeasureSpec, str, pd.DataFrame]] = []
    engine = None
    try:
        identity = data_identity(duck)
        memo = memo_for(identity)
        if parquet:  # the files' spans, not the warehouse's
            memo = {**memo, "spans": {}}
        check_tables(duck, specs, memo)
        check_fresh(duck, specs, dims, memo)
        todo: dict[int, list[Window]] = {}
        keys: dict[tuple[int, str], tuple[str, str]] = {}
        for i, spec in enumerate(specs):
            data = cache.table_hash(duck, tables_read(spec, dims), memo["hashes"]) if use else ""
            for win in wins:
                k = cache.key(spec.definition_hash(), data, win.label, dims, backend)
                keys[(i, win.label)] = (k, data)
        stored = cache.read_many(duck, [k for k, _ in keys.values()], dims) if use else {}
        lineage: list[tuple[str, str, str, Sequence[str], str, dict[str, str]]] = []
        for (i, label), (k, _) in keys.items():
            if k in stored:
                found[(i, label)] = stored[k]
            else:
                todo.setdefault(i, []).append(next(w for w in wins if w.label == label))
        follow = bool(todo) and use and not own and incremental and writable(duck)
        earlier = (
            earlier_results(duck, [specs[i] for i in todo], wins, dims, backend) if follow else {}
        )
        if todo:
            engine = backend_engine(duck, backend, [specs[i] for i in todo], parquet)
            run = Run(engine, duck, dims, memo)
            for members in fuse([specs[i] for i in todo], list(todo)):
                group = [specs[i] for i in members]
                group_wins = _windows([w for i in members for w in todo[i]])
                only = periods_to_redo(run, group, group_wins, earlier) if follow else {}
                unchanged = len(only) == len(group_wins) and not any(only.values())
                done = {} if unchanged else _compute_group(run, group, group_wins, only=only)
                for j, i in enumerate(members):
                    for win in todo[i]:
                        df = done.get((j, win.label))
                        if df is None:
                            df = empty_result(dims)
                        if win.label in only:
                            old = earlier[(specs[i].definition_hash(), win.label)][1]
                            merged = _merge(old, df, only[win.label], dims)
                            df = (
                                merged
                                if merged is not None
                                else _compute_group(run, [specs[i]], [win])[(0, win.label)]
                            )
                        found[(i, win.label)] = df
                        k, data = keys[(i, win.label)]
                        pending.append((k, specs[i], data, df))
        stored_now = (
            use and pending and not own and writable(duck) and _store_on(duck, pending, dims)
        )
        if stored_now and incremental:
            label_of = {k: label for (_, label), (k, _) in keys.items()}
            for k, spec, _data, _df in pending:
                tables = {t: memo["hashes"][t] for t in tables_read(spec, dims)}
                lineage.append((k, spec.definition_hash(), label_of[k], dims, backend, tables))
            cache.write_lineage(duck, lineage)
            for source, date in sorted(
                {(s.source, s.date) for _, s, _, _ in pending if follows(s)}
            ):
                # each month's records of this state of the source, for the next data's refresh
                cache.month_prints(duck, source, str(date), memo["hashes"][source], compute=True)
        if stored_now:
            # storing results changes the file, not the data: what is known of the data (the
            # table hashes, spans, fresh derived tables) still holds for the next computation
            alias_state(identity, data_identity(duck))
    finally:
        if engine is not None:
            engine.close()
        if own:
            duck.close()
    if cache_results is True and pending and own and path is not None:
        _store(path, pending, dims)
    frames = [found[(i, w.label)] for w in wins for i in range(len(specs))]
    frames = [f for f in frames if len(f)]
    if not frames:
        out = empty_result(dims)
    elif len(frames) == 1:  # one result (each has its own 0..n-1 index): nothing to join
        out = frames[0]
    else:
        out = pd.concat(frames, ignore_index=True)
    if compare:
        out = with_comparisons(out, dims)
    if wanted is not None:
        ends = {month_add(m, 1) - dt.timedelta(days=1) for m in wanted}
        out = out[out["period_end"].isin(ends)].reset_index(drop=True)
    return out


def _selects(spec: MeasureSpec) -> dict[str, frozenset[Any]]:
    """Columns the measure's filter pins to a set of values (``eq`` on a non-boolean, ``in``)."""
    out: dict[str, frozenset[Any]] = {}
    for c in spec.filter:
        if c.op is Op.EQ and not isinstance(c.value, bool):
            out[c.column] = frozenset([c.value])
        elif c.op is Op.IN:
            out[c.column] = frozenset(c.value)
    return out


def fuse(specs: Sequence[MeasureSpec], labels: Sequence[int]) -> list[list[int]]:
    """Groups of ``labels`` (one per spec) whose measures are computed by one query: the same
    source and date (:func:`fusion_key`), and no two selecting disjoint values of a column.
    Measures over disjoint slices of a table (``entitlement = 'vcc_contact'`` and
    ``entitlement = 'hub_referral'``) each read less alone than together, where every row would
    pass through every measure's aggregates."""
    groups: list[tuple[tuple[Any, ...], list[dict[str, frozenset[Any]]], list[int]]] = []
    for spec, label in zip(specs, labels, strict=True):
        key, sel = fusion_key(spec), _selects(spec)
        for gkey, gsel, members in groups:
            if gkey == key and all(
                not (sel.keys() & other.keys())
                or all(sel[c] & other[c] for c in sel.keys() & other.keys())
                for other in gsel
            ):
                gsel.append(sel)
                members.append(label)
                break
        else:
            groups.append((key, [sel], [label]))
    return [members for _, _, members in groups]


def _compute_group(
    run: Run,
    specs: Sequence[MeasureSpec],
    wins: Sequence[Window],
    only: dict[str, list[dt.date]] | None = None,
) -> dict[tuple[int, str], pd.DataFrame]:
    """Measures sharing a source and date (see :func:`fusion_key`), every window: one scan of
    the source for the month window (and, for medians, one per longer window); additive
    measures' longer windows are rolled up from the month's parts, state measures' are the
    month's figures at the windows' period ends."""
    engine, duck, dims, memo = run.engine, run.duck, run.dims, run.memo
    out: dict[tuple[int, str], pd.DataFrame] = {}
    spec0 = specs[0]
    span = data_span(engine, spec0, memo["spans"])
    periods = {w.label: valid_periods(span[0], span[1], w) if span else [] for w in wins}
    for label, redo in (only or {}).items():  # these periods alone: the others are kept
        keep = set(redo)
        periods[label] = [p for p in periods[label] if p in keep]
    raws: dict[str, pd.DataFrame | None] = {}
    state = spec0.as_at is not None
    additive = all(s.kind in ADDITIVE for s in specs)
    # one longer window alone: read in that window directly (one query, not two)
    alone = len(wins) == 1 and wins[0].kind is not WindowKind.MONTH
    if (state or (additive and not alone)) and span is not None:
        month = Window.parse("month")
        month_periods = tuple(valid_periods(span[0], span[1], month))
        monthly = engine.run(Plan(tuple(specs), month, dims, month_periods))
        longer = [
            (w, periods[w.label])
            for w in wins
            if w.kind is not WindowKind.MONTH and periods[w.label] and not state
        ]
        rolled = (
            engine.rollup(Rollup(monthly, dims, longer)) if longer and not monthly.empty else None
        )
        for w in wins:
            if not periods[w.label]:
                raws[w.label] = None
            elif w.kind is WindowKind.MONTH or state or rolled is None:
                raws[w.label] = monthly
            else:
                raws[w.label] = rolled[rolled["_w"] == w.label]
    else:
        # medians of several windows: one read of the source for all of them (the month too,
        # a window of one month each); a latest value's longer windows likewise
        medians = all(s.kind is Kind.MEDIAN for s in specs)
        long_wins = [
            w for w in wins if periods[w.label] and (medians or w.kind is not WindowKind.MONTH)
        ]
        together = len(long_wins) > 1
        if together:
            maps = tuple((w, tuple(periods[w.label])) for w in long_wins)
            by_value = _by_value(engine, specs, dims, memo)
            both = engine.run(
                Plan(tuple(specs), long_wins[0], dims, (), windows=maps, by_value=by_value)
            )
        for w in wins:
            ps = tuple(periods[w.label])
            if not ps:
                raws[w.label] = None
            elif together and w in long_wins:
                raws[w.label] = both[both["_w"] == w.label]
            else:
                by_value = _by_value(engine, specs, dims, memo)
                raws[w.label] = engine.run(Plan(tuple(specs), w, dims, ps, by_value=by_value))
    fused = len(specs) > 1
    months: dict[int, np.ndarray] = {}
    for w in wins:
        raw = raws[w.label]
        if raw is not None and id(raw) not in months:
            months[id(raw)] = period_months(raw)
        for j, spec in enumerate(specs):
            if raw is None:
                out[(j, w.label)] = empty_result(dims)
                continue
            sfx = f"__{j}" if fused else ""
            out[(j, w.label)] = finish(
                raw, spec, w, dims, periods[w.label], duck, sfx, months[id(raw)], memo["domains"]
            )
    return out


#: How many record copies a lone median's longer windows may make on DuckDB by joining each
#: record to the months of its windows (rows of the source times twelve) when cut by a
#: dimension; beyond it, and at force level, its values are counted by month instead
#: (:func:`forcepack.measures.compiler._median_by_frequency`). Both give the same figure, to
#: the last bit. Counting wins where values repeat within a month and group: a whole force's
#: (at 43 forces the immediate median took 3.7 s counted, 8.7 s joined) and a force's 194
#: million calls, whose join ran out of memory at 10 GB. The join wins where a group's values
#: hardly repeat: by district the same median took 9.4 s joined and 108 s counted, by force
#: 8.6 s and 21 s. Measured at 43 forces (37 million incidents) under an 8 GB memory limit.
RECORD_JOIN_COPIES = 600_000_000


def _by_value(
    engine: Any, specs: Sequence[MeasureSpec], dims: tuple[str, ...], memo: dict[str, Any]
) -> bool:
    """Whether a plan of ``specs`` over longer windows, cut by ``dims``, counts a lone
    median's values by month rather than joining its records to each window's months (see
    :data:`RECORD_JOIN_COPIES`; always counted on Spark, whose memory is the cluster's)."""
    spec = specs[0]
    if len(specs) > 1 or spec.kind is not Kind.MEDIAN:
        return True  # the plan holds no lone median: the choice does not arise
    if not dims or engine.backend is not Backend.DUCKDB:
        return True
    sizes = memo.setdefault("rows", {})
    if spec.source not in sizes:  # on the engine's own cursor: threads may share ``duck``
        rows = engine.cur.execute(f"SELECT count(*) FROM {ident(spec.source)}").fetchall()
        sizes[spec.source] = int(rows[0][0])
    return bool(sizes[spec.source] * 12 > RECORD_JOIN_COPIES)


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


def _store_on(
    con: duckdb.DuckDBPyConnection,
    pending: list[tuple[str, MeasureSpec, str, pd.DataFrame]],
    dims: tuple[str, ...],
) -> bool:
    """Write new results on the caller's connection; False when it cannot be written."""
    items = [(k, spec.id, spec.definition_hash(), data, df) for k, spec, data, df in pending]
    return cache.write_many(con, items, dims)


def _store(
    path: Path, pending: list[tuple[str, MeasureSpec, str, pd.DataFrame]], dims: tuple[str, ...]
) -> None:
    """Write new results back; skipped quietly when another process holds the warehouse."""
    try:
        rw = open_duckdb(path)
    except duckdb.Error:
        return
    engine_settings(rw)
    try:
        _store_on(rw, pending, dims)
    finally:
        rw.close()


def backend_engine(
    duck: duckdb.DuckDBPyConnection,
    backend: Backend,
    specs: Sequence[MeasureSpec],
    parquet: Sequence[str | Path] = (),
) -> Any:
    """The engine that runs the measures' plans on ``backend`` (the one place a backend is
    chosen): DuckDB on the warehouse connection, or Spark over the tables the measures read
    (copied from the warehouse, or read from the ``parquet`` folders)."""
    if backend is Backend.DUCKDB:
        return duckdb_engine(duck)
    from forcepack.measures.spark import spark_engine

    tables = sorted({t for s in specs for t in tables_read(s, ())})
    return spark_engine(duck, tables, parquet=parquet)
