"""Sentences on recorded crime, demand, outcomes, priorities and national context.

Counts of records are complete, so their direction is stated as fact; the rolling 12-month
total is judged against the long-term benchmark; records ("the highest month on record") are
claimed only when the series shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from forcepack.report import format as fmt
from forcepack.report.facts import Direction, Share, compare, direction
from forcepack.report.inputs import NationalFigure
from forcepack.report.narrative import say

_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
)


def _count_dir(now: float, then: float) -> Direction:
    return direction(now, then, places=0, scale=1.0)


def over(n: int) -> str:
    """'over 700' style rounding down to the hundred (exact below 100)."""
    if abs(n) < 100:
        return fmt.number(abs(n))
    return f"over {fmt.number(abs(n) // 100 * 100)}"


def recorded_month(
    now: int, previous: int, month: dt.date, districts: Mapping[str, tuple[int, int]]
) -> str:
    """4.3.4: month on month, naming districts that moved against the force total."""
    d = _count_dir(now, previous)
    word = {"higher": "rose", "lower": "fell", "same": "was unchanged"}[d.value]
    exception = ""
    if d is not Direction.SAME:
        against = [
            name
            for name, (a, b) in districts.items()
            if _count_dir(a, b) not in (d, Direction.SAME)
        ]
        an_opposite = "an increase" if d is Direction.LOWER else "a fall"
        if len(against) == 1:
            exception = say(
                "crime.recorded.exception_one", name=against[0], an_opposite=an_opposite
            )
        elif 1 < len(against) <= len(districts) // 2:
            exception = say(
                "crime.recorded.exception_many", names=fmt.join(against), an_opposite=an_opposite
            )
    return say(
        "crime.recorded.month",
        word=word,
        previous=fmt.number(previous),
        previous_month=fmt.month_name(fmt.add_months(month, -1)),
        now=fmt.number(now),
        month=fmt.month_name(month),
        exception=exception,
    )


def recorded_year(now: int, then: int, month: dt.date, benchmark: str | None, streak: int) -> str:
    """Year on year, and the rolling total against the long-term benchmark."""
    diff = now - then
    about = over(diff)
    text = say(
        "crime.recorded.year",
        about=about[0].upper() + about[1:],
        word="more" if diff >= 0 else "fewer",
        month=fmt.month(month),
        now=fmt.number(now),
        then=fmt.number(then),
    )
    if benchmark in ("above", "below"):
        streak_text = (
            say("crime.recorded.streak", nth=_ORDINALS[min(streak, 12) - 1]) if streak > 1 else ""
        )
        text += say(f"crime.recorded.benchmark_{benchmark}", streak=streak_text)
    elif benchmark == "within":
        text += say("crime.recorded.benchmark_within")
    return text + "."


def district_growth(growth: Mapping[str, float], threshold: float = 0.10) -> str | None:
    """Districts with double-digit year-on-year growth, or None when there are none."""
    fast = {k: v for k, v in growth.items() if v >= threshold}
    if not fast:
        return None
    names = fmt.join(list(fast))
    verb = "recorded" if len(fast) == 1 else "both recorded" if len(fast) == 2 else "all recorded"
    rates = "; ".join(f"{k} {fmt.percent(v)}" for k, v in fast.items())
    return say("crime.recorded.growth", names=names, verb=verb, rates=rates)


def calls(
    calls_999: tuple[int, int], calls_101: tuple[int, int], lowest_101: bool, highest_101: bool
) -> str:
    """4.3.1: 999 and 101 call volumes month on month, with records."""
    now9, prev9 = calls_999
    d9 = _count_dir(now9, prev9)
    text = say(
        "crime.demand.calls_999",
        word={"higher": "increased", "lower": "fell", "same": "was unchanged"}[d9.value],
        previous=fmt.number(prev9),
        now=fmt.number(now9),
    )
    now1, prev1 = calls_101
    d1 = _count_dir(now1, prev1)
    record = (
        say("crime.demand.record_low")
        if lowest_101
        else (say("crime.demand.record_high") if highest_101 else "")
    )
    joiner = "; in contrast," if d1 is not d9 and Direction.SAME not in (d1, d9) else "; and"
    text += say(
        "crime.demand.calls_101",
        joiner=joiner,
        word={"higher": "rose", "lower": "fell", "same": "was unchanged"}[d1.value],
        now=fmt.number(now1),
        record=record,
    )
    return text + "."


def outcomes(
    rate: float, last12: Sequence[float], rolling: float, rolling_previous: float, month: dt.date
) -> str:
    """4.3.7: the discrete month rate against the last 12 months, and the rolling rate."""
    others = list(last12)[:-1]
    r = round(rate * 1000)
    if others and r > max(round(v * 1000) for v in others):
        record = say("crime.outcomes.record_high")
    elif others and r < min(round(v * 1000) for v in others):
        record = say("crime.outcomes.record_low")
    else:
        record = say(
            "crime.outcomes.record_none",
            low=fmt.percent(min(others or [rate])),
            high=fmt.percent(max(others or [rate])),
        )
    text = say(
        "crime.outcomes.month",
        month_name=fmt.month_name(month),
        rate=fmt.percent(rate),
        record=record,
    )
    d = direction(rolling, rolling_previous)
    change = {
        "same": "remained unchanged",
        "higher": f"rose from {fmt.percent(rolling_previous)}",
        "lower": f"fell from {fmt.percent(rolling_previous)}",
    }[d.value]
    return text + " " + say("crime.outcomes.rolling", change=change, rolling=fmt.percent(rolling))


def domestic_abuse_crimes(now: int, previous: int, month: dt.date, record: bool) -> str:
    """5.1: DA crimes in the month, and a record where there is one."""
    if record:
        more = over(now)
        return say(
            "crime.priority.da_record",
            more_than=more.replace("over", "More than"),
            month_name=fmt.month_name(month),
            now=fmt.number(now),
        )
    return say(
        "crime.priority.da_count",
        now=fmt.number(now),
        month_name=fmt.month_name(month),
        word=_count_dir(now, previous).value.replace("same", "the same as"),
        previous_month=fmt.month_name(fmt.add_months(month, -1)),
        previous=fmt.number(previous),
    )


def ratio_words(ratio: float) -> str:
    """'almost double', 'about double', 'more than double', or a percentage rise or fall."""
    if 1.8 <= ratio < 1.95:
        return "almost double"
    if 1.95 <= ratio <= 2.1:
        return "about double"
    if ratio > 2.1:
        return "more than double"
    return f"{abs(ratio - 1) * 100:.0f}% {'more' if ratio >= 1 else 'fewer'}"


def child_sexual_abuse(now: int, then: int, month: dt.date) -> str:
    """5.2: CSA crimes this month against the same month last year."""
    ratio = now / then if then else float("inf")
    words_ = ratio_words(ratio)
    return say(
        "crime.priority.csa",
        ratio_words=words_[0].upper() + words_[1:],
        month=fmt.month(month),
        now=fmt.number(now),
        then=fmt.number(then),
    )


def national(figures: Sequence[NationalFigure], force: str, force_rate: float | None) -> list[str]:
    """4.2: sentences from the user's national and regional figures."""
    if not figures:
        return []
    first = figures[0]
    out = [
        say(
            "crime.national.release",
            release_date=fmt.long_date(first.release_date),
            publisher=first.publisher,
            window=fmt.window(first.period_end),
        )
    ]

    def change(f: NationalFigure) -> str:
        rise = "a rise" if f.value >= 0 else "a fall"
        return f"{rise} in {f.label} ({abs(f.value):g}% year on year)"

    nat = [f for f in figures if f.geography == "national" and f.unit == "percent_change"]
    survey = [change(f) for f in nat if f.source == "survey"]
    if survey:
        out.append(say("crime.national.survey", parts=fmt.join(survey)))
    rises = [f"{f.label} ({f.value:g}%)" for f in nat if f.source == "recorded" and f.value > 0]
    falls = [
        f"{f.label} ({abs(f.value):g}%)" for f in nat if f.source == "recorded" and f.value < 0
    ]
    parts = []
    if rises:
        parts.append(f"increases in {fmt.join(rises)}")
    if falls:
        parts.append(f"a decrease in {fmt.join(falls)}")
    if parts:
        out.append(say("crime.national.recorded", parts="; but ".join(parts)))
    rates = {f.geography: f.value for f in figures if f.unit == "per_1000"}
    word = {"higher": "higher than", "lower": "lower than", "same": "the same as"}
    dirs = (
        {g: direction(force_rate, v, places=1, scale=1.0).value for g, v in rates.items()}
        if force_rate is not None
        else {}
    )
    if (
        force_rate is not None
        and set(dirs) == {"regional", "national"}
        and len(set(dirs.values())) == 1
    ):
        out.append(
            say(
                "crime.national.rate_both",
                force=force,
                force_rate=f"{force_rate:.1f}",
                word=word[dirs["national"]],
                regional=f"{rates['regional']:.1f}",
                national=f"{rates['national']:.1f}",
            )
        )
    elif force_rate is not None and rates:
        comps = []
        for geo in ("regional", "national"):
            if geo in rates:
                comps.append(f"{word[dirs[geo]]} the {geo} average ({rates[geo]:.1f})")
        out.append(
            say(
                "crime.national.rate",
                force=force,
                force_rate=f"{force_rate:.1f}",
                words=fmt.join(comps),
            )
        )
    return out


