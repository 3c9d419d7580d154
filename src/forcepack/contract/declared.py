"""The contract's tables as data: ``contract/tables/*.toml``, read into :class:`Table` specs.

A family file holds ``[[table]]`` entries, each with its ``[[table.column]]`` entries in order,
and may name groups of columns (``[[group.NAME]]``) that several of its tables share. A column
entry is one of:

- a column: ``name``, ``type`` (``string``, ``integer``, ``double``, ``boolean``, ``date``,
  ``timestamp``), ``description`` and any other field of :class:`Column`, with ``enum`` naming
  a vocabulary (``GRADES``) and ``references`` a key column (``"districts.district_code"``);
- ``use = "NAME"``: a group of the file, or one of the columns shared across families
  (:data:`forcepack.contract.columns.SHARED`);
- ``copy = "TABLE.COLUMN"``: a column of a table declared before, as it stands there.

The file is checked as it is read: an unknown key, type, vocabulary, group or copied column, a
value of the wrong kind, a column declared twice or a key, time order or date column that is no
column stops the import with the file and entry that hold it (and, once every family is read, a
reference to a key no table declares), so a mistake in a table cannot reach a warehouse.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import fields
from importlib import resources
from typing import Any

from forcepack.contract import types, vocab
from forcepack.contract.columns import SHARED
from forcepack.contract.types import TABLES, Column, ColumnType, Reference, Role, Table, TimeOrder

_COLUMN_KEYS = frozenset(f.name for f in fields(Column))
_TABLE_KEYS = frozenset({"name", "role", "description", "key", "time_order", "date_column"})
#: What each field of a column entry must hold (as TOML gives it), and how to say so.
_TEXT, _FLAG, _NUMBER = (
    ((str,), "string"),
    ((bool,), "boolean (true or false)"),
    ((int, float), "number"),
)
_FIELD_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "name": _TEXT,
    "type": _TEXT,
    "description": _TEXT,
    "nullable": _FLAG,
    "enum": _TEXT,
    "references": _TEXT,
    "minimum": _NUMBER,
    "maximum": _NUMBER,
    "personal": _FLAG,
    "backfill": _TEXT,
    "generated": _TEXT,
}


class DeclarationError(Exception):
    """A table file of the contract is wrong: a fault in forcepack itself, never in a force's
    data, so it is not an input error."""


def load_family(
    family: str, *, vocabularies: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, tuple[Column, ...]]:
    """Register the tables of ``tables/FAMILY.toml`` in :data:`TABLES`, in file order, and
    return the file's groups (what the code that builds the tables reads by name).

    ``vocabularies``: closed sets beyond :mod:`~forcepack.contract.vocab` that ``enum`` may name
    (a derived table's own, declared beside the code that builds it)."""
    path = resources.files("forcepack.contract").joinpath("tables", f"{family}.toml")
    tables, groups = read_family(
        path.read_text(encoding="utf-8"), f"contract/tables/{family}.toml", vocabularies
    )
    for table in tables:
        types.register(table)
    return groups


def read_family(
    text: str, where: str, vocabularies: Mapping[str, tuple[str, ...]] | None = None
) -> tuple[list[Table], dict[str, tuple[Column, ...]]]:
    """The tables and groups of one family file's ``text`` (``where`` names it in errors),
    checked but not registered; ``copy`` may name a registered table or one declared above."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DeclarationError(f"{where}: not valid TOML: {err}") from None
    known = {
        name: value
        for name, value in vars(vocab).items()
        if name.isupper() and isinstance(value, tuple)
    }
    known.update(vocabularies or {})
    reader = _Reader(where, known)
    unknown = set(data) - {"group", "table"}
    if unknown:
        raise reader.fail("the file", f"unknown section {sorted(unknown)[0]!r}")
    for name, entries in data.get("group", {}).items():
        reader.groups[name] = reader.columns(entries, f"group {name}")
    for entry in data.get("table", []):
        table = reader.table(entry)
        reader.tables[table.name] = table
    return list(reader.tables.values()), dict(reader.groups)


def check_references(tables: Mapping[str, Table]) -> None:
    """Every ``references`` of ``tables`` names a column of a table among them (run once every
    family is loaded, since a family may reference another)."""
    for table in tables.values():
        for col in table.columns:
            ref = col.references
            if ref is None:
                continue
            target = tables.get(ref.table)
            if target is None or ref.column not in target.column_names:
                raise DeclarationError(
                    f"table {table.name!r}, column {col.name!r}: references "
                    f"{ref.table}.{ref.column}, which the contract does not declare"
                )


class _Reader:
    def __init__(self, where: str, vocabularies: Mapping[str, tuple[str, ...]]) -> None:
        self.where = where
        self.vocabularies = vocabularies
        self.groups: dict[str, tuple[Column, ...]] = {}
        self.tables: dict[str, Table] = {}

    def fail(self, what: str, message: str) -> DeclarationError:
        return DeclarationError(f"{self.where}, {what}: {message}")

    def table(self, entry: dict[str, Any]) -> Table:
        what = f"table {entry.get('name')!r}"
        self.check_keys(
            entry, _TABLE_KEYS | {"column"}, what, required=("name", "role", "description")
        )
        if entry["name"] in self.tables or entry["name"] in TABLES:
            raise self.fail(what, "declared twice")
        try:
            role = Role(entry["role"])
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            raise self.fail(what, f"role {entry['role']!r} is not one of {allowed}") from None
        table = Table(
            entry["name"],
            role,
            entry["description"],
            self.columns(entry.get("column", []), what),
            key=tuple(entry.get("key", ())),
            time_order=tuple(TimeOrder(a, b) for a, b in entry.get("time_order", ())),
            date_column=entry.get("date_column"),
        )
        names = table.column_names
        if len(set(names)) != len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            raise self.fail(what, f"column {twice[0]!r} is declared twice")
        named = [
            *table.key,
            *(c for order in table.time_order for c in (order.earlier, order.later)),
            *([table.date_column] if table.date_column else []),
        ]
        for name in named:
            if name not in names:
                raise self.fail(what, f"key, time order or date column {name!r} is no column")
        return table

    def columns(self, entries: list[dict[str, Any]], what: str) -> tuple[Column, ...]:
        out: list[Column] = []
        for n, entry in enumerate(entries, 1):
            label = entry.get("name") or entry.get("use") or entry.get("copy")
            here = f"{what}, column {n} ({label})"
            if "use" in entry:
                self.check_keys(entry, {"use"}, here)
                out += self.use(entry["use"], here)
            elif "copy" in entry:
                self.check_keys(entry, {"copy"}, here)
                out.append(self.copy(entry["copy"], here))
            else:
                out.append(self.column(entry, here))
        return tuple(out)

    def column(self, entry: dict[str, Any], here: str) -> Column:
        self.check_keys(entry, _COLUMN_KEYS, here, required=("name", "type", "description"))
        for key, value in entry.items():
            kinds, words = _FIELD_TYPES[key]
            # a boolean is an int to Python, but true is no number
            if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                raise self.fail(here, f"{key} {value!r} is not a {words}")
        spec = dict(entry)
        try:
            spec["type"] = ColumnType[spec["type"].upper()]
        except KeyError:
            allowed = ", ".join(t.name.lower() for t in ColumnType)
            raise self.fail(here, f"type {entry.get('type')!r} is not one of {allowed}") from None
        if "enum" in spec:
            if spec["enum"] not in self.vocabularies:
                raise self.fail(here, f"enum {spec['enum']!r} names no vocabulary")
            spec["enum"] = self.vocabularies[spec["enum"]]
        if "references" in spec:
            table, _, column = spec["references"].partition(".")
            spec["references"] = Reference(table, column)
        return Column(**spec)

    def use(self, name: str, here: str) -> tuple[Column, ...]:
        if name in self.groups:
            return self.groups[name]
        if name in SHARED:
            return SHARED[name]
        allowed = ", ".join(sorted({*self.groups, *SHARED}))
        raise self.fail(here, f"use {name!r} is no group or shared column; allowed: {allowed}")

    def copy(self, source: str, here: str) -> Column:
        table, _, column = source.partition(".")
        try:
            return {**TABLES, **self.tables}[table].column(column)
        except KeyError:
            raise self.fail(here, f"copy {source!r}: no such column declared before") from None

    def check_keys(
        self,
        entry: dict[str, Any],
        allowed: frozenset[str] | set[str],
        here: str,
        *,
        required: tuple[str, ...] = (),
    ) -> None:
        unknown = set(entry) - allowed
        if unknown:
            listed = ", ".join(sorted(allowed))
            raise self.fail(here, f"unknown key {sorted(unknown)[0]!r}; allowed: {listed}")
        missing = [key for key in required if key not in entry]
        if missing:
            raise self.fail(here, f"missing key {missing[0]!r}")
