"""Results are stored in the warehouse and reused until the definition or the data change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack.measures import compute
from forcepack.measures.engine import DuckDBEngine
from forcepack.measures.spec import parse_measure
from rows import insert


def add_crime(db: Path, cid: str, at: str) -> None:
    con = duckdb.connect(str(db))
    insert(con, "crimes", [{"crime_id": cid, "recorded_at": pd.Timestamp(at).to_pydatetime()}])
    con.close()


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    db = create_force(tmp_path / "cache.duckdb")
    add_crime(db, "a", "2019-01-05")
    return db


@pytest.fixture
def engine_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = DuckDBEngine.run

    def counting(self: DuckDBEngine, plan) -> pd.DataFrame:  # type: ignore[no-untyped-def]
        calls.append(plan.spec.id)
        return real(self, plan)

    monkeypatch.setattr(DuckDBEngine, "run", counting)
    return calls


def stored_rows(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM measure_results").fetchall()[0][0])
    finally:
        con.close()


def test_second_compute_reads_stored_results(wh: Path, engine_calls: list[str]) -> None:
    first = compute("crime.recorded", db=wh, by="area", cache_results=True)
    assert engine_calls == ["crime.recorded"] and stored_rows(wh) == len(first) == 2
    second = compute("crime.recorded", db=wh, by="area", cache_results=True)
    assert engine_calls == ["crime.recorded"]  # not recomputed
    pd.testing.assert_frame_equal(first, second)


def test_new_data_are_recomputed(wh: Path, engine_calls: list[str]) -> None:
    assert compute("crime.recorded", db=wh, cache_results=True)["value"].tolist() == [1]
    add_crime(wh, "b", "2019-01-06")
    assert compute("crime.recorded", db=wh, cache_results=True)["value"].tolist() == [2]
    assert engine_calls == ["crime.recorded", "crime.recorded"]


def test_changed_definition_window_or_cut_is_recomputed(wh: Path, engine_calls: list[str]) -> None:
    compute("crime.recorded", db=wh, cache_results=True)
    compute(
        "crime.recorded", db=wh, window="rolling:1", cache_results=True
    )  # rolling:1 is the month window
    compute("crime.recorded", db=wh, by="district", cache_results=True)
    spec = parse_measure(
        "crime.recorded",
        {
            "title": "t",
            "definition": "d",
            "kind": "count",
            "source": "crimes",
            "date": "recorded_at",
            "polarity": "neutral",
            "unit": "crimes",
            "filter": {"status": "finalised"},
        },
    )
    assert compute(spec, db=wh, cache_results=True).empty or compute(
        spec, db=wh, cache_results=True
    )["value"].tolist() == [0]
    assert engine_calls.count("crime.recorded") == 3


def test_read_only_connection_still_computes(wh: Path, engine_calls: list[str]) -> None:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        df = compute("crime.recorded", con=con)
    finally:
        con.close()
    assert df["value"].tolist() == [1] and stored_rows(wh) == 0


def test_default_reads_stored_results_but_never_opens_the_file_for_writing(
    wh: Path, engine_calls: list[str]
) -> None:
    compute("crime.recorded", db=wh)
    assert stored_rows(wh) == 0  # the file was only read
    compute("crime.recorded", db=wh, cache_results=True)
    compute("crime.recorded", db=wh)
    assert engine_calls == ["crime.recorded", "crime.recorded"]  # third call read the store


def test_a_writable_connection_stores_by_default(wh: Path, engine_calls: list[str]) -> None:
    con = duckdb.connect(str(wh))
    try:
        compute("crime.recorded", con=con)
        compute("crime.recorded", con=con)
    finally:
        con.close()
    assert engine_calls == ["crime.recorded"] and stored_rows(wh) == 1


@pytest.mark.slow
def test_refresh_stores_every_cut_and_prunes_results_of_old_data(
    wh: Path, engine_calls: list[str]
) -> None:
    from forcepack.measures import get
    from forcepack.measures.refresh import refresh_file

    cuts = 1 + len(get("crime.recorded").dimensions)  # force level and each dimension
    first = refresh_file(wh, ids=["crime.recorded"], windows=["month", "rolling12"])
    assert first.computations == cuts * 2 and first.pruned == 0
    assert len(engine_calls) == cuts  # one query per cut: rolling12 is summed from the months
    again = refresh_file(wh, ids=["crime.recorded"], windows=["month", "rolling12"])
    assert len(engine_calls) == cuts and again.rows == first.rows  # read back, not computed
    before = stored_rows(wh)
    add_crime(wh, "b", "2019-01-06")
    third = refresh_file(wh, ids=["crime.recorded"], windows=["month", "rolling12"])
    assert len(engine_calls) == 2 * cuts
    assert third.pruned == before and stored_rows(wh) == before  # the old data's rows went


@pytest.mark.parametrize("states_seen", [0, 63])
def test_a_refresh_reads_each_tables_contents_once(
    wh: Path, monkeypatch: pytest.MonkeyPatch, states_seen: int
) -> None:
    """Storing each cut's results changes the warehouse file but not its data, so a refresh
    fingerprints each table it reads once for its stored-result keys, and checks the derived
    tables' inputs once, not once per cut: at national scale that was 354 s of 785."""
    from forcepack.derive import derive_stale
    from forcepack.measures import get, state
    from forcepack.measures.refresh import cuts, refresh_file
    from forcepack.warehouse import core, freshness

    # a long-lived process (the test suite) has seen other warehouses' states: the one in use
    # is still remembered (it was forgotten when the states seen passed 64 during a refresh)
    monkeypatch.setattr(state, "_MEMOS", type(state._MEMOS)())
    for i in range(states_seen):
        state.memo_for(("another warehouse", i))
    con = core.connect(wh, read_only=False)
    derive_stale(con)  # built now, so the refresh below rebuilds nothing
    con.close()
    seen: list[str] = []
    real = core.fingerprints

    def counting(con: duckdb.DuckDBPyConnection, tables):  # type: ignore[no-untyped-def]
        names = sorted(set(tables))
        seen.extend(names)
        return real(con, names)

    monkeypatch.setattr(core, "fingerprints", counting)
    monkeypatch.setattr(freshness, "fingerprints", counting)
    ids = ["crime.recorded", "victims.vcc_compliance"]
    assert len(cuts(ids)) > 3 and get(ids[1]).source == "victim_care_obligations"
    refresh_file(wh, ids=ids, windows=["month"])
    assert seen.count("victim_care_obligations") == 1
    assert seen.count("crimes") == 2  # the derived tables' freshness check and the key


