"""6.3.3: the quarterly Victims' Code audit: the sample drawn and, once the completed workbook
is loaded back (``forcepack victims audit-results FILE``), compliance per audited area with the
auditors' findings counted. Aggregate figures only: no case id reaches the paper."""

from __future__ import annotations

import duckdb

from forcepack.report import format as fmt
from forcepack.report.build_performance import SOFT_ERRORS
from forcepack.report.builders import Context, builder, para
from forcepack.report.model import Block, Gap, Table
from forcepack.report.narrative import say

_FIX = "run `forcepack victims build` on the warehouse and rebuild the paper."


@builder("victims.audit", "the quarterly Victims' Code audit sample and its findings")
def audit(ctx: Context) -> list[Block]:
    """6.3.3: the latest complete quarter's sample by area, then the loaded findings."""
    from forcepack.compliance import audit_sample
    from forcepack.compliance.audit_results import NOT_AUDITED, audit_findings
    from forcepack.compliance.periods import latest_quarter

    label = latest_quarter(ctx.month)
    try:
        sample = audit_sample(ctx.con, label)
    except (*SOFT_ERRORS, duckdb.CatalogException) as err:  # victim care tables not built
        return [Gap(what="the Victims' Code audit sample", reason=f"{err}.", fix=_FIX)]
    q = sample.quarter
    if not len(sample.cases):
        return [
            Gap(
                what="the Victims' Code audit sample",
                reason=f"The victim care tables hold no case finalised in {label}.",
                fix=_FIX,
            )
        ]
    allocation = fmt.join(
        [say("victims.audit.allocation", area=a, drawn=n) for a, n in sample.allocation.items()]
    )
    blocks: list[Block] = [
        para(
            say(
                "victims.audit.sample",
                quarter=q.label,
                start=fmt.long_date(q.start),
                end=fmt.long_date(q.last_day),
                drawn=fmt.number(len(sample.cases)),
                eligible=fmt.number(sum(sample.eligible.values())),
                allocation=allocation,
            )
        )
    ]
    counts = audit_findings(ctx.con, label)
    if counts is None:
        blocks.append(
            Gap(
                what=f"the auditors' findings for {label}",
                reason="No completed audit workbook has been loaded for the quarter.",
                fix="load the completed workbook with `forcepack victims audit-results FILE` "
                "and rebuild the paper.",
            )
        )
        return blocks
    cases = len(sample.cases)
    audited = max(cases - c[NOT_AUDITED] for c in counts.values())
    blocks.append(para(say("victims.audit.findings", quarter=label, audited=audited, cases=cases)))
    rows = []
    for area, c in counts.items():
        judged = c["met"] + c["not met"]
        rows.append(
            (
                area[0].upper() + area[1:],
                fmt.number(c["met"]),
                fmt.number(c["not met"]),
                fmt.number(c["n/a"]),
                fmt.number(c[NOT_AUDITED]),
                fmt.percent(c["met"] / judged) if judged else "–",
            )
        )
    blocks.append(
        Table(
            caption=say("victims.audit.caption", quarter=label),
            columns=tuple(
                say(f"victims.audit.{k}")
                for k in ("area", "met", "not_met", "na", "pending", "compliance")
            ),
            rows=tuple(rows),
            note=say("victims.audit.note"),
        )
    )
    return blocks
