"""Numbers and dates are worded as the model board paper words them."""

from __future__ import annotations

import datetime as dt

import pytest

from forcepack.report import format as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1340, "1,340"), (999, "999"), (1340.4, "1,340"), (12345678, "12,345,678")],
)
def test_counts_have_thousands_separators(value: float, expected: str) -> None:
    assert fmt.number(value) == expected


def test_shares_become_percentages_to_one_decimal() -> None:
    # 1,025 of 1,340 respondents: 1025 / 1340 = 0.76493 -> 76.5%
    assert fmt.percent(1025 / 1340) == "76.5%"
    assert fmt.percent(0.54) == "54.0%"
    assert fmt.percent(float("nan")) == "n/a"


def test_minutes_are_whole_and_singular_when_one() -> None:
    assert fmt.minutes(18.2) == "18 minutes"
    assert fmt.minutes(104.6) == "105 minutes"
    assert fmt.minutes(1.0) == "1 minute"


def test_dates_and_windows_read_as_in_the_paper() -> None:
    d = dt.date(2019, 12, 31)
    assert fmt.month(d) == "December 2019"
    assert fmt.window(d) == "12 months ending December 2019"
    assert fmt.window(d, 9) == "9 months ending December 2019"
    assert fmt.long_date(dt.date(2020, 2, 25)) == "25th February 2020"
    assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
    ]


def test_month_arithmetic_lands_on_month_ends() -> None:
    assert fmt.parse_month("2019-12") == dt.date(2019, 12, 31)
    assert fmt.add_months(dt.date(2019, 12, 31), -3) == dt.date(2019, 9, 30)
    assert fmt.add_months(dt.date(2019, 12, 31), -10) == dt.date(2019, 2, 28)
    assert fmt.add_months(dt.date(2019, 12, 31), 2) == dt.date(2020, 2, 29)
    with pytest.raises(ValueError, match="YYYY-MM"):
        fmt.parse_month("Dec 2019")


def test_lists_join_with_and() -> None:
    assert fmt.join(["Cambridge"]) == "Cambridge"
    assert fmt.join(["Cambridge", "East Cambridgeshire"]) == "Cambridge and East Cambridgeshire"
    assert fmt.join(["a", "b", "c"]) == "a, b and c"
