"""Crime Harm Index scoring: worked examples for harm per crime, victim, offender, place and
month, the 12-month window, exclusions, concentration and repeat victimisation (totals and
shares through the catalogue's harm.* measures over the built tables)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from forcepack import harm
from forcepack.errors import DataError, InputError
from forcepack.harm import Exclusions, Level
from forcepack.harm.score import window
from forcepack.measures import compute
from forcepack.summaries import harm_summary
from harm_helpers import CAMBRIDGE, PETERBOROUGH, add_crime, new_warehouse

# Default weights used below (harm/weights/default_chi.csv):
ABH, BURGLARY, COMMON, RAPE, CANNABIS = 30.0, 273.5, 2.0, 1825.0, 1.0

# Ibis 12 reads DuckDB 2.0 schemas through a relation method DuckDB now marks deprecated; the
# warning comes from the libraries, not from forcepack, and does not change any result.
pytestmark = pytest.mark.filterwarnings(
    "ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning"
)


def _catalogue(con: duckdb.DuckDBPyConnection, measure: str, month: str) -> float | None:
    """A harm.* measure over the 12 months to ``month``, as the summaries and the paper read it."""
    df = compute(measure, con=con, window="rolling12", months=[month], cache_results=False)
    (value,) = df["value"]
    return None if pd.isna(value) else float(value)


def total_days(con: duckdb.DuckDBPyConnection, month: str) -> float | None:
    return _catalogue(con, "harm.total_days", month)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Five crimes in the 12 months to December 2019 and three outside it.

    | crime | recorded         | offence      | harm   | place            | victims | suspects |
    |-------|------------------|--------------|--------|------------------|---------|----------|
    | A     | 2019-01-01 00:00 | 8N ABH       | 30     | CAM1, LSOA L1    | V1      | P1       |
    | B     | 2019-06-15       | 28E burglary | 273.5  | CAM1, LSOA L2    | V1, V2  | P1, P2   |
    | C     | 2019-12-31 23:59 | 105A common  | 2      | CAM2             | V3      | -        |
    | D     | 2019-12-10       | 19C rape     | 1825   | PBO1 (North)     | V4      | P3       |
    | E     | 2019-12-11       | 92E cannabis | 1      | PBO1             | -       | P4       |
    | X     | 2018-12-31 23:59 | 8N           | 30     | before the window| V1      |          |
    | Y     | 2020-01-01 00:00 | 8N           | 30     | after the window | V1      |          |
    | Z     | 2019-05-01       | 19C (cancelled)                             | V2      |          |
    """
    c = new_warehouse(tmp_path / "w.duckdb")
    add_crime(
        c,
        "A",
        "2019-01-01 00:00",
        "8N",
        lsoa="L1",
        victims=("V1",),
        suspects=("P1",),
        domestic_abuse=True,
    )
    add_crime(
        c, "B", "2019-06-15 12:00", "28E", lsoa="L2", victims=("V1", "V2"), suspects=("P1", "P2")
    )
    add_crime(c, "C", "2019-12-31 23:59", "105A", neighbourhood="CAM2", victims=("V3",))
    add_crime(
        c,
        "D",
        "2019-12-10 09:00",
        "19C",
        district=PETERBOROUGH,
        neighbourhood="PBO1",
        victims=("V4",),
        suspects=("P3",),
        status="finalised",
    )
    add_crime(
        c,
        "E",
        "2019-12-11 09:00",
        "92E",
        district=PETERBOROUGH,
        neighbourhood="PBO1",
        suspects=("P4",),
    )
    add_crime(c, "X", "2018-12-31 23:59", "8N", victims=("V1",))
    add_crime(c, "Y", "2020-01-01 00:00", "8N", victims=("V1",))
    add_crime(c, "Z", "2019-05-01 10:00", "19C", victims=("V2",), status="cancelled")
    return c


def test_window_is_twelve_calendar_months_inclusive() -> None:
    assert window("2019-12") == (dt.date(2019, 1, 1), dt.date(2020, 1, 1))
    assert window("2020-02", 3) == (dt.date(2019, 12, 1), dt.date(2020, 3, 1))
    with pytest.raises(InputError, match="YYYY-MM"):
        window("2019-13")


