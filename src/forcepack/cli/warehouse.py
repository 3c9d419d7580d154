"""``forcepack warehouse``: create and inspect warehouses."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.common import (
    new_warehouse_path,
    note,
    progress,
    quiet_option,
    warehouse_path,
)
from forcepack.cli.options import db_option as shared_db_option
from forcepack.cli.out import force_option, warn_location

db_option = shared_db_option()
write_db_option = shared_db_option(writes=True)


@click.group()
def warehouse() -> None:
    """Create and inspect the DuckDB warehouse."""


@warehouse.command("create")
@db_option
@click.option(
    "--replace", is_flag=True, help="Delete an existing warehouse file first (its data are lost)."
)
def create_cmd(db: Path | None, replace: bool) -> None:
    """Create a warehouse with every contract table and the shipped reference data.

    The only command (with `forcepack demo`) that creates a warehouse: the others refuse a
    missing one. An existing file is kept as it is (missing tables are added) unless --replace.
    """
    from forcepack.warehouse import create

    path = create(new_warehouse_path(db), replace=replace)
    click.echo(f"warehouse ready: {path}")


@warehouse.command("info")
@db_option
def info(db: Path | None) -> None:
    """Row counts of every table and the data hash."""
    from forcepack.warehouse import connect, data_hash, table_counts

    path = warehouse_path(db)
    con = connect(path)
    try:
        click.echo(f"warehouse {path}  data hash {data_hash(con)}")
        for name, n in table_counts(con).items():
            click.echo(f"  {name:<22} {n:>12,}")
    finally:
        con.close()


@warehouse.command("derive")
@write_db_option
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild every crime's rows, not only those of the crimes changed since the last "
    "derive (the tables are the same either way).",
)
@quiet_option()
def derive_cmd(db: Path | None, full: bool) -> None:
    """Rebuild the derived tables (harm scores, victim care) after loading a month's extracts.

    Only the crimes added or corrected since the last derive are rebuilt, unless a reference
    list changed or --full is given."""
    from forcepack.derive import STEPS, derive

    path = warehouse_path(db, writes=True)
    with progress("derive", total=len(STEPS)) as advance:
        result = derive(
            path, progress=advance, full=full, detail=lambda text: advance(text, done=False)
        )
    if result.changed_crimes is not None and set(result.how.values()) == {"changed"}:
        note(f"rebuilt the rows of {result.changed_crimes:,} changed crimes only")
    click.echo(
        f"harm: {result.harm_crimes:,} crimes scored, {result.harm_days:,.0f} harm days "
        f"({result.seconds['harm']:.1f} s)"
    )
    click.echo(
        f"victim care: {result.victim_care_victims:,} victims, "
        f"{result.victim_care_obligations:,} obligations ({result.seconds['victim care']:.1f} s)"
    )


@warehouse.command("load-parquet")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@db_option
@click.option(
    "--replace", is_flag=True, help="Delete an existing warehouse file first (its data are lost)."
)
@click.option(
    "--check-keys",
    is_flag=True,
    help="Check the force and public tables' keys by query instead of indexing them, for a "
    "national warehouse whose key indexes would not fit in memory (needs --replace or a new "
    "file; extracts can then never be ingested into it).",
)
@quiet_option()
def load_parquet_cmd(folder: Path, db: Path | None, replace: bool, check_keys: bool) -> None:
    """Load FOLDER/<table>/*.parquet into a warehouse in bulk, in one transaction.

    For Parquet files with the contract's columns that forcepack wrote (`forcepack demo scale`,
    `forcepack warehouse export`) or a pipeline has already validated: the engine checks
    types, required columns and keys, and any failure refuses the whole load (no quarantine;
    extracts go through `forcepack ingest`). A reference table given files (districts) is
    replaced by them.
    """
    from forcepack.contract.spec import TABLES
    from forcepack.errors import InputError
    from forcepack.warehouse.bulk import load_parquet

    path = new_warehouse_path(db)
    if check_keys and path.exists() and not replace:
        raise InputError(
            f"--check-keys builds a new warehouse, and {path} exists",
            hint="add --replace (its data are lost) or name a new --db file",
        )
    files = {
        t.name: sorted((folder / t.name).glob("*.parquet"))
        for t in TABLES.values()
        if (folder / t.name).is_dir()
    }
    files = {name: found for name, found in files.items() if found}
    if not files:
        raise InputError(
            f"no <table>/*.parquet folders in {folder}",
            hint="name a folder holding one folder per contract table, such as crimes/",
        )
    with progress("load", total=len(files)) as advance:
        rows = load_parquet(
            path, files, replace=replace, index_keys=not check_keys, progress=advance
        )
    for name, n in rows.items():
        click.echo(f"  {name:<22} {n:>12,} rows from {len(files[name])} files")
    click.echo(f"loaded {sum(rows.values()):,} rows into {path}")


@warehouse.command("export")
@db_option
@click.option(
    "--parquet",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder to write DIR/<table>/<table>.parquet into (created if missing).",
)
@click.option(
    "--table",
    "tables",
    multiple=True,
    metavar="TABLE",
    help="Export this table (repeatable; default: every contract table the warehouse holds, "
    "derived ones included, but forcepack's own bookkeeping).",
)
@force_option()
def export_cmd(db: Path | None, out: Path, tables: tuple[str, ...], force: bool) -> None:
    """Write warehouse tables to Parquet files, one folder per table, for another engine.

    The layout is the one `forcepack demo scale` writes, so `forcepack measures compute
    --backend pyspark --parquet DIR` reads the force tables and the derived ones (after
    `forcepack warehouse derive`) from such folders. The files hold the warehouse's records,
    pseudonymous person ids included: keep them as securely as the warehouse.
    """
    from forcepack.warehouse import connect
    from forcepack.warehouse.parquet import export_parquet

    con = connect(warehouse_path(db))
    try:
        done = export_parquet(con, out, list(tables) or None, replace=force)
    finally:
        con.close()
    warn_location(out)
    for item in done:
        click.echo(f"  {item.table:<26} {item.rows:>12,} rows  {item.path}")
    click.echo(f"wrote {len(done)} tables to {out}")
