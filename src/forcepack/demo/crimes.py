"""Recorded crimes: offence, place, flags, times, incident links, status and outcome.

Counts per district and month come from :mod:`forcepack.demo.volumes`; everything else is drawn
per crime with numpy. Outcomes follow recording after an investigation whose length depends on
the offence (longer through 2019, as backlogs grew). Which finalised crimes get a
prosecution-possible outcome follows a monthly rate (falling nationally since 2015, higher each
December), chosen among crimes weighted by how often their offence ends in one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forcepack.demo import offences as off
from forcepack.demo._util import DAY, HOUR, Months, choose_k_per_group, controlled_round
from forcepack.demo.config import DISTRICTS
from forcepack.demo.volumes import CrimeVolumes

PP_CODES = np.array([1, 2, 3, 4, 5, 6, 7, 8])
PP_WEIGHTS = np.array([55, 3, 12, 3, 0.3, 5, 0, 20], dtype=float)
# Outcomes that are not prosecution-possible, with a suspect / without one.
NPP_SUSPECT = np.array([9, 10, 11, 12, 13, 15, 16, 17, 20, 21])
NPP_SUSPECT_W = np.array([1, 4, 1, 0.3, 0.5, 14, 30, 0.3, 3, 6], dtype=float)
NPP_NO_SUSPECT = np.array([14, 18])
NPP_NO_SUSPECT_W = np.array([1, 4], dtype=float)
DEC_PP_RATE = 0.117  # December's prosecution-possible rate (2018 and 2019)
PP_ROLLING_TARGET = 0.097  # the 12 months to November and December 2019


@dataclass
class Crimes:
    """Column arrays of the crimes table, plus working columns used by other families."""

    n: int
    month: np.ndarray
    recorded_at: np.ndarray
    occurred_at: np.ndarray
    offence_code: np.ndarray
    family: np.ndarray  # index into offences.FAMILIES
    district: np.ndarray  # index into DISTRICTS
    neighbourhood: np.ndarray  # global neighbourhood index
    lsoa_code: np.ndarray
    domestic_abuse: np.ndarray
    child_sexual_abuse: np.ndarray
    child_sexual_exploitation: np.ndarray
    serious_sexual_offence: np.ndarray
    hate_crime: np.ndarray
    knife_crime: np.ndarray
    cancelled: np.ndarray
    finalised: np.ndarray
    outcome_code: np.ndarray  # 0 = none
    outcome_at: np.ndarray  # NaT when none
    next_review_due: np.ndarray  # NaT when none
    has_suspect: np.ndarray
    linked: np.ndarray  # raised from an incident
    owning_unit: np.ndarray


def neighbourhood_table() -> tuple[list[tuple[str, str, str]], np.ndarray, np.ndarray]:
    """(code, district_code, name) rows, the district of each, and each one's relative weight."""
    rows, district, weight = [], [], []
    for i, d in enumerate(DISTRICTS):
        for j, name in enumerate(d.neighbourhoods):
            rows.append((f"{d.short}-{j + 1:02d}", d.code, f"{d.name} {name}"))
            district.append(i)
            weight.append(1.6 if j == 0 else 1.0)
    return rows, np.array(district), np.array(weight)


