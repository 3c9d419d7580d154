"""`forcepack harm coverage`: the share of recorded crimes and of their harm with published,
estimated and missing weights, on a tiny warehouse."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from forcepack import harm
from forcepack.cli.main import cli
from forcepack.errors import ConfigError, DataError
from forcepack.harm import weights as w
from forcepack.harm.coverage import crime_coverage
from harm_helpers import add_crime, new_warehouse

DEFAULT = w.default()
DAYS = DEFAULT.as_dict()
BASIS = w.bases(DEFAULT)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    con = new_warehouse(path)
    # a code the default table does not name at all (a force's own)
    con.execute(
        "INSERT INTO offences (offence_code, offence_name, ho_group, police_uk_category) "
        "VALUES ('8Z', 'A local code', 'Miscellaneous crimes against society', 'Other crime')"
    )
    add_crime(con, "A", "2019-12-02 10:00", "46")  # shoplifting: published
    add_crime(con, "B", "2019-12-03 10:00", "46")
    add_crime(con, "C", "2019-11-05 10:00", "8N")  # assault with injury: an estimate
    add_crime(con, "D", "2019-06-05 10:00", "8Z")  # not in the weighting
    add_crime(con, "E", "2019-07-05 10:00", "8Z")
    add_crime(con, "F", "2019-10-01 10:00", "46", status="cancelled")  # not recorded crime
    add_crime(con, "G", "2018-12-01 10:00", "8N")  # before the 12 months to 2019-12
    con.close()
    return path


def _open(db: Path) -> duckdb.DuckDBPyConnection:
    from forcepack.warehouse import connect

    return connect(db)


def test_shares_by_basis_and_the_uncovered_codes(db: Path) -> None:
    assert (BASIS["46"], BASIS["8N"]) == ("published", "estimate")
    con = _open(db)
    try:
        c = crime_coverage(con, month="2019-12")
    finally:
        con.close()
    assert (c.start.isoformat(), c.end.isoformat()) == ("2019-01-01", "2020-01-01")
    assert c.crimes == 5  # A-E: F is cancelled, G before the window
    pub, est, mis = c.by_basis
    assert (pub.basis, est.basis, mis.basis) == ("published", "estimate", "missing")
    assert (pub.crimes, est.crimes, mis.crimes) == (2, 1, 2)
    assert pub.crime_share == pytest.approx(2 / 5) and mis.crime_share == pytest.approx(2 / 5)
    weighted = 2 * DAYS["46"] + DAYS["8N"]
    assert c.harm_days == pytest.approx(weighted)
    assert pub.harm_days == pytest.approx(2 * DAYS["46"])
    assert est.harm_share == pytest.approx(DAYS["8N"] / weighted)
    assert mis.harm_days is None and mis.harm_share is None  # unknown, never zero
    assert c.uncovered_codes == 1
    [u] = c.uncovered
    assert (u.offence_code, u.offence_name, u.crimes, u.listed) == ("8Z", "A local code", 2, False)


def test_a_code_listed_as_missing_is_counted_as_missing(db: Path) -> None:
    code = DEFAULT.unweighted[0]
    from forcepack.warehouse import connect

    con = connect(db, read_only=False)
    try:
        add_crime(con, "M", "2012-06-01 10:00", code)
        c = crime_coverage(con, month="2012-12")
        # a missing weight is reported, never scored as 0 (8Z, not in the table, is too)
        with pytest.raises(ConfigError, match=rf"no weight for 2 recorded .* {code} .*1 crimes"):
            harm.build(con)
        (scored,) = con.execute("SELECT count(*) FROM crime_harm").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    assert c.crimes == 1 and c.share("missing").crimes == 1
    assert c.uncovered[0].offence_code == code and c.uncovered[0].listed
    assert scored == 0


def test_the_window_defaults_to_the_latest_month(db: Path) -> None:
    con = _open(db)
    try:
        latest = crime_coverage(con)
        one = crime_coverage(con, months=1)
    finally:
        con.close()
    assert latest.end.isoformat() == "2020-01-01" and latest.crimes == 5
    assert one.crimes == 2 and one.share("published").crime_share == 1.0
    assert one.uncovered == () and one.uncovered_codes == 0


def test_cli_reports_shares_and_lists_the_uncovered(db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["harm", "coverage", "--db", str(db), "--month", "2019-12"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "harm coverage, 12 months to 2019-12 (forcepack default CCHI)" in out
    assert "5 recorded crimes" in out
    assert "published           2 crimes (40.0%)" in out
    assert "missing             2 crimes (40.0%)  harm unknown" in out
    assert "8Z     A local code" in out and "not in the weighting" in out


def test_cli_on_an_empty_warehouse_says_what_to_do(tmp_path: Path) -> None:
    from forcepack.warehouse import create

    db = create(tmp_path / "empty.duckdb")
    result = CliRunner().invoke(cli, ["harm", "coverage", "--db", str(db)])
    assert isinstance(result.exception, DataError)
    assert "no recorded crimes" in str(result.exception)
    assert "forcepack ingest crimes" in str(result.exception)
