"""A month's update rebuilds only what it touched, and leaves exactly what a full rebuild does.

A small copy of the demo warehouse (one district, two years) is split: December 2019 held out
as that month's extracts (new crimes, outcomes of older ones, events, contacts). The warehouse
without it is derived in full; loading the month with ``forcepack update`` then rebuilds only
the changed crimes. Every row of every derived table must equal a full rebuild of the same
data, and the freshness stamps must say the tables describe the data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from forcepack.contract.spec import TABLES, Role
from forcepack.derive import derive
from forcepack.update import update
from forcepack.warehouse import connect, freshness
from forcepack.warehouse.sql import ident, ident_list
from holdout_helpers import differences, hold_out, smallest_district_copy

MONTH = dt.date(2019, 12, 1)


@pytest.fixture(scope="module")
def small(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    return smallest_district_copy(demo_warehouse, root / "small.duckdb")


def _full(src: Path, dest: Path) -> Path:
    shutil.copy2(src, dest)
    derive(dest, full=True)
    return dest


def _cols(table: str) -> str:
    """The table's contract columns, as a subquery (the rows as an extract holds them)."""
    return f"(SELECT {ident_list(TABLES[table].column_names)} FROM {ident(table)})"


def _repeated_keys(db: Path) -> dict[str, int]:
    """Per derived table with a key: how many of its key values appear more than once (none
    may: the keys are not indexed, they hold by construction)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in TABLES.values():
            if t.role is Role.DERIVED and t.key:
                (n,) = con.execute(  # type: ignore[misc]
                    f"SELECT count(*) FROM (SELECT {ident_list(t.key)} FROM {ident(t.name)} "
                    "GROUP BY ALL HAVING count(*) > 1)"
                ).fetchone()
                out[t.name] = int(n)
        return out
    finally:
        con.close()


def _stale(db: Path) -> list[freshness.Stale]:
    con = connect(db)
    try:
        return freshness.stale(con)
    finally:
        con.close()


def test_a_held_out_month_loaded_equals_a_full_rebuild(small: Path, tmp_path: Path) -> None:
    base, folder = tmp_path / "base.duckdb", tmp_path / "2019-12"
    rows = hold_out(small, base, folder, MONTH)
    assert rows["crimes"] > 0 and rows["victim_contacts"] > 0
    derive(base, full=True)
    assert differences(_full(small, tmp_path / "full.duckdb"), base) != {}  # the month is out

    result = update(base, folder, refresh=False)
    assert result.derive_how == {"harm": "changed", "victim care": "changed"}
    assert result.changed_crimes is not None and 0 < result.changed_crimes < result.harm_crimes
    assert differences(tmp_path / "full.duckdb", base, results=False) == {}
    assert _stale(base) == []
    repeated = _repeated_keys(base)
    assert "crime_harm" in repeated and "victim_care_victims" in repeated
    assert set(repeated.values()) == {0}


def test_a_corrected_re_extract_equals_a_full_rebuild(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy2(small, db)
    derive(db, full=True)
    folder = tmp_path / "corrected"
    folder.mkdir()
    con = duckdb.connect(str(db))
    try:
        # five crimes re-extracted with another offence, one victim's contract changed, two
        # contacts re-dated
        con.execute(
            "COPY (SELECT * REPLACE ("
            f"(SELECT min(offence_code) FROM offences) AS offence_code) FROM {_cols('crimes')} "
            "WHERE offence_code <> (SELECT min(offence_code) FROM offences) "
            f"ORDER BY crime_id LIMIT 5) TO '{folder / 'crimes.parquet'}' (FORMAT parquet)"
        )
        con.execute(
            "COPY (SELECT * REPLACE (true AS vcc_agreed, 7 AS vcc_contact_days) "
            f"FROM {_cols('crime_victims')} ORDER BY crime_id DESC LIMIT 1) "
            f"TO '{folder / 'crime_victims.parquet'}' (FORMAT parquet)"
        )
        con.execute(
            "COPY (SELECT * REPLACE (contact_at + INTERVAL 20 DAY AS contact_at) "
            f"FROM {_cols('victim_contacts')} ORDER BY contact_id LIMIT 2) "
            f"TO '{folder / 'victim_contacts.parquet'}' (FORMAT parquet)"
        )
    finally:
        con.close()
    result = update(db, folder, refresh=False)
    assert sum(r.updated for r in result.loads) == 8
    assert result.derive_how == {"harm": "changed", "victim care": "changed"}
    full = _full(db, tmp_path / "full.duckdb")
    assert differences(full, db, results=False) == {}
    assert _stale(db) == []
    assert set(_repeated_keys(db).values()) == set(_repeated_keys(full).values()) == {0}


def test_a_changed_reference_list_rebuilds_everything(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy2(small, db)
    derive(db, full=True)
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "UPDATE offences SET harm_days = harm_days + 1 WHERE offence_code = "
            "(SELECT min(offence_code) FROM crimes)"
        )
    finally:
        con.close()
    result = derive(db)
    assert result.how == {"harm": "full", "victim care": "full"}
    assert differences(_full(db, tmp_path / "full.duckdb"), db, results=False) == {}


def _as_an_older_forcepack_made_it(db: Path, table: str, ddl: str | None = None) -> None:
    """Replace ``table`` by a copy of its rows in another shape, as an older forcepack made it:
    ``ddl`` creating table ``older``, or (None) every column stored as a plain column."""
    from forcepack.warehouse.core import shaped_as_contract

    con = duckdb.connect(str(db))
    try:
        assert shaped_as_contract(con, table)
        if ddl is None:
            con.execute(f"CREATE TABLE older AS SELECT * FROM {ident(table)}")
        else:
            con.execute(ddl)
            con.execute(f"INSERT INTO older SELECT * FROM {ident(table)}")
        con.execute(f"DROP TABLE {ident(table)}")
        con.execute(f"ALTER TABLE older RENAME TO {ident(table)}")
        assert not shaped_as_contract(con, table)
    finally:
        con.close()


def test_a_table_made_by_an_older_forcepack_is_rebuilt_in_full(small: Path, tmp_path: Path) -> None:
    """An older forcepack stored ``obligation_id``; the contract now computes it when read. The
    next derive cannot append rows without it, so it rebuilds victim care in full, and the ids
    read are the ones stored."""
    from forcepack.warehouse.core import shaped_as_contract

    db = tmp_path / "w.duckdb"
    shutil.copy2(small, db)
    derive(db, full=True)
    con = duckdb.connect(str(db))
    try:
        ids = con.execute("SELECT obligation_id FROM victim_care_obligations ORDER BY 1").fetchall()
    finally:
        con.close()
    assert ids
    _as_an_older_forcepack_made_it(db, "victim_care_obligations")  # the id stored
    result = derive(db)
    assert result.how == {"harm": "changed", "victim care": "full"}
    con = duckdb.connect(str(db))
    try:
        assert shaped_as_contract(con, "victim_care_obligations")
        again = con.execute("SELECT obligation_id FROM victim_care_obligations ORDER BY 1")
        assert again.fetchall() == ids
    finally:
        con.close()
    assert differences(_full(db, tmp_path / "full.duckdb"), db, results=False) == {}


def test_nothing_changed_rebuilds_no_crime(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy2(small, db)
    derive(db, full=True)
    result = derive(db)
    assert result.changed_crimes == 0
    assert result.how == {"harm": "changed", "victim care": "changed"}
    assert differences(_full(db, tmp_path / "full.duckdb"), db, results=False) == {}


def test_an_indexed_derived_key_from_an_older_forcepack_is_rebuilt_without_it(
    small: Path, tmp_path: Path
) -> None:
    """An older forcepack declared (indexed) the derived tables' keys; the next derive rebuilds
    such a table in full, without the index, and the rows are those of a full rebuild."""
    from forcepack.contract.ddl import create_statement
    from forcepack.warehouse.core import shaped_as_contract

    db = tmp_path / "w.duckdb"
    shutil.copy2(small, db)
    derive(db, full=True)
    indexed = create_statement(TABLES["crime_harm"], name="older").replace(
        "\n);", ",\n    PRIMARY KEY (crime_id)\n);"
    )
    _as_an_older_forcepack_made_it(db, "crime_harm", indexed)
    result = derive(db)
    assert result.how == {"harm": "full", "victim care": "changed"}
    con = duckdb.connect(str(db))
    try:
        assert shaped_as_contract(con, "crime_harm")
        keyed = con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'crime_harm' "
            "AND constraint_type = 'PRIMARY KEY'"
        ).fetchone()
        assert keyed == (0,)
    finally:
        con.close()
    assert differences(_full(db, tmp_path / "full.duckdb"), db, results=False) == {}


def test_a_months_refresh_equals_recomputing_every_result(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from forcepack.measures import cache
    from forcepack.measures.refresh import refresh, refresh_file

    compute_module = importlib.import_module("forcepack.measures.compute")

    base, folder = tmp_path / "base.duckdb", tmp_path / "2019-12"
    hold_out(small, base, folder, MONTH)
    derive(base, full=True)
    refresh_file(base, incremental=True)
    followed: list[object] = []
    real = compute_module._merge

    def spy(*args: object, **kwargs: object) -> object:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        if out is not None:
            followed.append(out)
        return out

    monkeypatch.setattr(compute_module, "_merge", spy)
    update(base, folder, refresh=False)
    refresh_file(base, incremental=True)
    monkeypatch.undo()
    assert len(followed) > 100  # most results kept their earlier periods

    full = _full(base, tmp_path / "full.duckdb")
    con = connect(full, read_only=False)
    try:
        cache.clear(con)
        refresh(con, incremental=False)
    finally:
        con.close()
    assert differences(full, base) == {}