def test_the_board_paper_reads_stored_results(wh: Path, engine_calls: list[str]) -> None:
    from forcepack.derive import derive
    from forcepack.measures.refresh import refresh_file
    from forcepack.report.data import MeasureData

    derive(wh)  # the paper refuses derived tables older than the data
    refresh_file(wh, ids=["crime.recorded"], windows=["month"])
    calls = len(engine_calls)
    con = duckdb.connect(str(wh), read_only=True)
    try:
        data = MeasureData(con)
        frame = data.frame("crime.recorded", "month", ("area",))
    finally:
        con.close()
    assert len(engine_calls) == calls  # read, not computed
    assert frame.set_index("area")["value"].to_dict() == {"North": 0, "South": 1}


def test_stored_results_keep_two_dimensions_and_unknown_groups(
    wh: Path, engine_calls: list[str]
) -> None:
    con = duckdb.connect(str(wh))
    con.execute("UPDATE crimes SET district_code = 'E99999999', domestic_abuse = TRUE")
    con.close()
    first = compute("crime.recorded", db=wh, by=("crime_flag", "district"), cache_results=True)
    second = compute("crime.recorded", db=wh, by=("crime_flag", "district"), cache_results=True)
    assert len(engine_calls) == 1
    pd.testing.assert_frame_equal(first, second)
    unknown = second[second["district"].isna()]
    assert unknown[["crime_flag", "value"]].values.tolist() == [["domestic_abuse", 1.0]]


def test_a_measure_asked_for_twice_is_stored_once(wh: Path) -> None:
    first = compute(["crime.recorded", "crime.recorded"], db=wh, cache_results=True)
    assert len(first) == 2 and stored_rows(wh) == 1
    again = compute(["crime.recorded", "crime.recorded"], db=wh, cache_results=True)
    pd.testing.assert_frame_equal(first, again)


@pytest.mark.parametrize("cache_results", [None, False])
def test_computing_inside_the_callers_transaction_leaves_it_intact(
    wh: Path, cache_results: bool | None
) -> None:
    con = duckdb.connect(str(wh))
    try:
        con.execute("BEGIN")
        insert(con, "crimes", [{"crime_id": "b", "recorded_at": dt.datetime(2019, 1, 6)}])
        compute("crime.recorded", con=con, cache_results=cache_results)
        con.execute("COMMIT")  # the caller's row is still theirs to commit
        n = con.execute("SELECT count(*) FROM crimes").fetchall()[0][0]
    finally:
        con.close()
    assert n == 2 and stored_rows(wh) == 0  # nothing stored from inside a transaction


def test_the_data_hash_tells_two_pairs_of_identical_rows_apart(tmp_path: Path) -> None:
    # victim_care_obligations has no key, so a row may appear twice: {A, A} and {B, B} must
    # hash differently (an XOR of row hashes would make both zero)
    from forcepack.warehouse.core import data_hash

    db = create_force(tmp_path / "dup.duckdb")
    con = duckdb.connect(str(db))
    try:
        row = (
            "INSERT INTO victim_care_obligations (crime_id, victim_id, entitlement, "
            "code_entitlement, enhanced, trigger, starts_at, due_date, due_at, due_month, met, "
            "district_code, offence_code, domestic_abuse, hate_crime, child_sexual_abuse, "
            "child_sexual_exploitation, serious_sexual_offence, knife_crime) VALUES ('c', "
            "'v', '{e}', TRUE, FALSE, 'recorded', TIMESTAMP '2019-01-01', DATE '2019-01-02', "
            "TIMESTAMP '2019-01-02', DATE '2019-01-01', TRUE, 'E07000008', '8N', FALSE, FALSE, "
            "FALSE, FALSE, FALSE, FALSE)"
        )
        con.execute(row.format(e="hub_referral"))
        con.execute(row.format(e="hub_referral"))
        a = data_hash(con, ["victim_care_obligations"])
        con.execute("DELETE FROM victim_care_obligations")
        con.execute(row.format(e="needs_assessment"))
        con.execute(row.format(e="needs_assessment"))
        b = data_hash(con, ["victim_care_obligations"])
    finally:
        con.close()
    assert a != b
