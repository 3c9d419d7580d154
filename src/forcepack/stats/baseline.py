"""A chart's stated baseline: where its limits come from.

Three kinds, as a board paper states them (docs/statistics.md, "Baselines"):

- a **declared change**: one or more change points the force declares, each a date and a reason
  ("2019-01, new response model"); limits are recomputed from each (a rebase);
- the **first N points**: limits fixed from the first N points (of each group) and extended;
- the **whole series**, when it is stable.

``Baseline`` is data; ``spc`` and ``attribute_chart`` take it as ``baseline=`` and record the
baseline they used in ``SpcResult.baseline``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from forcepack.errors import InputError
from forcepack.stats import constants as C
from forcepack.stats.checks import at_least


class BaselineKind(enum.StrEnum):
    DECLARED_CHANGE = "declared_change"
    FIRST_N_POINTS = "first_n_points"
    WHOLE_SERIES = "whole_series"


@dataclass(frozen=True)
class ChangePoint:
    """A date from which the process is declared to have changed, and why.

    ``reason`` is None only for a rebase passed as bare ``rebase_at`` dates."""

    date: Any
    reason: str | None = None


@dataclass(frozen=True)
class Baseline:
    """Where a chart's limits come from: change points (rebases) and a fixed first N points.

    Build one with ``Baseline.declared``, ``Baseline.first_n`` or ``Baseline.whole``. ``kind``
    is ``declared_change`` when there is any change point, else ``first_n_points`` when
    ``n_points`` is set, else ``whole_series``.
    """

    change_points: tuple[ChangePoint, ...] = ()
    n_points: int | None = None

    def __post_init__(self) -> None:
        if self.n_points is not None:
            at_least(
                self.n_points,
                C.MIN_FIX_POINTS,
                "baseline n_points",
                f"fix the limits from {C.MIN_FIX_POINTS} or more points, or use the whole series",
            )

    @classmethod
    def declared(
        cls, *points: ChangePoint | tuple[Any, str], n_points: int | None = None
    ) -> Baseline:
        """Limits recomputed from each declared change point (date, reason)."""
        if not points:
            raise InputError(
                "baseline declared: no change point given",
                hint="pass one or more (date, reason) pairs, or use Baseline.whole()",
            )
        out = []
        for p in points:
            cp = p if isinstance(p, ChangePoint) else ChangePoint(p[0], p[1])
            if not isinstance(cp.reason, str) or not cp.reason.strip():
                raise InputError(
                    f"baseline declared: change point {cp.date!r} has no reason "
                    f"(received {cp.reason!r})",
                    hint='say why the process changed, e.g. ("2019-01", "new response model")',
                )
            out.append(cp)
        return cls(tuple(out), n_points)

    @classmethod
    def first_n(cls, n_points: int) -> Baseline:
        """Limits fixed from the first ``n_points`` points and extended over the rest."""
        return cls((), n_points)

    @classmethod
    def whole(cls) -> Baseline:
        """Limits from every point of the series (right when the series is stable)."""
        return cls()

    @property
    def kind(self) -> BaselineKind:
        if self.change_points:
            return BaselineKind.DECLARED_CHANGE
        if self.n_points is not None:
            return BaselineKind.FIRST_N_POINTS
        return BaselineKind.WHOLE_SERIES

    def describe(self) -> str:
        """The baseline in words, for a chart's notes."""
        parts = []
        for cp in self.change_points:
            why = f" ({cp.reason})" if cp.reason else ""
            parts.append(f"limits recomputed from {_date_text(cp.date)}{why}")
        if self.n_points is not None:
            each = " of each period" if self.change_points else ""
            parts.append(f"limits fixed from the first {self.n_points} points{each}")
        return "; ".join(parts) if parts else "limits from the whole series"


def _date_text(value: Any) -> str:
    text = getattr(value, "strftime", None)
    return value.strftime("%Y-%m-%d") if text is not None else str(value)


def resolve_baseline(
    baseline: Baseline | None,
    rebase_at: Sequence[Any],
    fix_after_n_points: int | None,
    what: str,
) -> Baseline:
    """One ``Baseline`` from the ``baseline=``, ``rebase_at=`` and ``fix_after_n_points=``
    arguments of a chart; ``what`` names the function in messages."""
    if fix_after_n_points is not None:
        at_least(
            fix_after_n_points,
            C.MIN_FIX_POINTS,
            f"{what} fix_after_n_points",
            hint=f"fix the limits after {C.MIN_FIX_POINTS} or more points, or leave it unset",
        )
    if isinstance(rebase_at, str):
        raise InputError(
            f"{what} rebase_at: expected a list of dates, received the string {rebase_at!r}",
            hint=f"pass rebase_at=[{rebase_at!r}]",
        )
    extra = tuple(ChangePoint(d) for d in rebase_at)
    if baseline is None:
        return Baseline(extra, fix_after_n_points)
    if not isinstance(baseline, Baseline):
        raise InputError(
            f"{what} baseline: expected a Baseline, received {type(baseline).__name__}",
            hint="build one with Baseline.declared, Baseline.first_n or Baseline.whole",
        )
    n = baseline.n_points
    if fix_after_n_points is not None and n is not None and fix_after_n_points != n:
        raise InputError(
            f"{what}: fix_after_n_points={fix_after_n_points} disagrees with the baseline's "
            f"first {n} points",
            hint="state the fixed baseline once, in the Baseline",
        )
    return Baseline(baseline.change_points + extra, n if n is not None else fix_after_n_points)
