"""Validation rules generated from the contract spec, run as SQL over a staged file.

Every rule is a SQL condition over one staged row. One scan finds the rows that break any rule;
the details (column, value, rule, message) are then worked out for those rows only, so a clean
file costs one pass. A row that breaks several rules gets one quarantine row per problem but is
counted once in ``rows_quarantined``.

Rules, by name (:class:`Rule`):

- ``malformed_row``: the line is not a CSV row of the header's width (see ``read.py``).
- ``missing_value``: a required column is empty.
- ``type``: the text is not a value of the column's type (timestamps ``YYYY-MM-DD HH:MM[:SS]``,
  ISO ``T`` or UK ``DD/MM/YYYY HH:MM[:SS]``; dates ``YYYY-MM-DD``, ``DD/MM/YYYY`` or ``YYYY-MM``;
  booleans true/false, yes/no, y/n, t/f, 1/0).
- ``too_long``: a text value over :data:`MAX_TEXT_CHARS` characters.
- ``enum``: a value outside the column's closed vocabulary (exact spelling).
- ``range``: a number outside the column's minimum/maximum.
- ``reference``: a code absent from the table it refers to (district, offence, outcome...).
  Optional links between force tables (a crime's ``incident_id``) are not enforced: extracts
  cover different periods, so the quality report counts unmatched links instead.
- ``reference_date``: a code that exists but was not valid on the row's date (a call type used
  outside its ``valid_from``..``valid_to``).
- ``time_order``: a later time before an earlier one (arrived before created).
- ``future_date``: a timestamp after the time of the load.
- ``implausible``: a span longer than :data:`MAX_SPANS` allows (a response over 7 days).
- ``duplicate_key``: the key appeared earlier in the same file; the first row is loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from forcepack.contract.spec import TABLES, Column, ColumnType, Role, Table
from forcepack.errors import DataError

#: Text values longer than this are quarantined (no contract column holds free text).
MAX_TEXT_CHARS = 1_000
#: Longest plausible span from an earlier time column, per table.
MAX_SPANS: dict[tuple[str, str], dt.timedelta] = {
    ("incidents", "created_at"): dt.timedelta(days=7),
}
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
TIMESTAMP_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m")
#: Leading characters that make a spreadsheet treat text as a formula.
FORMULA_CHARS = "=+-@"


class Rule(StrEnum):
    MALFORMED = "malformed_row"
    MISSING = "missing_value"
    TYPE = "type"
    TOO_LONG = "too_long"
    ENUM = "enum"
    RANGE = "range"
    REFERENCE = "reference"
    REFERENCE_DATE = "reference_date"
    TIME_ORDER = "time_order"
    FUTURE = "future_date"
    IMPLAUSIBLE = "implausible"
    DUPLICATE = "duplicate_key"


def normalise(name: str) -> str:
    """Header matching key: case, spaces, underscores and hyphens do not matter."""
    return re.sub(r"[\s_\-]+", "", name.replace("\ufeff", "").strip().lower())


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """How a file's header lines up with a contract table."""

    table: str
    present: dict[str, int]  # contract column -> staged column index
    absent: tuple[str, ...]  # optional contract columns not in the file (loaded as null)
    extra: tuple[str, ...]  # file columns not in the contract (reported, not loaded)


def match_columns(
    spec: Table, header: tuple[str, ...], file_name: str, derived: tuple[str, ...] = ()
) -> ColumnMap:
    """Match header names to contract columns; a missing required column is a DataError."""
    wanted = {normalise(c.name): c.name for c in spec.columns if c.name not in derived}
    present: dict[str, int] = {}
    extra: list[str] = []
    for i, name in enumerate(header):
        col = wanted.get(normalise(name))
        if col is None:
            extra.append(name)
        elif col in present:
            raise DataError(
                f"extract {file_name}: columns {header[present[col]]!r} and {name!r} both "
                f"match {spec.name}.{col}",
                hint="keep one of them",
            )
        else:
            present[col] = i
    missing = [
        c
        for c in spec.columns
        if c.name not in present and c.name not in derived and not c.nullable
    ]
    if missing:
        raise DataError(
            f"extract {file_name} lacks required {spec.name} column(s) "
            f"{', '.join(c.name for c in missing)}; found {', '.join(header) or 'no columns'}",
            hint="add "
            + "; ".join(f"{c.name}, {c.description}" for c in missing)
            + f". The {spec.name} columns are {', '.join(spec.column_names)} "
            "(case, spaces and underscores in names do not matter)",
        )
    absent = tuple(c.name for c in spec.columns if c.name not in present and c.name not in derived)
    return ColumnMap(spec.name, present, absent, tuple(extra))


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(values: tuple[str, ...]) -> str:
    return ", ".join(_lit(v) for v in values)


