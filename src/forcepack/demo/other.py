"""Smaller tables: missing episodes, civil orders, the QA backlog and system downtime."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forcepack.contract.vocab import OrderType
from forcepack.demo._util import HOURLY, OFFICE, Months, controlled_round, times_in_months
from forcepack.demo.config import DISTRICTS


@dataclass
class Missing:
    person: np.ndarray
    age: np.ndarray
    reported_at: np.ndarray
    district: np.ndarray
    from_care_home: np.ndarray


def generate_missing(rng: np.random.Generator, months: Months, scale: float = 1.0) -> Missing:
    """Missing episodes: children (many from care homes, mostly in Fenland and Peterborough,
    who go missing again and again) and adults; rising over the years."""
    t = months.decimal_year - 2015.0
    n_child_home = controlled_round(38 * (1 + 0.12 * t) * scale)
    n_child = controlled_round(55 * (1 + 0.05 * t) * scale)
    n_adult = controlled_round(80 * (1 + 0.02 * t) * scale)
    parts = []
    homes = np.array([d.care_homes for d in DISTRICTS])
    pop = np.array([d.population for d in DISTRICTS], dtype=float)
    for counts, p_d, ages, home, pool in (
        (n_child_home, homes / homes.sum(), (12, 18), True, 60),
        (n_child, pop / pop.sum(), (8, 18), False, 900),
        (n_adult, pop / pop.sum(), (18, 90), False, 5000),
    ):
        month = np.repeat(np.arange(len(months)), counts)
        n = len(month)
        district = rng.choice(len(DISTRICTS), size=n, p=p_d)
        # repeat episodes: people drawn from a per-district pool with heavy-tailed weights
        w = rng.gamma(0.4 if home else 1.0, 1.0, size=(len(DISTRICTS), pool))
        cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
        flat = (cum + np.arange(len(DISTRICTS))[:, None]).reshape(-1)
        slot = (np.searchsorted(flat, district + rng.random(n)) - district * pool).clip(0, pool - 1)
        person = district * pool + slot + (0 if home else (10_000 if ages[1] == 18 else 50_000))
        # a person's age is fixed by their id (the same child is the same age each time)
        age = (ages[0] + (person * 2654435761 % (ages[1] - ages[0]))).astype(np.int64)
        parts.append(
            (person, age, times_in_months(rng, months, month, HOURLY), district, np.full(n, home))
        )
    person = np.concatenate([p[0] for p in parts])
    order = np.argsort(np.concatenate([p[2] for p in parts]), kind="stable")
    return Missing(
        person[order],
        np.concatenate([p[1] for p in parts])[order],
        np.concatenate([p[2] for p in parts])[order],
        np.concatenate([p[3] for p in parts])[order],
        np.concatenate([p[4] for p in parts])[order],
    )


@dataclass
class Orders:
    order_type: np.ndarray
    applied_at: np.ndarray
    granted_at: np.ndarray
    district: np.ndarray


ORDER_RATES = {
    "DVPN": (14, 0.95),
    "DVPO": (11, 0.9),
    "SPO": (1.2, 0.8),
    "SHPO": (4, 0.85),
    "DVDS_ask": (18, 0.7),
    "DVDS_tell": (11, 0.75),
}


def generate_orders(rng: np.random.Generator, months: Months, scale: float = 1.0) -> Orders:
    t = months.decimal_year - 2015.0
    parts = []
    pop = np.array([d.population for d in DISTRICTS], dtype=float)
    for kind, (rate, granted_p) in ORDER_RATES.items():
        counts = controlled_round(rate * (1 + 0.1 * t) * scale)
        month = np.repeat(np.arange(len(months)), counts)
        n = len(month)
        applied = times_in_months(rng, months, month, OFFICE)
        lag_days = rng.uniform(0.5, 2.0, n) if kind == OrderType.DVPN else rng.uniform(1, 40, n)
        granted = applied + (lag_days * 86400).astype("timedelta64[s]")
        ok = (rng.random(n) < granted_p) & (granted < months.period_end)
        parts.append(
            (
                np.full(n, kind),
                applied,
                np.where(ok, granted, np.datetime64("NaT")),
                rng.choice(len(DISTRICTS), size=n, p=pop / pop.sum()),
            )
        )
    applied = np.concatenate([p[1] for p in parts])
    order = np.argsort(applied, kind="stable")
    return Orders(
        np.concatenate([p[0] for p in parts])[order],
        applied[order],
        np.concatenate([p[2] for p in parts])[order],
        np.concatenate([p[3] for p in parts])[order],
    )


def generate_qa_backlog(
    rng: np.random.Generator, months: Months, scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Daily snapshots of crimes awaiting QA: a mean-reverting level with weekend build-ups."""
    days = np.arange(
        months.starts[0].astype("datetime64[D]"), months.period_end.astype("datetime64[D]")
    )
    n = len(days)
    level = np.empty(n)
    x = 450.0
    shocks = rng.normal(0, 35, n)
    for i in range(n):  # one step per day: a short series, not records
        x = x + 0.08 * (450 - x) + shocks[i]
        level[i] = x
    weekday = (days.astype(np.int64) + 3) % 7  # 0 = Monday
    level = level + np.where(weekday >= 5, 120, 0) + 60 * np.sin(np.arange(n) / 365 * 2 * np.pi)
    return days, np.maximum(np.round(level * scale), 0).astype(np.int64)


@dataclass
class Downtime:
    system: np.ndarray
    start_at: np.ndarray
    end_at: np.ndarray
    planned: np.ndarray


SYSTEMS = ("Athena", "STORM", "Telephony", "PNC link")


def generate_downtime(rng: np.random.Generator, months: Months) -> Downtime:
    n_m = rng.poisson(3, len(months))
    month = np.repeat(np.arange(len(months)), n_m)
    n = len(month)
    planned = rng.random(n) < 0.6
    start = times_in_months(rng, months, month, HOURLY)
    # planned work happens overnight
    start = np.where(
        planned,
        start.astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(1, "h") * 1,
        start,
    )
    hours = np.where(planned, rng.uniform(1, 5, n), rng.exponential(1.5, n) + 0.1)
    end = start + (hours * 3600).astype("timedelta64[s]")
    system = np.array(SYSTEMS)[rng.choice(len(SYSTEMS), size=n, p=[0.4, 0.3, 0.2, 0.1])]
    key = np.unique(np.char.add(system, start.astype(str)), return_index=True)[1]
    key.sort()
    return Downtime(system[key], start[key], end[key], planned[key])
