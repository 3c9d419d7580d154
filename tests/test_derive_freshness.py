"""No stale figures under a fresh stamp: after a corrected re-extract, whatever reads the harm or
victim care tables refuses in one line until they are rebuilt (`measures refresh` rebuilds
them itself), and the data hash tells a stale warehouse from the same data derived afresh."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack.cli.main import main
from forcepack.derive import derive
from forcepack.errors import DataError
from forcepack.ingest import load_extract
from forcepack.measures import compute
from forcepack.measures.refresh import refresh_file
from forcepack.warehouse import connect, data_hash, freshness
from ingest_helpers import CRIME_HEADER, crime, write_csv
from rows import csv_row

VICTIM_HEADER = ["crime_id", "victim_id", "vcc_agreed", "hub_referred_at", "hub_referral_declined"]
CRIMES = 10
#: harm days of the two offences used (src/forcepack/harm/weights/default_chi.csv)
ASSAULT_8N, BURGLARY_28E = 30.0, 273.5
MEASURES = ["harm.total_days", "victims.hub_referral_rate"]


def _crimes(tmp_path: Path, name: str, **changes: dict[str, str]) -> Path:
    rows = [crime(i, **changes.get(f"CR{i:05d}", {})) for i in range(CRIMES)]
    return write_csv(tmp_path / name, CRIME_HEADER, rows)


def _victims(tmp_path: Path) -> Path:
    rows = [
        csv_row(
            "crime_victims",
            VICTIM_HEADER,
            crime_id=f"CR{i:05d}",
            victim_id=f"V{i}",
            vcc_agreed=False,
            hub_referred_at=dt.datetime(2019, 11, 28, 10) if i % 2 else None,
            hub_referral_declined=False,
        )
        for i in range(CRIMES)
    ]
    return write_csv(tmp_path / "victims.csv", VICTIM_HEADER, rows)


#: the correction: three assaults were burglaries, and one crime is cancelled
CORRECTION = {
    "CR00000": {"offence_code": "28E"},
    "CR00001": {"offence_code": "28E"},
    "CR00002": {"offence_code": "28E"},
    "CR00003": {"status": "cancelled"},
}


def _load(db: Path, tmp_path: Path) -> None:
    for table, f in (
        ("crimes", _crimes(tmp_path, "crimes.csv")),
        ("crime_victims", _victims(tmp_path)),
    ):
        load_extract(db, table, f)


def _hash(db: Path) -> str:
    con = connect(db)
    try:
        return data_hash(con)
    finally:
        con.close()


def _november(db: Path) -> dict[str, tuple[float, float | None]]:
    df = compute(MEASURES, db=db, months="2019-11", cache_results=False)
    return {
        r.measure_id: (r.value, None if pd.isna(r.denominator) else r.denominator)
        for r in df.itertuples()
    }


@pytest.fixture
def corrected(empty_warehouse: Path, tmp_path: Path) -> tuple[Path, str]:
    """Loaded and derived, then a corrected crimes extract loaded (derived tables now stale);
    with the data hash of the derived state before the correction."""
    db = empty_warehouse
    _load(db, tmp_path)
    derive(db)
    before = _november(db)
    assert before["harm.total_days"] == (CRIMES * ASSAULT_8N, None)
    assert before["victims.hub_referral_rate"] == (0.5, CRIMES)
    fresh_hash = _hash(db)
    r = load_extract(db, "crimes", _crimes(tmp_path, "crimes-corrected.csv", **CORRECTION))
    assert r.updated == len(CORRECTION)
    return db, fresh_hash


def test_measures_over_stale_derived_tables_refuse_naming_the_command(
    corrected: tuple[Path, str],
) -> None:
    db, _ = corrected
    for measure in MEASURES:
        with pytest.raises(DataError, match="forcepack warehouse derive --db ") as err:
            compute([measure], db=db, months="2019-11")
        assert "were built before crimes last changed" in str(err.value)
        assert "\n" not in str(err.value)
    # measures that read no derived table are unaffected
    (n,) = compute("crime.recorded", db=db, months="2019-11")["value"]
    assert n == CRIMES - 1


def test_cli_compute_paper_and_lists_refuse_in_one_line(
    corrected: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = corrected
    derive_it = (
        "the victim care tables (working_days, victim_care_obligations, victim_care_victims) "
        f"were built before crimes last changed (run `forcepack warehouse derive --db {db}`"
    )
    month = ["--month", "2019-11"]
    commands = [
        (["measures", "compute", "victims.hub_referral_rate", *month], derive_it),
        (["report", *month, "--out", str(tmp_path / "pack")], derive_it),
        (["victims", "summary", *month], derive_it),
        (["victims", "breaches", *month, "--area", "South", "--out", str(tmp_path / "b.xlsx")],
         derive_it),
        (["harm", "victims", *month, "--area", "South", "--out", str(tmp_path / "v.xlsx")],
         "the harm tables were built from older data"),
    ]  # fmt: skip
    for args, expected in commands:
        with pytest.raises(SystemExit) as exit_info:
            main([*args, "--db", str(db)])
        assert exit_info.value.code == DataError.exit_code, args
        lines = capsys.readouterr().err.strip().splitlines()
        # one line of error, after the note naming the warehouse used
        assert [line for line in lines if not line.startswith("warehouse: ")] == [
            next(line for line in lines if line.startswith("Error: "))
        ], lines
        assert expected in lines[-1], lines
    assert not (tmp_path / "b.xlsx").exists() and not (tmp_path / "v.xlsx").exists()
    assert not (tmp_path / "pack").exists() or not any((tmp_path / "pack").iterdir())


@pytest.mark.slow
def test_refresh_rebuilds_stale_tables_first_and_figures_follow_the_correction(
    corrected: tuple[Path, str], tmp_path: Path
) -> None:
    db, _ = corrected
    done = refresh_file(db, ids=MEASURES, windows=["month"])
    assert len(done.rebuilt) == 2
    assert done.rebuilt[0].startswith("the harm tables (crime_harm, victim_harm, offender_harm)")
    assert done.rebuilt[1].startswith("the victim care tables")
    con = connect(db)
    try:
        assert freshness.stale(con) == []
    finally:
        con.close()
    got = _november(db)
    # crime CR00003 is cancelled: 6 assaults and 3 burglaries are left
    assert got["harm.total_days"] == (6 * ASSAULT_8N + 3 * BURGLARY_28E, None)
    # victims of odd-numbered crimes were referred: 4 of the 9 left (CR00003 was one)
    assert got["victims.hub_referral_rate"] == (4 / 9, 9)
    # stored results are read back as computed
    stored = compute(MEASURES, db=db, months="2019-11")
    assert list(stored["value"]) == [got[m][0] for m in MEASURES]
    assert refresh_file(db, ids=MEASURES, windows=["month"]).rebuilt == ()


@pytest.mark.slow
def test_data_hash_tells_stale_from_fresh_derived_tables(
    corrected: tuple[Path, str], tmp_path: Path
) -> None:
    db, before_correction = corrected
    stale_hash = _hash(db)
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(db, fresh)
    derive(fresh)
    fresh_hash = _hash(fresh)
    assert len({before_correction, stale_hash, fresh_hash}) == 3
    # same force data, derived afresh in another warehouse: the same hash
    other = create_force(tmp_path / "other" / "w.duckdb")
    _load(other, tmp_path / "other")
    load_extract(other, "crimes", _crimes(tmp_path / "other", "c2.csv", **CORRECTION))
    derive(other)
    assert _hash(other) == fresh_hash
    # the paper's provenance carries that hash
    from forcepack.report import build_paper

    paper = build_paper(fresh, "2019-11")
    assert paper.provenance.data_hash == fresh_hash


def test_unstamped_or_never_built_derived_tables_are_stale(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    db = empty_warehouse
    con = connect(db)
    try:
        assert freshness.stale(con) == []  # nothing loaded: nothing to derive
    finally:
        con.close()
    _load(db, tmp_path)
    con = connect(db)
    try:
        reasons = [s.reason for s in freshness.stale(con)]
    finally:
        con.close()
    assert reasons == [
        "were never built, though crimes, crime_victims hold rows",
        "were never built, though crimes, crime_victims hold rows",
    ]
    derive(db)
    con = duckdb.connect(str(db))
    try:  # tables filled by a forcepack that kept no record of their inputs
        con.execute("DELETE FROM forcepack_meta WHERE key LIKE 'derived.%'")
        assert [s.reason for s in freshness.stale(con)] == [
            "hold no record of the data they were built from"
        ] * 2
    finally:
        con.close()


def test_a_suspects_extract_makes_both_derivations_stale(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    """Harm counts offenders and victim care owes monthly updates by whether a crime has a
    suspect, so both were built from crime_suspects: a new suspects extract leaves both stale."""
    db = empty_warehouse
    _load(db, tmp_path)
    derive(db)
    suspects = write_csv(tmp_path / "suspects.csv", ["crime_id", "person_id"], [["CR00001", "P1"]])
    load_extract(db, "crime_suspects", suspects)
    con = connect(db)
    try:
        found = {s.derivation.name: s.reason for s in freshness.stale(con)}
    finally:
        con.close()
    assert found == {
        "harm": "were built before crime_suspects last changed",
        "victim care": "were built before crime_suspects last changed",
    }


@pytest.mark.slow
def test_the_stamps_carry_the_fingerprints_of_the_inputs_read_directly(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    """A derive sums the by-crime tables' fingerprints from its per-crime hashes rather than
    reading the tables again: the stamps and the snapshot record the same figures as reading
    each input whole, after a full build and after an update of changed crimes."""
    from forcepack.derive import SNAPSHOT_KEY
    from forcepack.warehouse.core import DERIVED_KEY, fingerprints

    db = empty_warehouse
    _load(db, tmp_path)
    for full in (True, False):
        if not full:
            load_extract(db, "crimes", _crimes(tmp_path, "crimes-corrected.csv", **CORRECTION))
        result = derive(db, full=full)
        assert result.how == {"harm": "full" if full else "changed",
                              "victim care": "full" if full else "changed"}  # fmt: skip
        con = connect(db)
        try:
            meta = dict(con.execute("SELECT key, value FROM forcepack_meta").fetchall())
            for d in freshness.DERIVATIONS:
                direct = fingerprints(con, d.inputs)
                assert direct["crimes"].startswith(f"{CRIMES}:")
                for table in d.tables:
                    assert json.loads(meta[DERIVED_KEY + table])["inputs"] == direct
            every = {i for d in freshness.DERIVATIONS for i in d.inputs}
            assert json.loads(meta[SNAPSHOT_KEY]) == fingerprints(con, every)
        finally:
            con.close()


def test_a_read_only_connection_fingerprints_each_table_once_a_writer_every_time(
    empty_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paper checks its inputs' freshness section by section on one read-only connection:
    each table is read once there. A writer reads again every time, so its own changes show,
    and a read-only connection opened after a change sees the new data."""
    from forcepack.warehouse import core
    from forcepack.warehouse.core import fingerprints

    db = empty_warehouse
    load_extract(db, "crimes", _crimes(tmp_path, "crimes.csv"))
    ro = connect(db)
    try:
        first = fingerprints(ro, ["crimes", "districts"])
        assert set(core._READ_ONLY_PRINTS[ro]) == {"crimes", "districts"}
        again = fingerprints(ro, ["districts", "crimes", "offences"])
        assert first["crimes"].startswith(f"{CRIMES}:")
        assert again["crimes"] == first["crimes"] and set(again) == {
            "crimes",
            "districts",
            "offences",
        }
        assert set(core._READ_ONLY_PRINTS[ro]) == {"crimes", "districts", "offences"}
    finally:
        ro.close()
    con = connect(db, read_only=False)
    try:
        before = fingerprints(con, ["crimes"])["crimes"]
        assert con not in core._READ_ONLY_PRINTS
        con.execute("DELETE FROM crimes WHERE crime_id = 'CR00000'")
        after = fingerprints(con, ["crimes"])["crimes"]
        assert before == first["crimes"] and after.startswith(f"{CRIMES - 1}:")
    finally:
        con.close()
    ro = connect(db)
    try:
        assert fingerprints(ro, ["crimes"])["crimes"] == after
    finally:
        ro.close()