def outcome_flags(flags: Mapping[str, tuple[Share, Share]]) -> str:
    """Rolling outcome rates by crime flag against a year earlier, grouped by their z-test."""
    groups: dict[str, list[str]] = {"up": [], "down": [], "same": []}
    for name, (now, then) in flags.items():
        c = compare(now, then)
        key = "same" if not c.significant else "up" if c.direction is Direction.HIGHER else "down"
        groups[key].append(f"{name} ({fmt.percent(now.value)}, from {fmt.percent(then.value)})")
    parts = [say(f"crime.outcome_flags.{k}", names=fmt.join(v)) for k, v in groups.items() if v]
    first = next(iter(flags.values()))[0]
    lead = say("crime.outcome_flags.lead", window=fmt.window(first.period_end))
    return f"{lead} {'; '.join(parts)}."


def sso_outcomes(now: Share, then: Share) -> str:
    """5.3: the serious sexual offences outcome rate with its test."""
    c = compare(now, then)
    sig = (
        say("satisfaction.significance.significant", p=f"{c.p_value:.3f}")
        if c.significant
        else say("satisfaction.significance.not_significant")
    )
    return say(
        "crime.outcome_flags.sso",
        now=fmt.percent(now.value),
        n=fmt.number(now.n),
        then=fmt.percent(then.value),
        sig=sig,
    )
