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

#: Two-sided significance level for survey comparisons.
ALPHA = 0.05
#: Below this many respondents a survey rate is called a small sample.
SMALL_SAMPLE = 200
_Z95 = 1.959963984540054


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
        return self.n < SMALL_SAMPLE

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval for the share."""
        return wilson(self.numerator, self.n)


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a share compares with an earlier one, and whether the difference is significant."""

    direction: Direction
    p_value: float
    significant: bool


def wilson(x: int, n: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval for x of n.

    centre = (p + z²/2n)/(1 + z²/n); half-width = z·√(p(1-p)/n + z²/4n²)/(1 + z²/n).
    """
    if n == 0:
        return (math.nan, math.nan)
    p = x / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (centre - half, centre + half)


def two_proportion_p(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (1.0 when it cannot be tested)."""
    if not n1 or not n2:
        return 1.0
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (x1 / n1 - x2 / n2) / se
    return math.erfc(abs(z) / math.sqrt(2))


def direction(new: float, old: float, places: int = 1, scale: float = 100.0) -> Direction:
    """Direction of ``new`` against ``old`` as worded (equal to ``places`` decimals is SAME)."""
    a, b = round(new * scale, places), round(old * scale, places)
    if a > b:
        return Direction.HIGHER
    if a < b:
        return Direction.LOWER
    return Direction.SAME


def compare(now: Share, then: Share) -> Comparison:
    """Compare two shares: direction as worded, and the z-test at :data:`ALPHA`."""
    p = two_proportion_p(now.numerator, now.n, then.numerator, then.n)
    d = direction(now.value, then.value)
    return Comparison(direction=d, p_value=p, significant=p < ALPHA and d is not Direction.SAME)


@dataclass(frozen=True, slots=True)
class Median:
    """A monthly median in minutes, with the SPC reading of its series."""

    minutes: float
    period_end: dt.date
    previous: float | None = None
    special_cause: str | None = None  # "higher" / "lower" when the latest point is special cause
