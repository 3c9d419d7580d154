"""The one way an identifier or a literal reaches SQL in forcepack.

Hand-written SQL (staging, validation, derived tables, bulk loads) is built from text. Every
name in it goes through :func:`ident` (always double-quoted, ``"`` doubled) and every value that
is not bound as a parameter goes through :func:`lit` (single-quoted, ``'`` doubled, NUL
refused), so a column header, a file path or a code taken from a file can never end a string
or a name and start a statement of its own. Prefer bound parameters (``?``) where DuckDB takes
them; these helpers are for the places it does not (table functions' arguments, DDL, ``SET``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from forcepack.errors import InputError

if TYPE_CHECKING:
    import duckdb

#: DuckDB memory limits: a number and a unit, as ``SET memory_limit`` accepts them.
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier: ``ident('a"b')`` is ``"a""b"``."""
    text = str(name)
    if "\x00" in text:
        raise InputError(f"a SQL name cannot contain a NUL byte: {text!r}")
    return '"' + text.replace('"', '""') + '"'


def qualified(*parts: str) -> str:
    """A dotted name with every part quoted: ``qualified("main", "crimes")``."""
    return ".".join(ident(p) for p in parts)


def lit(value: str | Path | int | float | bool | None) -> str:
    """``value`` as a SQL literal: text single-quoted with ``'`` doubled; numbers as numbers."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError(f"not a finite number for SQL: {value!r}")
        return repr(value)
    text = str(value)
    if "\x00" in text:
        raise InputError(f"a SQL literal cannot contain a NUL byte: {text[:80]!r}")
    return "'" + text.replace("'", "''") + "'"


def lit_list(values: Iterable[str | Path | int | float | bool | None]) -> str:
    """Comma-separated literals, for ``IN (...)`` or a list ``[...]``."""
    return ", ".join(lit(v) for v in values)


def ident_list(names: Iterable[str]) -> str:
    """Comma-separated quoted identifiers, for a column list."""
    return ", ".join(ident(n) for n in names)


#: Rows bound in one ``INSERT`` by :func:`insert_rows` (a reference list in one statement, with
#: few enough parameters for DuckDB's binder).
ROWS_PER_INSERT = 1_000


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> int:
    """Insert Python ``rows`` (values in ``columns`` order) into ``table``, as multi-row
    ``VALUES`` statements with bound parameters; returns how many.

    The values and casts are those of ``executemany`` with one row a statement, which costs a
    statement's planning for every row (about twenty times as long for a few hundred rows)."""
    width = len(columns)
    head = f"INSERT INTO {ident(table)} ({ident_list(columns)}) VALUES "
    mark = "(" + ", ".join("?" for _ in range(width)) + ")"
    rest = iter(rows)
    done = 0
    while batch := list(itertools.islice(rest, ROWS_PER_INSERT)):
        for row in batch:
            if len(row) != width:
                raise ValueError(f"a row for {table} has {len(row)} values, not {width}")
        con.execute(head + ", ".join([mark] * len(batch)), [v for row in batch for v in row])
        done += len(batch)
    return done


def memory_limit(value: str) -> str:
    """A ``SET memory_limit`` statement for ``value`` (``"8GB"``), checked before it is used."""
    if not _MEMORY.fullmatch(value.strip()):
        raise InputError(
            f"memory limit {value!r} is not a size",
            hint="give a number and a unit, such as 8GB or 512MB",
        )
    return f"SET memory_limit = {lit(value.strip())}"


def threads(value: str | int) -> str:
    """A ``SET threads`` statement for ``value`` (a whole number from 1), checked before use."""
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise InputError(
            f"thread count {value!r} is not a whole number from 1",
            hint="give the number of cores DuckDB may use, such as 2",
        )
    return f"SET threads = {lit(int(text))}"
