"""``forcepack report``: write the board paper for a month as HTML, PDF and Word."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from pathlib import Path

import click

from forcepack.cli.common import progress, warehouse_path
from forcepack.cli.options import db_option, file_option, folder_option
from forcepack.cli.out import force_option
from forcepack.settings import DEMO_OUT


def _list_builders(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from forcepack.report.builders import registry
    from forcepack.report.inputs import UpdateSlot

    for name, r in sorted(registry().items()):
        kind = "section builder" if r.make_section is not None else "builder"
        click.echo(f"{name:<36} {kind}: {r.what}")
    for slot in UpdateSlot:
        named = "{ slot = " + repr(slot.value) + " }"
        click.echo(f"{named:<36} slot: the force's own text")
    ctx.exit(0)


@click.command()
@click.option(
    "--list-builders",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_list_builders,
    help="List the paragraph builders and input slots a paper spec can name, and exit.",
)
@click.option("--month", required=True, metavar="YYYY-MM", help="Reporting month, e.g. 2019-12.")
@db_option()
@click.option(
    "--format",
    "formats",
    default="html,pdf,docx",
    show_default=True,
    help="Comma-separated formats: html, pdf, docx.",
)
@folder_option(
    "--out",
    default=DEMO_OUT,
    help="Folder to write the paper to (existing paper files only with --force).",
)
@folder_option(
    "--inputs",
    help="Folder of force-written inputs (paper.toml, national.csv, updates/*.md); "
    "'demo' uses the demo force's. Without it those sections are marked as gaps.",
)
@file_option(
    "--paper",
    "paper_spec",
    help="A paper spec (TOML) declaring the sections and paragraphs; default: the shipped "
    "Victims paper (see docs/report.md).",
)
@click.option(
    "--date",
    "paper_date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date on the cover (default: paper.toml's board_date, else the fourth "
    "Tuesday of the second month after --month).",
)
@force_option()
def report(
    month: str,
    db: Path | None,
    formats: str,
    out: Path,
    inputs: Path | None,
    paper_spec: Path | None,
    paper_date: dt.datetime | None,
    force: bool,
) -> None:
    """Write the board paper (Police and Crime Plan Update: Victims) for a month."""
    from forcepack import calendar
    from forcepack.outputs import check_out, check_out_folder
    from forcepack.pdf import PdfProcess
    from forcepack.report import build_paper, write_paper
    from forcepack.report.build import parse_formats
    from forcepack.report.inputs import demo_inputs_dir

    wanted = parse_formats(formats)
    warehouse = warehouse_path(db)
    stem = f"board-paper-{calendar.parse(month, '--month')}"
    check_out_folder(out, warehouse=warehouse)
    for f in wanted:
        check_out(out / f"{stem}.{f}", force=force, warehouse=warehouse)
    folder = demo_inputs_dir() if inputs is not None and str(inputs) == "demo" else inputs
    # the PDF's process starts now, importing WeasyPrint while the paper is built
    with (
        progress(f"board paper {month}", total=2) as advance,
        PdfProcess() if "pdf" in wanted else nullcontext() as pdf,
    ):
        paper = build_paper(
            warehouse,
            month,
            inputs=folder,
            paper_date=paper_date.date() if paper_date else None,
            revision=_revision(),
            paper=paper_spec,
        )
        advance("built; writing " + ", ".join(wanted))
        files = write_paper(paper, out, wanted, stem=stem, pdf_process=pdf)
        advance("written")
    for written in files:
        click.echo(f"wrote {written}")
    gaps = paper.gaps()
    if gaps:
        click.echo(
            f"{len(gaps)} section(s) marked as missing input: " + "; ".join(g.what for g in gaps),
            err=True,
        )


def _revision() -> str | None:
    from forcepack.report.build import git_revision

    return git_revision()
