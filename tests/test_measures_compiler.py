"""The measure engine on tiny hand-built warehouses, with the expected values worked by hand."""

from __future__ import annotations

import datetime as dt
import importlib
import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack.errors import InputError
from forcepack.measures import compute, get
from forcepack.measures.spec import parse_measure
from forcepack.warehouse import freshness
from rows import insert as insert_rows

compute_module = importlib.import_module("forcepack.measures.compute")  # `compute` is its function

CAMBRIDGE, PETERBOROUGH = "E07000008", "E06000031"  # South, North


def insert(db: Path, table: str, rows: list[dict[str, Any]]) -> None:
    con = duckdb.connect(str(db))
    try:
        insert_rows(con, table, rows)
    finally:
        con.close()


def crime(
    cid: str,
    at: str,
    *,
    district: str = CAMBRIDGE,
    status: str = "open",
    offence: str = "8N",
    **extra: Any,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "crime_id": cid,
        "recorded_at": pd.Timestamp(at),
        "offence_code": offence,
        "district_code": district,
        "status": status,
    }
    row.update(extra)
    return row


def incident(
    iid: str,
    created: str,
    grade: str,
    arrived: str | None = None,
    *,
    call_type: str = "ASLT",
    district: str = CAMBRIDGE,
    delay_reason: str | None = None,
) -> dict[str, Any]:
    return {
        "incident_id": iid,
        "created_at": pd.Timestamp(created),
        "call_type_code": call_type,
        "grade": grade,
        "district_code": district,
        "source": "999",
        "arrived_at": pd.Timestamp(arrived) if arrived else None,
        "delay_reason": delay_reason,
    }


#: The backend each tiny warehouse's worked examples run on (set by the ``wh`` fixture).
_BACKEND: dict[Path, str] = {}


