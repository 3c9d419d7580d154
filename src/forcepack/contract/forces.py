"""Reference data for every force: names, data.police.uk ids, resident population, and the local
authority -> force lookup.

Shipped as two CSV files beside this module (``reference/forces.csv``,
``reference/local_authorities.csv``), built by :func:`build_forces` and
:func:`build_local_authorities` from verbatim copies of their published sources in
``reference/sources/forces/`` (see the README there). The 43 territorial forces of England and Wales
have a population; British Transport Police has none (it polices the railways, not a resident
population) and is never shown per resident.

A data.police.uk file names its force in ``Falls within`` (``Bedfordshire Police``): a force is
found by that text, its data.police.uk id (``bedfordshire``), its ONS police force area name
(``Bedfordshire``) or its ONS code (``E23000026``), ignoring case, ``&``/``and``, hyphens and
the trailing words ``Police``, ``Constabulary``, ``Service``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from forcepack.errors import InputError
from forcepack.names import did_you_mean

#: The year, source and licence of every shipped population figure.
POPULATION_YEAR = 2011
POPULATION_SOURCE = (
    "ONS, Census 2011 usual resident population (table QS201EW, via Nomis), summed over the "
    "force's local authorities by the ONS LAD16-CSP16-PFA16 lookup (December 2016)"
)
POPULATION_LICENCE = "Open Government Licence v3.0"
BTP_ID = "btp"
#: British Transport Police as data.police.uk names it (its files are not in the forces API).
BTP_NAME = "British Transport Police"

_SOURCES = ("reference", "sources", "forces")
_LOOKUP = "lad16-csp16-pfa16-lookup-dec2016.csv"
_CENSUS = "census-2011-qs201ew-usual-residents.csv"
_API = "police-uk-forces-api.csv"
_CENSUS_TOTAL = "Ethnic Group: All categories: Ethnic group; measures: Value"
_TRAILING = re.compile(r"(\s+(police|constabulary|service|force))+$")


@dataclass(frozen=True, slots=True)
class Force:
    """One force: its data.police.uk id and name, ONS area, and resident population."""

    force_id: str  # data.police.uk id: bedfordshire
    falls_within: str  # data.police.uk name, as in "Falls within": Bedfordshire Police
    pfa_code: str | None  # ONS police force area code: E23000026 (None for BTP)
    pfa_name: str | None  # ONS police force area name: Bedfordshire
    population: int | None  # resident population (None for BTP)
    population_year: int | None
    territorial: bool

    @property
    def label(self) -> str:
        """The short name a pack calls the force by: ``Bedfordshire``, ``City of London``."""
        if self.pfa_name == "London, City of":
            return "City of London"
        return self.pfa_name or self.falls_within


def normalise(name: str) -> str:
    """``Devon & Cornwall Police`` -> ``devon and cornwall``: the form names are matched in."""
    text = name.strip().lower().replace("&", " and ").replace("-", " ").replace(",", " ")
    text = re.sub(r"\s+", " ", text).strip()
    if text.startswith("london city of"):  # the ONS spelling of the City of London
        text = "city of london" + text[len("london city of") :]
    text = _TRAILING.sub("", text)
    return text.removesuffix(" police").strip()


def _source_text(name: str) -> str:
    return (
        resources.files("forcepack.contract")
        .joinpath(*_SOURCES, name)
        .read_text(encoding="utf-8-sig")
    )


def _reference_text(name: str) -> str:
    return resources.files("forcepack.contract").joinpath("reference", name).read_text("utf-8")


def build_local_authorities() -> list[dict[str, object]]:
    """Local authority rows (code, name, force area, 2011 population) from the sources."""
    lookup = list(csv.DictReader(io.StringIO(_source_text(_LOOKUP))))
    census = {
        r["geography code"]: int(r[_CENSUS_TOTAL])
        for r in csv.DictReader(io.StringIO(_source_text(_CENSUS)))
    }
    out = []
    for r in sorted(lookup, key=lambda r: r["LAD16CD"]):
        out.append(
            {
                "lad_code": r["LAD16CD"],
                "lad_name": r["LAD16NM"],
                "pfa_code": r["PFA16CD"],
                "pfa_name": r["PFA16NM"],
                "population": census[r["LAD16CD"]],
                "population_year": POPULATION_YEAR,
            }
        )
    return out


def build_forces() -> list[dict[str, object]]:
    """Force rows from the sources: the API's forces matched to ONS areas by normalised name."""
    las = build_local_authorities()
    areas: dict[str, tuple[str, int]] = {}
    for la in las:
        code, name = str(la["pfa_code"]), str(la["pfa_name"])
        _, pop = areas.get(code, (name, 0))
        areas[code] = (name, pop + int(la["population"]))  # type: ignore[call-overload]
    by_norm = {normalise(n): (c, n, p) for c, (n, p) in areas.items()}
    out: list[dict[str, object]] = []
    for r in csv.DictReader(io.StringIO(_source_text(_API))):
        key = normalise(r["name"])
        if key not in by_norm:  # Northern Ireland: not a force of England and Wales
            continue
        code, name, pop = by_norm.pop(key)
        out.append(
            {
                "force_id": r["id"],
                "falls_within": r["name"],
                "pfa_code": code,
                "pfa_name": name,
                "population": pop,
                "population_year": POPULATION_YEAR,
                "territorial": "true",
            }
        )
    if by_norm:
        raise AssertionError(f"force areas with no data.police.uk force: {sorted(by_norm)}")
    out.sort(key=lambda r: str(r["pfa_code"]))
    out.append(
        {
            "force_id": BTP_ID,
            "falls_within": BTP_NAME,
            "pfa_code": "",
            "pfa_name": "",
            "population": "",
            "population_year": "",
            "territorial": "false",
        }
    )
    return out


