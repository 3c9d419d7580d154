"""Victim care: victim care contract and Victims' Code compliance, breach lists, audit sample.

Library API (the CLI ``forcepack victims`` is a thin shell over it):

- :func:`build` materialises ``working_days``, ``victim_care_obligations`` and
  ``victim_care_victims`` in the warehouse (DuckDB SQL).
- :func:`breach_list` and :func:`write_breach_list` make the OFFICIAL-SENSITIVE breach list.
- :func:`audit_sample` and :func:`write_audit_workbook` draw the quarterly audit sample.

The compliance figures are catalogue measures (``victims.*``); the board paper's aggregate
figures are :func:`forcepack.summaries.victim_care_summary`.
"""

from __future__ import annotations

from forcepack.compliance.audit import AuditSample, allocate, audit_sample, write_audit_workbook
from forcepack.compliance.breaches import BreachList, breach_list, write_breach_list
from forcepack.compliance.build import BuildResult, build

__all__ = [
    "AuditSample",
    "BreachList",
    "BuildResult",
    "allocate",
    "audit_sample",
    "breach_list",
    "build",
    "write_audit_workbook",
    "write_breach_list",
]
