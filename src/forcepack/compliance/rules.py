"""The victim care rules as named constants, cited once.

Every deadline in ``build``, every sentence in ``docs/victim-care.md`` and every message is
formatted from these, so the code, the docs and the messages cannot disagree.
"""

from __future__ import annotations

# The events that identify a suspect are a fact of the investigation_events column (defined
# beside it in the contract); named here too, with the other Victims' Code rules.
from forcepack.contract.spec import SUSPECT_EVENTS as SUSPECT_EVENTS
from forcepack.contract.spec import ContactType

#: Victims' Code: tell a standard victim of a key event within this many working days ...
STANDARD_KEY_EVENT_WORKING_DAYS = 5
#: ... and a victim with enhanced entitlement (a priority group) within this many.
ENHANCED_KEY_EVENT_WORKING_DAYS = 1
#: Victims' Code: refer to the Victim and Witness Hub within this many (calendar) days of the
#: crime's recording, unless the victim declines.
HUB_REFERRAL_DAYS = 2
#: Needs assessment recorded within this many working days of the crime's recording (the Code
#: gives written information within 5 working days; forcepack holds the needs assessment to
#: the same timescale).
NEEDS_ASSESSMENT_WORKING_DAYS = 5
#: Victims' Code: an update at least this many calendar months apart while no suspect is
#: identified.
MONTHLY_UPDATE_MONTHS = 1
#: Contact types that count as an update while no suspect is identified.
UPDATE_CONTACT_TYPES = (ContactType.UPDATE, ContactType.KEY_EVENT)
#: Breach lists show unmet obligations that fell due at most this many days before the month end.
BREACH_LOOKBACK_DAYS = 365
#: Cases in the quarterly audit sample.
AUDIT_SAMPLE_SIZE = 30
#: Seed used when the user gives none (the same command always draws the same cases).
DEFAULT_AUDIT_SEED = 1
