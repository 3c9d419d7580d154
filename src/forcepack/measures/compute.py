"""The public entry point: ``compute(ids, months=..., window=..., by=..., backend=...)``.

Measures over the same source and date are one engine query for every period and window at
once (see :func:`_compute_group`); the small aggregated result is then completed here (empty
groups of closed dimensions added, parts divided into values) so that every backend reports
the same figures the same way.
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
from forcepack.errors import InputError, WarehouseError
from forcepack.measures import cache
from forcepack.measures.compiler import (
    ADDITIVE,
    Plan,
    fusion_key,
    month_add,
    valid_periods,
    window_months,
)
from forcepack.measures.dimensions import DIMENSIONS, lookup_columns
from forcepack.measures.engine import DuckDBEngine, Rollup
from forcepack.measures.spec import (
    Kind,
    MeasureSpec,
    Window,
    WindowKind,
    catalogue,
    get,
)
from forcepack.warehouse.core import engine_settings

BACKENDS = ("duckdb", "pyspark")
RESULT_COLUMNS = ("value", "numerator", "denominator", "n")


def parse_months(months: Any) -> list[dt.date] | None:
    """``YYYY-MM`` strings or dates -> first days of months (None stays None: every month)."""
    if months is None:
        return None
    if isinstance(months, str | dt.date):
        months = [months]
    return sorted({calendar.parse(m).first for m in months})


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
    backend: str = "duckdb",
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
    and only the other periods are recomputed (see :func:`_periods_to_redo`). It gives the same
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
    if parquet and backend != "pyspark":
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
    _DOMAINS.clear()
    try:
        identity = data_identity(duck)
        memo = _memo(identity)
        if parquet:  # the files' spans, not the warehouse's
            memo = {**memo, "spans": {}}
        _check_tables(duck, specs, memo)
        _check_fresh(duck, specs, dims, memo)
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
        follow = bool(todo) and use and not own and incremental and _writable(duck)
        earlier = _earlier(duck, [specs[i] for i in todo], wins, dims, backend) if follow else {}
        if todo:
            engine = _engine(duck, backend, [specs[i] for i in todo], parquet)
            for members in fuse([specs[i] for i in todo], list(todo)):
                group = [specs[i] for i in members]
                group_wins = _windows([w for i in members for w in todo[i]])
                only = (
                    _periods_to_redo(engine, duck, group, group_wins, dims, memo, earlier)
                    if follow
                    else {}
                )
                unchanged = len(only) == len(group_wins) and not any(only.values())
                done = (
                    {}
                    if unchanged
                    else _compute_group(
                        engine, duck, group, group_wins, dims, memo["spans"], only=only
                    )
                )
                for j, i in enumerate(members):
                    for win in todo[i]:
                        df = done.get((j, win.label), _empty(dims))
                        if win.label in only:
                            old = earlier[(specs[i].definition_hash(), win.label)][1]
                            merged = _merge(old, df, only[win.label], dims)
                            df = (
                                merged
                                if merged is not None
                                else _compute_group(
                                    engine, duck, [specs[i]], [win], dims, memo["spans"]
                                )[(0, win.label)]
                            )
                        found[(i, win.label)] = df
                        k, data = keys[(i, win.label)]
                        pending.append((k, specs[i], data, df))
        stored_now = (
            use and pending and not own and _writable(duck) and _store_on(duck, pending, dims)
        )
        if stored_now and incremental:
            label_of = {k: label for (_, label), (k, _) in keys.items()}
            for k, spec, _data, _df in pending:
                tables = {t: memo["hashes"][t] for t in tables_read(spec, dims)}
                lineage.append((k, spec.definition_hash(), label_of[k], dims, backend, tables))
            cache.write_lineage(duck, lineage)
            for source, date in sorted(
                {(s.source, s.date) for _, s, _, _ in pending if _follows(s)}
            ):
                # each month's records of this state of the source, for the next data's refresh
                cache.month_prints(duck, source, str(date), memo["hashes"][source], compute=True)
            _alias(identity, data_identity(duck))  # stored results do not change the data
    finally:
        if engine is not None:
            engine.close()
        if own:
            duck.close()
    if cache_results is True and pending and own and path is not None:
        _store(path, pending, dims)
    frames = [found[(i, w.label)] for w in wins for i in range(len(specs))]
    frames = [f for f in frames if len(f)]
    out = _empty(dims) if not frames else pd.concat(frames, ignore_index=True)
    if compare:
        out = with_comparisons(out, dims)
    if wanted is not None:
        ends = {month_add(m, 1) - dt.timedelta(days=1) for m in wanted}
        out = out[out["period_end"].isin(ends)].reset_index(drop=True)
    return out


def _follows(spec: MeasureSpec) -> bool:
    """Whether the measure's results can be brought forward period by period (see
    :func:`_periods_to_redo`): not a state measure, and dated by a column of its source."""
    from forcepack.contract.spec import TABLES

    return (
        spec.as_at is None
        and spec.date is not None
        and spec.source in TABLES
        and spec.date in TABLES[spec.source].column_names
    )


def _earlier(
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


def _periods_to_redo(
    engine: Any,
    duck: duckdb.DuckDBPyConnection,
    specs: Sequence[MeasureSpec],
    wins: Sequence[Window],
    dims: tuple[str, ...],
    memo: dict[str, Any],
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
    spec = specs[0]
    if not _follows(spec):
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
            span = _span(engine, spec, memo["spans"])
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


def _merge(
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


def _selects(spec: MeasureSpec) -> dict[str, frozenset[Any]]:
    """Columns the measure's filter pins to a set of values (``eq`` on a non-boolean, ``in``)."""
    out: dict[str, frozenset[Any]] = {}
    for c in spec.filter:
        if c.op == "eq" and not isinstance(c.value, bool):
            out[c.column] = frozenset([c.value])
        elif c.op == "in":
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
    engine: Any,
    duck: duckdb.DuckDBPyConnection,
    specs: Sequence[MeasureSpec],
    wins: Sequence[Window],
    dims: tuple[str, ...],
    spans: dict[Any, Any],
    only: dict[str, list[dt.date]] | None = None,
) -> dict[tuple[int, str], pd.DataFrame]:
    """Measures sharing a source and date (see :func:`fusion_key`), every window: one scan of
    the source for the month window (and, for medians, one per longer window); additive
    measures' longer windows are rolled up from the month's parts, state measures' are the
    month's figures at the windows' period ends."""
    out: dict[tuple[int, str], pd.DataFrame] = {}
    spec0 = specs[0]
    span = _span(engine, spec0, spans)
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
        long_wins = [w for w in wins if w.kind is not WindowKind.MONTH and periods[w.label]]
        together = len(long_wins) > 1  # medians of several long_wins windows: one read for all
        if together:
            maps = tuple((w, tuple(periods[w.label])) for w in long_wins)
            both = engine.run(Plan(tuple(specs), long_wins[0], dims, (), windows=maps))
        for w in wins:
            ps = tuple(periods[w.label])
            if not ps:
                raws[w.label] = None
            elif together and w in long_wins:
                raws[w.label] = both[both["_w"] == w.label]
            else:
                raws[w.label] = engine.run(Plan(tuple(specs), w, dims, ps))
    fused = len(specs) > 1
    months: dict[int, np.ndarray] = {}
    for w in wins:
        raw = raws[w.label]
        if raw is not None and id(raw) not in months:
            months[id(raw)] = _months(raw)
        for j, spec in enumerate(specs):
            if raw is None:
                out[(j, w.label)] = _empty(dims)
                continue
            sfx = f"__{j}" if fused else ""
            out[(j, w.label)] = finish(
                raw, spec, w, dims, periods[w.label], duck, sfx, months[id(raw)]
            )
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
        rw = duckdb.connect(str(path))
    except duckdb.Error:
        return
    engine_settings(rw)
    try:
        _store_on(rw, pending, dims)
    finally:
        rw.close()