def _opt_int(text: str) -> int | None:
    return int(text) if text else None


@functools.cache
def forces() -> tuple[Force, ...]:
    """Every force forcepack knows: the 43 territorial forces, then British Transport Police."""
    rows = csv.DictReader(io.StringIO(_reference_text("forces.csv")))
    return tuple(
        Force(
            force_id=r["force_id"],
            falls_within=r["falls_within"],
            pfa_code=r["pfa_code"] or None,
            pfa_name=r["pfa_name"] or None,
            population=_opt_int(r["population"]),
            population_year=_opt_int(r["population_year"]),
            territorial=r["territorial"] == "true",
        )
        for r in rows
    )


@functools.cache
def local_authorities() -> tuple[dict[str, object], ...]:
    """Local authority rows: lad_code, lad_name, pfa_code, pfa_name, population, population_year."""
    rows = csv.DictReader(io.StringIO(_reference_text("local_authorities.csv")))
    return tuple(
        {**r, "population": int(r["population"]), "population_year": int(r["population_year"])}
        for r in rows
    )


def _keys(f: Force) -> Iterable[str]:
    for k in (f.force_id, f.falls_within, f.pfa_name, f.pfa_code):
        if k:
            yield normalise(k)


@functools.cache
def _index() -> dict[str, Force]:
    out: dict[str, Force] = {}
    for f in forces():
        for k in _keys(f):
            out.setdefault(k, f)
    return out


def match_force(name: str) -> Force | None:
    """The force ``name`` means (id, Falls within text, ONS name or code), or None."""
    return _index().get(normalise(name))


def find_force(name: str, *, what: str = "--force") -> Force:
    """The force ``name`` means; an :class:`InputError` naming the choices when none."""
    found = match_force(name)
    if found is not None:
        return found
    names = [f.label for f in forces()] + [f.force_id for f in forces()]
    hint = did_you_mean(name, names) or (
        "give a force's name (Bedfordshire), data.police.uk id (bedfordshire) or "
        "Falls within text (Bedfordshire Police)"
    )
    raise InputError(
        f'{what} "{name}" is not one of the 43 forces of England and Wales or British '
        "Transport Police",
        hint=hint,
    )
