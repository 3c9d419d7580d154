"""``forcepack contract``: the data contract's documentation."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def contract() -> None:
    """The data contract: tables, columns and rules."""


@contract.command("docs")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the Markdown here instead of printing it.",
)
def docs(out: Path | None) -> None:
    """Write docs/data-contract.md from the contract spec."""
    from forcepack.contract.docs import render_markdown

    text = render_markdown()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")
