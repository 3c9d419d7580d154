"""4.3.1 call handling time and 4.3.2 the QA backlog with system downtime as its caveat: the
figures against independent SQL, and "each call is taking longer to resolve" only when the
trend test over the monthly medians finds it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from forcepack.report import build_paper
from forcepack.report.inputs import demo_inputs_dir
from forcepack.stats import trend

pytestmark = pytest.mark.slow  # each test builds a paper (seconds each)

HANDLING = "demand.call_handling_minutes"


def _with_handling(slope: float) -> Any:
    from test_report_render import fake_compute

    def compute(ids: list[str], **kw: Any) -> pd.DataFrame:
        df = fake_compute(ids, **kw)
        if ids[0] == HANDLING:
            rng = np.random.default_rng(4)
            df = df.copy()
            df["value"] = 4.0 + slope * np.arange(len(df)) + rng.normal(0, 0.05, len(df))
        return df

    return compute


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from force_helpers import create_force

    return create_force(tmp_path_factory.mktemp("demand") / "warehouse.duckdb")


@pytest.mark.parametrize(
    ("slope", "verdict", "words"),
    [
        (0.02, "trend_up", "each call is taking longer to resolve"),
        (-0.02, "trend_down", "each call is taking less time to resolve"),
        (0.0, "stable", "the time each call takes to resolve shows no long-term trend"),
    ],
)
def test_longer_to_resolve_only_when_the_trend_test_finds_it(
    bare: Path, slope: float, verdict: str, words: str
) -> None:
    paper = build_paper(bare, "2019-12", inputs=demo_inputs_dir(), compute=_with_handling(slope))
    text = paper.by_key("demand.calls").text
    assert f"over the last 24 months {words}." in text
    claim = next(c for c in paper.claims if c.measure_id == HANDLING)
    assert claim.record["verdict"] == verdict and claim.number == "4.3.1"
    # the verdict reproduces from the series the claim carries
    values = [p["value"] for p in claim.record["series"]]
    assert str(trend(np.array(values, dtype=float)).verdict) == verdict


@pytest.fixture(scope="module")
def demo_paper(demo_warehouse: Path) -> Any:
    return build_paper(demo_warehouse, "2019-12", inputs=demo_inputs_dir())


@pytest.mark.slow
def test_demo_handling_time_and_backlog_agree_with_sql(
    demo_paper: Any, demo_warehouse: Path
) -> None:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        (median,) = con.execute(
            "SELECT median(epoch(ended_at) - epoch(answered_at)) / 60 FROM calls "
            "WHERE answered_at IS NOT NULL AND offered_at >= '2019-12-01' "
            "AND offered_at < '2020-01-01'"
        ).fetchone()
        (backlog,) = con.execute(
            "SELECT crimes_awaiting_qa FROM qa_backlog WHERE snapshot_date = (SELECT "
            "max(snapshot_date) FROM qa_backlog WHERE snapshot_date < '2020-01-01')"
        ).fetchone()
        hours, unplanned = con.execute(
            "SELECT sum(epoch(end_at) - epoch(start_at)) / 3600, sum(epoch(end_at) - "
            "epoch(start_at)) FILTER (WHERE NOT planned) / 3600 FROM system_downtime "
            "WHERE start_at >= '2019-12-01' AND start_at < '2020-01-01'"
        ).fetchone()
    finally:
        con.close()
    calls = demo_paper.by_key("demand.calls").text
    assert f"The median answered call lasted {median:.1f} minutes in December" in calls
    qa = demo_paper.by_key("demand.qa_backlog")
    assert qa.number == "4.3.2"
    assert qa.text.startswith(f"{backlog:,} crimes were awaiting quality assurance or linking")
    assert f"down for {hours:.1f} hours" in qa.text
    assert f"{(unplanned or 0):.1f} of them unplanned" in qa.text
    assert "p =" not in qa.text and "p =" not in calls
