"""The one quoting helper: every identifier and literal in hand-written SQL goes through it.

Each case is checked against DuckDB itself: the quoted text must come back from the engine as
exactly the value that went in, however hostile, and never run as SQL of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from forcepack.errors import InputError
from forcepack.warehouse.sql import (
    ROWS_PER_INSERT,
    ident,
    ident_list,
    insert_rows,
    lit,
    lit_list,
    memory_limit,
    qualified,
    threads,
)

HOSTILE = [
    "plain",
    'a"b',
    "it's",
    "x\" AS c0 FROM read_parquet('f'); CREATE TABLE pwned AS SELECT 1; --",
    "'); DROP TABLE t; --",
    '"; DROP TABLE t; --',
    "back\\slash",
    "new\nline",
    "Caf\u00e9 \u2013 \u2018Mill Road\u2019",
    "",
]


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def test_ident_doubles_quotes_and_always_quotes() -> None:
    assert ident("crimes") == '"crimes"'
    assert ident('a"b') == '"a""b"'
    assert qualified("main", 'x"y') == '"main"."x""y"'
    assert ident_list(["a", 'b"']) == '"a", "b"""'


@pytest.mark.parametrize("name", [h for h in HOSTILE if h])
def test_ident_names_a_column_exactly_and_runs_nothing(name: str) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    con.execute(f"CREATE TABLE q AS SELECT 1 AS {ident(name)}")
    assert [d[0] for d in con.execute("SELECT * FROM q").description] == [name]
    (value,) = con.execute(f"SELECT {ident(name)} FROM q").fetchone()  # type: ignore[misc]
    assert value == 1
    assert _tables(con) == {"t", "q"}


@pytest.mark.parametrize("text", HOSTILE)
def test_lit_round_trips_through_the_engine(text: str) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER)")
    (value,) = con.execute(f"SELECT {lit(text)}").fetchone()  # type: ignore[misc]
    assert value == text
    assert _tables(con) == {"t"}


def test_lit_of_other_types() -> None:
    assert lit(None) == "NULL"
    assert (lit(True), lit(False)) == ("true", "false")
    assert lit(3) == "3"
    assert lit(Path("/tmp/it's.csv")) == "'/tmp/it''s.csv'"
    con = duckdb.connect()
    assert con.execute(f"SELECT {lit(2.5)}, {lit(-7)}").fetchone() == (2.5, -7)
    values = ["a", "b'c", None]
    assert con.execute(f"SELECT [{lit_list(values)}]").fetchone() == (values,)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_lit_refuses_numbers_that_are_not_finite(bad: float) -> None:
    with pytest.raises(InputError, match="not a finite number"):
        lit(bad)


def test_nul_bytes_are_refused_not_truncated() -> None:
    with pytest.raises(InputError, match="NUL"):
        lit("a\x00b")
    with pytest.raises(InputError, match="NUL"):
        ident("a\x00b")


@pytest.mark.parametrize("size", ["8GB", "512MB", " 1.5GiB ", "100kb"])
def test_memory_limit_accepts_sizes_duckdb_takes(size: str) -> None:
    con = duckdb.connect()
    con.execute(memory_limit(size))
    (setting,) = con.execute("SELECT current_setting('memory_limit')").fetchone()  # type: ignore[misc]
    assert setting  # DuckDB reports it back in its own units


@pytest.mark.parametrize(
    "bad", ["", "lots", "8", "8GB'; CREATE TABLE pwned AS SELECT 1; --", "-1GB", "GB"]
)
def test_memory_limit_refuses_anything_else(bad: str) -> None:
    with pytest.raises(InputError, match="is not a size"):
        memory_limit(bad)


@pytest.mark.parametrize("bad", ["0", "-2", "two", "2; DROP TABLE t", ""])
def test_threads_refuses_anything_but_a_count(bad: str) -> None:
    with pytest.raises(InputError, match="is not a whole number"):
        threads(bad)


