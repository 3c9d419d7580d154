"""England and Wales working days: worked examples at bank holidays, weekends and clock changes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forcepack.compliance.calendar import (
    add_working_days,
    bank_holidays,
    calendar_frame,
    deadline,
    is_working_day,
)
from forcepack.compliance.periods import month, months_back, quarter
from forcepack.errors import InputError

D = dt.date


def test_easter_2019_bank_holiday_weekend() -> None:
    # Thursday 18 April 2019; Good Friday 19th, Saturday, Sunday, Easter Monday 22nd are not
    # working days, so the 1st working day after is Tuesday 23rd and the 5th is Monday 29th:
    # Tue 23 (1), Wed 24 (2), Thu 25 (3), Fri 26 (4), Mon 29 (5).
    assert not is_working_day(D(2019, 4, 19))
    assert not is_working_day(D(2019, 4, 22))
    assert add_working_days(D(2019, 4, 18), 1) == D(2019, 4, 23)
    assert add_working_days(D(2019, 4, 18), 5) == D(2019, 4, 29)


def test_christmas_2020_substitute_boxing_day() -> None:
    # Boxing Day 2020 fell on a Saturday; Monday 28 December was the substitute bank holiday.
    # Thursday 24th + 1 working day: Fri 25 (holiday), Sat, Sun, Mon 28 (holiday) -> Tue 29.
    assert "Boxing Day" in bank_holidays(2020, 2020)[D(2020, 12, 28)]
    assert add_working_days(D(2020, 12, 24), 1) == D(2020, 12, 29)


def test_friday_2359_across_the_autumn_clock_change() -> None:
    # Friday 25 October 2019 at 23:59; clocks went back on Sunday 27th. Day arithmetic is on
    # dates, so 1 working day ends at the end of Monday 28th (00:00 on Tuesday 29th).
    assert deadline(dt.datetime(2019, 10, 25, 23, 59), 1) == dt.datetime(2019, 10, 29)
    # The time of day does not move the deadline: 00:01 on the same Friday gives the same one.
    assert deadline(dt.datetime(2019, 10, 25, 0, 1), 1) == dt.datetime(2019, 10, 29)
    # 5 working days: Mon 28, Tue 29, Wed 30, Thu 31, Fri 1 November.
    assert deadline(dt.datetime(2019, 10, 25, 23, 59), 5) == dt.datetime(2019, 11, 2)


def test_spring_clock_change_weekend() -> None:
    # Clocks went forward at 01:00 on Sunday 31 March 2019; Saturday 30th + 1 = Monday 1 April.
    assert deadline(dt.datetime(2019, 3, 30, 22, 30), 1) == dt.datetime(2019, 4, 2)


def test_extra_holiday_is_honoured() -> None:
    # A one-off holiday (a royal funeral, say) passed in by the force moves the deadline.
    monday = D(2019, 6, 3)
    assert add_working_days(D(2019, 5, 31), 1) == monday
    assert add_working_days(D(2019, 5, 31), 1, extra=[monday]) == D(2019, 6, 4)


def test_calendar_index_agrees_with_stepping_day_by_day() -> None:
    frame = calendar_frame(2019, 2021)
    index = dict(zip(frame["day"], frame["working_day_index"], strict=True))
    working = frame.loc[frame["is_working_day"]]
    nth = dict(zip(working["working_day_index"], working["day"], strict=True))
    for day in frame["day"][:700:3]:
        for n in (1, 5):
            assert nth[index[day] + n] == add_working_days(day, n), (day, n)
    # 2019 began on a Tuesday: 52 weeks and one extra Tuesday give 261 weekdays; its 8 bank
    # holidays all fell on weekdays, so it had 261 - 8 = 253 working days.
    days_2019 = frame.loc[frame["day"].map(lambda d: d.year == 2019)]
    weekdays = sum(d.weekday() < 5 for d in days_2019["day"])
    assert weekdays == 261
    assert int(days_2019["is_working_day"].sum()) == 261 - 8


def test_bad_arguments_are_input_errors() -> None:
    with pytest.raises(InputError, match="at least 1"):
        add_working_days(D(2019, 1, 1), 0)
    with pytest.raises(InputError, match="before first year"):
        bank_holidays(2020, 2019)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)), n=st.integers(1, 10))
def test_the_nth_working_day_property(day: dt.date, n: int) -> None:
    due = add_working_days(day, n)
    assert is_working_day(due)
    span = [day + dt.timedelta(days=i) for i in range(1, (due - day).days + 1)]
    assert sum(is_working_day(d) for d in span) == n  # exactly n working days in (day, due]
    assert add_working_days(day, n + 1) > due


def test_periods_parse_and_reject() -> None:
    q = quarter("2019q4")
    assert (q.label, q.start, q.last_day) == ("2019Q4", D(2019, 10, 1), D(2019, 12, 31))
    assert months_back(month("2019-12"), 12).start == D(2019, 1, 1)
    assert month("2020-02").last_day == D(2020, 2, 29)
    with pytest.raises(InputError, match="YYYYQn"):
        quarter("2019Q5")
    with pytest.raises(InputError, match="YYYY-MM"):
        month("2019-13")
