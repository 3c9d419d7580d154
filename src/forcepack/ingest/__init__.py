"""Ingest: load a force's extracts and data.police.uk files, validate every row, lose nothing.

- :func:`load_extract` loads one CSV, Parquet or .xlsx extract of a contract table.
- :func:`load_police_uk` loads data.police.uk street and outcomes files (files or folders).
- :func:`quality_report` summarises loads, rejections, completeness, date ranges and gaps.

Every row read is loaded or quarantined with a reason, and the counts add up (see ``load.py``).
"""

from forcepack.contract.vocab import LoadStatus
from forcepack.ingest.load import LoadResult, load_extract
from forcepack.ingest.police_uk import load_police_uk, outcome_groups
from forcepack.ingest.report import QualityReport, quality_report
from forcepack.ingest.validate import Rule

__all__ = [
    "LoadResult",
    "LoadStatus",
    "QualityReport",
    "Rule",
    "load_extract",
    "load_police_uk",
    "outcome_groups",
    "quality_report",
]
