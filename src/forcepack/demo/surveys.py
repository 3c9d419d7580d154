"""Victim satisfaction surveys: the victim survey and the domestic abuse survey.

Like the real surveys, each runs to a monthly quota of interviews, with victims of crimes
recorded 6 to 12 weeks before the interview. Each question has an answer rate and a
satisfaction rate per month and stratum (survey crime group x area). Those rates are smooth
trends (satisfaction drifting down through 2019, burglary victims happier than most, North's
burglary victims happier with follow-up than South's) plus seeded month-to-month variation, with
step adjustments solved so that the windows of the calibration table match the model board
paper. Counts per stratum and month are then rounded with controlled rounding, and the
satisfied respondents are drawn with a shared per-respondent disposition, so that answers to
different questions agree with each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from forcepack.demo import offences as off
from forcepack.demo._util import DAY, OFFICE, Months, choose_k_per_group, controlled_round
from forcepack.demo.config import DISTRICTS
from forcepack.demo.crimes import Crimes
from forcepack.demo.people import Victims

GROUPS = ("burglary", "violent_crime", "vehicle_crime", "hate_crime", "other")
GROUP_MIX = np.array([0.24, 0.30, 0.24, 0.07, 0.15])
QUESTIONS = ("ease_of_contact", "actions_taken", "follow_up", "treatment", "overall")
VICTIM_QUOTA_2019 = 1340
DA_QUOTA = 18.0

# (survey, question): base satisfaction, effect by group (order of GROUPS), North effect
SATISFACTION = {
    ("victim", "overall"): (0.80, (0.07, -0.03, -0.02, -0.06, -0.01), -0.01),
    ("victim", "follow_up"): (0.70, (0.08, -0.03, -0.02, -0.05, -0.02), 0.0),
    ("victim", "ease_of_contact"): (0.94, (0.02, -0.01, 0.0, -0.02, 0.0), 0.0),
    ("victim", "actions_taken"): (0.76, (0.06, -0.03, -0.03, -0.05, -0.01), 0.0),
    ("victim", "treatment"): (0.90, (0.04, -0.02, -0.01, -0.03, 0.0), 0.0),
    ("domestic_abuse", "overall"): (0.83, (0, 0, 0, 0, 0), 0.0),
    ("domestic_abuse", "follow_up"): (0.61, (0, 0, 0, 0, 0), 0.0),
    ("domestic_abuse", "ease_of_contact"): (0.90, (0, 0, 0, 0, 0), 0.0),
    ("domestic_abuse", "actions_taken"): (0.78, (0, 0, 0, 0, 0), 0.0),
    ("domestic_abuse", "treatment"): (0.92, (0, 0, 0, 0, 0), 0.0),
}
BURGLARY_NORTH_FOLLOW_UP = 0.04  # North's burglary victims rate follow-up higher than South's
# Satisfaction drifts down through 2019, ease of contact fastest (longer waits on the 101
# line), treatment and actions taken least.
DRIFT_2019 = {
    "ease_of_contact": -0.04,
    "actions_taken": -0.015,
    "follow_up": -0.02,
    "treatment": -0.01,
    "overall": -0.03,
}
ANSWER_RATE = {
    "ease_of_contact": 0.70,
    "actions_taken": 0.97,
    "follow_up": 0.86,
    "treatment": 0.98,
    "overall": 0.995,
}
DA_ANSWER_RATE = {
    "ease_of_contact": 0.85,
    "actions_taken": 0.97,
    "follow_up": 0.69,
    "treatment": 0.98,
    "overall": 1.0,
}

# Calibration windows: (strata, last month, months, target). Strata "all" or "burglary".
RATE_TARGETS = {
    ("victim", "overall"): [
        ("all", "2018-12", 12, 0.792),
        ("all", "2019-09", 12, 0.775),
        ("all", "2019-12", 12, 0.765),
        ("burglary", "2019-12", 12, 0.843),
    ],
    ("victim", "follow_up"): [
        ("all", "2019-10", 1, 0.713),
        ("all", "2019-11", 1, 0.668),
        ("all", "2019-12", 1, 0.613),
        ("burglary", "2019-12", 12, 0.787),
        ("burglary", "2019-09", 12, 0.756),
    ],
    ("victim", "ease_of_contact"): [("all", "2019-09", 12, 0.933), ("all", "2019-12", 12, 0.923)],
    ("domestic_abuse", "overall"): [("all", "2019-12", 9, 0.818)],
    ("domestic_abuse", "follow_up"): [("all", "2019-12", 9, 0.594)],
}
ANSWER_TARGETS = {  # answered counts
    ("victim", "ease_of_contact"): [("all", "2019-09", 12, 945), ("all", "2019-12", 12, 915)],
    ("domestic_abuse", "follow_up"): [("all", "2019-12", 9, 111)],
}


@dataclass
class Responses:
    survey: np.ndarray
    crime: np.ndarray
    interviewed_at: np.ndarray
    district: np.ndarray
    crime_group: np.ndarray
    answers: dict[str, np.ndarray]  # question -> 1..7, 0 = no answer


def _mask(
    months: Months, strata_burglary: np.ndarray, which: str, last: str, span: int
) -> np.ndarray | None:
    end = months.index(last)
    if end - span + 1 < 0 or end >= len(months):
        return None
    mask = np.zeros((len(months), len(strata_burglary)), dtype=bool)
    cols = strata_burglary if which == "burglary" else np.ones(len(strata_burglary), dtype=bool)
    mask[end - span + 1 : end + 1, :] = cols
    return mask


def _windows(
    months: Months,
    strata_burglary: np.ndarray,
    rows: Iterable[tuple[str, str, int, float]],
    target_of: Callable[[float, np.ndarray], float],
) -> tuple[list[np.ndarray], list[float]]:
    """The masks of the calibration windows ``rows`` (which, last month, span, figure) that lie
    in ``months``, with the target ``target_of(figure, mask)`` of each."""
    masks: list[np.ndarray] = []
    targets: list[float] = []
    for which, last, span, figure in rows:
        mk = _mask(months, strata_burglary, which, last, span)
        if mk is not None:
            masks.append(mk)
            targets.append(target_of(figure, mk))
    return masks, targets


def solve_rates(
    p0: np.ndarray, weight: np.ndarray, masks: list[np.ndarray], targets: list[float]
) -> np.ndarray:
    """Add one step per window to ``p0`` so each window's weighted mean hits its target."""
    keep = [i for i, m in enumerate(masks) if (weight * m).sum() > 0]
    masks, targets = [masks[i] for i in keep], [targets[i] for i in keep]
    if not masks:
        return p0
    k = len(masks)
    a = np.zeros((k, k))
    b = np.zeros(k)
    for j, mj in enumerate(masks):
        wj = (weight * mj).sum()
        b[j] = targets[j] - (weight * mj * p0).sum() / wj
        for i, mi in enumerate(masks):
            a[j, i] = (weight * mj * mi).sum() / wj
    lam = np.linalg.lstsq(a, b, rcond=None)[0]
    return p0 + sum(lam[i] * masks[i] for i in range(k))


