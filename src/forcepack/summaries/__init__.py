"""The aggregate figures of ``forcepack harm summary``, ``forcepack victims summary`` and the
board paper's harm and victim care paragraphs, from catalogue measures (no person ids).

Every figure a catalogue measure defines is read through :func:`forcepack.measures.compute`
(stored results when they describe the current data), so the summaries, the paper and the
dashboard read the same numbers. This package sits above the measures and the derived tables
(``forcepack.harm``, ``forcepack.compliance``), which it reads; the report, the dashboard and
the CLI read it.

- :func:`harm_summary`: Crime Harm Index totals, rates, concentration and list coverage.
- :func:`victim_care_summary`: victim care contract and Victims' Code compliance, Hub referral,
  and the crimes open at the month end.
"""

from __future__ import annotations

from forcepack.summaries.harm import HarmSummary, PlaceHarm, harm_summary
from forcepack.summaries.victim_care import Pair, Rate, VictimCareSummary, victim_care_summary

__all__ = [
    "HarmSummary",
    "Pair",
    "PlaceHarm",
    "Rate",
    "VictimCareSummary",
    "harm_summary",
    "victim_care_summary",
]
