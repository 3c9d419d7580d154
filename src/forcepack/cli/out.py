"""Options and messages shared by the commands that write files (``--force``, ``--public``).

The checks themselves are the library's (:func:`forcepack.outputs.check_out`), so a command
and the dashboard refuse the same outputs with the same messages.
"""

from __future__ import annotations

from pathlib import Path

import click


def force_option():
    """``--force``: replace an existing output file (never a warehouse, never through a link)."""
    return click.option(
        "--force",
        is_flag=True,
        help="Replace an existing output file (never a warehouse or a symbolic link).",
    )


def warn_location(path: Path) -> None:
    """Print a warning when an OFFICIAL-SENSITIVE file was written in a git work tree or a
    synced folder (see :func:`forcepack.sensitive.location_warning`)."""
    from forcepack.sensitive import location_warning

    warning = location_warning(path)
    if warning:
        click.secho(warning, fg="yellow", err=True)
