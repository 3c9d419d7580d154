"""``assess``: the month's reading of one measure, from small hand-made measure results.

The frames have the measure engine's tidy shape: measure_id, period_end, window, district,
value, numerator, denominator, n. Headline rows have district = None.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import pytest

from forcepack.errors import InputError
from forcepack.stats import (
    Assurance,
    BenchmarkVerdict,
    Direction,
    Kind,
    SignificanceTest,
    Variation,
    assess,
    compare_counts,
    compare_proportions,
)

MONTHS = pd.date_range("2015-01-31", "2019-12-31", freq="ME")  # 60 month ends
DEC19, NOV19, SEP19, DEC18 = (
    pd.Timestamp(d) for d in ("2019-12-31", "2019-11-30", "2019-09-30", "2018-12-31")
)


def counts_frame(
    headline: Sequence[float], districts: Mapping[str, tuple[float, float]]
) -> pd.DataFrame:
    """A count measure: one headline row a month, and district rows for Nov and Dec 2019."""
    rows = [
        {
            "measure_id": "crime.recorded",
            "period_end": m,
            "window": "month",
            "district": None,
            "value": v,
            "numerator": None,
            "denominator": None,
            "n": None,
        }
        for m, v in zip(MONTHS, headline, strict=True)
    ]
    for name, (nov, dec) in districts.items():
        for month, v in ((NOV19, nov), (DEC19, dec)):
            rows.append(
                {
                    "measure_id": "crime.recorded",
                    "period_end": month,
                    "window": "month",
                    "district": name,
                    "value": v,
                    "numerator": None,
                    "denominator": None,
                    "n": None,
                }
            )
    return pd.DataFrame(rows)


# Recorded crime: 1,000 a month alternating +-10 for 48 months, then 1,100 for 11 months,
# and 1,060 in Dec 2019 (Nov 1,100, Sep 1,100, Dec 2018 1,000 + 10 = 1,010 or 990).
HEADLINE = [1000 + (10 if i % 2 else -10) for i in range(48)] + [1100] * 11 + [1060]
DISTRICTS = {
    "Cambridge": (300, 280),
    "Peterborough": (250, 270),
    "Fenland": (150, 150),
    "Huntingdonshire": (200, 190),
}


@pytest.fixture
def crime() -> pd.DataFrame:
    return counts_frame(HEADLINE, DISTRICTS)


def test_count_comparisons_are_judged_by_the_series_own_variation(crime: pd.DataFrame) -> None:
    a = assess(crime, kind="count", polarity="lower_is_better", month="2019-12-31")
    assert a.value == 1060
    assert a.measure_id == "crime.recorded"
    # previous month: 1,060 against 1,100 (change -40). The 59 months before vary far more than
    # Poisson counts (a step of 100 after 48 months), so count_change judges the change by the
    # moving ranges: MR-bar = (47 x 20 + 90 + 10 x 0) / 58 (month 48 is 1,010, then 1,100),
    # limit 3.267 MR-bar = 58.0 > 40.
    prev = a.previous
    assert prev is not None
    assert (prev.value, prev.change) == (1100, -40)
    assert prev.test is SignificanceTest.OWN_VARIATION
    assert prev.count is not None and prev.count.overdispersed
    assert prev.count.limit == pytest.approx(3.267 * (47 * 20 + 90) / 58)
    assert prev.p_value is None  # no Poisson test on an overdispersed series
    assert prev.significant is False
    assert prev.direction is None and prev.improved is None
    # last year: Dec 2018 is month 48 of 60 -> index 47, odd -> 1,010. +50 < 58.0: no change
    assert a.last_year is not None and a.last_year.value == 1010
    assert a.last_year.count is not None
    assert a.last_year.count.comparison_value == 1010
    assert a.last_year.significant is False
    # quarter earlier: Sep 2019 = 1,100, not a comparison count_change judges
    assert a.quarter is not None and a.quarter.period_end == SEP19 and a.quarter.value == 1100
    assert a.quarter.direction is None and a.quarter.test is SignificanceTest.NOT_TESTED


def test_an_overdispersed_count_with_a_small_fall_is_within_the_usual_range() -> None:
    # 59 months swinging 1,200/800 (variance far above the mean), then a fall of 150 that the
    # exact Poisson test calls significant (p = 0.002) but the moving ranges call ordinary
    # (limit 3.267 x 400).
    headline = [800.0 if i % 2 else 1200.0 for i in range(59)] + [1050.0]
    frame = counts_frame(headline, {})
    a = assess(frame, kind="count", polarity="lower_is_better", month=DEC19)
    assert a.previous is not None and a.previous.value == 1200
    assert compare_counts(1050, 1200).p_value < 0.01
    assert a.previous.count is not None and a.previous.count.overdispersed
    assert a.previous.direction is None and a.previous.significant is False


def test_a_poisson_like_count_is_judged_by_the_exact_test() -> None:
    rng = np.random.default_rng(13)
    headline = [float(v) for v in rng.poisson(1000, 59)] + [1200.0]
    a = assess(counts_frame(headline, {}), kind="count", polarity="neutral", month=DEC19)
    c = a.previous
    assert c is not None and c.count is not None
    if not c.count.overdispersed:
        assert c.p_value == pytest.approx(compare_counts(1200, headline[-2]).p_value)
    assert c.direction is Direction.UP and c.significant is True


def test_a_significant_rise_earns_a_direction_and_a_judgement() -> None:
    headline = [*HEADLINE[:-1], 1300]  # 1,300 vs 1,100: z far beyond 1.96
    a = assess(
        counts_frame(headline, DISTRICTS), kind="count", polarity="lower_is_better", month=DEC19
    )
    assert a.previous is not None
    assert a.previous.significant is True
    assert a.previous.direction is Direction.UP
    assert a.previous.improved is False  # up is worse for recorded crime
    assert a.previous.relative_change == pytest.approx(200 / 1100)


def test_districts_rose_fell_highest_lowest(crime: pd.DataFrame) -> None:
    a = assess(crime, kind="count", polarity="lower_is_better", month=DEC19)
    assert [m.district for m in a.districts_rose] == ["Peterborough"]  # 250 -> 270
    assert [(m.district, m.change) for m in a.districts_fell] == [
        ("Cambridge", -20),  # largest fall first
        ("Huntingdonshire", -10),
    ]
    assert a.highest_district is not None and a.highest_district.district == "Cambridge"
    assert a.lowest_district is not None and a.lowest_district.district == "Fenland"


def test_record_high_and_low_within_n_months(crime: pd.DataFrame) -> None:
    # 1,060 is below the eleven 1,100s but above all of the first 48 months
    a = assess(crime, kind="count", polarity="lower_is_better", month=DEC19)
    assert (a.record_high, a.record_low, a.record_months) == (False, False, 60)
    low12 = assess(crime, kind="count", polarity="lower_is_better", month=DEC19, record_months=12)
    assert (low12.record_low, low12.record_months) == (True, 12)  # lowest of the last 12
    top = assess(
        counts_frame([*HEADLINE[:-1], 1200], {}),
        kind="count",
        polarity="lower_is_better",
        month=DEC19,
    )
    assert top.record_high is True  # highest month on record


def test_variation_assurance_and_benchmark_for_a_count(crime: pd.DataFrame) -> None:
    a = assess(crime, kind="count", polarity="lower_is_better", month=DEC19, target=900)
    # The last 12 months (1,100 x 11 + 1,060 = 13,160) sit above the mean of 60 months
    # (48,000 + 13,160) / 60 = 1,019.33, so the latest point is part of a run: a concern.
    assert a.spc is not None and a.spc.mean == pytest.approx((48_000 + 13_160) / 60)
    assert a.variation is Variation.CONCERN_HIGH
    # A target of 900 lies below the lower limit: lower is better, so it will not be met.
    assert a.spc.lpl > 900
    assert a.assurance is Assurance.CONSISTENT_FAIL
    # Benchmark: baseline = months 13..48 (990/1,010 alternating: mu 1,000, every range 20,
    # sigma 20/1.128 = 17.73); expected 12,000, upper 12,000 + 3 sqrt(12) 17.73 = 12,184.3;
    # the window total 13,160 is above it -> significantly higher.
    assert a.benchmark is not None
    assert a.benchmark.expected == pytest.approx(12_000)
    assert a.benchmark.upper == pytest.approx(12_000 + 3 * math.sqrt(12) * 20 / 1.128)
    assert a.benchmark.total == 13_160
    assert a.benchmark.verdict is BenchmarkVerdict.HIGHER


def share_frame(successes: list[int], ns: list[int]) -> pd.DataFrame:
    months = pd.date_range(end="2019-12-31", periods=len(ns), freq="ME")
    return pd.DataFrame(
        {
            "measure_id": "satisfaction.overall",
            "period_end": months,
            "window": "rolling12",
            "value": np.array(successes) / np.array(ns),
            "numerator": successes,
            "denominator": ns,
            "n": ns,
        }
    )


def test_share_changes_use_the_two_proportion_test() -> None:
    # Dec 2019 1,025 / 1,340 = 76.5%; Dec 2018 1,030 / 1,300 = 79.2%
    succ = [1030] + [1000] * 11 + [1025]
    ns = [1300] + [1300] * 11 + [1340]
    a = assess(
        share_frame(succ, ns),
        kind=Kind.SHARE,
        polarity="higher_is_better",
        month=DEC19,
        window="rolling12",
    )
    ly = a.last_year
    assert ly is not None and ly.test is SignificanceTest.TWO_PROPORTION
    expected = compare_proportions(1025, 1340, 1030, 1300)
    assert ly.p_value == pytest.approx(expected.p_value)
    assert ly.change == pytest.approx(1025 / 1340 - 1030 / 1300)
    assert ly.significant is False and ly.direction is None
    assert ly.difference_interval is not None
    assert ly.difference_interval.lower < 0 < ly.difference_interval.upper
    assert a.small_sample is False
    assert a.variation is None  # no monthly rows: no SPC on overlapping rolling windows


def test_small_sample_share() -> None:
    a = assess(
        share_frame([30, 20], [40, 45]),
        kind="share",
        polarity="higher_is_better",
        month=DEC19,
        window="rolling12",
    )
    assert a.small_sample is True
    assert a.previous is not None and a.previous.small_sample is True


def test_medians_are_not_tested_but_keep_their_plain_direction() -> None:
    frame = pd.DataFrame({"period_end": [NOV19, DEC19], "window": "month", "value": [100.0, 105.0]})
    a = assess(frame, kind="median", polarity="lower_is_better", month=DEC19)
    assert a.previous is not None
    assert a.previous.test is SignificanceTest.NOT_TESTED
    assert a.previous.significant is None
    assert a.previous.direction is Direction.UP
    assert a.previous.improved is False
    assert a.last_year is not None and a.last_year.value is None  # no Dec 2018 row


def test_assess_does_not_change_its_input(crime: pd.DataFrame) -> None:
    before = crime.copy()
    assess(crime, kind="count", polarity="neutral", month=DEC19)
    pd.testing.assert_frame_equal(crime, before)


def test_missing_month_and_mixed_measures_are_named(crime: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="no 'month' value for 2020-01-31"):
        assess(crime, kind="count", polarity="neutral", month="2020-01-31")
    two = pd.concat([crime, crime.assign(measure_id="crime.other")])
    with pytest.raises(InputError, match="holds 2 measures"):
        assess(two, kind="count", polarity="neutral", month=DEC19)
    a = assess(two, kind="count", polarity="neutral", month=DEC19, measure_id="crime.other")
    assert a.measure_id == "crime.other"
    with pytest.raises(InputError, match="kind"):
        assess(crime, kind="ratio", polarity="neutral", month=DEC19)
