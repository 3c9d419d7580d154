"""``forcepack ingest``: load extracts and data.police.uk files; report on data quality.

``forcepack ingest TABLE FILE...`` loads extracts of a contract table (the first argument falls
through to ``load`` when it is not a subcommand name); ``police-uk`` and ``report`` are
subcommands.
"""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.common import progress, warehouse_path
from forcepack.cli.options import db_option as shared_db_option
from forcepack.cli.options import file_option

db_option = shared_db_option()
write_db_option = shared_db_option(writes=True)


class IngestGroup(click.Group):
    """A group whose unknown first argument is a table name for ``load``."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "load", self.commands["load"], args
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(
            "forcepack ingest", "TABLE FILE... [--db PATH] | police-uk PATH... | report"
        )


def _echo_result(result: object) -> None:
    from forcepack.contract.vocab import LoadStatus
    from forcepack.ingest import LoadResult

    assert isinstance(result, LoadResult)
    click.echo(result.summary())
    if result.status is LoadStatus.KEPT:  # the summary is the one line that says why
        return
    if result.extra_columns:
        click.echo(f"  extra columns reported, not loaded: {', '.join(result.extra_columns)}")
    if result.absent_columns:
        click.echo(f"  optional columns not in the file: {', '.join(result.absent_columns)}")
    for rule, column, n in result.top_reasons:
        click.echo(f"  quarantined {n:,} rows: {rule}" + (f" ({column})" if column else ""))
    if result.values_restated:
        click.echo(f"  {result.values_restated:,} values restated (see the restatements table)")
    for note in result.notes:
        click.echo(f"  {note}")


@click.group(cls=IngestGroup, invoke_without_command=False)
def ingest() -> None:
    """Load extracts into the warehouse, validating every row; report on data quality.

    \b
    forcepack ingest TABLE FILE... [--db PATH]   extracts (CSV, Parquet, .xlsx) of a contract
                                                table, e.g. `forcepack ingest crimes crimes.csv`
    forcepack ingest police-uk PATH... [--db PATH]  data.police.uk files, folders or archive zips
    forcepack ingest report [--db PATH] [--table T] the data quality report

    The warehouse must exist (`forcepack warehouse create --db PATH` makes one); loads name
    it on stderr. Every row read is loaded or quarantined with a reason (rows read = loaded +
    quarantined).
    A file already loaded adds nothing; a corrected re-extract updates records by key and keeps
    what changed in the restatements table. `forcepack contract` lists the tables and columns.
    """


@ingest.command("load")
@click.argument("table")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@write_db_option
@file_option(
    "--columns",
    "columns",
    help="TOML file mapping the export's own column names to contract columns "
    "(see docs/force-setup.md).",
)
def load_cmd(table: str, files: tuple[Path, ...], db: Path | None, columns: Path | None) -> None:
    """Load FILES (CSV, Parquet or .xlsx) into contract table TABLE, one load per file."""
    from forcepack.ingest import load_extract
    from forcepack.ingest.columns import read_column_map

    mapping = read_column_map(columns).get(table) if columns else None
    path = warehouse_path(db, writes=True)
    for f in files:
        with progress(f"loading {f.name}"):
            result = load_extract(path, table, f, columns=mapping)
        _echo_result(result)


@ingest.command("police-uk")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@write_db_option
@file_option(
    "--outcome-map",
    help="TOML mapping of outcome text to Home Office outcome groups (default: the shipped, "
    "documented police_uk_outcomes.toml).",
)
@click.option(
    "--supersede",
    is_flag=True,
    default=False,
    help="A file with fewer rows for a force and month than already loaded replaces the month "
    "(without it, such a partial re-download is reported and what was loaded is kept).",
)
@click.option(
    "--force",
    "force_names",
    multiple=True,
    metavar="NAME",
    help="Load only this force's files (name, data.police.uk id or Falls within text); "
    "repeat for several.",
)
def police_uk_cmd(
    paths: tuple[Path, ...],
    db: Path | None,
    outcome_map: Path | None,
    supersede: bool,
    force_names: tuple[str, ...],
) -> None:
    """Load data.police.uk street and outcomes files, folders of them, or monthly archive zips
    (YYYY-MM/YYYY-MM-<force>-street.csv inside), each row stamped with its archive."""
    from forcepack.contract.forces import find_force
    from forcepack.ingest import load_police_uk

    forces = [find_force(n).force_id for n in force_names] or None
    path = warehouse_path(db, writes=True)
    with progress("loading data.police.uk files") as advance:
        results = load_police_uk(
            path,
            paths,
            outcome_map=outcome_map,
            supersede=supersede,
            forces=forces,
            on_file=advance,
        )
    for r in results:
        _echo_result(r)
    if not results:
        click.echo("no street or outcomes files found")


@ingest.command("report")
@db_option
@click.option(
    "--table",
    default=None,
    help="Report only this contract table (default: every table with loads or data).",
)
def report_cmd(db: Path | None, table: str | None) -> None:
    """Print the data quality report of an existing warehouse; reads it, changes nothing.

    For each table: its row count; the loads (file, rows read = loaded + quarantined) and the
    commonest reasons rows were quarantined; the date range and the days with no records; and
    the columns that are not always filled in, with the share of rows that have a value.
    """
    from forcepack.ingest import quality_report

    click.echo(quality_report(warehouse_path(db), table).to_text())
