"""The unit a catalogue measure is charted in, read from its spec: the paper's charts and the
dashboard's measure pages take it from here, so no chart restates a measure's kind by hand."""

from __future__ import annotations

import enum

from forcepack.measures.spec import MeasureSpec
from forcepack.vocab import PROPORTION_KINDS


class Unit(enum.StrEnum):
    """What a chart's values are, which sets its axis labels and worded values: a share
    (per cent), minutes, or a count (whole numbers). :func:`forcepack.report.units.unit_of`
    reads it from a measure's spec."""

    SHARE = "share"
    MINUTES = "minutes"
    COUNT = "count"


def unit_of(spec: MeasureSpec | str) -> Unit:
    """The chart unit of a measure (its spec, or its id in the catalogue): ``share`` for a
    share or rate, or any measure whose unit is ``%``; ``minutes`` for a measure in minutes;
    otherwise ``count`` (whole-number axis labels)."""
    if isinstance(spec, str):
        from forcepack.measures import get

        spec = get(spec)
    if spec.kind in PROPORTION_KINDS or spec.unit == "%":
        return Unit.SHARE
    return Unit.MINUTES if spec.unit == "minutes" else Unit.COUNT
