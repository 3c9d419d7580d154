"""evidence: every judgement as a JSON-ready record from which its verdict reproduces."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from forcepack.errors import InputError
from forcepack.stats import (
    Baseline,
    Verdict,
    attribute_chart,
    count_change,
    detect_shift,
    evidence,
    recent_improvement,
    spc,
    trend,
    verdict_of,
)

DATES = pd.date_range("2017-01-31", periods=48, freq="ME")
PROMPT = [128, 132] * 6 + [103, 107] * 12
OVER = [1000, 1100, 950, 1080, 900, 1050, 980, 1120, 940, 1060, 1010, 1090]


def _baseline(record: dict) -> Baseline:
    b = record["baseline"]
    points = tuple((pd.Timestamp(cp["date"]), cp["reason"]) for cp in b["change_points"])
    return (
        Baseline.declared(*points, n_points=b["n_points"])
        if points
        else Baseline((), b["n_points"])
    )


def test_an_xmr_chart_record_reproduces_its_verdict() -> None:
    declared = Baseline.declared((DATES[12], "new response model"))
    r = spc(PROMPT, DATES[:36], improvement="decrease", baseline=declared)
    record = json.loads(json.dumps(evidence(r)))
    assert record["method"] == "xmr" and record["rules"] == "plot_the_dots"
    assert record["baseline"]["kind"] == "declared_change"
    assert record["baseline"]["change_points"] == [
        {"date": "2018-01-31", "reason": "new response model"}
    ]
    assert record["series"][0] == {"date": "2017-01-31", "value": 128.0}
    assert record["verdict"] == "common_cause"
    again = spc(
        [p["value"] for p in record["series"]],
        pd.to_datetime([p["date"] for p in record["series"]]),
        improvement=record["improvement"],
        baseline=_baseline(record),
    )
    assert verdict_of(again).value == record["verdict"]
    undeclared = evidence(spc(PROMPT, DATES[:36], improvement="decrease"))
    assert undeclared["verdict"] == "improvement"


def test_an_attribute_chart_record_carries_numerators_and_denominators() -> None:
    # compliance 90-91% of 500 for 18 months, then 95-96%: cl 0.925, limits 0.8984 to 0.9516
    y, n = [450, 455] * 9 + [475, 480] * 6, [500] * 30
    r = attribute_chart(y, n, DATES[:30], chart="pp", target=0.93)
    record = evidence(r)
    assert record["method"] == "pp"
    assert record["series"][-1] == {
        "date": "2019-06-30",
        "value": 0.96,
        "numerator": 480.0,
        "denominator": 500.0,
    }
    assert record["verdict"] == "improvement" and record["assurance"] == "inconsistent"
    again = attribute_chart(
        [p["numerator"] for p in record["series"]],
        [p["denominator"] for p in record["series"]],
        pd.to_datetime([p["date"] for p in record["series"]]),
        chart=record["method"],
    )
    assert verdict_of(again) is Verdict.IMPROVEMENT
    shift = detect_shift(r)
    assert shift is not None
    s = evidence(shift)
    assert (s["method"], s["since"], s["verdict"]) == ("sustained_run", "2018-07-31", "improvement")
    assert s["suggested_baseline"]["change_points"][0]["date"] == "2018-07-31"


def test_a_count_change_record_reproduces_its_verdict() -> None:
    y = [7, 3000, *OVER, 970]  # the first two months are outside the 12-month baseline
    c = count_change(y, DATES[:15], baseline_points=12)
    record = json.loads(json.dumps(evidence(c)))
    assert record["method"] == "xmr_moving_range" and record["verdict"] == "no_change"
    assert len(record["series"]) == 13 and record["series"][0]["date"] == "2017-03-31"
    assert record["limit"] == pytest.approx(3.267 * 1350 / 11)
    assert record["p_value"] is None
    again = count_change(
        [p["value"] for p in record["series"]],
        pd.to_datetime([p["date"] for p in record["series"]]),
        compare=record["compare"],
    )
    assert again.verdict.value == record["verdict"] and again.limit == c.limit


def test_a_trend_record_reproduces_its_verdict() -> None:
    y = 100 + 1.5 * np.arange(30) + np.array([3, -2, 4, -3, 1, -4] * 5)
    t = trend(y, DATES[:30])
    record = json.loads(json.dumps(evidence(t)))
    assert record["verdict"] == "trend_up" and record["method"] == "mann_kendall"
    assert record["window"] == {"start": "2017-07-31", "end": "2019-06-30", "points": 24}
    assert len(record["series"]) == 24
    again = trend([p["value"] for p in record["series"]], window=record["window"]["points"])
    assert again.verdict.value == "trend_up" and again.test.s == record["s"]


def test_recent_improvement_and_unknown_results() -> None:
    r = spc([6, 4] * 6 + [5, 5, 9, 7, 9], DATES[:17], fix_after_n_points=12)
    record = evidence(recent_improvement(r))
    assert record["verdict"] == "improvement" and record["rules"] == ["two_in_three"]
    plain = spc([6, 4] * 6 + [5, 6, 4], DATES[:15], fix_after_n_points=12)
    assert evidence(recent_improvement(plain))["verdict"] is None
    with pytest.raises(InputError, match="cannot judge a dict"):
        evidence({"verdict": "rise"})  # type: ignore[arg-type]


def test_records_are_deterministic() -> None:
    r = spc(PROMPT, DATES[:36])
    assert json.dumps(evidence(r)) == json.dumps(evidence(spc(PROMPT, DATES[:36])))
