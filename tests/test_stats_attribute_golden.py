"""attribute_chart agrees with qicharts2 on the golden cases (1e-9 relative).

tests/data/golden/attribute_charts.json is written by scripts/golden_attribute_charts.R from
qicharts2 built from its source; its ``made_with`` says which version. Each case holds the
inputs and qicharts2's centre line, 3-sigma limits, 2-sigma lines and sigma signals per point.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from forcepack.stats import Rule, attribute_chart

GOLDEN = Path(__file__).parent / "data" / "golden" / "attribute_charts.json"
DATA = json.loads(GOLDEN.read_text())
CASES = DATA["cases"]
LINES = {"cl": "mean", "lcl": "lpl", "ucl": "upl", "lcl_95": "near_lpl", "ucl_95": "near_upl"}


def _chart(case: dict[str, Any]) -> pd.DataFrame:
    dates = pd.to_datetime(case["dates"])
    return attribute_chart(
        case["numerators"],
        case["denominators"],
        dates,
        chart=case["chart"],
        rebase_at=[dates[i] for i in case["rebase_at_index"]],
        fix_after_n_points=case["fix_after_n_points"],
        screen_outliers=case["screened"],
    ).points


def test_the_golden_file_says_how_it_was_made() -> None:
    assert DATA["generator"] == "scripts/golden_attribute_charts.R"
    assert DATA["made_with"].startswith("qicharts2 ")
    assert {c["chart"] for c in CASES} == {"p", "pp", "u", "up", "c"}
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_limits_agree_with_qicharts2(case: dict[str, Any]) -> None:
    points = _chart(case)
    for theirs, ours in LINES.items():
        np.testing.assert_allclose(
            points[ours].to_numpy(),
            np.asarray(case["expected"][theirs], dtype=float),
            rtol=1e-9,
            atol=1e-15,
            err_msg=f"{case['name']}: {theirs}",
        )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_outside_limits_agrees_with_qicharts2_sigma_signal(case: dict[str, Any]) -> None:
    points = _chart(case)
    ours = (points["rule"] == Rule.OUTSIDE_LIMITS).to_numpy()
    assert ours.tolist() == case["expected"]["sigma_signal"]


def test_the_cases_exercise_what_they_say() -> None:
    by_name = {c["name"]: c for c in CASES}
    # screening matters in the outlier case: screened and unscreened limits differ
    screened = np.asarray(by_name["pp_outlier_screened"]["expected"]["ucl"])
    unscreened = np.asarray(by_name["pp_outlier_unscreened"]["expected"]["ucl"])
    assert (unscreened > screened).all()
    # clipping happens where the names say
    assert min(by_name["p_clipped_low"]["expected"]["lcl"]) == 0
    assert max(by_name["p_clipped_high"]["expected"]["ucl"]) == 1
    # a rebase gives two centre lines
    assert len(set(by_name["up_rebase"]["expected"]["cl"])) == 2
    assert any(any(c["expected"]["sigma_signal"]) for c in CASES)
