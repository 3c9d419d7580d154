"""Defaults and paths shared by the library and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

#: Where ``make demo`` writes its outputs.
DEMO_OUT = Path("out/demo")
#: The demo warehouse, and the default for every command that takes ``--db``.
DEFAULT_DB = DEMO_OUT / "warehouse.duckdb"
#: Seed of the demo force.
DEMO_SEED = 20191231
#: Counts below this are suppressed in public outputs.
SUPPRESSION_THRESHOLD = 5


def default_db() -> Path:
    """The warehouse path: ``$FORCEPACK_DB`` if set, else the demo warehouse."""
    return Path(os.environ.get("FORCEPACK_DB", str(DEFAULT_DB)))
