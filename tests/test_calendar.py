"""The reporting calendar: one month type, one parser and one message for a bad month."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forcepack import calendar as cal
from forcepack.calendar import Month
from forcepack.errors import InputError

months = st.builds(Month, st.integers(1900, 2200), st.integers(1, 12))


def test_parse_and_print() -> None:
    assert cal.parse("2019-12") == Month(2019, 12)
    assert cal.parse(" 2019-02 ") == Month(2019, 2)
    assert cal.parse(dt.date(2019, 12, 31)) == Month(2019, 12)
    assert cal.parse(dt.datetime(2019, 12, 31, 23, 59)) == Month(2019, 12)
    assert str(Month(2019, 4)) == "2019-04"


@pytest.mark.parametrize(
    "bad", ["2019-13", "2019-00", "2019-1", "19-12", "Dec 2019", "", "2019-12-01"]
)
def test_a_bad_month_gets_one_message(bad: str) -> None:
    with pytest.raises(InputError, match=r'--month ".*" is not a month; give it as YYYY-MM'):
        cal.parse(bad, "--month")


def test_month_ends_and_leap_years() -> None:
    assert Month(2020, 2).last == dt.date(2020, 2, 29)
    assert Month(2019, 2).last == dt.date(2019, 2, 28)
    assert Month(1900, 2).last == dt.date(1900, 2, 28)
    assert Month(2019, 12).end == dt.date(2020, 1, 1)
    assert cal.last_day(dt.date(2019, 11, 5)) == dt.date(2019, 11, 30)


def test_financial_year_starts_in_april() -> None:
    assert Month(2019, 12).fy_start == Month(2019, 4)
    assert Month(2020, 3).fy_start == Month(2019, 4)
    assert Month(2019, 4).fy_start == Month(2019, 4)
    assert cal.fy_start(dt.date(2020, 1, 15)) == dt.date(2019, 4, 1)


def test_labels() -> None:
    assert Month(2019, 12).label == "December 2019"
    assert Month(2019, 12).window_label() == "12 months ending December 2019"
    assert Month(2019, 12).window_label(9) == "9 months ending December 2019"


@given(months, st.integers(-3000, 3000))
def test_adding_months_is_exact_arithmetic(m: Month, n: int) -> None:
    later = m + n
    assert later.since(m) == n
    assert later - n == m
    assert later.first.day == 1
    assert (later.last + dt.timedelta(days=1)) == later.end == (later + 1).first


@given(months, st.integers(0, 40))
def test_ranges_are_inclusive_and_consecutive(m: Month, n: int) -> None:
    run = cal.months(m, m + n)
    assert len(run) == n + 1 and run[0] == m and run[-1] == m + n
    assert all(b.since(a) == 1 for a, b in itertools.pairwise(run))
    assert cal.span(m.first, (m + n).last) == [x.first for x in run]
    assert cal.months(m + 1, m) == []


def test_quarters_are_calendar_quarters() -> None:
    assert [Month(2019, m).quarter for m in range(1, 13)] == [1] * 3 + [2] * 3 + [3] * 3 + [4] * 3


@given(months)
def test_a_label_reads_back_as_its_month(m: Month) -> None:
    assert Month.from_label(m.label) == m


@pytest.mark.parametrize("bad", ["Dec 2019", "december 2019", "2019-12", "December", "Smarch 2019"])
def test_a_bad_label_is_refused(bad: str) -> None:
    with pytest.raises(InputError, match="is not a month label"):
        Month.from_label(bad)
