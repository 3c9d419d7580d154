"""The month's assessment of one measure: what the board paper's narrative is written from.

A pure function of the tidy frame the measure engine returns (``measure_id, period_end,
window, <dimensions>, value, numerator, denominator, n``): the value, its change against the
previous period, the same period last year and three months before, each with the test that
suits the measure's kind; SPC variation and assurance over the monthly series; a record high or
low; which districts rose and fell; the highest and lowest district; the small-sample flag.

Words of direction are earned: a comparison carries a direction only when its test is
significant, or, when no test applies to the kind (medians, sums), the plain direction with
``significant = None``. A monthly count is compared by ``count_change``, by the series' own
variation (the exact Poisson test only when the series is not overdispersed), and carries the
``CountChange`` it was judged by. See docs/statistics.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from forcepack.errors import InputError
from forcepack.stats import constants as C
from forcepack.stats.benchmark import BenchmarkResult, long_term_benchmark
from forcepack.stats.change import CountChange, CountCompare, count_change
from forcepack.stats.counts import compare_counts
from forcepack.stats.spc import SpcSummary, spc
from forcepack.stats.survey import Interval, compare_proportions, is_small_sample
from forcepack.stats.vocab import (
    Assurance,
    Direction,
    Kind,
    Polarity,
    Variation,
    Verdict,
    choose,
    improvement_of,
)


class SignificanceTest(enum.StrEnum):
    TWO_PROPORTION = "two_proportion_z"
    POISSON = "poisson_exact"
    #: ``count_change``: the count judged by the series' own variation (XmR moving-range limit
    #: when overdispersed, else the exact Poisson test).
    OWN_VARIATION = "own_variation"
    NOT_TESTED = "not_tested"


#: The columns of a measure result that are not dimensions.
VALUE_COLUMNS = ("measure_id", "period_end", "window", "value", "numerator", "denominator", "n")


@dataclass(frozen=True)
class Comparison:
    """The assessed value against one earlier period.

    ``change`` is now - then (fractions for shares, so 0.027 is 2.7 percentage points);
    ``direction`` is set only when ``significant`` is True, or when the kind has no test
    (``test = not_tested``, ``significant = None``); ``improved`` orients it by the polarity.
    """

    period_end: pd.Timestamp
    value: float | None
    change: float | None
    relative_change: float | None
    test: SignificanceTest
    p_value: float | None
    significant: bool | None
    direction: Direction | None
    improved: bool | None
    difference_interval: Interval | None
    small_sample: bool
    count: CountChange | None = None


@dataclass(frozen=True)
class DistrictMove:
    district: str
    value: float
    previous: float | None
    change: float | None


@dataclass(frozen=True)
class Assessment:
    measure_id: str | None
    period_end: pd.Timestamp
    window: str
    kind: Kind
    polarity: Polarity
    value: float
    numerator: float | None
    denominator: float | None
    n: float | None
    previous: Comparison | None
    last_year: Comparison | None
    quarter: Comparison | None
    variation: Variation | None
    assurance: Assurance | None
    spc: SpcSummary | None
    record_high: bool
    record_low: bool
    record_months: int
    districts_rose: tuple[DistrictMove, ...]
    districts_fell: tuple[DistrictMove, ...]
    highest_district: DistrictMove | None
    lowest_district: DistrictMove | None
    benchmark: BenchmarkResult | None
    small_sample: bool


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _month_end(value: Any) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).normalize() + pd.offsets.MonthEnd(0)
    except (ValueError, TypeError):
        raise InputError(
            f"assess month: {value!r} is not a date", hint="pass a date such as 2019-12-31"
        ) from None


def _select(frame: pd.DataFrame, measure_id: str | None, window: str) -> pd.DataFrame:
    missing = [c for c in ("period_end", "window", "value") if c not in frame.columns]
    if missing:
        raise InputError(
            f"assess frame: missing column(s) {', '.join(missing)}; a measure result has "
            f"{', '.join(VALUE_COLUMNS)} and its dimension columns"
        )
    if "measure_id" in frame.columns:
        ids = frame["measure_id"].dropna().unique()
        if measure_id is None and len(ids) > 1:
            raise InputError(
                f"assess frame: holds {len(ids)} measures ({', '.join(map(str, ids[:5]))}...)",
                hint="pass measure_id to choose one",
            )
        if measure_id is not None:
            frame = frame[frame["measure_id"] == measure_id]
    out = frame[frame["window"] == window].copy()
    out["period_end"] = pd.to_datetime(out["period_end"]) + pd.offsets.MonthEnd(0)
    return out


def _headline(rows: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    head = rows[rows[dims].isna().all(axis=1)] if dims else rows
    dup = head["period_end"].duplicated()
    if dup.any():
        raise InputError(
            f"assess frame: period {head['period_end'][dup].iloc[0].date()} appears more than "
            f"once without dimension values; dimension columns seen: {dims or 'none'}",
            hint="pass one measure's rows; keep dimension columns null on the headline rows",
        )
    return head.sort_values("period_end").set_index("period_end")


def _compare(
    now: pd.Series,
    then: pd.Series | None,
    when: pd.Timestamp,
    kind: Kind,
    polarity: Polarity,
    small_n: int,
) -> Comparison:
    value = float(now["value"])
    if then is None or pd.isna(then["value"]):
        return Comparison(
            when, None, None, None, SignificanceTest.NOT_TESTED, None, None, None, None, None, False
        )
    before = float(then["value"])
    change = value - before
    relative = change / before if before else None
    test, p_value, significant, interval, small = (
        SignificanceTest.NOT_TESTED,
        None,
        None,
        None,
        False,
    )
    if kind.is_proportion:
        counts = [_proportion_counts(r) for r in (now, then)]
        if all(c is not None for c in counts):
            (x1, n1), (x2, n2) = counts  # type: ignore[misc]
            result = compare_proportions(x1, n1, x2, n2, small_sample_n=small_n)
            test, p_value, significant = (
                SignificanceTest.TWO_PROPORTION,
                result.p_value,
                result.significant,
            )
            interval, small = result.difference, result.small_sample
    elif kind in (Kind.COUNT, Kind.PER_1000):
        pair = _poisson_counts(now, then, kind)
        if pair is not None:
            (x1, e1), (x2, e2) = pair
            result_c = compare_counts(x1, x2, exposure_current=e1, exposure_previous=e2)
            test, p_value, significant = (
                SignificanceTest.POISSON,
                result_c.p_value,
                result_c.significant,
            )
    plain = Direction.UP if change > 0 else Direction.DOWN if change < 0 else Direction.UNCHANGED
    direction = plain if (significant or test is SignificanceTest.NOT_TESTED) else None
    improved = None
    if direction in (Direction.UP, Direction.DOWN) and polarity is not Polarity.NEUTRAL:
        improved = (direction is Direction.UP) == (polarity is Polarity.HIGHER_IS_BETTER)
    return Comparison(
        when,
        before,
        change,
        relative,
        test,
        p_value,
        significant,
        direction,
        improved,
        interval,
        small,
    )


_COMPARE = {1: CountCompare.PREVIOUS_MONTH, 12: CountCompare.SAME_MONTH_LAST_YEAR}


def _own_variation(
    got: Comparison, monthly: pd.DataFrame, months: int, polarity: Polarity
) -> Comparison:
    """A monthly count's comparison judged by ``count_change`` (the series' own variation)
    instead of the exact Poisson test, when the months before form a consecutive series long
    enough; the comparison is left untested (no direction word) otherwise."""
    how = _COMPARE.get(months)
    values = monthly["value"].to_numpy(dtype=float)
    untested = replace(
        got,
        test=SignificanceTest.NOT_TESTED,
        p_value=None,
        significant=None,
        direction=None,
        improved=None,
    )
    if how is None:
        return untested
    dates = pd.Series(monthly.index)
    periods = dates.dt.to_period("M").astype("int64").to_numpy()
    # the consecutive run of months ending at the latest
    breaks = np.flatnonzero(np.diff(periods) != 1)
    start = int(breaks[-1]) + 1 if breaks.size else 0
    values, dates = values[start:], dates.iloc[start:].reset_index(drop=True)
    whole = np.isfinite(values).all() and (values >= 0).all() and (np.mod(values, 1) == 0).all()
    if not whole or values.size < max(months, C.MIN_CHANGE_BASELINE) + 1:
        return untested
    result = count_change(values, dates, compare=how)
    direction = {
        Verdict.RISE: Direction.UP,
        Verdict.FALL: Direction.DOWN,
        Verdict.NO_CHANGE: None,
    }[result.verdict]
    improved = None
    if direction is not None and polarity is not Polarity.NEUTRAL:
        improved = (direction is Direction.UP) == (polarity is Polarity.HIGHER_IS_BETTER)
    return replace(
        got,
        test=SignificanceTest.OWN_VARIATION,
        p_value=result.p_value,
        significant=result.verdict is not Verdict.NO_CHANGE,
        direction=direction,
        improved=improved,
        count=result,
    )


def _proportion_counts(row: pd.Series) -> tuple[float, float] | None:
    num, den, n = (_num(row.get(c)) for c in ("numerator", "denominator", "n"))
    total = den if den is not None else n
    if total is None or total <= 0:
        return None
    x = num if num is not None else round(float(row["value"]) * total)
    return (x, total) if 0 <= x <= total else None


def _poisson_counts(
    now: pd.Series, then: pd.Series, kind: Kind
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    pairs = []
    for row in (now, then):
        x = _num(row.get("numerator"))
        e: float | None = 1.0
        if kind is Kind.COUNT:
            x = float(row["value"]) if x is None else x
        else:  # per 1,000: events over population
            e = _num(row.get("denominator"))
        if x is None or e is None or e <= 0 or x < 0 or not float(x).is_integer():
            return None
        pairs.append((x, e))
    return pairs[0], pairs[1]


def _districts(
    rows: pd.DataFrame, dims: list[str], column: str, month: pd.Timestamp, previous: pd.Timestamp
) -> list[DistrictMove]:
    """One move per district with a value this month (dimension ``column`` set, others null)."""
    if column not in dims:
        return []
    others = [d for d in dims if d != column]
    sub = rows[rows[column].notna()]
    if others:
        sub = sub[sub[others].isna().all(axis=1)]
    wide = sub.pivot_table(index=column, columns="period_end", values="value", aggfunc="first")
    if month not in wide.columns:
        return []
    now = wide[month].dropna().sort_index()
    before = wide[previous].reindex(now.index) if previous in wide.columns else now * np.nan
    change = now - before
    return [
        DistrictMove(str(d), float(v), _num(before[d]), _num(change[d])) for d, v in now.items()
    ]


def assess(
    frame: pd.DataFrame,
    *,
    kind: Kind | str,
    polarity: Polarity | str,
    month: Any,
    measure_id: str | None = None,
    window: str = "month",
    target: float | None = None,
    record_months: int | None = None,
    district_column: str = "district",
    small_sample_n: int = C.SMALL_SAMPLE_N,
    benchmark_baseline_months: int = C.BENCHMARK_BASELINE_MONTHS,
) -> Assessment:
    """Assess one measure for one month from its tidy result rows.

    ``window`` picks the rows judged (``month``, ``rolling12``, ``fytd``...); SPC always runs
    on the ``month`` rows up to ``month``. ``record_months`` bounds the record search (the
    latest value against the ``record_months - 1`` before it); None searches every month given.
    The long-term benchmark is computed for counts when enough monthly values exist.
    """
    kind = choose(Kind, kind, "assess kind")
    polarity = choose(Polarity, polarity, "assess polarity")
    when = _month_end(month)
    dims = [c for c in frame.columns if c not in VALUE_COLUMNS]
    rows = _select(frame, measure_id, window)
    head = _headline(rows, dims)
    if when not in head.index:
        span = f"{head.index.min().date()} to {head.index.max().date()}" if len(head) else "no rows"
        raise InputError(
            f"assess: no {window!r} value for {when.date()} (headline rows cover {span})",
            hint="pass a month the measure has been computed for",
        )
    now = head.loc[when]

    monthly = _headline(_select(frame, measure_id, "month"), dims) if window != "month" else head
    # Months without a value (a share with nobody surveyed) are left out of the chart.
    monthly = monthly[(monthly.index <= when) & monthly["value"].notna()]

    def against(months: int) -> Comparison:
        then_end = when - pd.offsets.MonthEnd(months)
        then = head.loc[then_end] if then_end in head.index else None
        got = _compare(now, then, then_end, kind, polarity, small_sample_n)
        if kind is Kind.COUNT and window == "month" and got.change is not None:
            return _own_variation(got, monthly, months, polarity)
        return got

    upto = head[head.index <= when]
    span = upto if record_months is None else upto.iloc[-record_months:]
    earlier = span["value"].iloc[:-1]
    value = float(now["value"])

    summary = None
    if len(monthly):
        summary = spc(
            monthly["value"].to_numpy(dtype=float),
            monthly.index,
            improvement=improvement_of(polarity),
            target=target,
        ).summary
    bench = None
    need = benchmark_baseline_months + C.BENCHMARK_WINDOW_MONTHS
    if kind is Kind.COUNT and len(monthly) >= need:
        bench = long_term_benchmark(
            monthly["value"].to_numpy(dtype=float), baseline_months=benchmark_baseline_months
        )

    moves = _districts(rows, dims, district_column, when, when - pd.offsets.MonthEnd(1))
    counts = _proportion_counts(now) if kind.is_proportion else None
    return Assessment(
        measure_id=measure_id if measure_id is not None else _only_id(frame),
        period_end=when,
        window=window,
        kind=kind,
        polarity=polarity,
        value=value,
        numerator=_num(now.get("numerator")),
        denominator=_num(now.get("denominator")),
        n=_num(now.get("n")),
        previous=against(1),
        last_year=against(12),
        quarter=against(3),
        variation=summary.variation if summary else None,
        assurance=summary.assurance if summary else None,
        spc=summary,
        record_high=bool(len(earlier)) and value > float(earlier.max()),
        record_low=bool(len(earlier)) and value < float(earlier.min()),
        record_months=len(span),
        districts_rose=tuple(
            sorted((m for m in moves if (m.change or 0) > 0), key=lambda m: -(m.change or 0))
        ),
        districts_fell=tuple(
            sorted((m for m in moves if (m.change or 0) < 0), key=lambda m: m.change or 0)
        ),
        highest_district=max(moves, key=lambda m: m.value) if moves else None,
        lowest_district=min(moves, key=lambda m: m.value) if moves else None,
        benchmark=bench,
        small_sample=counts is not None and is_small_sample(counts[1], threshold=small_sample_n),
    )


def _only_id(frame: pd.DataFrame) -> str | None:
    if "measure_id" not in frame.columns:
        return None
    ids = frame["measure_id"].dropna().unique()
    return str(ids[0]) if len(ids) == 1 else None
