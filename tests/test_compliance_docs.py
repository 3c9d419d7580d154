"""docs/victim-care.md documents every victims command, measure and rule constant it states."""

from __future__ import annotations

from pathlib import Path

from forcepack.cli.victims import victims
from forcepack.compliance import allocate, rules
from forcepack.contract.derived_compliance import ENTITLEMENTS
from forcepack.measures.spec import load_catalogue

DOC = (Path(__file__).resolve().parents[1] / "docs" / "victim-care.md").read_text("utf-8")


def test_every_command_is_documented() -> None:
    for name in victims.commands:
        assert f"forcepack victims {name}" in DOC, name


def test_every_victims_measure_and_entitlement_is_documented() -> None:
    ids = [m for m in load_catalogue() if m.startswith("victims.")]
    assert len(ids) >= 8
    for mid in ids:
        base = mid if mid.count(".") == 1 else mid.rsplit(".", 1)[0]
        assert f"`{base}`" in DOC, mid
    for name in ENTITLEMENTS:
        assert f"`{name}`" in DOC, name


def test_documented_numbers_are_the_rules() -> None:
    assert f"**{rules.ENHANCED_KEY_EVENT_WORKING_DAYS}st** working day" in DOC
    assert f"**{rules.STANDARD_KEY_EVENT_WORKING_DAYS}th** (standard)" in DOC
    assert f"**{rules.HUB_REFERRAL_DAYS}nd** calendar day" in DOC
    assert f"**{rules.NEEDS_ASSESSMENT_WORKING_DAYS}th** working day" in DOC
    assert f"{rules.AUDIT_SAMPLE_SIZE} cases shared between areas" in DOC
    assert f"at most {rules.BREACH_LOOKBACK_DAYS} days" in DOC
    assert f"The default seed is {rules.DEFAULT_AUDIT_SEED}." in DOC
    # the worked rounding example in the docs is what allocate() does
    assert allocate({"North": 70, "South": 130}) == {"North": 11, "South": 19}
    assert "11 and 19" in DOC
