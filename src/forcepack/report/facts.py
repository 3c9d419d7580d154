"""The small facts a board-paper sentence is written from, and the direction its words give.

``build`` fills these from the measures; ``narrative`` words them. Keeping them apart means a
sentence can be tested from hand-made facts, with the arithmetic in plain sight.

Words of change follow one rule: a sample (a survey) changes only when a test says so (a
two-proportion z-test at the 95% level); counts of records are complete, so their direction is a
fact; medians of response times move when their SPC chart shows special cause. The tests
themselves are the statistics' (:mod:`forcepack.stats`, through ``report.assessed``); a
direction here is :class:`forcepack.vocab.Direction`, the one vocabulary of movement.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from forcepack.stats import is_small_sample, wilson_interval
from forcepack.vocab import Direction


@dataclass(frozen=True, slots=True)
class Share:
    """A share with its counts: ``numerator`` of ``n`` respondents (or records)."""

    numerator: int
    n: int
    period_end: dt.date
    months: int = 12

    @property
    def value(self) -> float:
        return self.numerator / self.n if self.n else math.nan

    @property
    def small(self) -> bool:
        """Whether the sample is small enough to call out (``forcepack.stats``' threshold)."""
        return is_small_sample(self.n)

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval for the share."""
        i = wilson_interval(self.numerator, self.n)
        return (i.lower, i.upper)


def direction(new: float, old: float, places: int = 1, scale: float = 100.0) -> Direction:
    """Direction of ``new`` against ``old`` as worded: equal to ``places`` decimals (of
    ``new * scale``) is UNCHANGED, so the words never contradict the figures printed."""
    a, b = round(new * scale, places), round(old * scale, places)
    if a > b:
        return Direction.UP
    if a < b:
        return Direction.DOWN
    return Direction.UNCHANGED


@dataclass(frozen=True, slots=True)
class Median:
    """A monthly median in minutes, with the SPC reading of its series."""

    minutes: float
    period_end: dt.date
    previous: float | None = None
    judgement: str | None = None  # the claimed reading of its chart, in words
    shifted: bool = False  # the reading is a shift ("has run above its earlier range since")
