"""The demo force reproduces the model board paper's December 2019 figures.

Each figure of docs/calibration.md is measured here with plain SQL written for this test (not
through the generator's code or the measure engine), with the tolerances of that table:
percentages within 1.0 point, medians within 3 minutes, counts and comparisons as stated.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from forcepack.warehouse import connect

PCT = 1.0  # percentage points
MINUTES = 3.0


@pytest.fixture(scope="module")
def con(demo_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect(demo_warehouse)
    yield c
    c.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return row


def satisfied(
    con: duckdb.DuckDBPyConnection,
    question: str,
    survey: str,
    first: str,
    last: str,
    where: str = "TRUE",
) -> tuple[float, int]:
    """Share (%) answering 1-3 among those who answered, interviews in [first, last] months."""
    pct, n = one(
        con,
        f"""
        SELECT 100.0 * count(*) FILTER (WHERE {question} BETWEEN 1 AND 3) / count({question}),
               count({question})
        FROM survey_responses s JOIN districts d USING (district_code)
        WHERE survey = ? AND date_trunc('month', interviewed_at) BETWEEN ?::DATE AND ?::DATE
          AND {where}
        """,
        [survey, f"{first}-01", f"{last}-01"],
    )
    return float(pct), int(n)


def test_01_victims_surveyed_12_months_to_dec_2019(con: duckdb.DuckDBPyConnection) -> None:
    (n,) = one(
        con,
        """SELECT count(*) FROM survey_responses WHERE survey = 'victim'
                       AND interviewed_at >= '2019-01-01' AND interviewed_at < '2020-01-01'""",
    )
    assert abs(n - 1340) <= 10


@pytest.mark.parametrize(
    ("first", "last", "seed_value"),
    [("2019-01", "2019-12", 76.5), ("2018-01", "2018-12", 79.2), ("2018-10", "2019-09", 77.5)],
)
def test_02_overall_satisfaction(
    con: duckdb.DuckDBPyConnection, first: str, last: str, seed_value: float
) -> None:
    pct, _ = satisfied(con, "overall", "victim", first, last)
    assert abs(pct - seed_value) <= PCT


def test_03_follow_up_discrete_months_oct_to_dec_2019(con: duckdb.DuckDBPyConnection) -> None:
    values = [
        satisfied(con, "follow_up", "victim", m, m)[0] for m in ("2019-10", "2019-11", "2019-12")
    ]
    assert abs(min(values) - 61.3) <= PCT
    assert abs(max(values) - 71.3) <= PCT


@pytest.mark.parametrize(
    ("first", "last", "seed_pct", "seed_n"),
    [("2018-10", "2019-09", 93.3, 945), ("2019-01", "2019-12", 92.3, 915)],
)
def test_04_ease_of_contact(
    con: duckdb.DuckDBPyConnection, first: str, last: str, seed_pct: float, seed_n: int
) -> None:
    pct, n = satisfied(con, "ease_of_contact", "victim", first, last)
    assert abs(pct - seed_pct) <= PCT
    assert abs(n - seed_n) <= 10


def test_05_burglary_overall(con: duckdb.DuckDBPyConnection) -> None:
    pct, _ = satisfied(con, "overall", "victim", "2019-01", "2019-12", "crime_group = 'burglary'")
    assert abs(pct - 84.3) <= PCT


def test_06_burglary_follow_up(con: duckdb.DuckDBPyConnection) -> None:
    burglary = "crime_group = 'burglary'"
    dec, _ = satisfied(con, "follow_up", "victim", "2019-01", "2019-12", burglary)
    sep, _ = satisfied(con, "follow_up", "victim", "2018-10", "2019-09", burglary)
    assert abs(dec - 78.7) <= PCT
    assert abs(sep - 75.6) <= PCT
    north, _ = satisfied(
        con, "follow_up", "victim", "2019-01", "2019-12", burglary + " AND d.area = 'North'"
    )
    south, _ = satisfied(
        con, "follow_up", "victim", "2019-01", "2019-12", burglary + " AND d.area = 'South'"
    )
    assert north > south


def test_07_domestic_abuse_survey_apr_to_dec_2019(con: duckdb.DuckDBPyConnection) -> None:
    overall, n_overall = satisfied(con, "overall", "domestic_abuse", "2019-04", "2019-12")
    follow_up, n_follow = satisfied(con, "follow_up", "domestic_abuse", "2019-04", "2019-12")
    assert abs(overall - 81.8) <= PCT and abs(n_overall - 162) <= 5
    assert abs(follow_up - 59.4) <= PCT and abs(n_follow - 111) <= 5


def response_median(
    con: duckdb.DuckDBPyConnection, grade: str, month: str, where: str = "TRUE"
) -> float:
    (m,) = one(
        con,
        f"""
        SELECT median(date_diff('second', created_at, arrived_at) / 60.0)
        FROM incidents i JOIN call_types t USING (call_type_code)
             JOIN districts d USING (district_code)
        WHERE grade = ? AND arrived_at IS NOT NULL
          AND date_trunc('month', created_at) = ?::DATE AND {where}
        """,
        [grade, f"{month}-01"],
    )
    return float(m)


def test_08_median_response_dec_2019(con: duckdb.DuckDBPyConnection) -> None:
    assert abs(response_median(con, "immediate", "2019-12") - 18) <= MINUTES
    assert abs(response_median(con, "prompt", "2019-12") - 105) <= MINUTES


def test_09_share_graded_immediate_dec_2019(con: duckdb.DuckDBPyConnection) -> None:
    (share,) = one(
        con,
        """
        SELECT count(*) FILTER (WHERE grade = 'immediate') / count(*)
        FROM incidents WHERE grade IN ('immediate', 'prompt')
          AND created_at >= '2019-12-01' AND created_at < '2020-01-01'""",
    )
    assert share > 2 / 3


def test_10_prompt_median_burglary_and_domestic_abuse(con: duckdb.DuckDBPyConnection) -> None:
    burglary = response_median(con, "prompt", "2019-12", "category = 'burglary_dwelling'")
    domestic = response_median(con, "prompt", "2019-12", "category = 'domestic_abuse'")
    assert abs(burglary - 191) <= MINUTES
    assert abs(domestic - 249) <= MINUTES
    north = response_median(
        con, "prompt", "2019-12", "category = 'burglary_dwelling' AND area = 'North'"
    )
    south = response_median(
        con, "prompt", "2019-12", "category = 'burglary_dwelling' AND area = 'South'"
    )
    assert north > south


def resourcing_shares(con: duckdb.DuckDBPyConnection, month: str) -> dict[str, float]:
    rows = con.execute(
        """
        SELECT category,
               100.0 * count(*) FILTER (WHERE delay_reason = 'resource_unavailable') / count(*)
        FROM incidents JOIN call_types USING (call_type_code)
        WHERE arrived_at IS NOT NULL AND date_trunc('month', created_at) = ?::DATE
          AND ((grade = 'immediate' AND date_diff('second', created_at, arrived_at) > 15 * 60)
            OR (grade = 'prompt' AND date_diff('second', created_at, arrived_at) > 60 * 60))
        GROUP BY category
        """,
        [f"{month}-01"],
    ).fetchall()
    return {k: float(v) for k, v in rows}


def test_11_domestic_abuse_delays_citing_resources(con: duckdb.DuckDBPyConnection) -> None:
    nov, dec = resourcing_shares(con, "2019-11"), resourcing_shares(con, "2019-12")
    assert abs(nov["domestic_abuse"] - 54.0) <= PCT
    assert abs(dec["domestic_abuse"] - 54.0) <= PCT
    assert max(dec, key=lambda k: dec[k]) == "domestic_abuse"


def recorded(con: duckdb.DuckDBPyConnection, first: str, last: str, where: str = "TRUE") -> int:
    (n,) = one(
        con,
        f"""
        SELECT count(*) FROM crimes c JOIN districts d USING (district_code)
        WHERE status <> 'cancelled' AND {where}
          AND date_trunc('month', recorded_at) BETWEEN ?::DATE AND ?::DATE""",
        [f"{first}-01", f"{last}-01"],
    )
    return int(n)


def test_12_recorded_crime_fell_nov_to_dec_peterborough_only_rise(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert recorded(con, "2019-12", "2019-12") < recorded(con, "2019-11", "2019-11")
    rows = con.execute("""
        SELECT district_name,
               count(*) FILTER (WHERE date_trunc('month', recorded_at) = '2019-12-01'),
               count(*) FILTER (WHERE date_trunc('month', recorded_at) = '2019-11-01')
        FROM crimes JOIN districts USING (district_code)
        WHERE status <> 'cancelled' GROUP BY district_name""").fetchall()
    rose = sorted(name for name, dec, nov in rows if dec > nov)
    assert rose == ["Peterborough"]


def test_13_dec_2019_over_700_above_dec_2018(con: duckdb.DuckDBPyConnection) -> None:
    diff = recorded(con, "2019-12", "2019-12") - recorded(con, "2018-12", "2018-12")
    assert 700 <= diff <= 799


def monthly_recorded(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("""
        SELECT strftime(date_trunc('month', recorded_at), '%Y-%m'), count(*)
        FROM crimes WHERE status <> 'cancelled' GROUP BY 1 ORDER BY 1""").fetchall()
    return {m: int(n) for m, n in rows}


def significantly_higher(series: dict[str, int], last: str) -> bool:
    """Rolling 12-month total above 12*mu + 3*sqrt(12)*sigma of the 36 months before.

    Worked example of the rule: with a baseline mean of 5,000 crimes a month and a mean moving
    range of 225.6 (sigma = 225.6 / 1.128 = 200), the limit is 60,000 + 3 * 3.464 * 200 =
    62,078, so a 12-month total of 62,100 is significantly higher and 62,000 is not.
    """
    months = list(series)
    end = months.index(last)
    window = [series[m] for m in months[end - 11 : end + 1]]
    base = [series[m] for m in months[end - 47 : end - 11]]
    assert len(base) == 36
    mu = sum(base) / 36
    sigma = sum(abs(b - a) for a, b in itertools.pairwise(base)) / 35 / 1.128
    return sum(window) > 12 * mu + 3 * math.sqrt(12) * sigma


def test_14_rolling_total_against_long_term_benchmark(con: duckdb.DuckDBPyConnection) -> None:
    series = monthly_recorded(con)
    assert significantly_higher(series, "2019-12")
    assert significantly_higher(series, "2019-11")
    assert not significantly_higher(series, "2019-10")


@pytest.mark.parametrize("district", ["Cambridge", "East Cambridgeshire"])
def test_15_double_digit_year_on_year_growth(con: duckdb.DuckDBPyConnection, district: str) -> None:
    where = f"district_name = '{district}'"
    now = recorded(con, "2019-01", "2019-12", where)
    before = recorded(con, "2018-01", "2018-12", where)
    assert now / before - 1 >= 0.10


def test_16_domestic_abuse_dec_2019_highest_on_record(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        SELECT strftime(date_trunc('month', recorded_at), '%Y-%m') AS m, count(*)
        FROM crimes WHERE status <> 'cancelled' AND domestic_abuse GROUP BY m""").fetchall()
    counts = dict(rows)
    assert counts["2019-12"] > 1000
    assert counts["2019-12"] == max(counts.values())
    assert sum(1 for v in counts.values() if v == counts["2019-12"]) == 1


