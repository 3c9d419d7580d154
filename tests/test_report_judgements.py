"""Judgements in the paper from constructed series: shifts with and without a declared change
point, a declared change point outside the series, recent improvement, the force's "why", and
the notes that carry methods and p-values out of the body."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from forcepack.errors import InputError
from forcepack.report import build_paper
from forcepack.report.inputs import demo_inputs_dir
from forcepack.report.model import ParagraphStyle
from test_report_render import fake_compute

pytestmark = (
    pytest.mark.slow
)  # each test builds a paper from a constructed warehouse (seconds each)

PROMPT = "response.prompt.median_minutes"


def with_prompt(values: np.ndarray, category: str | None = None):  # type: ignore[no-untyped-def]
    """fake_compute, with the force-wide prompt median (or one call type's) replaced."""

    def compute(ids: list[str], **kw: Any) -> pd.DataFrame:
        df = fake_compute(ids, **kw)
        if PROMPT in ids and kw.get("window", "month") == "month":
            head = df["measure_id"] == PROMPT
            for d in kw.get("by", ()):
                want = category if d == "call_type_category" else None
                head &= df[d] == want if want is not None else df[d].isna()
            if category is not None and "call_type_category" not in kw.get("by", ()):
                return df
            for i, idx in enumerate(df.index[head]):
                df.loc[idx, "value"] = values[i]
        return df

    return compute


#: 60 months: 130 minutes (+-2) for 41 months, then 110 (+-2) from June 2018: a genuine shift.
SHIFTED = np.array(
    [130.0 + (2 if i % 2 else -2) for i in range(41)]
    + [110.0 + (2 if i % 2 else -2) for i in range(19)]
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from force_helpers import create_force

    return create_force(tmp_path_factory.mktemp("judge") / "warehouse.duckdb")


def inputs_with(tmp_path: Path, extra: str = "", why: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "inputs"
    shutil.copytree(demo_inputs_dir(), folder)
    with (folder / "paper.toml").open("a", encoding="utf-8") as f:
        f.write(extra)
    for key, text in (why or {}).items():
        (folder / "updates" / "why").mkdir(parents=True, exist_ok=True)
        (folder / "updates" / "why" / f"{key}.md").write_text(text, encoding="utf-8")
    return folder


def test_a_shift_without_a_declared_change_is_said_with_its_start(
    warehouse: Path, tmp_path: Path
) -> None:
    paper = build_paper(
        warehouse, "2019-12", inputs=inputs_with(tmp_path), compute=with_prompt(SHIFTED)
    )
    text = paper.by_key("response.grades").text
    assert "the median has run below its earlier range since June 2018" in text
    assert "concern" not in text and "improving" not in text
    (claim,) = [c for c in paper.claims if c.measure_id == PROMPT and not c.cut]
    assert claim.record["method"] == "sustained_run" and claim.record["since"] == "2018-06-30"
    notes = [
        b.text
        for s in paper.all_sections()
        for b in s.blocks
        if getattr(b, "style", None) is ParagraphStyle.NOTE
    ]
    assert any("rebasing the chart at 2018-06" in n for n in notes)


def test_a_declared_change_point_is_the_chart_baseline(warehouse: Path, tmp_path: Path) -> None:
    extra = (
        '\n[[change_points]]\nmeasure = "response.prompt.median_minutes"\n'
        'date = "2018-06"\nreason = "new response model"\n'
    )
    paper = build_paper(
        warehouse, "2019-12", inputs=inputs_with(tmp_path, extra), compute=with_prompt(SHIFTED)
    )
    text = paper.by_key("response.grades").text
    assert "has run below" not in text
    (claim,) = [c for c in paper.claims if c.measure_id == PROMPT and not c.cut]
    assert claim.record["method"] == "xmr"
    assert claim.record["baseline"]["change_points"] == [
        {"date": "2018-06-30", "reason": "new response model"}
    ]
    # from June 2018 the process has its own limits: 110 +- 2 is common cause
    assert claim.record["verdict"] == "common_cause"
    assert "its chart shows common cause variation, within its usual range" in text


@pytest.mark.parametrize("month", ["2012-01", "2015-01", "2020-03"])
def test_a_change_point_outside_the_series_is_an_error_naming_measure_and_month(
    warehouse: Path, tmp_path: Path, month: str
) -> None:
    extra = (
        f'\n[[change_points]]\nmeasure = "{PROMPT}"\ndate = "{month}"\n'
        'reason = "new response model"\n'
    )
    with pytest.raises(InputError, match=rf"{re.escape(PROMPT)}: \w+ \d{{4}} .*outside"):
        build_paper(
            warehouse, "2019-12", inputs=inputs_with(tmp_path, extra), compute=with_prompt(SHIFTED)
        )


def test_a_change_point_needs_measure_date_and_reason(tmp_path: Path) -> None:
    from forcepack.errors import ConfigError
    from forcepack.report.inputs import read_inputs

    extra = f'\n[[change_points]]\nmeasure = "{PROMPT}"\ndate = "2018-06"\n'
    with pytest.raises(ConfigError, match="missing reason"):
        read_inputs(inputs_with(tmp_path, extra))


def test_recent_improvement_only_when_the_chart_says_so(warehouse: Path, tmp_path: Path) -> None:
    # burglary prompt median steady at 120 +- 3, then the last two months far below its limits
    steady = np.array([120.0 + (3 if i % 2 else -3) for i in range(58)] + [95.0, 94.0])
    paper = build_paper(
        warehouse,
        "2019-12",
        inputs=inputs_with(tmp_path),
        compute=with_prompt(steady, "burglary_dwelling"),
    )
    text = paper.by_key("response.burglary").text
    assert "the median has improved in recent months" in text
    kinds = [c.record["method"] for c in paper.claims if c.key == "response.burglary"]
    assert "recent_special_cause" in kinds
    # the same month without the improvement: no such words
    flat = np.array([120.0 + (3 if i % 2 else -3) for i in range(60)])
    paper = build_paper(
        warehouse,
        "2019-12",
        inputs=inputs_with(tmp_path / "b"),
        compute=with_prompt(flat, "burglary_dwelling"),
    )
    assert "improved" not in paper.by_key("response.burglary").text


def test_the_forces_why_follows_its_paragraph(warehouse: Path, tmp_path: Path) -> None:
    why = {"crime.recorded": "The fall follows the end of the summer night-time economy.\n"}
    paper = build_paper(
        warehouse, "2019-12", inputs=inputs_with(tmp_path, why=why), compute=fake_compute
    )
    (section,) = [
        s
        for s in paper.all_sections()
        if any(getattr(b, "key", None) == "crime.recorded" for b in s.blocks)
    ]
    keys = [getattr(b, "key", None) for b in section.blocks]
    i = keys.index("crime.recorded")
    assert "why:crime.recorded" in keys[i:]
    assert keys.index("why:crime.recorded") > i


def test_no_p_value_or_test_name_in_the_body_of_counts(warehouse: Path) -> None:
    paper = build_paper(warehouse, "2019-12", inputs=demo_inputs_dir(), compute=fake_compute)
    for key in (
        "demand.calls",
        "crime.recorded",
        "crime.domestic_abuse",
        "crime.child_sexual_abuse",
        "response.grades",
        "response.burglary",
    ):
        body = paper.by_key(key).text
        assert not re.search(r"\bp [=<]|Poisson|significan|Mann-Kendall|interval", body), key


def test_overdue_reviews_for_a_past_month_are_not_available_never_0(warehouse: Path) -> None:
    past = build_paper(warehouse, "2019-06", inputs=demo_inputs_dir(), compute=fake_compute)
    text = past.by_key("crime.management").text
    assert "not available for that month" in text and "December 2019" in text
    assert not re.search(r"\b\d[\d,]* open investigations were past", text)
    now = build_paper(warehouse, "2019-12", inputs=demo_inputs_dir(), compute=fake_compute)
    assert re.search(
        r"[\d,]+ open investigations were past their supervisory review date",
        now.by_key("crime.management").text,
    )


def test_a_partial_first_month_of_a_table_is_left_out_of_every_series() -> None:
    import datetime as dt

    import duckdb

    from forcepack.report.data import MeasureData, partial_months

    con = duckdb.connect()
    # 37 rows in December 2014 (the extract starts on the 31st), about 100 a month after, and a
    # quiet month in the middle (30 rows) that is not at the start and so not partial
    days = ["2014-12-31"] * 37
    for m in range(1, 13):
        days += [f"2015-{m:02d}-15"] * (30 if m == 6 else 100)
    con.execute("CREATE TABLE incidents (created_at TIMESTAMP)")
    con.executemany("INSERT INTO incidents VALUES (CAST(? AS TIMESTAMP))", [[d] for d in days])
    assert partial_months(con, "incidents", "created_at") == {dt.date(2014, 12, 31)}

    months = [dt.date(2014, 12, 31)] + [
        (pd.Timestamp(2015, m, 1) + pd.offsets.MonthEnd(0)).date() for m in range(1, 13)
    ]

    def compute(ids: list[str], **kw: Any) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "measure_id": ids[0],
                "period_end": months,
                "window": kw.get("window", "month"),
                "value": [3.0] + [120.0] * 12,
                "numerator": np.nan,
                "denominator": np.nan,
                "n": 100.0,
            }
        )

    data = MeasureData(con, compute)
    s = data.series(PROMPT, dt.date(2015, 12, 31))  # its source is the incidents table
    assert len(s) == 12 and s["period_end"].iloc[0] == dt.date(2015, 1, 31)
    assert 3.0 not in set(s["value"])
