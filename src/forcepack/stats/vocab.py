"""The closed vocabularies of SPC results, shared by ``spc``, ``assess``, the icons and the
claims file; a measure's kind and polarity and a change's direction come from
:mod:`forcepack.vocab` (re-exported here)."""

from __future__ import annotations

import enum
from typing import TypeVar

from forcepack.errors import InputError
from forcepack.vocab import PROPORTION_KINDS as PROPORTION_KINDS
from forcepack.vocab import Direction as Direction
from forcepack.vocab import Kind as Kind
from forcepack.vocab import Polarity as Polarity

E = TypeVar("E", bound=enum.StrEnum)


def choose(kind: type[E], value: object, what: str) -> E:
    """``value`` as a member of ``kind``, or an InputError naming ``what`` and the choices."""
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise InputError(
            f"{what}: {value!r} is not one of {allowed}", hint=f"pass one of {allowed}"
        ) from None


class Improvement(enum.StrEnum):
    """Which direction of movement is an improvement."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


def improvement_of(polarity: Polarity | str) -> Improvement:
    """The direction of improvement a measure's polarity gives its charts."""
    return {
        Polarity.HIGHER_IS_BETTER: Improvement.INCREASE,
        Polarity.LOWER_IS_BETTER: Improvement.DECREASE,
        Polarity.NEUTRAL: Improvement.NEUTRAL,
    }[Polarity(str(polarity))]


class Rule(enum.StrEnum):
    """The special-cause rule that fired for a point (highest precedence first)."""

    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_IN_THREE = "two_in_three"
    RUN = "run"


class PointType(enum.StrEnum):
    COMMON_CAUSE = "common_cause"
    SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
    SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"


class Variation(enum.StrEnum):
    """The variation icon: the latest point's type, oriented as in the MDC icon set."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"


class Assurance(enum.StrEnum):
    CONSISTENT_PASS = "consistent_pass"
    CONSISTENT_FAIL = "consistent_fail"
    INCONSISTENT = "inconsistent"


class ChartType(enum.StrEnum):
    """The control chart a result was computed with (``SpcResult.chart``).

    ``xmr`` is ``spc``'s individuals chart; the others are ``attribute_chart``'s: ``p``
    (proportions), ``pp`` (Laney p'), ``u`` (rates), ``up`` (Laney u'), ``c`` (counts).
    """

    XMR = "xmr"
    P = "p"
    PP = "pp"
    U = "u"
    UP = "up"
    C = "c"


def chart_of(kind: Kind | str) -> ChartType:
    """The control chart a measure of ``kind`` is judged on, wherever it is judged: a share or
    a rate on a Laney p' chart of its monthly numerators and denominators (``pp``), any other
    kind on an XmR chart of its monthly values (``xmr``)."""
    return ChartType.PP if Kind(str(kind)) in PROPORTION_KINDS else ChartType.XMR


class Side(enum.StrEnum):
    """Which side of its earlier centre line a process has moved to."""

    HIGHER = "higher"
    LOWER = "lower"


class Verdict(enum.StrEnum):
    """The verdict of one judgement, as a claims file records it.

    A chart's latest point: ``improvement``, ``concern``, ``neutral_high``, ``neutral_low`` or
    ``common_cause``; a count's change: ``rise``, ``fall`` or ``no_change``; a trend:
    ``trend_up``, ``trend_down`` or ``stable``. ``count_change`` and ``trend`` give their
    verdicts in this vocabulary too (``CountChange.verdict``, ``TrendResult.verdict``), so a
    verdict is spelt the same from the test that reached it to the claims file.
    """

    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"
    COMMON_CAUSE = "common_cause"
    RISE = "rise"
    FALL = "fall"
    NO_CHANGE = "no_change"
    TREND_UP = "trend_up"
    TREND_DOWN = "trend_down"
    STABLE = "stable"
