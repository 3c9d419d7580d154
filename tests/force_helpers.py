"""A new warehouse holding a force's own reference rows: the demo force's districts and call
types, which ``forcepack.warehouse.create`` (rightly) does not ship."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from forcepack.demo.force_reference import install
from forcepack.warehouse import connect, create


def build_force(path: str | Path) -> Path:
    """``create(path)`` plus the demo force's districts and call types, built from nothing."""
    db = create(path)
    con = connect(db, read_only=False)
    try:
        install(con)
    finally:
        con.close()
    return db


@functools.cache
def _template() -> Path:
    """One such warehouse per test process (building one takes about 0.2 s; copying it a
    millisecond). The tests of ``create`` itself build theirs from nothing. Its folder is removed
    when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="forcepack-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return build_force(folder / "force.duckdb")


def create_force(path: str | Path) -> Path:
    """A new warehouse at ``path`` as :func:`build_force` makes it (a copy of this process's
    template), or, when ``path`` exists, ``build_force`` on it."""
    path = Path(path)
    if path.exists():
        return build_force(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(), path)
    return path
