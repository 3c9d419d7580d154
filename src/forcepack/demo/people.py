"""Victims and suspects of each crime, with repeat victimisation and repeat offending.

Domestic abuse victims are drawn from small per-neighbourhood, per-year pools with
heavy-tailed weights, so some suffer several crimes within months and rank high on the Crime
Harm Index list. Other victims repeat occasionally; shops are repeat victims of shoplifting.
Suspects come from per-district pools with heavy tails: a high-harm cohort of repeat offenders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from forcepack.demo import offences as off
from forcepack.demo._util import DAY, HOUR, hex_ids
from forcepack.demo.crimes import Crimes


@dataclass
class Victims:
    crime: np.ndarray  # crime row index
    person: np.ndarray  # person number (unique per victim)
    priority_group: np.ndarray  # "" = standard
    priority_group_recorded_at: np.ndarray
    vcc_agreed: np.ndarray
    vcc_contact_days: np.ndarray  # 0 = none
    hub_referred_at: np.ndarray
    hub_referral_declined: np.ndarray

    @property
    def enhanced(self) -> np.ndarray:
        return self.priority_group != ""


def _pooled(
    rng: np.random.Generator, group: np.ndarray, crimes_per_person: float, shape: float, offset: int
) -> np.ndarray:
    """Person numbers for members of each group, drawn from a per-group pool with
    gamma-distributed weights (smaller shape = heavier tail of repeats)."""
    _uniq, inv, counts = np.unique(group, return_inverse=True, return_counts=True)
    size = np.maximum(np.ceil(counts / crimes_per_person), 1).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    w = rng.gamma(shape, 1.0, int(size.sum()))
    cum = np.cumsum(w)
    seg_lo = np.where(start > 0, cum[start - 1], 0.0)
    seg_hi = cum[start + size - 1]
    u = seg_lo[inv] + rng.random(len(group)) * (seg_hi - seg_lo)[inv]
    slot = np.searchsorted(cum, u, side="right")
    slot = np.clip(slot, start[inv], start[inv] + size[inv] - 1)
    return slot + offset


def generate_victims(
    rng: np.random.Generator, c: Crimes, end: np.datetime64 | None = None
) -> Victims:
    """The victims of the crimes. Nothing is dated after ``end``, the end of the extract: a Hub
    referral or a priority group that would be recorded later is not in it yet."""
    fam = c.family
    has_victim = rng.random(c.n) < off.HAS_VICTIM[fam]
    idx = np.flatnonzero(has_victim)
    year = c.recorded_at[idx].astype("datetime64[Y]").astype(np.int64)
    nb = c.neighbourhood[idx]
    da = c.domestic_abuse[idx]
    shop = fam[idx] == off.FAMILIES.index("h")
    person = np.empty(len(idx), dtype=np.int64)
    offset = 0
    for mask, group, per, shape in (
        (da, nb * 100 + year, 2.0, 0.5),
        (shop, nb, 12.0, 1.0),
        (~da & ~shop, nb, 1.12, 3.0),
    ):
        if mask.any():
            person[mask] = _pooled(rng, group[mask], per, shape, offset)
            offset = int(person[mask].max()) + 1
    # a second victim for a few crimes
    two = rng.random(len(idx)) < 0.04
    extra = idx[two]
    crime = np.concatenate([idx, extra])
    person = np.concatenate([person, offset + np.arange(len(extra))])
    n = len(crime)
    fam_v = fam[crime]
    serious = (
        c.domestic_abuse[crime]
        | c.hate_crime[crime]
        | np.isin(fam_v, [off.FAMILIES.index(f) for f in "sck"])
    )
    # persistently targeted: non-serious victims with three or more crimes
    _, pinv, pcount = np.unique(person, return_inverse=True, return_counts=True)
    persistent = (pcount[pinv] >= 3) & ~serious & (fam_v != off.FAMILIES.index("h"))
    r = rng.random(n)
    group = np.full(n, "", dtype=object)
    group[(r < 0.10)] = "vulnerable"
    group[(r >= 0.10) & (r < 0.13)] = "intimidated"
    group[persistent] = "persistently_targeted"
    group[serious] = "most_serious"
    group[fam_v == off.FAMILIES.index("h")] = ""
    group = group.astype(str)
    rec = c.recorded_at[crime]
    late = rng.random(n) < 0.12
    pg_at = rec + (rng.uniform(0, 2, n) * 3600).astype("timedelta64[s]")
    pg_at[late] = rec[late] + (rng.uniform(1, 30, int(late.sum())) * 86400).astype("timedelta64[s]")
    pg_at = np.where(group != "", pg_at, np.datetime64("NaT"))
    live = ~c.cancelled[crime]
    vcc = live & (rng.random(n) < np.where(serious, 0.7, 0.45))
    days = np.where(
        serious,
        rng.choice([7, 14, 28], n, p=[0.5, 0.35, 0.15]),
        rng.choice([7, 14, 28], n, p=[0.2, 0.45, 0.35]),
    )
    days = np.where(vcc, days, 0)
    declined = live & (rng.random(n) < 0.08)
    lag_h = np.where(rng.random(n) < 0.86, rng.uniform(0.5, 47, n), rng.uniform(49, 14 * 24, n))
    hub = rec + (lag_h * 3600).astype("timedelta64[s]")
    hub = np.where(live & ~declined, hub, np.datetime64("NaT"))
    if end is not None:
        hub = np.where(hub < end, hub, np.datetime64("NaT"))
        unrecorded = pg_at >= end
        group[unrecorded] = ""
        pg_at = np.where(unrecorded, np.datetime64("NaT"), pg_at)
    return Victims(crime, person, group, pg_at, vcc, days, hub, declined)


def victim_ids(v: Victims, salt: int) -> pa.Array:
    return hex_ids("V", v.person, salt)


@dataclass
class Suspects:
    crime: np.ndarray
    person: np.ndarray


def generate_suspects(rng: np.random.Generator, c: Crimes) -> Suspects:
    idx = np.flatnonzero(c.has_suspect)
    person = _pooled(rng, c.district[idx], 1.7, 0.3, 0)
    two = rng.random(len(idx)) < 0.12
    extra_crime = idx[two]
    extra_person = _pooled(rng, c.district[extra_crime] + 100, 1.5, 0.5, int(person.max()) + 1)
    crime = np.concatenate([idx, extra_crime])
    person = np.concatenate([person, extra_person])
    keep = np.unique(crime * 10_000_000 + person, return_index=True)[1]
    return Suspects(crime[keep], person[keep])


__all__ = ["DAY", "HOUR", "Suspects", "Victims", "generate_suspects", "generate_victims"]
