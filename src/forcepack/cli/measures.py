"""``forcepack measures``: list, show and compute the measure catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from forcepack.cli.common import note, progress, quiet_option, warehouse_path
from forcepack.cli.options import db_option as shared_db_option
from forcepack.cli.options import markdown_out_option, write_or_echo
from forcepack.cli.out import force_option
from forcepack.errors import DataError, InputError
from forcepack.measures.spec import Backend

db_option = shared_db_option()
write_db_option = shared_db_option(writes=True)


F = TypeVar("F", bound=Callable[..., Any])


def window_option(help_text: str) -> Callable[[F], F]:
    """``--window``, repeatable and comma-separated (see :func:`_split`)."""
    return click.option("--window", "windows", multiple=True, metavar="WINDOW", help=help_text)


@click.group()
def measures() -> None:
    """The measure catalogue: list, show and compute measures."""


@measures.command("list")
def list_cmd() -> None:
    """Every measure id with its kind and title."""
    from forcepack.measures import catalogue

    specs = catalogue()
    width = max(len(i) for i in specs)
    for spec in specs.values():
        click.echo(f"{spec.id:<{width}}  {spec.kind:<8}  {spec.title}")


@measures.command("show")
@click.argument("measure_id")
def show(measure_id: str) -> None:
    """A measure's definition, filters, kind and dimensions."""
    from forcepack.measures import get
    from forcepack.measures.docs import measure_lines

    click.echo("\n".join(measure_lines(get(measure_id))).rstrip())


@measures.command("columns")
@click.argument("source")
def columns(source: str) -> None:
    """Columns a measure over table SOURCE may use (own, lookup and derived)."""
    from forcepack.contract.spec import table
    from forcepack.measures.dimensions import available_columns

    table(source)
    for name, info in available_columns(source, snapshot=True).items():
        enum = f"  one of: {', '.join(info.enum)}" if info.enum else ""
        click.echo(f"{name:<28} {info.type.name.lower():<9} {info.description}{enum}")


@measures.command("compute")
@click.argument("ids", nargs=-1)
@db_option
@click.option(
    "--month",
    "months",
    multiple=True,
    metavar="YYYY-MM",
    help="Report this month (repeatable; default: every month in the data).",
)
@window_option(
    "month (the default), rolling12, rolling:N (e.g. rolling:9) or fytd; repeatable, "
    "or several separated by commas: the window column tells them apart."
)
@click.option(
    "--by",
    "by",
    multiple=True,
    metavar="DIM",
    help="Cut by a dimension (repeatable), e.g. --by district.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "xlsx"]),
    default="table",
    show_default=True,
    help="table: for reading (counts 70,240, shares 76.5%, medians in minutes); csv, json: "
    "full precision, counts as integers; xlsx: an Excel workbook (needs --out).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (required for xlsx; an existing file only with --force).",
)
@force_option()
@click.option(
    "--public",
    is_flag=True,
    help="For the public: counts of 1 to 4 by district or neighbourhood shown as [c], "
    "marked OFFICIAL (csv, json or xlsx).",
)
@click.option(
    "--backend",
    type=click.Choice([b.value for b in Backend]),
    default=Backend.DUCKDB.value,
    show_default=True,
    help="Engine that computes the measures (pyspark needs the spark extra).",
)
@click.option(
    "--parquet",
    "parquet",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="With --backend pyspark: Spark reads each table from DIR/<table>/*.parquet (the "
    "first DIR that has it; repeatable) instead of copying it from the warehouse: "
    "`forcepack demo scale` and `forcepack warehouse export --parquet` write this layout. "
    "Nothing is stored.",
)
@click.option("--no-cache", is_flag=True, help="Recompute instead of reading stored results.")
@click.option(
    "--store", is_flag=True, help="Store new results in the warehouse (opens it for writing)."
)
@click.option(
    "--compare",
    is_flag=True,
    help="Add the value of the same window one, three and twelve months earlier.",
)
def compute_cmd(
    ids: tuple[str, ...],
    db: Path | None,
    months: tuple[str, ...],
    windows: tuple[str, ...],
    by: tuple[str, ...],
    fmt: str,
    out: Path | None,
    backend: str,
    parquet: tuple[Path, ...],
    no_cache: bool,
    store: bool,
    compare: bool,
    force: bool,
    public: bool,
) -> None:
    """Compute measures (all when no ID is given) as a tidy table.

    Exits with an error when nothing at all matched (no data for any --month asked, or an
    empty warehouse); months asked for that have no data are named on stderr.
    """
    from forcepack.cli.format import render_table
    from forcepack.measures import catalogue, compute
    from forcepack.measures import export as ex
    from forcepack.measures.export import integral_counts
    from forcepack.outputs import check_out, write_text

    if fmt == "xlsx" and out is None:
        raise InputError("--format xlsx writes a file: give --out PATH.xlsx")
    if public and fmt == "table":
        raise InputError("--public applies to exports: give --format csv, json or xlsx")
    path = warehouse_path(db, writes=store)
    if out is not None:
        check_out(out, force=force, warehouse=path)
    df = compute(
        list(ids) or None,
        db=path,
        months=list(months) or None,
        window=_split(windows) or ["month"],
        by=by,
        backend=backend,
        cache_results=False if no_cache else True if store else None,
        compare=compare,
        parquet=parquet,
    )
    _report_missing(df, ids, months, path)
    kinds = {m: str(spec.kind) for m, spec in catalogue().items()}
    if fmt != "table":
        df = integral_counts(df, kinds)
    if public:
        df = ex.for_public(df)
    if fmt == "xlsx":
        assert out is not None
        ex.to_xlsx(df, out, marking=ex.PUBLIC_MARKING if public else None)
        click.echo(f"wrote {len(df)} rows to {out}")
        return
    if fmt == "csv":
        text = ex.to_csv(df)
    elif fmt == "json":
        text = ex.to_json(df) + "\n"
    else:
        text = render_table(df, kinds)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_text(out, text, force=force, warehouse=path)
        click.echo(f"wrote {len(df)} rows to {out}")


