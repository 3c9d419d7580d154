"""The MDC variation and assurance icons: valid SVG, the published colours, letters and titles.

Colours as published in NHSRplotthedots ``R/ptd_spc_colours.R``: common cause #a6a6a6,
improvement #00b0f0, concern #e46c0a, neutral #490092.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from forcepack.errors import InputError
from forcepack.stats import Assurance, Variation, assurance_icon, variation_icon

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def ring_colour(root: ET.Element) -> str:
    return root.find(f"{NS}circle").get("stroke").lower()  # type: ignore[union-attr]


def letter(root: ET.Element) -> str | None:
    text = root.find(f"{NS}text")
    return None if text is None else text.text


@pytest.mark.parametrize(
    ("variation", "colour", "mark"),
    [
        (Variation.COMMON_CAUSE, "#a6a6a6", None),
        (Variation.IMPROVEMENT_HIGH, "#00b0f0", "H"),
        (Variation.IMPROVEMENT_LOW, "#00b0f0", "L"),
        (Variation.CONCERN_HIGH, "#e46c0a", "H"),
        (Variation.CONCERN_LOW, "#e46c0a", "L"),
        (Variation.NEUTRAL_HIGH, "#490092", "H"),
        (Variation.NEUTRAL_LOW, "#490092", "L"),
    ],
)
def test_variation_icons(variation: Variation, colour: str, mark: str | None) -> None:
    root = parse(variation_icon(variation))
    assert ring_colour(root) == colour
    assert letter(root) == mark
    title = root.find(f"{NS}title")
    assert title is not None and title.text
    assert ("of an improving nature" in title.text) == variation.value.startswith("improvement")
    # the last three dots take the special-cause colour (grey for common cause)
    dots = [c.get("fill", "").lower() for c in root.findall(f"{NS}circle")[1:]]
    assert dots[-3:] == [colour] * 3


@pytest.mark.parametrize(
    ("assurance", "colour", "mark"),
    [
        (Assurance.CONSISTENT_PASS, "#00b0f0", "P"),
        (Assurance.CONSISTENT_FAIL, "#e46c0a", "F"),
        (Assurance.INCONSISTENT, "#a6a6a6", "?"),
    ],
)
def test_assurance_icons(assurance: Assurance, colour: str, mark: str) -> None:
    root = parse(assurance_icon(assurance))
    assert ring_colour(root) == colour
    assert letter(root) == mark
    assert root.get("aria-label")


def test_icons_accept_plain_strings_and_a_size() -> None:
    svg = variation_icon("concern_high", size=20)
    assert parse(svg).get("width") == "20"
    assert svg == variation_icon(Variation.CONCERN_HIGH, size=20)
    assert len({variation_icon(v) for v in Variation}) == len(Variation)


def test_unknown_icon_names_are_named() -> None:
    with pytest.raises(InputError, match="variation icon: 'special'"):
        variation_icon("special")
    with pytest.raises(InputError, match="consistent_pass, consistent_fail, inconsistent"):
        assurance_icon("pass")
