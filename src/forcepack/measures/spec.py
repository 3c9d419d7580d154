"""Measure specs: frozen dataclasses loaded from the TOML catalogue and validated on load.

Validation checks every name against the data contract: the source table, the date column,
every filter column and enumeration value, the value column and each dimension. A failure is a
:class:`~forcepack.errors.ConfigError` naming the file, the measure and the field.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from forcepack import calendar
from forcepack.contract.spec import TABLES, ColumnType
from forcepack.errors import ConfigError, InputError
from forcepack.measures.dimensions import (
    DIMENSIONS,
    ColumnInfo,
    available_columns,
    dimension_available,
)
from forcepack.vocab import Kind, Polarity


class Backend(StrEnum):
    """The engine that computes measures: DuckDB in the warehouse, or PySpark (the spark extra)."""

    DUCKDB = "duckdb"
    PYSPARK = "pyspark"


class WindowKind(StrEnum):
    """The windows a measure is computed over: the month, rolling months to it, or the financial
    year to date."""

    MONTH = "month"
    ROLLING = "rolling"
    FYTD = "fytd"


#: First month of the financial year (April).
FY_START_MONTH = calendar.FY_START_MONTH


class Op(StrEnum):
    """A filter condition's operator (``catalogue/README.md``, "Filters")."""

    EQ = "eq"
    NOT = "not"
    IN = "in"
    NOT_IN = "not_in"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"
    IS_NULL = "is_null"


OPERATORS = tuple(op.value for op in Op)
_ORDERED_TYPES = (ColumnType.INTEGER, ColumnType.DOUBLE, ColumnType.DATE, ColumnType.TIMESTAMP)
_NEEDS_COLUMN = (Kind.SUM, Kind.MEDIAN, Kind.MEAN, Kind.LATEST)


