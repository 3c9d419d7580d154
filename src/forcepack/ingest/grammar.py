"""The accepted spellings of each column type, and the SQL that reads a value exactly as
written or not at all (the grammar ``validate`` checks every staged value against).

The spellings are listed in ``validate``'s module docstring and ``docs/ingest.md``.
"""

from __future__ import annotations

import datetime as dt

from forcepack.contract.spec import Column, ColumnType
from forcepack.warehouse.sql import lit, lit_list

#: Text values longer than this are quarantined (no contract column holds free text).
MAX_TEXT_CHARS = 1_000
#: Longest plausible span from an earlier time column, per table: it applies to every
#: ``time_order`` pair starting at that column.
MAX_SPANS: dict[tuple[str, str], dt.timedelta] = {
    ("incidents", "created_at"): dt.timedelta(days=7),
    ("calls", "offered_at"): dt.timedelta(hours=24),
}
#: No date or timestamp before this is plausible in a force's records.
EARLIEST_DATE = dt.date(1900, 1, 1)
#: How far after the load a date column (a review due, a call type's last day) may lie.
#: Timestamps may not lie after the load at all (rule ``future_date``).
DATE_FUTURE_ALLOWANCE = dt.timedelta(days=3653)
#: The time zone of every stored timestamp; times given with an offset are converted to it.
LOCAL_ZONE = "Europe/London"
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
#: Leading characters that make a spreadsheet treat text as a formula.
FORMULA_CHARS = "=+-@"

# The accepted spellings (RE2 syntax, matched against the whole trimmed text).
_ISO_DAY = r"\d{4}-\d{2}-\d{2}"
_ISO_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
_ZONE = r"(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)"
TIMESTAMP_LOCAL = rf"{_ISO_DAY}([ T]{_ISO_TIME})?"
TIMESTAMP_ZONED = rf"{_ISO_DAY}[ T]{_ISO_TIME}{_ZONE}"
TIMESTAMP_SLASH = r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?"
DATE_ISO = rf"{_ISO_DAY}([ T]00:00(:00(\.0{{1,9}})?)?)?"
DATE_MONTH = r"\d{4}-\d{2}"
DATE_SLASH = r"\d{1,2}/\d{1,2}/\d{4}"
INTEGER = r"-?\d+(\.0+)?"
DECIMAL = r"-?\d+(\.\d+)?"
#: Unicode control characters (category Cc).
CONTROL = r"[\x00-\x1f\x7f-\x9f]"
#: The first two numbers of a ``NN/NN/YYYY`` value, to tell day-first from month-first.
SLASH_PARTS = r"^(\d{1,2})/(\d{1,2})/\d{4}"


def trimmed_text(c: str) -> str:
    """Empty text is null; surrounding spaces are trimmed (only where there are any: trimming
    every value costs more than the rest of the conversion)."""
    return (
        f"CASE WHEN starts_with({c}, ' ') OR ends_with({c}, ' ') THEN nullif(trim({c}), '') "
        f"ELSE nullif({c}, '') END"
    )


def _matches(raw: str, pattern: str) -> str:
    return f"regexp_full_match({raw}, {lit(pattern)})"


def _slash_formats(day_first: bool, with_time: bool) -> str:
    day = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    fmts = (f"{day} %H:%M:%S", f"{day} %H:%M", day) if with_time else (day,)
    return "[" + lit_list(fmts) + "]"


def typed_expression(col: Column, raw: str, day_first: bool = True) -> str:
    """SQL turning the trimmed text ``raw`` into the column's type (NULL when it cannot).

    ``day_first`` says how ``NN/NN/YYYY`` values of this column are read (:func:`date_orders`).
    """
    t = col.type
    if t is ColumnType.STRING:
        return raw
    if t is ColumnType.INTEGER:
        # DuckDB reads "1_4" as 14, "0x10" as 16 and rounds "1.5" to 2: the grammar comes first
        return f"CASE WHEN {_matches(raw, INTEGER)} THEN try_cast({raw} AS BIGINT) END"
    if t is ColumnType.DOUBLE:
        number = f"try_cast({raw} AS DOUBLE)"
        return f"CASE WHEN {_matches(raw, DECIMAL)} AND isfinite({number}) THEN {number} END"
    if t is ColumnType.BOOLEAN:
        return (
            f"CASE WHEN lower({raw}) IN ({lit_list(TRUE_WORDS)}) THEN true "
            f"WHEN lower({raw}) IN ({lit_list(FALSE_WORDS)}) THEN false END"
        )
    if t is ColumnType.DATE:
        return (
            f"CASE WHEN {_matches(raw, DATE_ISO)} THEN try_cast(left({raw}, 10) AS DATE) "
            f"WHEN {_matches(raw, DATE_SLASH)} THEN "
            f"CAST(try_strptime({raw}, {_slash_formats(day_first, False)}) AS DATE) "
            f"WHEN {_matches(raw, DATE_MONTH)} THEN CAST(try_strptime({raw}, '%Y-%m') AS DATE) END"
        )
    # The exact common spelling first (fast; strptime reads "epoch" and "infinity" too, hence
    # the leading digit), then the other accepted spellings: DuckDB's own cast reads
    # "infinity", "epoch" and BC dates, and ignores an offset.
    return (
        f"coalesce(CASE WHEN ascii({raw}) BETWEEN 48 AND 57 THEN "
        f"try_strptime({raw}, '%Y-%m-%d %H:%M:%S') END, "
        f"CASE WHEN {_matches(raw, TIMESTAMP_LOCAL)} THEN try_cast({raw} AS TIMESTAMP) "
        f"WHEN {_matches(raw, TIMESTAMP_ZONED)} THEN "
        f"timezone({lit(LOCAL_ZONE)}, try_cast({raw} AS TIMESTAMPTZ)) "
        f"WHEN {_matches(raw, TIMESTAMP_SLASH)} THEN "
        f"try_strptime({raw}, {_slash_formats(day_first, True)}) END)"
    )


def allowed_spellings(col: Column, day_first: bool) -> str:
    """What a value of the column may look like, for messages."""
    slash = "DD/MM/YYYY" if day_first else "MM/DD/YYYY (this file's order)"
    t = col.type
    if t is ColumnType.TIMESTAMP:
        return (
            f"YYYY-MM-DD HH:MM[:SS], optionally with T and an offset such as Z or +01:00, "
            f"or {slash} [HH:MM[:SS]]"
        )
    if t is ColumnType.DATE:
        return f"YYYY-MM-DD, {slash} or YYYY-MM"
    if t is ColumnType.INTEGER:
        return "a whole number in digits, such as 12 or -3 (no +, spaces, commas or exponents)"
    if t is ColumnType.DOUBLE:
        return "a decimal number in digits, such as 12.5 or -0.25 (no +, commas or exponents)"
    return "true/false, yes/no, y/n, t/f or 1/0"


TYPE_WORDS = {
    ColumnType.TIMESTAMP: "a timestamp",
    ColumnType.DATE: "a date",
    ColumnType.INTEGER: "an integer",
    ColumnType.DOUBLE: "a number",
    ColumnType.BOOLEAN: "a boolean",
}
