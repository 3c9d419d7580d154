"""Sentences from facts: direction words, significance, small samples, exceptions, records.

Worked examples use seed-like counts so the arithmetic can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pandas as pd
from scipy.stats import binomtest

from forcepack.report import narrative, narrative_crime
from forcepack.report.facts import Direction, Median, Share, compare
from forcepack.stats import BenchmarkResult, BenchmarkVerdict, assess

DEC19, SEP19, DEC18 = dt.date(2019, 12, 31), dt.date(2019, 9, 30), dt.date(2018, 12, 31)


def test_seed_headline_sentence_with_its_tests() -> None:
    # now 1,025/1,340 = 76.5%; a year earlier 1,061/1,340 = 79.2%; a quarter earlier
    # 1,040/1,342 = 77.5%. Pooled year-on-year share (1025+1061)/2680 = 0.7784;
    # se = sqrt(0.7784*0.2216*(2/1340)) = 0.01604; z = (0.7649-0.7918)/0.01604 = -1.67;
    # p = 0.094 > 0.05: lower, but not significantly.
    now, year, quarter = (
        Share(1025, 1340, DEC19),
        Share(1061, 1340, DEC18),
        Share(1040, 1342, SEP19),
    )
    c = compare(now, year)
    assert c.direction is Direction.LOWER
    assert math.isclose(c.p_value, 0.094, abs_tol=0.005)
    assert not c.significant
    text = narrative.overall_satisfaction(1340, now, year, quarter)
    assert text.startswith(
        "1,340 victims of crime were surveyed in the 12 months ending December 2019, with 76.5% "
        "of survey respondents at least fairly satisfied with overall service delivery."
    )
    assert (
        "lower than both the 12 months ending December 2018 (79.2%) and September 2019 (77.5%)"
        in text
    )
    assert "neither difference is statistically significant" in text
    assert "significantly lower" not in text


def test_significant_changes_say_so() -> None:
    # 7,000/10,000 against 7,500/10,000: z about -7.9, p < 0.001 for both comparisons.
    now, year, quarter = (
        Share(7000, 10000, DEC19),
        Share(7500, 10000, DEC18),
        Share(7400, 10000, SEP19),
    )
    text = narrative.overall_satisfaction(10000, now, year, quarter)
    assert "significantly lower than both" in text
    assert "both differences are statistically significant" in text


def test_mixed_directions_are_worded_separately() -> None:
    now, year, quarter = Share(780, 1000, DEC19), Share(760, 1000, DEC18), Share(790, 1000, SEP19)
    text = narrative.overall_satisfaction(1000, now, year, quarter)
    assert "higher than the 12 months ending December 2018 (76.0%)" in text
    assert "lower than September 2019 (79.0%)" in text


def test_area_sentence_states_each_test() -> None:
    text = narrative.areas_satisfaction(
        {
            "North": (Share(300, 400, DEC19), Share(360, 400, DEC18)),  # 75.0% v 90.0%: z = -5.5
            "South": (Share(780, 1000, DEC19), Share(790, 1000, DEC18)),  # 78.0% v 79.0%: z = -0.5
        }
    )
    assert "North 75.0% (n = 400; 90.0% a year earlier, a statistically significant fall)" in text
    assert "South 78.0% (n = 1,000; 79.0% a year earlier, not a significant change)" in text


def test_follow_up_ranges_are_stated_without_a_judgement() -> None:
    last3 = [Share(613, 1000, DEC19), Share(713, 1000, DEC19), Share(650, 1000, DEC19)]
    prev3 = [Share(660, 1000, SEP19), Share(680, 1000, SEP19), Share(670, 1000, SEP19)]
    text = narrative.follow_up_range(last3, prev3, lowest_stage=True)
    assert "ranging from a low of 61.3% to a high of 71.3%" in text
    # 61.3% to 71.3% this quarter, 66.0% to 68.0% the quarter before: both stated, and no
    # "more variable" (no test of spread between two sets of three months is run)
    assert text.endswith("In the previous three months the rates ranged from 66.0% to 68.0%.")
    assert "variable" not in text


def test_ease_of_contact_gives_n_and_the_test() -> None:
    text = narrative.ease_of_contact(Share(845, 915, DEC19), Share(882, 945, SEP19))
    assert "92.3% (n = 915)" in text and "93.3% (n = 945)" in text
    assert "lower than 93.3%" in text
    assert "not a statistically significant difference" in text


def test_small_samples_are_called_out_with_an_interval() -> None:
    # follow up 66/111 = 59.5%; Wilson 95% interval about 50.1% to 68.1%: wider than 10 points
    text = narrative.domestic_abuse_survey(Share(133, 162, DEC19, 9), Share(66, 111, DEC19, 9))
    assert "82.1% (n = 162) of victims surveyed in the last 9 months" in text
    assert "follow up was lower at 59.5% (n = 111)" in text
    assert "95% confidence interval for follow up 50." in text


def test_response_medians_use_spc_for_change_words() -> None:
    imm = Median(18.1, DEC19, previous=18.4)
    prm = Median(
        104.6,
        DEC19,
        previous=131.0,
        special_cause="special cause variation of an improving nature (lower)",
    )
    text = narrative.response_grades(imm, prm, dispatch=40.2, immediate_share=0.69)
    assert "immediate grade incidents was 18 minutes in December 2019" in text
    assert "within its usual range of variation" in text
    assert (
        "105 minutes (131 minutes the month before); its chart shows special cause variation of "
        "an improving nature (lower)" in text
    )
    assert "Over two thirds of response incidents (69.0%)" in text


def test_delay_reason_unchanged_and_highest() -> None:
    text = narrative.delay_resourcing("domestic abuse incident", 0.5401, 0.5397, DEC19, True)
    assert text == (
        "In 54.0% of delayed domestic abuse incident attendances in December, non-availability "
        "of resources was cited as the reason for the delay; unchanged month on month and the "
        "highest of any incident type."
    )


def _counts(
    totals: dict[dt.date, float], districts: dict[str, dict[dt.date, float]] | None = None
) -> pd.DataFrame:
    """A measure result in the engine's tidy shape: headline rows and district rows."""
    rows = [
        {"period_end": d, "district": None, "value": v, "numerator": None}
        for d, v in totals.items()
    ]
    for name, values in (districts or {}).items():
        rows += [
            {"period_end": d, "district": name, "value": v, "numerator": None}
            for d, v in values.items()
        ]
    out = pd.DataFrame(rows)
    out["measure_id"], out["window"], out["denominator"], out["n"] = "m", "month", None, None
    return out