def _text(c: str) -> str:
    """Empty text is null; surrounding spaces are trimmed (only where there are any: trimming
    every value costs more than the rest of the conversion)."""
    return (
        f"CASE WHEN starts_with({c}, ' ') OR ends_with({c}, ' ') THEN nullif(trim({c}), '') "
        f"ELSE nullif({c}, '') END"
    )


def typed_expression(col: Column, raw: str) -> str:
    """SQL turning the trimmed text ``raw`` into the column's type (NULL when it cannot)."""
    t = col.type
    if t is ColumnType.STRING:
        return raw
    if t is ColumnType.INTEGER:
        # DuckDB rounds "1.5" to 2 when casting text to an integer: accept whole numbers only
        return f"CASE WHEN try_cast({raw} AS DOUBLE) % 1 = 0 THEN try_cast({raw} AS BIGINT) END"
    if t is ColumnType.DOUBLE:
        return f"try_cast({raw} AS DOUBLE)"
    if t is ColumnType.BOOLEAN:
        return (
            f"CASE WHEN lower({raw}) IN ({_in_list(TRUE_WORDS)}) THEN true "
            f"WHEN lower({raw}) IN ({_in_list(FALSE_WORDS)}) THEN false END"
        )
    if t is ColumnType.DATE:
        fmts = "[" + _in_list(DATE_FORMATS) + "]"
        return f"coalesce(try_cast({raw} AS DATE), CAST(try_strptime({raw}, {fmts}) AS DATE))"
    fmts = "[" + _in_list(TIMESTAMP_FORMATS) + "]"
    return f"coalesce(try_cast({raw} AS TIMESTAMP), try_strptime({raw}, {fmts}))"


def raw_name(col: str) -> str:
    return f"{col}__raw"


def typed_select(
    spec: Table, cmap: ColumnMap, stage_view: str, derived: dict[str, str] | None = None
) -> str:
    """SELECT giving ``_row``, each contract column typed, and its trimmed text ``<col>__raw``.

    ``derived`` maps contract columns that are computed, not read, to SQL over the typed columns.
    """
    parts = ["_row"]
    for col in spec.columns:
        if col.name in cmap.present:
            c = f"c{cmap.present[col.name]}"
            # casts ignore surrounding spaces, so only text columns need trimming
            raw = (
                _text(c)
                if col.type in (ColumnType.STRING, ColumnType.BOOLEAN)
                else (f"nullif({c}, '')")
            )
            parts.append(f"{raw} AS {raw_name(col.name)}")
            parts.append(f"{typed_expression(col, raw)} AS {col.name}")
    inner = f"SELECT {', '.join(parts)} FROM {stage_view}"
    if not derived:
        return inner
    extra = ", ".join(f"{expr} AS {name}" for name, expr in derived.items())
    return f"SELECT *, {extra} FROM ({inner})"


@dataclass(frozen=True, slots=True)
class Check:
    """One rule on one column: ``condition`` is true when the row breaks it."""

    rule: Rule
    column: str | None
    condition: str  # over the typed row, aliased ``r``
    message: str  # SQL text expression


def _fmt_value(col: str) -> str:
    return f"coalesce('\"' || left({raw_name(col)}, 60) || '\"', '(empty)')"


