"""The demo force records every offence under the Home Office code that means it, and the
proactive offences left out of harm totals are the drug and possession of weapons offences."""

from __future__ import annotations

import pytest

from forcepack.contract.reference import rows as reference_rows
from forcepack.demo import offences as off
from forcepack.harm.score import PROACTIVE_OFFENCES

SHIPPED = {str(r["offence_code"]): r for r in reference_rows("offences")}
#: The Home Office offence group each demo family's offences belong to.
FAMILY_GROUP = {
    "v": {"Violence against the person"},
    "k": {"Violence against the person"},
    "s": {"Sexual offences"},
    "c": {"Sexual offences"},
    "r": {"Robbery"},
    "b": {"Theft offences"},
    "o": {"Theft offences"},
    "t": {"Theft offences"},
    "h": {"Theft offences"},
    "m": {"Theft offences"},
    "d": {"Criminal damage and arson"},
    "g": {"Drug offences"},
    "w": {"Possession of weapons offences"},
    "p": {"Public order offences"},
    "x": {"Miscellaneous crimes against society"},
}
DEMO_CODES = sorted(set().union(*off.MIXES))


def test_every_demo_code_ships_and_has_a_family() -> None:
    assert set(DEMO_CODES) <= set(SHIPPED)
    assert set(DEMO_CODES) == set(off.FAMILY)


@pytest.mark.parametrize("code", DEMO_CODES)
def test_a_demo_code_is_in_the_group_of_its_family(code: str) -> None:
    assert SHIPPED[code]["ho_group"] in FAMILY_GROUP[off.FAMILY[code]], code


def test_the_demo_flags_name_offences_of_the_right_kind() -> None:
    names = {c: str(SHIPPED[c]["offence_name"]).lower() for c in SHIPPED}
    assert all("blade or point" in names[c] for c in off.KNIFE_ALWAYS)
    assert all("racially or religiously aggravated" in names[c] for c in off.HATE_ALWAYS)
    assert all(SHIPPED[c]["ho_group"] == "Sexual offences" for c in off.SSO)
    violent = {"Violence against the person", "Robbery"}
    assert all(SHIPPED[c]["ho_group"] in violent for c in off.KNIFE_SOMETIMES)


def test_proactive_offences_are_the_drug_and_weapons_possession_codes() -> None:
    groups = {"Drug offences", "Possession of weapons offences"}
    expected = {c for c, r in SHIPPED.items() if r["ho_group"] in groups}
    assert expected == PROACTIVE_OFFENCES
    # every demo offence of the drugs and weapons families is among them
    assert {c for c, f in off.FAMILY.items() if f in "gw"} <= PROACTIVE_OFFENCES