def _check_tables(
    duck: duckdb.DuckDBPyConnection, specs: Sequence[MeasureSpec], memo: dict[str, Any]
) -> None:
    if "tables" not in memo:
        rows = duck.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        memo["tables"] = {r[0] for r in rows}
    present = memo["tables"]
    for s in specs:
        if s.source not in present:
            raise WarehouseError(
                f"measure {s.id} reads table {s.source}, which this warehouse does not have",
                hint="build it first (for derived tables, run "
                "the command that builds them), or recreate the warehouse",
            )


def _check_fresh(
    duck: duckdb.DuckDBPyConnection,
    specs: Sequence[MeasureSpec],
    dims: Sequence[str],
    memo: dict[str, Any],
) -> None:
    """Refuse measures over derived tables built from older data (remembered once checked)."""
    from forcepack.warehouse import freshness

    fresh = memo.setdefault("fresh", set())
    derived = {t for s in specs for t in tables_read(s, dims) if t in freshness.BY_TABLE} - fresh
    if derived:
        freshness.require_fresh(duck, derived)
        fresh.update(derived)


def _empty(dims: Sequence[str]) -> pd.DataFrame:
    cols: dict[str, Any] = {
        c: pd.Series(dtype=object) for c in ("measure_id", "period_end", "window", *dims)
    }
    cols.update({c: pd.Series(dtype="float64") for c in RESULT_COLUMNS[:3]})
    cols["n"] = pd.Series(dtype="Int64")
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------------------------
# Backends


