"""Sentences from facts: direction words, significance, small samples, exceptions, records.

Worked examples use seed-like counts so the arithmetic can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from forcepack.report import narrative, narrative_crime
from forcepack.report.assessed import judge_count, judge_share
from forcepack.report.builders import Context
from forcepack.report.facts import Median, Share
from forcepack.stats import BenchmarkResult, BenchmarkVerdict, assess
from report_helpers import monthly_shares

DEC19, SEP19, DEC18 = dt.date(2019, 12, 31), dt.date(2019, 9, 30), dt.date(2018, 12, 31)


def test_headline_satisfaction_states_comparatives_and_the_claimed_month() -> None:
    # now 1,025/1,340 = 76.5%; a year earlier 79.2%; a quarter earlier 77.5%: lower than both,
    # the plain arithmetic; no test of overlapping rolling windows, no "significant"
    now, year, quarter = (
        Share(1025, 1340, DEC19),
        Share(1061, 1340, DEC18),
        Share(1040, 1342, SEP19),
    )
    text = narrative.overall_satisfaction(
        1340, now, year, quarter, "within the usual range of monthly variation"
    )
    assert text.startswith(
        "1,340 victims of crime were surveyed in the 12 months ending December 2019, with 76.5% "
        "of survey respondents at least fairly satisfied with overall service delivery."
    )
    assert (
        "lower than both the 12 months ending December 2018 (79.2%) and September 2019 (77.5%)."
        in text
    )
    assert text.endswith(
        "Satisfaction in December alone was within the usual range of monthly variation."
    )
    assert "significant" not in text and "p =" not in text


def test_a_share_is_judged_on_its_monthly_p_prime_chart() -> None:
    steady = [0.75 + (0.01 if i % 2 else -0.01) for i in range(35)]
    ctx = monthly_shares([*steady, 0.755])
    assert judge_share(ctx, "satisfaction.overall") == "within the usual range of monthly variation"
    (said,) = ctx.said
    assert said.record["method"] == "pp" and said.record["verdict"] == "common_cause"
    assert len(said.record["series"]) == 36 and said.record["series"][-1]["numerator"] == 755
    # a month far below the limits is a real deterioration for a higher-is-better share
    ctx = monthly_shares([*steady, 0.62])
    phrase = judge_share(ctx, "satisfaction.overall")
    assert phrase == "a real deterioration (lower), beyond normal month-to-month variation"
    assert ctx.said[0].record["verdict"] == "concern"


def test_mixed_directions_are_worded_separately() -> None:
    now, year, quarter = Share(780, 1000, DEC19), Share(760, 1000, DEC18), Share(790, 1000, SEP19)
    text = narrative.overall_satisfaction(1000, now, year, quarter)
    assert "higher than the 12 months ending December 2018 (76.0%)" in text
    assert "lower than September 2019 (79.0%)" in text


def test_area_sentence_states_the_figures_and_samples() -> None:
    text = narrative.areas_satisfaction(
        {
            "North": (Share(300, 400, DEC19), Share(360, 400, DEC18)),
            "South": (Share(780, 1000, DEC19), Share(790, 1000, DEC18)),
        }
    )
    assert "North 75.0% (n = 400; 90.0% a year earlier)" in text
    assert "South 78.0% (n = 1,000; 79.0% a year earlier)" in text


def test_follow_up_ranges_are_stated_without_a_judgement() -> None:
    last3 = [Share(613, 1000, DEC19), Share(713, 1000, DEC19), Share(650, 1000, DEC19)]
    prev3 = [Share(660, 1000, SEP19), Share(680, 1000, SEP19), Share(670, 1000, SEP19)]
    text = narrative.follow_up_range(last3, prev3, lowest_stage=True)
    assert "ranging from a low of 61.3% to a high of 71.3%" in text
    # 61.3% to 71.3% this quarter, 66.0% to 68.0% the quarter before: both stated, and no
    # "more variable" (no test of spread between two sets of three months is run)
    assert text.endswith("In the previous three months the rates ranged from 66.0% to 68.0%.")
    assert "variable" not in text


def test_ease_of_contact_gives_n_and_the_claimed_month() -> None:
    text = narrative.ease_of_contact(
        Share(845, 915, DEC19),
        Share(882, 945, SEP19),
        "within the usual range of monthly variation",
    )
    assert "92.3% (n = 915)" in text and "93.3% (n = 945)" in text
    assert "lower than 93.3%" in text
    assert text.endswith(
        "Ease of contact in December alone was within the usual range of monthly variation."
    )
    assert "significant" not in text


def test_small_samples_are_called_out_with_an_interval() -> None:
    # follow up 66/111 = 59.5%; Wilson 95% interval about 50.1% to 68.1%: wider than 10 points
    text, note = narrative.domestic_abuse_survey(
        Share(133, 162, DEC19, 9), Share(66, 111, DEC19, 9)
    )
    assert "82.1% (n = 162) of victims surveyed in the last 9 months" in text
    assert "follow up was lower at 59.5% (n = 111)" in text
    # the body says the figures are uncertain; the interval itself goes to the notes
    assert "uncertain by several points (see the notes)" in text and "interval" not in text
    assert note is not None and note.startswith("satisfaction with follow up 50.")
    assert "95% confidence interval, Wilson score method, n = 111" in note
    # a large sample needs no such note
    assert (
        narrative.domestic_abuse_survey(Share(1330, 1620, DEC19, 9), Share(6600, 11100, DEC19, 9))[
            1
        ]
        is None
    )


def test_response_medians_are_worded_from_their_claimed_chart_readings() -> None:
    imm = Median(
        18.1, DEC19, previous=18.4, judgement="common cause variation, within its usual range"
    )
    prm = Median(
        104.6,
        DEC19,
        previous=131.0,
        judgement="special cause variation of an improving nature (lower)",
    )
    text = narrative.response_grades(imm, prm, dispatch=40.2, immediate_share=0.69)
    assert "immediate grade incidents was 18 minutes in December 2019" in text
    assert "(18 minutes the month before); its chart shows common cause variation" in text
    assert (
        "105 minutes (131 minutes the month before); its chart shows special cause variation of "
        "an improving nature (lower)" in text
    )
    assert "Over two thirds of response incidents (69.0%)" in text
    moved = replace(prm, judgement="has run below its earlier range since March 2019", shifted=True)
    text = narrative.response_grades(imm, moved, dispatch=None, immediate_share=None)
    assert "(131 minutes the month before); the median has run below its earlier range since " in (
        text
    )
    # a median whose chart was not judged says nothing of its variation
    bare = narrative.response_grades(Median(18.1, DEC19, previous=18.4), prm, None, None)
    assert "18 minutes in December 2019 (18 minutes the month before)." in bare


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


def _ctx() -> Context:
    """A builder's context with nothing but somewhere to record claims."""
    return Context(
        data=None,  # type: ignore[arg-type]
        con=None,  # type: ignore[arg-type]
        month=DEC19,
        inputs=None,  # type: ignore[arg-type]
        board=DEC19,
        meeting=DEC19,
    )


