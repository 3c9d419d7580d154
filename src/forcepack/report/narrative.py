"""Sentences of the board paper, written from facts with templates kept in data files.

The templates live in ``report/sentences/*.toml`` (Jinja2 strings); this module decides which
variant applies (direction, significance, small samples, exceptions, records) and fills it with
worded numbers. Nothing here formats a number by hand: see :mod:`forcepack.report.format`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jinja2

from forcepack.errors import ForcepackError
from forcepack.report import format as fmt
from forcepack.report.facts import Median, Share, direction
from forcepack.vocab import Direction

#: A 95% interval wider than this (10 percentage points) is called out as uncertain.
WIDE_INTERVAL = 0.10
_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


class TemplateError(ForcepackError, LookupError):
    """A sentence template forcepack's code names is not in ``sentences/*.toml``: a bug in
    forcepack, so the paper stops rather than leaving a gap."""


@cache
def _templates(group: str) -> dict[str, Any]:
    path = resources.files("forcepack.report").joinpath(f"sentences/{group}.toml")
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as err:
        raise TemplateError(f"sentence file sentences/{group}.toml is missing") from err


@cache
def _compiled(key: str) -> jinja2.Template:
    group, sentence, variant = key.split(".", 2)
    try:
        source = _templates(group)[sentence][variant]
    except KeyError as err:
        raise TemplateError(f"no sentence template {key!r} in sentences/{group}.toml") from err
    return _ENV.from_string(source)


def say(key: str, **ctx: object) -> str:
    """Render the template ``group.sentence.variant`` (e.g. ``satisfaction.overall.lead``)."""
    return _compiled(key).render(**ctx)


def with_monthly(text: str, key: str, month: dt.date, monthly: str | None) -> str:
    """``text``, then sentence ``key`` giving ``month``'s claimed reading ``monthly`` (the words
    of its chart's verdict) when there is one."""
    if not monthly:
        return text
    return f"{text} " + say(key, month=fmt.month_name(month), judgement=monthly)


#: How a comparative sentence words a direction ("... is higher than ...").
_WORDS = {Direction.UP: "higher", Direction.DOWN: "lower", Direction.UNCHANGED: "the same"}


def _word(d: Direction) -> str:
    return _WORDS[d]


# --- satisfaction -------------------------------------------------------------------------


def overall_satisfaction(
    surveyed: int, now: Share, year_ago: Share, quarter_ago: Share, monthly: str | None = None
) -> str:
    """4.1.2: the headline satisfaction sentence. Comparatives say which rolling figure is
    larger (the plain arithmetic); whether the month is out of the ordinary is ``monthly``, the
    claimed reading of its p' chart over the monthly numerators and denominators."""
    text = say(
        "satisfaction.overall.lead",
        surveyed=fmt.number(surveyed),
        window=fmt.window(now.period_end),
        now=fmt.percent(now.value),
    )
    cy, cq = direction(now.value, year_ago.value), direction(now.value, quarter_ago.value)
    ctx = dict(
        year_label=fmt.window(year_ago.period_end),
        year_value=fmt.percent(year_ago.value),
        quarter_month=fmt.month(quarter_ago.period_end),
        quarter_value=fmt.percent(quarter_ago.value),
    )
    if cy is cq is Direction.UNCHANGED:
        body = say("satisfaction.overall.same", **ctx)
    elif cy is cq:
        body = say("satisfaction.overall.both", word=_word(cy), **ctx)
    else:
        body = say("satisfaction.overall.mixed", year_word=_word(cy), quarter_word=_word(cq), **ctx)
    text += f" {body}."
    return with_monthly(text, "satisfaction.overall.monthly", now.period_end, monthly)


def areas_satisfaction(areas: Mapping[str, tuple[Share, Share]]) -> str:
    """Area rates now and a year earlier (the plain figures, with their samples)."""
    parts = [
        say(
            "satisfaction.overall.area_part",
            area=name,
            now=fmt.percent(now.value),
            n=fmt.number(now.n),
            then=fmt.percent(then.value),
        )
        for name, (now, then) in areas.items()
    ]
    return say("satisfaction.overall.areas", parts=fmt.join(parts))


