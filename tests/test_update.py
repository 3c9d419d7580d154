"""``forcepack update``: a folder of a month's extracts loaded, derived and refreshed at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from forcepack.cli.main import cli
from forcepack.errors import ConfigError, InputError
from forcepack.ingest.columns import read_column_map
from forcepack.update import plan, table_for, update
from forcepack.warehouse import create
from ingest_helpers import CRIME_HEADER, crime, fetch, write_csv
from test_force_geography import DISTRICT_HEADER, WESSEX


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("crimes.csv", "crimes"),
        ("crimes-2019-12.xlsx", "crimes"),
        ("2019-12_crime_victims.parquet", "crime_victims"),
        ("Crime Victims Dec 2019.csv", "crime_victims"),
        ("victim_contacts.csv", "victim_contacts"),
        ("districts.csv", "districts"),
        ("export.csv", None),
        ("crimesdec.csv", None),
    ],
)
def test_a_files_table_comes_from_its_name(tmp_path: Path, name: str, table: str | None) -> None:
    path = tmp_path / name
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    assert table_for(path) == table


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "2019-11"
    folder.mkdir()
    rows = [crime(i, district_code=WESSEX[i % 7][0]) for i in range(14)]
    write_csv(folder / "crimes-2019-11.csv", CRIME_HEADER, rows)
    write_csv(folder / "districts.csv", DISTRICT_HEADER, WESSEX)
    (folder / "README.txt").write_text("the November extracts\n", encoding="utf-8")
    return folder


def test_reference_lists_load_first_and_others_are_skipped(tmp_path: Path) -> None:
    files, skipped = plan(_folder(tmp_path))
    assert [(f.path.name, f.table) for f in files] == [
        ("districts.csv", "districts"),
        ("crimes-2019-11.csv", "crimes"),
    ]
    assert [s.name for s in skipped] == ["README.txt"]


@pytest.mark.slow
def test_update_loads_derives_and_refreshes(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    steps: list[tuple[str, int, int]] = []
    result = update(db, _folder(tmp_path), progress=lambda *s: steps.append(s))
    assert [(r.table, r.rows_read, r.rows_loaded) for r in result.loads] == [
        ("districts", 7, 7),
        ("crimes", 14, 14),
    ]
    assert result.derived and result.harm_crimes == 14
    assert result.measures_refreshed > 0
    assert {s[0] for s in steps} == {"load", "derive", "refresh"}
    stored = fetch(db, "SELECT count(*) FROM measure_results WHERE measure_id = 'crime.recorded'")
    assert stored[0][0] > 0
    again = update(db, tmp_path / "2019-11")
    assert not again.derived  # the same files again: already loaded, nothing to rebuild


@pytest.mark.slow
def test_an_unrecognised_file_stops_the_update_before_anything_loads(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    folder = _folder(tmp_path)
    write_csv(folder / "export1.csv", CRIME_HEADER, [crime(99, district_code="W01")])
    with pytest.raises(InputError, match=r"cannot tell which table export1\.csv is for"):
        update(db, folder)
    assert fetch(db, "SELECT count(*) FROM load_log") == [(0,)]
    result = update(db, folder, tables={"export1.csv": "crimes"}, refresh=False)
    assert sum(r.rows_loaded for r in result.loads if r.table == "crimes") == 15


def test_a_force_maps_its_own_column_names(tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[crimes]\n"Crime Ref" = "crime_id"\n"Date Recorded" = "recorded_at"\n', encoding="utf-8"
    )
    folder = _folder(tmp_path)
    header = ["Crime Ref", "Date Recorded", *CRIME_HEADER[2:]]
    rows = [crime(i, district_code="W02") for i in range(100, 103)]
    (folder / "crimes-2019-11.csv").unlink()
    write_csv(folder / "crimes-2019-11.csv", header, rows)
    db = create(tmp_path / "w.duckdb")
    result = update(db, folder, columns=read_column_map(mapping), refresh=False)
    assert [r.rows_loaded for r in result.loads] == [7, 3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[crimes]\n"Ref" = "crime_ref"\n', "\"Ref\" = 'crime_ref' is not a crimes column"),
        ('[crimes]\n"A" = "crime_id"\n"B" = "crime_id"\n', '"A" and "B" are both mapped'),
        ('[crime]\n"A" = "crime_id"\n', r"\[crime\] is not a contract table"),
        ("[crimes\n", "not valid TOML"),
    ],
)
def test_a_bad_mapping_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "map.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_column_map(path)


def test_cli_update_summarises(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    got = CliRunner().invoke(
        cli, ["update", str(_folder(tmp_path)), "--db", str(db), "--no-refresh"]
    )
    assert got.exit_code == 0, got.output
    assert "2 file(s): read 21 = loaded 21 + quarantined 0" in got.output
    assert "skipped README.txt" in got.output
    assert "derived: harm for 14 crimes" in got.output


def test_an_update_swaps_in_a_new_file_and_a_failed_one_changes_nothing(tmp_path: Path) -> None:
    from forcepack.errors import DataError
    from forcepack.warehouse import connect, data_hash

    db = create(tmp_path / "w.duckdb")
    folder = _folder(tmp_path)
    reader = connect(db)  # a dashboard worker holding the warehouse open while it is updated
    try:
        update(db, folder, refresh=False)
        assert reader.execute("SELECT count(*) FROM crimes").fetchone() == (0,)  # its own file
    finally:
        reader.close()
    assert fetch(db, "SELECT count(*) FROM crimes") == [(14,)]
    assert not (tmp_path / "w.duckdb.updating").exists()
    before = data_hash(connect(db))
    bad = tmp_path / "2019-12"
    bad.mkdir()
    write_csv(bad / "crimes-2019-12.csv", CRIME_HEADER, [crime(500, district_code="W01")])
    write_csv(bad / "districts.csv", DISTRICT_HEADER, [WESSEX[0], [*WESSEX[1][:4], "0", "2021"]])
    with pytest.raises(DataError, match="was not loaded"):
        update(db, bad, refresh=False)
    assert data_hash(connect(db)) == before  # not even the crimes before the refusal
    assert not (tmp_path / "w.duckdb.updating").exists()
