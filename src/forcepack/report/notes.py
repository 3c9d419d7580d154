"""The notes at the end of a section: how each of its judgements was reached, in ONS style.

The body of the paper says what a judgement means ("a real rise, beyond normal month-to-month
variation"); the method, its numbers, p-values and limits go here, one note per claim, written
from the claim's own evidence record. A shift's note suggests the rebase that would give the new
process its own limits.
"""

from __future__ import annotations

from typing import Any

from forcepack.report.model import Claim

_CHART = {
    "xmr": "XmR chart",
    "p": "p chart",
    "pp": "Laney p′ chart",
    "u": "u chart",
    "up": "Laney u′ chart",
    "c": "c chart",
}
_COMPARE = {
    "previous_month": "the month before",
    "same_month_last_year": "the same month last year",
}


def _n(value: Any) -> str:
    """A number as a note prints it: three decimals below 1.5 (proportions), else one."""
    if value is None:
        return "n/a"
    v = float(value)
    return f"{v:.3f}" if abs(v) < 1.5 else f"{v:,.1f}"


def _p(p: float | None) -> str:
    if p is None:
        return "p n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _month(date: Any) -> str:
    return str(date)[:7] if date else "?"


def _chart(r: dict[str, Any]) -> str:
    last = r["latest"]
    return (
        f"{_CHART.get(r['method'], r['method'])} of {len(r['series'])} months "
        f"({_month(r['series'][0]['date'])} to {_month(r['series'][-1]['date'])}), "
        f"{r['baseline']['description']}; latest point {_n(last['value'])} against process "
        f"limits {_n(last['lpl'])} to {_n(last['upl'])} (centre {_n(last['mean'])})"
        + (f", rule: {last['rule'].replace('_', ' ')}" if last.get("rule") else "")
    )


def note_of(claim: Claim) -> str:
    """The note for one claim: what was judged and how, with the numbers."""
    r = claim.record
    cut = "".join(f", {k.replace('_', ' ')} {v}" for k, v in claim.cut)
    head = f"{claim.number} {claim.measure_id}{cut}: "
    method = r["method"]
    if method == "xmr_moving_range":
        b = r["baseline"]
        how = (
            f"change against {_COMPARE[r['compare']]} ({_n(r['change'])}) judged by the "
            f"series’ own variation: the {b['points']} months {_month(b['start'])} to "
            f"{_month(b['end'])} vary {_n(r['dispersion'])} times as much as Poisson counts "
            f"(index of dispersion test, {_p(r['dispersion_p_value'])}), so a change is real "
            f"only beyond 3.267 times the mean moving range, {_n(r['limit'])}"
        )
    elif method == "poisson_exact":
        b = r["baseline"]
        how = (
            f"change against {_COMPARE[r['compare']]} ({_n(r['change'])}): the {b['points']} "
            f"months before vary as Poisson counts do (variance {_n(r['dispersion'])} times "
            f"the mean), so the exact conditional Poisson test is used, {_p(r['p_value'])}"
        )
    elif method in _CHART:
        how = _chart(r)
    elif method == "sustained_run":
        how = (
            f"{r['points']} consecutive months on one side of the centre line since "
            f"{_month(r['since'])}, on its {_chart(r['chart'])}. The process appears to have "
            f"changed: rebasing the chart at {_month(r['since'])} would give it its own limits "
            "(declare the change point in paper.toml if the change is known)"
        )
    elif method == "recent_special_cause":
        how = (
            f"special cause improvement in {r['improvement_points']} of the last {r['points']} "
            f"months and no special cause concern, on its {_chart(r['chart'])}"
        )
    elif method == "mann_kendall":
        w = r["window"]
        how = (
            f"Mann-Kendall test for a monotone trend over the {w['points']} months "
            f"{_month(w['start'])} to {_month(w['end'])}: S = {r['s']:.0f}, {_p(r['p_value'])}, "
            f"Sen slope {_n(r['sen_slope'])} a month; a trend only when p < {r['alpha']}"
        )
    else:
        how = f"judged by {method}"
    return head + how + "."