def districts_satisfaction(districts: Mapping[str, Share]) -> str:
    """The spread of district rates, with their sample sizes."""
    ordered = sorted(districts.items(), key=lambda kv: kv[1].value)
    (low_name, low), (high_name, high) = ordered[0], ordered[-1]
    ns = [s.n for s in districts.values()]
    return say(
        "satisfaction.overall.districts",
        low=fmt.percent(low.value),
        low_name=low_name,
        high=fmt.percent(high.value),
        high_name=high_name,
        n_low=fmt.number(min(ns)),
        n_high=fmt.number(max(ns)),
    )


def follow_up_range(last3: list[Share], previous3: list[Share], lowest_stage: bool) -> str:
    """4.1.3: the range of discrete-month follow-up rates, and the range of the three months
    before stated plainly: no test of spread between two sets of three months is run, so the
    paper makes no judgement of which is more variable."""
    vals = [s.value for s in last3]
    low, high = min(vals), max(vals)
    if not lowest_stage:
        return say(
            "satisfaction.follow_up.range_only", low=fmt.percent(low), high=fmt.percent(high)
        )
    text = say(
        "satisfaction.follow_up.range",
        lowest_clause="",
        low=fmt.percent(low),
        high=fmt.percent(high),
    )
    if previous3:
        pv = [s.value for s in previous3]
        text += " " + say(
            "satisfaction.follow_up.previous_range",
            prev_low=fmt.percent(min(pv)),
            prev_high=fmt.percent(max(pv)),
        )
    return text


def ease_of_contact(now: Share, then: Share, monthly: str | None = None) -> str:
    """4.1.4: ease of contact now against a quarter earlier, with n; ``monthly`` the claimed
    reading of its p' chart."""
    text = say(
        "satisfaction.ease_of_contact.text",
        now=fmt.percent(now.value),
        n_now=fmt.number(now.n),
        word=_word(direction(now.value, then.value)),
        then=fmt.percent(then.value),
        n_then=fmt.number(then.n),
        then_label=fmt.window(then.period_end),
    )
    return with_monthly(text, "satisfaction.ease_of_contact.monthly", now.period_end, monthly)


def burglary(
    overall: Share,
    others: Share,
    follow_now: Share,
    follow_then: Share,
    follow_areas: Mapping[str, Share],
    monthly: str | None = None,
) -> str:
    """4.1.5: burglary victims' satisfaction, follow up against a quarter earlier and the area
    comparison; ``monthly`` the claimed reading of burglary follow up's p' chart."""
    text = say(
        "satisfaction.burglary.overall",
        compare_word=_word(direction(overall.value, others.value)),
        window=fmt.window(overall.period_end),
        now=fmt.percent(overall.value),
        n=fmt.number(overall.n),
    )
    area_clause = ""
    if len(follow_areas) >= 2:
        ordered = sorted(follow_areas.items(), key=lambda kv: kv[1].value, reverse=True)
        (ha, hv), (la, lv) = ordered[0], ordered[-1]
        if direction(hv.value, lv.value) is not Direction.UNCHANGED:
            area_clause = say(
                "satisfaction.burglary.area_clause",
                high_area=ha,
                high_value=fmt.percent(hv.value),
                low_area=la,
                low_value=fmt.percent(lv.value),
            )
    text += " " + say(
        "satisfaction.burglary.follow_up",
        now=fmt.percent(follow_now.value),
        window=fmt.window(follow_now.period_end),
        then=fmt.percent(follow_then.value),
        then_month=fmt.month(follow_then.period_end),
        area_clause=area_clause,
    )
    return with_monthly(text, "satisfaction.burglary.monthly", follow_now.period_end, monthly)