@pytest.fixture(
    params=[
        "duckdb",
        pytest.param(
            "pyspark",
            marks=[
                pytest.mark.spark,
                pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
            ],
        ),
    ]
)
def wh(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A tiny warehouse of the demo force's districts; every worked example over it runs on
    DuckDB and again on a local Spark session (``-m spark``), with the same expected figures."""
    db = create_force(tmp_path / "tiny.duckdb")
    _BACKEND[db] = request.param
    return db


def run(db: Path, ids: Any, **kw: Any) -> pd.DataFrame:
    return compute(ids, db=db, cache_results=False, backend=_BACKEND.get(db, "duckdb"), **kw)


def values(df: pd.DataFrame, col: str = "value") -> dict[Any, Any]:
    return dict(zip(df["period_end"], df[col], strict=True))


def test_rolling_window_spans_calendar_months_when_a_month_is_missing(wh: Path) -> None:
    # Jan 2, Feb none, Mar 1, Apr 3 crimes. Rolling 3 to Apr = Feb + Mar + Apr = 0 + 1 + 3 = 4
    # (a window over the last three *rows* would wrongly add January: 2 + 1 + 3 = 6).
    insert(
        wh,
        "crimes",
        [
            crime("a", "2019-01-03"),
            crime("b", "2019-01-30"),
            crime("c", "2019-03-15"),
            crime("d", "2019-04-01"),
            crime("e", "2019-04-02"),
            crime("f", "2019-04-30 23:59:59"),
        ],
    )
    month = run(wh, "crime.recorded")
    assert values(month) == {
        dt.date(2019, 1, 31): 2,
        dt.date(2019, 2, 28): 0,
        dt.date(2019, 3, 31): 1,
        dt.date(2019, 4, 30): 3,
    }
    rolling = run(wh, "crime.recorded", window="rolling:3")
    assert values(rolling) == {dt.date(2019, 3, 31): 2 + 0 + 1, dt.date(2019, 4, 30): 0 + 1 + 3}
    assert set(rolling["window"]) == {"rolling:3"}


def test_cancelled_crimes_are_not_recorded_crime(wh: Path) -> None:
    insert(
        wh,
        "crimes",
        [
            crime("a", "2019-05-01"),
            crime("b", "2019-05-02", status="cancelled"),
            crime("c", "2019-05-03", status="finalised"),
        ],
    )
    assert values(run(wh, "crime.recorded")) == {dt.date(2019, 5, 31): 2}


def test_empty_groups_are_zero_counts_and_null_shares(wh: Path) -> None:
    insert(wh, "crimes", [crime("a", "2019-01-03"), crime("b", "2019-01-04")])
    by_district = run(wh, "crime.recorded", by="district")
    assert len(by_district) == 6  # every district of the force, even with no crimes
    counts = dict(zip(by_district["district"], by_district["value"], strict=True))
    assert counts["Cambridge"] == 2 and counts["Peterborough"] == 0
    insert(wh, "incidents", [incident("i1", "2019-01-10 10:00", "immediate", "2019-01-10 10:10")])
    share = run(wh, "response.immediate_share", by="area")
    north = share[share["area"] == "North"].iloc[0]
    assert math.isnan(north["value"]) and north["n"] == 0 and north["denominator"] == 0
    assert share[share["area"] == "South"].iloc[0]["value"] == 1.0


def test_zero_denominator_gives_null_not_an_error(wh: Path) -> None:
    # Jan: 1 immediate + 1 prompt -> 1/2; Feb: only a scheduled incident -> 0/0 -> null.
    insert(
        wh,
        "incidents",
        [
            incident("i1", "2019-01-10 10:00", "immediate", "2019-01-10 10:10"),
            incident("i2", "2019-01-11 10:00", "prompt", "2019-01-11 11:00"),
            incident("i3", "2019-02-11 10:00", "scheduled"),
        ],
    )
    df = run(wh, "response.immediate_share")
    jan, feb = df.iloc[0], df.iloc[1]
    assert (jan["value"], jan["numerator"], jan["denominator"], jan["n"]) == (0.5, 1, 2, 2)
    assert math.isnan(feb["value"]) and feb["denominator"] == 0 and feb["n"] == 0


def test_response_minutes_count_real_time_across_clock_changes(wh: Path) -> None:
    # 31 Mar 2019: clocks go forward at 01:00 GMT. 00:50 GMT -> 02:10 BST is 20 real minutes
    # (the wall clock says 80). 27 Oct 2019: clocks go back at 02:00 BST. 00:30 BST (23:30 UTC)
    # -> 02:30 GMT (02:30 UTC) is 180 real minutes (the wall clock says 120).
    insert(
        wh,
        "incidents",
        [
            incident("s", "2019-03-31 00:50", "immediate", "2019-03-31 02:10"),
            incident("a", "2019-10-27 00:30", "immediate", "2019-10-27 02:30"),
        ],
    )
    df = run(wh, "response.immediate.median_minutes", months=["2019-03", "2019-10"])
    assert values(df) == {
        dt.date(2019, 3, 31): pytest.approx(20.0),
        dt.date(2019, 10, 31): pytest.approx(180.0),
    }


def test_median_interpolates_and_counts_attended_records(wh: Path) -> None:
    # minutes 10, 20, 30, 40 and one never attended: median (20 + 30) / 2 = 25, n = 4
    rows = [
        incident(f"i{m}", "2019-06-01 12:00", "immediate", f"2019-06-01 12:{m}")
        for m in (10, 20, 30, 40)
    ]
    rows.append(incident("none", "2019-06-02 12:00", "immediate"))
    insert(wh, "incidents", rows)
    row = run(wh, "response.immediate.median_minutes").iloc[0]
    assert row["value"] == pytest.approx(25.0) and row["n"] == 4


def test_leap_day_belongs_to_february_and_windows_end_on_the_29th(wh: Path) -> None:
    # 29 Feb 2020 23:50 -> 1 Mar 00:10 is a 20-minute February incident.
    insert(
        wh,
        "incidents",
        [
            incident("x", "2019-03-05 09:00", "prompt", "2019-03-05 10:00"),
            incident("y", "2020-02-29 23:50", "prompt", "2020-03-01 00:10"),
        ],
    )
    month = run(wh, "response.prompt.median_minutes", months="2020-02")
    assert values(month) == {dt.date(2020, 2, 29): pytest.approx(20.0)}
    # rolling 12 to Feb 2020 = Mar 2019 .. Feb 2020: median of 60 and 20 = 40
    rolling = run(wh, "response.prompt.median_minutes", window="rolling12", months="2020-02")
    assert values(rolling) == {dt.date(2020, 2, 29): pytest.approx(40.0)}


def test_financial_year_to_date_starts_in_april(wh: Path) -> None:
    # Apr 2018: 1, Mar 2019: 1, Apr 2019: 2, May 2019: 3
    rows = [
        crime("a", "2018-04-10"),
        crime("b", "2019-03-10"),
        crime("c", "2019-04-01"),
        crime("d", "2019-04-02"),
        crime("e", "2019-05-01"),
        crime("f", "2019-05-02"),
        crime("g", "2019-05-31"),
    ]
    insert(wh, "crimes", rows)
    df = run(wh, "crime.recorded", window="fytd", months=["2019-03", "2019-04", "2019-05"])
    assert values(df) == {
        dt.date(2019, 3, 31): 1 + 1,
        dt.date(2019, 4, 30): 2,
        dt.date(2019, 5, 31): 2 + 3,
    }


def test_call_type_change_of_6_january_2020_is_spanned_by_category(wh: Path) -> None:
    # Domestic Incident (DOM) until 5 Jan 2020; Domestic Abuse (DOMA) and Domestic Incident
    # (NSIR) (DOMN) from 6 Jan: all three are category domestic_abuse.
    insert(
        wh,
        "incidents",
        [
            incident("d0", "2019-12-20 10:00", "prompt", "2019-12-20 13:20", call_type="DOM"),
            incident("d1", "2020-01-05 10:00", "prompt", "2020-01-05 11:00", call_type="DOM"),
            incident("d2", "2020-01-06 10:00", "prompt", "2020-01-06 12:00", call_type="DOMA"),
            incident("d3", "2020-01-20 10:00", "prompt", "2020-01-20 11:30", call_type="DOMN"),
            incident("b1", "2020-01-21 10:00", "prompt", "2020-01-21 10:30", call_type="BURD"),
        ],
    )
    jan = run(wh, "response.prompt.median_minutes", by="call_type_category", months="2020-01")
    got = {r.call_type_category: (r.value, r.n) for r in jan.itertuples()}
    assert got["domestic_abuse"] == (pytest.approx(90.0), 3)  # median of 60, 120, 90
    assert got["burglary_dwelling"] == (pytest.approx(30.0), 1)
    assert math.isnan(got["violence"][0]) and got["violence"][1] == 0
    # Dec 2019 + Jan 2020: 200, 60, 120, 90 -> median (90 + 120) / 2 = 105
    two = run(
        wh,
        "response.prompt.median_minutes",
        by="call_type_category",
        window="rolling:2",
        months="2020-01",
    )
    da = two[two["call_type_category"] == "domestic_abuse"].iloc[0]
    assert da["value"] == pytest.approx(105.0) and da["n"] == 4


def test_delayed_attendance_resourcing_share(wh: Path) -> None:
    # delayed: immediate > 15 min or prompt > 60 min. i1 (30 min, resourcing) and i2 (90 min,
    # travel) are delayed; i3 (10 min) and i4 (prompt 50 min) are not. Share 1/2.
    insert(
        wh,
        "incidents",
        [
            incident(
                "i1",
                "2019-11-01 10:00",
                "immediate",
                "2019-11-01 10:30",
                delay_reason="resource_unavailable",
            ),
            incident(
                "i2",
                "2019-11-02 10:00",
                "prompt",
                "2019-11-02 11:30",
                delay_reason="travel_distance",
            ),
            incident("i3", "2019-11-03 10:00", "immediate", "2019-11-03 10:10"),
            incident(
                "i4",
                "2019-11-04 10:00",
                "prompt",
                "2019-11-04 10:50",
                delay_reason="resource_unavailable",
            ),
        ],
    )
    row = run(wh, "response.delay_resourcing_share").iloc[0]
    assert (row["value"], row["numerator"], row["denominator"]) == (0.5, 1, 2)


def test_per_1000_uses_the_population_of_the_group(wh: Path) -> None:
    insert(
        wh,
        "crimes",
        [
            crime("a", "2019-01-01"),
            crime("b", "2019-01-02"),
            crime("c", "2019-01-03"),
            crime("d", "2019-01-04", district=PETERBOROUGH),
            crime("e", "2019-01-05", district=PETERBOROUGH),
        ],
    )
    con = duckdb.connect(str(wh), read_only=True)
    pops = dict(con.execute("SELECT area, sum(population) FROM districts GROUP BY 1").fetchall())
    con.close()
    force = run(wh, "crime.recorded_per_1000").iloc[0]
    assert force["value"] == pytest.approx(5 / (pops["North"] + pops["South"]) * 1000)
    assert force["denominator"] == pops["North"] + pops["South"]
    area = run(wh, "crime.recorded_per_1000", by="area")
    got = dict(zip(area["area"], area["value"], strict=True))
    assert got == {
        "North": pytest.approx(2 / pops["North"] * 1000),
        "South": pytest.approx(3 / pops["South"] * 1000),
    }


def test_outcome_rate_by_crime_flag_counts_each_flag_a_crime_carries(wh: Path) -> None:
    # a: DA, outcome 1 (prosecution possible); b: DA and hate, outcome 14 (not); c: no flag,
    # outcome 2 (possible); d: no outcome yet. Force 2/3; DA 1/2; hate 0/1; CSA 0/0 -> null.
    insert(
        wh,
        "crimes",
        [
            crime(
                "a",
                "2019-01-01",
                status="finalised",
                domestic_abuse=True,
                outcome_code=1,
                outcome_at=pd.Timestamp("2019-02-01"),
            ),
            crime(
                "b",
                "2019-01-02",
                status="finalised",
                domestic_abuse=True,
                hate_crime=True,
                outcome_code=14,
                outcome_at=pd.Timestamp("2019-02-02"),
            ),
            crime(
                "c",
                "2019-01-03",
                status="finalised",
                outcome_code=2,
                outcome_at=pd.Timestamp("2019-02-03"),
            ),
            crime("d", "2019-01-04"),
        ],
    )
    force = run(wh, "outcomes.prosecution_possible_rate")
    assert values(force) == {dt.date(2019, 2, 28): pytest.approx(2 / 3)}
    by_flag = run(wh, "outcomes.prosecution_possible_rate", by="crime_flag")
    got = {r.crime_flag: (r.numerator, r.denominator) for r in by_flag.itertuples()}
    assert got["domestic_abuse"] == (1, 2) and got["hate_crime"] == (0, 1)
    assert got["child_sexual_abuse"] == (0, 0)
    csa = by_flag[by_flag["crime_flag"] == "child_sexual_abuse"].iloc[0]
    assert math.isnan(csa["value"])


def test_open_investigations_are_measured_at_each_period_end(wh: Path) -> None:
    # a: recorded 10 Jan, still open, review due 15 Feb. b: recorded 20 Jan, outcome 5 Feb.
    # End of Jan (1 Feb 00:00): a 22 days, b 12 days -> mean 17; no review overdue.
    # End of Feb (1 Mar 00:00): only a, 22 + 28 = 50 days; its review (15 Feb) is overdue.
    insert(
        wh,
        "crimes",
        [
            crime("a", "2019-01-10", next_review_due=dt.date(2019, 2, 15)),
            crime(
                "b",
                "2019-01-20",
                status="finalised",
                outcome_code=18,
                outcome_at=pd.Timestamp("2019-02-05"),
            ),
        ],
    )
    age = run(wh, "investigations.average_length_days")
    assert values(age) == {
        dt.date(2019, 1, 31): pytest.approx(17.0),
        dt.date(2019, 2, 28): pytest.approx(50.0),
    }
    assert values(age, "n") == {dt.date(2019, 1, 31): 2, dt.date(2019, 2, 28): 1}
    overdue = run(wh, "investigations.overdue_reviews")
    assert values(overdue) == {dt.date(2019, 1, 31): 0, dt.date(2019, 2, 28): 1}


def test_latest_snapshot_of_the_window(wh: Path) -> None:
    insert(
        wh,
        "qa_backlog",
        [
            {"snapshot_date": dt.date(2019, 1, 15), "crimes_awaiting_qa": 10},
            {"snapshot_date": dt.date(2019, 1, 31), "crimes_awaiting_qa": 12},
            {"snapshot_date": dt.date(2019, 2, 28), "crimes_awaiting_qa": 7},
        ],
    )
    assert values(run(wh, "demand.qa_backlog")) == {
        dt.date(2019, 1, 31): 12,
        dt.date(2019, 2, 28): 7,
    }
    assert values(run(wh, "demand.qa_backlog", window="rolling:2")) == {dt.date(2019, 2, 28): 7}


def test_satisfaction_share_is_over_those_who_answered(wh: Path) -> None:
    insert(wh, "crimes", [crime("c", "2019-01-01")])
    answers = [1, 3, 4, None, 7]  # answered 4, satisfied (1-3) 2 -> 0.5
    rows = [
        {
            "response_id": f"r{i}",
            "survey": "victim",
            "crime_id": "c",
            "interviewed_at": pd.Timestamp("2019-02-01"),
            "district_code": CAMBRIDGE,
            "crime_group": "burglary",
            "overall": a,
        }
        for i, a in enumerate(answers)
    ]
    rows.append(
        {
            "response_id": "da",
            "survey": "domestic_abuse",
            "crime_id": "c",
            "interviewed_at": pd.Timestamp("2019-02-01"),
            "district_code": CAMBRIDGE,
            "crime_group": "other",
            "overall": 7,
        }
    )
    insert(wh, "survey_responses", rows)
    row = run(wh, "satisfaction.overall").iloc[0]
    assert (row["value"], row["numerator"], row["n"]) == (0.5, 2, 4)


def test_sum_and_mean_kinds_on_ad_hoc_specs(wh: Path) -> None:
    insert(
        wh,
        "missing_episodes",
        [
            {
                "episode_id": "e1",
                "person_id": "p",
                "age": 12,
                "reported_at": pd.Timestamp("2019-01-01"),
                "district_code": CAMBRIDGE,
                "from_care_home": True,
            },
            {
                "episode_id": "e2",
                "person_id": "q",
                "age": 15,
                "reported_at": pd.Timestamp("2019-01-02"),
                "district_code": CAMBRIDGE,
                "from_care_home": False,
            },
            {
                "episode_id": "e3",
                "person_id": "r",
                "age": None,
                "reported_at": pd.Timestamp("2019-01-03"),
                "district_code": CAMBRIDGE,
                "from_care_home": False,
            },
        ],
    )
    base = {
        "title": "t",
        "definition": "d",
        "source": "missing_episodes",
        "date": "reported_at",
        "polarity": "neutral",
        "unit": "years",
        "column": "age",
    }
    total = run(wh, parse_measure("t.sum", {**base, "kind": "sum"})).iloc[0]
    assert (total["value"], total["n"]) == (12 + 15, 3)
    mean = run(wh, parse_measure("t.mean", {**base, "kind": "mean"})).iloc[0]
    assert (mean["value"], mean["n"]) == ((12 + 15) / 2, 2)


def test_months_select_periods_and_bad_input_is_explained(wh: Path) -> None:
    insert(wh, "crimes", [crime("a", "2019-01-03"), crime("b", "2019-03-03")])
    df = run(wh, "crime.recorded", months=[dt.date(2019, 3, 7)])
    assert list(df["period_end"]) == [dt.date(2019, 3, 31)]
    with pytest.raises(InputError, match="YYYY-MM"):
        run(wh, "crime.recorded", months=["March"])
    with pytest.raises(InputError, match="rolling:N"):
        run(wh, "crime.recorded", window="weekly")
    with pytest.raises(InputError, match="cannot be cut by call_type_category"):
        run(wh, "crime.recorded", by="call_type_category")
    with pytest.raises(InputError, match="not in the catalogue"):
        run(wh, "crime.recordd")


def test_result_columns_are_the_fixed_interface(wh: Path) -> None:
    insert(wh, "crimes", [crime("a", "2019-01-03")])
    df = run(wh, ["crime.recorded", "crime.domestic_abuse"], by=("area", "ho_group"))
    assert list(df.columns) == [
        "measure_id",
        "period_end",
        "window",
        "area",
        "ho_group",
        "value",
        "numerator",
        "denominator",
        "n",
    ]
    assert isinstance(df["period_end"].iloc[0], dt.date)
    assert set(df["measure_id"]) == {"crime.recorded", "crime.domestic_abuse"}
    assert df["value"].sum() == 1  # one crime, in one (area, group) cell of one measure


def test_compare_adds_the_same_window_one_three_and_twelve_months_earlier(wh: Path) -> None:
    """Worked example: one crime a month in 2018 (12 crimes), then two a month in 2019.

    December 2019 month: 2; previous month 2; three months earlier 2; a year earlier 1.
    Rolling 12 ending December 2019: 24; ending November 2019: 23 (11 x 2 + 1);
    ending September 2019: 21 (9 x 2 + 3); ending December 2018: 12.
    """
    crimes = [
        crime(f"C{year}{month:02d}{i}", f"{year}-{month:02d}-10 12:00", offence="46")
        for year, per_month in ((2018, 1), (2019, 2))
        for month in range(1, 13)
        for i in range(per_month)
    ]
    insert(wh, "crimes", crimes)
    compared = ["value", "value_previous_month", "value_3_months_earlier", "value_last_year"]
    month = run(wh, "crime.recorded", months="2019-12", compare=True)
    assert month[compared].iloc[0].tolist() == [2, 2, 2, 1]
    rolling = run(wh, "crime.recorded", months="2019-12", window="rolling12", compare=True)
    assert rolling[compared].iloc[0].tolist() == [24, 23, 21, 12]


def _ad_hoc(mid: str, kind: str, **fields: Any) -> Any:
    return parse_measure(
        mid,
        {
            "title": mid,
            "definition": "d",
            "kind": kind,
            "source": "crimes",
            "date": "recorded_at",
            "polarity": "neutral",
            "unit": "u",
            "dimensions": ["owning_unit"],
            **fields,
        },
    )


def test_measures_over_one_source_computed_together_match_each_alone(wh: Path) -> None:
    # Two crimes owned by CID in February (one DA, with a prosecution-possible outcome), one by
    # Response in March. Computed together (one scan), each measure keeps its own groups: the
    # DA count has no Response row at all (no DA record there), as when computed alone.
    insert(
        wh,
        "crimes",
        [
            crime("a", "2019-02-03", owning_unit="CID", domestic_abuse=True, outcome_code=1),
            crime("b", "2019-02-10", owning_unit="CID", outcome_code=14),
            crime("c", "2019-03-05", owning_unit="Response"),
        ],
    )
    specs = [
        _ad_hoc("t.da", "count", filter={"domestic_abuse": True}),
        "crime.recorded",
        _ad_hoc(
            "t.rate",
            "rate",
            filter={"outcome_code": {"is_null": False}},
            numerator={"prosecution_possible": True},
        ),
    ]
    windows = ["month", "rolling:2"]
    together = run(wh, specs, by="owning_unit", window=windows)
    alone = pd.concat(
        [run(wh, s, by="owning_unit", window=w) for w in windows for s in specs],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(together, alone)
    assert set(together.loc[together["measure_id"] == "t.da", "owning_unit"]) == {"CID"}
    # rolling 2 to March = Feb + Mar. Recorded: CID 2 + 0, Response 0 + 1; rate CID 1 of 2
    r = together[together["window"] == "rolling:2"].set_index(["measure_id", "owning_unit"])
    assert r.loc[("crime.recorded", "CID"), "value"] == 2
    assert r.loc[("crime.recorded", "Response"), "value"] == 1
    assert r.loc[("t.rate", "CID"), "value"] == 0.5
    assert r.loc[("t.rate", "CID"), "denominator"] == 2
    assert ("t.rate", "Response") not in r.index  # no outcome there: no group


def test_several_windows_in_one_call(wh: Path) -> None:
    # Crimes: Jan 1, Mar 2, Apr 4 2019 (Feb none); financial year from April.
    insert(
        wh,
        "crimes",
        [crime(f"j{i}", "2019-01-10") for i in range(1)]
        + [crime(f"m{i}", "2019-03-10") for i in range(2)]
        + [crime(f"a{i}", "2019-04-10") for i in range(4)],
    )
    df = run(wh, "crime.recorded", window=["rolling:3", "month", "fytd", "rolling:3"])
    assert list(dict.fromkeys(df["window"])) == ["rolling:3", "month", "fytd"]  # as given, once
    got = {(w, p): v for w, p, v in zip(df["window"], df["period_end"], df["value"], strict=True)}
    assert got[("rolling:3", dt.date(2019, 3, 31))] == 1 + 0 + 2
    assert got[("rolling:3", dt.date(2019, 4, 30))] == 0 + 2 + 4
    assert got[("month", dt.date(2019, 2, 28))] == 0
    assert got[("fytd", dt.date(2019, 4, 30))] == 4  # the year began in April
    with pytest.raises(InputError, match="no window"):
        run(wh, "crime.recorded", window=[])


def test_medians_computed_together_keep_their_own_filters(wh: Path) -> None:
    # Immediate: 10 and 20 minutes -> 15; prompt: 40 minutes, and one not attended.
    insert(
        wh,
        "incidents",
        [
            incident("i1", "2019-06-01 10:00", "immediate", "2019-06-01 10:10"),
            incident("i2", "2019-06-02 10:00", "immediate", "2019-06-02 10:20"),
            incident("p1", "2019-06-03 10:00", "prompt", "2019-06-03 10:40"),
            incident("p2", "2019-06-04 10:00", "prompt"),
        ],
    )
    ids = ["response.immediate.median_minutes", "response.prompt.median_minutes"]
    df = run(wh, ids, window=["month", "rolling:1"]).set_index(["measure_id", "window"])
    assert df.loc[(ids[0], "month"), "value"] == 15.0
    assert df.loc[(ids[0], "month"), "n"] == 2
    assert df.loc[(ids[1], "month"), "value"] == 40.0
    assert df.loc[(ids[1], "month"), "n"] == 1


def test_measures_over_disjoint_slices_of_a_table_are_not_computed_together() -> None:
    from forcepack.measures import get
    from forcepack.measures.compute import fuse

    ids = [
        "victims.vcc_compliance",  # entitlement = vcc_contact
        "victims.code_compliance",  # code_entitlement = true: any entitlement
        "victims.hub_referral_within_2_days",  # entitlement = hub_referral
        "victims.key_event_contact_rate",  # entitlement = key_event_contact
        "victims.key_event_contact_rate.enhanced",  # the same slice, enhanced victims
        "crime.recorded",  # another source
    ]
    assert fuse([get(i) for i in ids], list(range(len(ids)))) == [[0, 1], [2], [3, 4], [5]]


def test_a_nan_value_is_missing_whichever_windows_are_asked_for(wh: Path) -> None:
    # Harm days 10 (Jan), 20 (Feb) and NaN (Mar): NaN is no measurement, so March sums to 0
    # and the three months to 30, whether rolling:3 is asked for alone or with the month.
    con = duckdb.connect(str(wh))
    for i, (at, days) in enumerate(
        [("2019-01-05", "10"), ("2019-02-05", "20"), ("2019-03-05", "'NaN'")]
    ):
        con.execute(
            "INSERT INTO crime_harm (crime_id, recorded_at, month, district_code, area, "
            "offence_code, harm_days, excluded, weighting, domestic_abuse, status) VALUES "
            f"('c{i}', TIMESTAMP '{at}', date_trunc('month', DATE '{at}'), '{CAMBRIDGE}', "
            f"'South', '8N', {days}::DOUBLE, FALSE, 'w', FALSE, 'open')"
        )
    freshness.stamp(con, "harm")  # written here by hand: record it as built from this data
    con.close()
    alone = run(wh, "harm.total_days", window="rolling:3")
    both = run(wh, "harm.total_days", window=["month", "rolling:3"])
    assert values(alone) == {dt.date(2019, 3, 31): 30.0}
    assert values(both[both["window"] == "rolling:3"]) == {dt.date(2019, 3, 31): 30.0}
    assert values(both[both["window"] == "month"])[dt.date(2019, 3, 31)] == 0.0


@pytest.mark.slow
def test_medians_of_several_longer_windows_read_together_match_each_alone(wh: Path) -> None:
    # April to June 2019: immediate 10, 20, 30 minutes and prompt 35, 45, 55, one a month.
    # rolling:2 to June = May + June; the financial year to June = April to June.
    rows = []
    for m, (imm, prm) in enumerate([(10, 35), (20, 45), (30, 55)]):
        day = f"2019-{m + 4:02d}-10"
        rows.append(incident(f"i{m}", f"{day} 10:00", "immediate", f"{day} 10:{imm:02d}"))
        rows.append(incident(f"p{m}", f"{day} 12:00", "prompt", f"{day} 12:{prm:02d}"))
    insert(wh, "incidents", rows)
    ids = ["response.immediate.median_minutes", "response.prompt.median_minutes"]
    windows = ["month", "rolling:2", "fytd"]  # the month too is read with the others
    together = run(wh, ids, window=windows)
    alone = pd.concat([run(wh, i, window=w) for w in windows for i in ids], ignore_index=True)
    pd.testing.assert_frame_equal(together, alone)
    june = together[together["period_end"] == dt.date(2019, 6, 30)].set_index(
        ["measure_id", "window"]
    )["value"]
    assert june[(ids[0], "rolling:2")] == 25.0 and june[(ids[0], "fytd")] == 20.0
    assert june[(ids[1], "rolling:2")] == 50.0 and june[(ids[1], "fytd")] == 45.0
    assert june[(ids[0], "month")] == 30.0 and june[(ids[1], "month")] == 55.0


@pytest.mark.parametrize("copies", [0, 10**12], ids=["value counts", "record join"])
def test_a_median_over_longer_windows_equals_the_records_median_exactly(
    wh: Path, copies: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A longer window's median is read from value counts by month (bounded memory at national
    # scale) or from the records joined to the window's months (faster where values hardly
    # repeat), as the source's size decides: either must be the engine's own median of the
    # window's records, to the last bit, with tied values, odd and even counts,
    # never-attended incidents and empty months.
    monkeypatch.setattr(compute_module, "RECORD_JOIN_COPIES", copies)
    rng = np.random.default_rng(7)
    rows = []
    for i in range(400):
        month = int(rng.integers(1, 13))
        if month == 6:
            continue  # a month with no records
        created = pd.Timestamp(2019, month, int(rng.integers(1, 28)), 9, 0)
        seconds = int(rng.choice([30, 90, 600, 1234, 1234, 3599])) + int(rng.integers(0, 3))
        arrived = None if i % 11 == 0 else str(created + pd.Timedelta(seconds=seconds))
        district = CAMBRIDGE if i % 3 else PETERBOROUGH
        rows.append(incident(f"m{i}", str(created), "immediate", arrived, district=district))
    insert(wh, "incidents", rows)
    got = run(
        wh,
        "response.immediate.median_minutes",
        window=["month", "rolling12", "rolling:3", "fytd"],
        by="district",
    )
    assert len(got) > 20
    con = duckdb.connect(str(wh), read_only=True)
    checked = 0
    try:
        for r in got.itertuples():
            end = pd.Timestamp(r.period_end) + pd.Timedelta(days=1)
            months = {"month": 1, "rolling12": 12, "rolling:3": 3}.get(r.window)
            start = end - pd.DateOffset(months=months) if months else pd.Timestamp(2019, 4, 1)
            if r.window == "fytd" and end <= pd.Timestamp(2019, 4, 1):
                start = pd.Timestamp(2018, 4, 1)
            want, n = con.execute(
                "SELECT median(date_diff('second', created_at, arrived_at)::DOUBLE / 60), "
                "count(arrived_at) FROM incidents JOIN districts USING (district_code) "
                "WHERE grade = 'immediate' AND district_name = ? "
                "AND created_at >= ? AND created_at < ?",
                [r.district, start.to_pydatetime(), end.to_pydatetime()],
            ).fetchone()
            assert r.n == n, r
            assert r.value == want if n else pd.isna(r.value), r
            checked += n > 0
    finally:
        con.close()
    assert checked > 20


def test_a_lone_median_is_counted_by_value_at_force_level_and_beyond_the_copies(
    wh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forcepack.measures.engine import DuckDBEngine

    spec = [get("response.immediate.median_minutes")]
    insert(wh, "incidents", [incident("i1", "2019-04-10 10:00", "immediate", "2019-04-10 10:07")])
    con = duckdb.connect(str(wh), read_only=True)
    try:
        engine = DuckDBEngine(con)
        assert compute_module._by_value(engine, spec, (), {})  # one group a month
        assert not compute_module._by_value(engine, spec, ("district",), {})
        monkeypatch.setattr(compute_module, "RECORD_JOIN_COPIES", 11)  # 1 row x 12 months
        assert compute_module._by_value(engine, spec, ("district",), {})
        fused = [spec[0], get("response.prompt.median_minutes")]
        assert compute_module._by_value(engine, fused, ("district",), {})  # no lone median
    finally:
        con.close()
