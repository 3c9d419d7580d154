"""docs/statistics.md documents every statistics constant and public function."""

from __future__ import annotations

from pathlib import Path

import pytest

import forcepack.stats as stats
from forcepack.stats import constants

DOC = (Path(__file__).resolve().parents[1] / "docs" / "statistics.md").read_text()
CONSTANTS = [n for n in vars(constants) if n.isupper() and not n.startswith("COLOUR")]
FUNCTIONS = [n for n in stats.__all__ if callable(getattr(stats, n)) and n[0].islower()]


@pytest.mark.parametrize("name", CONSTANTS)
def test_every_constant_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC or f"`{name}`," in DOC or f", `{name}`" in DOC


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_public_function_is_documented(name: str) -> None:
    assert f"{name}(" in DOC


def test_every_colour_is_documented() -> None:
    colours = [v for n, v in vars(constants).items() if n.startswith("COLOUR_")]
    assert colours
    for colour in colours:
        assert colour.upper() in DOC.upper(), colour
