"""A new warehouse holding a force's own reference rows: the demo force's districts and call
types, which ``forcepack.warehouse.create`` (rightly) does not ship."""

from __future__ import annotations

from pathlib import Path

from forcepack.demo.force_reference import install
from forcepack.warehouse import connect, create


def create_force(path: str | Path) -> Path:
    """``create(path)`` plus the demo force's districts and call types."""
    db = create(path)
    con = connect(db, read_only=False)
    try:
        install(con)
    finally:
        con.close()
    return db
