"""The seed's December 2019 figures (docs/calibration.md) through `forcepack measures compute`.

Each test names the figure number of docs/calibration.md. Tolerances are the document's:
percentages within 1.0 point, medians within 3 minutes, counts and comparisons as stated.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from forcepack.cli.main import cli
from forcepack.measures import compute

DEC19, NOV19, OCT19, SEP19, DEC18 = (
    dt.date(2019, 12, 31),
    dt.date(2019, 11, 30),
    dt.date(2019, 10, 31),
    dt.date(2019, 9, 30),
    dt.date(2018, 12, 31),
)
PT = 0.01  # one percentage point, as a fraction


@pytest.fixture(scope="module")
def db(demo_warehouse: Path) -> Path:
    return demo_warehouse


def measure(db: Path, ids: Any, **kw: Any) -> pd.DataFrame:
    # the demo warehouse is shared by the whole session: read it, never write results back
    return compute(ids, db=db, cache_results=False, **kw)


def one(df: pd.DataFrame, period_end: dt.date, **dims: str) -> pd.Series:
    sel = df[df["period_end"] == period_end]
    for k, v in dims.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (period_end, dims, sel)
    return sel.iloc[0]


def test_01_victims_surveyed_through_the_cli(db: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "measures",
            "compute",
            "satisfaction.victims_surveyed",
            "--db",
            str(db),
            "--window",
            "rolling12",
            "--month",
            "2019-12",
            "--format",
            "json",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["period_end"] == "2019-12-31" and abs(row["value"] - 1340) <= 10


def test_02_overall_satisfaction_rolling_12(db: Path) -> None:
    df = measure(
        db, "satisfaction.overall", window="rolling12", months=["2019-12", "2018-12", "2019-09"]
    )
    assert one(df, DEC19)["value"] == pytest.approx(0.765, abs=PT)
    assert one(df, DEC18)["value"] == pytest.approx(0.792, abs=PT)
    assert one(df, SEP19)["value"] == pytest.approx(0.775, abs=PT)


def test_03_follow_up_discrete_months_oct_to_dec(db: Path) -> None:
    df = measure(db, "satisfaction.follow_up", months=["2019-10", "2019-11", "2019-12"])
    assert len(df) == 3
    assert df["value"].min() == pytest.approx(0.613, abs=PT)
    assert df["value"].max() == pytest.approx(0.713, abs=PT)


def test_04_ease_of_contact(db: Path) -> None:
    df = measure(
        db, "satisfaction.ease_of_contact", window="rolling12", months=["2019-09", "2019-12"]
    )
    sep, dec = one(df, SEP19), one(df, DEC19)
    assert sep["value"] == pytest.approx(0.933, abs=PT) and abs(sep["n"] - 945) <= 10
    assert dec["value"] == pytest.approx(0.923, abs=PT) and abs(dec["n"] - 915) <= 10


def test_05_06_burglary_victims(db: Path) -> None:
    df = measure(
        db,
        ["satisfaction.overall", "satisfaction.follow_up"],
        window="rolling12",
        by="crime_group",
        months=["2019-09", "2019-12"],
    )
    overall = df[df["measure_id"] == "satisfaction.overall"]
    follow = df[df["measure_id"] == "satisfaction.follow_up"]
    assert one(overall, DEC19, crime_group="burglary")["value"] == pytest.approx(0.843, abs=PT)
    assert one(follow, DEC19, crime_group="burglary")["value"] == pytest.approx(0.787, abs=PT)
    assert one(follow, SEP19, crime_group="burglary")["value"] == pytest.approx(0.756, abs=PT)
    areas = measure(
        db,
        "satisfaction.follow_up",
        window="rolling12",
        by=("crime_group", "area"),
        months="2019-12",
    )
    north = one(areas, DEC19, crime_group="burglary", area="North")["value"]
    south = one(areas, DEC19, crime_group="burglary", area="South")["value"]
    assert north > south


def test_07_domestic_abuse_survey_april_to_december(db: Path) -> None:
    df = measure(
        db,
        ["satisfaction.da.overall", "satisfaction.da.follow_up"],
        window="rolling:9",
        months="2019-12",
    )
    overall = one(df[df["measure_id"] == "satisfaction.da.overall"], DEC19)
    follow = one(df[df["measure_id"] == "satisfaction.da.follow_up"], DEC19)
    assert overall["value"] == pytest.approx(0.818, abs=PT) and abs(overall["n"] - 162) <= 5
    assert follow["value"] == pytest.approx(0.594, abs=PT) and abs(follow["n"] - 111) <= 5
    # the same window is the financial year to date in December
    fytd = measure(db, "satisfaction.da.overall", window="fytd", months="2019-12")
    assert one(fytd, DEC19)["value"] == overall["value"]


def test_08_09_response_medians_and_immediate_share(db: Path) -> None:
    df = measure(
        db,
        [
            "response.immediate.median_minutes",
            "response.prompt.median_minutes",
            "response.immediate_share",
        ],
        months="2019-12",
    )
    by_id = {r.measure_id: r.value for r in df.itertuples()}
    assert by_id["response.immediate.median_minutes"] == pytest.approx(18, abs=3)
    assert by_id["response.prompt.median_minutes"] == pytest.approx(105, abs=3)
    assert by_id["response.immediate_share"] > 2 / 3


def test_10_prompt_median_by_incident_type(db: Path) -> None:
    df = measure(db, "response.prompt.median_minutes", by="call_type_category", months="2019-12")
    assert one(df, DEC19, call_type_category="burglary_dwelling")["value"] == pytest.approx(
        191, abs=3
    )
    assert one(df, DEC19, call_type_category="domestic_abuse")["value"] == pytest.approx(249, abs=3)
    areas = measure(
        db, "response.prompt.median_minutes", by=("call_type_category", "area"), months="2019-12"
    )
    north = one(areas, DEC19, call_type_category="burglary_dwelling", area="North")["value"]
    south = one(areas, DEC19, call_type_category="burglary_dwelling", area="South")["value"]
    assert north > south


def test_11_domestic_abuse_delays_cite_resourcing_most(db: Path) -> None:
    df = measure(
        db,
        "response.delay_resourcing_share",
        by="call_type_category",
        months=["2019-11", "2019-12"],
    )
    for month in (NOV19, DEC19):
        assert one(df, month, call_type_category="domestic_abuse")["value"] == pytest.approx(
            0.54, abs=PT
        )
    dec = df[df["period_end"] == DEC19].set_index("call_type_category")["value"]
    assert dec.idxmax() == "domestic_abuse"


def test_12_13_16_17_recorded_crime_month_on_month_and_year_on_year(db: Path) -> None:
    df = measure(db, ["crime.recorded", "crime.domestic_abuse", "crime.child_sexual_abuse"])
    series = {m: g.set_index("period_end")["value"] for m, g in df.groupby("measure_id")}
    crime, da, csa = (
        series["crime.recorded"],
        series["crime.domestic_abuse"],
        series["crime.child_sexual_abuse"],
    )
    assert crime[DEC19] < crime[NOV19]  # 12: fell
    assert 700 <= crime[DEC19] - crime[DEC18] <= 799  # 13
    assert da[DEC19] > 1000 and da[DEC19] == da.max()  # 16: highest month on record
    assert (da.drop(DEC19) < da[DEC19]).all()
    assert 1.8 <= csa[DEC19] / csa[DEC18] <= 2.2  # 17
    districts = measure(db, "crime.recorded", by="district", months=["2019-11", "2019-12"])
    wide = districts.pivot(index="district", columns="period_end", values="value")
    rose = sorted(wide.index[wide[DEC19] > wide[NOV19]])
    assert rose == ["Peterborough"]  # 12: the only district to rise


def test_14_rolling_total_against_the_long_term_benchmark(db: Path) -> None:
    monthly = measure(db, "crime.recorded").set_index("period_end")["value"]
    rolling = measure(db, "crime.recorded", window="rolling12").set_index("period_end")["value"]

    def significantly_higher(end: dt.date) -> bool:
        months = list(monthly.index)
        i = months.index(end)
        base = monthly.iloc[i - 47 : i - 11].to_numpy(dtype=float)  # the 36 months before
        assert len(base) == 36
        mu = base.mean()
        sigma = abs(pd.Series(base).diff().dropna()).mean() / 1.128
        return bool(rolling[end] > 12 * mu + 3 * math.sqrt(12) * sigma)

    assert significantly_higher(NOV19) and significantly_higher(DEC19)
    assert not significantly_higher(OCT19)


def test_15_cambridge_and_east_cambridgeshire_double_digit_growth(db: Path) -> None:
    df = measure(
        db, "crime.recorded", window="rolling12", by="district", months=["2018-12", "2019-12"]
    )
    wide = df.pivot(index="district", columns="period_end", values="value")
    growth = wide[DEC19] / wide[DEC18] - 1
    assert growth["Cambridge"] >= 0.10 and growth["East Cambridgeshire"] >= 0.10


def test_18_19_prosecution_possible_rate(db: Path) -> None:
    month = measure(
        db, "outcomes.prosecution_possible_rate", months=[f"2019-{m:02d}" for m in range(1, 13)]
    )
    dec = one(month, DEC19)["value"]
    assert dec == pytest.approx(0.117, abs=PT) and dec == month["value"].max()
    rolling = measure(
        db, "outcomes.prosecution_possible_rate", window="rolling12", months=["2019-11", "2019-12"]
    )
    nov, dec12 = one(rolling, NOV19)["value"], one(rolling, DEC19)["value"]
    assert nov == pytest.approx(0.097, abs=PT) and dec12 == pytest.approx(0.097, abs=PT)
    assert round(nov * 100, 1) == round(dec12 * 100, 1)


def test_20_21_calls(db: Path) -> None:
    df = measure(db, ["demand.calls_101", "demand.calls_999"])
    calls_101 = df[df["measure_id"] == "demand.calls_101"].set_index("period_end")["value"]
    calls_999 = df[df["measure_id"] == "demand.calls_999"].set_index("period_end")["value"]
    assert calls_101[DEC19] == calls_101.min() and (calls_101.drop(DEC19) > calls_101[DEC19]).all()
    assert calls_999[DEC19] > calls_999[NOV19]
