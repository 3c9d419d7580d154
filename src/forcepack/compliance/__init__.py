"""Victim care: victim care contract and Victims' Code compliance, breach lists, audit sample.

Library API (the CLI ``forcepack victims`` is a thin shell over it):

- :func:`build` materialises ``working_days``, ``victim_care_obligations`` and
  ``victim_care_victims`` in the warehouse (DuckDB SQL).
- :func:`summary` gives the board paper's aggregate, non-personal figures for a month.
- :func:`breach_list` and :func:`write_breach_list` make the OFFICIAL-SENSITIVE breach list.
- :func:`audit_sample` and :func:`write_audit_workbook` draw the quarterly audit sample.
"""

from __future__ import annotations

from forcepack.compliance.audit import AuditSample, allocate, audit_sample, write_audit_workbook
from forcepack.compliance.breaches import BreachList, breach_list, write_breach_list
from forcepack.compliance.build import BuildResult, build
from forcepack.compliance.summary import Pair, Rate, VictimCareSummary, summary

__all__ = [
    "AuditSample",
    "BreachList",
    "BuildResult",
    "Pair",
    "Rate",
    "VictimCareSummary",
    "allocate",
    "audit_sample",
    "breach_list",
    "build",
    "summary",
    "write_audit_workbook",
    "write_breach_list",
]
