"""data.police.uk files of any force: in the force's area by its own districts or LSOA lookup,
several forces' files kept apart."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from forcepack.ingest import load_extract, load_police_uk
from forcepack.warehouse import create
from ingest_helpers import fetch, write_csv
from test_force_geography import DISTRICT_HEADER

DATA = Path(__file__).parent / "data" / "police-uk-forces"
BEDS = DATA / "2019-01-bedfordshire-street.csv"
CAMBS = DATA / "2019-01-cambridgeshire-street.csv"
BEDFORDSHIRE = [
    ["E06000055", "Bedford", "North", "Bedfordshire Police", "173292", "2019"],
    ["E06000056", "Central Bedfordshire", "Central", "Bedfordshire Police", "288648", "2019"],
    ["E06000032", "Luton", "South", "Bedfordshire Police", "213528", "2019"],
]


def _file_counts(path: Path) -> dict[str, int]:
    """Rows by LSOA-name prefix, counted from the file itself."""
    out: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = row["LSOA name"]
            key = name.rsplit(" ", 1)[0] if name else ""
            out[key] = out.get(key, 0) + 1
    return out


@pytest.fixture
def beds(tmp_path: Path) -> Path:
    db = create(tmp_path / "beds.duckdb")
    load_extract(db, "districts", write_csv(tmp_path / "d.csv", DISTRICT_HEADER, BEDFORDSHIRE))
    return db


def _flags(db: Path) -> dict[tuple[str, bool], int]:
    rows = fetch(
        db,
        "SELECT falls_within, in_force_area, count(*) FROM public_crimes GROUP BY ALL",
    )
    return {(f, bool(a)): int(n) for f, a, n in rows}


def test_another_forces_files_are_flagged_by_its_own_districts(beds: Path) -> None:
    load_police_uk(beds, [BEDS])
    counts = _file_counts(BEDS)
    inside = sum(counts[d] for d in ("Bedford", "Central Bedfordshire", "Luton"))
    total = sum(counts.values())
    assert _flags(beds) == {
        ("Bedfordshire Police", True): inside,
        ("Bedfordshire Police", False): total - inside,
    }
    by_district = dict(
        fetch(
            beds, "SELECT district_name, count(*) FROM public_crimes WHERE in_force_area GROUP BY 1"
        )
    )
    assert by_district == {d: counts[d] for d in ("Bedford", "Central Bedfordshire", "Luton")}


def test_districts_loaded_after_the_public_files_flag_them_again(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    load_police_uk(db, [BEDS])
    assert {a for (_f, a) in _flags(db)} == {False}  # no districts yet: nothing is in the area
    r = load_extract(db, "districts", write_csv(tmp_path / "d.csv", DISTRICT_HEADER, BEDFORDSHIRE))
    counts = _file_counts(BEDS)
    inside = sum(counts[d] for d in ("Bedford", "Central Bedfordshire", "Luton"))
    assert any(f"{inside:,} data.police.uk records re-flagged" in n for n in r.notes)
    assert _flags(db)[("Bedfordshire Police", True)] == inside


def test_a_forces_lsoa_lookup_decides_over_the_names(beds: Path, tmp_path: Path) -> None:
    with BEDS.open(encoding="utf-8", newline="") as f:
        luton = sorted(
            {r["LSOA code"] for r in csv.DictReader(f) if r["LSOA name"].startswith("Luton ")}
        )
    lookup = write_csv(
        tmp_path / "lsoas.csv",
        ["lsoa_code", "lsoa_name", "district_code"],
        [[code, "", "E06000032"] for code in luton],
    )
    load_extract(beds, "lsoas", lookup)
    load_police_uk(beds, [BEDS])
    got = fetch(beds, "SELECT DISTINCT district_name FROM public_crimes WHERE in_force_area")
    assert got == [("Luton",)]
    assert _flags(beds)[("Bedfordshire Police", True)] == _file_counts(BEDS)["Luton"]


def test_several_forces_public_files_are_kept_apart(beds: Path) -> None:
    load_police_uk(beds, [BEDS, CAMBS])
    flags = _flags(beds)
    cambs = sum(_file_counts(CAMBS).values())
    assert flags[("Cambridgeshire Constabulary", False)] == cambs
    assert ("Cambridgeshire Constabulary", True) not in flags
    assert flags[("Bedfordshire Police", True)] > 0


def test_lsoa_codes_of_another_vintage_are_said_not_silently_dropped(
    beds: Path, tmp_path: Path
) -> None:
    """A force's lookup lists its 2011 LSOAs; a file coded with newer (2021) LSOAs keeps every
    row, flags the unlisted ones outside the area by the lookup's rule, and the load says so."""
    with BEDS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    listed = [
        [code, "", district]
        for district, name in (("E06000055", "Bedford "), ("E06000056", "Central Bedfordshire "))
        for code in sorted({r["LSOA code"] for r in rows if r["LSOA name"].startswith(name)})
    ]
    luton = sorted({r["LSOA code"] for r in rows if r["LSOA name"].startswith("Luton ")})
    lookup = write_csv(
        tmp_path / "lsoas.csv",
        ["lsoa_code", "lsoa_name", "district_code"],
        listed + [[c, "", "E06000032"] for c in luton],
    )
    load_extract(beds, "lsoas", lookup)
    # the same file, its Luton rows recoded as a later LSOA vintage would code them
    recoded = tmp_path / "2019-01-bedfordshire-street.csv"
    with recoded.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for r in rows:
            if r["LSOA name"].startswith("Luton "):
                r = {**r, "LSOA code": "E0104" + r["LSOA code"][-4:]}
            w.writerow(r)
    [result] = load_police_uk(beds, [recoded])
    n_luton = _file_counts(BEDS)["Luton"]
    assert result.rows_loaded + result.rows_quarantined == len(rows)
    said = [n for n in result.notes if "not in this warehouse's lsoas lookup" in n]
    assert said and said[0].startswith(f"{n_luton:,} rows have LSOA codes"), result.notes
    counts = _file_counts(BEDS)
    assert _flags(beds)[("Bedfordshire Police", True)] == (
        counts["Bedford"] + counts["Central Bedfordshire"]
    )
