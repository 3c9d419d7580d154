"""Docs as tests: the command reference is generated from the commands and is not stale, and the
README's first screen shows the two set-up commands."""

from __future__ import annotations

from pathlib import Path

from forcepack.cli.reference import render_markdown

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_not_stale() -> None:
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "docs/cli.md is stale: run `make docs` and commit it"


def test_cli_reference_covers_every_command() -> None:
    text = render_markdown()
    for command in (
        "forcepack demo",
        "forcepack ingest police-uk",
        "forcepack measures compute",
        "forcepack report",
        "forcepack harm victims",
        "forcepack victims breaches",
        "forcepack victims audit-sample",
        "forcepack victims audit-results",
        "forcepack warehouse derive",
    ):
        assert f"`{command}`" in text, command


def test_readme_first_screen_shows_the_two_commands() -> None:
    first_screen = (REPO / "README.md").read_text(encoding="utf-8").splitlines()[:40]
    text = "\n".join(first_screen)
    assert "make demo" in text
    assert "make test" in text


def test_every_doc_is_linked_from_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for doc in sorted((REPO / "docs").glob("*.md")):
        assert f"docs/{doc.name}" in readme, f"README does not link docs/{doc.name}"
