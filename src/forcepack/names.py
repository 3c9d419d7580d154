"""One way to name a place or a thing: codes or names, any case, with a did-you-mean.

Every command that takes ``--area``, ``--district`` or ``--neighbourhood`` resolves it here,
against the warehouse's own ``districts`` and ``neighbourhoods`` tables (never the demo's): a
code or a name, matched exactly but in any case. A name shared by several places is refused
with the candidates listed; a value matching nothing is refused with the closest names
(:func:`suggest`) and the known ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forcepack.contract.vocab import NAMED_PLACE_KINDS, PlaceKind
from forcepack.errors import InputError
from forcepack.warehouse.sql import ident

if TYPE_CHECKING:
    import duckdb

#: How many close matches a did-you-mean offers.
SUGGESTIONS = 3
#: How many known values a message lists when nothing is close.
LISTED = 12


def suggest(value: str, choices: Iterable[str]) -> list[str]:
    """The choices closest to ``value`` (difflib, case-insensitive), best first."""
    by_lower: dict[str, str] = {}
    for c in choices:
        by_lower.setdefault(c.lower(), c)
    close = difflib.get_close_matches(value.strip().lower(), list(by_lower), n=SUGGESTIONS)
    return [by_lower[c] for c in close]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """``did you mean "a" or "b"?``, or ``""`` when nothing is close."""
    close = suggest(value, choices)
    if not close:
        return ""
    return "did you mean " + " or ".join(f'"{c}"' for c in close) + "?"


def listing(values: Iterable[str], limit: int = LISTED) -> str:
    """``a, b, c`` (and ``... and N more`` past ``limit``), or ``(none loaded)``."""
    shown = list(values)
    if not shown:
        return "(none loaded)"
    more = len(shown) - limit
    return ", ".join(shown[:limit]) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved area, district or neighbourhood: its kind, its code and its name.

    An area has no code of its own: ``code`` and ``name`` are its name as stored in
    ``districts.area``."""

    kind: PlaceKind  # area, district or neighbourhood (never the force)
    code: str
    name: str

    @property
    def label(self) -> str:
        """``district E07000008 (Cambridge)``, ``area North``."""
        if self.kind is PlaceKind.AREA or self.code == self.name:
            return f"{self.kind} {self.name}"
        return f"{self.kind} {self.code} ({self.name})"


# kind -> (table, code column, name column)
_TABLES = {
    PlaceKind.AREA: ("districts", "area", "area"),
    PlaceKind.DISTRICT: ("districts", "district_code", "district_name"),
    PlaceKind.NEIGHBOURHOOD: ("neighbourhoods", "neighbourhood_code", "neighbourhood_name"),
}
#: The kinds of place a user names (the contract's list; each has its table above).
KINDS = NAMED_PLACE_KINDS


def place_kind(kind: PlaceKind | str) -> PlaceKind:
    """``kind`` as an area, district or neighbourhood; an :class:`InputError` for anything else
    (the force is not a place a user names)."""
    if kind not in KINDS:
        raise InputError(
            f'place kind "{kind}" is not one of {", ".join(KINDS)}',
            hint="give --area, --district or --neighbourhood",
        )
    return PlaceKind(kind)


def places(con: duckdb.DuckDBPyConnection, kind: PlaceKind | str) -> list[tuple[str, str]]:
    """Every ``(code, name)`` of ``kind`` in the warehouse, in code order."""
    table, code, name = _TABLES[place_kind(kind)]
    rows = con.execute(
        f"SELECT DISTINCT {ident(code)}, {ident(name)} FROM {ident(table)} "
        f"WHERE {ident(code)} IS NOT NULL ORDER BY 1, 2"
    ).fetchall()
    return [(str(c), str(n) if n is not None else str(c)) for c, n in rows]


def resolve_place(
    con: duckdb.DuckDBPyConnection,
    kind: PlaceKind | str,
    value: str,
    *,
    option: str | None = None,
) -> Place:
    """The area, district or neighbourhood named by ``value`` (a code or a name, any case).

    Raises :class:`InputError` naming the option, the value and what is allowed: for a name
    several places share (with the candidates), or for a value matching none (with a
    did-you-mean and the known codes and names)."""
    return match_place(kind, value, places(con, kind), option=option)


def match_place(
    kind: PlaceKind | str, value: str, known: list[tuple[str, str]], *, option: str | None = None
) -> Place:
    """The place of ``known`` (``(code, name)`` pairs) that ``value`` names: a code, or a name
    only one place has, in any case; an :class:`InputError` otherwise (see
    :func:`resolve_place`)."""
    kind = place_kind(kind)
    option = option or f"--{kind}"
    text = value.strip()
    if not text:
        raise InputError(f"{option}: give a {kind} code or name (received an empty value)")
    wanted = text.lower()
    by_code = [(c, n) for c, n in known if c.lower() == wanted]
    if by_code:
        return Place(kind, *by_code[0])
    by_name = [(c, n) for c, n in known if n.lower() == wanted]
    if len(by_name) == 1:
        return Place(kind, *by_name[0])
    table = _TABLES[kind][0]
    if by_name:
        candidates = ", ".join(f"{c} ({n})" for c, n in by_name)
        raise InputError(
            f'{option} "{value}": {len(by_name)} {table} have that name: {candidates}',
            hint=f"give the {kind} code instead",
        )
    names = [n for _, n in known]
    codes = [c for c, _ in known]
    close = did_you_mean(text, [*names, *codes])
    if kind is PlaceKind.AREA:
        what = "an area name"
        allowed = f"the areas in this warehouse's districts table are {listing(names)}"
    else:
        what = f"a {kind} code or name"
        allowed = f"known {table}: " + listing([f"{c} ({n})" if c != n else c for c, n in known])
    raise InputError(
        f'{option} "{value}" is not {what} in this warehouse; '
        + (f"{close} " if close else "")
        + allowed,
        hint=None if close else "matched exactly, in any case",
    )
