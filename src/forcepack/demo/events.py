"""Investigation events (the Victims' Code key events) and contacts with victims.

Events follow recording and agree with the outcome: a charge (after a CPS decision for serious
offences) for outcome 1, an out-of-court disposal for outcomes 2-8, no further action for the
other outcomes with a suspect. Victims hear of each key event within the Code's time limit (1
working day for enhanced entitlement, 5 otherwise) most of the time; compliance drifts month to
month. Victims with a victim care contract get updates at about their agreed interval, with
some gaps too long.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import holidays
import numpy as np

from forcepack.contract.vocab import CONTACT_CHANNELS, ContactChannel, ContactType
from forcepack.demo import offences as off
from forcepack.demo._util import HOUR, OFFICE, Months, working_days_after
from forcepack.demo.crimes import Crimes
from forcepack.demo.people import Victims


@dataclass
class Events:
    crime: np.ndarray
    event_type: np.ndarray
    event_at: np.ndarray


@dataclass
class Contacts:
    crime: np.ndarray
    victim: np.ndarray  # row in Victims
    contact_at: np.ndarray
    contact_type: np.ndarray
    channel: np.ndarray


CHANNELS = np.array(CONTACT_CHANNELS)  # the contract's order: phone, email, letter, ...
CHANNEL_P = np.array([0.58, 0.16, 0.08, 0.1, 0.07, 0.01])


@cache
def bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def _at(base: np.ndarray, lo_h: float, hi_h: float, rng: np.random.Generator) -> np.ndarray:
    return base + (rng.uniform(lo_h, hi_h, len(base)) * 3600).astype("timedelta64[s]")


def generate_events(rng: np.random.Generator, months: Months, c: Crimes) -> Events:
    end = months.period_end
    crime_l, type_l, at_l = [], [], []

    def add(idx: np.ndarray, kind: str, at: np.ndarray) -> None:
        ok = at < end
        crime_l.append(idx[ok])
        type_l.append(np.full(int(ok.sum()), kind))
        at_l.append(at[ok])

    sus = np.flatnonzero(c.has_suspect)
    rec = c.recorded_at[sus]
    horizon = np.where(c.finalised[sus], c.outcome_at[sus], end)
    span = np.maximum((horizon - rec).astype(float), 3600.0)
    fam = c.family[sus]
    arrest_p = np.where(
        c.domestic_abuse[sus],
        0.75,
        np.where(np.isin(fam, [off.FAMILIES.index(f) for f in "vsckrbw"]), 0.6, 0.3),
    )
    arrested = rng.random(len(sus)) < arrest_p
    arrest_at = rec + (span * rng.uniform(0.0, 0.15, len(sus))).astype("timedelta64[s]")
    add(sus[arrested], "arrest", arrest_at[arrested])
    interviewed = arrested | (rng.random(len(sus)) < 0.5)
    interview_at = np.where(
        arrested,
        arrest_at + (rng.uniform(1, 12, len(sus)) * 3600).astype("timedelta64[s]"),
        rec + (span * rng.uniform(0.05, 0.5, len(sus))).astype("timedelta64[s]"),
    )
    interview_at = np.minimum(interview_at, horizon - np.timedelta64(1, "s"))
    interview_at = np.maximum(interview_at, rec)
    add(sus[interviewed], "interview", interview_at[interviewed])
    r = rng.random(len(sus))
    bail = arrested & (r < 0.3)
    rui = arrested & (r >= 0.3) & (r < 0.6)
    add(sus[bail], "bail", interview_at[bail] + HOUR)
    add(sus[rui], "released_under_investigation", interview_at[rui] + HOUR)
    # outcome events
    fin = np.flatnonzero(c.finalised & c.has_suspect)
    code = c.outcome_code[fin]
    at = c.outcome_at[fin]
    charged = code == 1
    serious = np.isin(c.family[fin], [off.FAMILIES.index(f) for f in "vsckrb"])
    cps = charged & serious
    cps_at = at[cps] - (rng.uniform(2, 48, int(cps.sum())) * 3600).astype("timedelta64[s]")
    add(fin[cps], "cps_decision", np.maximum(cps_at, c.recorded_at[fin[cps]]))
    add(fin[charged], "charge", at[charged])
    oocd = np.isin(code, [2, 3, 6, 7, 8])
    add(fin[oocd], "out_of_court_disposal", at[oocd])
    nfa = ~charged & ~oocd & (code != 4)
    add(fin[nfa], "no_further_action", at[nfa])
    court = charged & (rng.random(len(fin)) < 0.9)
    add(
        fin[court],
        "court_date",
        at[court] + (rng.uniform(14, 120, int(court.sum())) * 86400).astype("timedelta64[s]"),
    )
    crime = np.concatenate(crime_l)
    kind = np.concatenate(type_l)
    event_at = np.concatenate(at_l)
    order = np.lexsort((event_at, crime))
    return Events(crime[order], kind[order], event_at[order])


#: Victim care contract updates come after 55-100% of the agreed interval.
VCC_SHORTEST_GAP = 0.55
#: At most this many updates for one victim (a 7-day contract open for about five years).
VCC_MAX_UPDATES = 480
#: Share of victim care contract updates that come late (after more than the agreed interval).
VCC_LATE_SHARE = 0.035


def _office_time(rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    hour = rng.choice(24, size=len(day), p=OFFICE)
    return day.astype("datetime64[s]") + (hour * 3600 + rng.integers(0, 3600, len(day))).astype(
        "timedelta64[s]"
    )


def _drift(months: Months, rng: np.random.Generator, mean: float, amp: float) -> np.ndarray:
    """A monthly compliance rate that wanders around ``mean``."""
    walk = np.cumsum(rng.normal(0, amp / 3, len(months)))
    walk = walk - np.linspace(walk[0], walk[-1], len(months)) * 0.5
    seasonal_dip = 0.02 * np.cos(2 * np.pi * (months.month_of_year - 8) / 12)
    return np.clip(mean + walk + seasonal_dip, 0.4, 0.98)


def generate_contacts(
    rng: np.random.Generator, months: Months, c: Crimes, v: Victims, e: Events
) -> Contacts:
    end = months.period_end
    hol = bank_holidays(int(months.year[0]) - 1, int(months.year[-1]) + 1)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, str]] = []
    # needs assessment at first contact
    nv = len(v.crime)
    rec = c.recorded_at[v.crime]
    assessed = rng.random(nv) < np.where(c.cancelled[v.crime], 0.4, 0.96)
    lag_h = np.where(rng.random(nv) < 0.85, rng.uniform(0.5, 24, nv), rng.uniform(24, 240, nv))
    at = rec + (lag_h * 3600).astype("timedelta64[s]")
    ok = assessed & (at < end)
    parts.append((v.crime[ok], np.flatnonzero(ok), at[ok], "needs_assessment"))
    # key-event contacts: each event, each victim of the crime
    order = np.argsort(v.crime, kind="stable")
    vc = v.crime[order]
    lo = np.searchsorted(vc, e.crime, "left")
    hi = np.searchsorted(vc, e.crime, "right")
    reps = hi - lo
    ev = np.repeat(np.arange(len(e.crime)), reps)
    within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    vic = order[np.repeat(lo, reps) + within]
    ev_at = e.event_at[ev]
    enhanced = v.enhanced[vic] & (v.priority_group_recorded_at[vic] <= ev_at)
    month = months.of(ev_at)
    comp_enh = _drift(months, rng, 0.80, 0.05)[month]
    comp_std = _drift(months, rng, 0.88, 0.04)[month]
    made = rng.random(len(ev)) < 0.96
    ok_p = np.where(enhanced, comp_enh, comp_std)
    on_time = rng.random(len(ev)) < ok_p
    limit = np.where(enhanced, 1, 5)
    k = np.where(on_time, rng.integers(0, limit + 1), limit + rng.integers(1, 8, len(ev)))
    day = working_days_after(ev_at, k, hol)
    at = _office_time(rng, day)
    at = np.where(
        at <= ev_at, ev_at + (rng.uniform(0.5, 3, len(ev)) * 3600).astype("timedelta64[s]"), at
    )
    ok = made & (at < end)
    parts.append((v.crime[vic[ok]], vic[ok], at[ok], "key_event"))
    # updates for victims with a victim care contract, while the crime is open
    w = np.flatnonzero(v.vcc_contact_days > 0)
    stop = np.where(c.finalised[v.crime[w]], c.outcome_at[v.crime[w]], end)
    interval = v.vcc_contact_days[w].astype(float)
    dur = (stop - rec[w]).astype(float) / 86400.0
    # enough gaps of the shortest length to reach the stop: the chain of updates runs until the
    # crime's outcome or the end of the extract, and those after it are dropped below (so the
    # last weeks of the extract are as well covered as any others)
    n_upd = np.clip(
        np.ceil(dur / (interval * VCC_SHORTEST_GAP)).astype(np.int64) + 1, 0, VCC_MAX_UPDATES
    )
    vic = np.repeat(w, n_upd)
    step = np.repeat(interval, n_upd)
    gap = step * rng.uniform(VCC_SHORTEST_GAP, 1.0, len(vic))
    first = np.repeat(np.cumsum(n_upd) - n_upd, n_upd)

    def running(g: np.ndarray) -> np.ndarray:
        """Days from recording to each update: the running total of a victim's gaps."""
        total = np.cumsum(g)
        return total - (total[first] - g[first])

    # Now and then an update is late (a gap beyond the agreed interval), with a probability
    # that wanders over the months: each gap is late or not on its own, so the last weeks of
    # the extract have no more late updates than any others.
    opened = rec[vic] + ((running(gap) - gap) * 86400).astype("timedelta64[s]")
    opened_month = np.clip(months.of(opened), 0, len(months) - 1)
    late_p = 1.0 - _drift(months, rng, 1.0 - VCC_LATE_SHARE, VCC_LATE_SHARE / 3)[opened_month]
    stretch = rng.random(len(vic)) < late_p
    gap[stretch] = step[stretch] * rng.uniform(1.2, 2.5, int(stretch.sum()))
    cum = running(gap)
    at = rec[vic] + (cum * 86400).astype("timedelta64[s]")
    ok = (at < np.repeat(stop, n_upd)) & (at < end)
    parts.append((v.crime[vic[ok]], vic[ok], at[ok], "update"))
    crime = np.concatenate([p[0] for p in parts])
    victim = np.concatenate([p[1] for p in parts])
    at = np.concatenate([p[2] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[3]) for p in parts])
    channel = CHANNELS[rng.choice(len(CHANNELS), size=len(crime), p=CHANNEL_P)]
    needs = kind == ContactType.NEEDS_ASSESSMENT
    channel[needs] = np.where(
        rng.random(int(needs.sum())) < 0.7, ContactChannel.IN_PERSON, ContactChannel.PHONE
    )
    order = np.lexsort((at, crime))
    return Contacts(crime[order], victim[order], at[order], kind[order], channel[order])
