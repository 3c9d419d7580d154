"""Harm weights: the shipped default Crime Harm Index table and loaders for official tables.

A weighting maps each offence code to a number of days. forcepack ships a default Cambridge
Crime Harm Index (CCHI) table, ``weights/default_chi.csv``, in which every value says whether it
is *published* (fixed by the published index), an *estimate* (and how it was estimated) or
*missing* (no weight: the offence is listed so that the gap is reported, never scored zero). A
force that holds the official CCHI spreadsheet, or the ONS Crime Severity Score weights, loads
it with :func:`load_table`; :func:`coverage` then reports every recorded offence the table does
not weigh, so no crime is silently scored zero.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb

from forcepack.contract.vocab import CrimeStatus
from forcepack.errors import ConfigError, MissingFileError
from forcepack.tablefiles import Rows, read_rows
from forcepack.warehouse.sql import ident, insert_rows, lit


class Kind(StrEnum):
    """Which index a weighting comes from."""

    CCHI = "cchi"  # Cambridge Crime Harm Index (days at the sentencing starting point)
    CSS = "css"  # ONS Crime Severity Score (average sentence as custody-day equivalents)


class Basis(StrEnum):
    """How a default weight was obtained."""

    PUBLISHED = "published"
    ESTIMATE = "estimate"
    MISSING = "missing"  # listed without a weight: the gap is reported, never scored zero


class Duplicates(StrEnum):
    """What to do when a table gives an offence code several values (one per sub-offence)."""

    MEDIAN = "median"
    MIN = "min"
    MAX = "max"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Weight:
    offence_code: str
    harm_days: float
    basis: Basis | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Weights:
    """A weighting: days per offence code, where it came from and what was skipped loading it.

    ``unweighted`` lists offence codes the table names on purpose without a weight (basis
    ``missing``); they are not in ``weights``, so :func:`coverage` reports their crimes.
    """

    name: str
    kind: Kind
    weights: tuple[Weight, ...]
    skipped: tuple[str, ...] = field(default=())  # rows not used, each with its reason
    unweighted: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, float]:
        return {w.offence_code: w.harm_days for w in self.weights}

    def filled_from(self, other: Weights) -> Weights:
        """This weighting, with the offences it lacks taken from ``other`` (noted in the name)."""
        have = self.as_dict()
        extra = tuple(w for w in other.weights if w.offence_code not in have)
        name = f"{self.name} (+{len(extra)} from {other.name})" if extra else self.name
        filled = {w.offence_code for w in extra}
        return Weights(
            name,
            self.kind,
            self.weights + extra,
            self.skipped,
            tuple(c for c in self.unweighted if c not in filled),
        )


@dataclass(frozen=True, slots=True)
class Coverage:
    """Offences a weighting does not weigh: recorded ones (with crimes) and reference ones."""

    weighting: str
    missing_recorded: tuple[tuple[str, str, int], ...]  # (offence_code, name, crimes)
    missing_reference: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing_recorded

    def message(self) -> str:
        if self.complete:
            return f"{self.weighting}: every recorded offence has a weight"
        shown = ", ".join(f"{c} {n} ({k} crimes)" for c, n, k in self.missing_recorded[:10])
        more = len(self.missing_recorded) - 10
        return (
            f"{self.weighting} has no weight for {len(self.missing_recorded)} recorded "
            f"offence(s): {shown}" + (f" and {more} more" if more > 0 else "")
        )


DEFAULT_NAME = "forcepack default CCHI"
_DEFAULT_COLUMNS = ["offence_code", "offence_name", "harm_days", "basis", "source"]


@cache
def default_rows() -> tuple[dict[str, str], ...]:
    """The rows of the shipped default table, as text."""
    text = (
        resources.files("forcepack.harm")
        .joinpath("weights", "default_chi.csv")
        .read_text(encoding="utf-8")
    )
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != _DEFAULT_COLUMNS:
        raise ConfigError(f"default_chi.csv columns {reader.fieldnames} != {_DEFAULT_COLUMNS}")
    return tuple(reader)


def _default_row(n: int, row: dict[str, str]) -> Weight | None:
    """One row of the default table as a weight; None for a ``missing`` one (checked)."""
    where = f"default_chi.csv row {n}: offence {row['offence_code']}"
    try:
        basis = Basis(row["basis"])
    except ValueError:
        raise ConfigError(
            f"{where}: basis {row['basis']!r} is not one of {', '.join(b.value for b in Basis)}"
        ) from None
    days = _parse_days(row["harm_days"]) if row["harm_days"].strip() else None
    if basis is Basis.MISSING:
        if days is not None:
            raise ConfigError(f"{where}: basis missing but harm_days is {row['harm_days']!r}")
        return None
    if days is None or days < 0:
        raise ConfigError(
            f"{where}: harm_days {row['harm_days']!r} is not a non-negative number "
            f"(allowed empty only with basis missing)"
        )
    return Weight(row["offence_code"], days, basis, row["source"])


def default() -> Weights:
    """The shipped default CCHI weighting, each value with its basis and source.

    Offences the table lists as ``missing`` are not weighted; they are in ``unweighted``.
    """
    out, unweighted = [], []
    for n, row in enumerate(default_rows(), start=2):
        weight = _default_row(n, row)
        if weight is None:
            unweighted.append(row["offence_code"])
        else:
            out.append(weight)
    return Weights(DEFAULT_NAME, Kind.CCHI, tuple(out), unweighted=tuple(unweighted))


def bases(weights: Weights) -> dict[str, str]:
    """Basis of every offence code a weighting names: published, estimate or missing.

    A weight loaded from an official table (no basis of its own) counts as published.
    """
    out = {w.offence_code: (w.basis or Basis.PUBLISHED).value for w in weights.weights}
    out.update({code: Basis.MISSING.value for code in weights.unweighted})
    return out


# Header names recognised in official tables (compared lower-case, punctuation as spaces).
CODE_HEADERS = (
    "offence code",
    "ho code",
    "ho offence code",
    "home office code",
    "home office offence code",
    "ho class",
    "ho classification",
    "hoc",
    "offence classification",
    "classification",
    "code",
)
VALUE_HEADERS = {
    Kind.CCHI: (
        "harm days",
        "cchi",
        "cchi days",
        "cchi value",
        "chi",
        "chi days",
        "crime harm index",
        "harm score",
        "harm",
        "days",
    ),
    Kind.CSS: (
        "css",
        "css weight",
        "severity weight",
        "crime severity score weight",
        "severity score",
        "severity",
        "weight",
    ),
}
#: When no header matches a name above exactly, the first header starting with one of these.
CODE_PREFIXES = ("hocode", "ho code", "ho offence", "home office", "offence code")
VALUE_PREFIXES = {
    Kind.CCHI: ("cchi", "crime harm", "chi ", "harm"),
    Kind.CSS: ("css", "crime severity", "severity"),
}
_HEADER_SCAN_ROWS = 20


def _norm_header(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def normalise_code(text: object) -> str:
    """``" 008n "`` -> ``"8N"``: strip, upper-case and drop leading zeros of the number."""
    code = str(text).strip().upper()
    if isinstance(text, float) and text.is_integer():
        code = str(int(text))
    m = re.fullmatch(r"0*(\d.*)", code)
    return m.group(1) if m else code


def _parse_days(text: object) -> float | None:
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    cleaned = str(text or "").replace(",", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def _read_rows(path: Path, sheet: str | None) -> Rows:
    if not path.exists():
        raise MissingFileError(
            f"harm table {path} does not exist", hint="give the path of the CSV or XLSX file"
        )
    return read_rows(path, "harm table", sheet=sheet)


def _find_column(
    header: Sequence[str], wanted: str | None, candidates: Iterable[str], prefixes: Iterable[str]
) -> int:
    if wanted is not None:
        key = _norm_header(wanted)
        return header.index(key) if key in header else -1
    for cand in candidates:
        if cand in header:
            return header.index(cand)
    for prefix in prefixes:
        for i, name in enumerate(header):
            if name.startswith(prefix):
                return i
    return -1


def _find_header(
    rows: Sequence[Sequence[str]], code_column: str | None, value_column: str | None, kind: Kind
) -> tuple[int, int, int] | None:
    """(row index, code column, value column) of the header row, or None."""
    for index, raw in enumerate(rows[:_HEADER_SCAN_ROWS]):
        header = [_norm_header(c) for c in raw]
        ci = _find_column(header, code_column, CODE_HEADERS, CODE_PREFIXES)
        vi = _find_column(header, value_column, VALUE_HEADERS[kind], VALUE_PREFIXES[kind])
        if ci >= 0 and vi >= 0 and ci != vi:
            return index, ci, vi
    return None


def load_table(
    path: str | Path,
    *,
    kind: Kind | str = Kind.CCHI,
    code_column: str | None = None,
    value_column: str | None = None,
    sheet: str | None = None,
    duplicates: Duplicates | str = Duplicates.MEDIAN,
) -> Weights:
    """Load an official weighting (CCHI or ONS CSS) from a CSV or XLSX file.

    The header row is found among the first rows by its column names (an offence-code column
    and a value column, see ``CODE_HEADERS`` and ``VALUE_HEADERS``, or the names given).
    Offence codes are normalised (``008N`` -> ``8N``). Several values for one code (one per
    sub-offence) are combined by ``duplicates`` (median by default). Rows without a code or
    a numeric value are skipped and listed in ``Weights.skipped``, never dropped silently.
    """
    path = Path(path)
    kind = Kind(kind)
    duplicates = Duplicates(duplicates)
    read = _read_rows(path, sheet)
    rows = read.cells
    found = _find_header(rows, code_column, value_column, kind)
    if found is None:
        raise ConfigError(
            f"harm table {path.name}: no header row with an offence-code column and a "
            f"{kind.value} value column in the first {_HEADER_SCAN_ROWS} rows",
            hint="name them with --code-column and --value-column; recognised codes: "
            f"{', '.join(CODE_HEADERS[:4])}...; values: {', '.join(VALUE_HEADERS[kind][:4])}...",
        )
    header_row, ci, vi = found
    values: dict[str, list[float]] = {}
    skipped: list[str] = []
    for n, raw in zip(read.numbers[header_row + 1 :], rows[header_row + 1 :], strict=True):
        cells = [*raw, *([""] * (max(ci, vi) + 1 - len(raw)))]
        code_cell, value_cell = cells[ci], cells[vi]
        if code_cell == "" and value_cell == "":
            continue  # a blank line
        days = _parse_days(value_cell)
        if code_cell == "":
            skipped.append(f"row {n}: no offence code")
        elif days is None or days < 0:
            skipped.append(
                f"row {n}: offence {code_cell}: value {value_cell!r} is not a non-negative number"
            )
        else:
            values.setdefault(normalise_code(code_cell), []).append(days)
    if not values:
        raise ConfigError(
            f"harm table {path.name}: no offence has a numeric weight",
            hint="check the value column",
        )
    out = []
    for code, vals in values.items():
        if len(set(vals)) > 1 and duplicates is Duplicates.ERROR:
            raise ConfigError(
                f"harm table {path.name}: offence {code} has {len(vals)} different "
                f"values {sorted(set(vals))}",
                hint="choose --duplicates median, min or max",
            )
        combine = {Duplicates.MIN: min, Duplicates.MAX: max}.get(duplicates, statistics.median)
        out.append(
            Weight(
                code,
                float(combine(vals)),
                None,
                f"{path.name}"
                + (f" ({duplicates.value} of {len(vals)} values)" if len(vals) > 1 else ""),
            )
        )
    return Weights(f"{kind.value}:{path.name}", kind, tuple(out), tuple(skipped))


def coverage(con: duckdb.DuckDBPyConnection, weights: Weights) -> Coverage:
    """Which offences (recorded in ``crimes``, or in the ``offences`` table) lack a weight."""
    have = weights.as_dict()
    recorded = con.execute(
        "SELECT c.offence_code, coalesce(any_value(o.offence_name), '(unknown offence)'), "
        "count(*) FROM crimes c LEFT JOIN offences o USING (offence_code) "
        f"WHERE c.status <> {lit(CrimeStatus.CANCELLED)} "
        "GROUP BY c.offence_code ORDER BY count(*) DESC, 1"
    ).fetchall()
    reference = [
        r[0]
        for r in con.execute("SELECT offence_code FROM offences ORDER BY offence_code").fetchall()
    ]
    return Coverage(
        weights.name,
        tuple((str(c), str(n), int(k)) for c, n, k in recorded if c not in have),
        tuple(c for c in reference if c not in have),
    )


def register(con: duckdb.DuckDBPyConnection, weights: Weights, name: str = "harm_weights") -> str:
    """Put ``weights`` in a temporary table ``name`` (offence_code, harm_days); return its name."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ident(name)} (offence_code VARCHAR PRIMARY KEY, "
        "harm_days DOUBLE NOT NULL)"
    )
    insert_rows(
        con,
        name,
        ("offence_code", "harm_days"),
        ([w.offence_code, w.harm_days] for w in weights.weights),
    )
    return name