NOV19 = dt.date(2019, 11, 30)


def test_recorded_crime_names_the_only_exception_without_a_word_of_change() -> None:
    # 4,550 -> 4,500: under "same rate" 4,500 ~ Bin(9,050, 1/2), mean 4,525, sd 47.6, so
    # z = -0.53 and p = 0.60: not significant, so no "fell"; Peterborough is the only
    # district that moved against the (plain) fall.
    districts = {
        "Peterborough": {NOV19: 2000, DEC19: 2100},
        "Fenland": {NOV19: 950, DEC19: 900},
        "Cambridge": {NOV19: 1600, DEC19: 1500},
    }
    a = assess(
        _counts({NOV19: 4550, DEC19: 4500}, districts),
        kind="count",
        polarity="neutral",
        month=DEC19,
    )
    p = binomtest(4500, 9050, 0.5).pvalue
    text = narrative_crime.recorded_month(a, DEC19, 3)
    assert text == (
        "Recorded crime showed no statistically significant change month on month (4,550 in "
        f"November, 4,500 in December; p = {p:.3f}), with Peterborough the only district to see "
        "an increase."
    )
    assert "fell" not in text


def test_recorded_crime_significant_fall_says_so() -> None:
    # 4,550 -> 4,000: z = (4,000 - 4,275) / sqrt(8,550 / 4) = -5.9, p < 0.001.
    a = assess(_counts({NOV19: 4550, DEC19: 4000}), kind="count", polarity="neutral", month=DEC19)
    assert narrative_crime.recorded_month(a, DEC19, 0) == (
        "Recorded crime fell month on month, from 4,550 in November to 4,000 in December, a "
        "statistically significant fall (p < 0.001)."
    )


