"""Rejected rows: finding them after validation and writing them to the quarantine.

A row breaking any rule is rejected; among the remaining rows, a key seen earlier in the same
file is a duplicate (the first row is loaded). Each problem becomes one ``quarantine`` row with
the file, row number, column, value (first 200 characters), rule, a message that reads on its
own, and the whole row as JSON (first 2,000 characters). A row with several problems has several
quarantine rows and counts once. Rows kept out of staging (a malformed CSV line, an Excel
formula with no cached value) come with their own rule and message from ``read.py``.
"""

from __future__ import annotations

import duckdb

from forcepack.contract.spec import Table
from forcepack.ingest.read import SourceFile, Staged
from forcepack.ingest.validate import Check, Rule, raw_name
from forcepack.warehouse.sql import ident, ident_list, lit


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def find_bad_rows(con: duckdb.DuckDBPyConnection, spec: Table, values: str, bad: str) -> None:
    """Rows breaking any rule, then duplicate keys among the remaining rows (first one kept)."""
    con.execute(
        f"CREATE TEMP TABLE {ident(bad)} AS SELECT _row, false AS dup, "
        f"CAST(NULL AS BIGINT) AS first_row FROM {ident(values)} WHERE _bad"
    )
    keys = ident_list(spec.key)
    good = " AND ".join(["NOT _bad", *(f"{ident(k)} IS NOT NULL" for k in spec.key)])
    con.execute(
        f"INSERT INTO {ident(bad)} SELECT t._row, true, d.first_row FROM {ident(values)} t "
        f"JOIN (SELECT {keys}, min(_row) AS first_row FROM {ident(values)} WHERE {good} "
        f"GROUP BY ALL HAVING count(*) > 1) d USING ({keys}) "
        f"WHERE t._row > d.first_row AND NOT t._bad"
    )


def write_quarantine(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    source: SourceFile,
    staged: Staged,
    load_id: str,
    typed: str,
    bad: str,
    rules: list[Check],
    derived: dict[str, str],
) -> None:
    """Write one quarantine row per problem of every bad row (the raw row as JSON)."""
    file_lit = lit(source.name)
    if _count(con, f"SELECT count(*) FROM {ident(bad)}"):
        rows = f"{bad}_rows"
        con.execute(
            f"CREATE TEMP TABLE {ident(rows)} AS SELECT * FROM {ident(typed)} "
            f"SEMI JOIN {ident(bad)} USING (_row)"
        )
        parts = []
        for c in rules:
            if c.column in derived or c.column is None:
                value = f"CAST({ident(c.column)} AS VARCHAR)" if c.column else "NULL"
            else:
                value = f"left({ident(raw_name(c.column))}, 200)"
            parts.append(
                f"SELECT _row, {lit(c.column)} AS column_name, "
                f"{value} AS value, {lit(c.rule)} AS rule, "
                f"{c.message} AS message FROM {ident(rows)} r WHERE {c.condition}"
            )
        keys = " || '|' || ".join(f"CAST(t.{ident(k)} AS VARCHAR)" for k in spec.key)
        first_key = spec.key[0]
        parts.append(
            f"SELECT t._row, {lit(first_key)}, left({keys}, 200), {lit(Rule.DUPLICATE)}, "
            f"{file_lit} || ' row ' || t._row || ': key ' || {keys} || "
            f"' appeared earlier in the file (row ' || b.first_row || '); the first row is loaded' "
            f"FROM {ident(rows)} t JOIN {ident(bad)} b ON b._row = t._row AND b.dup"
        )
        pairs = ", ".join(
            f"{lit(h or f'column {i + 1}')}, {ident(f'c{i}')}" for i, h in enumerate(staged.header)
        )
        con.execute(
            f"INSERT INTO quarantine SELECT {lit(load_id)}, {lit(spec.name)}, "
            f"{file_lit}, q._row, q.column_name, q.value, q.rule, q.message, "
            f"left(CAST(json_object({pairs}) AS VARCHAR), 2000) "
            f"FROM ({' UNION ALL '.join(parts)}) q JOIN {ident(staged.view)} s USING (_row)"
        )
    if staged.malformed_table and staged.rows_malformed:
        malformed = (
            f"{file_lit} || ' row ' || row_number || ': not a CSV row of the header''s "
            f"{len(staged.header)} columns (' || message || ')'"
        )
        con.execute(
            f"INSERT INTO quarantine SELECT {lit(load_id)}, {lit(spec.name)}, "
            f"{file_lit}, row_number, column_name, value, rule, "
            f"CASE WHEN rule = {lit(Rule.MALFORMED)} THEN {malformed} ELSE message END, "
            f"to_json(value) FROM {ident(staged.malformed_table)}"
        )