def test_harm_per_crime_and_totals(con: duckdb.DuckDBPyConnection) -> None:
    per_crime = {k: h for k, h, _ in harm.harm_by(con, Level.CRIME, "2019-12")}
    # A, B, C, D in the window; E is a proactive offence (excluded); X, Y outside; Z cancelled
    assert per_crime == {"A": ABH, "B": BURGLARY, "C": COMMON, "D": RAPE}
    harm.build(con)
    assert total_days(con, "2019-12") == pytest.approx(30 + 273.5 + 2 + 1825)
    # the window ending November drops C and D (December) and keeps X (December 2018)
    assert total_days(con, "2019-11") == pytest.approx(30 + 30 + 273.5)


def test_harm_per_victim_counts_each_victims_whole_crime(con: duckdb.DuckDBPyConnection) -> None:
    victims = harm.harm_by(con, Level.VICTIM, "2019-12")
    # V4: rape 1825; V1: ABH 30 + burglary 273.5 = 303.5; V2: burglary 273.5 (Z cancelled);
    # V3: common assault 2. B's two victims each suffer its whole 273.5.
    assert victims == [("V4", RAPE, 1), ("V1", 303.5, 2), ("V2", BURGLARY, 1), ("V3", COMMON, 1)]


def test_harm_per_offender(con: duckdb.DuckDBPyConnection) -> None:
    assert harm.harm_by(con, "offender", "2019-12") == [
        ("P3", RAPE, 1),
        ("P1", 303.5, 2),
        ("P2", BURGLARY, 1),
    ]  # P4's cannabis is excluded


def test_harm_per_place_district_area_and_month(con: duckdb.DuckDBPyConnection) -> None:
    assert harm.harm_by(con, "neighbourhood", "2019-12") == [
        ("PBO1", RAPE, 1),
        ("CAM1", 303.5, 2),
        ("CAM2", COMMON, 1),
    ]
    assert harm.harm_by(con, "lsoa", "2019-12") == [
        ("L2", BURGLARY, 1),
        ("L1", ABH, 1),
        (None, 1827.0, 2),
    ]
    assert harm.harm_by(con, "district", "2019-12") == [
        (PETERBOROUGH, RAPE, 1),
        (CAMBRIDGE, 305.5, 3),
    ]
    assert harm.harm_by(con, "area", "2019-12") == [("North", RAPE, 1), ("South", 305.5, 3)]
    assert harm.harm_by(con, "month", "2019-12") == [
        (dt.date(2019, 1, 1), ABH, 1),
        (dt.date(2019, 6, 1), BURGLARY, 1),
        (dt.date(2019, 12, 1), 1827.0, 2),
    ]


def test_built_tables_give_the_same_scores_as_on_the_fly(con: duckdb.DuckDBPyConnection) -> None:
    before = {lvl: harm.harm_by(con, lvl, "2019-12") for lvl in Level}
    result = harm.build(con)
    assert result.crimes == 7  # eight crimes, Z cancelled
    assert result.excluded == 1  # E, proactive
    assert result.victim_rows == 7 and result.offender_rows == 5
    assert {lvl: harm.harm_by(con, lvl, "2019-12") for lvl in Level} == before
    reason = con.execute("SELECT exclusion_reason FROM crime_harm WHERE crime_id = 'E'").fetchone()
    assert reason == ("proactive",)


def test_stale_harm_tables_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    harm.build(con)
    add_crime(con, "N", "2019-12-30 10:00", "8N", victims=("V1",))  # recorded after the build
    with pytest.raises(DataError, match="harm build"):
        harm.harm_by(con, "area", "2019-12")
    with pytest.raises(DataError, match="harm tables"):
        total_days(con, "2019-12")
    harm.build(con)
    assert total_days(con, "2019-12") == pytest.approx(2130.5 + ABH)


