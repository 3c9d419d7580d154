"""Breach lists, the quarterly audit sample, the board summary and the ``victims`` commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from forcepack.cli.main import main
from forcepack.compliance import (
    allocate,
    audit_sample,
    breach_list,
    write_audit_workbook,
)
from forcepack.errors import AccessError, DataError, InputError
from forcepack.sensitive import MARKING
from forcepack.summaries import Rate
from forcepack.summaries import victim_care_summary as summary
from test_compliance_helpers import PETERBOROUGH, World, new_world


@pytest.fixture
def world(tmp_path: Path) -> World:
    w = new_world(tmp_path)
    # South (Cambridge): hub referral in time, key event told in time.
    w.crime("S1", "2019-12-02 09:00")
    w.victim("S1", "VS1", hub_referred_at="2019-12-03 10:00")
    w.event("S1", "2019-12-03 12:00")
    w.contact("S1", "VS1", "2019-12-04 12:00")
    w.contact("S1", "VS1", "2019-12-04 13:00", "needs_assessment")
    # North (Peterborough): enhanced victim told a day late; never referred; no assessment.
    w.crime("N1", "2019-12-02 09:00", district=PETERBOROUGH)
    w.victim("N1", "VN1", priority_group="vulnerable")
    w.event("N1", "2019-12-03 12:00")
    w.contact("N1", "VN1", "2019-12-05 12:00")
    # North: an older key event (October) never told: still owed in December.
    w.crime("N0", "2019-10-01 09:00", district=PETERBOROUGH)
    w.victim("N0", "VN0", declined=True)
    w.contact("N0", "VN0", "2019-10-02 09:00", "needs_assessment")
    w.event("N0", "2019-10-15 12:00", "interview")
    w.suspect("N0")
    w.build("2020-01-01")
    return w


def test_breach_list_for_an_area(world: World) -> None:
    north = breach_list(world.con, "2019-12", area="north").rows
    got = {(r.crime_id, r.entitlement, r.status) for r in north.itertuples()}
    # N1: key event due Wed 4 Dec (enhanced), told Thu 5th; Hub referral due 4 Dec, never;
    # needs assessment due 9 Dec, never. N0: interview on 15 Oct, due 22 Oct, never told.
    assert got == {
        ("N1", "key_event_contact", "answered late"),
        ("N1", "hub_referral", "outstanding"),
        ("N1", "needs_assessment", "outstanding"),
        ("N0", "key_event_contact", "outstanding"),
    }
    n0 = north.loc[north["crime_id"] == "N0"].iloc[0]
    assert n0["owed_since"].date() == dt.date(2019, 10, 22)
    assert n0["days_overdue"] == (dt.date(2020, 1, 1) - dt.date(2019, 10, 22)).days
    assert set(north["area"]) == {"North"}
    south = breach_list(world.con, "2019-12", district="E07000008").rows
    assert south.empty  # S1 was looked after in time


def test_breach_list_needs_a_valid_scope(world: World) -> None:
    with pytest.raises(AccessError, match="OFFICIAL-SENSITIVE"):
        breach_list(world.con, "2019-12")
    with pytest.raises(InputError, match="North, South"):
        breach_list(world.con, "2019-12", area="East")
    with pytest.raises(InputError, match="E07000008 \\(Cambridge\\)"):
        breach_list(world.con, "2019-12", district="X1")
    with pytest.raises(InputError, match="YYYY-MM"):
        breach_list(world.con, "Dec 2019", area="North")


@pytest.mark.slow
def test_summary_worked_example(world: World) -> None:
    s = summary(world.con, "2019-12")
    # Code obligations due in December 2019: S1 key event (in time), S1 referral (in time),
    # S1 needs assessment (in time), N1 key event (late), N1 referral (missed),
    # N1 needs assessment (missed): 3 of 6. N0's were due in October.
    assert (s.code_compliance.month.numerator, s.code_compliance.month.denominator) == (3, 6)
    assert s.code_compliance.month.value == 0.5
    ke = s.code_compliance_by_entitlement["key_event_contact"]
    assert (ke.month.numerator, ke.month.denominator) == (1, 2)
    # the data begin in October 2019: no rolling 12 months to December is reported until they
    # span its first month, January 2019 (the catalogue's rule for every measure), rather than
    # three months' figures called twelve
    assert s.code_compliance.rolling12 == Rate(0, 0)
    # a crime in January 2019 (finalised two days later; its victim declined the Hub and was
    # assessed in time): the 12 months hold N0's October key event (missed) and needs
    # assessment (in time), and J0's needs assessment (in time)
    world.crime(
        "J0", "2019-01-07 09:00", status="finalised", outcome_at="2019-01-09 09:00", outcome_code=1
    )
    world.victim("J0", "VJ0", declined=True)
    world.contact("J0", "VJ0", "2019-01-08 09:00", "needs_assessment")
    world.build("2020-01-01")
    year = summary(world.con, "2019-12").code_compliance.rolling12
    assert (year.numerator, year.denominator) == (3 + 1 + 1, 6 + 2 + 1)
    # victims of crimes recorded in December: S1 referred, N1 not -> 1 of 2
    assert (s.hub_referral_rate.month.numerator, s.hub_referral_rate.month.denominator) == (1, 2)
    # three open crimes at the end of December, recorded 2 Dec (x2) and 1 Oct, aged to 1 Jan:
    # 2 Dec 09:00 -> 1 Jan 00:00 is 29 days 15 hours (29.625); 1 Oct 09:00 is 91.625 days
    assert s.open_investigations == 3
    assert s.average_investigation_days == pytest.approx((29.625 * 2 + 91.625) / 3)
    assert s.vcc_compliance.month.value is None  # no contracts: nothing due, no figure
    flat = s.to_dict()
    assert flat["code_compliance"]["month"]["value"] == 0.5
    assert "VN1" not in repr(flat) and "N1" not in repr(flat)  # no ids in the summary


def test_outputs_refuse_an_unbuilt_warehouse(tmp_path: Path) -> None:
    w = new_world(tmp_path)
    w.crime("C", "2019-12-02 09:00")
    w.victim("C", "V")
    with pytest.raises(DataError, match="victims build"):
        summary(w.con, "2019-12")
    with pytest.raises(DataError, match="crime_victims has 1 rows"):
        breach_list(w.con, "2019-12", area="South")
    with pytest.raises(DataError, match="victims build"):
        audit_sample(w.con, "2019Q4")


def test_allocation_is_proportional_with_largest_remainders() -> None:
    # 70 North and 130 South cases: quotas 30*70/200 = 10.5 and 19.5; floors 10 and 19, one
    # seat left, remainders tie at .5 -> the alphabetically first area (North) gets it.
    assert allocate({"North": 70, "South": 130}) == {"North": 11, "South": 19}
    # 10, 45, 45: quotas 3.0, 13.5, 13.5 -> 3, 13, 13 and one seat to "b" (tie, first name).
    assert allocate({"a": 10, "b": 45, "c": 45}) == {"a": 3, "b": 14, "c": 13}
    assert allocate({"North": 4, "South": 5}) == {"North": 4, "South": 5}  # fewer than 30
    assert sum(allocate({"x": 1, "y": 1000}).values()) == 30


def _finalised_world(tmp_path: Path, north: int, south: int) -> World:
    w = new_world(tmp_path)
    for i in range(north + south):
        crime = f"C{i:03d}"
        w.crime(
            crime,
            "2019-09-01 09:00",
            district=PETERBOROUGH if i < north else "E07000008",
            status="finalised",
            outcome_at="2019-11-15 12:00",
            outcome_code=1,
        )
        w.victim(crime, f"V{i:03d}")
    w.crime(
        "LATER",
        "2019-09-01 09:00",
        status="finalised",
        outcome_at="2020-01-02 09:00",
        outcome_code=1,
    )
    w.victim("LATER", "VL")
    w.build("2020-02-01")
    return w


def test_audit_sample_is_stratified_and_reproducible(tmp_path: Path) -> None:
    w = _finalised_world(tmp_path, north=20, south=40)
    first = audit_sample(w.con, "2019Q4", seed=7)
    again = audit_sample(w.con, "2019Q4", seed=7)
    other = audit_sample(w.con, "2019Q4", seed=8)
    # 20 North and 40 South finalised in Oct-Dec: 30 * 20/60 = 10 and 30 * 40/60 = 20.
    assert first.allocation == {"North": 10, "South": 20}
    assert len(first.cases) == 30
    assert first.cases["area"].value_counts().to_dict() == {"South": 20, "North": 10}
    assert list(first.cases["crime_id"]) == list(again.cases["crime_id"])
    assert set(first.cases["crime_id"]) != set(other.cases["crime_id"])
    assert "LATER" not in set(first.cases["crime_id"])  # finalised in 2020Q1
    # the workbook holds the 30 cases below the marking, with empty findings columns (missing
    # facts such as a null priority group or contract interval are written as empty cells)
    book = write_audit_workbook(w.con, first, tmp_path / "sample.xlsx", data_hash="test")
    rows = list(openpyxl.load_workbook(book)["Audit sample"].iter_rows(values_only=True))
    assert rows[0][0] == MARKING
    header = rows.index(next(r for r in rows if r[0] == "area"))
    body = rows[header + 1 :]
    assert len(body) == 30
    notes = rows[header].index("auditor notes")
    assert all(r[notes] is None for r in body)
    assert [r[rows[header].index("crime_id")] for r in body] == list(first.cases["crime_id"])


def test_cli_audit_workbook_and_breach_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], world: World
) -> None:
    world.con.close()
    db = tmp_path / "victims.duckdb"
    out = tmp_path / "breaches.csv"
    main(
        [
            "victims",
            "breaches",
            "--db",
            str(db),
            "--month",
            "2019-12",
            "--area",
            "North",
            "--out",
            str(out),
        ]
    )
    frame = pd.read_csv(out)  # a plain table: the marking is a column, on every row
    assert list(frame.columns[:2]) == ["marking", "area"]
    assert set(frame["marking"]) == {MARKING}
    assert len(frame) == 4 and set(frame["victim_id"]) == {"VN0", "VN1"}
    main(["victims", "breaches", "--db", str(db), "--month", "2019-12", "--area", "North"])
    assert "give --out" in capsys.readouterr().out
    book = tmp_path / "audit.xlsx"
    main(["victims", "audit-sample", "--db", str(db), "--quarter", "2019Q4", "--out", str(book)])
    ws = openpyxl.load_workbook(book)["Audit sample"]
    assert ws["A1"].value == MARKING
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "area")
    assert "auditor notes" in header and "finding: VPS offered" in header
    import duckdb

    with pytest.raises(SystemExit) as exit_info:
        main(["victims", "breaches", "--db", str(db), "--month", "2019-12"])
    assert exit_info.value.code == 5  # AccessError: no area or district named
    con = duckdb.connect(str(db), read_only=True)
    logged = con.execute(
        "SELECT list_name, scope, period, rows, outcome FROM access_log ORDER BY accessed_at"
    ).fetchall()
    assert logged == [
        ("victim care breaches", "area North", "2019-12", 4, "granted"),
        ("victims' code audit sample", "force-wide", "2019Q4", 0, "granted"),
        ("victim care breaches", "none named", "2019-12", 0, "refused"),
    ]
    con.close()
