"""``forcepack contract``: the data contract's tables, templates and documentation."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.options import file_option, markdown_out_option, write_or_echo
from forcepack.cli.out import force_option


@click.group()
def contract() -> None:
    """The data contract: tables, columns and rules."""


@contract.command("tables")
def tables() -> None:
    """List every contract table: its role, key and what it holds."""
    from rich.console import Console
    from rich.table import Table as RichTable

    from forcepack.contract.spec import TABLES

    out = RichTable(show_header=True, header_style="bold")
    for col in ("table", "role", "key", "what it holds"):
        out.add_column(col)
    for t in TABLES.values():
        out.add_row(t.name, str(t.role), ", ".join(t.key) or "-", t.description)
    Console().print(out)


@contract.command("template")
@click.argument("table")
@file_option(
    "--out",
    help="Write the template CSV here instead of printing it.",
)
def template(table: str, out: Path | None) -> None:
    """Write an extract template for TABLE: header, one example row, and a comment block
    describing each column (type, required, allowed values)."""
    from forcepack.contract.template import template as render

    write_or_echo(render(table), out)


@contract.command("docs")
@markdown_out_option()
@force_option()
def docs(out: Path | None, force: bool) -> None:
    """Write docs/data-contract.md from the contract spec."""
    from forcepack.contract.docs import render_markdown

    write_or_echo(render_markdown(), out, force=force)
