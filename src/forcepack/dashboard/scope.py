"""The one function that applies a user's scope to a personal-data request, failing closed.

:func:`grant` returns the place a list may be built for, or raises :class:`Denied` (HTTP 403):
a board user, a request naming no place or several, a place outside the user's own, or a list
that is not built for that kind of place. It never returns "everything" by default, so no
request can be answered with an empty list that looks like "no victims".
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from forcepack.contract.vocab import NAMED_PLACE_KINDS, PlaceKind
from forcepack.dashboard.users import Role, User
from forcepack.errors import AccessError, InputError
from forcepack.names import match_place

#: list name in the URL -> the kinds of place it is built for.
LISTS: dict[str, tuple[PlaceKind, ...]] = {
    "harm-victims": NAMED_PLACE_KINDS,
    "harm-offenders": NAMED_PLACE_KINDS,
    "breaches": (PlaceKind.AREA, PlaceKind.DISTRICT),
    "audit-sample": (PlaceKind.AREA,),
}
LIST_TITLES = {
    "harm-victims": "Harm: victims at greatest risk",
    "harm-offenders": "Harm: offenders causing most harm",
    "breaches": "Victim care breaches",
    "audit-sample": "Victims' Code audit sample",
}


class Denied(AccessError):
    """A request for personal data outside the user's scope (HTTP 403)."""


class UnknownPlace(InputError):
    """A place named in a URL that the warehouse does not hold (HTTP 404)."""


@dataclass(frozen=True, slots=True)
class Place:
    kind: PlaceKind  # a named place: area, district or neighbourhood
    code: str  # the area name, district_code or neighbourhood_code
    name: str
    area: str
    district: str | None = None  # district_code (districts and neighbourhoods)

    @property
    def label(self) -> str:
        return self.name if self.kind is PlaceKind.AREA else f"{self.name} ({self.code})"


class Places:
    """The force's areas, districts and neighbourhoods, read from the warehouse."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        districts = con.execute(
            "SELECT district_code, district_name, area FROM districts ORDER BY area, district_name"
        ).fetchall()
        hoods = con.execute(
            "SELECT n.neighbourhood_code, n.neighbourhood_name, n.district_code, d.area "
            "FROM neighbourhoods n JOIN districts d USING (district_code) "
            "ORDER BY n.district_code, n.neighbourhood_name"
        ).fetchall()
        self.areas = {
            a: Place(PlaceKind.AREA, a, a, a) for a in sorted({str(r[2]) for r in districts})
        }
        self.districts = {
            str(c): Place(PlaceKind.DISTRICT, str(c), str(n), str(a), str(c))
            for c, n, a in districts
        }
        self.neighbourhoods = {
            str(c): Place(PlaceKind.NEIGHBOURHOOD, str(c), str(n), str(a), str(d))
            for c, n, d, a in hoods
        }

    def table(self, kind: PlaceKind) -> dict[str, Place]:
        return {
            PlaceKind.AREA: self.areas,
            PlaceKind.DISTRICT: self.districts,
            PlaceKind.NEIGHBOURHOOD: self.neighbourhoods,
        }[kind]

    def find(self, kind: PlaceKind, value: str) -> Place:
        """A place by code or name (any case); :class:`UnknownPlace` when there is none, or
        when a name is shared by several places (the code is then needed)."""
        table = self.table(kind)
        known = [(p.code, p.name) for p in table.values()]
        try:  # the one matching rule: a code, or a name no other place has
            found = match_place(kind, value, known, option=kind)
        except InputError as err:
            raise UnknownPlace(err.message, hint=err.hint) from None
        return table[found.code]

    def contains(self, outer: Place, inner: Place) -> bool:
        """Whether ``inner`` lies within ``outer`` (or is it)."""
        if outer.kind is PlaceKind.AREA:
            return inner.area == outer.code
        if outer.kind is PlaceKind.DISTRICT:
            return inner.kind is not PlaceKind.AREA and inner.district == outer.code
        return inner.kind is PlaceKind.NEIGHBOURHOOD and inner.code == outer.code

    def home(self, user: User) -> Place | None:
        """The place an area or neighbourhood user is restricted to."""
        if user.role is Role.AREA and user.area:
            return self.find(PlaceKind.AREA, user.area)
        if user.role is Role.NEIGHBOURHOOD and user.neighbourhood:
            return self.find(PlaceKind.NEIGHBOURHOOD, user.neighbourhood)
        return None


def asked_label(asked: dict[str, str | None]) -> str:
    named = [f"{k}={v}" for k, v in asked.items() if v]
    return ", ".join(named) or "(no place named)"


def grant(user: User, list_name: str, asked: dict[str, str | None], places: Places) -> Place:
    """The place ``user`` may see ``list_name`` for, given the ``asked`` query; else raises
    :class:`Denied` (or :class:`UnknownPlace` for a place the warehouse does not hold)."""
    if list_name not in LISTS:
        raise UnknownPlace(f'list "{list_name}" is not one of {", ".join(LISTS)}')
    if user.role is Role.BOARD:
        raise Denied(f"{list_name}: board users see aggregates only, not personal data")
    named = [(PlaceKind(k), v) for k, v in asked.items() if k in NAMED_PLACE_KINDS and v]
    if len(named) != 1:
        raise Denied(
            f"{list_name} is OFFICIAL-SENSITIVE and is shown only for one named place; "
            f"received {asked_label(asked)}"
        )
    kind, value = named[0]
    assert value is not None
    place = places.find(kind, value)
    if kind not in LISTS[list_name]:
        raise Denied(f"{list_name} is built per {' or '.join(LISTS[list_name])}, not per {kind}")
    if user.role is Role.ANALYST:
        return place
    home = places.home(user)
    if home is None or not places.contains(home, place):
        raise Denied(
            f"{list_name} for {kind} {place.label} is outside the scope of user "
            f"{user.name} ({user.scope_label})"
        )
    return place
