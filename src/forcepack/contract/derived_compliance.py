"""Derived tables built by ``forcepack.compliance`` (victim care and Victims' Code compliance).

Declared in ``tables/compliance.toml``, as part of the one contract, so that the measure
catalogue can validate measures over them and the docs list them. ``forcepack victims build``
(``compliance.build``) rebuilds all three from the force tables; the rules are in ``docs/victim-
care.md``.
"""

from __future__ import annotations

from enum import StrEnum

from forcepack.contract.declared import load_family
from forcepack.contract.vocab import values


class Entitlement(StrEnum):
    """What a victim is owed (``victim_care_obligations.entitlement``)."""

    VCC_CONTACT = "vcc_contact"  # victim care contract: a contact within the agreed interval
    KEY_EVENT_CONTACT = "key_event_contact"  # Victims' Code: told of a key event in time
    MONTHLY_UPDATE = "monthly_update"  # Victims' Code: monthly update while no suspect
    HUB_REFERRAL = "hub_referral"  # Victims' Code: referred to the Hub within 2 days
    NEEDS_ASSESSMENT = "needs_assessment"  # Victims' Code: needs assessed in 5 working days


ENTITLEMENTS = values(Entitlement)
#: Entitlements that make up Victims' Code compliance (the VCC is the force's own contract).
CODE_ENTITLEMENTS = ENTITLEMENTS[1:]

_GROUPS = load_family("compliance", vocabularies={"ENTITLEMENTS": ENTITLEMENTS})
#: Crime columns copied onto every compliance row so measures cut by them without a join.
DIMENSIONS = _GROUPS["dimensions"]
