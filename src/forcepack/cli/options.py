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


def markdown_out_option():
    """``--out FILE``: where a generated Markdown document goes (printed when not given)."""
    return click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the Markdown here instead of printing it.",
    )


def write_or_echo(text: str, out: Path | None, *, force: bool = False) -> None:
    """Print ``text``, or write it to ``out`` (creating its folder; an existing file only with
    ``force``, see :func:`forcepack.outputs.check_out`) and say so."""
    from forcepack.outputs import write_text

    if out is None:
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text(out, text, force=force)
    click.echo(f"wrote {out}")
