"""``forcepack measures``: list, show and compute the measure catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from forcepack.cli.options import db_option as shared_db_option
from forcepack.cli.options import markdown_out_option, write_or_echo
from forcepack.errors import InputError

db_option = shared_db_option()


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
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (required for xlsx).",
)
@click.option(
    "--backend", type=click.Choice(["duckdb", "pyspark"]), default="duckdb", show_default=True
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
    no_cache: bool,
    store: bool,
    compare: bool,
) -> None:
    """Compute measures (all when no ID is given) as a tidy table."""
    from forcepack.measures import compute
    from forcepack.measures import export as ex

    if fmt == "xlsx" and out is None:
        raise InputError("--format xlsx writes a file: give --out PATH.xlsx")
    df = compute(
        list(ids) or None,
        db=db,
        months=list(months) or None,
        window=_split(windows) or ["month"],
        by=by,
        backend=backend,
        cache_results=False if no_cache else True if store else None,
        compare=compare,
    )
    if fmt == "xlsx":
        assert out is not None
        ex.to_xlsx(df, out)
        click.echo(f"wrote {len(df)} rows to {out}")
        return
    if fmt == "csv":
        text = ex.to_csv(df)
    elif fmt == "json":
        text = ex.to_json(df) + "\n"
    else:
        text = _table(df)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(df)} rows to {out}")


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@measures.command("refresh")
@click.argument("ids", nargs=-1)
@db_option
@window_option(
    "Windows to store (repeatable or comma-separated)  [default: month, rolling12, fytd]"
)
def refresh_cmd(ids: tuple[str, ...], db: Path | None, windows: tuple[str, ...]) -> None:
    """Compute and store every measure (or IDs) in every window and cut, after a load.

    Each measure at force level and cut by each of its dimensions is stored in the warehouse
    under its definition and data hash; what is already stored for the same data is kept, not
    recomputed, and results for other data or older definitions are removed. The board paper
    and `measures compute` then read the stored figures.
    """
    from forcepack.measures.refresh import STANDARD_WINDOWS, refresh_file
    from forcepack.settings import default_db

    done = refresh_file(
        db or default_db(), ids=list(ids) or None, windows=_split(windows) or STANDARD_WINDOWS
    )
    for why in done.rebuilt:
        click.echo(f"rebuilt first: {why}")
    click.echo(
        f"{done.computations:,} measure x window x cut results ({done.rows:,} rows) up to date "
        f"in {done.seconds:.1f} s; {done.pruned:,} stale rows removed"
    )


def _table(df: object) -> str:
    import pandas as pd

    assert isinstance(df, pd.DataFrame)
    if df.empty:
        return "no results: the warehouse has no data for these measures and months\n"
    shown = df.copy()
    shown["value"] = shown["value"].map(lambda v: "" if pd.isna(v) else f"{v:,.4g}")
    for c in ("numerator", "denominator"):
        shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:,.6g}")
    return shown.to_string(index=False) + "\n"


@measures.command("docs")
@markdown_out_option()
def docs(out: Path | None) -> None:
    """Write docs/measures.md from the catalogue."""
    from forcepack.measures.docs import render_markdown

    write_or_echo(render_markdown(), out)


@measures.command("clear-cache")
@db_option
def clear_cache(db: Path | None) -> None:
    """Forget the stored results, so the next compute recomputes everything."""
    from forcepack.measures.cache import clear
    from forcepack.settings import default_db
    from forcepack.warehouse import connect

    con = connect(db or default_db(), read_only=False)
    try:
        click.echo(f"removed {clear(con)} stored result rows")
    finally:
        con.close()
