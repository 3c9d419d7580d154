"""The completed audit workbook loaded back: checked against its sample, stored, counted, and
reported in the paper's 6.3.3 (the loop from sample to findings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from forcepack.cli.main import main
from forcepack.compliance import audit_sample, write_audit_workbook
from forcepack.compliance.audit_results import (
    AUDITED,
    audit_findings,
    load_audit_results,
)
from forcepack.compliance.periods import latest_quarter
from forcepack.errors import DataError, InputError
from forcepack.sensitive import MARKING_COLUMN
from test_compliance_helpers import CAMBRIDGE, PETERBOROUGH, World, finalised_world


def _world(tmp_path: Path, cases: int = 40) -> World:
    return finalised_world(tmp_path, cases, (PETERBOROUGH, CAMBRIDGE, CAMBRIDGE))


def _fill(book: Path, answers: dict[int, dict[str, str]]) -> None:
    """Write the auditors' answers into the workbook: case row -> {findings column: value}."""
    wb = openpyxl.load_workbook(book)
    ws = wb["Audit sample"]
    header_row = next(c[0].row for c in ws.iter_rows() if c[0].value == "area")
    names = [c.value for c in ws[header_row]]
    for case, cells in answers.items():
        for column, value in cells.items():
            ws.cell(row=header_row + case, column=names.index(column) + 1, value=value)
    wb.save(book)


def _answers(n: int) -> tuple[dict[int, dict[str, str]], dict[str, dict[str, int]]]:
    """A pattern of answers and the counts it must give, computed independently."""
    values = ["met", "Met ", "not met", "n/a", ""]
    answers: dict[int, dict[str, str]] = {}
    expected = {
        a.removeprefix("finding: "): {"met": 0, "not met": 0, "n/a": 0, "not audited": 0}
        for a in AUDITED
    }
    for case in range(1, n + 1):
        answers[case] = {}
        for j, column in enumerate(AUDITED):
            v = values[(case + j) % len(values)]
            answers[case][column] = v
            key = v.strip().lower() or "not audited"
            expected[column.removeprefix("finding: ")][key] += 1
    return answers, expected


@pytest.mark.slow
def test_round_trip_sample_to_findings(tmp_path: Path) -> None:
    w = _world(tmp_path)
    sample = audit_sample(w.con, "2019Q4")
    book = write_audit_workbook(w.con, sample, tmp_path / "audit.xlsx", data_hash="test")
    answers, expected = _answers(len(sample.cases))
    _fill(book, answers)
    got = load_audit_results(w.con, book)
    assert (got.quarter.label, got.seed, got.cases, got.replaced) == ("2019Q4", 1, 30, 0)
    assert got.counts == expected
    stored = w.con.execute(
        "SELECT count(*), count(DISTINCT crime_id), count(DISTINCT finding) FROM audit_results"
    ).fetchone()
    assert stored == (30 * len(AUDITED), 30, len(AUDITED))
    # loading a corrected workbook replaces the quarter's findings, and says so
    _fill(book, {1: {AUDITED[0]: "not met"}})
    again = load_audit_results(w.con, book)
    assert again.replaced == 30 * len(AUDITED)
    first = AUDITED[0].removeprefix("finding: ")
    before = answers[1][AUDITED[0]].strip().lower() or "not audited"
    assert again.counts[first]["not met"] == expected[first]["not met"] + (before != "not met")
    assert audit_findings(w.con, "2019Q3") is None


def test_a_case_not_in_the_sample_is_refused(tmp_path: Path) -> None:
    w = _world(tmp_path)
    sample = audit_sample(w.con, "2019Q4")
    book = write_audit_workbook(w.con, sample, tmp_path / "audit.xlsx", data_hash="test")
    left_out = sorted(set(f"C{i:03d}" for i in range(40)) - set(sample.cases["crime_id"]))[0]
    _fill(book, {3: {"crime_id": left_out}})
    with pytest.raises(
        DataError,
        match=rf"case row 3: case crime_id {left_out}, victim_id .* is not in the 2019Q4 "
        "sample drawn with seed 1",
    ):
        load_audit_results(w.con, book)
    # nothing was stored
    tables = {r[0] for r in w.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "audit_results" not in tables or w.con.execute(
        "SELECT count(*) FROM audit_results"
    ).fetchone() == (0,)


def test_a_bad_finding_and_a_wrong_seed_are_refused(tmp_path: Path) -> None:
    w = _world(tmp_path)
    sample = audit_sample(w.con, "2019Q4", seed=5)
    book = write_audit_workbook(w.con, sample, tmp_path / "audit.xlsx", data_hash="test")
    with pytest.raises(InputError, match="heading names seed 5, but 6 was given"):
        load_audit_results(w.con, book, seed=6)
    _fill(book, {2: {"finding: updates": "partly"}})
    with pytest.raises(
        DataError,
        match='case row 2, column "finding: updates": value "partly" is not one of '
        "met, not met, n/a",
    ):
        load_audit_results(w.con, book)


def test_a_csv_workbook_needs_its_seed(tmp_path: Path) -> None:
    w = _world(tmp_path)
    sample = audit_sample(w.con, "2019Q4", seed=3)
    csv = write_audit_workbook(w.con, sample, tmp_path / "audit.csv", data_hash="test")
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert frame.columns[0] == MARKING_COLUMN
    frame["finding: referral"] = "met"
    frame.to_csv(csv, index=False)
    with pytest.raises(DataError, match="not in the 2019Q4 sample drawn with seed 1"):
        load_audit_results(w.con, csv)  # the default seed draws another sample
    got = load_audit_results(w.con, csv, seed=3)
    assert got.counts["referral"] == {"met": 30, "not met": 0, "n/a": 0, "not audited": 0}


def test_cli_audit_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = _world(tmp_path)
    w.con.close()
    db = tmp_path / "victims.duckdb"
    book = tmp_path / "audit.xlsx"
    main(["victims", "audit-sample", "--db", str(db), "--quarter", "2019Q4", "--out", str(book)])
    _fill(book, {1: {"finding: needs assessment": "met"}})
    capsys.readouterr()
    main(["victims", "audit-results", "--db", str(db), str(book)])
    out = capsys.readouterr().out
    assert "audit findings for 2019Q4 (seed 1) loaded from audit.xlsx: 30 cases" in out
    assert "needs assessment     met 1, not met 0, n/a 0, not audited 29" in out


@pytest.mark.parametrize(
    ("month", "quarter"),
    [
        ("2019-12", "2019Q4"),
        ("2020-01", "2019Q4"),
        ("2020-02", "2019Q4"),
        ("2020-03", "2020Q1"),
        ("2019-11", "2019Q3"),
        ("2019-09", "2019Q3"),
    ],
)
def test_latest_quarter(month: str, quarter: str) -> None:
    d = dt.date.fromisoformat(month + "-01")
    assert latest_quarter(d) == quarter
    assert latest_quarter(month) == quarter  # as typed
