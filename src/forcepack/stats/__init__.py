"""forcepack statistics: pure numerical code (numbers in, numbers out, no I/O).

SPC with the Making Data Count rules (``spc``), the long-term benchmark, survey and count
significance tests, the month's assessment of a measure, and the MDC icons as SVG.
"""

from forcepack.stats.spc import (
    GroupSummary,
    RuleSet,
    SpcMethod,
    SpcResult,
    SpcSummary,
    spc,
    variation_of,
)
from forcepack.stats.vocab import Assurance, Improvement, PointType, Rule, Variation

__all__ = [
    "Assurance",
    "GroupSummary",
    "Improvement",
    "PointType",
    "Rule",
    "RuleSet",
    "SpcMethod",
    "SpcResult",
    "SpcSummary",
    "Variation",
    "spc",
    "variation_of",
]