def _history(end: dt.date, values: list[float]) -> dict[dt.date, float]:
    """``values`` as consecutive months ending at ``end``."""
    months = pd.date_range(end=end, periods=len(values), freq="ME")
    return {d.date(): v for d, v in zip(months, values, strict=True)}


#: 24 months swinging 4,300/4,700: far more variable than Poisson counts (MR-bar 400).
SWINGING = [4300.0 if i % 2 else 4700.0 for i in range(24)]


def test_an_overdispersed_count_with_a_small_fall_is_within_the_usual_range() -> None:
    # 4,700 -> 4,500: the exact Poisson test would call it significant (p = 0.04), but the
    # series' own moving ranges (limit 3.267 x 400) call it ordinary. Peterborough is the only
    # district that moved against the (plain) fall.
    districts = {
        "Peterborough": {NOV19: 2000, DEC19: 2100},
        "Fenland": {NOV19: 950, DEC19: 900},
        "Cambridge": {NOV19: 1750, DEC19: 1500},
    }
    totals = _history(DEC19, [*SWINGING[:-1], 4700.0, 4500.0][-24:])
    a = assess(_counts(totals, districts), kind="count", polarity="neutral", month=DEC19)
    assert binomtest(4500, 9200, 0.5).pvalue < 0.05
    ctx = _ctx()
    judgement, moved = judge_count(ctx, a.previous, "crime.recorded", "count_month")
    assert not moved
    text = narrative_crime.recorded_month(a, DEC19, 3, judgement)
    assert text == (
        "4,500 crimes were recorded in December against 4,700 in November, within the usual "
        "range of month-to-month variation; Peterborough was the only district to record more "
        "crimes than in November."
    )
    assert "fell" not in text and "p =" not in text
    (said,) = ctx.said
    assert said.record["method"] == "xmr_moving_range" and said.record["verdict"] == "no_change"


