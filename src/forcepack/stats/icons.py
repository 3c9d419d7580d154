"""The Making Data Count variation and assurance icons, drawn by forcepack as SVG.

Colours and meanings follow the published MDC icon set as implemented in NHSRplotthedots
(``R/ptd_spc_colours.R``: grey #A6A6A6 common cause, blue #00B0F0 improvement, orange #E46C0A
concern, purple #490092 neutral; ``R/geom_ptd_icon.R`` picks the icon). The drawings are
forcepack's own: a ringed disc holding a small run chart whose last points take the special-cause
colour, with H or L for a high or low special cause; assurance icons hold P (pass, blue),
F (fail, orange) or ? (inconsistent, grey) over a target line. Every icon carries a <title>
(the MDC meaning) so screen readers can speak it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from forcepack.stats import constants as C
from forcepack.stats.vocab import Assurance, Variation, choose

VARIATION_MEANING: dict[Variation, str] = {
    Variation.COMMON_CAUSE: "Common cause variation: no significant change",
    Variation.IMPROVEMENT_HIGH: "Special cause variation of an improving nature: higher values",
    Variation.IMPROVEMENT_LOW: "Special cause variation of an improving nature: lower values",
    Variation.CONCERN_HIGH: "Special cause variation of a concerning nature: higher values",
    Variation.CONCERN_LOW: "Special cause variation of a concerning nature: lower values",
    Variation.NEUTRAL_HIGH: "Special cause variation, neither improving nor concerning: higher",
    Variation.NEUTRAL_LOW: "Special cause variation, neither improving nor concerning: lower",
}

ASSURANCE_MEANING: dict[Assurance, str] = {
    Assurance.CONSISTENT_PASS: "The process is expected to consistently pass the target",
    Assurance.CONSISTENT_FAIL: "The process is expected to consistently fail the target",
    Assurance.INCONSISTENT: "The process will pass or fail the target by random variation",
}


def variation_colour(variation: Variation | str) -> str:
    v = choose(Variation, variation, "variation icon")
    if v is Variation.COMMON_CAUSE:
        return C.COLOUR_COMMON_CAUSE
    if v in (Variation.NEUTRAL_HIGH, Variation.NEUTRAL_LOW):
        return C.COLOUR_NEUTRAL
    if v in (Variation.IMPROVEMENT_HIGH, Variation.IMPROVEMENT_LOW):
        return C.COLOUR_IMPROVEMENT
    return C.COLOUR_CONCERN


def assurance_colour(assurance: Assurance | str) -> str:
    a = choose(Assurance, assurance, "assurance icon")
    return {
        Assurance.CONSISTENT_PASS: C.COLOUR_IMPROVEMENT,
        Assurance.CONSISTENT_FAIL: C.COLOUR_CONCERN,
        Assurance.INCONSISTENT: C.COLOUR_COMMON_CAUSE,
    }[a]


def _svg(title: str, colour: str, body: str, size: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{size}" '
        f'height="{size}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="50" cy="50" r="44" fill="#FFFFFF" stroke="{colour}" stroke-width="6"/>'
        f"{body}</svg>"
    )


def _dots(ys: Sequence[float], colours: Sequence[str]) -> str:
    xs = [22 + 9.33 * i for i in range(len(ys))]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    out = (
        f'<polyline points="{line}" fill="none" stroke="{C.COLOUR_COMMON_CAUSE}" stroke-width="2"/>'
    )
    for x, y, c in zip(xs, ys, colours, strict=True):
        out += f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.6" fill="{c}"/>'
    return out


def variation_icon(variation: Variation | str, *, size: int = 48) -> str:
    """The variation icon for a ``Variation`` (``SpcSummary.variation``) as an SVG string."""
    v = choose(Variation, variation, "variation icon")
    colour = variation_colour(v)
    grey = C.COLOUR_COMMON_CAUSE
    if v is Variation.COMMON_CAUSE:
        body = _dots([56, 48, 58, 50, 54, 47, 55], [grey] * 7)
    else:
        high = v.value.endswith("high")
        ys = [62, 58, 63, 57, 44, 40, 36] if high else [38, 42, 37, 43, 56, 60, 64]
        letter_y = 34 if high else 80
        body = _dots(ys, [grey] * 4 + [colour] * 3) + (
            f'<text x="50" y="{letter_y}" text-anchor="middle" font-family="Arial, sans-serif" '
            f'font-size="22" font-weight="bold" fill="{colour}">{"H" if high else "L"}</text>'
        )
    return _svg(VARIATION_MEANING[v], colour, body, size)


def assurance_icon(assurance: Assurance | str, *, size: int = 48) -> str:
    """The assurance icon for an ``Assurance`` (``SpcSummary.assurance``) as an SVG string."""
    a = choose(Assurance, assurance, "assurance icon")
    colour = assurance_colour(a)
    letter = {
        Assurance.CONSISTENT_PASS: "P",
        Assurance.CONSISTENT_FAIL: "F",
        Assurance.INCONSISTENT: "?",
    }[a]
    body = (
        f'<line x1="20" y1="66" x2="80" y2="66" stroke="{C.COLOUR_TARGET}" stroke-width="3" '
        f'stroke-dasharray="6 4"/>'
        f'<text x="50" y="58" text-anchor="middle" font-family="Arial, sans-serif" '
        f'font-size="40" font-weight="bold" fill="{colour}">{letter}</text>'
    )
    return _svg(ASSURANCE_MEANING[a], colour, body, size)
