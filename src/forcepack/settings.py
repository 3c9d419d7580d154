"""Defaults and paths shared by the library and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

#: Where ``make demo`` writes its outputs.
DEMO_OUT = Path("out/demo")
#: The demo warehouse, and the default for every command that takes ``--db``.
DEFAULT_DB = DEMO_OUT / "warehouse.duckdb"
#: The environment variable naming the warehouse when ``--db`` is not given.
DB_ENV = "FORCEPACK_DB"
#: Seed of the demo force.
DEMO_SEED = 20191231
#: Counts below this are suppressed in public outputs.
SUPPRESSION_THRESHOLD = 5


def default_db() -> Path:
    """The warehouse path: ``$FORCEPACK_DB`` if set, else the demo warehouse."""
    return default_db_source()[0]


def default_db_source() -> tuple[Path, str]:
    """The default warehouse and where it came from: ``$FORCEPACK_DB`` or the demo default."""
    named = os.environ.get(DB_ENV, "").strip()
    if named:
        return Path(named), f"${DB_ENV}"
    return DEFAULT_DB, "the demo default"
