"""The shipped force reference data: rebuilt from its sources, every figure checked."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from forcepack.contract import forces as ref
from forcepack.errors import InputError

FIXTURES = Path(__file__).parent / "data" / "police-uk"


def _shipped(name: str) -> list[dict[str, str]]:
    path = Path(ref.__file__).parent / "reference" / name
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _as_text(rows: list[dict[str, object]]) -> list[dict[str, str]]:
    return [{k: str(v) for k, v in r.items()} for r in rows]


def test_shipped_files_are_the_build_from_the_sources() -> None:
    assert _shipped("forces.csv") == _as_text(ref.build_forces())
    assert _shipped("local_authorities.csv") == _as_text(ref.build_local_authorities())


def test_43_territorial_forces_and_btp_apart() -> None:
    forces = ref.forces()
    territorial = [f for f in forces if f.territorial]
    assert len(territorial) == 43
    assert len({f.pfa_code for f in territorial}) == 43
    assert all(f.population and f.population > 0 for f in territorial)
    btp = [f for f in forces if not f.territorial]
    assert [(f.force_id, f.population, f.pfa_code) for f in btp] == [("btp", None, None)]


def test_populations_are_sums_of_the_census_local_authorities() -> None:
    sources = Path(ref.__file__).parent / "reference" / "sources" / "forces"
    with (sources / "census-2011-qs201ew-usual-residents.csv").open(encoding="utf-8") as f:
        census = {r["geography code"]: int(r[ref._CENSUS_TOTAL]) for r in csv.DictReader(f)}
    with (sources / "lad16-csp16-pfa16-lookup-dec2016.csv").open(encoding="utf-8-sig") as f:
        lookup = list(csv.DictReader(f))
    assert len(census) == len(lookup) == 348
    by_area: dict[str, int] = {}
    for r in lookup:
        by_area[r["PFA16CD"]] = by_area.get(r["PFA16CD"], 0) + census[r["LAD16CD"]]
    shipped = {f.pfa_code: f.population for f in ref.forces() if f.territorial}
    assert shipped == by_area
    # every usual resident of England and Wales on census day is in exactly one force
    assert sum(by_area.values()) == sum(census.values())


def test_local_authorities_point_at_known_forces() -> None:
    codes = {f.pfa_code for f in ref.forces()}
    las = ref.local_authorities()
    assert len(las) == 348
    assert {la["pfa_code"] for la in las} <= codes
    beds = sorted(str(la["lad_name"]) for la in las if la["pfa_code"] == "E23000026")
    assert beds == ["Bedford", "Central Bedfordshire", "Luton"]


@pytest.mark.parametrize("force_id", ["bedfordshire", "cambridgeshire", "hertfordshire"])
def test_falls_within_text_is_what_the_files_say(force_id: str) -> None:
    seen: set[str] = set()
    for path in sorted(FIXTURES.glob(f"*/*-{force_id}-street.csv")):
        with path.open(encoding="utf-8-sig") as f:
            seen |= {r["Falls within"] for r in csv.DictReader(f)}
    assert seen, f"no fixture files for {force_id}"
    (text,) = seen
    force = ref.match_force(text)
    assert force is not None and force.force_id == force_id and force.falls_within == text


@pytest.mark.parametrize(
    ("name", "force_id"),
    [
        ("Bedfordshire", "bedfordshire"),
        ("bedfordshire", "bedfordshire"),
        ("E23000026", "bedfordshire"),
        ("devon and cornwall", "devon-and-cornwall"),
        ("Devon & Cornwall Police", "devon-and-cornwall"),
        ("City of London", "city-of-london"),
        ("Metropolitan", "metropolitan"),
        ("dyfed powys", "dyfed-powys"),
        ("British Transport Police", "btp"),
    ],
)
def test_a_force_is_found_by_any_of_its_names(name: str, force_id: str) -> None:
    assert ref.find_force(name).force_id == force_id


def test_unknown_force_is_one_line_with_did_you_mean() -> None:
    with pytest.raises(InputError) as err:
        ref.find_force("Bedforshire")
    text = str(err.value)
    assert "Bedforshire" in text and "\n" not in err.value.message
    assert "Bedfordshire" in (err.value.hint or "")