def _crime_group(c: Crimes, idx: np.ndarray) -> np.ndarray:
    fam = c.family[idx]
    g = np.full(len(idx), 4)
    g[fam == off.FAMILIES.index("b")] = 0
    g[np.isin(fam, [off.FAMILIES.index("v"), off.FAMILIES.index("r")])] = 1
    g[fam == off.FAMILIES.index("m")] = 2
    g[c.hate_crime[idx]] = 3
    return g


def _sample(
    rng: np.random.Generator,
    months: Months,
    quota: np.ndarray,
    pools: list[np.ndarray],
    mix: np.ndarray,
    c: Crimes,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interviews per month from pools of crimes recorded 6-12 weeks before each interview."""
    month = np.repeat(np.arange(len(months)), quota)
    n = len(month)
    day = np.floor(rng.random(n) * months.days[month]).astype(np.int64)
    hour = rng.choice(24, size=n, p=OFFICE)
    at = months.starts[month] + (day * 86400 + hour * 3600 + rng.integers(0, 3600, n)).astype(
        "timedelta64[s]"
    )
    group = rng.choice(len(pools), size=n, p=mix)
    crime = np.full(n, -1, dtype=np.int64)
    for g, pool in enumerate(pools):
        sel = np.flatnonzero(group == g)
        pt = c.recorded_at[pool]
        lo = np.searchsorted(pt, at[sel] - 84 * DAY, "left")
        hi = np.searchsorted(pt, at[sel] - 42 * DAY, "right")
        ok = hi > lo
        pick = lo + np.floor(rng.random(len(sel)) * (hi - lo)).astype(np.int64)
        crime[sel[ok]] = pool[pick[ok]]
    keep = crime >= 0
    return at[keep], crime[keep], group[keep]


def _answers(
    rng: np.random.Generator,
    months: Months,
    survey: str,
    month: np.ndarray,
    stratum: np.ndarray,
    n_strata: int,
    burglary_strata: np.ndarray,
    north_strata: np.ndarray,
    group_of_stratum: np.ndarray,
) -> dict[str, np.ndarray]:
    nm = len(months)
    n = np.zeros((nm, n_strata))
    np.add.at(n, (month, stratum), 1)
    cell = month * n_strata + stratum
    disposition = rng.normal(size=len(month))
    t19 = np.clip(months.decimal_year - 2019.0, 0.0, 1.0)[:, None]
    out: dict[str, np.ndarray] = {}
    rates = DA_ANSWER_RATE if survey == "domestic_abuse" else ANSWER_RATE
    for q in QUESTIONS:
        a0 = np.full((nm, n_strata), rates[q])
        amask, atarget = _windows(
            months,
            burglary_strata,
            ANSWER_TARGETS.get((survey, q), []),
            lambda count, mk: float(count) / max(float((n * mk).sum()), 1.0),
        )
        a = np.clip(solve_rates(a0, n, amask, atarget), 0, 1)
        answered_n = controlled_round(n * a, cap=n)
        answered = choose_k_per_group(rng, cell, answered_n.reshape(-1))
        base, effects, north = SATISFACTION[(survey, q)]
        p0 = (
            base
            + np.asarray(effects)[group_of_stratum][None, :]
            + north * north_strata[None, :]
            + DRIFT_2019[q] * t19
            + rng.normal(0, 0.015, (nm, 1))
        )
        if q == "follow_up":
            p0 = p0 + BURGLARY_NORTH_FOLLOW_UP * (burglary_strata & north_strata)[None, :]
        masks, targets = _windows(
            months, burglary_strata, RATE_TARGETS.get((survey, q), []), lambda target, _: target
        )
        p = np.clip(solve_rates(p0, answered_n, masks, targets), 0.02, 0.99)
        sat_n = controlled_round(answered_n * p, cap=answered_n)
        # unanswered respondents go to a group of their own, past the last cell
        grp = np.where(answered, cell, nm * n_strata)
        sat = choose_k_per_group(
            rng, grp, np.append(sat_n.reshape(-1), 0), np.exp(1.2 * disposition)
        )
        sat &= answered
        value = np.where(
            sat,
            rng.choice([1, 2, 3], len(month), p=[0.35, 0.45, 0.2]),
            rng.choice([4, 5, 6, 7], len(month), p=[0.35, 0.25, 0.2, 0.2]),
        )
        out[q] = np.where(answered, value, 0)
    return out


def generate_surveys(rng: np.random.Generator, months: Months, c: Crimes, v: Victims) -> Responses:
    with_victim = np.zeros(c.n, dtype=bool)
    with_victim[v.crime] = True
    eligible = with_victim & ~c.cancelled
    north_d = np.array([d.area == "North" for d in DISTRICTS])
    parts = []
    for survey in ("victim", "domestic_abuse"):
        if survey == "victim":
            cand = np.flatnonzero(eligible & ~c.domestic_abuse)
            g = _crime_group(c, cand)
            pools = [cand[g == k] for k in range(len(GROUPS))]
            mix = GROUP_MIX
            wiggle = rng.normal(0, 0.05, len(months))
            i19 = months.index("2019-12")
            if 11 <= i19 < len(months):
                wiggle[i19 - 11 : i19 + 1] -= wiggle[i19 - 11 : i19 + 1].mean()
            quota = controlled_round(VICTIM_QUOTA_2019 / 12 * (1 + wiggle))
        else:
            pools = [np.flatnonzero(eligible & c.domestic_abuse)]
            mix = np.array([1.0])
            quota = controlled_round(np.full(len(months), DA_QUOTA))
        at, crime, group = _sample(rng, months, quota, pools, mix, c)
        if survey == "domestic_abuse":
            group = np.where(c.family[crime] == off.FAMILIES.index("v"), 1, 4)
        north = north_d[c.district[crime]]
        stratum = group * 2 + north
        n_strata = len(GROUPS) * 2
        group_of = np.repeat(np.arange(len(GROUPS)), 2)
        north_of = np.tile([False, True], len(GROUPS))
        answers = _answers(
            rng, months, survey, months.of(at), stratum, n_strata, group_of == 0, north_of, group_of
        )
        parts.append(
            (
                np.full(len(at), survey),
                crime,
                at,
                c.district[crime],
                np.array(GROUPS)[group],
                answers,
            )
        )
    return Responses(
        survey=np.concatenate([p[0] for p in parts]),
        crime=np.concatenate([p[1] for p in parts]),
        interviewed_at=np.concatenate([p[2] for p in parts]),
        district=np.concatenate([p[3] for p in parts]),
        crime_group=np.concatenate([p[4] for p in parts]),
        answers={q: np.concatenate([p[5][q] for p in parts]) for q in QUESTIONS},
    )
