"""The data quality report, and the `forcepack ingest` command end to end."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from conftest import POLICE_UK
from forcepack.cli.main import main
from forcepack.ingest import load_extract, quality_report
from forcepack.ingest.report import Gap
from ingest_helpers import INCIDENT_HEADER, fetch, incident, write_csv

NOW = dt.datetime(2020, 5, 1)
START = dt.datetime(2019, 12, 1)


def _at(hours: int, **change: str) -> list[str]:
    created = START + dt.timedelta(hours=hours)
    stamp = created.strftime("%Y-%m-%d %H:%M:%S")
    arrived = (created + dt.timedelta(minutes=12)).strftime("%Y-%m-%d %H:%M:%S")
    return incident(
        hours, **{"created_at": stamp, "dispatched_at": stamp, "arrived_at": arrived, **change}
    )


@pytest.fixture
def with_gaps(empty_warehouse: Path, tmp_path: Path) -> Path:
    """Incidents every 6 hours from 1 December 2019 to 31 March 2020, except 5-7 December
    (system downtime) and the whole of January; one duplicate key and one bad source."""
    hours = [
        h for h in range(0, 122 * 24, 6) if not (4 * 24 <= h < 7 * 24 or 31 * 24 <= h < 62 * 24)
    ]
    rows = [_at(h) for h in hours]
    rows[3][8] = "pigeon"  # a bad source
    rows.append(_at(0))  # a duplicate of the first row
    load_extract(
        empty_warehouse,
        "incidents",
        write_csv(tmp_path / "inc.csv", INCIDENT_HEADER, rows),
        now=NOW,
    )
    return empty_warehouse


def test_report_counts_gaps_completeness_and_reasons(with_gaps: Path) -> None:
    t = quality_report(with_gaps).table("incidents")
    days = 122 - 3 - 31  # days with incidents: 88, 4 incidents a day
    assert t.rows == days * 4 - 1
    assert [(ld.rows_read, ld.rows_loaded, ld.rows_quarantined) for ld in t.loads] == [
        (days * 4 + 1, t.rows, 2)
    ]
    assert t.date_range == (dt.date(2019, 12, 1), dt.date(2020, 3, 31))
    assert t.days_with_records == (days, 122)
    assert t.missing_days == (
        Gap(dt.date(2020, 1, 1), dt.date(2020, 1, 31)),
        Gap(dt.date(2019, 12, 5), dt.date(2019, 12, 7)),
    )
    assert t.missing_months == ("2020-01",)
    assert t.duplicates_quarantined == 1
    assert dict((r, n) for r, _, n in t.top_reasons) == {"enum": 1, "duplicate_key": 1}
    completeness = dict(t.completeness)
    assert completeness["incident_id"] == 1.0
    assert completeness["delay_reason"] == 0.0
    assert completeness["arrived_at"] == 1.0
    text = quality_report(with_gaps, "incidents").to_text()
    assert "days with no records: 2020-01-01 to 2020-01-31, 2019-12-05 to 2019-12-07" in text
    assert "(88 of 122 days have records)" in text
    assert "months with no records: 2020-01" in text
    assert t.loads[0].reasons == (("duplicate_key", "incident_id", 1), ("enum", "source", 1))
    assert "quarantined 2; duplicate_key (incident_id) 1, enum (source) 1" in text


def test_sparse_tables_give_coverage_not_day_gaps(empty_warehouse: Path, tmp_path: Path) -> None:
    header = ["system", "start_at", "end_at", "planned"]
    rows = [
        ["Niche", f"2019-{m:02d}-10 01:00:00", f"2019-{m:02d}-10 02:00:00", "true"]
        for m in range(1, 13)
    ]
    load_extract(
        empty_warehouse, "system_downtime", write_csv(tmp_path / "d.csv", header, rows), now=NOW
    )
    t = quality_report(empty_warehouse, "system_downtime").table("system_downtime")
    assert t.days_with_records == (12, 335)  # 10 January to 10 December
    assert t.missing_days == () and t.missing_months == ()


def test_report_flags_unmatched_optional_links(empty_warehouse: Path, tmp_path: Path) -> None:
    header = [
        "crime_id",
        "recorded_at",
        "offence_code",
        "district_code",
        "incident_id",
        "domestic_abuse",
        "hate_crime",
        "child_sexual_abuse",
        "child_sexual_exploitation",
        "serious_sexual_offence",
        "knife_crime",
        "status",
    ]
    flags = ["false"] * 6
    rows = [
        ["C1", "2019-12-01 10:00", "8N", "E07000008", "INC-NOT-LOADED", *flags, "open"],
        ["C2", "2019-12-01 11:00", "8N", "E07000008", "", *flags, "open"],
    ]
    r = load_extract(
        empty_warehouse, "crimes", write_csv(tmp_path / "c.csv", header, rows), now=NOW
    )
    assert r.rows_loaded == 2  # an optional link to an incident not loaded is not a rejection
    t = quality_report(empty_warehouse, "crimes").table("crimes")
    assert dict(t.unmatched_links)["incident_id -> incidents.incident_id"] == 1


def test_cli_ingest_table_report_and_police_uk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new" / "w.duckdb"
    f = write_csv(
        tmp_path / "inc.csv",
        INCIDENT_HEADER,
        [incident(i) for i in range(5)] + [incident(5, grade="imediate")],
    )
    with pytest.raises(SystemExit) as exit_info:  # ingest never creates a warehouse
        main(["ingest", "incidents", str(f), "--db", str(db)])
    assert exit_info.value.code == 2 and not db.exists()
    assert "`forcepack warehouse create --db PATH`" in capsys.readouterr().err
    main(["warehouse", "create", "--db", str(db)])
    ref = resources.files("forcepack.demo") / "reference"  # the force's own lists
    main(["ingest", "districts", str(ref / "districts.csv"), "--db", str(db)])
    main(["ingest", "call_types", str(ref / "call_types.csv"), "--db", str(db)])
    capsys.readouterr()
    main(["ingest", "incidents", str(f), "--db", str(db)])
    out = capsys.readouterr().out
    assert "inc.csv -> incidents: read 6 = loaded 5 + quarantined 1" in out
    assert "quarantined 1 rows: enum (grade)" in out
    main(["ingest", "incidents", str(f), "--db", str(db)])
    assert "already loaded" in capsys.readouterr().out
    street = POLICE_UK / "2018-12" / "2018-12-cambridgeshire-street.csv"
    main(["ingest", "police-uk", str(street), "--db", str(db)])
    out = capsys.readouterr().out
    assert out.startswith("2018-12-cambridgeshire-street.csv -> public_crimes: read ")
    main(["ingest", "report", "--db", str(db)])
    out = capsys.readouterr().out
    assert "== incidents: 5 rows" in out and "== public_crimes:" in out
    assert "no location: " in out
    assert fetch(db, "SELECT count(*) FROM load_log") == [(5,)]


def test_cli_errors_exit_with_the_data_error_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = write_csv(tmp_path / "x.csv", ["incident_id"], [["I1"]])
    main(["warehouse", "create", "--db", str(tmp_path / "w.duckdb")])
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "incidents", str(f), "--db", str(tmp_path / "w.duckdb")])
    assert exit_info.value.code == 3
    assert "x.csv lacks required incidents column(s) created_at" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "burglaries", str(f), "--db", str(tmp_path / "w.duckdb")])
    assert exit_info.value.code == 2


def test_cli_help_explains_the_three_forms(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        main(["ingest", "--help"])
    except SystemExit as done:  # click may end --help with an exit, depending on its version
        assert done.code in (0, None)
    out = capsys.readouterr().out
    assert "Usage: forcepack ingest TABLE FILE... [--db PATH] | police-uk PATH... | report" in out
    assert "police-uk" in out and "report" in out


def test_docs_describe_every_rule_and_command() -> None:
    from forcepack.cli.ingest import ingest
    from forcepack.ingest import Rule

    docs = (Path(__file__).resolve().parents[1] / "docs" / "ingest.md").read_text()
    for rule in Rule:
        assert f"`{rule}`" in docs, f"docs/ingest.md does not describe rule {rule}"
    for name in ingest.commands:
        assert f"forcepack ingest {name}" in docs or name == "load"
    assert "forcepack ingest load TABLE FILE" in docs
