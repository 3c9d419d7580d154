"""Validation rules generated from the contract spec, run as SQL over a staged file.

Every rule is a SQL condition over one staged row. One scan finds the rows that break any rule;
the details (column, value, rule, message) are then worked out for those rows only, so a clean
file costs one pass. A row that breaks several rules gets one quarantine row per problem but is
counted once in ``rows_quarantined``. Every message names the file, the row, the column, the
value received and what is allowed.

Nothing is altered silently: a value is either read exactly as written (surrounding spaces
aside) or quarantined. The accepted spellings, by type:

- timestamps: ``YYYY-MM-DD HH:MM[:SS[.fff]]`` (or with ``T``), local Europe/London time; the
  same with an offset (``Z``, ``+01:00``, ``+0100``, ``+01``), converted to Europe/London;
  ``DD/MM/YYYY [HH:MM[:SS]]`` (or ``MM/DD/YYYY``, see below); ``YYYY-MM-DD`` alone is midnight.
- dates: ``YYYY-MM-DD`` (a midnight time after it is allowed: spreadsheets add one),
  ``DD/MM/YYYY`` (or ``MM/DD/YYYY``) and ``YYYY-MM`` (the first of the month).
- integers: an optional leading ``-`` and digits (a whole number may end ``.0``); decimals: an
  optional leading ``-``, digits, and optionally ``.`` and digits. No ``+``, exponents,
  underscores, thousands separators, hex, ``NaN`` or ``inf``.
- booleans: true/false, yes/no, y/n, t/f, 1/0 (any case).

Dates and timestamps must lie in :data:`EARLIEST_DATE` .. the load time (timestamps, rule
``future_date``) or the load time plus :data:`DATE_FUTURE_ALLOWANCE` (dates such as a review
due). Day/month order in ``NN/NN/YYYY`` values is decided per column from the whole file
(:func:`date_orders`), never per row.

Rules, by name (:class:`Rule`):

- ``malformed_row``: the line is not a CSV row of the header's width (see ``read.py``).
- ``missing_value``: a required column is empty.
- ``type``: the text is not a value of the column's type in one of the spellings above.
- ``too_long``: a text value over :data:`MAX_TEXT_CHARS` characters.
- ``control_character``: text holding a control character (U+0000-U+001F, U+007F-U+009F:
  NUL, tab, line breaks...), which no contract value has and spreadsheets cannot store.
- ``enum``: a value outside the column's closed vocabulary (exact spelling).
- ``range``: a number outside the column's minimum/maximum, or a date outside the plausible
  range.
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
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import duckdb

from forcepack.contract.spec import TABLES, Column, ColumnType, Role, Table
from forcepack.errors import DataError
from forcepack.ingest.grammar import (
    CONTROL,
    DATE_FUTURE_ALLOWANCE,
    EARLIEST_DATE,
    MAX_SPANS,
    MAX_TEXT_CHARS,
    SLASH_PARTS,
    TYPE_WORDS,
    allowed_spellings,
    trimmed_text,
    typed_expression,
)
from forcepack.warehouse.sql import ident, lit, lit_list


class Rule(StrEnum):
    MALFORMED = "malformed_row"
    MISSING = "missing_value"
    TYPE = "type"
    TOO_LONG = "too_long"
    CONTROL = "control_character"
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


def raw_name(col: str) -> str:
    return f"{col}__raw"


@dataclass(frozen=True, slots=True)
class DateOrders:
    """How each date column's ``NN/NN/YYYY`` values are read, and what the load should say."""

    day_first: dict[str, bool]
    notes: tuple[str, ...] = ()


