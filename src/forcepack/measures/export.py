"""Writing results as CSV, JSON or Excel, safe against spreadsheet formula injection.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading apostrophe, so it shows as text
(:func:`forcepack.outputs.defuse`, the one rule every file forcepack writes follows). Numbers
are written as numbers and never prefixed.

:func:`for_public` makes a result fit for the public: counts of 1 to 4 in rows cut by
district or neighbourhood shown as ``[c]`` (:func:`forcepack.outputs.suppress`), and a first
column ``marking`` holding ``OFFICIAL``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from forcepack.errors import InputError
from forcepack.outputs import FORMULA_PREFIXES, SUPPRESSED, defuse, replace_file, suppress
from forcepack.outputs import defuse_frame as safe_frame
from forcepack.vocab import COUNT_KINDS

FORMATS = ("table", "csv", "json", "xlsx")
#: The marking of a result made fit for the public by :func:`for_public`.
PUBLIC_MARKING = "OFFICIAL"
#: Dimensions whose rows are small areas: their counts are suppressed in public outputs.
SMALL_AREAS = ("district", "neighbourhood")
#: Columns holding counts of records (crimes, victims, incidents...).
COUNT_COLUMNS = ("numerator", "denominator", "n")
__all__ = [
    "FORMATS",
    "FORMULA_PREFIXES",
    "PUBLIC_MARKING",
    "SUPPRESSED",
    "defuse",
    "for_public",
    "safe_frame",
    "to_csv",
    "to_json",
    "to_xlsx",
]


def for_public(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (a :func:`forcepack.measures.compute` result) as the public may see it.

    In rows cut by district or neighbourhood, every count of 1 to 4 (``numerator``,
    ``denominator``, ``n``, and the value and comparison values of a ``count`` measure) is
    shown as ``[c]``; where any count of a row is suppressed, its value and comparison values
    are too, so a share or a median cannot reveal what was suppressed. Force and area rows are
    unchanged. A first column ``marking`` says ``OFFICIAL``.
    """
    from forcepack.measures import get

    out = df.copy().astype(object)
    values = [c for c in out.columns if c == "value" or str(c).startswith("value_")]
    geo = [c for c in SMALL_AREAS if c in out.columns]
    if geo and len(out):
        kinds = {m: str(get(m).kind) for m in out["measure_id"].unique()}
        is_count = out["measure_id"].map(kinds).eq("count")
        hidden = pd.Series(False, index=out.index)
        for col in [c for c in COUNT_COLUMNS if c in out.columns]:
            shown = out[col].map(suppress)
            hidden |= shown.eq(SUPPRESSED)
            out[col] = shown
        for col in values:
            shown = out[col].where(~is_count, out[col].map(suppress))
            out[col] = shown.where(~hidden, SUPPRESSED)
    out.insert(0, "marking", PUBLIC_MARKING)
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


#: Result columns that hold a measure's value: the value and the comparisons of ``--compare``.
VALUE_PREFIX = "value"


def integral_counts(df: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """``df`` for CSV, JSON and Excel: whole counts as integers, everything else as computed.

    The count columns hold integers wherever the number is whole; the value columns hold
    integers in the rows of count measures. Shares, medians and the like keep full precision.
    """
    out = df.copy()
    counts = df["measure_id"].map(lambda m: kinds.get(m) in COUNT_KINDS).astype(bool)
    for col in [
        *COUNT_COLUMNS,
        *[c for c in df.columns if c == VALUE_PREFIX or c.startswith(VALUE_PREFIX + "_")],
    ]:
        if col not in df.columns:
            continue
        numbers = pd.to_numeric(df[col], errors="coerce").astype("float64")
        present = numbers.notna()
        whole = present & (numbers == numbers.round())
        if col.startswith(VALUE_PREFIX):
            whole &= counts
        if not whole.any():
            continue
        if bool((whole == present).all()):  # every number in the column is a whole count
            out[col] = numbers.round().astype("Int64")
            continue
        out[col] = pd.Series(
            [
                int(n)
                if w
                else (None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v)
                for w, n, v in zip(whole, numbers, df[col].tolist(), strict=True)
            ],
            index=df.index,
            dtype=object,
        )
    return out
