"""Derived tables built by ``forcepack.harm`` (Crime Harm Index scores).

Declared here, as part of the one contract, so that the measure catalogue can validate measures
over them and the docs list them.
"""

from __future__ import annotations
