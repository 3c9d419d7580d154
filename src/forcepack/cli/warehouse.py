"""``forcepack warehouse``: create and inspect warehouses."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.options import db_option as shared_db_option
from forcepack.settings import default_db

db_option = shared_db_option()


@click.group()
def warehouse() -> None:
    """Create and inspect the DuckDB warehouse."""


@warehouse.command("create")
@db_option
@click.option("--replace", is_flag=True, help="Delete an existing file first.")
def create_cmd(db: Path | None, replace: bool) -> None:
    """Create a warehouse with every contract table and the shipped reference data."""
    from forcepack.warehouse import create

    path = create(db or default_db(), replace=replace)
    click.echo(f"warehouse ready: {path}")


@warehouse.command("info")
@db_option
def info(db: Path | None) -> None:
    """Row counts of every table and the data hash."""
    from forcepack.warehouse import connect, data_hash, table_counts

    path = db or default_db()
    con = connect(path)
    try:
        click.echo(f"warehouse {path}  data hash {data_hash(con)}")
        for name, n in table_counts(con).items():
            click.echo(f"  {name:<22} {n:>12,}")
    finally:
        con.close()


@warehouse.command("derive")
@db_option
def derive_cmd(db: Path | None) -> None:
    """Rebuild the derived tables (harm scores, victim care) after loading a month's extracts."""
    from forcepack.derive import derive

    result = derive(db or default_db())
    click.echo(
        f"harm: {result.harm_crimes:,} crimes scored, {result.harm_days:,.0f} harm days "
        f"({result.seconds['harm']:.1f} s)"
    )
    click.echo(
        f"victim care: {result.victim_care_victims:,} victims, "
        f"{result.victim_care_obligations:,} obligations ({result.seconds['victim care']:.1f} s)"
    )
