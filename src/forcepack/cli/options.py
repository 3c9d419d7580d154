"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

DB_HELP = "Warehouse file (default: $FORCEPACK_DB or out/demo/warehouse.duckdb)."


def db_option(*, created_if_missing: bool = False):
    """``--db PATH``: the warehouse a command reads or writes."""
    help_text = DB_HELP[:-1] + "; created if missing." if created_if_missing else DB_HELP
    return click.option(
        "--db", type=click.Path(dir_okay=False, path_type=Path), default=None, help=help_text
    )