def date_orders(
    con: duckdb.DuckDBPyConnection,
    spec: Table,
    cmap: ColumnMap,
    stage_view: str,
    file_name: str,
) -> DateOrders:
    """Decide per column whether ``NN/NN/YYYY`` means day-first or month-first, in one query.

    A value whose first number is over 12 proves day-first (``25/12/2019``), one whose second
    is over 12 proves month-first (``12/25/2019``). A column proven both ways is refused. A
    column with no proof of its own follows the file's other date columns when they agree, and
    otherwise is read day-first (the UK order); the load's notes say so.
    """
    cols = [
        c
        for c in spec.columns
        if c.name in cmap.present and c.type in (ColumnType.DATE, ColumnType.TIMESTAMP)
    ]
    if not cols:
        return DateOrders({})
    # Only rows holding a "/" can prove anything: they are picked first (an ISO file has none,
    # so the aggregates then run over nothing), and the values are read from those rows alone.
    texts, slashes, parts = [], [], []
    for i, col in enumerate(cols):
        v = ident(f"v{i}")
        texts.append(f"trim({ident(f'c{cmap.present[col.name]}')}) AS {v}")
        slashes.append(f"contains({ident(f'c{cmap.present[col.name]}')}, '/')")
        first = f"try_cast(regexp_extract({v}, {lit(SLASH_PARTS)}, 1) AS INTEGER)"
        second = f"try_cast(regexp_extract({v}, {lit(SLASH_PARTS)}, 2) AS INTEGER)"
        slash = f"contains({v}, '/')"
        day = f"{slash} AND {first} > 12 AND {second} BETWEEN 1 AND 12"
        month = f"{slash} AND {second} > 12 AND {first} BETWEEN 1 AND 12"
        example = f"struct_pack(r := _row, v := {_printable(f'left({v}, 40)')})"
        parts += [
            f"count(*) FILTER (WHERE {slash}) AS n{i}",
            f"arg_min({example}, _row) FILTER (WHERE {day}) AS d{i}",
            f"arg_min({example}, _row) FILTER (WHERE {month}) AS m{i}",
        ]
    rows = f"SELECT _row, {', '.join(texts)} FROM {ident(stage_view)} WHERE {' OR '.join(slashes)}"
    row = con.execute(f"SELECT {', '.join(parts)} FROM ({rows})").fetchone()
    assert row is not None
    found = {
        col.name: (int(row[3 * i] or 0), row[3 * i + 1], row[3 * i + 2])
        for i, col in enumerate(cols)
    }
    for name, (_, day, month) in found.items():
        if day is not None and month is not None:
            raise DataError(
                f"extract {file_name}: {name} has day-first dates (row {day['r']}: "
                f'"{day["v"]}") and month-first dates (row {month["r"]}: "{month["v"]}"), so '
                "the order of its other dates cannot be told",
                hint="allowed: one order per column, DD/MM/YYYY or MM/DD/YYYY, or ISO "
                "YYYY-MM-DD; re-export the column in one format",
            )
    proven = {n: day is not None for n, (_, day, month) in found.items() if day or month}
    file_orders = set(proven.values())
    day_first: dict[str, bool] = {}
    notes: list[str] = []
    for name, (n_slash, _, month) in found.items():
        if name in proven:
            day_first[name] = proven[name]
            if not proven[name]:
                notes.append(
                    f"{name}: NN/NN/YYYY dates read month-first (MM/DD/YYYY), as row "
                    f'{month["r"]} ("{month["v"]}") shows'
                )
        elif n_slash == 0:
            day_first[name] = True
        elif len(file_orders) == 1:
            (day_first[name],) = file_orders
            word = "day-first (DD/MM/YYYY)" if day_first[name] else "month-first (MM/DD/YYYY)"
            notes.append(
                f"{name}: no date in the column shows its day/month order; read {word} like "
                f"the file's {', '.join(sorted(proven))}"
            )
        else:
            day_first[name] = True
            notes.append(
                f"{name}: no date in the file shows its day/month order (every day is 12 or "
                "less); read day-first (DD/MM/YYYY), the UK order"
            )
    return DateOrders(day_first, tuple(notes))


def typed_select(
    spec: Table,
    cmap: ColumnMap,
    stage_view: str,
    derived: dict[str, str] | None = None,
    day_first: Mapping[str, bool] | None = None,
) -> str:
    """SELECT giving ``_row``, each contract column typed, and its trimmed text ``<col>__raw``.

    ``derived`` maps contract columns that are computed, not read, to SQL over the typed columns.
    ``day_first`` is :attr:`DateOrders.day_first` (day-first where a column is not in it).
    """
    orders = day_first or {}
    texts, parts = ["_row"], ["*"]
    for col in spec.columns:
        if col.name in cmap.present:
            raw = ident(raw_name(col.name))
            # the grammars do not allow surrounding spaces: trim every column once, below
            texts.append(f"{trimmed_text(ident(f'c{cmap.present[col.name]}'))} AS {raw}")
            parts.append(
                f"{typed_expression(col, raw, orders.get(col.name, True))} AS {ident(col.name)}"
            )
    inner = f"SELECT {', '.join(parts)} FROM (SELECT {', '.join(texts)} FROM {ident(stage_view)})"
    if not derived:
        return inner
    extra = ", ".join(f"{expr} AS {ident(name)}" for name, expr in derived.items())
    return f"SELECT *, {extra} FROM ({inner})"


