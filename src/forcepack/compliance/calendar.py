"""England and Wales working days, for the Victims' Code deadlines.

A working day is Monday to Friday and not an England and Wales bank holiday. Bank holidays come
from the installed ``holidays`` package (``country_holidays("GB", subdiv="ENG")``, which England
and Wales share, including substitute days such as Boxing Day observed on a Monday): nothing is
fetched at run time, and a force that needs a one-off holiday (a royal funeral, say, when its
``holidays`` release predates it) passes it in ``extra``.

Deadline rule (the same in Python and in the warehouse's ``working_days`` table): an event's
deadline of N working days is **the end of the Nth working day after the event's date**. The time
of day of the event does not matter (Friday 00:01 and Friday 23:59 both give "end of Monday" for
N = 1), and the arithmetic is on dates, so the clock change cannot move a deadline by an hour.
The end of a day is written as 00:00 of the next day; a contact at exactly that instant is in
time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from forcepack.errors import InputError

#: The subdivision whose bank holidays apply (England; Wales has the same bank holidays).
SUBDIVISION = "ENG"
#: The calendar table covers these years unless asked otherwise (the data's years are added).
FIRST_YEAR = 2010
LAST_YEAR = 2035


@lru_cache(maxsize=8)
def _bank_holidays(first_year: int, last_year: int) -> dict[dt.date, str]:
    cal = holidays.country_holidays(
        "GB", subdiv=SUBDIVISION, years=range(first_year, last_year + 1)
    )
    return dict(cal.items())


def bank_holidays(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, extra: Iterable[dt.date] = ()
) -> dict[dt.date, str]:
    """England and Wales bank holidays between two years (inclusive), with their names."""
    if last_year < first_year:
        raise InputError(
            f"calendar years: last year {last_year} is before first year "
            f"{first_year}; give the earlier year first"
        )
    out = dict(_bank_holidays(first_year, last_year))
    for day in extra:
        out.setdefault(day, "extra holiday")
    return out


def is_working_day(day: dt.date, extra: Iterable[dt.date] = ()) -> bool:
    """Monday to Friday and not a bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays(day.year, day.year, extra)


def add_working_days(day: dt.date, n: int, extra: Iterable[dt.date] = ()) -> dt.date:
    """The Nth working day after ``day`` (``day`` itself never counts); ``n`` must be >= 1."""
    if n < 1:
        raise InputError(f"working days: n must be at least 1, received {n}")
    extra = tuple(extra)
    current = day
    while n:
        current += dt.timedelta(days=1)
        if is_working_day(current, extra):
            n -= 1
    return current


def deadline(event_at: dt.datetime, n: int, extra: Iterable[dt.date] = ()) -> dt.datetime:
    """The instant a contact owed N working days after ``event_at`` falls due (inclusive)."""
    due_day = add_working_days(event_at.date(), n, extra)
    return dt.datetime.combine(due_day + dt.timedelta(days=1), dt.time())


def calendar_frame(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, extra: Iterable[dt.date] = ()
) -> pd.DataFrame:
    """One row per day: ``day``, ``is_working_day``, ``working_day_index``, ``bank_holiday``.

    ``working_day_index`` counts working days up to and including the day, so the Nth working
    day after D is the working day whose index is ``index(D) + N`` (the warehouse's deadline
    join). Built with numpy: a few thousand rows.
    """
    hols = bank_holidays(first_year, last_year, extra)
    days = pd.date_range(f"{first_year}-01-01", f"{last_year}-12-31", freq="D")
    names = pd.Series(days.date, index=days).map(hols)
    working = (days.dayofweek < 5) & names.isna().to_numpy()
    return pd.DataFrame(
        {
            "day": days.date,
            "is_working_day": working,
            "working_day_index": np.cumsum(working).astype("int64"),
            "bank_holiday": names.to_numpy(dtype=object),
        }
    )
