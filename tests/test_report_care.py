"""Section 6's victim care figures: the Victims' Code table by entitlement and Hub referral.

Aggregates from ``forcepack.summaries.victim_care_summary`` (and the key event split by enhanced
entitlement), placed under the commitment they answer; never a person id.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from forcepack.report.build_care import care_blocks
from forcepack.report.build_victims import _first
from forcepack.report.model import Gap, Paragraph, Table

pytestmark = pytest.mark.slow
DEC19 = dt.date(2019, 12, 31)


def _n(cell: str) -> int:
    return int(cell.replace(",", ""))


def test_victims_code_table_adds_up_to_the_summary(demo_warehouse: Path) -> None:
    from forcepack.summaries import victim_care_summary as summary
    from forcepack.warehouse import connect

    con = connect(demo_warehouse, read_only=True)
    try:
        s = summary(con, "2019-12")
        care = care_blocks(con, DEC19)
    finally:
        con.close()
    lead, table = care.code
    assert isinstance(lead, Paragraph) and isinstance(table, Table)
    rows = {r[0]: r for r in table.rows}
    enhanced = rows["Key events notified in time (enhanced)"]
    standard = rows["Key events notified in time (standard)"]
    key = s.code_compliance_by_entitlement["key_event_contact"]
    # enhanced + standard key events = every key event due, month and 12 months
    assert _n(enhanced[2]) + _n(standard[2]) == key.month.denominator
    assert _n(enhanced[4]) + _n(standard[4]) == key.rolling12.denominator
    # the four entitlements' dues add up to the Victims' Code total
    four = ("Key events notified in time (enhanced)", "Key events notified in time (standard)")
    four += (
        "Monthly updates",
        "Hub referral within 2 days",
        "Needs assessment within 5 working days",
    )
    total = rows["All Victims’ Code entitlements"]
    assert sum(_n(rows[k][2]) for k in four) == _n(total[2]) == s.code_compliance.month.denominator
    assert total[1] == f"{s.code_compliance.month.value * 100:.1f}%"
    assert f"{s.code_compliance.rolling12.value * 100:.1f}%" in lead.text
    # aggregate cells only: percentages and counts
    for row in table.rows:
        assert all(re.fullmatch(r"[\d,]+|\d+\.\d%|–", c) for c in row[1:]), row
    (hub,) = care.hub
    assert isinstance(hub, Paragraph)
    assert f"{s.hub_referral_rate.month.value * 100:.1f}% of the victims" in hub.text


def test_missing_tables_leave_a_marked_gap(empty_warehouse: Path) -> None:
    from forcepack.warehouse import connect

    con = connect(empty_warehouse, read_only=True)
    try:
        care = care_blocks(con, DEC19)
    finally:
        con.close()
    assert all(isinstance(b, Gap) for b in (*care.code, *care.hub))


def test_figures_go_under_the_commitment_they_answer() -> None:
    titles = [
        "ensure victims from the priority groups are identified",
        "ensure victims ... are kept informed in line with the victims' code",
        "develop a clear understanding of those most at risk from the highest harm",
        "ensure effective use of the referral process into the victim and witness hub",
    ]
    assert _first(titles, ("kept informed",)) == 1
    assert _first(titles, ("harm",)) == 2
    assert _first(titles, ("hub",)) == 3
    assert _first(titles, ("nothing here",)) is None