def _place(rng: np.random.Generator, district: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, nb_district, nb_weight = neighbourhood_table()
    nb = np.empty(len(district), dtype=np.int64)
    for i in range(len(DISTRICTS)):
        idx = np.flatnonzero(district == i)
        cand = np.flatnonzero(nb_district == i)
        p = nb_weight[cand] / nb_weight[cand].sum()
        nb[idx] = rng.choice(cand, size=len(idx), p=p)
    lsoa_n = rng.integers(0, 8, size=len(district))
    lsoa = np.char.add(np.char.add("E0199", np.char.zfill(nb.astype(str), 3)), lsoa_n.astype(str))
    return nb, lsoa


def _offences(rng: np.random.Generator, vol: CrimeVolumes) -> tuple[np.ndarray, ...]:
    """Per crime: month, district, offence code, DA flag, CSA flag, cancelled flag."""
    parts = []
    nd, nm = vol.recorded.shape
    dm = np.arange(nd * nm)
    d_of, m_of = dm // nm, dm % nm
    zero = np.zeros_like(vol.recorded)
    non_contact = vol.child_sexual_abuse_non_contact
    non_contact = zero if non_contact is None else non_contact
    sso = zero if vol.serious_sexual is None else vol.serious_sexual
    sso_da = zero if vol.serious_sexual_domestic is None else vol.serious_sexual_domestic
    families = [
        (vol.domestic_abuse - sso_da, off.DA_MIX, 1),
        (sso_da, off.SSO_DOMESTIC_MIX, 1),
        (vol.child_sexual_abuse - non_contact, off.CSA_MIX, 2),
        (non_contact, off.CSA_NON_CONTACT_MIX, 2),
        (sso - sso_da, off.SSO_MIX, 0),
        (
            vol.recorded - vol.domestic_abuse - vol.child_sexual_abuse - sso + sso_da,
            off.GENERAL_MIX,
            0,
        ),
        (vol.cancelled, off.GENERAL_MIX, 3),
    ]
    for counts, mix, family_kind in families:
        reps = counts.reshape(-1)
        codes, p = off.mix_arrays(mix)
        n = int(reps.sum())
        parts.append(
            (
                np.repeat(m_of, reps),
                np.repeat(d_of, reps),
                codes[rng.choice(len(codes), size=n, p=p)],
                np.full(n, family_kind),
            )
        )
    month = np.concatenate([p[0] for p in parts])
    district = np.concatenate([p[1] for p in parts])
    code = np.concatenate([p[2] for p in parts])
    kind = np.concatenate([p[3] for p in parts])
    return month, district, code, kind


def _investigation_days(
    rng: np.random.Generator, fam: np.ndarray, recorded_at: np.ndarray, da: np.ndarray
) -> np.ndarray:
    """Days from recording to outcome: log-normal around the offence's median. From mid-2018
    the long tail grows (complex cases wait longer as backlogs build), so the open
    investigations age through 2019 while most crimes still close as quickly as before."""
    t = (recorded_at.astype("datetime64[M]").astype(int) + 1970 * 12) / 12.0
    sigma = 1.0 + 0.8 * np.clip((t - 2018.0) / 2.0, 0.0, 1.0)
    med = off.MEDIAN_DAYS[fam] * np.where(da, 1.3, 1.0)
    z = rng.normal(0.0, 1.0, size=len(fam))
    return med * np.exp(np.where(z > 0, sigma * z, z))


def _pp_rates(months: Months, rng: np.random.Generator, n_out: np.ndarray) -> np.ndarray:
    """Monthly prosecution-possible rate of outcomes assigned in each month."""
    t = months.decimal_year - 2015.0
    rate = 0.135 - 0.008 * t + rng.normal(0.0, 0.003, len(months))
    dec = months.month_of_year == 12
    rate[dec] += 0.018
    i19 = months.index("2019-12")
    if 23 <= i19 < len(months):
        rate[i19] = rate[i19 - 12] = DEC_PP_RATE
        body = np.arange(i19 - 11, i19)  # January to November 2019
        # shift January-November 2019 so that both rolling windows average the target
        for_nov = np.arange(i19 - 12, i19)
        for_dec = np.arange(i19 - 11, i19 + 1)
        w = n_out.astype(float)
        num = (w[for_nov] * rate[for_nov]).sum() + (w[for_dec] * rate[for_dec]).sum()
        den = w[for_nov].sum() + w[for_dec].sum()
        shift = (PP_ROLLING_TARGET * den - num) / (2 * w[body].sum())
        rate[body] += shift
    return np.clip(rate, 0.02, 0.5)


def _outcomes(rng: np.random.Generator, months: Months, c: Crimes) -> None:
    fin = np.flatnonzero(c.finalised)
    out_month = months.of(c.outcome_at[fin])
    n_out = np.bincount(out_month, minlength=len(months))
    rate = _pp_rates(months, rng, n_out)
    k = controlled_round(n_out * rate)
    pp = choose_k_per_group(rng, out_month, k, off.PP_PROPENSITY[c.family[fin]])
    code = np.zeros(len(fin), dtype=np.int64)
    code[pp] = PP_CODES[rng.choice(8, size=int(pp.sum()), p=PP_WEIGHTS / PP_WEIGHTS.sum())]
    # cannabis warnings for cannabis possession, instead of a share of the charges
    cannabis = pp & (c.offence_code[fin] == "92E") & (rng.random(len(fin)) < 0.45)
    code[cannabis] = 7
    # the rest: with a suspect (evidential difficulties...) or without (no suspect identified)
    rest = ~pp
    suspect_p = np.where(
        np.isin(c.family[fin], [off.FAMILIES.index(f) for f in "vspckr"]), 0.8, 0.3
    )
    with_suspect = rest & (rng.random(len(fin)) < suspect_p)
    code[with_suspect] = NPP_SUSPECT[
        rng.choice(
            len(NPP_SUSPECT), size=int(with_suspect.sum()), p=NPP_SUSPECT_W / NPP_SUSPECT_W.sum()
        )
    ]
    without = rest & ~with_suspect
    code[without] = NPP_NO_SUSPECT[
        rng.choice(2, size=int(without.sum()), p=NPP_NO_SUSPECT_W / NPP_NO_SUSPECT_W.sum())
    ]
    c.outcome_code[fin] = code
    c.has_suspect[fin] = ~np.isin(code, [14, 18, 19])


def _owning_unit(c: Crimes) -> np.ndarray:
    fam = np.array(list(off.FAMILIES))[c.family]
    north = np.array([DISTRICTS[i].area == "North" for i in range(len(DISTRICTS))])[c.district]
    unit = np.where(north, "NPT North", "NPT South").astype(object)
    unit[np.isin(fam, list("vpd"))] = "Response"
    unit[np.isin(fam, list("tmh"))] = "RIT"
    unit[np.isin(fam, list("borgw"))] = "CID"
    unit[fam == "s"] = "PVP/RASSO"
    unit[c.domestic_abuse] = "PVP/DAIT"
    unit[c.child_sexual_abuse | c.child_sexual_exploitation] = "CAISU"
    unit[fam == "k"] = "MCU"
    return unit.astype(str)


def generate_crimes(rng: np.random.Generator, months: Months, vol: CrimeVolumes) -> Crimes:
    month, district, code, kind = _offences(rng, vol)
    order = np.argsort(month, kind="stable")
    month, district, code, kind = month[order], district[order], code[order], kind[order]
    n = len(month)
    recorded_at = months.starts[month] + (rng.random(n) * months.days[month] * 86400).astype(
        "timedelta64[s]"
    )
    order = np.argsort(recorded_at, kind="stable")
    month, district, code, kind, recorded_at = (
        month[order],
        district[order],
        code[order],
        kind[order],
        recorded_at[order],
    )
    fam = off.family_index(code)
    nb, lsoa = _place(rng, district)
    # occurred: mostly hours before recording; some days; a few historic reports
    lag = rng.exponential(18.0, n) * 3600
    days = rng.random(n) < 0.05
    lag[days] = rng.uniform(2, 60, int(days.sum())) * 86400
    sexual = np.isin(fam, [off.FAMILIES.index("s"), off.FAMILIES.index("c")])
    historic = rng.random(n) < np.where(sexual, 0.25, 0.008)
    lag[historic] = rng.uniform(1, 15, int(historic.sum())) * 365 * 86400
    occurred_at = recorded_at - lag.astype("timedelta64[s]")
    da = kind == 1
    csa = kind == 2
    cse = (code == "71") | (csa & (code == "22B") & (rng.random(n) < 0.2))
    sso = np.isin(code, list(off.SSO))
    knife = np.isin(code, list(off.KNIFE_ALWAYS))
    for oc, p in off.KNIFE_SOMETIMES.items():
        knife |= (code == oc) & (rng.random(n) < p)
    hate_p = np.where(np.isin(fam, [off.FAMILIES.index(f) for f in "vpd"]), 0.035, 0.002)
    hate = np.isin(code, list(off.HATE_ALWAYS)) | ((rng.random(n) < hate_p) & ~da)
    cancelled = kind == 3
    linked = (rng.random(n) < off.LINK_SHARE[fam]) & ~historic
    # investigation and outcome
    inv_days = _investigation_days(rng, fam, recorded_at, da)
    outcome_at = recorded_at + (inv_days * 86400).astype("timedelta64[s]")
    finalised = (outcome_at < months.period_end) & ~cancelled
    outcome_at = np.where(finalised, outcome_at, np.datetime64("NaT"))
    review = months.period_end + (rng.uniform(-25, 28, n) * 86400).astype("timedelta64[s]")
    open_ = ~finalised & ~cancelled
    next_review = np.where(open_, review, np.datetime64("NaT")).astype("datetime64[D]")
    c = Crimes(
        n=n,
        month=month,
        recorded_at=recorded_at,
        occurred_at=occurred_at,
        offence_code=code,
        family=fam,
        district=district,
        neighbourhood=nb,
        lsoa_code=lsoa,
        domestic_abuse=da,
        child_sexual_abuse=csa,
        child_sexual_exploitation=cse,
        serious_sexual_offence=sso,
        hate_crime=hate,
        knife_crime=knife,
        cancelled=cancelled,
        finalised=finalised,
        outcome_code=np.zeros(n, dtype=np.int64),
        outcome_at=outcome_at,
        next_review_due=next_review,
        has_suspect=open_ & (rng.random(n) < np.where(sexual | da, 0.75, 0.4)),
        linked=linked,
        owning_unit=np.array([], dtype=str),
    )
    _outcomes(rng, months, c)
    c.owning_unit = _owning_unit(c)
    return c


def incident_created_at(rng: np.random.Generator, c: Crimes, idx: np.ndarray) -> np.ndarray:
    """When the incident behind each linked crime was created: before recording, after the
    offence, usually within a day."""
    gap = np.minimum(c.recorded_at[idx] - c.occurred_at[idx], 48 * HOUR).astype(float)
    back = gap * rng.uniform(0.2, 0.9, len(idx))
    return c.recorded_at[idx] - back.astype("timedelta64[s]")


__all__ = ["DAY", "Crimes", "generate_crimes", "incident_created_at", "neighbourhood_table"]
