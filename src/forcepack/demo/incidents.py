"""Control-room incidents (with grades and attendance times) and telephony calls.

Crimes raised from an incident get their incident here; other incidents (concern for safety,
road traffic, anti-social behaviour, domestic incidents that are not crimes...) fill the rest.
Attendance times are right-skewed and depend on grade, call type, district (rural districts are
slower) and demand (busier hours are slower). Each month's median attendance time of a grade
follows a parameter series that wanders around a trend (slower through 2015 and 2016, then
steady; prompt times dipping in December 2019); dwelling burglary and
domestic abuse have their own (improving over the autumn of 2019), and the other call types are
scaled together so the grade's median follows its series. The secondary queue's abandonment
rises through the second half of 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forcepack.contract import vocab
from forcepack.demo import offences as off
from forcepack.demo._util import (
    HOURLY,
    Months,
    choose_k_per_group,
    controlled_round,
    seasonal,
    times_in_months,
)
from forcepack.demo.config import CALLS_101_SEASON, CALLS_999_SEASON, DISTRICTS
from forcepack.demo.crimes import Crimes, incident_created_at

CATEGORIES = (
    "domestic_abuse",
    "burglary_dwelling",
    "violence",
    "concern_for_safety",
    "road_traffic",
    "anti_social_behaviour",
    "other",
)
CATEGORY_OF = {
    "DOM": 0,
    "DOMA": 0,
    "DOMN": 0,
    "BURD": 1,
    "BURO": 6,
    "ASLT": 2,
    "SEXO": 2,
    "PUBO": 2,
    "CFS": 3,
    "MISP": 3,
    "RTC": 4,
    "ROAD": 4,
    "ASBP": 5,
    "ASBN": 5,
    "THEF": 6,
    "CDAM": 6,
    "SUSP": 6,
    "ALRM": 6,
    "OTHR": 6,
}
GRADES = np.array(vocab.GRADES)  # the contract's order: immediate, prompt, scheduled, ...
# grade probabilities by category (immediate, prompt, scheduled, resolved without deployment)
GRADE_P = np.array(
    [
        [0.60, 0.27, 0.09, 0.04],
        [0.40, 0.38, 0.18, 0.04],
        [0.58, 0.18, 0.14, 0.10],
        [0.68, 0.12, 0.05, 0.15],
        [0.58, 0.12, 0.10, 0.20],
        [0.28, 0.16, 0.16, 0.40],
        [0.26, 0.12, 0.27, 0.35],
    ]
)
# relative attendance time of each category within its grade
CATEGORY_SPEED = np.array([1.0, 1.0, 0.95, 0.9, 1.0, 1.15, 1.2])
# Non-crime incidents per month (2015) by call type, before seasonality and trend.
NON_CRIME = {
    "CFS": 780,
    "MISP": 150,
    "RTC": 320,
    "ROAD": 150,
    "ASBP": 210,
    "ASBN": 380,
    "SUSP": 260,
    "ALRM": 150,
    "OTHR": 210,
}
NON_CRIME_DOMESTIC = 0.55  # domestic incidents that are not crimes, per domestic abuse crime
RESOURCE_KNOTS = (2015.0, 2018 + 11 / 12, 2019 + 11 / 12)
RESOURCE_SERIES = {  # share of delayed attendances citing resources: 2015, 2018-12, 2019-12
    0: (0.40, 0.47, 0.54),
    1: (0.36, 0.40, 0.44),
    2: (0.38, 0.42, 0.47),
    3: (0.37, 0.41, 0.46),
    4: (0.30, 0.33, 0.36),
    5: (0.33, 0.36, 0.40),
    6: (0.33, 0.37, 0.41),
}
# Median attendance minutes of a grade (and of dwelling burglary (1) and domestic abuse (0) prompt
# incidents) at knots: January 2015, December 2016, August, September, October, November and
# December 2019. Slower through 2015 and 2016 as demand grows, then steady: immediate times hold
# at 18 minutes, prompt times hold until a December 2019 dip, and prompt dwelling burglary and
# domestic abuse times improve over the autumn of 2019 while staying the slowest of any incident
# type. Between knots the trend is linear.
MEDIAN_KNOTS = (
    2015.0,
    2016 + 11 / 12,
    2019 + 7 / 12,
    2019 + 8 / 12,
    2019 + 9 / 12,
    2019 + 10 / 12,
    2019 + 11 / 12,
)
MEDIAN_SERIES = {
    "immediate": (14.0, 18.0, 18.0, 18.0, 18.0, 18.0, 18.0),
    "prompt": (72.0, 117.0, 117.0, 117.0, 117.0, 114.0, 105.0),
    ("prompt", 0): (150.0, 285.0, 285.0, 278.0, 258.0, 232.0, 249.0),
    ("prompt", 1): (120.0, 215.0, 215.0, 210.0, 200.0, 188.0, 191.0),
}
# Month-to-month variation around the trend (standard deviation of a log-normal factor): the
# month's median is a parameter of the model, but it wanders as real medians do. The last knot
# is the calibration point and carries no variation.
MEDIAN_NOISE = {"immediate": 0.02, "prompt": 0.015, ("prompt", 0): 0.02, ("prompt", 1): 0.02}
#: Abandonment of 101 calls on the secondary (transfer) queue at knots (January 2015, June 2019,
#: December 2019): steady, then higher through the second half of 2019 as each incident takes
#: longer to resolve and callers wait longer to be transferred.
SECONDARY_ABANDON_KNOTS = (2015.0, 2019 + 5 / 12, 2019 + 11 / 12)
SECONDARY_ABANDON = (0.28, 0.29, 0.34)


@dataclass
class Incidents:
    n: int
    created_at: np.ndarray
    call_type_code: np.ndarray
    grade: np.ndarray
    district: np.ndarray
    dispatched_at: np.ndarray
    arrived_at: np.ndarray
    delay_reason: np.ndarray  # "" = not delayed
    source: np.ndarray
    verbal_only: np.ndarray  # -1 = null, 0/1
    crime_incident: np.ndarray  # per crime: incident row or -1


#: How attendance time scales with the hour's demand: minutes x (demand ratio) ** elasticity.
DEMAND_ELASTICITY = {"immediate": 0.15, "prompt": 0.5}


def _hourly_demand(created: np.ndarray, month: np.ndarray, n_months: int) -> np.ndarray:
    """Incidents created in the same clock hour, over the month's incident-weighted average."""
    hour = created.astype("datetime64[h]").astype(np.int64)
    _, inverse, counts = np.unique(hour, return_inverse=True, return_counts=True)
    per_incident = counts[inverse].astype(float)
    mean = np.bincount(month, weights=per_incident, minlength=n_months) / np.maximum(
        np.bincount(month, minlength=n_months), 1
    )
    return per_incident / mean[month]


