"""Vectorised helpers shared by the demo generator's table families.

Everything here works on whole numpy arrays: months, timestamps, ids, weighted draws and the
controlled rounding that turns expected counts into whole numbers without drifting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MINUTE = np.timedelta64(60, "s")
HOUR = np.timedelta64(3600, "s")
DAY = np.timedelta64(86400, "s")

# Relative demand by hour of day (crime and incidents peak in the afternoon and evening).
HOURLY = np.array(
    [
        3.0,
        2.4,
        2.0,
        1.6,
        1.2,
        1.0,
        1.2,
        2.0,
        3.0,
        3.8,
        4.2,
        4.5,
        4.8,
        5.0,
        5.1,
        5.3,
        5.6,
        5.8,
        5.8,
        5.6,
        5.2,
        4.8,
        4.2,
        3.6,
    ]
)
HOURLY = HOURLY / HOURLY.sum()
# Office hours for contacts and interviews.
OFFICE = np.zeros(24)
OFFICE[9:18] = 1.0
OFFICE = OFFICE / OFFICE.sum()


@dataclass(frozen=True, slots=True)
class Months:
    """The calendar months of a generation period."""

    starts: np.ndarray  # datetime64[s] first instant of each month
    ends: np.ndarray  # datetime64[s] first instant of the next month

    @classmethod
    def between(cls, first: str, last: str) -> Months:
        m = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 1)
        return cls(m.astype("datetime64[s]"), (m + 1).astype("datetime64[s]"))

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def month_of_year(self) -> np.ndarray:
        """1-12 for each month."""
        return self.starts.astype("datetime64[M]").astype(int) % 12 + 1

    @property
    def year(self) -> np.ndarray:
        return self.starts.astype("datetime64[Y]").astype(int) + 1970

    @property
    def decimal_year(self) -> np.ndarray:
        return self.year + (self.month_of_year - 1) / 12.0

    @property
    def days(self) -> np.ndarray:
        return ((self.ends - self.starts) // DAY).astype(int)

    def index(self, ym: str) -> int:
        """Position of ``YYYY-MM`` in the period (may be outside it)."""
        return int(np.datetime64(ym, "M") - self.starts[0].astype("datetime64[M]"))

    def of(self, ts: np.ndarray) -> np.ndarray:
        """Month position of each timestamp."""
        return (ts.astype("datetime64[M]") - self.starts[0].astype("datetime64[M]")).astype(int)

    @property
    def period_end(self) -> np.datetime64:
        return self.ends[-1]


def times_in_months(
    rng: np.random.Generator, months: Months, month_idx: np.ndarray, hourly: np.ndarray = HOURLY
) -> np.ndarray:
    """A timestamp inside each given month, with the time of day drawn from ``hourly``."""
    day = np.floor(rng.random(len(month_idx)) * months.days[month_idx]).astype("int64")
    hour = rng.choice(24, size=len(month_idx), p=hourly).astype("int64")
    sec = rng.integers(0, 3600, size=len(month_idx))
    return months.starts[month_idx] + (day * 86400 + hour * 3600 + sec).astype("timedelta64[s]")


def controlled_round(expected: np.ndarray, cap: np.ndarray | None = None) -> np.ndarray:
    """Whole numbers for a (months x strata) table of expected counts.

    Each month's total is the rounded running total, and each stratum carries its rounding
    error into the next month, so every month is within one of its expectation and every
    stratum's running total stays within one of its own: survey quotas and counts then follow
    the underlying rates without the drift of independent rounding. ``cap`` (same shape) bounds
    each cell, e.g. by the respondents available; what a full cell cannot take goes to the
    month's other cells.
    """
    shape = np.shape(expected)
    exp = np.asarray(expected, dtype=float).reshape(shape[0], -1)  # 1-D: a monthly series
    lim = None if cap is None else np.asarray(cap, dtype=float).reshape(exp.shape)
    out = np.zeros(exp.shape, dtype=np.int64)
    carry = np.zeros(exp.shape[1])
    for m in range(exp.shape[0]):
        target = exp[m] + carry
        room = np.full(exp.shape[1], np.inf) if lim is None else lim[m]
        row = np.clip(np.floor(target), 0, room)
        want = round(float(target.sum())) - int(row.sum())
        order = np.argsort(-(target - row), kind="stable")
        while want > 0:
            free = order[row[order] < room[order]]
            if len(free) == 0:
                break
            take = free[:want]
            row[take] += 1
            want -= len(take)
        out[m] = row.astype(np.int64)
        carry = target - row
    return out.reshape(shape)


def choose_k_per_group(
    rng: np.random.Generator, group: np.ndarray, k: np.ndarray, weight: np.ndarray | None = None
) -> np.ndarray:
    """A boolean mask choosing ``k[g]`` members of each group ``g``, weighted, without replacement.

    Uses exponential keys (Efraimidis-Spirakis): the ``k`` smallest ``E/w`` in each group.
    """
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=bool)
    w = np.ones(n) if weight is None else np.maximum(weight, 1e-12)
    key = rng.exponential(size=n) / w
    order = np.lexsort((key, group))
    g_sorted = group[order]
    starts = np.searchsorted(g_sorted, g_sorted, side="left")
    rank = np.arange(n) - starts
    mask = np.zeros(n, dtype=bool)
    mask[order] = rank < k[g_sorted]
    return mask


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """String ids like ``CR00001234`` from integers, built in Arrow."""
    text = pc.utf8_lpad(pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, text, "")


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex_ids(prefix: str, numbers: np.ndarray, salt: int) -> pa.Array:
    """Pseudonymous ids like ``V3fa9c01b2e7d``: a keyed mix of the integer, as 12 hex digits."""
    x = (np.asarray(numbers, dtype=np.uint64) + np.uint64(salt & 0xFFFFFFFF)) * np.uint64(
        0x9E3779B97F4A7C15
    )
    x ^= x >> np.uint64(29)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(32)
    shifts = np.arange(44, -1, -4, dtype=np.uint64)
    digits = _HEX[((x[:, None] >> shifts[None, :]) & np.uint64(0xF)).astype(np.intp)]
    text = np.ascontiguousarray(digits).view("S12").reshape(-1)
    return pc.binary_join_element_wise(prefix, pa.array(text, pa.binary()).cast(pa.string()), "")


def seasonal(month_of_year: np.ndarray, factors: tuple[float, ...]) -> np.ndarray:
    """Monthly seasonal factors (January first), normalised to average one."""
    f = np.asarray(factors, dtype=float)
    return (f / f.mean())[month_of_year - 1]


def working_days_after(start: np.ndarray, n_days: np.ndarray, holidays: np.ndarray) -> np.ndarray:
    """The date ``n_days`` working days after each start date (weekends and holidays skipped)."""
    d = start.astype("datetime64[D]")
    return np.busday_offset(d, n_days, roll="forward", holidays=holidays)
