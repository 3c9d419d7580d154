"""The vocabulary of measures, defined once and imported wherever a measure is defined or
judged: the catalogue's specs (:mod:`forcepack.measures`), the statistics (:mod:`forcepack.stats`)
and the paper. A leaf module (no numpy, pandas or engine), so reading the catalogue stays light.
"""

from __future__ import annotations

import enum


class Kind(enum.StrEnum):
    """What a measure's value is (``docs/measures.md``, "Kinds")."""

    COUNT = "count"
    SUM = "sum"
    RATE = "rate"
    SHARE = "share"
    MEDIAN = "median"
    MEAN = "mean"
    PER_1000 = "per_1000"
    LATEST = "latest"

    @property
    def is_count(self) -> bool:
        """Whether the value is a number of records (:data:`COUNT_KINDS`)."""
        return self in COUNT_KINDS

    @property
    def is_proportion(self) -> bool:
        """Whether the value is a numerator out of a denominator (:data:`PROPORTION_KINDS`)."""
        return self in PROPORTION_KINDS


#: The kinds whose value is a number of records, shown as a whole number: ``count``, and
#: ``latest`` (the records open at a period end).
COUNT_KINDS = frozenset({Kind.COUNT, Kind.LATEST})
#: The kinds whose value is a proportion, a numerator out of a denominator, shown as a
#: percentage: ``share`` and ``rate``. Only they take a ``numerator`` and a ``denominator``.
PROPORTION_KINDS = frozenset({Kind.SHARE, Kind.RATE})


class Polarity(enum.StrEnum):
    """Which direction of a measure is better."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"


class Direction(enum.StrEnum):
    """Which way a figure moved between two periods."""

    UP = "up"
    DOWN = "down"
    UNCHANGED = "unchanged"
