"""Loading a reference list (districts, neighbourhoods, offences, outcome and call types).

A reference file is the force's whole list, not an increment: it loads whole or not at all, and
it replaces the list it supersedes. Inside the load's transaction, before anything is written:

- a row that breaks any rule (a population of zero, a neighbourhood in an unknown district, a
  district code twice) refuses the file, naming the first rows and what to do;
- the force's area names must be consistent: two spellings of one area (``North`` and
  ``north ``) refuse the file;
- a code that force data already use may not disappear: an offence list missing an offence code
  that loaded crimes carry (or a districts file missing a district that incidents name) refuses
  the file, naming the codes and how many records use them.

Otherwise the rows not in the new list are removed and the file's rows upserted; the load's
notes say how many were removed. A refused file changes nothing.
"""

from __future__ import annotations

import duckdb

from forcepack.contract.spec import TABLES, Role, Table
from forcepack.errors import DataError
from forcepack.warehouse.sql import ident

#: Most examples named in a refusal.
MAX_EXAMPLES = 5


def _referencing(spec: Table) -> list[tuple[str, str, str]]:
    """``(table, column, referenced column)`` of every stored column that points at ``spec``."""
    out = []
    for t in TABLES.values():
        if t.role not in (Role.FORCE, Role.REFERENCE) or t.name == spec.name:
            continue
        for c in t.columns:
            if c.references is not None and c.references.table == spec.name:
                out.append((t.name, c.name, c.references.column))
    return out


def _refuse_quarantined(
    con: duckdb.DuckDBPyConnection, spec: Table, file: str, load_id: str
) -> None:
    rows = con.execute(
        "SELECT row_number, column_name, message FROM quarantine WHERE load_id = ? "
        "ORDER BY row_number, column_name LIMIT ?",
        [load_id, MAX_EXAMPLES],
    ).fetchall()
    (n,) = con.execute(  # type: ignore[misc]
        "SELECT count(DISTINCT row_number) FROM quarantine WHERE load_id = ?", [load_id]
    ).fetchone()
    if not n:
        return
    # the quarantine's messages are worded for a load that goes ahead; here nothing loads
    first = "; ".join(str(m).replace("; the first row is loaded", "") for _r, _c, m in rows)
    raise DataError(
        f"reference list {file} ({spec.name}): {n:,} row(s) break the contract, so the list "
        f"was not loaded and the stored {spec.name} are unchanged; {first}",
        hint="a reference list loads whole or not at all: correct those rows and load it again",
    )


def _check_areas(con: duckdb.DuckDBPyConnection, file: str, clean: str) -> None:
    rows = con.execute(
        "SELECT list(area ORDER BY r), list(r ORDER BY r) FROM (SELECT area, min(_row) AS r "
        f"FROM {ident(clean)} GROUP BY area) GROUP BY lower(trim(area)) "
        "HAVING count(*) > 1 ORDER BY min(r) LIMIT ?",
        [MAX_EXAMPLES],
    ).fetchall()
    if rows:
        spellings = "; ".join(
            ", ".join(f'"{a}" at row {r:,}' for a, r in zip(names, at, strict=True))
            for names, at in rows
        )
        raise DataError(
            f"reference list {file} (districts): one area is spelt more than one way "
            f"({spellings}), so the list was not loaded",
            hint="spell each policing area the same way on every district",
        )


def _check_codes_in_use(con: duckdb.DuckDBPyConnection, spec: Table, file: str, clean: str) -> None:
    if len(spec.key) != 1:
        return
    key = spec.key[0]
    for table, column, target in _referencing(spec):
        if target != key:
            continue
        rows = con.execute(
            f"SELECT {ident(column)}, count(*) AS n FROM {ident(table)} t "
            f"WHERE {ident(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {ident(clean)} c "
            f"WHERE c.{ident(key)} = t.{ident(column)}) GROUP BY 1 ORDER BY n DESC, 1 LIMIT ?",
            [MAX_EXAMPLES],
        ).fetchall()
        if rows:
            codes = ", ".join(f"{v} ({n:,} {table})" for v, n in rows)
            raise DataError(
                f"reference list {file} ({spec.name}): it lacks {key} values that loaded "
                f"{table}.{column} use: {codes}; the list was not loaded",
                hint=f"a superseding {spec.name} list must keep every {key} in use "
                f"(mark a retired one with its dates instead of dropping it)",
            )


def replace_reference(
    con: duckdb.DuckDBPyConnection, spec: Table, file: str, clean: str, load_id: str
) -> list[str]:
    """Check a reference list loaded into the view ``clean`` and remove the rows it drops.

    Runs inside the load's transaction after quarantine, before the upsert; raises
    :class:`DataError` (the caller rolls back) when the list must be refused.
    """
    _refuse_quarantined(con, spec, file, load_id)
    if spec.name == "districts":
        _check_areas(con, file, clean)
    _check_codes_in_use(con, spec, file, clean)
    if not spec.key:
        return []
    target = ident(spec.name)
    on = " AND ".join(f"c.{ident(k)} = {target}.{ident(k)}" for k in spec.key)
    (removed,) = con.execute(  # type: ignore[misc]
        f"DELETE FROM {target} WHERE NOT EXISTS (SELECT 1 FROM {ident(clean)} c WHERE {on})"
    ).fetchone()
    if removed:
        return [f"{int(removed):,} {spec.name} row(s) not in {file} were removed (superseded)"]
    return []
