"""An XmR chart's value axis never prints the same label twice: a narrow axis (two minutes, or
three percentage points) is labelled with a decimal place, where whole labels would read
17, 18, 18, 19, 19 (seen on the demo paper's immediate-response chart)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from forcepack.report.charts import spc_chart
from forcepack.report.units import Unit


def _points(values: np.ndarray) -> pd.DataFrame:
    mean = float(values.mean())
    spread = 2.66 * float(np.abs(np.diff(values)).mean())
    return pd.DataFrame(
        {
            "period_end": pd.date_range("2017-01-31", periods=len(values), freq="ME"),
            "value": values,
            "mean": mean,
            "ucl": mean + spread,
            "lcl": mean - spread,
            "kind": "common",
        }
    )


def _value_labels(svg: str) -> list[str]:
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return [t for t in texts if re.fullmatch(r"[\d,.]+%?", t.strip())]


@pytest.mark.parametrize(
    ("unit", "centre", "wobble"),
    [(Unit.MINUTES, 18.2, 0.35), (Unit.SHARE, 0.935, 0.004), (Unit.MINUTES, 240.0, 30.0)],
)
def test_no_value_label_repeats(unit: Unit, centre: float, wobble: float) -> None:
    rng = np.random.default_rng(3)
    chart = spc_chart("t", _points(centre + rng.normal(0, wobble, 36)), unit=unit)
    labels = _value_labels(chart.svg)
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels), labels


def test_a_wide_axis_keeps_whole_labels() -> None:
    rng = np.random.default_rng(3)
    chart = spc_chart("t", _points(240.0 + rng.normal(0, 30.0, 36)), unit=Unit.MINUTES)
    assert all("." not in label for label in _value_labels(chart.svg))