@dataclass(frozen=True, slots=True)
class Window:
    """A reporting window: one month, the N months to date, or the financial year to date."""

    kind: WindowKind
    months: int = 1

    @classmethod
    def parse(cls, text: str | Window) -> Window:
        if isinstance(text, Window):
            return text
        t = str(text).strip().lower()
        if t == "month":
            return cls(WindowKind.MONTH, 1)
        if t == "fytd":
            return cls(WindowKind.FYTD, 12)
        m = re.fullmatch(r"rolling(?::?(\d+))?", t)
        if m:
            n = int(m.group(1) or 12)
            if not 1 <= n <= 120:
                raise InputError(f'window "{text}": rolling windows take 1 to 120 months')
            return cls(WindowKind.MONTH, 1) if n == 1 else cls(WindowKind.ROLLING, n)
        raise InputError(
            f'window "{text}" is not one of month, rolling12, rolling:N (e.g. rolling:9), fytd'
        )

    @property
    def label(self) -> str:
        if self.kind is WindowKind.ROLLING:
            return "rolling12" if self.months == 12 else f"rolling:{self.months}"
        return self.kind.value


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter condition: ``column <op> value``."""

    column: str
    op: Op
    value: Any


@dataclass(frozen=True, slots=True)
class AsAt:
    """A state measure: records count at a period end while ``start <= end < stop``."""

    start: str
    end: str


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    id: str
    title: str
    definition: str
    kind: Kind
    source: str
    polarity: Polarity
    unit: str
    date: str | None = None
    as_at: AsAt | None = None
    filter: tuple[Condition, ...] = ()
    numerator: tuple[Condition, ...] = ()
    denominator: tuple[Condition, ...] = ()
    column: str | None = None
    target: float | None = None
    dimensions: tuple[str, ...] = ()
    file: str = field(default="", compare=False)

    def definition_hash(self) -> str:
        """A hash of everything that changes the figures (not the title or file)."""
        return _definition_hash(self)

    @property
    def columns_used(self) -> tuple[str, ...]:
        names = [c.column for c in (*self.filter, *self.numerator, *self.denominator)]
        for extra in (self.column, self.date):
            if extra:
                names.append(extra)
        if self.as_at:
            names += [self.as_at.start, self.as_at.end]
        return tuple(dict.fromkeys(names))


_FIELDS = {
    "title",
    "definition",
    "kind",
    "source",
    "polarity",
    "unit",
    "date",
    "as_at",
    "filter",
    "numerator",
    "denominator",
    "column",
    "target",
    "dimensions",
}


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"{where}: {message}")


def _conditions(raw: Any, where: str, cols: dict[str, ColumnInfo]) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise _fail(where, f"must be a table of column = condition, got {raw!r}")
    out = []
    for col, cond in raw.items():
        if col not in cols:
            raise _fail(where, f'unknown column "{col}"; allowed: {", ".join(sorted(cols))}')
        info = cols[col]
        pairs = (
            list(cond.items())
            if isinstance(cond, dict)
            else [(Op.IN if isinstance(cond, list) else Op.EQ, cond)]
        )
        for op, value in pairs:
            if op not in OPERATORS:
                raise _fail(
                    f"{where}.{col}", f'unknown operator "{op}"; allowed: ' + ", ".join(OPERATORS)
                )
            _check_value(f"{where}.{col}", info, Op(op), value)
            out.append(Condition(col, Op(op), tuple(value) if isinstance(value, list) else value))
    return tuple(out)


def _check_value(where: str, info: ColumnInfo, op: Op, value: Any) -> None:
    if op is Op.IS_NULL:
        if not isinstance(value, bool):
            raise _fail(where, f"is_null takes true or false, got {value!r}")
        return
    values = value if isinstance(value, list) else [value]
    if op in (Op.IN, Op.NOT_IN) and not isinstance(value, list):
        raise _fail(where, f"{op} takes a list, got {value!r}")
    if op in (Op.GT, Op.GE, Op.LT, Op.LE) and info.type not in _ORDERED_TYPES:
        raise _fail(
            where,
            f"{op} needs a number, date or time column; {info.name} is {info.type.name.lower()}",
        )
    for v in values:
        if info.type is ColumnType.BOOLEAN and not isinstance(v, bool):
            raise _fail(where, f"{info.name} is true/false, got {v!r}")
        if info.type in (ColumnType.INTEGER, ColumnType.DOUBLE) and (
            isinstance(v, bool) or not isinstance(v, int | float)
        ):
            raise _fail(where, f"{info.name} is a number, got {v!r}")
        if info.enum is not None and v not in info.enum:
            raise _fail(where, f'value "{v}" is not one of {", ".join(info.enum)}')


def _enum_field(where: str, enum: type[StrEnum], raw: Any) -> Any:
    try:
        return enum(raw)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise _fail(where, f'"{raw}" is not one of {allowed}') from None


def parse_measure(mid: str, raw: dict[str, Any], file: str = "") -> MeasureSpec:
    """Validate one catalogue entry against the contract and return its spec."""
    where = f"{file}: measure {mid}" if file else f"measure {mid}"
    unknown = set(raw) - _FIELDS
    if unknown:
        raise _fail(
            where,
            f"unknown field(s) {', '.join(sorted(unknown))}; allowed: "
            + ", ".join(sorted(_FIELDS)),
        )
    for req in ("title", "definition", "kind", "source", "polarity", "unit"):
        if req not in raw:
            raise _fail(where, f'field "{req}" is missing')
    kind = _enum_field(f"{where} kind", Kind, raw["kind"])
    polarity = _enum_field(f"{where} polarity", Polarity, raw["polarity"])
    source = raw["source"]
    if source not in TABLES:
        raise _fail(
            f"{where} source",
            f'table "{source}" is not in the data contract; allowed: ' + ", ".join(sorted(TABLES)),
        )
    as_at = None
    if "as_at" in raw:
        a = raw["as_at"]
        if not isinstance(a, dict) or set(a) != {"start", "end"}:
            raise _fail(f"{where} as_at", "must be { start = COLUMN, end = COLUMN }")
        as_at = AsAt(a["start"], a["end"])
    cols = available_columns(source, snapshot=as_at is not None)
    date = raw.get("date")
    if (date is None) == (as_at is None):
        raise _fail(where, 'give exactly one of "date" (the month of each record) or "as_at"')
    time_cols = [c for c in ([date] if date else [as_at.start, as_at.end] if as_at else [])]
    for c in time_cols:
        if c not in cols or cols[c].type not in (ColumnType.DATE, ColumnType.TIMESTAMP):
            allowed = sorted(
                n for n, i in cols.items() if i.type in (ColumnType.DATE, ColumnType.TIMESTAMP)
            )
            raise _fail(
                f"{where} date",
                f'"{c}" is not a date or time column of {source}; allowed: {", ".join(allowed)}',
            )
    column = raw.get("column")
    if kind in _NEEDS_COLUMN and column is None:
        raise _fail(where, f'kind {kind} needs "column" (the value to aggregate)')
    if column is not None:
        if column not in cols:
            raise _fail(
                f"{where} column", f'unknown column "{column}"; allowed: ' + ", ".join(sorted(cols))
            )
        if kind is not Kind.LATEST and cols[column].type not in (
            ColumnType.INTEGER,
            ColumnType.DOUBLE,
        ):
            raise _fail(f"{where} column", f'"{column}" is not a number')
    if kind.is_proportion and "numerator" not in raw:
        raise _fail(where, f'kind {kind} needs "numerator" (the condition that is counted)')
    if not kind.is_proportion and ("numerator" in raw or "denominator" in raw):
        raise _fail(where, f"numerator/denominator apply only to share and rate, not {kind}")
    dims = raw.get("dimensions", [])
    if not isinstance(dims, list):
        raise _fail(f"{where} dimensions", f"must be a list, got {dims!r}")
    for d in dims:
        if d not in DIMENSIONS:
            raise _fail(
                f"{where} dimensions", f'unknown dimension "{d}"; allowed: ' + ", ".join(DIMENSIONS)
            )
        if not dimension_available(DIMENSIONS[d], cols):
            raise _fail(
                f"{where} dimensions", f'dimension "{d}" cannot be reached from table {source}'
            )
        if kind is Kind.PER_1000 and d == "neighbourhood":
            raise _fail(
                f"{where} dimensions", "per_1000 needs a population; neighbourhoods have none"
            )
    if kind is Kind.PER_1000 and "population" not in cols:
        raise _fail(where, f"per_1000 needs district_code in {source} for the population")
    target = raw.get("target")
    if target is not None and (isinstance(target, bool) or not isinstance(target, int | float)):
        raise _fail(f"{where} target", f"must be a number, got {target!r}")
    return MeasureSpec(
        id=mid,
        title=str(raw["title"]),
        definition=" ".join(str(raw["definition"]).split()),
        kind=kind,
        source=source,
        polarity=polarity,
        unit=str(raw["unit"]),
        date=date,
        as_at=as_at,
        filter=_conditions(raw.get("filter"), f"{where} filter", cols),
        numerator=_conditions(raw.get("numerator"), f"{where} numerator", cols),
        denominator=_conditions(raw.get("denominator"), f"{where} denominator", cols),
        column=column,
        target=None if target is None else float(target),
        dimensions=tuple(dims),
        file=file,
    )


def load_file(path: Path | Any, name: str) -> dict[str, MeasureSpec]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"catalogue file {name} is not valid TOML: {err}") from err
    extra = set(data) - {"measures"}
    if extra:
        raise ConfigError(
            f"catalogue file {name}: unknown top-level key(s) "
            f'{", ".join(sorted(extra))}; measures go under [measures."ID"]'
        )
    out = {}
    for mid, raw in data.get("measures", {}).items():
        if not isinstance(raw, dict):
            raise ConfigError(f"catalogue file {name}: measure {mid} must be a table")
        out[mid] = parse_measure(mid, raw, name)
    return out


def load_catalogue(folder: Path | None = None) -> dict[str, MeasureSpec]:
    """Read and validate every ``*.toml`` in ``folder`` (default: the shipped catalogue)."""
    base: Any = (
        folder if folder is not None else resources.files("forcepack.measures") / ("catalogue")
    )
    specs: dict[str, MeasureSpec] = {}
    for entry in sorted(base.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".toml"):
            continue
        for mid, spec in load_file(entry, entry.name).items():
            if mid in specs:
                raise ConfigError(
                    f"measure {mid} is defined in both {specs[mid].file} and "
                    f"{entry.name}; ids must be unique"
                )
            specs[mid] = spec
    return specs


@functools.cache
def catalogue() -> dict[str, MeasureSpec]:
    """The validated catalogue: measure id -> spec, in id order."""
    return dict(sorted(load_catalogue().items()))


def get(measure_id: str) -> MeasureSpec:
    """The spec of one measure; an unknown id is an input error with the closest ids."""
    specs = catalogue()
    if measure_id in specs:
        return specs[measure_id]
    from forcepack.names import did_you_mean  # imports DuckDB: only for the message

    close = did_you_mean(measure_id, specs)
    prefix = measure_id.split(".")[0]
    family = [m for m in specs if m.startswith(prefix + ".")]
    known = f"; the {prefix} measures are: {', '.join(family)}" if family else ""
    raise InputError(
        f'measure "{measure_id}" is not in the catalogue' + (f"; {close}" if close else known),
        hint="`forcepack measures list` shows them all",
    )


@functools.lru_cache(maxsize=4096)
def _definition_hash(spec: MeasureSpec) -> str:
    d = asdict(spec)
    for k in ("title", "definition", "file", "unit", "polarity", "target"):
        d.pop(k)
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:16]
