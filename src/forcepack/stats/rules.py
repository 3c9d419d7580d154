"""The special-cause rules of an XmR chart, vectorised over one rebase group.

Each function takes the arrays of one group (never across a rebase) and returns a boolean
array: is this point *part of* a pattern. They follow NHSRplotthedots
``R/ptd_calculate_point_type.R`` exactly (see docs/statistics.md for the line-by-line mapping):

- a run ends at point i when the last ``length`` signs relative to the mean are equal and
  non-zero (``ptd_seven_point_one_side_mean``); a point on the mean (sign 0) breaks it;
- a trend ends at point i when the last ``length - 1`` differences all have the same non-zero
  sign (``ptd_seven_point_trend``); a tie (difference 0) breaks it;
- a point is part of a run or trend when it, or one of the next ``length - 1`` points, ends one
  (``ptd_part_of_seven_trend``);
- two-in-three: a window of three consecutive points with at least two beyond the near-limit
  lines and all three on the same side of the mean; only the points beyond the near-limit lines
  (and inside the process limits) are flagged (``ptd_two_in_three``, ``ptd_part_of_two_in_three``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


def _part_of(ends: BoolArray, length: int) -> BoolArray:
    """A point is part of a pattern when it or one of the next ``length - 1`` points ends one."""
    if ends.size == 0:
        return ends
    padded = np.concatenate([ends, np.zeros(length - 1, dtype=bool)])
    return np.asarray(sliding_window_view(padded, length).any(axis=1), dtype=bool)


def run_points(side: FloatArray, length: int) -> BoolArray:
    """Points that belong to ``length`` or more points in a row on one side of the mean.

    ``side`` is sign(value - mean): +1, -1 or 0 (on the mean, which breaks a run).
    """
    n = side.size
    ends = np.zeros(n, dtype=bool)
    if n >= length:
        windows = sliding_window_view(side, length)
        ends[length - 1 :] = (windows == windows[:, -1:]).all(axis=1) & (windows[:, -1] != 0)
    return _part_of(ends, length)


def trend_points(values: FloatArray, length: int) -> tuple[BoolArray, FloatArray]:
    """Points that belong to ``length`` or more points each above (below) the one before.

    Returns the membership and the trend direction of each point (+1 increasing, -1
    decreasing, 0 where not part of a trend), chosen as in ``ptd_special_cause_type``: when a
    point and the next are both part of a trend use the step to the right, otherwise the step
    from the left (so the shared end point of two opposite trends takes the later one).
    """
    n = values.size
    ends = np.zeros(n, dtype=bool)
    steps = np.sign(np.diff(values))
    if n >= length:
        windows = sliding_window_view(steps, length - 1)
        ends[length - 1 :] = (windows == 1).all(axis=1) | (windows == -1).all(axis=1)
    part = _part_of(ends, length)
    direction = np.zeros(n)
    if n >= 2:
        right = np.concatenate([steps, steps[-1:]])
        left = np.concatenate([[0.0], steps])
        next_part = np.concatenate([part[1:], [False]])
        chosen = np.where(part & next_part, right, left)
        # R labels anything but +1 "Decreasing" (ifelse(sdy == 1, "In", "De")).
        direction = np.where(part, np.where(chosen == 1, 1.0, -1.0), 0.0)
    return part, direction


def two_in_three_points(near: BoolArray, side: FloatArray, hits: int, window: int) -> BoolArray:
    """Points beyond the near-limit lines in a window of ``window`` points with ``hits`` or more
    of them beyond the same near-limit line, every point of the window on the same side."""
    n = near.size
    flagged_windows = np.zeros(max(n - window + 1, 0), dtype=bool)
    if n >= window:
        near_w = sliding_window_view(near.astype(int), window)
        side_w = sliding_window_view(side, window)
        flagged_windows = (near_w.sum(axis=1) >= hits) & (np.abs(side_w.sum(axis=1)) == window)
    # Point i lies in windows starting at i - window + 1 .. i.
    padded = np.concatenate(
        [np.zeros(window - 1, dtype=bool), flagged_windows, np.zeros(window - 1, dtype=bool)]
    )
    in_flagged = np.asarray(sliding_window_view(padded, window).any(axis=1), dtype=bool)
    return in_flagged[:n] & near
