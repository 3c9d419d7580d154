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

from forcepack.vocab import COUNT_KINDS, PROPORTION_KINDS

if TYPE_CHECKING:
    import pandas as pd

#: Columns that hold a count of records (or a sum of whole numbers) in every result row.
COUNT_COLUMNS = ("numerator", "denominator", "n")
#: Result columns that hold a measure's value: the value and the comparisons of ``--compare``.
VALUE_PREFIX = "value"
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
    """How a value of a measure of ``kind`` is shown in a table: a count (a ``count`` or
    ``latest`` measure) as a whole number, a share or a rate as a percentage."""
    if kind in COUNT_KINDS:
        return count
    if kind in PROPORTION_KINDS:
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