@dataclass(frozen=True, slots=True)
class Check:
    """One rule on one column: ``condition`` is true when the row breaks it."""

    rule: Rule
    column: str | None
    condition: str  # over the typed row, aliased ``r``
    message: str  # SQL text expression


def _printable(expr: str) -> str:
    """``expr`` with control characters shown as U+FFFD, so that a message prints safely."""
    return f"regexp_replace({expr}, {lit(CONTROL)}, '\ufffd', 'g')"


def _fmt_value(col: str) -> str:
    return f"coalesce('\"' || {_printable(f'left({ident(raw_name(col))}, 60)')} || '\"', '(empty)')"


def _says(prefix: str, name: str) -> str:
    """The start of a message about one value: the file and row (``prefix``), the column and
    the value as the file gave it; what is wrong with it follows."""
    return f"{prefix} || {lit(name + ' ')} || {_fmt_value(name)} || "


def _value_check(rule: Rule, name: str, condition: str, says: str, broken: str) -> Check:
    """A check on one column whose message is its value (``says``, from :func:`_says`) and then
    ``broken``: what is wrong with the value and what is allowed."""
    return Check(rule, name, condition, says + lit(broken))


def _span_text(span: dt.timedelta) -> str:
    if span.days > 1 and not span.seconds:
        return f"{span.days} days"
    return f"{int(span.total_seconds() // 3600)} hours"


