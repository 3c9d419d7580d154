"""Every constant the statistics package uses, named and cited once.

Messages, docs and code are formatted from these names, so they cannot disagree. Sources:

- [PTD] NHSRplotthedots (nhs-r-community), ``R/ptd_spc_standard.R``,
  ``R/ptd_calculate_point_type.R``, ``R/ptd_add_short_group_warnings.R``,
  ``R/ptd_spc_options.R``, ``R/ptd_calculate_assurance_type.R``, ``R/geom_ptd_icon.R``,
  ``R/ptd_spc_colours.R``: the R implementation of NHS England's "Making Data Count" (MDC)
  plot-the-dots rules that forcepack follows exactly.
- [MDC] NHS England / NHS Improvement, "Making Data Count: Strengthening your decisions"
  (2019) and its SPC Excel tool.
- [W] Wheeler & Chambers, "Understanding Statistical Process Control" (1992): XmR constants.
- [WIL] Wilson, E. B. (1927) "Probable inference...", JASA 22: the score interval.
- [NEW] Newcombe, R. G. (1998) "Interval estimation for the difference between independent
  proportions", Statistics in Medicine 17, method 10 (hybrid score).
- [DESIGN] forcepack DESIGN.md, "Long-term benchmark".
- [QIC] qicharts2 (J. Anhoej), ``R/helper.functions.R``: ``qic.p``, ``qic.pp``, ``qic.u``,
  ``qic.up``, ``qic.c``, the attribute-chart limits forcepack reproduces.
- [LAN] Laney, D. B. (2002) "Improved control charts for attributes", Quality Engineering
  14(4): 531-537: the p' and u' charts.
- [FIS] Fisher's index of dispersion test: sum (x - mean)^2 / mean ~ chi-squared(k - 1) for k
  Poisson counts (Fisher 1950; Cochran 1954, "Some methods for strengthening the common
  chi-squared tests", Biometrics 10: 417-451).
- [MK] Mann, H. B. (1945) "Nonparametric tests against trend", Econometrica 13: 245-259;
  Kendall, M. G. (1975) "Rank Correlation Methods", 4th ed., Griffin (variance with ties).
- [SEN] Sen, P. K. (1968) "Estimates of the regression coefficient based on Kendall's tau",
  JASA 63: 1379-1389.
- [HH] Helsel, D. R. and Hirsch, R. M. (2002) "Statistical Methods in Water Resources", USGS
  TWRI 4-A3, ch. 12: the Mann-Kendall test, its continuity correction and the n >= 10 rule.
- [MON] Montgomery, D. C., "Introduction to Statistical Quality Control", ch. 7: p, c, u charts.
"""

from __future__ import annotations

from typing import Final

# --- XmR (individuals) chart ------------------------------------------------------------

#: d2 bias-correction constant for moving ranges of two points: sigma = mean moving range / d2 [W].
D2: Final = 1.128

#: Process-limit multiplier: 3 / d2 = 2.6596..., rounded to 2.66 as in [PTD] (``limit <- 2.66``).
LIMIT_FACTOR: Final = 2.66

#: The near-limit ("2-sigma") lines sit at mean +- 2/3 of the limit distance: [PTD]
#: ``limitclose <- 2 * (limit / 3)`` = 1.7733...
NEAR_LIMIT_FACTOR: Final = 2 * (LIMIT_FACTOR / 3)

#: Moving ranges at or above this multiple of the mean moving range are screened out (once)
#: before the limits are computed: D4 for n = 2 [W]; [PTD] ``mr < 3.267 * amr`` keeps a range.
MR_SCREEN_FACTOR: Final = 3.267

# --- special-cause rules -----------------------------------------------------------------

#: Points in a row on one side of the mean that make a shift ("run") [PTD] [MDC].
RUN_LENGTH: Final = 7

#: Points in a row, each strictly above (below) the one before, that make a trend [PTD] [MDC].
TREND_LENGTH: Final = 7

#: "Two out of three" points beyond the 2-sigma (near-limit) lines on the same side [PTD].
TWO_OF_THREE_HITS: Final = 2
TWO_OF_THREE_WINDOW: Final = 3