def checks(
    spec: Table, cmap: ColumnMap, file_name: str, now: dt.datetime, derived: tuple[str, ...] = ()
) -> list[Check]:
    """Every check the contract implies for the columns present in the file."""
    out: list[Check] = []
    loaded = set(cmap.present) | set(derived)
    prefix = f"{_lit(file_name + ' row ')} || _row || ': '"
    for col in spec.columns:
        name = col.name
        if name not in loaded:
            continue
        is_derived = name in derived
        if not col.nullable:
            what = "is empty" if not is_derived else "could not be worked out"
            out.append(
                Check(
                    Rule.MISSING,
                    name,
                    f"{name if is_derived else raw_name(name)} IS NULL",
                    f"{prefix} || {_lit(f'{name} {what} but is required')}",
                )
            )
        if is_derived:
            continue
        value = _fmt_value(name)
        raw = raw_name(name)
        if col.type is not ColumnType.STRING:
            out.append(
                Check(
                    Rule.TYPE,
                    name,
                    f"{raw} IS NOT NULL AND {name} IS NULL",
                    f"{prefix} || '{name} ' || {value} || "
                    f"{_lit(f' is not a {col.type.name.lower()}')}",
                )
            )
        else:
            out.append(
                Check(
                    Rule.TOO_LONG,
                    name,
                    f"length({raw}) > {MAX_TEXT_CHARS}",
                    f"{prefix} || '{name} is ' || length({raw}) || "
                    f"{_lit(f' characters long; at most {MAX_TEXT_CHARS:,} are allowed')}",
                )
            )
        if col.enum is not None:
            out.append(
                Check(
                    Rule.ENUM,
                    name,
                    f"{name} NOT IN ({_in_list(col.enum)})",
                    f"{prefix} || '{name} ' || {value} || "
                    f"{_lit(' is not one of ' + ', '.join(col.enum))}",
                )
            )
        bounds = []
        if col.minimum is not None:
            bounds.append(f"{name} < {col.minimum}")
        if col.maximum is not None:
            bounds.append(f"{name} > {col.maximum}")
        if bounds:
            allowed = f"{col.minimum:g}" if col.minimum is not None else "any"
            allowed += f" to {col.maximum:g}" if col.maximum is not None else " or more"
            out.append(
                Check(
                    Rule.RANGE,
                    name,
                    " OR ".join(bounds),
                    f"{prefix} || '{name} ' || {value} || {_lit(f' is outside {allowed}')}",
                )
            )
        if col.type is ColumnType.TIMESTAMP:
            stamp = now.strftime("%Y-%m-%d %H:%M:%S")
            out.append(
                Check(
                    Rule.FUTURE,
                    name,
                    f"{name} > TIMESTAMP '{stamp}'",
                    f"{prefix} || '{name} ' || {value} || "
                    f"{_lit(f' is in the future (the load ran at {stamp})')}",
                )
            )
        out.extend(_reference_checks(spec, col, prefix))
    for order in spec.time_order:
        if order.earlier not in loaded or order.later not in loaded:
            continue
        e, lt = order.earlier, order.later
        out.append(
            Check(
                Rule.TIME_ORDER,
                lt,
                f"{lt} < {e}",
                f"{prefix} || '{lt} ' || {_fmt_value(lt)} || ' is before {e} ' || {_fmt_value(e)}",
            )
        )
        span = MAX_SPANS.get((spec.name, e))
        if span is not None:
            out.append(
                Check(
                    Rule.IMPLAUSIBLE,
                    lt,
                    f"{lt} - {e} > INTERVAL '{int(span.total_seconds())} seconds'",
                    f"{prefix} || '{lt} is ' || CAST({lt} - {e} AS VARCHAR) || "
                    f"' after {e}; more than {span.days} days is not plausible'",
                )
            )
    return out


def enforced_reference(spec: Table, col: Column) -> bool:
    """References to reference tables, and required links, are enforced; optional links not."""
    ref = col.references
    if ref is None or ref.table == spec.name:
        return False
    return TABLES[ref.table].role is Role.REFERENCE or not col.nullable


def _reference_checks(spec: Table, col: Column, prefix: str) -> list[Check]:
    ref = col.references
    if ref is None or not enforced_reference(spec, col):
        return []
    name = col.name
    target = TABLES[ref.table]
    missing = f" is not in {ref.table}.{ref.column}"
    if target.role is Role.REFERENCE:  # say how a force adds a code to its own list
        missing += (
            f"; add it to the force's {ref.table} list and load that "
            f"(forcepack ingest {ref.table} FILE), then load this file again"
        )
    out = [
        Check(
            Rule.REFERENCE,
            name,
            f"{name} IS NOT NULL AND {name} NOT IN (SELECT {ref.column} FROM {ref.table} "
            f"WHERE {ref.column} IS NOT NULL)",
            f"{prefix} || '{name} ' || {_fmt_value(name)} || {_lit(missing)}",
        )
    ]
    versioned = {"valid_from", "valid_to"} <= set(target.column_names) and target.key == (
        ref.column,
    )
    if versioned and spec.date_column is not None:
        day = f"CAST(r.{spec.date_column} AS DATE)"
        # scalar subqueries on the referenced key decorrelate to a hash join (NOT EXISTS with a
        # range condition does not, and costs several times more on millions of rows)
        match = f"FROM {ref.table} v WHERE v.{ref.column} = r.{name}"
        valid = (
            f"{day} BETWEEN (SELECT v.valid_from {match}) AND "
            f"(SELECT coalesce(v.valid_to, DATE '9999-12-31') {match})"
        )
        out.append(
            Check(
                Rule.REFERENCE_DATE,
                name,
                f"{spec.date_column} IS NOT NULL AND {name} IN (SELECT {ref.column} FROM "
                f"{ref.table}) AND NOT ({valid})",
                f"{prefix} || '{name} ' || {_fmt_value(name)} || ' was not a valid "
                f"{ref.table} code on ' || {day} || ' (see {ref.table}.valid_from and valid_to)'",
            )
        )
    return out
