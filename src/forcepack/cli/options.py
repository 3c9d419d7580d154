"""Options shared by several commands, defined once."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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


def file_option(*decls: str, help: str, required: bool = False) -> Any:
    """An option naming one file (never a folder), as a :class:`Path`; ``None`` when not given."""
    return click.option(
        *decls,
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        required=required,
        help=help,
    )


def folder_option(*decls: str, help: str, default: Path | None = None) -> Any:
    """An option naming one folder (never a file), as a :class:`Path`; its default is shown."""
    return click.option(
        *decls,
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )


def markdown_out_option() -> Any:
    """``--out FILE``: where a generated Markdown document goes (printed when not given)."""
    return file_option("--out", help="Write the Markdown here instead of printing it.")


class EnumChoice(click.Choice[str]):
    """A choice among the values of a vocabulary (a StrEnum named ``"module:Name"``), spelt as
    the vocabulary spells them. The module is imported only when the option is parsed or its
    command's help is shown, so ``forcepack --help`` loads no engine for it."""

    def __init__(self, vocabulary: str) -> None:
        self.vocabulary = vocabulary
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        module, name = self.vocabulary.split(":")
        return tuple(m.value for m in getattr(importlib.import_module(module), name))

    @choices.setter
    def choices(self, value: Iterable[str]) -> None:
        """Ignored: the choices are always the vocabulary's (``click.Choice`` sets them)."""


#: Help of the place options; names are matched in any case.
AREA_HELP = "Policing area, as named in the warehouse's districts table (any case)."
DISTRICT_HELP = "District code or name (any case)."
NEIGHBOURHOOD_HELP = "Neighbourhood code or name (any case)."


def area_option() -> Any:
    """``--area NAME``: a policing area of the warehouse's districts table."""
    return click.option("--area", default=None, metavar="NAME", help=AREA_HELP)


def district_option() -> Any:
    """``--district CODE|NAME``: a district of the warehouse's districts table."""
    return click.option("--district", default=None, metavar="CODE|NAME", help=DISTRICT_HELP)


def neighbourhood_option() -> Any:
    """``--neighbourhood CODE|NAME``: a neighbourhood of the warehouse's lookup."""
    return click.option(
        "--neighbourhood", default=None, metavar="CODE|NAME", help=NEIGHBOURHOOD_HELP
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
