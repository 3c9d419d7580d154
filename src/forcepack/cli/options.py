"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.settings import DB_ENV, DEFAULT_DB

_DEFAULT = f"default: ${DB_ENV}, else {DEFAULT_DB}"
DB_HELP = f"Warehouse file to read ({_DEFAULT}). It must exist."
DB_WRITE_HELP = (
    f"Warehouse file to write to ({_DEFAULT}). It must exist: this command never creates "
    "one (`forcepack warehouse create` does)."
)


def db_option(*, writes: bool = False):
    """``--db PATH``: the warehouse a command reads or (``writes``) writes to."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=DB_WRITE_HELP if writes else DB_HELP,
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
