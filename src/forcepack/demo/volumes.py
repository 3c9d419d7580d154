"""Monthly volumes of recorded crime, domestic abuse, child sexual abuse and serious sexual
offences against adults.

Recorded crime per district and month is a smooth rate (population x crime rate x trend x
seasonality) times a small seeded month-to-month variation. Two force-wide parameters are
chosen to suit the seed's variation rather than fixed: the general growth rate (so that the
rolling 12-month total crosses the long-term benchmark's upper limit between October and
November 2019, as in the model board paper) and the size of the autumn 2019 rise (so that
December 2019 is 700-799 crimes above December 2018). Both are solved on the monthly series,
never on records.

Not every offence grows with recorded crime: serious sexual offences against adults are a
volume of their own, steady since recording improved in 2015 (a share of them domestic abuse),
and the 2019 rise in child sexual abuse is in reports of non-contact offences (sexual activity
with a child, exploitation), so recorded serious sexual offences hold steady while child sexual
abuse doubles, as in the model board paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forcepack.demo._util import Months, controlled_round, seasonal
from forcepack.demo.config import CRIME_SEASON, DA_SEASON, DISTRICTS

CANCELLED_SHARE = 0.012
NOISE = 0.01  # month-to-month variation of each district's rate
COMMON_NOISE = 0.01  # force-wide month-to-month variation (weather, events)
# Recording improvements through 2015 (after the national crime-data integrity inspections).
RECORDING_2015 = 0.90
DEC_DIFF_TARGET = 750.0  # December 2019 over December 2018
# The rolling total's distance to the benchmark's upper limit is balanced between October
# 2019 (below) and November 2019 (above).
# Autumn 2019 rise (all districts), as a share of its full size, September to December.
SURGE_RAMP = {"2019-09": 0.3, "2019-10": 0.6, "2019-11": 1.0, "2019-12": 1.0}
# Peterborough's own late-2019 rise (a city-centre operation), on top of the force's.
PETERBOROUGH_RAMP = {"2019-10": 1.03, "2019-11": 1.05, "2019-12": 1.20}
#: Serious sexual offences against adults recorded per month, force-wide (before seasonality
#: and the 2015 recording improvement), their month-to-month variation, and the share that is
#: domestic abuse (part of the domestic abuse volume).
SSO_MONTHLY = 150.0
SSO_NOISE = 0.04
SSO_DOMESTIC_SHARE = 0.30


@dataclass(frozen=True, slots=True)
class CrimeVolumes:
    recorded: np.ndarray  # (districts, months) crimes not cancelled
    cancelled: np.ndarray  # (districts, months)
    domestic_abuse: np.ndarray  # (districts, months), part of recorded
    child_sexual_abuse: np.ndarray  # (districts, months), part of recorded
    growth: float
    surge: float
    # (districts, months): the part of child_sexual_abuse that is the 2019 rise in non-contact
    # offences; serious sexual offences against adults, and those of them that are domestic
    # abuse (part of domestic_abuse)
    child_sexual_abuse_non_contact: np.ndarray | None = None
    serious_sexual: np.ndarray | None = None
    serious_sexual_domestic: np.ndarray | None = None


def _ramp(months: Months, ramp: dict[str, float], default: float) -> np.ndarray:
    out = np.full(len(months), default)
    for ym, v in ramp.items():
        i = months.index(ym)
        if 0 <= i < len(months):
            out[i] = v
    return out


def _rates(
    months: Months, noise: np.ndarray, growth: float, surge: float, scale: float
) -> np.ndarray:
    t = months.decimal_year - 2015.0
    t19 = np.clip(months.decimal_year - 2019.0, 0.0, None)
    season = seasonal(months.month_of_year, CRIME_SEASON)
    surge_f = 1.0 + surge * _ramp(months, SURGE_RAMP, 0.0)
    recording = RECORDING_2015 + (1 - RECORDING_2015) * np.clip(t / (10 / 12), 0.0, 1.0)
    rows = []
    for i, d in enumerate(DISTRICTS):
        g = growth + (d.growth - 0.012)
        lam = d.population / 1000.0 * d.crime_rate * (1 + g) ** (t - 1) * (1 + d.growth_2019) ** t19
        lam = lam * season * surge_f * recording * (1 + noise[i]) * scale
        if d.name == "Peterborough":
            lam = lam * _ramp(months, PETERBOROUGH_RAMP, 1.0)
        rows.append(lam)
    return np.array(rows)


def benchmark_margin(total: np.ndarray, i: int) -> float:
    """Rolling 12-month total ending at month ``i`` minus the long-term benchmark's upper limit."""
    base = total[i - 47 : i - 11].astype(float)
    mu = base.mean()
    sigma = np.abs(np.diff(base)).mean() / 1.128
    return float(total[i - 11 : i + 1].sum() - (12 * mu + 3 * np.sqrt(12) * sigma))