def checks(
    spec: Table,
    cmap: ColumnMap,
    file_name: str,
    now: dt.datetime,
    derived: tuple[str, ...] = (),
    day_first: Mapping[str, bool] | None = None,
) -> list[Check]:
    """Every check the contract implies for the columns present in the file."""
    orders = day_first or {}
    out: list[Check] = []
    loaded = set(cmap.present) | set(derived)
    prefix = f"{lit(file_name + ' row ')} || _row || ': '"
    stamp = now.strftime("%Y-%m-%d %H:%M:%S")
    earliest = EARLIEST_DATE.isoformat()
    latest = (now.date() + DATE_FUTURE_ALLOWANCE).isoformat()
    for col in spec.columns:
        name = col.name
        if name not in loaded:
            continue
        q = ident(name)
        is_derived = name in derived
        if not col.nullable:
            what = "is empty" if not is_derived else "could not be worked out"
            out.append(
                Check(
                    Rule.MISSING,
                    name,
                    f"{q if is_derived else ident(raw_name(name))} IS NULL",
                    f"{prefix} || {lit(f'{name} {what} but is required')}",
                )
            )
        if is_derived:
            continue
        raw = ident(raw_name(name))
        says = _says(prefix, name)
        if col.type is not ColumnType.STRING:
            allowed = allowed_spellings(col, orders.get(name, True))
            out.append(
                _value_check(
                    Rule.TYPE,
                    name,
                    f"{raw} IS NOT NULL AND {q} IS NULL",
                    says,
                    f" is not {TYPE_WORDS[col.type]}; allowed: {allowed}",
                )
            )
        else:
            out.append(
                Check(
                    Rule.TOO_LONG,
                    name,
                    f"length({raw}) > {MAX_TEXT_CHARS}",
                    f"{prefix} || {lit(name + ' ')} || "
                    f"{_printable(f'left({raw}, 20)')} || '... is ' || length({raw}) || "
                    f"{lit(f' characters long; at most {MAX_TEXT_CHARS:,} are allowed')}",
                )
            )
            first = f"regexp_extract({raw}, {lit(CONTROL)})"
            out.append(
                Check(
                    Rule.CONTROL,
                    name,
                    f"regexp_matches({raw}, {lit(CONTROL)})",
                    says + f"' holds control character ' || printf('U+%04X', unicode({first})) || "
                    f"' at character ' || instr({raw}, {first}) || "
                    + lit(
                        "; allowed: text without control characters (U+0000-U+001F, "
                        "U+007F-U+009F: NUL, tab, line breaks)"
                    ),
                )
            )
        # the value rules: (rule, condition, what is wrong with the value and what is allowed)
        rules: list[tuple[Rule, str, str]] = []
        if col.enum is not None:
            not_one = " is not one of " + ", ".join(col.enum)
            rules.append((Rule.ENUM, f"{q} NOT IN ({lit_list(col.enum)})", not_one))
        bounds = []
        if col.minimum is not None:
            bounds.append(f"{q} < {lit(col.minimum)}")
        if col.maximum is not None:
            bounds.append(f"{q} > {lit(col.maximum)}")
        if bounds:
            allowed = f"{col.minimum:g}" if col.minimum is not None else "any"
            allowed += f" to {col.maximum:g}" if col.maximum is not None else " or more"
            rules.append(
                (Rule.RANGE, " OR ".join(bounds), f" is outside the allowed range {allowed}")
            )
        if col.type is ColumnType.DATE:
            rules.append(
                (
                    Rule.RANGE,
                    f"{q} < DATE {lit(earliest)} OR {q} > DATE {lit(latest)}",
                    f" is outside the plausible dates {earliest} to {latest}",
                )
            )
        if col.type is ColumnType.TIMESTAMP:
            rules.append(
                (
                    Rule.RANGE,
                    f"{q} < TIMESTAMP {lit(earliest)}",
                    f" is before {earliest}; allowed: {earliest} to the time of the load",
                )
            )
            rules.append(
                (
                    Rule.FUTURE,
                    f"{q} > TIMESTAMP {lit(stamp)}",
                    f" is in the future; allowed: up to the time of the load, {stamp}",
                )
            )
        out += [_value_check(rule, name, cond, says, broken) for rule, cond, broken in rules]
        out.extend(_reference_checks(spec, col, prefix))
    for order in spec.time_order:
        if order.earlier not in loaded or order.later not in loaded:
            continue
        e, lt = order.earlier, order.later
        qe, ql = ident(e), ident(lt)
        out.append(
            Check(
                Rule.TIME_ORDER,
                lt,
                f"{ql} < {qe}",
                _says(prefix, lt) + f"{lit(f' is before {e} ')} || {_fmt_value(e)} || "
                f"{lit(f'; {lt} may not be earlier than {e}')}",
            )
        )
        span = MAX_SPANS.get((spec.name, e))
        if span is not None:
            out.append(
                Check(
                    Rule.IMPLAUSIBLE,
                    lt,
                    f"{ql} - {qe} > INTERVAL {lit(f'{int(span.total_seconds())} seconds')}",
                    _says(prefix, lt)
                    + f"' is ' || CAST({ql} - {qe} AS VARCHAR) || {lit(f' after {e} ')} || "
                    f"{_fmt_value(e)} || {lit(f'; more than {_span_text(span)} is not plausible')}",
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
    name, q = col.name, ident(col.name)
    target = TABLES[ref.table]
    rt, rc = ident(ref.table), ident(ref.column)
    missing = f" is not in {ref.table}.{ref.column}"
    if target.role is Role.REFERENCE:  # say how a force adds a code to its own list
        missing += (
            f"; add it to the force's {ref.table} list and load that "
            f"(forcepack ingest {ref.table} FILE), then load this file again"
        )
    else:
        missing += f"; allowed: a {ref.column} loaded there"
    out = [
        Check(
            Rule.REFERENCE,
            name,
            f"{q} IS NOT NULL AND {q} NOT IN (SELECT {rc} FROM {rt} WHERE {rc} IS NOT NULL)",
            _says(prefix, name) + lit(missing),
        )
    ]
    versioned = {"valid_from", "valid_to"} <= set(target.column_names) and target.key == (
        ref.column,
    )
    if versioned and spec.date_column is not None:
        day = f"CAST(r.{ident(spec.date_column)} AS DATE)"
        # scalar subqueries on the referenced key decorrelate to a hash join (NOT EXISTS with a
        # range condition does not, and costs several times more on millions of rows)
        match = f"FROM {rt} v WHERE v.{rc} = r.{q}"
        valid = (
            f"{day} BETWEEN (SELECT v.valid_from {match}) AND "
            f"(SELECT coalesce(v.valid_to, DATE '9999-12-31') {match})"
        )
        out.append(
            Check(
                Rule.REFERENCE_DATE,
                name,
                f"{ident(spec.date_column)} IS NOT NULL AND {q} IN (SELECT {rc} FROM {rt}) "
                f"AND NOT ({valid})",
                _says(prefix, name)
                + f"{lit(f' was not a valid {ref.table} code on ')} || {day} || "
                + lit(
                    f"; allowed: a code valid on that day (see {ref.table}.valid_from, valid_to)"
                ),
            )
        )
    return out
