"""A force's own geography: any number of districts, its own area names, reference lists that
load whole or not at all and never drop a code in use."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcepack.errors import DataError
from forcepack.ingest import load_extract
from forcepack.measures import compute
from forcepack.warehouse import connect, create, data_hash
from ingest_helpers import CRIME_HEADER, crime, fetch, write_csv

DISTRICT_HEADER = [
    "district_code",
    "district_name",
    "area",
    "force",
    "population",
    "population_year",
]
#: A made-up force of seven districts in three areas (none of the demo's names or codes).
WESSEX = [
    ["W01", "Avonmouth", "West", "Wessex Police", "120000", "2021"],
    ["W02", "Brent Knoll", "West", "Wessex Police", "80000", "2021"],
    ["C01", "Castleford", "Central", "Wessex Police", "150000", "2021"],
    ["C02", "Dunmere", "Central", "Wessex Police", "60000", "2021"],
    ["E01", "Eastry", "East", "Wessex Police", "90000", "2021"],
    ["E02", "Fordwich", "East", "Wessex Police", "70000", "2021"],
    ["E03", "Gosmore", "East", "Wessex Police", "50000", "2021"],
]
NB_HEADER = ["neighbourhood_code", "district_code", "neighbourhood_name"]


def _hash(db: Path) -> str:
    con = connect(db)
    try:
        return data_hash(con)
    finally:
        con.close()


@pytest.fixture
def wessex(tmp_path: Path) -> Path:
    db = create(tmp_path / "wessex.duckdb")
    r = load_extract(
        db, "districts", write_csv(tmp_path / "districts.csv", DISTRICT_HEADER, WESSEX)
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (7, 7, 0)
    return db


def test_three_areas_with_their_own_names_load_and_cut_measures(
    wessex: Path, tmp_path: Path
) -> None:
    rows = [crime(i, district_code=WESSEX[i % 7][0]) for i in range(70)]
    r = load_extract(wessex, "crimes", write_csv(tmp_path / "crimes.csv", CRIME_HEADER, rows))
    assert r.rows_quarantined == 0
    got = compute("crime.recorded", db=wessex, months=["2019-11"], by="area")
    assert dict(zip(got["area"], got["value"], strict=True)) == {
        "Central": 20,
        "East": 30,
        "West": 20,
    }


def test_a_district_of_another_force_is_refused_for_crimes(wessex: Path, tmp_path: Path) -> None:
    """The demo force's districts are not in a new force's warehouse."""
    rows = [crime(0, district_code="E07000008")]
    r = load_extract(wessex, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, rows))
    assert (r.rows_loaded, r.rows_quarantined) == (0, 1)
    (rule,) = fetch(wessex, "SELECT rule FROM quarantine WHERE table_name = 'crimes'")
    assert rule == ("reference",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"area": "west"}, 'spelt more than one way ("West" at row 1, "west" at row 2)'),
        ({"population": "0"}, "population"),
        ({"district_code": "W01"}, "key W01 appeared earlier in the file (row 1)"),
        ({"area": ""}, "area"),
    ],
    ids=["area-spelt-two-ways", "zero-population", "district-twice", "no-area"],
)
def test_a_bad_districts_file_is_refused_whole_and_changes_nothing(
    wessex: Path, tmp_path: Path, change: dict[str, str], message: str
) -> None:
    before = _hash(wessex)
    row = dict(zip(DISTRICT_HEADER, WESSEX[1], strict=True)) | change
    rows = [WESSEX[0], [row[h] for h in DISTRICT_HEADER], *WESSEX[2:]]
    with pytest.raises(DataError, match="was not loaded") as err:
        load_extract(wessex, "districts", write_csv(tmp_path / "bad.csv", DISTRICT_HEADER, rows))
    assert message in str(err.value)
    assert "row 2" in str(err.value)
    assert _hash(wessex) == before
    assert fetch(wessex, "SELECT count(*) FROM quarantine") == [(0,)]


def test_a_neighbourhood_in_an_unknown_district_is_refused(wessex: Path, tmp_path: Path) -> None:
    rows = [["W01-1", "W01", "Avonmouth Docks"], ["X99-1", "X99", "Nowhere"]]
    with pytest.raises(DataError, match=r"nb.csv row 2: .*X99"):
        load_extract(wessex, "neighbourhoods", write_csv(tmp_path / "nb.csv", NB_HEADER, rows))
    assert fetch(wessex, "SELECT count(*) FROM neighbourhoods") == [(0,)]


def test_a_superseding_list_replaces_the_old_one(wessex: Path, tmp_path: Path) -> None:
    smaller = WESSEX[:5]
    r = load_extract(wessex, "districts", write_csv(tmp_path / "d2.csv", DISTRICT_HEADER, smaller))
    assert r.rows_loaded == 5
    assert any("2 districts row(s) not in d2.csv were removed" in n for n in r.notes)
    assert fetch(wessex, "SELECT count(*) FROM districts") == [(5,)]


def test_a_list_may_not_drop_a_code_in_use(wessex: Path, tmp_path: Path) -> None:
    rows = [crime(i, district_code="E03") for i in range(3)]
    load_extract(wessex, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, rows))
    before = _hash(wessex)
    with pytest.raises(DataError, match=r"lacks district_code values .*E03 \(3 crimes\)"):
        load_extract(
            wessex, "districts", write_csv(tmp_path / "d3.csv", DISTRICT_HEADER, WESSEX[:6])
        )
    assert _hash(wessex) == before


def test_an_offence_list_missing_a_code_in_use_is_refused(wessex: Path, tmp_path: Path) -> None:
    rows = [crime(1, district_code="W01")]
    load_extract(wessex, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, rows))
    con = connect(wessex)
    header = [d[0] for d in con.execute("SELECT * FROM offences LIMIT 0").description]
    offences = con.execute("SELECT * FROM offences WHERE offence_code <> '8N'").fetchall()
    con.close()
    text = [["" if v is None else str(v) for v in row] for row in offences]
    with pytest.raises(
        DataError, match=r"offence_code values that loaded crimes.offence_code use: 8N"
    ):
        load_extract(wessex, "offences", write_csv(tmp_path / "o.csv", header, text))
