"""Writing results as CSV, JSON or Excel, safe against spreadsheet formula injection.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so it shows as text.
Numbers are written as numbers and never prefixed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from forcepack.errors import InputError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("table", "csv", "json", "xlsx")


def defuse(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:  # kept object: a column of ints and floats stays so
            out[col] = pd.Series([defuse(v) for v in out[col]], index=out.index, dtype=object)
    out.columns = [defuse(str(c)) for c in out.columns]
    return out


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


def to_xlsx(df: pd.DataFrame, path: Path) -> Path:
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"Excel output {path} must end in .xlsx")
    safe = safe_frame(df)
    for c in safe.columns:  # openpyxl wants plain objects, not pandas' nullable integers
        if str(safe[c].dtype) == "Int64":
            safe[c] = safe[c].astype(object).where(safe[c].notna(), None)
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        safe.to_excel(xw, index=False, sheet_name="measures")
    return path