def domestic_abuse_survey(overall: Share, follow_up: Share) -> tuple[str, str | None]:
    """4.1.6: the DA survey over its 9-month window, calling out small samples; and, when it
    does, the note that gives the follow-up interval (intervals go to the section's notes, not
    the body)."""
    text = say(
        "satisfaction.domestic_abuse.text",
        overall=fmt.percent(overall.value),
        n_overall=fmt.number(overall.n),
        months=overall.months,
        follow_word=_word(direction(follow_up.value, overall.value)),
        follow=fmt.percent(follow_up.value),
        n_follow=fmt.number(follow_up.n),
    )
    lo, hi = follow_up.interval()
    if overall.small or follow_up.small or hi - lo > WIDE_INTERVAL:
        text += " " + say("satisfaction.domestic_abuse.small")
        return text, say(
            "satisfaction.domestic_abuse.interval",
            lo=fmt.percent(lo),
            hi=fmt.percent(hi),
            n=fmt.number(follow_up.n),
        )
    return text, None


# --- response ----------------------------------------------------------------------------


def _median_clause(m: Median) -> str:
    """The month before, and the claimed reading of the median's chart (none when the series
    was not judged)."""
    if m.judgement is None:
        if m.previous is None:
            return ""
        return say("response.grades.previous", previous=fmt.minutes(m.previous))
    key = "shifted" if m.shifted else "chart"
    previous = (
        say("response.grades.previous", previous=fmt.minutes(m.previous))
        if (m.previous is not None)
        else ""
    )
    return say(f"response.grades.{key}", previous=previous, judgement=m.judgement)


def share_words(share: float) -> str:
    """A share as a paper words a proportion: 'over two thirds', 'over half', or a percent."""
    for frac, words_ in ((3 / 4, "three quarters"), (2 / 3, "two thirds"), (1 / 2, "half")):
        if share > frac:
            return f"over {words_}"
    return fmt.percent(share)


def response_grades(
    immediate: Median, prompt: Median, dispatch: float | None, immediate_share: float | None
) -> str:
    """4.1.7: immediate and prompt medians, the dispatch median and the grading mix."""
    month = fmt.month(immediate.period_end)
    text = say(
        "response.grades.immediate",
        immediate=fmt.minutes(immediate.minutes),
        month=month,
        immediate_clause=_median_clause(immediate),
    )
    dispatch_clause = (
        say("response.grades.dispatch", dispatch=fmt.minutes(dispatch)) if dispatch else ""
    )
    text += " " + say(
        "response.grades.prompt",
        prompt=fmt.minutes(prompt.minutes),
        prompt_clause=_median_clause(prompt),
        dispatch_clause=dispatch_clause,
    )
    if immediate_share is not None:
        words_ = share_words(immediate_share)
        text += " " + say(
            "response.grades.grading",
            share_words=words_[0].upper() + words_[1:],
            share=fmt.percent(immediate_share),
        )
    return text


def incident_type(
    label: str, median: Median, areas: Mapping[str, float], recent: str | None = None
) -> str:
    """4.1.8: the prompt median for one incident type with the claimed reading of its chart
    (and ``recent``, the claimed recent improvement, when there is one), and which area is
    slower."""
    clause = _median_clause(median)
    if recent:
        clause += say("response.grades.recent", judgement=recent)
    text = say(
        "response.incident_type.text",
        label=label,
        median=fmt.minutes(median.minutes),
        month=fmt.month_name(median.period_end),
        clause=clause,
    )
    if len(areas) >= 2:
        ordered = sorted(areas.items(), key=lambda kv: kv[1], reverse=True)
        (sa, sv), (fa, fv) = ordered[0], ordered[-1]
        if round(sv) != round(fv):
            text += say(
                "response.incident_type.areas",
                slow_area=sa,
                slow=fmt.minutes(sv),
                fast_area=fa,
                fast=fmt.minutes(fv),
            )
    return text


def delay_resourcing(
    label: str, now: float, previous: float | None, month: dt.date, highest: bool
) -> str:
    """4.1.9: the share of delayed attendances citing resourcing, month on month."""
    if previous is None or direction(now, previous) is Direction.UNCHANGED:
        change = say("response.delay.unchanged")
    else:
        change = say(
            "response.delay.changed",
            previous=fmt.percent(previous),
            previous_month=fmt.month_name(fmt.add_months(month, -1)),
        )
    return say(
        "response.delay.text",
        share=fmt.percent(now),
        label=label,
        month=fmt.month_name(month),
        change=change,
        highest=say("response.delay.highest") if highest else "",
    )
