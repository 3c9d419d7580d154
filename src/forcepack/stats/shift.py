"""Has the process shifted? A sustained run at the end of a chart, reported as a shift.

When a chart's limits span a sustained change, most of its recent points are special cause and
the latest month reads as a "concern" (or "improvement") although it is simply where the
process now runs. ``detect_shift`` finds that case and says since when, with the rebase that
would give the new process its own limits (docs/statistics.md, "Shifts").

The rule, within the latest rebase group of an ``SpcResult`` (XmR or attribute chart):

- take the stretch of consecutive points, ending at the latest point, that lie on the same
  side of the centre line as the latest point (a point on the centre line ends it);
- the process has shifted when that stretch is at least the chart's run length (7 points for
  plot-the-dots, 6 for the MDC Excel rules) long, so the run rule holds at the latest point;
- it shifted at the stretch's first point: the suggested rebase.

A declared change point at (or after) the start of the stretch gives the new points their own
limits, so no such stretch remains and ``detect_shift`` returns None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forcepack.stats.baseline import Baseline, ChangePoint
from forcepack.stats.spc import RULE_SETS, SpcResult
from forcepack.stats.vocab import Improvement, PointType, Side


@dataclass(frozen=True)
class Shift:
    """A sustained run at the end of a chart: the process has moved to one side since ``since``.

    ``earlier_mean`` is the centre line of the group the run sits in (at the latest point);
    ``special_cause_points`` counts the run's points flagged special cause; ``point_type`` is
    how the move reads with the chart's improvement direction; ``suggested_baseline`` is the
    chart's baseline with a change point added at ``since``.
    """

    side: Side
    since: Any
    since_index: int
    points: int
    special_cause_points: int
    point_type: PointType
    earlier_mean: float
    group_start: Any
    suggested_baseline: Baseline

    def describe(self) -> str:
        """The shift in words, e.g. "has run below its earlier range since 2019-03-31"."""
        side = "above" if self.side is Side.HIGHER else "below"
        return f"has run {side} its earlier range since {_show(self.since)} ({self.points} points)"


def _show(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)


def detect_shift(result: SpcResult) -> Shift | None:
    """The shift at the end of ``result``'s latest rebase group, or None when there is none."""
    points = result.points
    last_group = points["rebase_group"].iloc[-1]
    group = points[points["rebase_group"] == last_group]
    side = np.sign(group["value"].to_numpy() - group["mean"].to_numpy())
    latest = side[-1]
    if latest == 0:
        return None
    other = np.flatnonzero(side != latest)
    start = int(other[-1]) + 1 if other.size else 0
    length = side.size - start
    if length < RULE_SETS[result.method].run_length or start == 0:
        return None
    run = group.iloc[start:]
    since_index = int(group.index[start])
    since = run["date"].iloc[0]
    higher = latest > 0
    if result.improvement is Improvement.NEUTRAL:
        kind = (
            PointType.SPECIAL_CAUSE_NEUTRAL_HIGH if higher else PointType.SPECIAL_CAUSE_NEUTRAL_LOW
        )
    else:
        good = higher == (result.improvement is Improvement.INCREASE)
        kind = PointType.SPECIAL_CAUSE_IMPROVEMENT if good else PointType.SPECIAL_CAUSE_CONCERN
    side_word = Side.HIGHER if higher else Side.LOWER
    reason = f"suggested: the process has run {side_word.value} since {_show(since)}"
    suggested = Baseline(
        (*result.baseline.change_points, ChangePoint(since, reason)), result.baseline.n_points
    )
    return Shift(
        side=side_word,
        since=since,
        since_index=since_index,
        points=length,
        special_cause_points=int((run["point_type"] != PointType.COMMON_CAUSE).sum()),
        point_type=kind,
        earlier_mean=float(group["mean"].iloc[-1]),
        group_start=group["date"].iloc[0],
        suggested_baseline=suggested,
    )
