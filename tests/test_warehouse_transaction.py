"""``transaction``: the one way forcepack runs a block of statements as a whole, every write
to a warehouse (loads, derived tables, stored results, the access log) going through it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from forcepack.errors import WarehouseError
from forcepack.warehouse.core import open_warehouse, transaction


def _rows(con: duckdb.DuckDBPyConnection) -> list[tuple[int]]:
    return con.execute("SELECT x FROM t ORDER BY x").fetchall()


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
    con.execute("INSERT INTO t VALUES (1)")
    return con


def test_a_block_that_ends_is_committed(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        con.execute("INSERT INTO t VALUES (2)")
    con.execute("BEGIN")  # nothing is left open, so a new transaction can begin
    con.execute("ROLLBACK")
    assert _rows(con) == [(1,), (2,)]


def test_a_block_that_raises_is_rolled_back_and_its_error_raised(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(KeyError, match="stop"), transaction(con):
        con.execute("INSERT INTO t VALUES (2)")
        con.execute("DELETE FROM t WHERE x = 1")
        raise KeyError("stop")
    assert _rows(con) == [(1,)]


def test_a_statement_that_fails_rolls_back_the_ones_before_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(duckdb.ConstraintException), transaction(con):
        con.execute("INSERT INTO t VALUES (2)")
        con.execute("INSERT INTO t VALUES (1)")  # the key is taken
    assert _rows(con) == [(1,)]


class _FailingCommit:
    """A connection whose COMMIT fails after ending the transaction, as an engine's may; its
    ROLLBACK then fails too, having no transaction to end."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, statement: str, *args: object) -> duckdb.DuckDBPyConnection:
        if statement == "COMMIT":
            self.con.execute("ROLLBACK")
            raise duckdb.TransactionException("commit failed: disk full")
        return self.con.execute(statement, *args)


def test_a_failed_commit_is_the_error_raised_not_the_rollback_after_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    failing = _FailingCommit(con)
    with (
        pytest.raises(duckdb.TransactionException, match="disk full"),
        transaction(failing),  # type: ignore[arg-type]
    ):
        failing.execute("INSERT INTO t VALUES (2)")
    assert _rows(con) == [(1,)]


def test_a_transaction_inside_another_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    """Writes never nest: a block that tried would fail at once, not commit half its work
    (the engine aborts the caller's transaction too, so nothing of either is kept)."""
    con.execute("BEGIN")
    con.execute("INSERT INTO t VALUES (2)")
    with (
        pytest.raises(duckdb.TransactionException, match="within a transaction"),
        transaction(con),
    ):
        con.execute("INSERT INTO t VALUES (3)")
    con.execute("ROLLBACK")  # the caller's, which the engine has aborted
    assert _rows(con) == [(1,)]


def test_a_file_that_is_not_a_database_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("not a database\n")
    with pytest.raises(WarehouseError, match=r"cannot open warehouse .*notes\.duckdb"):
        open_warehouse(path)


def test_a_missing_warehouse_gets_one_message_from_every_door(tmp_path: Path) -> None:
    """The library, the paper and the CLI check a warehouse path with ``require_warehouse``:
    the same words, with where the path came from when the caller knows it."""
    from forcepack.errors import MissingFileError
    from forcepack.report.build import build_paper
    from forcepack.warehouse.core import CREATE_HINT, connect, require_warehouse

    missing = tmp_path / "none.duckdb"
    for call in (lambda: connect(missing), lambda: build_paper(missing, "2019-12")):
        with pytest.raises(MissingFileError) as caught:
            call()
        assert caught.value.message == f"warehouse {missing} does not exist"
        assert caught.value.hint == CREATE_HINT
    with pytest.raises(MissingFileError, match=r"does not exist \(from --db\) \(create one"):
        require_warehouse(missing, "from --db")
    with pytest.raises(MissingFileError, match="is a folder, not a warehouse file"):
        require_warehouse(tmp_path)
    (tmp_path / "w.duckdb").write_bytes(b"")
    assert require_warehouse(tmp_path / "w.duckdb") == tmp_path / "w.duckdb"