def test_17_child_sexual_abuse_about_doubled(con: duckdb.DuckDBPyConnection) -> None:
    dec19 = recorded(con, "2019-12", "2019-12", "child_sexual_abuse")
    dec18 = recorded(con, "2018-12", "2018-12", "child_sexual_abuse")
    assert 1.8 <= dec19 / dec18 <= 2.2


def pp_rate(con: duckdb.DuckDBPyConnection, first: str, last: str) -> float:
    (rate,) = one(
        con,
        """
        SELECT 100.0 * count(*) FILTER (WHERE o.prosecution_possible) / count(*)
        FROM crimes c JOIN outcome_types o USING (outcome_code)
        WHERE c.outcome_code IS NOT NULL
          AND date_trunc('month', c.outcome_at) BETWEEN ?::DATE AND ?::DATE""",
        [f"{first}-01", f"{last}-01"],
    )
    return float(rate)


def test_18_prosecution_possible_dec_2019_highest_of_year(con: duckdb.DuckDBPyConnection) -> None:
    dec = pp_rate(con, "2019-12", "2019-12")
    assert abs(dec - 11.7) <= PCT
    others = [pp_rate(con, f"2019-{m:02d}", f"2019-{m:02d}") for m in range(1, 12)]
    assert dec > max(others)


def test_19_prosecution_possible_rolling_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    nov = pp_rate(con, "2018-12", "2019-11")
    dec = pp_rate(con, "2019-01", "2019-12")
    assert abs(nov - 9.7) <= PCT and abs(dec - 9.7) <= PCT
    assert round(nov, 1) == round(dec, 1)


def test_20_101_calls_dec_2019_lowest_month(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        SELECT strftime(date_trunc('month', offered_at), '%Y-%m') AS m, count(*)
        FROM calls WHERE line = '101' GROUP BY m""").fetchall()
    counts = dict(rows)
    assert counts["2019-12"] == min(counts.values())
    assert sum(1 for v in counts.values() if v == counts["2019-12"]) == 1


def test_21_999_calls_rose_nov_to_dec_2019(con: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        con.execute("""
        SELECT strftime(date_trunc('month', offered_at), '%Y-%m') AS m, count(*)
        FROM calls WHERE line = '999' AND offered_at >= '2019-11-01'
          AND offered_at < '2020-01-01' GROUP BY m""").fetchall()
    )
    assert rows["2019-12"] > rows["2019-11"]
