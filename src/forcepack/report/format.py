"""Numbers and dates worded as the model board paper words them.

``1,340``; ``76.5%``; ``18 minutes``; ``December 2019``; ``12 months ending December 2019``;
``25th February 2020``. Shares arrive as fractions (0.765) and leave as percentages.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from forcepack import calendar

MONTHS = calendar.MONTH_NAMES

_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number(value: float | int) -> str:
    """A count with thousands separators: ``1340 -> "1,340"``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{round(value):,}"


def estimate(value: float, figures: int = 3) -> str:
    """An estimate at the precision it carries: ``figures`` significant figures, millions
    worded (``5,615,193 -> "5.62 million"``, ``48,213 -> "48,200"``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if value == 0:
        return "0"
    digits = figures - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    if abs(rounded) >= 1_000_000:
        places = max(0, figures - 1 - (math.floor(math.log10(abs(rounded))) - 6))
        return f"{rounded / 1_000_000:.{places}f} million"
    return f"{rounded:,.{max(0, digits)}f}"


def words(value: int) -> str:
    """Small counts in words as a paper writes them (``two``), larger ones as numbers."""
    return _SMALL[value] if 0 <= value < len(_SMALL) else number(value)


def percent(share: float | None, places: int = 1) -> str:
    """A share (0-1) as a percentage: ``0.765 -> "76.5%"``."""
    if share is None or math.isnan(share):
        return "n/a"
    return f"{share * 100:.{places}f}%"


def points(diff: float, places: int = 1) -> str:
    """A difference between two shares in percentage points: ``0.027 -> "2.7 points"``."""
    return f"{abs(diff) * 100:.{places}f} percentage points"


def change_percent(new: float, old: float) -> str:
    """Relative change as a whole percentage: ``(1100, 1000) -> "10%"``."""
    if not old:
        return "n/a"
    return f"{abs(new - old) / old * 100:.0f}%"


def minutes(value: float | None) -> str:
    """A duration in whole minutes: ``18.2 -> "18 minutes"``, ``1 -> "1 minute"``."""
    if value is None or math.isnan(value):
        return "n/a"
    m = round(value)
    return f"{m:,} minute" if m == 1 else f"{m:,} minutes"


def month(d: dt.date) -> str:
    """``date(2019, 12, 31) -> "December 2019"``."""
    return f"{MONTHS[d.month - 1]} {d.year}"


def month_name(d: dt.date) -> str:
    """``date(2019, 12, 31) -> "December"``."""
    return MONTHS[d.month - 1]


def window(d: dt.date, months: int = 12) -> str:
    """``"12 months ending December 2019"``."""
    return f"{months} months ending {month(d)}"


def ordinal(n: int) -> str:
    """``1 -> "1st"``, ``22 -> "22nd"``, ``25 -> "25th"``."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_date(d: dt.date) -> str:
    """``date(2020, 2, 25) -> "25th February 2020"``."""
    return f"{ordinal(d.day)} {MONTHS[d.month - 1]} {d.year}"


def parse_month(text: str, what: str = "month") -> dt.date:
    """``"2019-12" -> date(2019, 12, 31)``, the last day of the month (the paper keeps a month
    as its last day); anything else is the one message for a bad month, an
    :class:`~forcepack.errors.InputError` from :func:`forcepack.calendar.parse`."""
    return calendar.parse(text, what).last


def month_end(d: dt.date) -> dt.date:
    """The last day of ``d``'s month."""
    return calendar.last_day(d)


def add_months(d: dt.date, n: int) -> dt.date:
    """Month end ``n`` months after (or before, if negative) ``d``'s month."""
    return calendar.last_day(calendar.add(d, n))


def join(items: list[str]) -> str:
    """``["a", "b", "c"] -> "a, b and c"``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


#: A straight apostrophe after a letter (``Hub's``, ``victims'``).
_APOSTROPHE = re.compile(r"(?<=\w)'")


def typographic(text: str) -> str:
    """``text`` with the paper's one apostrophe: a straight one after a letter becomes ``’``."""
    return _APOSTROPHE.sub("’", text)
