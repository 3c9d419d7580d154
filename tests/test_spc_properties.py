"""Properties of ``spc`` that must hold for any series (Hypothesis).

- adding a constant c shifts the centre line and every limit by c;
- scaling by k > 0 scales the centre line and the distance of every limit from it by k;
- reversing the improvement direction swaps improvement and concern, point by point;
- a constant series has no special cause.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcepack.stats import PointType, spc

series = st.lists(st.integers(-1000, 1000), min_size=2, max_size=40).map(
    lambda xs: np.array(xs, dtype=float)
)
LINES = ["mean", "lpl", "upl", "near_lpl", "near_upl"]
FAST = settings(max_examples=60, deadline=None)


@FAST
@given(series, st.integers(-10_000, 10_000))
def test_adding_a_constant_shifts_centre_and_limits(y: np.ndarray, c: int) -> None:
    before, after = spc(y).points, spc(y + c).points
    for line in LINES:
        np.testing.assert_allclose(after[line], before[line] + c, atol=1e-6)


@FAST
@given(series, st.sampled_from([0.001, 0.5, 3.0, 1000.0]))
def test_scaling_scales_centre_and_limits(y: np.ndarray, k: float) -> None:
    before, after = spc(y).points, spc(y * k).points
    for line in LINES:
        np.testing.assert_allclose(after[line], before[line] * k, rtol=1e-9, atol=1e-9)


SWAP = {
    PointType.SPECIAL_CAUSE_IMPROVEMENT: PointType.SPECIAL_CAUSE_CONCERN,
    PointType.SPECIAL_CAUSE_CONCERN: PointType.SPECIAL_CAUSE_IMPROVEMENT,
    PointType.COMMON_CAUSE: PointType.COMMON_CAUSE,
}


@pytest.mark.slow
@FAST
@given(series)
def test_reversing_the_direction_swaps_improvement_and_concern(y: np.ndarray) -> None:
    up = spc(y, improvement="increase").points["point_type"]
    down = spc(y, improvement="decrease").points["point_type"]
    assert [SWAP[t] for t in up] == list(down)
    neutral = spc(y, improvement="neutral").points["point_type"]
    assert list(neutral == PointType.COMMON_CAUSE) == list(up == PointType.COMMON_CAUSE)


@FAST
@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(1, 60))
def test_a_constant_series_has_no_special_cause(value: float, n: int) -> None:
    p = spc([value] * n).points
    assert (p["point_type"] == PointType.COMMON_CAUSE).all()
    assert p["rule"].isna().all()
