"""A bulk-built national warehouse checks its force tables' keys by query instead of indexing
them (their indexes cannot fit in memory at 43 forces), and refuses what an index would."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from forcepack.contract.ddl import create_statement
from forcepack.contract.spec import TABLES
from forcepack.errors import DataError, WarehouseError
from forcepack.warehouse.bulk import load_parquet
from forcepack.warehouse.core import keys_checked
from forcepack.warehouse.sql import ident, lit
from rows import row


def _parquet(tmp_path: Path, name: str, rows: list[dict]) -> Path:
    """``rows`` of contract table ``name`` as a Parquet file with the contract's types."""
    con = duckdb.connect()
    con.execute(create_statement(TABLES[name], index_keys=False))
    cols = TABLES[name].column_names
    con.executemany(
        f"INSERT INTO {ident(name)} VALUES ({', '.join('?' for _ in cols)})",
        [[r[c] for c in cols] for r in rows],
    )
    path = tmp_path / f"{name}-{len(list(tmp_path.iterdir()))}.parquet"
    con.execute(f"COPY {ident(name)} TO {lit(path)} (FORMAT parquet)")
    con.close()
    return path


def _keys(db: Path) -> list[tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT table_name, constraint_type FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY' ORDER BY 1"
        ).fetchall()
    finally:
        con.close()


def test_checked_keys_leave_force_tables_unindexed_and_load_every_row(tmp_path: Path) -> None:
    crimes = _parquet(tmp_path, "crimes", [row("crimes", crime_id=f"C{i}") for i in range(3)])
    db = tmp_path / "w.duckdb"
    assert load_parquet(db, {"crimes": [crimes]}, replace=True, index_keys=False) == {"crimes": 3}
    keyed = {t for t, _ in _keys(db)}
    assert "crimes" not in keyed and "calls" not in keyed  # force tables: checked by query
    assert "crime_harm" not in keyed  # derived: one row per checked key, by construction
    assert {"districts", "offences", "forcepack_meta"} <= keyed  # still indexed
    con = duckdb.connect(str(db), read_only=True)
    assert keys_checked(con)
    con.close()
    # the default stays indexed
    indexed = tmp_path / "i.duckdb"
    load_parquet(indexed, {"crimes": [crimes]}, replace=True)
    assert "crimes" in {t for t, _ in _keys(indexed)}
    con = duckdb.connect(str(indexed), read_only=True)
    assert not keys_checked(con)
    con.close()


def test_a_repeated_key_across_files_refuses_the_whole_load(tmp_path: Path) -> None:
    a = _parquet(tmp_path, "crimes", [row("crimes", crime_id="C1"), row("crimes", crime_id="C2")])
    b = _parquet(tmp_path, "crimes", [row("crimes", crime_id="C2")])
    victims = _parquet(tmp_path, "crime_victims", [row("crime_victims", crime_id="C1")])
    db = tmp_path / "w.duckdb"
    with pytest.raises(DataError, match=r"crimes: the key \(crime_id\) = \(C2\) appears 2 times"):
        load_parquet(
            db, {"crimes": [a, b], "crime_victims": [victims]}, replace=True, index_keys=False
        )
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM crimes").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM crime_victims").fetchone() == (0,)
    con.close()


def test_a_composite_key_is_checked_whole(tmp_path: Path) -> None:
    rows = [row("crime_victims", crime_id="C1", victim_id=v) for v in ("V1", "V2")]
    ok = _parquet(tmp_path, "crime_victims", rows)
    db = tmp_path / "w.duckdb"
    assert load_parquet(db, {"crime_victims": [ok]}, replace=True, index_keys=False) == {
        "crime_victims": 2
    }
    twice = _parquet(tmp_path, "crime_victims", rows[:1])
    with pytest.raises(DataError, match=r"\(crime_id, victim_id\) = \(C1, V1\) appears 2"):
        load_parquet(db, {"crime_victims": [ok, twice]}, replace=True, index_keys=False)


def test_extracts_are_never_merged_into_a_checked_keys_warehouse(tmp_path: Path) -> None:
    from forcepack.ingest.load import writable

    crimes = _parquet(tmp_path, "crimes", [row("crimes", crime_id="C1")])
    db = tmp_path / "w.duckdb"
    load_parquet(db, {"crimes": [crimes]}, replace=True, index_keys=False)
    with pytest.raises(WarehouseError, match="keys checked, not indexed"), writable(db):
        pass


@pytest.mark.slow
def test_derived_tables_are_unindexed_and_hold_what_an_indexed_warehouse_derives(
    tmp_path: Path,
) -> None:
    from forcepack.derive import derive

    crimes = _parquet(tmp_path, "crimes", [row("crimes", crime_id=f"C{i}") for i in range(4)])
    victims = _parquet(
        tmp_path, "crime_victims", [row("crime_victims", crime_id=f"C{i}") for i in range(4)]
    )
    district = _parquet(tmp_path, "districts", [row("districts", district_code="E07000008")])
    files = {"districts": [district], "crimes": [crimes], "crime_victims": [victims]}
    built = {}
    for name, index_keys in (("checked", False), ("indexed", True)):
        db = tmp_path / f"{name}.duckdb"
        load_parquet(db, files, replace=True, index_keys=index_keys)
        derive(db, full=True)
        keyed = {t for t, _ in _keys(db)}
        derived = {"crime_harm", "victim_harm", "victim_care_victims", "working_days"}
        assert not derived & keyed  # by construction, in either warehouse
        assert ("crimes" in keyed) == (name == "indexed")
        con = duckdb.connect(str(db), read_only=True)
        built[name] = [
            con.execute(f"SELECT * FROM {ident(t)} ORDER BY ALL").fetchall()
            for t in ("crime_harm", "victim_harm", "victim_care_victims")
        ]
        con.close()
    assert built["checked"] == built["indexed"]
    assert len(built["checked"][0]) == 4 and len(built["checked"][2]) == 4


@pytest.mark.parametrize("index_keys", [True, False])
def test_a_derived_table_loaded_in_bulk_has_its_key_checked(
    tmp_path: Path, index_keys: bool
) -> None:
    """A derived table's key is never indexed, so a bulk load of its rows checks it by query,
    in either kind of warehouse."""
    rows = [row("crime_harm", crime_id="C1"), row("crime_harm", crime_id="C1")]
    harm = _parquet(tmp_path, "crime_harm", rows)
    db = tmp_path / "w.duckdb"
    with pytest.raises(DataError, match=r"crime_harm: the key \(crime_id\) = \(C1\) appears 2"):
        load_parquet(db, {"crime_harm": [harm]}, replace=True, index_keys=index_keys)