def test_recorded_crime_year_on_year_and_benchmark_streak() -> None:
    # 6,050 - 5,300 = 750 -> "over 700"; z = 750 / sqrt(11,350) = 7.0, p < 0.001.
    a = assess(_counts({DEC18: 5300, DEC19: 6050}), kind="count", polarity="neutral", month=DEC19)
    assert a.benchmark is None  # too few months for the benchmark: none is claimed
    text = narrative_crime.recorded_year(a, DEC19, 0)
    assert text == (
        "Over 700 more crimes were recorded in December 2019 than in the same month last year "
        "(6,050 against 5,300), a statistically significant rise (p < 0.001)."
    )
    bench = BenchmarkResult(70000, 67000, 65000, 69000, 5600, 200, 36, 12, BenchmarkVerdict.HIGHER)
    text = narrative_crime.recorded_year(replace(a, benchmark=bench), DEC19, 2)
    assert (
        "significantly higher than the long term benchmark for the second consecutive month" in text
    )
    within = replace(bench, verdict=BenchmarkVerdict.WITHIN)
    text = narrative_crime.recorded_year(replace(a, benchmark=within), DEC19, 1)
    assert "within the limits" in text
    # 5,100 against 5,000: z = 1.0, p = 0.32 -> no "more", the figures and the test instead
    b = assess(_counts({DEC18: 5000, DEC19: 5100}), kind="count", polarity="neutral", month=DEC19)
    text = narrative_crime.recorded_year(b, DEC19, 0)
    assert text.startswith("5,100 crimes were recorded in December 2019 against 5,000 in the same")
    assert "not a statistically significant change" in text and "more" not in text


def test_growth_only_names_double_digit_districts() -> None:
    text = narrative_crime.district_growth(
        {"Cambridge": 0.123, "Fenland": 0.04, "East Cambridgeshire": 0.105}
    )
    assert text == (
        "Cambridge and East Cambridgeshire both recorded double digit growth year on "
        "year (Cambridge 12.3%; East Cambridgeshire 10.5%)."
    )
    assert narrative_crime.district_growth({"Fenland": 0.04}) is None


def _rates(values: list[float]) -> pd.DataFrame:
    """Twelve monthly rates to DEC19, each of 1,000 outcomes."""
    months = pd.date_range(end=DEC19, periods=len(values), freq="ME")
    return pd.DataFrame(
        {
            "measure_id": "m",
            "period_end": months,
            "window": "month",
            "value": values,
            "numerator": [round(v * 1000) for v in values],
            "denominator": 1000,
            "n": None,
        }
    )


def test_outcome_rate_record_and_unchanged_rolling_rate() -> None:
    last12 = [0.09, 0.095, 0.1, 0.092, 0.098, 0.101, 0.089, 0.094, 0.1, 0.097, 0.105, 0.117]
    a = assess(_rates(last12), kind="rate", polarity="higher_is_better", month=DEC19)
    assert a.record_high and a.record_months == 12
    # rolling 971/10,000 against 968/10,000: 9.7% both to one decimal -> "remained unchanged"
    text = narrative_crime.outcomes(
        a, 0.089, 0.105, Share(971, 10000, DEC19), Share(968, 10000, NOV19), DEC19
    )
    assert "rate of 11.7% was the highest achieved in the last 12 months" in text
    assert "rolling 12 month rate remained unchanged at 9.7%" in text
    b = assess(_rates([*last12[:-1], 0.1]), kind="rate", polarity="higher_is_better", month=DEC19)
    assert not b.record_high
    # 9.7% against 9.5% on 10,000 each: z = 0.48, p = 0.63 -> no "rose"
    text = narrative_crime.outcomes(
        b, 0.089, 0.105, Share(971, 10000, DEC19), Share(951, 10000, NOV19), DEC19
    )
    assert "highest" not in text and "rose from" not in text
    assert "was 9.7% (9.5% a month earlier), not a statistically significant change" in text
    # the same shares on 500,000 each: z = 3.4, p < 0.001 -> "rose from 9.5% to 9.7%"
    text = narrative_crime.outcomes(
        b, 0.089, 0.105, Share(48550, 500000, DEC19), Share(47550, 500000, NOV19), DEC19
    )
    assert "rose from 9.5% to 9.7%, a statistically significant rise (p < 0.001)" in text