def _report_missing(df: Any, ids: tuple[str, ...], months: tuple[str, ...], path: Path) -> None:
    """Name the months asked for that have no results; refuse when nothing matched."""
    from forcepack.measures.compute import parse_months

    what = ", ".join(ids) if ids else "the catalogue's measures"
    asked = (parse_months(list(months)) if months else None) or []
    if df.empty:
        if asked:
            raise DataError(
                f"no results: the warehouse {path} has no data for {what} in "
                + ", ".join(f"{m:%Y-%m}" for m in asked),
                hint="`forcepack ingest report` shows the date range of each table",
            )
        raise DataError(
            f"no results: the warehouse {path} has no data for {what}",
            hint="load the force's extracts with `forcepack ingest`",
        )
    have = {(d.year, d.month) for d in df["period_end"]}
    empty = [f"{m:%Y-%m}" for m in asked if (m.year, m.month) not in have]
    if empty:
        note(f"no data for {what} in {', '.join(empty)}: those months are not shown")


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@measures.command("refresh")
@click.argument("ids", nargs=-1)
@write_db_option
@window_option(
    "Windows to store (repeatable or comma-separated)  [default: month, rolling12, fytd]"
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Keep the stored figures of periods whose windows hold no changed month and "
    "recompute only the others (the same figures; it records each month's rows, which on the "
    "demo force costs more than it saves).",
)
@quiet_option()
def refresh_cmd(
    ids: tuple[str, ...], db: Path | None, windows: tuple[str, ...], incremental: bool
) -> None:
    """Compute and store every measure (or IDs) in every window and cut, after a load.

    Each measure at force level and cut by each of its dimensions is stored in the warehouse
    under its definition and data hash; what is already stored for the same data is kept, not
    recomputed, and results for other data or older definitions are removed. The board paper
    and `measures compute` then read the stored figures.
    """
    from forcepack.measures.refresh import STANDARD_WINDOWS, cuts, refresh_file

    path = warehouse_path(db, writes=True)
    chosen = list(ids) or None
    with progress("measures", total=len(cuts(chosen))) as advance:
        done = refresh_file(
            path,
            ids=chosen,
            windows=_split(windows) or STANDARD_WINDOWS,
            progress=advance,
            incremental=incremental,
        )
    for why in done.rebuilt:
        click.echo(f"rebuilt first: {why}")
    click.echo(refresh_summary(done))


def refresh_summary(done: Any) -> str:
    """What a refresh did, in words: how many results it computed and how many it kept."""
    kept = done.computations - done.recomputed
    if done.recomputed == 0:
        did = f"all {done.computations:,} measure x window x cut results already stored for "
        did += "this data: nothing recomputed"
    elif kept == 0:
        did = f"recomputed and stored all {done.computations:,} measure x window x cut results"
    else:
        did = (
            f"recomputed and stored {done.recomputed:,} of {done.computations:,} measure x "
            f"window x cut results ({kept:,} already stored for this data)"
        )
    return f"{did}; {done.rows:,} rows in {done.seconds:.1f} s; {done.pruned:,} stale rows removed"


@measures.command("docs")
@markdown_out_option()
@force_option()
def docs(out: Path | None, force: bool) -> None:
    """Write docs/measures.md from the catalogue."""
    from forcepack.measures.docs import render_markdown

    write_or_echo(render_markdown(), out, force=force)


@measures.command("clear-cache")
@write_db_option
def clear_cache(db: Path | None) -> None:
    """Forget the stored results, so the next compute or refresh recomputes everything."""
    from forcepack.measures.cache import clear
    from forcepack.warehouse import connect

    con = connect(warehouse_path(db, writes=True), read_only=False)
    try:
        click.echo(f"removed {clear(con):,} stored result rows")
    finally:
        con.close()
