"""``forcepack public``: the public pack from data.police.uk tables."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.common import progress, warehouse_path
from forcepack.cli.options import db_option, folder_option


@click.group()
def public() -> None:
    """The public pack: any force's month from data.police.uk files, beside its peers."""


@public.command("pack")
@click.option(
    "--force",
    "force_name",
    required=True,
    metavar="NAME",
    help="The force: its name (Bedfordshire), data.police.uk id (bedfordshire) or "
    "Falls within text (Bedfordshire Police).",
)
@click.option("--month", required=True, metavar="YYYY-MM", help="Month of the pack, e.g. 2019-01.")
@db_option()
@folder_option(
    "--out",
    default=Path("."),
    help="Folder to write public-pack-<force>-<month>.html, .pdf and .csv into.",
)
@click.option(
    "--format",
    "formats",
    default="html,pdf,csv",
    show_default=True,
    help="Comma-separated formats: html, pdf, csv.",
)
@click.option(
    "--coverage-gate",
    type=float,
    default=None,
    help="Share of a month's crimes that must carry a location for the month to be used "
    "(default 0.95).",
)
@click.option(
    "--replace", is_flag=True, help="Replace existing pack files (never a warehouse or a link)."
)
def pack(
    force_name: str,
    month: str,
    db: Path | None,
    out: Path,
    formats: str,
    coverage_gate: float | None,
    replace: bool,
) -> None:
    """Write the public pack for a force and month (HTML, PDF and the figures as CSV)."""
    from forcepack.errors import InputError
    from forcepack.outputs import check_out, check_out_folder
    from forcepack.public.coverage import COVERAGE_GATE
    from forcepack.public.pack import build_pack
    from forcepack.public.render import FORMATS, write_pack

    wanted = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    bad = [f for f in wanted if f not in FORMATS]
    if bad or not wanted:
        raise InputError(
            f'--format "{formats}": {", ".join(bad) or "nothing"} is not one of '
            + ", ".join(FORMATS)
        )
    warehouse = warehouse_path(db)
    check_out_folder(out, warehouse=warehouse)
    gate = COVERAGE_GATE if coverage_gate is None else coverage_gate
    with progress(f"public pack {force_name} {month}", total=2) as advance:
        built = build_pack(warehouse, force_name, month, gate=gate)
        for f in wanted:
            target = out / f"{built.stem}.{f}"
            if target.exists() and not target.is_symlink() and not replace:
                raise InputError(
                    f"--out {target} already exists; forcepack does not replace a file unless "
                    "asked",
                    hint="give --replace to replace it, or choose another --out",
                )
            check_out(target, force=replace, warehouse=warehouse)
        advance("built; writing " + ", ".join(wanted))
        files = write_pack(built, out, wanted, force=replace, warehouse=warehouse)
        advance("written")
    for written in files:
        click.echo(f"wrote {written}")
