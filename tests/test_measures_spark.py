"""The same catalogue on a local Spark session gives the same results as DuckDB.

A small warehouse covers every kind (count, sum, share, rate, median, mean, per_1000, latest)
and every window (month, rolling:N, fytd), with a missing month, a clock change, an empty group,
a zero denominator and the crime-flag cut. Run with ``pytest -m spark`` (CI does).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack.measures import compute
from forcepack.measures.dimensions import CRIME_FLAGS as FLAGS
from forcepack.measures.spec import parse_measure

pytestmark = [
    pytest.mark.spark,
    # Spark's Python worker leaves its py4j sockets to the JVM to close; Python reports them as
    # unclosed when they are collected. Nothing of ours is leaked.
    pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

CAMBRIDGE, PETERBOROUGH = "E07000008", "E06000031"


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    con.register("_rows", pd.DataFrame(rows))
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    con.unregister("_rows")


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = create_force(tmp_path_factory.mktemp("spark") / "spark.duckdb")
    con = duckdb.connect(str(db))
    crimes, incidents = [], []
    months = [m for m in pd.period_range("2018-03", "2019-06", freq="M") if str(m) != "2018-11"]
    for i, m in enumerate(months):  # November 2018 has no records at all
        for j in range(1 + i % 4):
            at = m.to_timestamp() + pd.Timedelta(days=j * 3, hours=j)
            crimes.append(
                {
                    "crime_id": f"c{i}-{j}",
                    "recorded_at": at,
                    "offence_code": "8N",
                    "district_code": PETERBOROUGH if j % 2 else CAMBRIDGE,
                    "status": "finalised" if j % 3 == 0 else "open",
                    "outcome_code": (1, 14, 2)[j % 3] if j % 3 == 0 or j == 2 else None,
                    "outcome_at": at + pd.Timedelta(days=20) if j % 3 == 0 or j == 2 else pd.NaT,
                    **{f: (j + k) % 3 == 0 for k, f in enumerate(FLAGS)},
                }
            )
            grade = ("immediate", "prompt", "scheduled")[j % 3]
            incidents.append(
                {
                    "incident_id": f"i{i}-{j}",
                    "created_at": at,
                    "grade": grade,
                    "call_type_code": ("DOM", "BURD", "ASLT")[(i + j) % 3],
                    "district_code": CAMBRIDGE,
                    "source": "999",
                    "arrived_at": at + pd.Timedelta(minutes=7 + 11 * j + i),
                    "delay_reason": "resource_unavailable" if j == 1 else None,
                }
            )
    # 31 March 2019: 00:50 GMT -> 02:10 BST is 20 real minutes
    incidents.append(
        {
            "incident_id": "dst",
            "created_at": pd.Timestamp("2019-03-31 00:50"),
            "grade": "immediate",
            "call_type_code": "DOM",
            "district_code": CAMBRIDGE,
            "source": "999",
            "arrived_at": pd.Timestamp("2019-03-31 02:10"),
        }
    )
    _insert(con, "crimes", crimes)
    _insert(con, "incidents", incidents)
    _insert(
        con,
        "qa_backlog",
        [
            {
                "snapshot_date": m.to_timestamp().date() + pd.Timedelta(days=d),
                "crimes_awaiting_qa": 10 * d + i,
            }
            for i, m in enumerate(months)
            for d in (3, 20)
        ],
    )
    con.close()
    return db


@pytest.fixture(scope="module", autouse=True)
def spark_session() -> Iterator[None]:
    from forcepack.measures import spark

    yield
    spark.stop()


SUM = parse_measure(
    "t.sum_minutes",
    {
        "title": "t",
        "definition": "d",
        "kind": "sum",
        "source": "incidents",
        "date": "created_at",
        "polarity": "neutral",
        "unit": "minutes",
        "column": "minutes_to_arrival",
        "dimensions": ["area"],
    },
)

CASES = [
    # (window, by, ids): every kind appears, every window appears
    (
        "month",
        (),
        [
            "crime.recorded",
            SUM,
            "response.immediate_share",
            "outcomes.prosecution_possible_rate",
            "response.immediate.median_minutes",
            "investigations.average_length_days",
            "crime.recorded_per_1000",
            "demand.qa_backlog",
        ],
    ),
    (
        "rolling:3",
        ("area",),
        [
            "crime.recorded",
            "response.delay_resourcing_share",
            "response.immediate.median_minutes",
            "crime.recorded_per_1000",
        ],
    ),
    ("fytd", ("crime_flag",), ["outcomes.prosecution_possible_rate", "crime.recorded"]),
    (  # several windows at once: longer windows rolled up from the month's parts, medians not
        ["month", "rolling12", "fytd"],
        ("call_type_category",),
        [
            "response.immediate.median_minutes",
            "response.prompt.median_minutes",
            "response.immediate_share",
            "response.delay_resourcing_share",
        ],
    ),
]


@pytest.mark.parametrize(("window", "by", "ids"), CASES, ids=[str(c[0]) for c in CASES])
def test_spark_matches_duckdb(wh: Path, window: Any, by: tuple[str, ...], ids: list) -> None:
    expected = compute(ids, db=wh, window=window, by=by, cache_results=False)
    got = compute(ids, db=wh, window=window, by=by, backend="pyspark", cache_results=False)
    assert len(expected) > 0 and expected["value"].notna().any()
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12)
