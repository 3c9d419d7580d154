"""``forcepack demo``: build the synthetic demo force (and, with ``scale``, many forces)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from forcepack.cli.options import folder_option
from forcepack.settings import DEMO_OUT, DEMO_SEED


def _month(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from forcepack.demo.config import parse_month

    return None if value is None else parse_month(value, f"--{param.name}")


def _month_span(command: Any) -> Any:
    """``--start`` and ``--end``: the first and last months generated (checked YYYY-MM)."""
    for name, default, what in (("--end", "2019-12", "Last"), ("--start", "2015-01", "First")):
        help = f"{what} month (YYYY-MM)."
        option = click.option(name, callback=_month, default=default, show_default=True, help=help)
        command = option(command)
    return command


def _progress_bar(steps: int, label: str) -> tuple[Any, Callable[[str], None]]:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        transient=False,
    )
    task = progress.add_task(label, total=steps)

    def advance(step: str) -> None:
        progress.update(task, advance=1, description=f"{label}: {step}")

    return progress, advance


@click.group(invoke_without_command=True)
@folder_option(
    "--out",
    default=DEMO_OUT,
    help="Folder for the Parquet files and the warehouse.",
)
@click.option(
    "--seed",
    type=int,
    default=DEMO_SEED,
    show_default=True,
    help="Random seed: the same seed gives the same data.",
)
@_month_span
@click.option(
    "--forces",
    type=int,
    default=1,
    show_default=True,
    help="Number of forces (more than 1 runs the scale path into --out).",
)
@click.option(
    "--shape",
    type=click.Choice(["demo", "other"]),
    default="demo",
    show_default=True,
    help="Which demo force: the Cambridgeshire-like one, or another with seven districts in "
    "three areas (West, Central, East) and its own offence and call-type codes.",
)
@click.option(
    "--paper/--no-paper",
    default=True,
    show_default=True,
    help="Also write the board paper for the last month (HTML, PDF, Word) into --out.",
)
@click.pass_context
def demo(
    ctx: click.Context,
    out: Path,
    seed: int,
    start: str,
    end: str,
    forces: int,
    shape: str,
    paper: bool,
) -> None:
    """Build the demo force: generate every table, load the warehouse, write the board paper.

    Writes OUT/parquet/*.parquet, OUT/warehouse.duckdb (with the derived harm and victim care
    tables and the stored results of the whole measure catalogue) and
    OUT/board-paper-END.{html,pdf,docx}. `forcepack demo scale` generates many
    forces in chunks.
    """
    if ctx.invoked_subcommand is not None:
        return
    if forces != 1:
        ctx.invoke(
            scale, forces=forces, years=None, start=start, end=end, out=out, seed=seed, load=True
        )
        return
    from forcepack.demo.generate import STEPS, build_demo, check_writable

    check_writable(out)
    progress, advance = _progress_bar(len(STEPS), "demo force")
    with progress:
        result = build_demo(out, seed=seed, start=start, end=end, progress=advance, shape=shape)
    _summary(
        result.rows,
        result.warehouse,
        result.seconds,
        f"seed {result.seed}, {result.start} to {result.end}, data hash {result.data_hash}",
    )
    _refresh_measures(result.warehouse)
    if paper:
        _write_paper(result.warehouse, result.end, out)


def _refresh_measures(warehouse: Path) -> None:
    """Compute and store the whole catalogue, as a force does after its monthly load."""
    from rich.console import Console

    from forcepack.measures.refresh import refresh_file

    console = Console()
    with console.status("computing the measure catalogue"):
        done = refresh_file(warehouse)
    console.print(
        f"measures: {done.computations:,} measure x window x cut results "
        f"({done.rows:,} rows) stored in {done.seconds:.1f} s"
    )


def _write_paper(warehouse: Path, month: str, out: Path) -> None:
    import time

    from rich.console import Console

    from forcepack.report import build_paper, write_paper
    from forcepack.report.build import git_revision
    from forcepack.report.inputs import demo_inputs_dir

    console = Console()
    t0 = time.perf_counter()
    with console.status(f"writing the board paper for {month}"):
        paper = build_paper(warehouse, month, inputs=demo_inputs_dir(), revision=git_revision())
        files = write_paper(paper, out)
    for path in files:
        console.print(f"board paper: {path}")
    console.print(f"paper done in {time.perf_counter() - t0:.1f} s")


def _summary(rows: dict[str, int], warehouse: Path | None, seconds: float, note: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"forcepack demo: {note}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in rows.items():
        table.add_row(name, f"{n:,}")
    table.add_row("[bold]total", f"[bold]{sum(rows.values()):,}")
    console = Console()
    console.print(table)
    if warehouse is not None:
        console.print(f"warehouse: {warehouse}")
    console.print(f"done in {seconds:.1f} s")


@demo.command("scale")
@click.option("--forces", type=int, default=10, show_default=True, help="Number of forces.")
@click.option("--years", type=int, default=None, help="Years ending at --end (overrides --start).")
@_month_span
@folder_option(
    "--out",
    default=Path("out/scale"),
    help="Output folder.",
)
@click.option("--seed", type=int, default=DEMO_SEED, show_default=True, help="Random seed.")
@click.option(
    "--load/--no-load",
    default=False,
    show_default=True,
    help="Also load the Parquet files into OUT/warehouse.duckdb.",
)
def scale(
    forces: int, years: int | None, start: str, end: str, out: Path, seed: int, load: bool
) -> None:
    """Generate many synthetic forces to Parquet, one force per chunk (bounded memory)."""
    from forcepack.demo.scale import ScaleOptions, generate_scale

    opts = ScaleOptions.make(
        forces=forces, years=years, start=start, end=end, out=out, seed=seed, load=load
    )
    progress, advance = _progress_bar(opts.forces + int(load), "forces")
    with progress:
        result = generate_scale(opts, progress=advance)
    _summary(
        result.rows,
        result.warehouse,
        result.seconds,
        f"{opts.forces} forces, {opts.start} to {opts.end}, {result.rows_per_second:,.0f} rows/s",
    )
