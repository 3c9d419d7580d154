"""Writing results as CSV, JSON or Excel, safe against spreadsheet formula injection.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so it shows as text
(:func:`forcepack.outputs.defuse`, the one rule every file forcepack writes follows). Numbers
are written as numbers and never prefixed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from forcepack.errors import InputError
from forcepack.outputs import FORMULA_PREFIXES, defuse, replace_file
from forcepack.outputs import defuse_frame as safe_frame

FORMATS = ("table", "csv", "json", "xlsx")
__all__ = [
    "FORMATS",
    "FORMULA_PREFIXES",
    "defuse",
    "safe_frame",
    "to_csv",
    "to_json",
    "to_xlsx",
]


def to_csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def to_json(df: pd.DataFrame) -> str:
    def cell(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, dt.date):
            return v.isoformat()
        if hasattr(v, "item"):
            return v.item()
        return v

    records = [{k: cell(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
    return json.dumps(records, indent=1)


def to_xlsx(df: pd.DataFrame, path: Path, *, marking: str | None = None) -> Path:
    """Write ``df`` as a workbook (sheet ``measures``); ``marking`` also goes in the printed
    header and footer. The path is not checked here: see :func:`forcepack.outputs.check_out`."""
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"Excel output {path} must end in .xlsx")
    safe = safe_frame(df)
    for c in safe.columns:  # openpyxl wants plain objects, not pandas' nullable integers
        if str(safe[c].dtype) == "Int64":
            safe[c] = safe[c].astype(object).where(safe[c].notna(), None)
    with replace_file(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        safe.to_excel(xw, index=False, sheet_name="measures")
        if marking is not None:
            ws = xw.sheets["measures"]
            for hf in (ws.oddHeader, ws.oddFooter):
                hf.center.text = marking
    return path
