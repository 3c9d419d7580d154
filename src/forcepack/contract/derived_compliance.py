"""Derived tables built by ``forcepack.compliance`` (victim care and Victims' Code compliance).

Declared here, as part of the one contract, so that the measure catalogue can validate measures
over them and the docs list them.
"""

from __future__ import annotations