def _engine(
    duck: duckdb.DuckDBPyConnection,
    backend: str,
    specs: Sequence[MeasureSpec],
    parquet: Sequence[str | Path] = (),
) -> Any:
    if backend == "duckdb":
        return DuckDBEngine(duck)
    from forcepack.measures.spark import spark_engine

    tables = sorted({t for s in specs for t in tables_read(s, ())})
    return spark_engine(duck, tables, parquet=parquet)


# ---------------------------------------------------------------------------------------------
# One measure


#: Per state of a warehouse file (see :func:`data_identity`): table hashes and data spans.
_MEMOS: dict[tuple[Any, ...], dict[str, Any]] = {}


def data_identity(duck: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The state of the connection's warehouse file: its path with the size and modification
    time of the file and its write-ahead log (every commit changes one of them). None for an
    in-memory database or inside an open transaction, whose changes the file does not show
    yet: then nothing is remembered beyond this computation."""
    row = duck.execute(
        "SELECT path, readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if not row or not row[0]:
        return None
    if not row[1] and cache.in_transaction(duck):  # uncommitted changes: not in the file
        return None
    path = Path(row[0])
    sig: list[Any] = [str(path.resolve())]
    for p in (path, path.with_name(path.name + ".wal")):
        st = p.stat() if p.exists() else None
        sig += [st.st_mtime_ns, st.st_size] if st else [None, None]
    return tuple(sig)


def _writable(duck: duckdb.DuckDBPyConnection) -> bool:
    row = duck.execute(
        "SELECT NOT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0])


def _memo(identity: tuple[Any, ...] | None) -> dict[str, Any]:
    """Table hashes, spans and table names already known for this state of the warehouse
    (fresh when the state cannot be told)."""
    if identity is None:
        return {"hashes": {}, "spans": {}}
    if len(_MEMOS) > 64:
        _MEMOS.clear()
    return _MEMOS.setdefault(identity, {"hashes": {}, "spans": {}})


def _alias(before: tuple[Any, ...] | None, after: tuple[Any, ...] | None) -> None:
    """Our own writes of stored results change the file but not the data: keep what is known."""
    if before is not None and after is not None and before in _MEMOS:
        _MEMOS[after] = _MEMOS[before]


def _span(engine: Any, spec: MeasureSpec, spans: dict[Any, Any]) -> Any:
    """The data span of a measure's source (first and last month), remembered while the data
    are unchanged."""
    k = (spec.source, str(spec.date), str(spec.as_at))
    if k not in spans:
        spans[k] = engine.span(spec)
    return spans[k]


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
    sfx: str = "",
    months: np.ndarray | None = None,
) -> pd.DataFrame:
    """Parts -> the tidy result: empty groups added, values computed, rows ordered.

    ``raw`` holds one row per period and group with the parts of the measure (columns suffixed
    ``sfx`` in a fused result, where ``_rows<sfx>`` > 0 marks the measure's own groups); the
    result has a row for every period × every value of each dimension's domain (sorted), plus
    any group whose dimension value was unknown (null), ordered by period and group. Arrays,
    not records: the input is the engine's aggregated result.
    """
    P = np.asarray(periods, dtype="datetime64[D]")
    rp = _months(raw) if months is None else months
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
        dom = _domain(duck, d)
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
    elif kind in (Kind.SHARE, Kind.RATE):
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


def _months(raw: pd.DataFrame) -> np.ndarray:
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