def test_late_reports_are_excluded(con: duckdb.DuckDBPyConnection) -> None:
    # recorded 2019-12-20, happened 366 days earlier: over the 365-day default
    add_crime(con, "L", "2019-12-20 10:00", "20A", occurred_at="2018-12-19 10:00", victims=("V9",))
    # recorded 365 days after: on the limit, kept
    add_crime(con, "K", "2019-12-20 10:00", "20A", occurred_at="2018-12-20 10:00", victims=("V8",))
    harm.build(con)
    rows = dict(
        con.execute(
            "SELECT crime_id, exclusion_reason FROM crime_harm WHERE crime_id IN ('L', 'K')"
        ).fetchall()
    )
    assert rows == {"L": "late_report", "K": None}
    assert "V9" not in [v for v, _, _ in harm.harm_by(con, "victim", "2019-12")]


def test_exclusions_are_configurable(con: duckdb.DuckDBPyConnection) -> None:
    harm.build(con, exclusions=Exclusions.none())
    assert total_days(con, "2019-12") == pytest.approx(30 + 273.5 + 2 + 1825 + CANNABIS)
    harm.build(con, exclusions=Exclusions(frozenset({"19C"}), None))  # leave rape out
    assert total_days(con, "2019-12") == pytest.approx(30 + 273.5 + 2 + 1)


def test_repeat_victim_share(con: duckdb.DuckDBPyConnection) -> None:
    # In the window V1's burglary B (June) follows ABH A (January): a repeat. V1's crime A
    # follows X (2018-12-31 23:59), under 12 months earlier: also a repeat.
    # Repeat harm = 30 (A) + 273.5 (B, V1) = 303.5; all victim harm = 30 + 273.5 * 2 + 2 + 1825
    harm.build(con)
    share = _catalogue(con, "harm.repeat_victim_share", "2019-12")
    assert share == pytest.approx(303.5 / 2404.0)
    flags = dict(
        con.execute("SELECT crime_id || victim_id, repeat_victim FROM victim_harm").fetchall()
    )
    assert flags["AV1"] and flags["BV1"] and flags["YV1"]
    assert not flags["XV1"] and not flags["BV2"] and not flags["DV4"]


def test_concentration_worked_example(tmp_path: Path) -> None:
    # 100 victims: one of a rape (1825), four of burglary (273.5 each), 95 of common assault (2)
    # top 1% = 1 victim: 1825 / (1825 + 4 x 273.5 + 95 x 2) = 1825 / 3109
    # top 5% = 5 victims: (1825 + 1094) / 3109
    c = new_warehouse(tmp_path / "c.duckdb")
    add_crime(c, "R", "2019-05-01 10:00", "19C", victims=("V000",))
    for i in range(1, 5):
        add_crime(c, f"B{i}", "2019-05-01 10:00", "28E", victims=(f"V{i:03d}",))
    for i in range(5, 100):
        add_crime(c, f"C{i}", "2019-05-01 10:00", "105A", victims=(f"V{i:03d}",))
    conc = harm.concentration(c, "2019-12")
    assert (conc.victims, conc.harm_days) == (100, pytest.approx(3109.0))
    assert (conc.top_1pct_victims, conc.top_5pct_victims) == (1, 5)
    assert conc.top_1pct_share == pytest.approx(1825 / 3109)
    assert conc.top_5pct_share == pytest.approx((1825 + 4 * 273.5) / 3109)


def test_concentration_of_an_empty_window_is_none(con: duckdb.DuckDBPyConnection) -> None:
    conc = harm.concentration(con, "2010-01")
    assert conc.victims == 0 and conc.top_1pct_share is None and conc.top_5pct_share is None


def test_summary_has_aggregates_and_no_person_ids(con: duckdb.DuckDBPyConnection) -> None:
    harm.build(con)
    s = harm_summary(con, "2019-12", top=1)
    assert s.total_days == pytest.approx(2130.5)
    assert s.per_1000 == pytest.approx(2130.5 / s.population * 1000)
    areas = {p.code: p for p in s.areas}
    assert areas["North"].harm_days == RAPE and areas["South"].crimes == 3
    # lists of top 1 per neighbourhood: CAM1 (V1 and V2, capped at 1), CAM2 (V3) -> South 2
    assert areas["South"].victims_on_lists == 2 and areas["North"].victims_on_lists == 1
    assert (s.victims, s.repeat_victims) == (4, 1)  # V1 had two crimes in the window
    assert "V1" not in repr(s) and "P1" not in repr(s)
