"""The server's read-only view of the warehouse file, reopened when the file is replaced.

``forcepack update`` builds a new warehouse file and swaps it in; a reader that already has the
old file open keeps reading it whole, and the next request sees the new one (a new
:class:`~forcepack.dashboard.data.Stored` and :class:`~forcepack.dashboard.scope.Places`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.dashboard.data import Stored
from forcepack.dashboard.scope import Places
from forcepack.warehouse.core import connect


@dataclass(frozen=True, slots=True)
class View:
    con: duckdb.DuckDBPyConnection
    stored: Stored
    places: Places


class Warehouse:
    def __init__(self, db: Path) -> None:
        self.db = Path(db)
        self._lock = threading.Lock()
        self._signature: tuple[int, ...] | None = None
        self._view: View | None = None

    def _current(self) -> tuple[int, ...]:
        st = os.stat(self.db)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def view(self) -> View:
        """The warehouse as it is now (opened read-only, reopened after a swap)."""
        sig = self._current()
        with self._lock:
            if self._view is None or sig != self._signature:
                con = connect(self.db, read_only=True)
                self._view = View(con, Stored(con, self.db), Places(con))
                self._signature = sig
            return self._view

    @contextlib.contextmanager
    def cursor(self) -> Iterator[tuple[duckdb.DuckDBPyConnection, View]]:
        """A cursor of its own for one request (DuckDB cursors may be used from one thread),
        with the view it reads; the cursor is closed when the block ends."""
        view = self.view()
        con = view.con.cursor()
        try:
            yield con, view
        finally:
            con.close()