def test_a_genuine_fall_in_a_count_says_so() -> None:
    # the same swinging history, then 3,000: 1,700 below November, beyond 3.267 x 400 = 1,307
    totals = _history(DEC19, [*SWINGING[:-1], 3000.0])
    a = assess(_counts(totals), kind="count", polarity="neutral", month=DEC19)
    judgement, moved = judge_count(_ctx(), a.previous, "crime.recorded", "count_month")
    assert moved
    assert narrative_crime.recorded_month(a, DEC19, 0, judgement) == (
        "3,000 crimes were recorded in December against 4,700 in November, a real fall, beyond "
        "normal month-to-month variation."
    )


def test_a_count_with_too_short_a_history_is_not_judged() -> None:
    a = assess(_counts({NOV19: 4550, DEC19: 4000}), kind="count", polarity="neutral", month=DEC19)
    ctx = _ctx()
    judgement, moved = judge_count(ctx, a.previous, "crime.recorded", "count_month")
    assert not moved and ctx.said == []
    assert "too few months" in narrative_crime.recorded_month(a, DEC19, 0, judgement)


def test_recorded_crime_year_on_year_and_benchmark_streak() -> None:
    # 24 months swinging 5,450/5,150 (MR-bar 300, limit 980), then 6,500: 1,050 more than a
    # year earlier (5,450), beyond the series' own variation
    values = [5150.0 if i % 2 else 5450.0 for i in range(24)] + [6500.0]
    totals = _history(DEC19, values)
    a = assess(_counts(totals), kind="count", polarity="neutral", month=DEC19)
    assert a.benchmark is None  # too few months for the benchmark: none is claimed
    judgement, moved = judge_count(_ctx(), a.last_year, "crime.recorded", "count_year")
    assert moved
    text = narrative_crime.recorded_year(a, DEC19, 0, judgement)
    assert text == (
        "Over 1,000 more crimes were recorded in December 2019 than in the same month last year "
        "(6,500 against 5,450), a real rise on a year earlier, beyond the series’ normal "
        "variation."
    )
    bench = BenchmarkResult(70000, 67000, 65000, 69000, 5600, 200, 36, 12, BenchmarkVerdict.HIGHER)
    text = narrative_crime.recorded_year(replace(a, benchmark=bench), DEC19, 2, judgement)
    assert "above the upper limit of the long term benchmark for the second consecutive month" in (
        text
    )
    within = replace(bench, verdict=BenchmarkVerdict.WITHIN)
    text = narrative_crime.recorded_year(replace(a, benchmark=within), DEC19, 1, judgement)
    assert "within the limits" in text
    # 5,600 against 5,450: within the series' variation
    b = assess(
        _counts(_history(DEC19, [*values[:-1], 5600.0])),
        kind="count",
        polarity="neutral",
        month=DEC19,
    )
    judgement, moved = judge_count(_ctx(), b.last_year, "crime.recorded", "count_year")
    assert not moved
    text = narrative_crime.recorded_year(b, DEC19, 0, judgement)
    assert text.startswith("Over 100 more crimes were recorded in December 2019")
    assert text.endswith("within the usual range of the series’ variation.")


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
    # windows a month apart share 11 months: stated side by side, never tested
    text = narrative_crime.outcomes(
        b,
        0.089,
        0.105,
        Share(48550, 500000, DEC19),
        Share(47550, 500000, NOV19),
        DEC19,
        "within the usual range of monthly variation",
    )
    assert "highest" not in text and not re.search(r"\brose\b|significant", text)
    assert "The month’s rate was within the usual range of monthly variation." in text
    assert text.endswith("The rolling 12 month rate was 9.7% (9.5% a month earlier).")


