"""Which data.police.uk records fall in the force's own area, decided by the force's lookups.

A public record is in the force's area when its LSOA is in the force's ``lsoas`` lookup; when
the force has loaded no such lookup, when the prefix of its LSOA name (``Bedford 003A`` ->
``Bedford``) is one of the names in the force's ``districts``. Its ``district_name`` is the
force's own district name through the lookup, or else that prefix. The flags are computed when a
public file loads and computed again whenever the force's ``districts`` or ``lsoas`` change, so
loading a force's districts after its public files flags them correctly.
"""

from __future__ import annotations

import duckdb

from forcepack.warehouse.sql import ident

#: Tables whose change can move a public record in or out of the force's area.
AREA_TABLES = ("districts", "lsoas")
PUBLIC_TABLES = ("public_crimes", "public_outcomes")
# "Bedford 003A": a district name, a space, three digits and a letter.
_PREFIX = (
    "CASE WHEN regexp_matches({name}, '^.+ [0-9]{{3}}[A-Z]$') "
    "THEN regexp_extract({name}, '^(.+) [0-9]{{3}}[A-Z]$', 1) END"
)


def prefix_district(name: str = "lsoa_name") -> str:
    """SQL: the district part of the LSOA name column ``name``."""
    return _PREFIX.format(name=ident(name))


def district_name(code: str = "lsoa_code", name: str = "lsoa_name") -> str:
    """SQL: the force's district name of the record's LSOA, or else its name's prefix."""
    # the lookup's own column is renamed so that the record's column binds to the outer row
    return (
        "coalesce((SELECT d.district_name FROM (SELECT lsoa_code AS _lookup_code, district_code "
        "FROM lsoas) l JOIN districts d USING (district_code) "
        f"WHERE l._lookup_code = {ident(code)}), {prefix_district(name)})"
    )


def in_force_area(code: str = "lsoa_code", name: str = "lsoa_name") -> str:
    """SQL: whether the record lies in the force's area (never null)."""
    return (
        "CASE WHEN EXISTS (SELECT 1 FROM lsoas) "
        f"THEN coalesce({ident(code)} IN (SELECT lsoa_code FROM lsoas), false) "
        f"ELSE coalesce(({prefix_district(name)}) IN (SELECT district_name FROM districts), false) "
        "END"
    )


def reflag(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Compute ``district_name`` and ``in_force_area`` of every public record again."""
    changed = 0
    for table in PUBLIC_TABLES:
        new_name, new_flag = district_name(), in_force_area()
        (n,) = con.execute(  # type: ignore[misc]
            f"UPDATE {ident(table)} SET district_name = {new_name}, in_force_area = {new_flag} "
            f"WHERE district_name IS DISTINCT FROM {new_name} "
            f"OR in_force_area IS DISTINCT FROM {new_flag}"
        ).fetchone()
        changed += int(n)
    if not changed:
        return []
    return [f"{changed:,} data.police.uk records re-flagged for the force's area"]
