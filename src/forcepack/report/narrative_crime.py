"""Sentences on recorded crime, demand, outcomes, priorities and national context.

Recorded crime, calls, domestic abuse and child sexual abuse are worded from
:func:`forcepack.stats.assess` and the phrase of the claim behind each comparison (the count
judged by its own variation, :func:`forcepack.stats.count_change`); records, district moves and
the long-term benchmark come from the same assessment. Outcome rates are read from their
monthly p' charts (the claimed phrase is passed in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from forcepack.report import format as fmt
from forcepack.report.data import MissingFigure
from forcepack.report.facts import Share, direction
from forcepack.report.inputs import FigureSource, FigureUnit, Geography, NationalFigure
from forcepack.report.narrative import say, with_monthly
from forcepack.settings import SUPPRESSION_THRESHOLD
from forcepack.stats import Assessment
from forcepack.vocab import Direction

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


def too_few(*counts: float | None) -> bool:
    """Whether any count a comparison rests on is below ``SUPPRESSION_THRESHOLD``."""
    return any(c is not None and c < SUPPRESSION_THRESHOLD for c in counts)


def too_few_to_compare(what: str, now: str, then: str) -> str:
    """'The numbers of <what> recorded in <now> and <then> are too small to compare ...'."""
    return say(
        "crime.small.compare", what=what, now=now, then=then, threshold=SUPPRESSION_THRESHOLD
    )


def over(n: int) -> str:
    """'over 700' style rounding down to the hundred (exact below 100)."""
    if abs(n) < 100:
        return fmt.number(abs(n))
    return f"over {fmt.number(abs(n) // 100 * 100)}"


def recorded_month(a: Assessment, month: dt.date, districts: int, judgement: str) -> str:
    """4.3.4: month on month, ``judgement`` the claimed verdict's phrase (the series' own
    variation), naming districts that moved against the force total (district moves are the
    plain arithmetic of complete records)."""
    c = a.previous
    if c is None or c.value is None or c.change is None:
        raise MissingFigure(
            f"recorded crime has no value for {fmt.month(fmt.add_months(month, -1))}"
        )
    if too_few(a.value, c.value):
        return too_few_to_compare(
            "crimes", fmt.month_name(month), fmt.month_name(fmt.add_months(month, -1))
        )
    against = a.districts_rose if c.change < 0 else a.districts_fell if c.change > 0 else ()
    exception = ""
    opposite = "more" if c.change < 0 else "fewer"
    previous_month = fmt.month_name(fmt.add_months(month, -1))
    if len(against) == 1:
        exception = say(
            f"crime.recorded.exception_one_{opposite}",
            name=against[0].district,
            previous_month=previous_month,
        )
    elif 1 < len(against) <= districts // 2:
        names = fmt.join(sorted(m.district for m in against))
        exception = say(
            f"crime.recorded.exception_many_{opposite}", names=names, previous_month=previous_month
        )
    return say(
        "crime.recorded.month",
        previous=fmt.number(c.value),
        previous_month=previous_month,
        now=fmt.number(a.value),
        month=fmt.month_name(month),
        exception=exception,
        judgement=judgement,
    )


def recorded_year(a: Assessment, month: dt.date, streak: int, judgement: str) -> str:
    """Year on year (``judgement`` the claimed verdict's phrase), and the rolling total against
    the long-term benchmark (``streak``: consecutive months with the same verdict)."""
    c = a.last_year
    if c is None or c.value is None or c.change is None:
        raise MissingFigure(
            f"recorded crime has no value for {fmt.month(fmt.add_months(month, -12))}"
        )
    if too_few(a.value, c.value):
        return too_few_to_compare("crimes", fmt.month(month), "the same month last year")
    moved = "more" if c.change > 0 else "fewer" if c.change < 0 else "same"
    about = over(int(c.change))
    text = say(
        f"crime.recorded.year_{moved}",
        about=about[0].upper() + about[1:],
        month=fmt.month(month),
        now=fmt.number(a.value),
        then=fmt.number(c.value),
        judgement=judgement,
    )
    if a.benchmark is not None:
        verdict = str(a.benchmark.verdict)
        streak_text = (
            say("crime.recorded.streak", nth=_ORDINALS[min(streak, 12) - 1]) if streak > 1 else ""
        )
        text += say(f"crime.recorded.benchmark_{verdict}", streak=streak_text)
    return text + "."


def district_growth(growth: Mapping[str, float], threshold: float = 0.10) -> str | None:
    """Districts with double-digit year-on-year growth, or None when there are none."""
    fast = {k: v for k, v in growth.items() if v >= threshold}
    if not fast:
        return None
    names = fmt.join(list(fast))
    verb = say(f"crime.recorded.growth_verb_{min(len(fast), 3)}")
    rates = "; ".join(f"{k} {fmt.percent(v)}" for k, v in fast.items())
    return say("crime.recorded.growth", names=names, verb=verb, rates=rates)


def calls(
    calls_999: Assessment, calls_101: Assessment, month: dt.date, j999: str, j101: str
) -> str:
    """4.3.1: 999 and 101 call volumes month on month, each with its claimed verdict's phrase
    (``j999``, ``j101``), and a record for 101 calls (strictly below or above every earlier
    month in the series)."""
    c9, c1 = calls_999.previous, calls_101.previous
    if c9 is None or c9.value is None or c1 is None or c1.value is None:
        raise MissingFigure(
            f"call volumes have no value for {fmt.month(fmt.add_months(month, -1))}"
        )
    if too_few(calls_999.value, c9.value, calls_101.value, c1.value):
        return too_few_to_compare(
            "999 and 101 calls",
            fmt.month_name(month),
            fmt.month_name(fmt.add_months(month, -1)),
        )
    previous_month = fmt.month_name(fmt.add_months(month, -1))
    text = say(
        "crime.demand.calls_999",
        now=fmt.number(calls_999.value),
        month=fmt.month_name(month),
        previous=fmt.number(c9.value),
        previous_month=previous_month,
        judgement=j999,
    )
    record = (
        say("crime.demand.record_low")
        if calls_101.record_low
        else (say("crime.demand.record_high") if calls_101.record_high else "")
    )
    text += say(
        "crime.demand.calls_101",
        now=fmt.number(calls_101.value),
        record=record,
        previous=fmt.number(c1.value),
        previous_month=previous_month,
        judgement=j101,
    )
    return text + "."


def outcomes(
    month_rate: Assessment,
    low: float,
    high: float,
    rolling: Share,
    rolling_previous: Share,
    month: dt.date,
    monthly: str | None = None,
) -> str:
    """4.3.7: the discrete month rate against the last 12 months (``month_rate`` assessed with
    ``record_months=12``; ``low``/``high`` the range of the 11 months before), ``monthly`` the
    claimed reading of its p' chart, and the rolling rate beside a month earlier (windows that
    share 11 months are not tested against each other)."""
    if month_rate.record_high:
        record = say("crime.outcomes.record_high")
    elif month_rate.record_low:
        record = say("crime.outcomes.record_low")
    else:
        record = say("crime.outcomes.record_none", low=fmt.percent(low), high=fmt.percent(high))
    text = say(
        "crime.outcomes.month",
        month_name=fmt.month_name(month),
        rate=fmt.percent(month_rate.value),
        record=record,
    )
    text = with_monthly(text, "crime.outcomes.monthly", month, monthly)
    key = (
        "unchanged"
        if direction(rolling.value, rolling_previous.value) is Direction.UNCHANGED
        else "was"
    )
    rolling_text = say(
        f"crime.outcomes.rolling_{key}",
        rolling=fmt.percent(rolling.value),
        previous=fmt.percent(rolling_previous.value),
    )
    return text + " " + rolling_text


def domestic_abuse_crimes(a: Assessment, month: dt.date, judgement: str) -> str:
    """5.1: DA crimes in the month against the month before (``judgement`` the claimed
    verdict's phrase), and a record (strictly above every earlier month) where there is one."""
    c = a.previous
    if c is None or c.value is None:
        raise MissingFigure(f"domestic abuse crimes have no value for {fmt.month(month)}")
    if too_few(a.value, c.value):
        return too_few_to_compare(
            "domestic abuse crimes",
            fmt.month_name(month),
            fmt.month_name(fmt.add_months(month, -1)),
        )
    ctx = dict(
        now=fmt.number(a.value),
        month_name=fmt.month_name(month),
        previous_month=fmt.month_name(fmt.add_months(month, -1)),
        previous=fmt.number(c.value),
        judgement=judgement,
    )
    if a.record_high:
        more = over(int(a.value))
        text = say("crime.priority.da_record", more_than=more.replace("over", "More than"), **ctx)
        return text + " " + say("crime.priority.da_against", **ctx)
    return say("crime.priority.da", **ctx)


def ratio_words(ratio: float) -> str:
    """'almost double', 'about double', 'more than double', or a percentage rise or fall."""
    if 1.8 <= ratio < 1.95:
        return say("crime.ratio.almost_double")
    if 1.95 <= ratio <= 2.1:
        return say("crime.ratio.about_double")
    if ratio > 2.1:
        return say("crime.ratio.more_than_double")
    key = "more" if ratio >= 1 else "fewer"
    return say(f"crime.ratio.percent_{key}", percent=f"{abs(ratio - 1) * 100:.0f}%")


def child_sexual_abuse(a: Assessment, month: dt.date, judgement: str, moved: bool) -> str:
    """5.2: CSA crimes this month against the same month last year (``judgement`` the claimed
    verdict's phrase); a ratio is worded only when the claim says the change is real
    (``moved``)."""
    c = a.last_year
    if c is None or c.value is None:
        raise MissingFigure(f"child sexual abuse crimes have no value a year before {month}")
    if too_few(a.value, c.value):
        return too_few_to_compare(
            "child sexual abuse crimes", fmt.month(month), "the same month last year"
        )
    ctx = dict(
        month=fmt.month(month),
        now=fmt.number(a.value),
        then=fmt.number(c.value),
        judgement=judgement,
    )
    if not moved or not c.value:
        return say("crime.priority.csa_same", **ctx)
    words_ = ratio_words(a.value / c.value)
    return say("crime.priority.csa", ratio_words=words_[0].upper() + words_[1:], **ctx)


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
        key = "survey_rise" if f.value >= 0 else "survey_fall"
        return say(f"crime.national.{key}", label=f.label, value=f"{abs(f.value):g}")

    nat = [
        f
        for f in figures
        if f.geography is Geography.NATIONAL and f.unit is FigureUnit.PERCENT_CHANGE
    ]
    survey = [change(f) for f in nat if f.source is FigureSource.SURVEY]
    # the survey's and the recorded figures' national picture make one paragraph, as in the
    # model paper (4.2.2)
    picture = [say("crime.national.survey", parts=fmt.join(survey))] if survey else []
    rises = [
        f"{f.label} ({f.value:g}%)"
        for f in nat
        if f.source is FigureSource.RECORDED and f.value > 0
    ]
    falls = [
        f"{f.label} ({abs(f.value):g}%)"
        for f in nat
        if f.source is FigureSource.RECORDED and f.value < 0
    ]
    parts = []
    if rises:
        parts.append(say("crime.national.recorded_rises", names=fmt.join(rises)))
    if falls:
        parts.append(say("crime.national.recorded_falls", names=fmt.join(falls)))
    if parts:
        picture.append(say("crime.national.recorded", parts=say("crime.national.but").join(parts)))
    if picture:
        out.append(" ".join(picture))
    rates = {f.geography: f.value for f in figures if f.unit is FigureUnit.PER_1000}
    word = {d.value: say(f"crime.national.compare_{d.value}") for d in Direction}
    dirs = (
        {g: direction(force_rate, v, places=1, scale=1.0).value for g, v in rates.items()}
        if force_rate is not None
        else {}
    )
    if force_rate is not None and set(dirs) == set(Geography) and len(set(dirs.values())) == 1:
        out.append(
            say(
                "crime.national.rate_both",
                force=force,
                force_rate=f"{force_rate:.1f}",
                word=word[dirs[Geography.NATIONAL]],
                regional=f"{rates[Geography.REGIONAL]:.1f}",
                national=f"{rates[Geography.NATIONAL]:.1f}",
            )
        )
    elif force_rate is not None and rates:
        comps = []
        for geo in (Geography.REGIONAL, Geography.NATIONAL):
            if geo in rates:
                comps.append(
                    say(
                        "crime.national.average",
                        word=word[dirs[geo]],
                        geo=geo,
                        rate=f"{rates[geo]:.1f}",
                    )
                )
        out.append(
            say(
                "crime.national.rate",
                force=force,
                force_rate=f"{force_rate:.1f}",
                words=fmt.join(comps),
            )
        )
    return out


def outcome_flags(flags: Mapping[str, tuple[Share, Share, str | None]]) -> str:
    """Rolling outcome rates by crime flag against a year earlier, each with the claimed
    reading of its monthly p' chart (the third item; None when it could not be charted)."""
    parts = []
    for name, (now, then, judgement) in flags.items():
        key = "flag" if judgement else "flag_plain"
        parts.append(
            say(
                f"crime.outcome_flags.{key}",
                name=name,
                now=fmt.percent(now.value),
                then=fmt.percent(then.value),
                month=fmt.month_name(now.period_end),
                judgement=judgement or "",
            )
        )
    first = next(iter(flags.values()))[0]
    lead = say("crime.outcome_flags.lead", window=fmt.window(first.period_end))
    return f"{lead} {'; '.join(parts)}."


def serious_sexual_offences(now: int, then: int, month: dt.date) -> str:
    """5.3: serious sexual offences recorded in the 12 months to ``month`` against a year
    earlier (too small to compare below ``SUPPRESSION_THRESHOLD``)."""
    if too_few(now, then):
        return too_few_to_compare(
            "serious sexual offences",
            f"the {fmt.window(month)}",
            "the 12 months a year earlier",
        )
    return say(
        "crime.vulnerability.sso",
        now=fmt.number(now),
        window=fmt.window(month),
        then=fmt.number(then),
    )


def sso_outcomes(now: Share, then: Share, monthly: str | None = None) -> str:
    """5.3: the serious sexual offences outcome rate against a year earlier, and ``monthly``,
    the claimed reading of its p' chart."""
    text = say(
        "crime.outcome_flags.sso",
        now=fmt.percent(now.value),
        n=fmt.number(now.n),
        then=fmt.percent(then.value),
    )
    return with_monthly(text, "crime.outcome_flags.sso_monthly", now.period_end, monthly)