def _counts(lam: np.ndarray, exact: bool = True) -> np.ndarray:
    return controlled_round(lam.T).T if exact else np.rint(lam)


def _solve(months: Months, noise: np.ndarray, scale: float) -> tuple[float, float]:
    dec19, dec18 = months.index("2019-12"), months.index("2019-12") - 12
    oct19 = months.index("2019-10")
    if scale != 1.0 or dec18 < 47 or dec19 >= len(months) or dec19 < 0:
        return 0.02, 0.06

    def surge_for(g: float) -> float:
        lo, hi = -0.1, 0.4
        for _ in range(25):
            mid = (lo + hi) / 2
            n = _counts(_rates(months, noise, g, mid, scale), exact=False).sum(0)
            if n[dec19] - n[dec18] < DEC_DIFF_TARGET:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    lo, hi = -0.03, 0.08
    for _ in range(22):
        g = (lo + hi) / 2
        s = surge_for(g)
        n = _counts(_rates(months, noise, g, s, scale), exact=False).sum(0)
        if benchmark_margin(n, oct19) + benchmark_margin(n, oct19 + 1) < 0:
            lo = g
        else:
            hi = g
    g = (lo + hi) / 2
    return g, surge_for(g)


def crime_volumes(rng: np.random.Generator, months: Months, scale: float = 1.0) -> CrimeVolumes:
    """Monthly crime counts per district, with the domestic abuse and CSA parts."""
    noise = rng.normal(0.0, NOISE, size=(len(DISTRICTS), len(months)))
    noise = noise + rng.normal(0.0, COMMON_NOISE, size=len(months))
    growth, surge = _solve(months, noise, scale)
    lam = _rates(months, noise, growth, surge, scale)
    recorded = _counts(lam)
    cancelled = _counts(recorded * CANCELLED_SHARE)
    t = months.decimal_year - 2015.0
    total = recorded.sum(0)
    # Domestic abuse: a rising share of recorded crime, with its own seasonality.
    da_share = (
        (0.115 + 0.0095 * t)
        * seasonal(months.month_of_year, DA_SEASON)
        / seasonal(months.month_of_year, CRIME_SEASON)
    )
    da_total = controlled_round(total * da_share)
    # Child sexual abuse: slowly rising, then doubling through 2019 (more reports of non-contact
    # offences: sexual activity with a child, exploitation).
    t19 = np.clip(months.decimal_year - 2019.0, 0.0, 1.0)
    csa_noise = 1 + rng.normal(0, 0.02, len(months))
    csa_base = (26.0 + 1.5 * t) * csa_noise * scale
    csa_total = controlled_round(csa_base * (1.0 + t19))
    share = recorded / np.maximum(total, 1)
    da = controlled_round(share.T * da_total[:, None]).T
    csa = controlled_round(share.T * csa_total[:, None]).T
    csa = np.minimum(csa, recorded - da)
    non_contact = np.minimum(controlled_round(share.T * (csa_base * t19)[:, None]).T, csa)
    # Serious sexual offences against adults: steady, by population, with their own variation.
    pop = np.array([d.population for d in DISTRICTS], dtype=float)
    recording = RECORDING_2015 + (1 - RECORDING_2015) * np.clip(t / (10 / 12), 0.0, 1.0)
    sso_total = (
        SSO_MONTHLY
        * seasonal(months.month_of_year, CRIME_SEASON)
        * recording
        * (1 + rng.normal(0, SSO_NOISE, len(months)))
        * scale
    )
    sso = controlled_round(np.outer(sso_total, pop / pop.sum())).T
    sso_da = np.minimum(controlled_round((sso * SSO_DOMESTIC_SHARE).T).T, da)
    sso = np.minimum(sso, recorded - csa - da + sso_da)
    return CrimeVolumes(recorded, cancelled, da, csa, growth, surge, non_contact, sso, sso_da)
