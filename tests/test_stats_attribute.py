"""attribute_chart: worked examples, the MDC rules on per-point lines, bad input, properties.

The golden comparison with qicharts2 is in test_stats_attribute_golden.py; these examples show
the arithmetic (qicharts2 ``R/helper.functions.R``):

    p:  cl = sum(y)/sum(n), sigma_i = sqrt(cl (1 - cl) / n_i), limits cl +- 3 sigma_i in [0, 1]
    u:  cl = sum(y)/sum(n), sigma_i = sqrt(cl / n_i),          lcl at least 0
    c:  cl = mean(y),       sigma   = sqrt(cl),                lcl at least 0
    p', u': sigma_i x sigma_z, sigma_z = mean |diff z| / 1.128, z_i = (value_i - cl) / sigma_i
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcepack.errors import InputError
from forcepack.stats import (
    Baseline,
    BaselineKind,
    ChartType,
    PointType,
    Rule,
    Variation,
    attribute_chart,
)

DATES = pd.date_range("2019-01-31", periods=40, freq="ME")


def test_p_chart_worked_example() -> None:
    # y 10, 20, 30 of n 100, 100, 200: cl = 60/400 = 0.15
    # n 100: sigma = sqrt(0.15 x 0.85 / 100) = 0.0357071 -> 0.0428786 to 0.2571214
    # n 200: sigma = sqrt(0.15 x 0.85 / 200) = 0.0252488 -> 0.0742537 to 0.2257463
    p = attribute_chart([10, 20, 30], [100, 100, 200], DATES[:3], chart="p").points
    assert p["value"].tolist() == pytest.approx([0.10, 0.20, 0.15])
    assert p["mean"].tolist() == pytest.approx([0.15] * 3)
    s100, s200 = math.sqrt(0.15 * 0.85 / 100), math.sqrt(0.15 * 0.85 / 200)
    assert p["upl"].tolist() == pytest.approx([0.15 + 3 * s100] * 2 + [0.15 + 3 * s200])
    assert p["lpl"].tolist() == pytest.approx([0.15 - 3 * s100] * 2 + [0.15 - 3 * s200])
    assert p["near_upl"].tolist() == pytest.approx([0.15 + 2 * s100] * 2 + [0.15 + 2 * s200])
    assert p["upl"].iloc[0] == pytest.approx(0.2571214, abs=1e-7)
    assert p["numerator"].tolist() == [10, 20, 30]
    assert p["denominator"].tolist() == [100, 100, 200]
    assert p["sigma_z"].isna().all()


def test_p_chart_limits_are_clipped_to_0_and_1() -> None:
    # cl = 2/20 = 0.1; n 10: sigma = sqrt(0.09/10) = 0.0948683 -> lcl 0.1 - 0.2846 < 0 -> 0
    p = attribute_chart([1, 1], [10, 10], DATES[:2], chart="p").points
    assert p["lpl"].tolist() == [0.0, 0.0]
    assert p["near_lpl"].tolist() == [0.0, 0.0]
    # cl = 19/20 = 0.95; ucl 0.95 + 3 x 0.0689 > 1 -> 1
    q = attribute_chart([10, 9], [10, 10], DATES[:2], chart="p").points
    assert q["upl"].tolist() == [1.0, 1.0]


def test_u_chart_worked_example() -> None:
    # 30 crimes in 10 (thousand people), 50 in 20: cl = 80/30 = 2.6667 per thousand
    # n 10: sigma = sqrt(2.6667/10) = 0.516398 -> 1.117472 to 4.215861
    p = attribute_chart([30, 50], [10, 20], DATES[:2], chart="u").points
    assert p["value"].tolist() == pytest.approx([3.0, 2.5])
    cl = 80 / 30
    assert p["upl"].iloc[0] == pytest.approx(cl + 3 * math.sqrt(cl / 10))
    assert p["lpl"].iloc[1] == pytest.approx(cl - 3 * math.sqrt(cl / 20))
    assert p["upl"].iloc[0] == pytest.approx(4.215861, abs=1e-6)


def test_c_chart_worked_example() -> None:
    # 4, 6, 8: cl = 6, sigma = sqrt(6) = 2.449490 -> ucl 13.348469, lcl -1.35 -> 0
    p = attribute_chart([4, 6, 8], None, DATES[:3], chart="c").points
    assert p["mean"].tolist() == [6.0] * 3
    assert p["upl"].tolist() == pytest.approx([6 + 3 * math.sqrt(6)] * 3)
    assert p["lpl"].tolist() == [0.0] * 3
    assert p["denominator"].isna().all()


def test_laney_p_prime_worked_example() -> None:
    # y 20, 30, 25, 40 of 100 each: cl = 115/400 = 0.2875, sigma = sqrt(.2875 x .7125/100)
    # = 0.0452597; z = (p - cl)/sigma = -1.93329, 0.27618, -0.82855, 2.48566;
    # moving ranges 2.20947, 1.10474, 3.31421 -> mean 2.20947 (none >= 3.267 x mean);
    # sigma_z = 2.20947/1.128 = 1.958752; limits 0.2875 -+ 3 x 0.0452597 x 1.958752
    # = 0.0215426 to 0.5534574. With equal denominators that is cl -+ 3 mean|diff p|/1.128.
    r = attribute_chart([20, 30, 25, 40], [100] * 4, DATES[:4], chart="pp")
    p = r.points
    assert p["sigma_z"].iloc[0] == pytest.approx(1.958752, abs=1e-6)
    assert p["upl"].tolist() == pytest.approx([0.5534574] * 4, abs=1e-7)
    assert p["lpl"].tolist() == pytest.approx([0.0215426] * 4, abs=1e-7)
    assert p["upl"].iloc[0] == pytest.approx(0.2875 + 3 * 0.1 / 1.128)
    assert r.chart is ChartType.PP


def test_laney_u_prime_scales_the_u_sigma() -> None:
    y, n = [100, 130, 90, 150, 110], [50, 60, 40, 70, 55]
    u = attribute_chart(y, n, DATES[:5], chart="u").points
    up = attribute_chart(y, n, DATES[:5], chart="up").points
    sz = up["sigma_z"].iloc[0]
    cl = sum(y) / sum(n)
    z = (np.array(y) / np.array(n) - cl) / np.sqrt(cl / np.array(n))
    assert sz == pytest.approx(np.mean(np.abs(np.diff(z))) / 1.128)
    np.testing.assert_allclose(up["upl"] - cl, (u["upl"] - cl) * sz)


def test_overdispersed_shares_are_judged_with_p_prime_not_p() -> None:
    # 36 months of about 5,000 cases whose share wanders 75-81% (more than binomial):
    # the p chart's limits (+-0.018) flag most months, the p' chart's widen to the real spread.
    share = 0.78 + 0.03 * np.sin(np.arange(36) * 1.7)
    n = np.full(36, 5000)
    y = np.round(share * n)
    p = attribute_chart(y, n, DATES[:36], chart="p").points
    pp = attribute_chart(y, n, DATES[:36], chart="pp").points
    assert (p["rule"] == Rule.OUTSIDE_LIMITS).sum() > 10
    assert (pp["rule"] == Rule.OUTSIDE_LIMITS).sum() == 0
    assert pp["sigma_z"].iloc[0] > 3


def test_two_in_three_uses_each_points_own_2_sigma_lines() -> None:
    # limits fixed from 20 months of 50 of 100 (cl 0.5), then 3 months with n 400:
    # sigma at n 400 = sqrt(0.25/400) = 0.025, so 0.56 is beyond the 2-sigma line (0.55) but
    # inside the limit (0.575); 0.52 is on the same side. The same shares at n 100
    # (sigma 0.05, 2-sigma line 0.60) are common cause.
    y = [50] * 20 + [224, 208, 224]
    n = [100] * 20 + [400] * 3
    p = attribute_chart(y, n, DATES[:23], chart="p", fix_after_n_points=20).points
    assert p["near_upl"].iloc[-1] == pytest.approx(0.55)
    assert p["upl"].iloc[-1] == pytest.approx(0.575)
    assert p["rule"].iloc[-3:].tolist() == [Rule.TWO_IN_THREE, None, Rule.TWO_IN_THREE]
    assert p["point_type"].iloc[-1] == PointType.SPECIAL_CAUSE_IMPROVEMENT
    same_shares_small_n = attribute_chart(
        [50] * 20 + [56, 52, 56], [100] * 23, DATES[:23], chart="p", fix_after_n_points=20
    ).points
    assert same_shares_small_n["rule"].iloc[-3:].isna().all()


def test_runs_trends_and_icons_follow_the_improvement_direction() -> None:
    # abandonment (lower is better) falling below its centre for 8 months: a run, improvement
    y = [100] * 16 + [70] * 8
    n = [1000] * 24
    r = attribute_chart(y, n, DATES[:24], chart="pp", improvement="decrease")
    assert r.points["rule"].iloc[-1] in (Rule.RUN, Rule.OUTSIDE_LIMITS)
    assert r.points["point_type"].iloc[-1] == PointType.SPECIAL_CAUSE_IMPROVEMENT
    assert r.summary.variation is Variation.IMPROVEMENT_LOW
    up = attribute_chart(y, n, DATES[:24], chart="pp", improvement="increase")
    assert up.summary.variation is Variation.CONCERN_LOW


def test_assurance_uses_the_latest_points_limits() -> None:
    r = attribute_chart([90] * 12, [100] * 12, DATES[:12], chart="p", target=0.5)
    assert r.summary.assurance is not None and r.summary.assurance.value == "consistent_pass"
    assert r.summary.upl == pytest.approx(r.points["upl"].iloc[-1])


def test_rebase_and_declared_baseline_give_the_same_limits() -> None:
    y = [20] * 12 + [40] * 12
    n = [100] * 24
    a = attribute_chart(y, n, DATES[:24], chart="p", rebase_at=[DATES[12]])
    b = attribute_chart(
        y, n, DATES[:24], chart="p", baseline=Baseline.declared((DATES[12], "new policy"))
    )
    pd.testing.assert_frame_equal(a.points, b.points)
    assert a.points["mean"].iloc[0] == 0.2 and a.points["mean"].iloc[-1] == 0.4
    assert b.baseline.kind is BaselineKind.DECLARED_CHANGE
    assert "new policy" in b.baseline.describe()


def test_fixed_baseline_applies_within_each_group() -> None:
    y = [20] * 12 + [30] * 4 + [40] * 14
    n = [100] * 30
    p = attribute_chart(y, n, DATES[:30], chart="p", fix_after_n_points=12).points
    assert p["mean"].unique().tolist() == [0.2]
    q = attribute_chart(
        y, n, DATES[:30], chart="p", fix_after_n_points=12, rebase_at=[DATES[16]]
    ).points
    assert q["mean"].iloc[-1] == 0.4  # the second group's own first 12 points


def test_unsorted_dates_are_sorted_with_their_counts() -> None:
    r = attribute_chart([30, 10, 20], [100, 100, 100], [DATES[2], DATES[0], DATES[1]], chart="p")
    assert r.points["numerator"].tolist() == [10, 20, 30]
    assert r.points["date"].tolist() == list(DATES[:3])


# --- bad input ---------------------------------------------------------------------------


def test_a_zero_denominator_names_the_point() -> None:
    with pytest.raises(InputError, match=r"point 1 \(2019-02-28\) has denominator 0.*above 0"):
        attribute_chart([1, 0, 2], [10, 0, 10], DATES[:3], chart="p")


def test_a_denominator_below_its_numerator_names_the_point() -> None:
    with pytest.raises(
        InputError, match=r"point 2 \(2019-03-31\) has denominator 10 below its numerator 12"
    ):
        attribute_chart([1, 2, 12], [10, 10, 10], DATES[:3], chart="pp")


def test_a_rate_may_exceed_one() -> None:
    r = attribute_chart([30, 50], [10, 20], DATES[:2], chart="up")
    assert r.points["value"].max() == 3.0


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_a_bad_numerator_names_the_point(bad: float) -> None:
    with pytest.raises(InputError, match=r"numerators: point 1 \(2019-02-28\)"):
        attribute_chart([1, bad, 2], None, DATES[:3], chart="c")


def test_a_series_too_short_for_a_laney_chart() -> None:
    with pytest.raises(InputError, match=r"starting at point 0 \(2019-01-31\) has 1 baseline"):
        attribute_chart([3], [10], DATES[:1], chart="pp")
    with pytest.raises(InputError, match=r"starting at point 3 \(2019-04-30\) has 1 baseline"):
        attribute_chart([3, 4, 5, 6], [10] * 4, DATES[:4], chart="up", rebase_at=[DATES[3]])
    attribute_chart([3], [10], DATES[:1], chart="p")  # a p chart needs no moving range


def test_a_rebase_outside_the_series() -> None:
    with pytest.raises(InputError, match=r"2021-01-31.*not one of the series' dates.*2019-01-31"):
        attribute_chart([1, 2], [10, 10], DATES[:2], chart="p", rebase_at=["2021-01-31"])
    with pytest.raises(InputError, match=r"new model"):
        attribute_chart(
            [1, 2],
            [10, 10],
            DATES[:2],
            chart="p",
            baseline=Baseline.declared(("2018-01-31", "new model")),
        )


def test_chart_and_denominator_mismatches() -> None:
    with pytest.raises(InputError, match="takes no denominators"):
        attribute_chart([1, 2], [10, 10], DATES[:2], chart="c")
    with pytest.raises(InputError, match="needs one denominator per numerator"):
        attribute_chart([1, 2], None, DATES[:2], chart="u")
    with pytest.raises(InputError, match="received 3 values for 2 numerators"):
        attribute_chart([1, 2], [10, 10, 10], DATES[:2], chart="p")
    with pytest.raises(InputError, match="not an attribute chart"):
        attribute_chart([1, 2], [10, 10], DATES[:2], chart="xmr")
    with pytest.raises(InputError, match="is not one of xmr, p, pp, u, up, c"):
        attribute_chart([1, 2], [10, 10], DATES[:2], chart="np")


def test_a_baseline_and_fix_after_that_disagree() -> None:
    with pytest.raises(InputError, match="disagrees with the baseline's first 12 points"):
        attribute_chart(
            [1] * 15,
            [10] * 15,
            DATES[:15],
            chart="p",
            baseline=Baseline.first_n(12),
            fix_after_n_points=13,
        )


# --- properties --------------------------------------------------------------------------

FAST = settings(max_examples=60, deadline=None)
shares = st.lists(st.tuples(st.integers(1, 500), st.floats(0.0, 1.0)), min_size=3, max_size=30).map(
    lambda rows: (
        np.array([round(p * n) for n, p in rows], float),
        np.array([n for n, _ in rows], float),
    )
)


@FAST
@given(shares, st.sampled_from(["p", "pp"]))
def test_proportion_limits_stay_in_0_1_around_the_centre(
    data: tuple[np.ndarray, np.ndarray], chart: str
) -> None:
    y, n = data
    p = attribute_chart(y, n, DATES[: y.size], chart=chart).points
    assert ((p["lpl"] >= 0) & (p["lpl"] <= p["near_lpl"]) & (p["near_lpl"] <= p["mean"])).all()
    assert ((p["mean"] <= p["near_upl"]) & (p["near_upl"] <= p["upl"]) & (p["upl"] <= 1)).all()


@FAST
@given(shares, st.sampled_from([2.0, 10.0, 37.0]))
def test_laney_limits_do_not_depend_on_the_size_of_the_denominators(
    data: tuple[np.ndarray, np.ndarray], k: float
) -> None:
    # z_i grows with sqrt(k), so sigma_z does too, and sigma_i x sigma_z is unchanged
    y, n = data
    a = attribute_chart(y, n, DATES[: y.size], chart="pp").points
    b = attribute_chart(y * k, n * k, DATES[: y.size], chart="pp").points
    for line in ("mean", "lpl", "upl", "near_lpl", "near_upl"):
        np.testing.assert_allclose(a[line], b[line], rtol=1e-9, atol=1e-12)


@FAST
@given(
    st.lists(st.tuples(st.integers(0, 500), st.integers(1, 200)), min_size=2, max_size=30),
    st.sampled_from([0.5, 4.0, 1000.0]),
)
def test_u_limits_scale_inversely_with_the_exposure(rows: list[tuple[int, int]], k: float) -> None:
    y = np.array([r[0] for r in rows], float)
    n = np.array([r[1] for r in rows], float)
    a = attribute_chart(y, n, DATES[: y.size], chart="u").points
    b = attribute_chart(y, n * k, DATES[: y.size], chart="u").points
    for line in ("mean", "upl", "near_upl"):
        np.testing.assert_allclose(b[line], a[line] / k, rtol=1e-9, atol=1e-12)


def test_the_mdc_excel_rules_take_runs_of_six() -> None:
    # baseline 52/50 of 100: cl 0.51, sigma_z = (0.02/0.04999)/1.128 = 0.3547, upl 0.5632;
    # six points at 0.53 are inside the limits and the 2-sigma lines: a run of 6, not of 7
    y = [52, 50] * 8 + [53] * 6  # the baseline ends below the centre
    n = [100] * 22
    ptd = attribute_chart(y, n, DATES[:22], chart="pp", fix_after_n_points=16)
    excel = attribute_chart(y, n, DATES[:22], chart="pp", fix_after_n_points=16, method="mdc_excel")
    assert ptd.points["upl"].iloc[-1] == pytest.approx(0.5632, abs=1e-4)
    assert ptd.points["rule"].iloc[-6:].isna().all()
    assert (excel.points["rule"].iloc[-6:] == Rule.RUN).all()
    assert excel.method.value == "mdc_excel"


def test_a_measures_chart_is_spc_of_its_values_or_the_attribute_chart_of_its_counts() -> None:
    """measure_chart, the one chart of a catalogue measure's series (paper and dashboard),
    is exactly spc of the values for xmr and attribute_chart of the counts otherwise."""
    from forcepack.stats import measure_chart, spc

    rng = np.random.default_rng(7)
    den = rng.integers(80, 120, 30).astype(float)
    num = rng.binomial(den.astype(int), 0.6).astype(float)
    frame = pd.DataFrame(
        {
            "period_end": pd.date_range("2017-07-31", periods=30, freq="ME"),
            "value": num / den,
            "numerator": num,
            "denominator": den,
        }
    )
    dates = pd.to_datetime(frame["period_end"])
    xmr = measure_chart(frame, "xmr", improvement="increase", target=0.7)
    want = spc(frame["value"].to_numpy(), dates, improvement="increase", target=0.7)
    pd.testing.assert_frame_equal(xmr.points, want.points)
    pp = measure_chart(frame, "pp", improvement="decrease")
    want = attribute_chart(num, den, dates, chart="pp", improvement="decrease")
    pd.testing.assert_frame_equal(pp.points, want.points)
    assert "denominator" in pp.points and "denominator" not in xmr.points
    with pytest.raises(InputError):
        measure_chart(frame, "pie", improvement="increase")
