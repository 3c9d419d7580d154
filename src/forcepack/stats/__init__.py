"""forcepack statistics: pure numerical code (numbers in, numbers out, no I/O).

SPC with the Making Data Count rules (``spc``, and ``attribute_chart`` for p, p', u, u' and c
charts), stated baselines and shift detection, counts judged by their own variation
(``count_change``), trends (``trend``, ``recent_improvement``), the long-term benchmark, survey
and count significance tests, the month's assessment of a measure, and the MDC icons as SVG.
"""

from forcepack.stats.assess import (
    Assessment,
    Comparison,
    DistrictMove,
    SignificanceTest,
    assess,
)
from forcepack.stats.attribute import attribute_chart, measure_chart
from forcepack.stats.baseline import Baseline, BaselineKind, ChangePoint
from forcepack.stats.benchmark import BenchmarkResult, BenchmarkVerdict, long_term_benchmark
from forcepack.stats.change import (
    CountChange,
    CountCompare,
    CountMethod,
    count_change,
    dispersion_test,
)
from forcepack.stats.counts import CountComparison, compare_counts
from forcepack.stats.evidence import evidence, verdict_of
from forcepack.stats.icons import (
    assurance_colour,
    assurance_icon,
    variation_colour,
    variation_icon,
)
from forcepack.stats.shift import Shift, detect_shift
from forcepack.stats.spc import (
    GroupSummary,
    RuleSet,
    SpcMethod,
    SpcResult,
    SpcSummary,
    spc,
    variation_of,
)
from forcepack.stats.survey import (
    Interval,
    ProportionComparison,
    compare_proportions,
    is_small_sample,
    wilson_interval,
)
from forcepack.stats.trend import (
    MannKendall,
    RecentImprovement,
    TrendResult,
    mann_kendall,
    recent_improvement,
    trend,
)
from forcepack.stats.vocab import (
    Assurance,
    ChartType,
    Direction,
    Improvement,
    Kind,
    PointType,
    Polarity,
    Rule,
    Side,
    Variation,
    Verdict,
)

__all__ = [
    "Assessment",
    "Assurance",
    "Baseline",
    "BaselineKind",
    "BenchmarkResult",
    "BenchmarkVerdict",
    "ChangePoint",
    "ChartType",
    "Comparison",
    "CountChange",
    "CountCompare",
    "CountComparison",
    "CountMethod",
    "Direction",
    "DistrictMove",
    "GroupSummary",
    "Improvement",
    "Interval",
    "Kind",
    "MannKendall",
    "PointType",
    "Polarity",
    "ProportionComparison",
    "RecentImprovement",
    "Rule",
    "RuleSet",
    "Shift",
    "Side",
    "SignificanceTest",
    "SpcMethod",
    "SpcResult",
    "SpcSummary",
    "TrendResult",
    "Variation",
    "Verdict",
    "assess",
    "assurance_colour",
    "assurance_icon",
    "attribute_chart",
    "compare_counts",
    "compare_proportions",
    "count_change",
    "detect_shift",
    "dispersion_test",
    "evidence",
    "is_small_sample",
    "long_term_benchmark",
    "mann_kendall",
    "measure_chart",
    "recent_improvement",
    "spc",
    "trend",
    "variation_colour",
    "variation_icon",
    "variation_of",
    "verdict_of",
    "wilson_interval",
]