def test_records_and_ratios() -> None:
    # 990 -> 1,043 over a lower history: a record; z = 53 / sqrt(2,033) = 1.18, p = 0.24
    history = {
        d.date(): 900.0 for d in pd.date_range(end=dt.date(2019, 10, 31), periods=10, freq="ME")
    }
    a = assess(
        _counts({**history, NOV19: 990, DEC19: 1043}), kind="count", polarity="neutral", month=DEC19
    )
    text = narrative_crime.domestic_abuse_crimes(a, DEC19)
    assert text.startswith(
        "More than 1,000 domestic abuse crimes were recorded in December (1,043); the highest"
    )
    assert "November recorded 990, not a statistically significant change" in text
    b = assess(
        _counts({**history, NOV19: 990, DEC19: 943}), kind="count", polarity="neutral", month=DEC19
    )
    assert "highest" not in narrative_crime.domestic_abuse_crimes(b, DEC19)
    assert narrative_crime.ratio_words(118 / 62) == "almost double"  # 1.90
    assert narrative_crime.ratio_words(2.0) == "about double"
    assert narrative_crime.ratio_words(1.25) == "25% more"
    assert narrative.share_words(0.69) == "over two thirds"
    assert narrative.share_words(0.40) == "40.0%"


def test_child_sexual_abuse_ratio_only_when_significant() -> None:
    # 64 against 32: p = 2 P(X >= 64 | Bin(96, 1/2)) = 0.001 -> "About double", significant
    a = assess(_counts({DEC18: 32, DEC19: 64}), kind="count", polarity="neutral", month=DEC19)
    p = binomtest(64, 96, 0.5).pvalue
    assert narrative_crime.child_sexual_abuse(a, DEC19) == (
        "About double the number of child sexual abuse crimes were recorded in December 2019 "
        f"(64) than in the same month last year (32), a statistically significant rise "
        f"(p = {p:.3f})."
    )
    # 12 against 6: also double, but p = 0.24 -> no ratio words
    b = assess(_counts({DEC18: 6, DEC19: 12}), kind="count", polarity="neutral", month=DEC19)
    text = narrative_crime.child_sexual_abuse(b, DEC19)
    assert "double" not in text
    assert text.startswith("12 child sexual abuse crimes were recorded in December 2019, against 6")


def test_outcome_rates_by_flag_are_grouped_by_their_test() -> None:
    # domestic abuse 890/10,000 against 980/10,000: z = -2.2, p = 0.03 -> a significant fall;
    # hate crime 94/1,000 against 100/1,000: z = -0.45 -> no significant change.
    text = narrative_crime.outcome_flags(
        {
            "domestic abuse": (Share(890, 10000, DEC19), Share(980, 10000, DEC18)),
            "hate crime": (Share(94, 1000, DEC19), Share(100, 1000, DEC18)),
        }
    )
    assert text == (
        "Over the 12 months ending December 2019, compared with a year earlier, the prosecution "
        "possible outcome rate fell significantly for domestic abuse (8.9%, from 9.8%); showed no "
        "statistically significant change for hate crime (9.4%, from 10.0%)."
    )


def test_every_spc_reading_has_its_words() -> None:
    from forcepack.stats import Assurance, Variation

    for v in Variation:
        assert narrative.say(f"paper.spc_variation.{v.value}").endswith("variation") or "(" in (
            narrative.say(f"paper.spc_variation.{v.value}")
        )
    for a in Assurance:
        assert narrative.say(f"paper.spc_assurance.{a.value}").startswith("the target")
    assert narrative.say("paper.spc.latest", variation="x") == "The latest month shows x."


