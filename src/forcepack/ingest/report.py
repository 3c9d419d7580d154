"""The data quality report: what was loaded, what was rejected and why, and what looks thin.

Per table: rows stored, each load (rows read = loaded + quarantined), the top rejection reasons,
completeness of every column, the date range, gaps (days with no records, such as system
downtime, and months with none), keys quarantined as duplicates, text that a spreadsheet would
run as a formula, optional links that match nothing, and for data.police.uk tables the
no-location, outside-the-force, anti-social behaviour and unmapped-outcome counts.

All figures are computed in DuckDB; the report is small and is formatted in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.contract.spec import TABLES, ColumnType, Role, Table
from forcepack.contract.spec import table as table_spec
from forcepack.ingest.grammar import FORMULA_CHARS
from forcepack.ingest.validate import Rule, enforced_reference
from forcepack.warehouse.sql import lit_list

#: Gaps listed per table (the longest first).
MAX_GAPS = 10
#: Share of days in the date range that must have records for missing days to be listed.
MIN_DAY_COVERAGE = 0.5


@dataclass(frozen=True, slots=True)
class LoadLine:
    load_id: str
    file_name: str
    started_at: dt.datetime
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    status: str
    reasons: tuple[tuple[str, str | None, int], ...] = ()  # (rule, column, rows), top 3


@dataclass(frozen=True, slots=True)
class Gap:
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True, slots=True)
class TableQuality:
    table: str
    rows: int
    loads: tuple[LoadLine, ...]
    top_reasons: tuple[tuple[str, str | None, int], ...]
    completeness: tuple[tuple[str, float], ...]  # column, share of rows with a value
    date_range: tuple[dt.date, dt.date] | None
    missing_days: tuple[Gap, ...]
    missing_months: tuple[str, ...]
    duplicates_quarantined: int
    formula_like: tuple[tuple[str, int], ...]
    unmatched_links: tuple[tuple[str, int], ...]
    public: tuple[tuple[str, int], ...] = ()
    days_with_records: tuple[int, int] | None = None  # (days with records, days in range)


@dataclass(frozen=True, slots=True)
class QualityReport:
    tables: tuple[TableQuality, ...]

    def table(self, name: str) -> TableQuality:
        for t in self.tables:
            if t.table == name:
                return t
        raise KeyError(name)

    def to_text(self) -> str:
        return "\n".join(_text(t) for t in self.tables) or "no loads and no force data yet"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list:
    return con.execute(sql, params or []).fetchall()


def _table_quality(con: duckdb.DuckDBPyConnection, spec: Table) -> TableQuality:
    name = spec.name
    per_load: dict[str, list[tuple[str, str | None, int]]] = {}
    for load_id, rule, col, k in _rows(
        con,
        "SELECT load_id, rule, column_name, n FROM (SELECT *, row_number() OVER (PARTITION "
        "BY load_id ORDER BY n DESC, rule, column_name) AS rank FROM (SELECT load_id, rule, "
        "column_name, count(DISTINCT row_number) AS n FROM quarantine WHERE table_name = ? "
        "GROUP BY ALL)) WHERE rank <= 3 ORDER BY load_id, rank",
        [name],
    ):
        per_load.setdefault(load_id, []).append((str(rule), col, int(k)))
    loads = tuple(
        LoadLine(
            lid, file, started, read, loaded, quarantined, status, tuple(per_load.get(lid, ()))
        )
        for lid, file, started, read, loaded, quarantined, status in _rows(
            con,
            "SELECT load_id, file_name, started_at, rows_read, rows_loaded, "
            "rows_quarantined, status FROM load_log WHERE table_name = ? ORDER BY load_id",
            [name],
        )
    )
    reasons = tuple(
        (str(r), c, int(n))
        for r, c, n in _rows(
            con,
            "SELECT rule, column_name, count(*) AS n FROM quarantine WHERE table_name = ? "
            "GROUP BY ALL ORDER BY n DESC, rule LIMIT 10",
            [name],
        )
    )
    dups = int(
        _rows(
            con,
            "SELECT count(*) FROM quarantine WHERE table_name = ? AND rule = ?",
            [name, str(Rule.DUPLICATE)],
        )[0][0]
    )
    cols = spec.column_names
    counts = _rows(con, f"SELECT count(*), {', '.join(f'count({c})' for c in cols)} FROM {name}")[0]
    n = int(counts[0])
    completeness = tuple(
        (c, (int(v) / n) if n else 0.0) for c, v in zip(cols, counts[1:], strict=True)
    )
    strings = [c.name for c in spec.columns if c.type is ColumnType.STRING]
    starts = lit_list(FORMULA_CHARS)
    formula: tuple[tuple[str, int], ...] = ()
    if strings and n:
        got = _rows(
            con,
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE left({c}, 1) IN ({starts}))" for c in strings)
            + f" FROM {name}",
        )
        formula = tuple((c, int(v)) for c, v in zip(strings, got[0], strict=True) if v)
    links = []
    for col in spec.columns:
        ref = col.references
        if ref is not None and not enforced_reference(spec, col):
            (k,) = _rows(
                con,
                f"SELECT count(*) FROM {name} WHERE {col.name} IS NOT NULL AND "
                f"{col.name} NOT IN (SELECT {ref.column} FROM {ref.table} "
                f"WHERE {ref.column} IS NOT NULL)",
            )[0]
            links.append((f"{col.name} -> {ref.table}.{ref.column}", int(k)))
    date_range: tuple[dt.date, dt.date] | None = None
    days: tuple[Gap, ...] = ()
    months: tuple[str, ...] = ()
    coverage: tuple[int, int] | None = None
    if spec.date_column and n:
        date_range, days, months, coverage = _gaps(con, spec)
    public = _public(con, spec) if spec.role is Role.PUBLIC and n else ()
    return TableQuality(
        name,
        n,
        loads,
        reasons,
        completeness,
        date_range,
        days,
        months,
        dups,
        formula,
        tuple(links),
        public,
        coverage,
    )


def _gaps(
    con: duckdb.DuckDBPyConnection, spec: Table
) -> tuple[tuple[dt.date, dt.date], tuple[Gap, ...], tuple[str, ...], tuple[int, int]]:
    name, col = spec.name, spec.date_column
    lo, hi = _rows(con, f"SELECT CAST(min({col}) AS DATE), CAST(max({col}) AS DATE) FROM {name}")[0]
    days: tuple[Gap, ...] = ()
    (covered,) = _rows(con, f"SELECT count(DISTINCT CAST({col} AS DATE)) FROM {name}")[0]
    span = (hi - lo).days + 1
    # Days without records mean something (downtime, a missing extract) only for a table that
    # has records on nearly every day; for sparse tables the report gives the coverage instead.
    if spec.column(str(col)).type is ColumnType.TIMESTAMP and covered >= MIN_DAY_COVERAGE * span:
        found = _rows(
            con,
            f"""
            WITH missing AS (
                SELECT CAST(g.d AS DATE) AS d FROM generate_series(
                    CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), INTERVAL 1 DAY) g(d)
                ANTI JOIN (SELECT DISTINCT CAST({col} AS DATE) AS d FROM {name}) h
                ON CAST(g.d AS DATE) = h.d),
            runs AS (SELECT d, d - CAST(row_number() OVER (ORDER BY d) AS INTEGER) AS grp
                     FROM missing)
            SELECT min(d), max(d) FROM runs GROUP BY grp
            ORDER BY max(d) - min(d) DESC, min(d) LIMIT {MAX_GAPS}""",
            [lo, hi],
        )
        days = tuple(Gap(a, b) for a, b in found)
    months = tuple(
        r[0]
        for r in _rows(
            con,
            f"""
        SELECT strftime(g.m, '%Y-%m') FROM generate_series(
            CAST(date_trunc('month', CAST(? AS DATE)) AS TIMESTAMP),
            CAST(? AS TIMESTAMP), INTERVAL 1 MONTH) g(m)
        ANTI JOIN (SELECT DISTINCT date_trunc('month', {col}) AS m FROM {name}) h
        ON CAST(g.m AS DATE) = CAST(h.m AS DATE) ORDER BY 1""",
            [lo, hi],
        )
    )
    return (lo, hi), days, months, (int(covered), span)


def _public(con: duckdb.DuckDBPyConnection, spec: Table) -> tuple[tuple[str, int], ...]:
    name = spec.name
    sql = (
        f"SELECT count(*) FILTER (WHERE district_name IS NULL), count(*) FILTER "
        f"(WHERE district_name IS NOT NULL AND NOT in_force_area) FROM {name}"
    )
    no_loc, outside = _rows(con, sql)[0]
    out = [
        ("no location", int(no_loc)),
        ("geocoded outside this warehouse's districts", int(outside)),
    ]
    if "is_asb" in spec.column_names:
        (asb,) = _rows(con, f"SELECT count(*) FROM {name} WHERE is_asb")[0]
        out.append(("anti-social behaviour", int(asb)))
    if "outcome_group" in spec.column_names:
        (unmapped,) = _rows(con, f"SELECT count(*) FROM {name} WHERE outcome_group IS NULL")[0]
        out.append(("outcome without a group", int(unmapped)))
    return tuple(out)


def quality_report(
    db: str | Path | duckdb.DuckDBPyConnection, table: str | None = None
) -> QualityReport:
    """The data quality report for one table, or every table that has loads or force data."""
    from forcepack.warehouse import connect

    con = db if isinstance(db, duckdb.DuckDBPyConnection) else connect(db)
    try:
        if table is not None:
            names = [table_spec(table).name]
        else:
            loaded = {r[0] for r in _rows(con, "SELECT DISTINCT table_name FROM load_log")}
            names = [
                t.name
                for t in TABLES.values()
                if t.name in loaded
                or (
                    t.role in (Role.FORCE, Role.PUBLIC)
                    and _rows(con, f"SELECT count(*) > 0 FROM {t.name}")[0][0]
                )
            ]
        return QualityReport(tuple(_table_quality(con, TABLES[n]) for n in names))
    finally:
        if con is not db:
            con.close()


def _text(t: TableQuality) -> str:
    lines = [f"== {t.table}: {t.rows:,} rows"]
    for ld in t.loads:
        lines.append(
            f"  load {ld.load_id} {ld.file_name} ({ld.status}): read {ld.rows_read:,} = "
            f"loaded {ld.rows_loaded:,} + quarantined {ld.rows_quarantined:,}"
            + (
                "; "
                + ", ".join(f"{r}" + (f" ({c})" if c else "") + f" {k:,}" for r, c, k in ld.reasons)
                if ld.reasons
                else ""
            )
        )
    if t.top_reasons:
        lines.append("  top rejection reasons:")
        lines += [
            f"    {n:>8,}  {rule}" + (f" ({col})" if col else "") for rule, col, n in t.top_reasons
        ]
    if t.date_range:
        cover = ""
        if t.days_with_records:
            cover = f" ({t.days_with_records[0]:,} of {t.days_with_records[1]:,} days have records)"
        lines.append(f"  date range: {t.date_range[0]} to {t.date_range[1]}{cover}")
    if t.missing_days:
        gaps = ", ".join(
            f"{g.first}" + (f" to {g.last}" if g.days > 1 else "") for g in t.missing_days
        )
        lines.append(f"  days with no records: {gaps}")
    if t.missing_months:
        lines.append(f"  months with no records: {', '.join(t.missing_months)}")
    thin = [(c, s) for c, s in t.completeness if s < 1.0]
    if thin:
        lines.append(
            "  completeness (share of rows with a value, below 100%): "
            + ", ".join(f"{c} {s:.1%}" for c, s in thin)
        )
    if t.duplicates_quarantined:
        lines.append(f"  duplicate keys quarantined: {t.duplicates_quarantined:,}")
    if t.formula_like:
        lines.append(
            "  text starting like a spreadsheet formula (=, +, -, @; neutralise before "
            "exporting to a spreadsheet): " + ", ".join(f"{c} {k:,}" for c, k in t.formula_like)
        )
    for link, k in t.unmatched_links:
        if k:
            lines.append(f"  {link}: {k:,} values match nothing (optional link)")
    for label, k in t.public:
        lines.append(f"  {label}: {k:,}")
    return "\n".join(lines)
