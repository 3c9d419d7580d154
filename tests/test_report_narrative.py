"""Sentences from facts: direction words, significance, small samples, exceptions, records.

Worked examples use seed-like counts so the arithmetic can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
import math

from forcepack.report import narrative, narrative_crime
from forcepack.report.facts import Direction, Median, Share, compare

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


def test_follow_up_range_and_variability() -> None:
    last3 = [Share(613, 1000, DEC19), Share(713, 1000, DEC19), Share(650, 1000, DEC19)]
    prev3 = [Share(660, 1000, SEP19), Share(680, 1000, SEP19), Share(670, 1000, SEP19)]
    text = narrative.follow_up_range(last3, prev3, lowest_stage=True)
    assert "ranging from a low of 61.3% to a high of 71.3%" in text
    # 10.0 points this quarter against 2.0 points the quarter before
    assert "more variable than in the previous three months (66.0% to 68.0%)" in text


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


def test_recorded_crime_names_the_only_exception() -> None:
    districts = {"Peterborough": (2100, 2000), "Fenland": (900, 950), "Cambridge": (1500, 1600)}
    text = narrative_crime.recorded_month(4500, 4550, DEC19, districts)
    assert text == (
        "Recorded crime fell month on month, from 4,550 in November to 4,500 in December, with "
        "Peterborough the only district to see an increase."
    )


def test_recorded_crime_year_on_year_and_benchmark_streak() -> None:
    text = narrative_crime.recorded_year(6050, 5300, DEC19, "above", 2)
    # 6,050 - 5,300 = 750 -> "over 700"
    assert text.startswith("Over 700 more crimes were recorded in December 2019 than in the same")
    assert (
        "significantly higher than the long term benchmark for the second consecutive month" in text
    )
    assert "within the limits" in narrative_crime.recorded_year(5000, 5100, DEC19, "within", 1)


def test_growth_only_names_double_digit_districts() -> None:
    text = narrative_crime.district_growth(
        {"Cambridge": 0.123, "Fenland": 0.04, "East Cambridgeshire": 0.105}
    )
    assert text == (
        "Cambridge and East Cambridgeshire both recorded double digit growth year on "
        "year (Cambridge 12.3%; East Cambridgeshire 10.5%)."
    )
    assert narrative_crime.district_growth({"Fenland": 0.04}) is None


def test_outcome_rate_record_and_unchanged_rolling_rate() -> None:
    last12 = [0.09, 0.095, 0.1, 0.092, 0.098, 0.101, 0.089, 0.094, 0.1, 0.097, 0.105, 0.117]
    text = narrative_crime.outcomes(0.117, last12, 0.0971, 0.0968, DEC19)
    assert "rate of 11.7% was the highest achieved in the last 12 months" in text
    assert "rolling 12 month rate remained unchanged at 9.7%" in text
    text = narrative_crime.outcomes(0.1, [*last12[:-1], 0.1], 0.0971, 0.0951, DEC19)
    assert "highest" not in text and "rose from 9.5%" in text


def test_records_and_ratios() -> None:
    assert narrative_crime.domestic_abuse_crimes(1043, 990, DEC19, record=True).startswith(
        "More than 1,000 domestic abuse crimes were recorded in December (1,043); the highest"
    )
    assert "highest" not in narrative_crime.domestic_abuse_crimes(943, 990, DEC19, record=False)
    assert narrative_crime.ratio_words(118 / 62) == "almost double"  # 1.90
    assert narrative_crime.ratio_words(2.0) == "about double"
    assert narrative_crime.ratio_words(1.25) == "25% more"
    assert narrative.share_words(0.69) == "over two thirds"
    assert narrative.share_words(0.40) == "40.0%"


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