def _series(
    months: Months,
    knots: tuple[float, ...],
    noise: float = 0.0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    x = months.decimal_year
    trend = np.interp(x, MEDIAN_KNOTS, knots)
    if rng is None or noise == 0.0:
        return trend
    wander = np.exp(noise * rng.normal(size=len(x)))
    wander[np.isclose(x, MEDIAN_KNOTS[-1])] = 1.0
    return trend * wander


def _domestic_code(created: np.ndarray, crime: bool) -> np.ndarray:
    """DOM until 5 January 2020; then DOMA (abuse) or DOMN (a non-crime domestic incident)."""
    return np.where(created < np.datetime64("2020-01-06"), "DOM", "DOMA" if crime else "DOMN")


def _grade(rng: np.random.Generator, cat: np.ndarray) -> np.ndarray:
    u = rng.random(len(cat))
    cum = np.cumsum(GRADE_P, axis=1)[cat]
    return (u[:, None] > cum).sum(axis=1).clip(0, 3)


def _calibrated_minutes(
    rng: np.random.Generator,
    months: Months,
    month: np.ndarray,
    grade: np.ndarray,
    cat: np.ndarray,
    district: np.ndarray,
    demand: np.ndarray,
) -> np.ndarray:
    """Attendance minutes for immediate (0) and prompt (1) incidents; NaN for other grades.

    ``demand`` is each incident's hourly demand relative to its month's (1 = a typical hour):
    busier hours are slower, prompt incidents more so, since they wait for free resources.
    """
    rural = np.array([d.rural for d in DISTRICTS])[district]
    north = np.array([d.area == "North" for d in DISTRICTS])[district]
    sigma = np.where(grade == 0, 0.55, 0.85)
    shape = np.exp(sigma * rng.normal(size=len(grade))) * np.exp(0.3 * rural)
    shape *= demand ** np.where(
        grade == 0, DEMAND_ELASTICITY["immediate"], DEMAND_ELASTICITY["prompt"]
    )
    shape *= np.where((cat == 1) & north, 1.3, 1.0) * CATEGORY_SPEED[cat]
    out = np.full(len(grade), np.nan)
    # the monthly wander comes from its own child generator, so it leaves every other draw as it was
    wander_rng = rng.spawn(1)[0]
    targets = {
        key: _series(months, knots, MEDIAN_NOISE[key], wander_rng)
        for key, knots in MEDIAN_SERIES.items()
    }
    keep = np.flatnonzero(np.isin(grade, [0, 1]) & (month >= 0))
    order = keep[np.lexsort((month[keep], grade[keep]))]
    key = grade[order] * 10_000 + month[order]
    bounds = np.flatnonzero(np.diff(key)) + 1
    for block in np.split(order, bounds):
        g, m = int(grade[block[0]]), int(month[block[0]])
        name = "immediate" if g == 0 else "prompt"
        x = shape[block].copy()
        cb = cat[block]
        free = np.ones(len(block), dtype=bool)
        for c in (0, 1):
            if (name, c) in MEDIAN_SERIES and (cb == c).any():
                cs = cb == c
                x[cs] = x[cs] * targets[(name, c)][m] / np.median(x[cs])
                free &= ~cs
        target = targets[name][m]
        base = x[free].copy()
        lo, hi = 1e-3, 1e4
        for _ in range(45):
            mid = np.sqrt(lo * hi)
            x[free] = base * mid
            if np.median(x) < target:
                lo = mid
            else:
                hi = mid
        out[block] = x
    return out


def generate_incidents(
    rng: np.random.Generator, months: Months, c: Crimes, scale: float = 1.0
) -> Incidents:
    # incidents behind crimes
    li = np.flatnonzero(c.linked)
    created_l = incident_created_at(rng, c, li)
    code_l = off.CALL_TYPE[c.family[li]].astype("<U4")
    code_l = np.where(c.domestic_abuse[li], _domestic_code(created_l, crime=True), code_l)
    dist_l = c.district[li]
    # other incidents
    t = months.decimal_year - 2015.0
    season = seasonal(months.month_of_year, CALLS_999_SEASON)
    codes, counts = [], []
    for call_type, base in NON_CRIME.items():
        codes.append(call_type)
        counts.append(controlled_round(base * (1 + 0.03 * t) * season * scale))
    da_month = np.bincount(c.month[c.domestic_abuse], minlength=len(months))
    codes.append("DOM")
    counts.append(controlled_round(da_month * NON_CRIME_DOMESTIC))
    month_n = np.concatenate([np.repeat(np.arange(len(months)), k) for k in counts])
    code_n = np.concatenate(
        [np.full(int(k.sum()), cd) for cd, k in zip(codes, counts, strict=True)]
    )
    created_n = times_in_months(rng, months, month_n, HOURLY)
    code_n = np.where(code_n == "DOM", _domestic_code(created_n, crime=False), code_n)
    pop = np.array([d.population for d in DISTRICTS], dtype=float)
    dist_n = rng.choice(len(DISTRICTS), size=len(month_n), p=pop / pop.sum())
    created = np.concatenate([created_l, created_n])
    code = np.concatenate([code_l, code_n])
    district = np.concatenate([dist_l, dist_n])
    crime_of = np.concatenate([li, np.full(len(month_n), -1)])
    order = np.argsort(created, kind="stable")
    created, code, district, crime_of = (
        created[order],
        code[order],
        district[order],
        crime_of[order],
    )
    n = len(created)
    month = months.of(created)
    inside = (month >= 0) & (month < len(months))
    month = np.clip(month, 0, len(months) - 1)
    cat = np.array([CATEGORY_OF[x] for x in np.unique(code)])[
        np.unique(code, return_inverse=True)[1]
    ]
    grade = _grade(rng, cat)
    # a few response-graded incidents are stood down before anyone arrives
    responds = rng.random(n) < 0.98
    minutes = _calibrated_minutes(
        rng,
        months,
        np.where(inside & responds, month, -1),
        grade,
        cat,
        district,
        _hourly_demand(created, month, len(months)),
    )
    attended = np.isin(grade, [0, 1]) & responds & ~np.isnan(minutes)
    sched = grade == 2
    sched_att = sched & (rng.random(n) < 0.8)
    minutes = np.where(sched_att, rng.uniform(60, 72 * 60, n), minutes)
    arrived_mask = attended | sched_att
    arr_s = np.where(arrived_mask, np.nan_to_num(minutes) * 60, 0).astype(np.int64)
    arrived = np.where(arrived_mask, created + arr_s.astype("timedelta64[s]"), np.datetime64("NaT"))
    frac = np.where(grade == 0, rng.uniform(0.1, 0.35, n), rng.uniform(0.3, 0.85, n))
    disp = created + (arr_s * frac).astype("timedelta64[s]")
    dispatched = np.where(
        arrived_mask | (np.isin(grade, [0, 1]) & (rng.random(n) < 0.5)),
        np.where(arrived_mask, disp, created + (rng.uniform(60, 1800, n)).astype("timedelta64[s]")),
        np.datetime64("NaT"),
    )
    # delay reasons for attendances beyond target
    targets = vocab.ATTENDANCE_TARGET_MINUTES
    target = np.where(grade == 0, targets[vocab.Grade.IMMEDIATE], targets[vocab.Grade.PROMPT])
    delayed = attended & (arr_s > target * 60)
    reason = np.full(n, "", dtype="<U22")
    dm = np.flatnonzero(delayed)
    stratum = month[dm] * 10 + cat[dm]
    n_delayed = np.zeros((len(months), len(CATEGORIES)))
    np.add.at(n_delayed, (month[dm], cat[dm]), 1)
    share = np.stack(
        [
            np.interp(months.decimal_year, RESOURCE_KNOTS, RESOURCE_SERIES[k])
            for k in range(len(CATEGORIES))
        ],
        1,
    )
    k_res = controlled_round(n_delayed * share)
    k_flat = np.zeros(len(months) * 10, dtype=np.int64)
    k_flat[(np.arange(len(months))[:, None] * 10 + np.arange(len(CATEGORIES))).reshape(-1)] = (
        k_res.reshape(-1)
    )
    res = choose_k_per_group(rng, stratum, k_flat)
    rural = np.array([d.rural for d in DISTRICTS])[district[dm]]
    other = np.where(
        rng.random(len(dm)) < 0.35 + 0.4 * rural,
        "travel_distance",
        np.where(rng.random(len(dm)) < 0.6, "awaiting_information", "other"),
    )
    reason[dm] = np.where(res, "resource_unavailable", other)
    # source and verbal-only
    r = rng.random(n)
    source = np.where(
        grade == 0,
        np.where(r < 0.85, "999", np.where(r < 0.97, "101", "other")),
        np.where(
            grade == 1,
            np.where(
                r < 0.4, "999", np.where(r < 0.85, "101", np.where(r < 0.95, "online", "other"))
            ),
            np.where(
                r < 0.05, "999", np.where(r < 0.65, "101", np.where(r < 0.92, "online", "other"))
            ),
        ),
    )
    is_dom = cat == 0
    verbal = np.where(is_dom, (rng.random(n) < np.where(crime_of < 0, 0.6, 0.05)).astype(int), -1)
    crime_incident = np.full(c.n, -1, dtype=np.int64)
    crime_incident[crime_of[crime_of >= 0]] = np.flatnonzero(crime_of >= 0)
    return Incidents(
        n,
        created,
        code,
        GRADES[grade],
        district,
        dispatched,
        arrived,
        reason,
        source,
        verbal,
        crime_incident,
    )


@dataclass
class Calls:
    line: np.ndarray
    offered_at: np.ndarray
    answered_at: np.ndarray
    ended_at: np.ndarray
    secondary: np.ndarray


def generate_calls(rng: np.random.Generator, months: Months, scale: float = 1.0) -> Calls:
    t = months.decimal_year - 2015.0
    n999 = controlled_round(
        10200
        * (1 + 0.02 * t)
        * seasonal(months.month_of_year, CALLS_999_SEASON)
        * (1 + rng.normal(0, 0.012, len(months)))
        * scale
    )
    n101 = controlled_round(
        (31500 - 1900 * t)
        * seasonal(months.month_of_year, CALLS_101_SEASON)
        * (1 + rng.normal(0, 0.012, len(months)))
        * scale
    )
    m999 = np.repeat(np.arange(len(months)), n999)
    m101 = np.repeat(np.arange(len(months)), n101)
    month = np.concatenate([m999, m101])
    line = np.concatenate([np.full(len(m999), "999"), np.full(len(m101), "101")])
    n = len(month)
    offered = times_in_months(rng, months, month, HOURLY)
    is101 = line == "101"
    secondary = is101 & (rng.random(n) < 0.12)
    # 101 abandonment rises with demand (busier months, busier hours)
    demand = (n101 / n101.mean())[month]
    p_abandon = np.where(is101, 0.10 + 0.08 * (demand - 0.8), 0.012)
    abandoned = rng.random(n) < np.clip(p_abandon, 0.005, 0.6)
    # the secondary queue's abandonment follows its series: each month's count is its rounded
    # expectation, drawn among the month's secondary calls
    sec = np.flatnonzero(secondary)
    n_sec = np.bincount(month[sec], minlength=len(months))
    rate = np.interp(months.decimal_year, SECONDARY_ABANDON_KNOTS, SECONDARY_ABANDON)
    abandoned[sec] = choose_k_per_group(rng, month[sec], controlled_round(n_sec * rate))
    wait = np.where(is101, rng.exponential(240, n) * (1 + secondary), rng.exponential(7, n))
    answered = np.where(abandoned, np.datetime64("NaT"), offered + wait.astype("timedelta64[s]"))
    talk = rng.exponential(np.where(is101, 300, 420), n) + 20
    ended = np.where(
        abandoned,
        offered + (wait * rng.uniform(0.2, 1.0, n)).astype("timedelta64[s]"),
        answered + talk.astype("timedelta64[s]"),
    )
    order = np.argsort(offered, kind="stable")
    return Calls(line[order], offered[order], answered[order], ended[order], secondary[order])