#: The MDC Excel tool's variant rules: runs and trends of 6 points, no moving-range screening
#: [MDC]. Offered as ``SpcMethod.MDC_EXCEL``.
MDC_EXCEL_RUN_LENGTH: Final = 6
MDC_EXCEL_TREND_LENGTH: Final = 6

#: A baseline fixed with ``fix_after_n_points`` needs at least this many points [PTD]
#: (``ptd_spc_options``: "fix_after_n_points must be ... greater than or equal to 12").
MIN_FIX_POINTS: Final = 12

#: Groups (between rebases) with fewer points than this carry a short-group warning [PTD]
#: (``warning_threshold = 13`` in ``ptd_add_short_group_warnings``).
SHORT_GROUP_THRESHOLD: Final = 13

# --- long-term benchmark [DESIGN] -----------------------------------------------------------

#: Months of baseline before the latest window.
BENCHMARK_BASELINE_MONTHS: Final = 36

#: Months in the window whose total is judged (a rolling 12-month total).
BENCHMARK_WINDOW_MONTHS: Final = 12

#: Limits are the expected total +- this many standard deviations of a window total.
BENCHMARK_SIGMA_MULTIPLIER: Final = 3.0

# --- significance tests ----------------------------------------------------------------------

#: Two-sided significance level for every test forcepack reports.
ALPHA: Final = 0.05

#: Standard normal quantile for a 95% interval: Phi^-1(0.975) [WIL] [NEW].
WILSON_Z: Final = 1.959963984540054

#: Fewer respondents than this in either period and a survey share is flagged "small sample"
#: (a forcepack reporting convention; the narrative words such results with caution).
SMALL_SAMPLE_N: Final = 50

# --- icons -----------------------------------------------------------------------------------

#: Making Data Count colours as published in [PTD] ``R/ptd_spc_colours.R`` (and the MDC icon set).
COLOUR_COMMON_CAUSE: Final = "#A6A6A6"  # grey
COLOUR_IMPROVEMENT: Final = "#00B0F0"  # blue
COLOUR_CONCERN: Final = "#E46C0A"  # orange
COLOUR_NEUTRAL: Final = "#490092"  # purple
COLOUR_TARGET: Final = "#DE1B1B"  # red target line

# --- attribute charts (p, p', u, u', c) [QIC] [LAN] [MON] ----------------------------------

#: Control limits of an attribute chart sit at centre +- this many (per-point) sigmas [QIC].
ATTRIBUTE_SIGMA_LIMIT: Final = 3.0

#: Its "2-sigma" lines, used by the two-in-three rule [QIC] (``ucl.95 <- cl + 2 * stdev``).
ATTRIBUTE_SIGMA_NEAR: Final = 2.0

#: A Laney p' or u' chart needs at least this many baseline points in each group: its
#: between-subgroup sigma is the mean moving range of the z-scores, so it needs one range [LAN].
MIN_LANEY_POINTS: Final = 2

# --- counts judged by their own variation [W] [FIS] -----------------------------------------

#: Upper range limit of a two-point moving range chart, D4 x mean moving range [W]: a
#: month-on-month (or year-on-year) change of a count larger than this is beyond the series'
#: usual variation. Same value as ``MR_SCREEN_FACTOR``, named for its use.
MR_UPPER_LIMIT_FACTOR: Final = 3.267

#: Least points before the latest one that a count's change is judged against (a year).
MIN_CHANGE_BASELINE: Final = 12

#: Months back to "the same month last year".
MONTHS_IN_YEAR: Final = 12

# --- trends [MK] [SEN] [HH] ----------------------------------------------------------------

#: Months over which a monotone trend is judged: the stated window of the paper's trend words.
TREND_WINDOW_MONTHS: Final = 24

#: Least points for the Mann-Kendall normal approximation [HH] (adequate from n = 10).
MIN_TREND_POINTS: Final = 10

#: "Recent months": the last this many points of a chart (a quarter), a forcepack convention.
RECENT_POINTS: Final = 3
