"""``forcepack update FOLDER``: a month's work in one command."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.common import quiet_option, show_progress, warehouse_path
from forcepack.cli.options import db_option, file_option
from forcepack.errors import InputError


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        name, sep, table = v.partition("=")
        if not sep or not name or not table:
            raise InputError(
                f'--table "{v}" is not FILE=TABLE', hint="e.g. --table export1.csv=crimes"
            )
        out[name] = table
    return out


@click.command("update")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@db_option(writes=True)
@click.option(
    "--table",
    "tables",
    multiple=True,
    metavar="FILE=TABLE",
    help="The table of a file whose name does not say it (repeat for several files).",
)
@file_option(
    "--columns",
    help="TOML file mapping each table's export column names to contract columns.",
)
@click.option(
    "--no-refresh", is_flag=True, help="Load and derive only; do not refresh stored measures."
)
@quiet_option()
def update(
    folder: Path,
    db: Path | None,
    tables: tuple[str, ...],
    columns: Path | None,
    no_refresh: bool,
) -> None:
    """Load every extract in FOLDER, rebuild harm and victim care, refresh stored measures.

    Each file's table is read from its name (crimes-2019-12.csv, calls.parquet ...) or given
    with --table; data.police.uk street and outcomes files are recognised too. Reference lists
    (districts, neighbourhoods, offences, call types) load first. The warehouse must exist
    (forcepack warehouse create).
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    from forcepack.ingest.columns import read_column_map
    from forcepack.update import update as run

    path = warehouse_path(db, writes=True)
    err = Console(stderr=True)
    bars: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description:<8}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        disable=not show_progress(),
    ) as progress:

        def step(name: str, done: int, total: int) -> None:
            if name not in bars:
                bars[name] = progress.add_task(name, total=max(total, 1))
            progress.update(bars[name], completed=done)

        result = run(
            path,
            folder,
            tables=_pairs(tables),
            columns=read_column_map(columns) if columns else None,
            refresh=not no_refresh,
            progress=step,
        )
    for load in result.loads:
        click.echo(load.summary())
        for note in load.notes:
            click.echo(f"  {note}")
    read = sum(r.rows_read for r in result.loads)
    loaded = sum(r.rows_loaded for r in result.loads)
    quarantined = sum(r.rows_quarantined for r in result.loads)
    click.echo(
        f"{len(result.loads)} file(s): read {read:,} = loaded {loaded:,} + quarantined "
        f"{quarantined:,}" + (" (see forcepack ingest report)" if quarantined else "")
    )
    for skipped in result.skipped:
        click.echo(f"skipped {skipped.name}: not an extract (.csv, .parquet or .xlsx)")
    if result.derived:
        only = (
            f" (rebuilt for the {result.changed_crimes:,} changed crimes only)"
            if result.changed_crimes is not None and set(result.derive_how.values()) == {"changed"}
            else ""
        )
        click.echo(
            f"derived: harm for {result.harm_crimes:,} crimes, "
            f"{result.victim_care_obligations:,} victim care obligations{only}"
        )
    else:
        click.echo("derived: nothing changed, derived tables kept")
    if not no_refresh:
        click.echo(
            f"measures: {result.measures_refreshed:,} measure x window x cut results "
            f"({result.result_rows:,} rows) stored"
        )
