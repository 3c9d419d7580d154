"""The small facts a board-paper sentence is written from, and the tests behind its words.

``build`` fills these from the measures; ``narrative`` words them. Keeping them apart means a
sentence can be tested from hand-made facts, with the arithmetic in plain sight.

Words of change follow one rule: a sample (a survey) changes only when a test says so (a
two-proportion z-test at the 95% level); counts of records are complete, so their direction is a
fact; medians of response times move when their SPC chart shows special cause.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

from forcepack.stats import compare_proportions, is_small_sample, wilson_interval


class Direction(enum.StrEnum):
    """Which way a figure moved between two periods."""

    HIGHER = "higher"
    LOWER = "lower"
    SAME = "same"


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


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a share compares with an earlier one, and whether the difference is significant."""

    direction: Direction
    p_value: float
    significant: bool


def direction(new: float, old: float, places: int = 1, scale: float = 100.0) -> Direction:
    """Direction of ``new`` against ``old`` as worded (equal to ``places`` decimals is SAME)."""
    a, b = round(new * scale, places), round(old * scale, places)
    if a > b:
        return Direction.HIGHER
    if a < b:
        return Direction.LOWER
    return Direction.SAME


def compare(now: Share, then: Share) -> Comparison:
    """Compare two shares: direction as worded, and the two-proportion z-test of
    :func:`forcepack.stats.compare_proportions` (95% level)."""
    test = compare_proportions(now.numerator, now.n, then.numerator, then.n)
    d = direction(now.value, then.value)
    return Comparison(
        direction=d, p_value=test.p_value, significant=test.significant and d is not Direction.SAME
    )


@dataclass(frozen=True, slots=True)
class Median:
    """A monthly median in minutes, with the SPC reading of its series."""

    minutes: float
    period_end: dt.date
    previous: float | None = None
    judgement: str | None = None  # the claimed reading of its chart, in words
    shifted: bool = False  # the reading is a shift ("has run above its earlier range since")