def test_records_and_ratios() -> None:
    # 990 -> 1,043 over a lower, Poisson-like history: a record; the exact test (the series is
    # not overdispersed) gives p = 0.24, so no real change
    rng = np.random.default_rng(5)
    history = _history(dt.date(2019, 10, 31), [float(v) for v in rng.poisson(900, 14)])
    a = assess(
        _counts({**history, NOV19: 990, DEC19: 1043}), kind="count", polarity="neutral", month=DEC19
    )
    ctx = _ctx()
    judgement, moved = judge_count(ctx, a.previous, "crime.domestic_abuse", "count_month")
    assert ctx.said[0].record["method"] == "poisson_exact" and not moved
    text = narrative_crime.domestic_abuse_crimes(a, DEC19, judgement)
    assert text.startswith(
        "More than 1,000 domestic abuse crimes were recorded in December (1,043); the highest"
    )
    assert "Against 990 in November that is within the usual range" in text
    b = assess(
        _counts({**history, NOV19: 990, DEC19: 943}), kind="count", polarity="neutral", month=DEC19
    )
    assert "highest" not in narrative_crime.domestic_abuse_crimes(b, DEC19, judgement)
    assert narrative_crime.ratio_words(118 / 62) == "almost double the number of"  # 1.90
    assert narrative_crime.ratio_words(2.0) == "about double the number of"
    assert narrative_crime.ratio_words(1.25) == "25% more"
    assert narrative.share_words(0.69) == "over two thirds"
    assert narrative.share_words(0.40) == "40.0%"


def test_child_sexual_abuse_ratio_only_when_the_change_is_real() -> None:
    # 24 months of Poisson-like counts near 32, then 64 against 32 a year earlier: real
    rng = np.random.default_rng(8)
    base = [float(v) for v in rng.poisson(32, 24)]
    base[-12] = 32.0
    a = assess(
        _counts(_history(DEC19, [*base, 64.0][-25:])), kind="count", polarity="neutral", month=DEC19
    )
    judgement, moved = judge_count(_ctx(), a.last_year, "crime.child_sexual_abuse", "count_year")
    assert moved
    assert narrative_crime.child_sexual_abuse(a, DEC19, judgement, moved) == (
        "About double the number of child sexual abuse crimes were recorded in December 2019 "
        "(64) than in the same month last year (32), a real rise on a year earlier, beyond the "
        "series’ normal variation."
    )
    # 38 against 32: not a real change -> no ratio words
    b = assess(
        _counts(_history(DEC19, [*base, 38.0][-25:])), kind="count", polarity="neutral", month=DEC19
    )
    judgement, moved = judge_count(_ctx(), b.last_year, "crime.child_sexual_abuse", "count_year")
    text = narrative_crime.child_sexual_abuse(b, DEC19, judgement, moved)
    assert not moved and "more" not in text
    assert text.startswith("38 child sexual abuse crimes were recorded in December 2019 against 32")


def test_outcome_rates_by_flag_carry_their_claimed_months() -> None:
    text = narrative_crime.outcome_flags(
        {
            "domestic abuse": (
                Share(890, 10000, DEC19),
                Share(980, 10000, DEC18),
                "within the usual range of monthly variation",
            ),
            "hate crime": (Share(94, 1000, DEC19), Share(100, 1000, DEC18), None),
        }
    )
    assert text == (
        "Over the 12 months ending December 2019, the prosecution possible outcome rate was 8.9% "
        "for domestic abuse (9.8% a year earlier; December alone within the usual range of "
        "monthly variation); 9.4% for hate crime (10.0% a year earlier)."
    )


def test_every_chart_reading_has_its_words() -> None:
    from forcepack.stats import Assurance, PointType
    from forcepack.stats.evidence import _POINT_VERDICT

    for t in PointType:
        v = _POINT_VERDICT[t].value
        assert narrative.say(f"judgement.chart.{v}", side=" (higher)").strip()
        assert narrative.say(f"judgement.share.{v}", side=" (higher)").strip()
    for a in Assurance:
        assert narrative.say(f"paper.spc_assurance.{a.value}").startswith("the target")
    assert narrative.say("paper.spc.latest", judgement="x") == "The latest month shows x."


