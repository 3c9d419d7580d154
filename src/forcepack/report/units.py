"""The unit a catalogue measure is charted in, read from its spec: the paper's charts and the
dashboard's measure pages take it from here, so no chart restates a measure's kind by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forcepack.measures.spec import MeasureSpec
from forcepack.vocab import PROPORTION_KINDS

if TYPE_CHECKING:
    from forcepack.report.charts import Unit


def unit_of(spec: MeasureSpec | str) -> Unit:
    """The chart unit of a measure (its spec, or its id in the catalogue): ``share`` for a
    share or rate, or any measure whose unit is ``%``; ``minutes`` for a measure in minutes;
    otherwise ``count`` (whole-number axis labels)."""
    if isinstance(spec, str):
        from forcepack.measures import get

        spec = get(spec)
    if spec.kind in PROPORTION_KINDS or spec.unit == "%":
        return "share"
    return "minutes" if spec.unit == "minutes" else "count"
