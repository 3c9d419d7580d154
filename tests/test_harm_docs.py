"""docs/harm.md documents every harm command, option, measure and list column."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from forcepack.cli.harm import harm
from forcepack.harm import weights as w
from forcepack.harm.lists import OFFENDER_COLUMNS, VICTIM_COLUMNS
from forcepack.measures import catalogue

DOC = (Path(__file__).resolve().parents[1] / "docs" / "harm.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(harm.commands))
def test_every_command_and_option_is_documented(name: str) -> None:
    command = harm.commands[name]
    assert f"`forcepack harm {name}" in DOC, name
    if name == "weights":  # shares its options with build
        return
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "db":
            assert any(opt in DOC for opt in param.opts), f"{name} {param.opts}"


def test_every_harm_measure_is_documented() -> None:
    ids = [mid for mid in catalogue() if mid.startswith("harm.")]
    assert len(ids) >= 3
    for mid in ids:
        assert f"`{mid}`" in DOC, mid


def test_every_list_column_is_documented() -> None:
    for col in set(VICTIM_COLUMNS) | set(OFFENDER_COLUMNS):
        assert f"`{col}`" in DOC, col


def test_published_count_matches_the_default_table() -> None:
    published = sum(x.basis is w.Basis.PUBLISHED for x in w.default().weights)
    match = re.search(r"\*\*published\*\* \((\d+) offences\)", DOC)
    assert match is not None and int(match.group(1)) == published
