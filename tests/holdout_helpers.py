"""A warehouse as it stood before a month's extracts arrived, and those extracts as files.

:func:`hold_out` copies a warehouse and takes one month out of the copy: the rows recorded in
that month (crimes with their victims and suspects, investigation events, victim contacts,
incidents, calls, survey responses and the other dated tables), and the outcomes assigned in
that month to older crimes, which go back to open. The rows taken out are written as one
Parquet file per table, named after it (``crimes-2019-12.parquet``), the month's extracts as a
force sends them: loading them with ``forcepack update`` gives the original data again, new
records and corrected old ones. The incremental-update tests and ``benchmarks/bench_update.py``
use it on the demo warehouse, whose generator is left untouched.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb

from forcepack.contract.spec import TABLES
from forcepack.warehouse.sql import ident, ident_list, lit
from ingest_helpers import fetch

#: Each dated force table and the column that places a row in a month.
DATED = {
    "incidents": "created_at",
    "investigation_events": "event_at",
    "victim_contacts": "contact_at",
    "calls": "offered_at",
    "survey_responses": "interviewed_at",
    "missing_episodes": "reported_at",
    "civil_orders": "applied_at",
    "qa_backlog": "snapshot_date",
    "system_downtime": "start_at",
}
#: Tables whose rows belong to a crime recorded in the month.
OF_CRIME = ("crime_victims", "crime_suspects")


def _month_sql(column: str, month: dt.date) -> str:
    nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return f"({column} >= {lit(month)} AND {column} < {lit(nxt)})"


def hold_out(src: Path, base: Path, folder: Path, month: dt.date) -> dict[str, int]:
    """Copy warehouse ``src`` to ``base`` without ``month``, writing that month's extracts to
    ``folder``; returns the rows written per table."""
    shutil.copy2(src, base)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{month:%Y-%m}"
    rows: dict[str, int] = {}
    con = duckdb.connect(str(base))
    try:
        recorded = _month_sql("recorded_at", month)
        outcome = _month_sql("outcome_at", month)
        con.execute(
            f"CREATE TEMP TABLE _month_crimes AS SELECT crime_id FROM crimes WHERE {recorded}"
        )
        wheres = {
            "crimes": f"{recorded} OR {outcome}",
            **{t: "crime_id IN (SELECT crime_id FROM _month_crimes)" for t in OF_CRIME},
            **{t: _month_sql(c, month) for t, c in DATED.items()},
        }
        for table, where in wheres.items():
            cols = ident_list(TABLES[table].column_names)
            path = folder / f"{table}-{stamp}.parquet"
            con.execute(
                f"COPY (SELECT {cols} FROM {ident(table)} WHERE {where}) TO {lit(str(path))} "
                "(FORMAT parquet)"
            )
            (n,) = con.execute(f"SELECT count(*) FROM {lit(str(path))}").fetchone()  # type: ignore[misc]
            rows[table] = int(n)
        for table in (*DATED, *OF_CRIME):
            con.execute(f"DELETE FROM {ident(table)} WHERE {wheres[table]}")
        con.execute(f"DELETE FROM crimes WHERE {recorded}")
        con.execute(
            "UPDATE crimes SET status = 'open', outcome_code = NULL, outcome_at = NULL "
            f"WHERE {outcome}"
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return rows


#: What an incremental update must leave exactly as a full rebuild does.
DERIVED = (
    "crime_harm",
    "victim_harm",
    "offender_harm",
    "working_days",
    "victim_care_obligations",
    "victim_care_victims",
)


def differences(
    a: Path, b: Path, tables: tuple[str, ...] = DERIVED, *, results: bool = True
) -> dict[str, int]:
    """Rows of each of ``tables`` (and, with ``results``, of the stored measure results but
    for when they were computed) in warehouse ``a`` and not ``b`` or in ``b`` and not ``a``,
    counted with repeats; an empty dict when the two hold the same rows."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {lit(str(a))} AS a (READ_ONLY)")
        con.execute(f"ATTACH {lit(str(b))} AS b (READ_ONLY)")
        out = {}
        for table in (*tables, *(("measure_results",) if results else ())):
            cols = (
                "* EXCLUDE (computed_at)"
                if table == "measure_results"
                else ident_list(TABLES[table].column_names)
            )
            one = f"SELECT {cols} FROM a.{ident(table)}"
            two = f"SELECT {cols} FROM b.{ident(table)}"
            (n,) = con.execute(  # type: ignore[misc]
                f"SELECT (SELECT count(*) FROM ({one} EXCEPT ALL {two})) "
                f"+ (SELECT count(*) FROM ({two} EXCEPT ALL {one}))"
            ).fetchone()
            if n:
                out[table] = int(n)
        return out
    finally:
        con.close()


def small_copy(src: Path, dest: Path, district: str, since: dt.date) -> Path:
    """A copy of warehouse ``src`` keeping only the crimes of one district recorded since a
    date (with their victims, suspects, events and contacts) and the other dated records since
    then, with no derived rows and no stored results: a small warehouse with the demo's shape,
    for tests, written compactly (a few megabytes, not the demo's hundreds)."""
    work = dest.with_name(dest.name + ".work")
    shutil.copy2(src, work)
    con = duckdb.connect(str(work))
    try:
        con.execute(
            "DELETE FROM crimes WHERE NOT (district_code = ? AND recorded_at >= ?)",
            [district, since],
        )
        for table in ("crime_victims", "crime_suspects", "investigation_events", "victim_contacts"):
            con.execute(
                f"DELETE FROM {ident(table)} WHERE crime_id NOT IN (SELECT crime_id FROM crimes)"
            )
        con.execute(
            "DELETE FROM survey_responses WHERE crime_id IS NOT NULL "
            "AND crime_id NOT IN (SELECT crime_id FROM crimes)"
        )
        for table, column in DATED.items():
            if table not in ("investigation_events", "victim_contacts"):
                con.execute(f"DELETE FROM {ident(table)} WHERE {ident(column)} < ?", [since])
        for table in (*DERIVED, "measure_results"):
            con.execute(f"DELETE FROM {ident(table)}")
        con.execute(f"DELETE FROM forcepack_meta WHERE starts_with(key, {lit('derived.')})")
        (name,) = con.execute("SELECT current_database()").fetchone()  # type: ignore[misc]
        con.execute(f"ATTACH {lit(str(dest))} AS _fp_small_copy")
        con.execute(f"COPY FROM DATABASE {ident(str(name))} TO _fp_small_copy")
        con.execute("DETACH _fp_small_copy")
    finally:
        con.close()
        work.unlink(missing_ok=True)
        work.with_name(work.name + ".wal").unlink(missing_ok=True)
    return dest


def smallest_district_copy(src: Path, dest: Path, since: dt.date = dt.date(2018, 1, 1)) -> Path:
    """:func:`small_copy` of the district of ``src`` with the fewest crimes, since ``since``."""
    ((district,),) = fetch(
        src, "SELECT district_code FROM crimes GROUP BY 1 ORDER BY count(*), 1 LIMIT 1"
    )
    return small_copy(src, dest, district, since)