def test_every_connection_takes_the_memory_and_thread_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``$FORCEPACK_MEMORY_LIMIT`` and ``$FORCEPACK_THREADS`` bound every warehouse connection
    (load, derive, refresh, the paper), not only a load's."""
    from forcepack.warehouse import connect, create

    db = create(tmp_path / "w.duckdb")
    monkeypatch.setenv("FORCEPACK_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("FORCEPACK_THREADS", "1")
    for read_only in (True, False):
        con = connect(db, read_only=read_only)
        limit, n = con.execute(  # type: ignore[misc]
            "SELECT current_setting('memory_limit'), current_setting('threads')"
        ).fetchone()
        con.close()
        assert n == 1
        assert limit.replace(" ", "") in {"286.1MiB", "300.0MB"}
    monkeypatch.setenv("FORCEPACK_THREADS", "lots")
    with pytest.raises(InputError, match="FORCEPACK_THREADS='lots'"):
        connect(db)


def test_insert_rows_stores_what_a_row_by_row_insert_stores() -> None:
    """Bound values (hostile text, nulls, numbers a column casts, times, dates) land exactly as
    ``executemany`` lands them, across a statement boundary, into a hostile table name."""
    con = duckdb.connect()
    table = 'x"; DROP TABLE y; --'
    cols = ["t", "n", "d", "seen", "ok"]
    for name in (table, "by_row"):
        con.execute(
            f"CREATE TABLE {ident(name)} (t VARCHAR, n DOUBLE, d DATE, seen TIMESTAMP, ok BOOLEAN)"
        )
    rows = [
        [
            HOSTILE[i % len(HOSTILE)] if i % 7 else None,
            i if i % 2 else i + 0.25,
            dt.date(2019, 1, 1) + dt.timedelta(days=i) if i % 5 else "2019-12-31",
            dt.datetime(2019, 4, 1, 9, 30) + dt.timedelta(minutes=i),
            None if i % 3 == 0 else i % 2 == 0,
        ]
        for i in range(ROWS_PER_INSERT + 3)
    ]
    assert insert_rows(con, table, cols, iter(rows)) == len(rows)
    con.executemany("INSERT INTO by_row VALUES (?, ?, ?, ?, ?)", rows)
    got = con.execute(f"SELECT * FROM {ident(table)} ORDER BY seen").fetchall()
    assert got == con.execute("SELECT * FROM by_row ORDER BY seen").fetchall()
    assert len(got) == ROWS_PER_INSERT + 3
    assert insert_rows(con, table, cols, []) == 0
    with pytest.raises(ValueError, match="has 2 values, not 5"):
        insert_rows(con, table, cols, [["a", 1]])


def test_contract_names_are_plain_identifiers() -> None:
    """The generated DDL and the validation SQL name contract tables and columns; they are
    plain lower-case identifiers, so the quoted and the bare form are the same name."""
    from forcepack.contract.spec import TABLES

    plain = re.compile(r"[a-z_][a-z0-9_]*")
    for table in TABLES.values():
        assert plain.fullmatch(table.name), table.name
        for column in table.column_names:
            assert plain.fullmatch(column), f"{table.name}.{column}"


def test_no_connection_installs_or_loads_an_extension(tmp_path: Path) -> None:
    """forcepack runs offline: a warehouse connection (read-only or not) and an in-memory one
    never install or load an extension behind a query's back, so a query wanting one that is
    not built in (the Excel reader here) fails naming it rather than downloading it."""
    from forcepack.warehouse import connect, create
    from forcepack.warehouse.core import open_duckdb

    db = create(tmp_path / "w.duckdb")
    opens = (lambda: connect(db), lambda: connect(db, read_only=False), open_duckdb)
    for open_ in opens:
        con = open_()
        try:
            settings = con.execute(
                "SELECT current_setting('autoinstall_known_extensions'), "
                "current_setting('autoload_known_extensions')"
            ).fetchone()
            assert settings == (False, False)
            with pytest.raises(duckdb.CatalogException, match="excel"):
                con.execute("SELECT * FROM read_xlsx('nothing.xlsx')")
            loaded = {
                r[0]
                for r in con.execute(
                    "SELECT extension_name FROM duckdb_extensions() WHERE loaded"
                ).fetchall()
            }
            assert "excel" not in loaded
        finally:
            con.close()


def test_a_callers_own_connection_to_the_warehouse_is_shared(tmp_path: Path) -> None:
    """A library user holding a DuckDB connection to the warehouse in the same process can
    still open it through forcepack (DuckDB shares an open database only with connections
    asking for the same settings at open, so the offline settings are set after it)."""
    from forcepack.warehouse import connect, create

    db = create(tmp_path / "w.duckdb")
    own = duckdb.connect(str(db), read_only=True)
    try:
        con = connect(db)
        assert con.execute("SELECT count(*) FROM districts").fetchall()[0][0] >= 0
        con.close()
    finally:
        own.close()


def test_only_the_warehouse_opens_duckdb() -> None:
    """Every DuckDB database forcepack opens goes through ``open_duckdb`` (the offline
    settings): no other module calls ``duckdb.connect``."""
    from pathlib import Path

    import forcepack

    root = Path(forcepack.__file__).parent
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "duckdb.connect(" in line
    ]
    assert [f.split(":")[0] for f in found] == ["warehouse/core.py"], found


def test_no_module_quotes_sql_by_hand() -> None:
    """Identifiers and literals reach SQL only through forcepack.warehouse.sql: no module builds
    a quoted literal or identifier itself (an f-string wrapping a value in quotes, or a quote
    joined onto a value)."""
    import re
    from pathlib import Path

    import forcepack

    root = Path(forcepack.__file__).parent
    # an SQL string literal made in an f-string ('{value}'), or a quote joined onto a value
    hand_quoting = re.compile(r"f\"[^\"\n]*'\{[^}]+\}'" + r"|\"'\" \+ |\+ \"'\"")
    allowed = {root / "warehouse" / "sql.py", root / "outputs.py"}  # the helper; formula defusing
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hand_quoting.search(line)
    ]
    assert not found, "\n".join(found)
