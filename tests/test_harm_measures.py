"""The harm.* catalogue measures: declared, and worked examples of their figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from forcepack import harm
from forcepack.measures import catalogue, compute
from harm_helpers import PETERBOROUGH, add_crime, new_warehouse

# Ibis 12 reads DuckDB 2.0 schemas through a relation method DuckDB now marks deprecated; the
# warning comes from the libraries, not from forcepack, and does not change any result.
IBIS_ON_DUCKDB_2 = pytest.mark.filterwarnings(
    "ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning"
)

HARM_MEASURES = ("harm.total_days", "harm.per_1000", "harm.repeat_victim_share")


def test_harm_measures_are_in_the_catalogue() -> None:
    specs = catalogue()
    for mid in HARM_MEASURES:
        assert mid in specs, mid
        assert specs[mid].source in ("crime_harm", "victim_harm")


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = new_warehouse(tmp_path / "w.duckdb")
    add_crime(c, "A", "2019-01-10 10:00", "8N", victims=("V1",))  # 30
    add_crime(c, "B", "2019-06-10 10:00", "28E", victims=("V1", "V2"))  # 273.5, V1 repeat
    add_crime(
        c,
        "C",
        "2019-12-10 10:00",
        "19C",
        victims=("V3",),
        district=PETERBOROUGH,
        neighbourhood="PBO1",
    )  # 1825
    add_crime(c, "D", "2019-12-11 10:00", "92E", victims=())  # proactive: excluded
    harm.build(c)
    return c


@IBIS_ON_DUCKDB_2
def test_measures_worked_example(con: duckdb.DuckDBPyConnection) -> None:
    df = compute(
        list(HARM_MEASURES), con=con, window="rolling12", months=["2019-12"], cache_results=False
    )
    got = dict(zip(df["measure_id"], df["value"], strict=True))
    total = 30 + 273.5 + 1825  # = 2128.5
    assert got["harm.total_days"] == pytest.approx(total)
    population = con.execute("SELECT sum(population) FROM districts").fetchone()[0]  # type: ignore[index]
    assert got["harm.per_1000"] == pytest.approx(total / population * 1000)
    # victim harm: A 30 (V1), B 273.5 x 2 (V1 repeat, V2), C 1825 -> repeat 273.5 / 2402
    assert got["harm.repeat_victim_share"] == pytest.approx(273.5 / 2402)
    assert set(df["period_end"]) == {dt.date(2019, 12, 31)}


@IBIS_ON_DUCKDB_2
def test_total_by_area(con: duckdb.DuckDBPyConnection) -> None:
    df = compute(
        "harm.total_days",
        con=con,
        window="rolling12",
        months=["2019-12"],
        by="area",
        cache_results=False,
    )
    by_area = dict(zip(df["area"], df["value"], strict=True))
    assert by_area == {"North": pytest.approx(1825), "South": pytest.approx(303.5)}
