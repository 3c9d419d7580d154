"""The reporting calendar: months, their arithmetic, financial years and their labels.

A police performance pack counts in calendar months: a measure's period is a month, its
windows are runs of months (rolling 12, financial year to date from April), and the paper says
"December 2019" and "12 months ending December 2019". Every part of forcepack reads a month
from a person (``--month 2019-12``, a paper input, a dashboard query) through :func:`parse` and
does its arithmetic here, so a bad month gets one message wherever it is typed.

:class:`Month` is the month type. Code that keeps months as dates (the first day of the month,
as measure results store ``period``; or the last day, as they store ``period_end``) uses the
date functions: :func:`first_day`, :func:`last_day`, :func:`add`, :func:`span`,
:func:`fy_start`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from forcepack.errors import InputError

#: The financial year of police forces in England and Wales starts in April.
FY_START_MONTH = 4
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^[0-9]+$")


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month. ``Month(2019, 12)``; ``str()`` gives ``"2019-12"``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise InputError(f"month {self.year}-{self.month:02d}: the month must be 01 to 12")

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month a date (or timestamp) falls in."""
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        """Months since year 0: differences of indexes count months."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    def __sub__(self, months: int) -> Month:
        return Month.from_index(self.index - months)

    def since(self, other: Month) -> int:
        """How many months after ``other`` this month is (negative when before)."""
        return self.index - other.index

    @property
    def first(self) -> dt.date:
        """The first day."""
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        """The last day."""
        return (self + 1).first - dt.timedelta(days=1)

    @property
    def end(self) -> dt.date:
        """The first day after the month (for ``start <= t < end`` filters)."""
        return (self + 1).first

    @property
    def fy_start(self) -> Month:
        """The first month of the financial year this month is in (April)."""
        year = self.year if self.month >= FY_START_MONTH else self.year - 1
        return Month(year, FY_START_MONTH)

    @property
    def quarter(self) -> int:
        """The calendar quarter, 1 to 4 (October to December is 4)."""
        return (self.month - 1) // 3 + 1

    @property
    def name(self) -> str:
        """``"December"``."""
        return MONTH_NAMES[self.month - 1]

    @property
    def label(self) -> str:
        """``"December 2019"``."""
        return f"{self.name} {self.year}"

    @classmethod
    def from_label(cls, text: str) -> Month:
        """The month a :attr:`label` names (``"December 2019"``), for a month forcepack wrote
        in words (a paper's provenance); a person types a month as YYYY-MM (:func:`parse`)."""
        name, _, year = str(text).strip().partition(" ")
        if name not in MONTH_NAMES or not _YEAR.match(year):
            raise InputError(
                f'"{text}" is not a month label; a label is a month name and a year, '
                "e.g. December 2019"
            )
        return cls(int(year), MONTH_NAMES.index(name) + 1)

    def window_label(self, months: int = 12) -> str:
        """``"12 months ending December 2019"``."""
        return f"{months} months ending {self.label}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse(value: Any, what: str = "month") -> Month:
    """A month from ``"2019-12"``, a date or a :class:`Month`; anything else is an
    :class:`~forcepack.errors.InputError` saying what was given and what is allowed.

    ``what`` names the value in the message (``"--month"``, ``"change point date"``).
    """
    if isinstance(value, Month):
        return value
    if isinstance(value, dt.date):  # a datetime is a date too
        return Month.of(value)
    text = str(value).strip()
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(f'{what} "{value}" is not a month; give it as YYYY-MM, e.g. 2019-12')
    return Month(int(m.group(1)), int(m.group(2)))


def months(first: Month, last: Month) -> list[Month]:
    """Every month from ``first`` to ``last`` inclusive (empty when ``last`` is earlier)."""
    return [first + i for i in range(last.since(first) + 1)]


# Date forms, for code that keeps a month as a date.


def first_day(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return dt.date(day.year, day.month, 1)


def last_day(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return Month.of(day).last


def add(day: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months after (before, when negative) ``day``'s."""
    return (Month.of(day) + n).first


def span(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from ``first``'s to ``last``'s, inclusive."""
    return [m.first for m in months(Month.of(first), Month.of(last))]


def fy_start(day: dt.date) -> dt.date:
    """The first day of the financial year ``day`` is in (1 April)."""
    return Month.of(day).fy_start.first
