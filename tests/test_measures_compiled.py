"""Compiled SQL: one query text for every set of periods, kept between runs, never trusted
blindly (forcepack.measures.compiled)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

import forcepack
from force_helpers import create_force
from forcepack.measures import compiled, compute, engine
from rows import insert as insert_rows


def _crimes(db: Path, months: list[str]) -> None:
    rows = [
        {
            "crime_id": f"c{i}-{m}",
            "recorded_at": pd.Timestamp(f"{m}-0{1 + i}"),
            "offence_code": "8N",
            "district_code": "E07000008",
            "status": "open",
            "next_review_due": dt.date(2030, 1, 1),
        }
        for m in months
        for i in range(int(m[-2:]) % 4 + 1)  # 2, 3, 4, 1 crimes in Jan ... Apr
    ]
    con = duckdb.connect(str(db))
    try:
        insert_rows(con, "crimes", rows)
    finally:
        con.close()


def _figures(db: Path) -> dict[tuple[str, str, dt.date], Any]:
    """Recorded crime in the month and rolling 3 months (a window map and a rollup), and the
    open investigations at each month end (period ends): every helper table a query reads."""
    out: dict[tuple[str, str, dt.date], Any] = {}
    for mid in ("crime.recorded", "investigations.average_length_days"):
        df = compute(mid, db=db, window=["month", "rolling:3"], cache_results=False)
        for r in df.itertuples():
            out[(mid, r.window, r.period_end)] = (r.value, r.n)
    return out


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of its own in an empty folder, and no SQL kept in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(compiled.CACHE_ENV, str(folder))
    monkeypatch.setattr(compiled, "STORE", compiled.CompiledSQL())
    monkeypatch.setattr(engine, "_SQL_CACHE", {})
    return folder


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = engine.duckdb_sql

    def counted(expr: Any) -> str:
        calls[0] += 1
        return real(expr)

    monkeypatch.setattr(engine, "duckdb_sql", counted)
    return calls


def test_one_query_text_serves_every_set_of_periods(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two warehouses whose data span other months: the second is computed from the SQL the
    # first compiled (no compile at all) and gives what compiling afresh gives
    a, b = create_force(tmp_path / "a.duckdb"), create_force(tmp_path / "b.duckdb")
    _crimes(a, ["2019-01", "2019-02", "2019-03"])
    _crimes(b, ["2019-02", "2019-03", "2019-04", "2019-05", "2019-06"])
    calls = _count_compiles(monkeypatch)
    _figures(a)
    assert calls[0] > 0
    before = calls[0]
    reused = _figures(b)
    assert calls[0] == before
    monkeypatch.setattr(engine, "_SQL_CACHE", {})
    monkeypatch.setattr(compiled, "STORE", compiled.CompiledSQL())
    monkeypatch.setenv(compiled.CACHE_ENV, "")
    fresh = _figures(b)
    assert calls[0] > before
    assert reused == fresh
    # worked by hand: Apr 2019 has 1 crime, rolling 3 to Apr = Feb 3 + Mar 4 + Apr 1
    assert fresh[("crime.recorded", "month", dt.date(2019, 4, 30))][0] == 1
    assert fresh[("crime.recorded", "rolling:3", dt.date(2019, 4, 30))][0] == 3 + 4 + 1
    # open investigations at the end of February: the 3 crimes of February, none older
    assert fresh[("investigations.average_length_days", "month", dt.date(2019, 2, 28))][1] == 3


def test_sql_kept_by_one_run_is_read_by_the_next(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = create_force(tmp_path / "w.duckdb")
    _crimes(db, ["2019-01", "2019-02", "2019-03", "2019-04"])
    first = _figures(db)
    compiled.STORE.save()
    (kept,) = store.glob("compiled-sql-*.json")
    assert kept.stat().st_mode & 0o777 == 0o600
    assert store.stat().st_mode & 0o777 == 0o700
    assert len(json.loads(kept.read_text())) > 0
    # the next run: nothing kept in the process, and compiling is not possible
    monkeypatch.setattr(engine, "_SQL_CACHE", {})
    monkeypatch.setattr(compiled, "STORE", compiled.CompiledSQL())

    def refuse(expr: Any) -> str:
        raise AssertionError("compiled again")

    monkeypatch.setattr(engine, "duckdb_sql", refuse)
    assert _figures(db) == first


@pytest.mark.parametrize("damage", ["others may write it", "not JSON", "not a mapping"])
def test_a_file_others_may_write_or_a_damaged_one_is_ignored(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    db = create_force(tmp_path / "w.duckdb")
    _crimes(db, ["2019-01", "2019-02"])
    first = _figures(db)
    compiled.STORE.save()
    (kept,) = store.glob("compiled-sql-*.json")
    if damage == "others may write it":
        # a query planted by someone else must never run: here one that gives other figures
        planted = {k: "SELECT 1 AS planted" for k in json.loads(kept.read_text())}
        kept.write_text(json.dumps(planted))
        os.chmod(kept, 0o666)
    elif damage == "not JSON":
        kept.write_text('{"truncated')
    else:
        kept.write_text("[1, 2]")
    monkeypatch.setattr(engine, "_SQL_CACHE", {})
    monkeypatch.setattr(compiled, "STORE", compiled.CompiledSQL())
    calls = _count_compiles(monkeypatch)
    assert _figures(db) == first
    assert calls[0] > 0


def test_an_empty_folder_setting_turns_the_file_off(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(compiled.CACHE_ENV, "")
    assert compiled.folder() is None
    db = create_force(tmp_path / "w.duckdb")
    _crimes(db, ["2019-01"])
    _figures(db)
    compiled.STORE.save()
    assert not store.exists()


def test_the_file_follows_the_code_that_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    before = compiled._stamp()
    monkeypatch.setattr(forcepack, "__version__", forcepack.__version__ + ".test")
    assert compiled._stamp() != before
