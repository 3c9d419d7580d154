"""Reporting periods for the victim care outputs: a month ``YYYY-MM``, a quarter ``YYYYQn``.

Quarters are calendar quarters (``2019Q4`` = October to December 2019), the periods the
Victims' Code audit reports on; the financial year is not used here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from forcepack import calendar
from forcepack.errors import InputError

_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open span of days ``[start, end)`` and its label."""

    label: str
    start: dt.date
    end: dt.date  # first day after the period

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)


def month(text: str | dt.date) -> Period:
    """``2019-12`` (or a date in the month) as a Period."""
    m = calendar.parse(text)
    return Period(str(m), m.first, m.end)


def months_back(period: Period, n: int) -> Period:
    """The ``n`` months ending with ``period`` (``n`` = 12: the rolling year)."""
    start = calendar.add(period.start, -(n - 1))
    return Period(f"{n} months to {period.label}", start, period.end)


def quarter(text: str) -> Period:
    """``2019Q4`` as a Period (calendar quarter)."""
    m = _QUARTER.match(str(text).strip())
    if not m:
        raise InputError(
            f'quarter "{text}" is not a quarter; give it as YYYYQn with n from 1 '
            "to 4 (calendar quarters: 2019Q4 = October to December 2019)"
        )
    year, q = int(m.group(1)), int(m.group(2))
    start = dt.date(year, 3 * (q - 1) + 1, 1)
    return Period(f"{year}Q{q}", start, calendar.add(start, 3))


def latest_quarter(month: str | dt.date) -> str:
    """The last calendar quarter ending in or before ``month`` (``2019-12`` -> ``2019Q4``,
    ``2020-02`` -> ``2019Q4``): the latest complete quarter when ``month`` is the latest month
    of data."""
    m = calendar.parse(month)
    done = m - m.month % 3  # the last month of the latest quarter ending by ``m``
    return f"{done.year}Q{done.quarter}"
