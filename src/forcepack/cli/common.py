"""What every warehouse command shares: which warehouse, quiet, notes and progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import click

from forcepack.settings import DB_ENV, default_db_source

F = TypeVar("F", bound=Callable[..., Any])

#: How to make a warehouse, in every message about a missing one.
CREATE_HINT = (
    "create one with `forcepack warehouse create --db PATH` (or build the demo with "
    f"`forcepack demo`), or name an existing one with --db or ${DB_ENV}"
)
_QUIET = "forcepack.quiet"


def _source(db: Path | None) -> tuple[Path, str]:
    if db is not None:
        return db, "from --db"
    path, source = default_db_source()
    if source.startswith("$"):
        return path, f"from {source}"
    return path, f"{source}, as neither --db nor ${DB_ENV} was given"


def warehouse_path(db: Path | None, *, writes: bool = False) -> Path:
    """The warehouse a command uses, which must exist; never created here.

    One line on stderr names it (and where the path came from) when the command writes to it
    or when ``--db`` was not given, so nobody reads or changes a warehouse unawares.
    """
    from forcepack.warehouse.core import require_warehouse

    path, source = _source(db)
    require_warehouse(path, source, hint=CREATE_HINT)
    if writes or db is None:
        note(f"warehouse: {path} ({source})")
    return path


def new_warehouse_path(db: Path | None) -> Path:
    """The path ``warehouse create`` writes, named on stderr with where it came from."""
    path, source = _source(db)
    note(f"warehouse: {path} ({source})")
    return path


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_QUIET] = True


def quiet_option() -> Callable[[F], F]:
    """``--quiet``: no progress bars and no notes on stderr (errors are still printed)."""
    return click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_quiet,
        help="No progress bars and no notes on stderr (errors are still printed).",
    )


def quiet() -> bool:
    """Whether ``--quiet`` was given (on the command or before it)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.meta.get(_QUIET))


def note(text: str) -> None:
    """A one-line note on stderr (off with ``--quiet``), so stdout stays the command's output."""
    if not quiet():
        click.echo(text, err=True)


def show_progress() -> bool:
    """Progress bars only for a person at a terminal: never in pipes, tests or ``--quiet``."""
    return not quiet() and sys.stdout.isatty() and sys.stderr.isatty()


class Advance(Protocol):
    """``advance(step)``: a step is done; ``advance(text, done=False)``: what runs now."""

    def __call__(self, step: str, *, done: bool = True) -> None: ...


def _silent(step: str, *, done: bool = True) -> None:
    return None


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Advance]:
    """A progress bar on stderr for a step that takes seconds; yields ``advance(step)``
    (``advance(text, done=False)`` says what runs now without counting a step).

    With ``total=None`` the bar is a spinner with the elapsed time. When progress is off (see
    :func:`show_progress`) ``advance`` does nothing and nothing is printed.
    """
    if not show_progress():
        yield _silent
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("[bold]{task.description}")]
    if total is not None:
        columns += [BarColumn(), TextColumn("{task.completed}/{task.total}")]
    columns.append(TimeElapsedColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=total)

    def advance(step: str, *, done: bool = True) -> None:
        bar.update(task, advance=1 if done else 0, description=f"{label}: {step}")

    with bar:
        yield advance
