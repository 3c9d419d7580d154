"""One way to name a place: code or name, any case, against the warehouse's own tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from forcepack.errors import InputError
from forcepack.names import Place, did_you_mean, resolve_place, suggest
from forcepack.warehouse import create

# A force that is not the demo's: other codes, other areas, two neighbourhoods of one name.
DISTRICTS = [
    ("D1", "Riverside", "Metro", "Other Force", 100_000, 2019),
    ("D2", "Hillford", "Metro", "Other Force", 80_000, 2019),
    ("D3", "Moorland", "Rural", "Other Force", 40_000, 2019),
]
NEIGHBOURHOODS = [
    ("N1", "D1", "Town Centre"),
    ("N2", "D2", "Town Centre"),
    ("N3", "D3", "Moor Edge"),
]


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    db = create(tmp_path / "other.duckdb")
    c = duckdb.connect(str(db))
    c.execute("DELETE FROM districts")
    c.executemany("INSERT INTO districts VALUES (?, ?, ?, ?, ?, ?)", DISTRICTS)
    c.executemany("INSERT INTO neighbourhoods VALUES (?, ?, ?)", NEIGHBOURHOODS)
    return c


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("district", "D2", Place("district", "D2", "Hillford")),
        ("district", "d2", Place("district", "D2", "Hillford")),
        ("district", "hillford", Place("district", "D2", "Hillford")),
        ("district", "  Moorland ", Place("district", "D3", "Moorland")),
        ("area", "metro", Place("area", "Metro", "Metro")),
        ("area", "RURAL", Place("area", "Rural", "Rural")),
        ("neighbourhood", "n3", Place("neighbourhood", "N3", "Moor Edge")),
        ("neighbourhood", "moor edge", Place("neighbourhood", "N3", "Moor Edge")),
    ],
)
def test_a_code_or_a_name_in_any_case(
    con: duckdb.DuckDBPyConnection, kind: str, value: str, expected: Place
) -> None:
    assert resolve_place(con, kind, value) == expected


def test_the_demo_areas_are_not_assumed(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError, match=r'--area "North" is not an area name') as err:
        resolve_place(con, "area", "North")
    assert "Metro, Rural" in str(err.value)


def test_an_ambiguous_name_is_refused_with_the_candidates(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with pytest.raises(InputError) as err:
        resolve_place(con, "neighbourhood", "town centre")
    message = str(err.value)
    assert "2 neighbourhoods have that name: N1 (Town Centre), N2 (Town Centre)" in message
    assert "give the neighbourhood code instead" in message


def test_a_mistyped_name_gets_a_did_you_mean(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError) as err:
        resolve_place(con, "district", "Riversde", option="--district")
    message = str(err.value)
    assert message.startswith('--district "Riversde" is not a district code or name')
    assert 'did you mean "Riverside"?' in message
    assert "D1 (Riverside), D2 (Hillford), D3 (Moorland)" in message
    assert "\n" not in message


def test_nothing_close_lists_what_is_known(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError) as err:
        resolve_place(con, "neighbourhood", "zzzz")
    assert "did you mean" not in str(err.value)
    assert "N3 (Moor Edge)" in str(err.value)
    with pytest.raises(InputError, match="empty value"):
        resolve_place(con, "district", "  ")


def test_suggest_is_case_insensitive_and_best_first() -> None:
    assert suggest("CAMBRIGE", ["Peterborough", "Cambridge", "Fenland"]) == ["Cambridge"]
    assert did_you_mean("crime.recordd", ["crime.recorded", "demand.calls_999"]) == (
        'did you mean "crime.recorded"?'
    )
    assert did_you_mean("qqq", ["crime.recorded"]) == ""


def test_every_list_command_takes_a_name_where_it_took_a_code(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The breach list took only a district code; now the same resolver serves it."""
    from forcepack.compliance.breaches import resolve_scope as breach_scope
    from forcepack.harm import resolve_scope as harm_scope

    assert breach_scope(con, area=None, district="hillford") == (
        "district_code",
        "D2",
        "district D2 (Hillford)",
    )
    assert breach_scope(con, area="rural", district=None) == ("area", "Rural", "area Rural")
    assert harm_scope(con, "district", "HILLFORD").code == "D2"
    assert harm_scope(con, "area", "metro").code == "Metro"
    with pytest.raises(InputError, match="did you mean"):
        breach_scope(con, area=None, district="Hilford")


def test_breaches_command_takes_a_district_name(
    empty_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from forcepack.cli.main import main

    db = str(empty_warehouse)
    main(["victims", "build", "--db", db])
    capsys.readouterr()
    for district in ("E07000008", "cambridge", "CAMBRIDGE"):
        main(["victims", "breaches", "--db", db, "--month", "2019-12", "--district", district])
        out = capsys.readouterr().out
        assert out.startswith("0 breaches for district E07000008 (Cambridge), 2019-12"), out
    with pytest.raises(SystemExit) as exit_info:
        main(["victims", "breaches", "--db", db, "--month", "2019-12", "--district", "Cambrdge"])
    assert exit_info.value.code == 2
    assert 'did you mean "Cambridge"?' in capsys.readouterr().err
