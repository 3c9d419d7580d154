"""``forcepack contract``: the data contract's documentation."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.options import markdown_out_option, write_or_echo
from forcepack.cli.out import force_option


@click.group()
def contract() -> None:
    """The data contract: tables, columns and rules."""


@contract.command("docs")
@markdown_out_option()
@force_option()
def docs(out: Path | None, force: bool) -> None:
    """Write docs/data-contract.md from the contract spec."""
    from forcepack.contract.docs import render_markdown

    write_or_echo(render_markdown(), out, force=force)
