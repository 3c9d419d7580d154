"""How measure results read: a table for people, full-precision CSV and JSON for programs.

The measure's kind (from its spec) decides how its value is shown in a table: counts with
thousands separators (``70,240``, never ``7.024e+04``), shares and rates as percentages with one
decimal (``76.5%``), medians in minutes and other figures with at most two decimals and no
trailing zeros (``17.83``, ``18``). Numerators, denominators and ``n`` are shown the same way as
counts. The comparison columns of ``--compare`` follow their row's value.

CSV and JSON keep full precision; only counts are made integers (``15672``, not ``15672.0``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Columns that hold a count of records (or a sum of whole numbers) in every result row.
COUNT_COLUMNS = ("numerator", "denominator", "n")
#: Result columns that hold a measure's value: the value and the comparisons of ``--compare``.
VALUE_PREFIX = "value"
#: Measure kinds whose value is a count.
COUNT_KINDS = frozenset({"count", "latest"})
#: Measure kinds whose value is a fraction shown as a percentage.
PERCENT_KINDS = frozenset({"share", "rate"})
#: Decimals of a percentage.
PERCENT_DECIMALS = 1
#: At most this many decimals for other values (medians, means, sums, rates per 1,000).
DECIMALS = 2


def _missing(v: Any) -> bool:
    import pandas as pd

    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def count(v: Any) -> str:
    """``70,240``; a count that is not whole keeps up to two decimals (``1,873,836.5``)."""
    if _missing(v):
        return ""
    f = float(v)
    if f.is_integer():
        return f"{int(f):,}"
    return decimal(f)


def percent(v: Any) -> str:
    """A fraction as a percentage with one decimal: ``0.7632`` -> ``76.3%``."""
    if _missing(v):
        return ""
    return f"{float(v) * 100:.{PERCENT_DECIMALS}f}%"


def decimal(v: Any) -> str:
    """At most two decimals, thousands separators, no trailing zeros: ``17.83``, ``18``."""
    if _missing(v):
        return ""
    text = f"{float(v):,.{DECIMALS}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def value_formatter(kind: str) -> Callable[[Any], str]:
    """How a value of a measure of ``kind`` is shown in a table."""
    if kind in COUNT_KINDS:
        return count
    if kind in PERCENT_KINDS:
        return percent
    return decimal


#: Result columns whose values are snake_case codes, shown in words in a table.
CODE_COLUMNS = ("crime_flag", "crime_group", "call_type_category", "grade", "entitlement")


def words(code: Any) -> str:
    """A snake_case code in words: ``hate_crime`` -> ``Hate crime``; other text unchanged."""
    if _missing(code):
        return ""
    text = str(code)
    if "_" not in text or text != text.lower():
        return text
    spaced = text.replace("_", " ")
    return spaced[0].upper() + spaced[1:]


def _value_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c == VALUE_PREFIX or c.startswith(VALUE_PREFIX + "_")]


def render_table(df: pd.DataFrame, kinds: Mapping[str, str]) -> str:
    """The results as an aligned text table; ``kinds`` maps each measure id to its kind."""
    shown = df.copy()
    kind_of = df["measure_id"].map(kinds)
    for col in _value_columns(df):
        shown[col] = [value_formatter(k)(v) for k, v in zip(kind_of, df[col].tolist(), strict=True)]
    for col in COUNT_COLUMNS:
        if col in df.columns:
            shown[col] = df[col].map(count)
    for col in CODE_COLUMNS:
        if col in df.columns:
            shown[col] = df[col].map(words)
    text: str = shown.to_string(index=False)
    return text + "\n"


def integral_counts(df: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """``df`` for CSV, JSON and Excel: whole counts as integers, everything else as computed.

    The count columns hold integers wherever the number is whole; the value columns hold
    integers in the rows of count measures. Shares, medians and the like keep full precision.
    """
    import pandas as pd

    out = df.copy()
    counts = df["measure_id"].map(lambda m: kinds.get(m) in COUNT_KINDS).astype(bool)
    for col in [*COUNT_COLUMNS, *_value_columns(df)]:
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
                int(n) if w else (None if _missing(v) else v)
                for w, n, v in zip(whole, numbers, df[col].tolist(), strict=True)
            ],
            index=df.index,
            dtype=object,
        )
    return out