def test_calls_are_worded_from_their_own_variation() -> None:
    # 999: 24 months near 11,200 +- 100 (MR-bar 200, limit 653), then 11,230 -> 12,400: real.
    # 101: swinging 22,500/21,500 (MR-bar 987, limit 3,226), then 21,786 -> 19,694: the lowest
    # month, but a fall of 2,092 within the series' usual variation.
    h999 = [11100.0 if i % 2 else 11300.0 for i in range(23)] + [11230.0]
    h101 = [21500.0 if i % 2 else 22500.0 for i in range(23)] + [21786.0]
    a999 = assess(
        _counts(_history(DEC19, [*h999, 12400.0])), kind="count", polarity="neutral", month=DEC19
    )
    a101 = assess(
        _counts(_history(DEC19, [*h101, 19694.0])), kind="count", polarity="neutral", month=DEC19
    )
    ctx = _ctx()
    j999, m999 = judge_count(ctx, a999.previous, "demand.calls_999", "count_month")
    j101, m101 = judge_count(ctx, a101.previous, "demand.calls_101", "count_month")
    assert m999 and not m101  # 1,170 > 653; 2,092 <= 3.267 x MR-bar of the 101 history
    assert narrative_crime.calls(a999, a101, DEC19, j999, j101) == (
        "12,400 999 calls were received in December against 11,230 in November, a real rise, "
        "beyond normal month-to-month variation; 19,694 101 calls were received, the lowest "
        "month in the data, against 21,786 in November, within the usual range of "
        "month-to-month variation."
    )
    assert [s.measure_id for s in ctx.said] == ["demand.calls_999", "demand.calls_101"]


def test_no_comparison_is_built_on_counts_below_five() -> None:
    # the seed-like case: 3 child sexual abuse crimes in December 2019 against 2 a year earlier
    a = assess(_counts({DEC18: 2, DEC19: 3}), kind="count", polarity="neutral", month=DEC19)
    text = narrative_crime.child_sexual_abuse(a, DEC19, "", moved=False)
    assert text == (
        "The numbers of child sexual abuse crimes recorded in December 2019 and the same month "
        "last year are too small to compare (fewer than 5 in at least one of them)."
    )
    assert "against" not in text and "3" not in text.replace("2019", "")
    # one side below five is enough; five against five is compared as usual
    b = assess(_counts({DEC18: 40, DEC19: 4}), kind="count", polarity="neutral", month=DEC19)
    assert "too small to compare" in narrative_crime.child_sexual_abuse(b, DEC19, "", moved=False)
    c = assess(_counts({DEC18: 5, DEC19: 5}), kind="count", polarity="neutral", month=DEC19)
    assert narrative_crime.child_sexual_abuse(c, DEC19, "", moved=False).startswith(
        "5 child sexual abuse crimes were recorded in December 2019 against 5"
    )
    d = assess(_counts({NOV19: 4, DEC19: 9}), kind="count", polarity="neutral", month=DEC19)
    assert narrative_crime.domestic_abuse_crimes(d, DEC19, "") == (
        "The numbers of domestic abuse crimes recorded in December and November are too small "
        "to compare (fewer than 5 in at least one of them)."
    )
    e = assess(
        _counts({DEC18: 1, NOV19: 2, DEC19: 3}), kind="count", polarity="neutral", month=DEC19
    )
    assert "too small to compare" in narrative_crime.recorded_month(e, DEC19, 0, "")
    assert "too small to compare" in narrative_crime.recorded_year(e, DEC19, 0, "")
    assert "too small to compare" in narrative_crime.calls(e, d, DEC19, "", "")
    assert narrative_crime.serious_sexual_offences(3, 12, DEC19) == (
        "The numbers of serious sexual offences recorded in the 12 months ending December 2019 "
        "and the 12 months a year earlier are too small to compare (fewer than 5 in at least "
        "one of them)."
    )
    assert narrative_crime.serious_sexual_offences(30, 12, DEC19) == (
        "30 serious sexual offences were recorded in the 12 months ending December 2019, "
        "against 12 a year earlier."
    )


def test_a_builders_month_is_the_reporting_months_last_day() -> None:
    """Builders state figures "at the end of" ``ctx.month`` without re-deriving it, so a
    context cannot be made on any other day."""
    with pytest.raises(ValueError, match="2019-12-15 is not the last day of its month"):
        Context(
            data=None,  # type: ignore[arg-type]
            con=None,  # type: ignore[arg-type]
            month=dt.date(2019, 12, 15),
            inputs=None,  # type: ignore[arg-type]
            board=DEC19,
            meeting=DEC19,
        )