def test_calls_are_worded_from_their_poisson_tests() -> None:
    # 999: 11,230 -> 11,625, z = 395 / sqrt(22,855) = 2.6, p = 0.009 -> "increased".
    # 101: 21,786 -> 19,694 over a higher history, z = -10.3 -> "fell to", the lowest month.
    history = {
        d.date(): 22000.0 for d in pd.date_range(end=dt.date(2019, 10, 31), periods=6, freq="ME")
    }
    a999 = assess(
        _counts({NOV19: 11230, DEC19: 11625}), kind="count", polarity="neutral", month=DEC19
    )
    a101 = assess(
        _counts({**history, NOV19: 21786, DEC19: 19694}),
        kind="count",
        polarity="neutral",
        month=DEC19,
    )
    p = binomtest(11625, 11230 + 11625, 0.5).pvalue
    assert narrative_crime.calls(a999, a101, DEC19) == (
        f"The number of 999 calls increased month on month (11,230 to 11,625; p = {p:.3f}); in "
        "contrast, the number of 101 calls fell to 19,694, the lowest month in the data (21,786 "
        "in November; p < 0.001)."
    )
    # 999: 11,230 -> 11,300, p = 0.64: no word of change, and no "in contrast"
    flat = assess(
        _counts({NOV19: 11230, DEC19: 11300}), kind="count", polarity="neutral", month=DEC19
    )
    text = narrative_crime.calls(flat, a101, DEC19)
    assert text.startswith("The number of 999 calls showed no statistically significant change")
    assert "in contrast" not in text


def test_no_comparison_is_built_on_counts_below_five() -> None:
    # the seed-like case: 3 child sexual abuse crimes in December 2019 against 2 a year earlier
    a = assess(_counts({DEC18: 2, DEC19: 3}), kind="count", polarity="neutral", month=DEC19)
    text = narrative_crime.child_sexual_abuse(a, DEC19)
    assert text == (
        "The numbers of child sexual abuse crimes recorded in December 2019 and the same month "
        "last year are too small to compare (fewer than 5 in at least one of them)."
    )
    assert "against" not in text and "3" not in text.replace("2019", "")
    # one side below five is enough; five against five is compared as usual
    b = assess(_counts({DEC18: 40, DEC19: 4}), kind="count", polarity="neutral", month=DEC19)
    assert "too small to compare" in narrative_crime.child_sexual_abuse(b, DEC19)
    c = assess(_counts({DEC18: 5, DEC19: 5}), kind="count", polarity="neutral", month=DEC19)
    assert narrative_crime.child_sexual_abuse(c, DEC19).startswith(
        "5 child sexual abuse crimes were recorded in December 2019, against 5"
    )
    d = assess(_counts({NOV19: 4, DEC19: 9}), kind="count", polarity="neutral", month=DEC19)
    assert narrative_crime.domestic_abuse_crimes(d, DEC19) == (
        "The numbers of domestic abuse crimes recorded in December and November are too small "
        "to compare (fewer than 5 in at least one of them)."
    )
    e = assess(
        _counts({DEC18: 1, NOV19: 2, DEC19: 3}), kind="count", polarity="neutral", month=DEC19
    )
    assert "too small to compare" in narrative_crime.recorded_month(e, DEC19, 0)
    assert "too small to compare" in narrative_crime.recorded_year(e, DEC19, 0)
    assert "too small to compare" in narrative_crime.calls(e, d, DEC19)
    assert narrative_crime.serious_sexual_offences(3, 12, DEC19) == (
        "The numbers of serious sexual offences recorded in the 12 months ending December 2019 "
        "and the 12 months a year earlier are too small to compare (fewer than 5 in at least "
        "one of them)."
    )
    assert narrative_crime.serious_sexual_offences(30, 12, DEC19) == (
        "30 serious sexual offences were recorded in the 12 months ending December 2019, "
        "against 12 a year earlier."
    )
