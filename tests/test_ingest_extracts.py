"""Loading force extracts: header matching, every validation rule, idempotency, restatements."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from forcepack import __version__
from forcepack.errors import DataError, InputError
from forcepack.ingest import LoadStatus, Rule, load_extract
from ingest_helpers import (
    CRIME_HEADER,
    INCIDENT_HEADER,
    assert_accounts,
    count,
    crime,
    fetch,
    incident,
    write_csv,
)

NOW = dt.datetime(2020, 1, 15, 12, 0)


def test_clean_incidents_load_and_are_logged(empty_warehouse: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "incidents.csv", INCIDENT_HEADER, [incident(i) for i in range(50)])
    r = load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined, r.inserted) == (50, 50, 0, 50)
    assert r.status is LoadStatus.LOADED
    assert_accounts(empty_warehouse, r)
    assert count(empty_warehouse, "SELECT count(*) FROM incidents") == 50
    # provenance: name, size, SHA-256 and version are those of the file and of forcepack
    (name, size, sha, version) = fetch(
        empty_warehouse, "SELECT file_name, file_size, sha256, forcepack_version FROM load_log"
    )[0]
    assert (name, size, version) == ("incidents.csv", f.stat().st_size, __version__)
    assert sha == hashlib.sha256(f.read_bytes()).hexdigest() == r.sha256
    # typed values: the first incident was created at midnight on 1 Dec 2019, arrived 12 min later
    minutes = count(
        empty_warehouse,
        "SELECT date_diff('minute', created_at, arrived_at) "
        "FROM incidents WHERE incident_id = 'INC000000'",
    )
    assert minutes == 12


def test_header_variants_match_and_extra_columns_are_reported(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    header = [
        "Incident ID",
        "CREATED-AT",
        " call type code ",
        "Grade",
        "District_Code",
        "dispatched at",
        "ArrivedAt",
        "delay_reason",
        "Source",
        "verbal only",
        "Officer",
    ]
    rows = [[*incident(i), "PC 123"] for i in range(3)]
    r = load_extract(
        empty_warehouse, "incidents", write_csv(tmp_path / "i.csv", header, rows), now=NOW
    )
    assert r.rows_loaded == 3
    assert r.extra_columns == ("Officer",)
    assert count(empty_warehouse, "SELECT count(*) FROM incidents WHERE grade = 'immediate'") == 3


def test_missing_required_column_is_an_error_naming_file_columns_and_found(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    header = [h for h in INCIDENT_HEADER if h != "grade"]
    rows = [[v for h, v in zip(INCIDENT_HEADER, incident(0), strict=True) if h != "grade"]]
    f = write_csv(tmp_path / "nograde.csv", header, rows)
    with pytest.raises(
        DataError,
        match=r"nograde\.csv lacks required incidents column\(s\) "
        r"grade; found incident_id, created_at",
    ):
        load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert count(empty_warehouse, "SELECT count(*) FROM load_log") == 0


DISTRICT_HEADER = [
    "district_code",
    "district_name",
    "area",
    "force",
    "population",
    "population_year",
]


def test_a_forces_own_districts_load_with_their_force(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    """A districts file is the force's whole list: it supersedes the stored one."""
    rows = [
        ["E07000008", "Cambridge", "South", "Cambridgeshire Constabulary", "125758", "2019"],
        ["E07000099", "Newtown", "North", "Cambridgeshire Constabulary", "1000", "2019"],
    ]
    r = load_extract(
        empty_warehouse, "districts", write_csv(tmp_path / "d.csv", DISTRICT_HEADER, rows), now=NOW
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined, r.updated) == (2, 2, 0, 1)
    assert "5 districts row(s) not in d.csv were removed (superseded)" in r.notes
    forces = fetch(empty_warehouse, "SELECT force, count(*) FROM districts GROUP BY 1 ORDER BY 1")
    assert forces == [("Cambridgeshire Constabulary", 2)]


def test_a_district_without_its_force_refuses_the_whole_list(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    rows = [
        ["E07000008", "Cambridge", "South", "Cambridgeshire Constabulary", "125758", "2019"],
        ["E07000099", "Newtown", "North", "", "1000", "2019"],
    ]
    with pytest.raises(DataError, match=r"d\.csv row 2: force is empty but is required"):
        load_extract(
            empty_warehouse,
            "districts",
            write_csv(tmp_path / "d.csv", DISTRICT_HEADER, rows),
            now=NOW,
        )
    forces = fetch(empty_warehouse, "SELECT force, count(*) FROM districts GROUP BY 1 ORDER BY 1")
    assert forces == [("Demo Force", 6)]


def test_districts_without_a_force_column_are_refused_saying_what_it_is(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    header = [h for h in DISTRICT_HEADER if h != "force"]
    f = write_csv(tmp_path / "d.csv", header, [["E07000008", "Cambridge", "South", "1", "2019"]])
    with pytest.raises(
        DataError, match=r"d\.csv lacks required districts column\(s\) force"
    ) as err:
        load_extract(empty_warehouse, "districts", f, now=NOW)
    assert "add force, Police force the district belongs to" in (err.value.hint or "")
    assert count(empty_warehouse, "SELECT count(*) FROM load_log") == 0


def test_optional_column_absent_is_loaded_as_null(empty_warehouse: Path, tmp_path: Path) -> None:
    header = [h for h in INCIDENT_HEADER if h != "verbal_only"]
    rows = [incident(i)[:-1] for i in range(4)]
    r = load_extract(
        empty_warehouse, "incidents", write_csv(tmp_path / "i.csv", header, rows), now=NOW
    )
    assert r.absent_columns == ("verbal_only",)
    assert count(empty_warehouse, "SELECT count(verbal_only) FROM incidents") == 0
    assert count(empty_warehouse, "SELECT count(*) FROM incidents") == 4


@pytest.mark.parametrize(
    ("change", "rule", "column"),
    [
        ({"grade": "imediate"}, Rule.ENUM, "grade"),
        ({"grade": ""}, Rule.MISSING, "grade"),
        ({"created_at": "yesterday"}, Rule.TYPE, "created_at"),
        ({"verbal_only": "maybe"}, Rule.TYPE, "verbal_only"),
        ({"district_code": "E99999999"}, Rule.REFERENCE, "district_code"),
        ({"call_type_code": "NOPE"}, Rule.REFERENCE, "call_type_code"),
        # DOM (Domestic Incident) was retired on 5 January 2020
        (
            {
                "call_type_code": "DOM",
                "created_at": "2020-01-07 10:00:00",
                "dispatched_at": "",
                "arrived_at": "",
            },
            Rule.REFERENCE_DATE,
            "call_type_code",
        ),
        ({"arrived_at": "2019-11-30 23:00:00"}, Rule.TIME_ORDER, "arrived_at"),
        (
            {"created_at": "2020-03-01 10:00:00", "dispatched_at": "", "arrived_at": ""},
            Rule.FUTURE,
            "created_at",
        ),
        ({"arrived_at": "2019-12-09 00:00:01"}, Rule.IMPLAUSIBLE, "arrived_at"),
        ({"incident_id": "X" * 1001}, Rule.TOO_LONG, "incident_id"),
    ],
)
def test_each_rule_quarantines_the_row_with_its_reason(
    empty_warehouse: Path, tmp_path: Path, change: dict[str, str], rule: Rule, column: str
) -> None:
    rows = [incident(0), incident(1, **change), incident(2)]
    r = load_extract(
        empty_warehouse, "incidents", write_csv(tmp_path / "i.csv", INCIDENT_HEADER, rows), now=NOW
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (3, 2, 1)
    assert_accounts(empty_warehouse, r)
    q = fetch(
        empty_warehouse,
        "SELECT file_name, row_number, column_name, rule, message, raw FROM quarantine",
    )
    assert (q[0][0], q[0][1], q[0][2], q[0][3]) == ("i.csv", 2, column, str(rule))
    assert q[0][4].startswith("i.csv row 2: ")
    raw = json.loads(q[0][5]) if len(q[0][5]) < 2000 else {}
    if raw:
        assert raw["incident_id"] == incident(1, **change)[0]
    assert count(empty_warehouse, "SELECT count(*) FROM incidents") == 2


def test_enum_message_names_value_and_allowed(empty_warehouse: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "i.csv", INCIDENT_HEADER, [incident(0, grade="imediate")])
    load_extract(empty_warehouse, "incidents", f, now=NOW)
    (msg,) = fetch(empty_warehouse, "SELECT message FROM quarantine")[0]
    assert msg == (
        'i.csv row 1: grade "imediate" is not one of immediate, prompt, scheduled, '
        "resolved_without_deployment"
    )


def test_row_with_several_problems_is_counted_once(empty_warehouse: Path, tmp_path: Path) -> None:
    rows = [incident(0, grade="bad", source="pigeon", district_code="nowhere"), incident(1)]
    r = load_extract(
        empty_warehouse, "incidents", write_csv(tmp_path / "i.csv", INCIDENT_HEADER, rows), now=NOW
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    rules = fetch(empty_warehouse, "SELECT rule, column_name FROM quarantine ORDER BY 2")
    assert rules == [("reference", "district_code"), ("enum", "grade"), ("enum", "source")]


def test_uk_date_formats_and_boolean_words(empty_warehouse: Path, tmp_path: Path) -> None:
    rows = [
        incident(
            0,
            created_at="01/12/2019 10:00",
            dispatched_at="01/12/2019 10:01:30",
            arrived_at="2019-12-01T10:20:00",
            verbal_only="Yes",
        )
    ]
    r = load_extract(
        empty_warehouse, "incidents", write_csv(tmp_path / "i.csv", INCIDENT_HEADER, rows), now=NOW
    )
    assert r.rows_loaded == 1
    got = fetch(
        empty_warehouse, "SELECT created_at, dispatched_at, arrived_at, verbal_only FROM incidents"
    )[0]
    assert got == (
        dt.datetime(2019, 12, 1, 10, 0),
        dt.datetime(2019, 12, 1, 10, 1, 30),
        dt.datetime(2019, 12, 1, 10, 20),
        True,
    )


def test_same_file_twice_adds_nothing(empty_warehouse: Path, tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "i.csv",
        INCIDENT_HEADER,
        [incident(i) for i in range(10)] + [incident(10, grade="x")],
    )
    first = load_extract(empty_warehouse, "incidents", f, now=NOW)
    before = fetch(
        empty_warehouse,
        "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM quarantine)",
    )
    again = load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert again.status is LoadStatus.DUPLICATE and again.duplicate_of == first.load_id
    assert (again.rows_read, again.rows_loaded, again.rows_quarantined) == (0, 0, 0)
    assert_accounts(empty_warehouse, again)
    assert (
        fetch(
            empty_warehouse,
            "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM quarantine)",
        )
        == before
    )


def test_reextract_restates_changed_records_and_keeps_history(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    first = [crime(i) for i in range(5)]
    load_extract(
        empty_warehouse, "crimes", write_csv(tmp_path / "c1.csv", CRIME_HEADER, first), now=NOW
    )
    # A month later: CR00001 reclassified, CR00002 cancelled, CR00003 given outcome 1 (charged),
    # CR00004 unchanged apart from nothing, CR00000 unchanged, and a new crime CR00005.
    second = [
        crime(0),
        crime(1, offence_code="8L"),
        crime(2, status="cancelled"),
        crime(3, status="finalised", outcome_code="1", outcome_at="2019-12-20 10:00:00"),
        crime(4),
        crime(5),
    ]
    r = load_extract(
        empty_warehouse, "crimes", write_csv(tmp_path / "c2.csv", CRIME_HEADER, second), now=NOW
    )
    assert (r.inserted, r.updated, r.unchanged) == (1, 3, 2)
    assert r.values_restated == 5  # 1 offence + 1 status + (status, outcome_code, outcome_at)
    assert_accounts(empty_warehouse, r)
    history = fetch(
        empty_warehouse,
        "SELECT record_key, column_name, old_value, new_value FROM restatements ORDER BY 1, 2",
    )
    assert history == [
        ("CR00001", "offence_code", "8N", "8L"),
        ("CR00002", "status", "open", "cancelled"),
        ("CR00003", "outcome_at", None, "2019-12-20 10:00:00"),
        ("CR00003", "outcome_code", None, "1"),
        ("CR00003", "status", "open", "finalised"),
    ]
    assert fetch(
        empty_warehouse, "SELECT status, outcome_code FROM crimes WHERE crime_id = 'CR00003'"
    ) == [("finalised", 1)]
    assert count(empty_warehouse, "SELECT count(*) FROM crimes") == 6


def test_reextract_without_a_column_keeps_its_stored_values(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    load_extract(
        empty_warehouse,
        "incidents",
        write_csv(tmp_path / "a.csv", INCIDENT_HEADER, [incident(0)]),
        now=NOW,
    )
    header = [h for h in INCIDENT_HEADER if h != "verbal_only"]
    r = load_extract(
        empty_warehouse,
        "incidents",
        write_csv(tmp_path / "b.csv", header, [incident(0, grade="prompt")[:-1]]),
        now=NOW,
    )
    assert (r.updated, r.values_restated) == (1, 1)
    assert fetch(empty_warehouse, "SELECT grade, verbal_only FROM incidents") == [("prompt", False)]


def test_parquet_and_xlsx_extracts_load_like_csv(empty_warehouse: Path, tmp_path: Path) -> None:
    import openpyxl

    rows = [incident(i) for i in range(6)] + [incident(6, grade="urgent")]
    csv_file = write_csv(tmp_path / "i.csv", INCIDENT_HEADER, rows)
    pq = tmp_path / "i.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_file}', all_varchar=true)) TO '{pq}'")
    con.close()
    xlsx = tmp_path / "i.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(INCIDENT_HEADER)
    for row in rows:
        # Excel holds real timestamps and booleans, not text
        cells: list[object] = list(row)
        cells[1] = dt.datetime.fromisoformat(row[1])
        cells[9] = row[9] == "true"
        sheet.append(cells)
    book.save(xlsx)
    results = []
    for table_file in (csv_file, pq, xlsx):
        results.append(load_extract(empty_warehouse, "incidents", table_file, now=NOW))
    csv_r, pq_r, xl_r = results
    assert (csv_r.inserted, csv_r.rows_quarantined) == (6, 1)
    for r in (pq_r, xl_r):
        assert (r.rows_read, r.rows_quarantined, r.unchanged, r.updated) == (7, 1, 6, 0)
        assert_accounts(empty_warehouse, r)
    assert fetch(empty_warehouse, "SELECT DISTINCT row_number FROM quarantine") == [(7,)]


def test_public_and_system_tables_are_refused(empty_warehouse: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "x.csv", ["a"], [["1"]])
    with pytest.raises(InputError, match="police-uk"):
        load_extract(empty_warehouse, "public_crimes", f)
    with pytest.raises(InputError, match="load_log cannot be loaded"):
        load_extract(empty_warehouse, "load_log", f)


def test_children_must_reference_loaded_crimes(empty_warehouse: Path, tmp_path: Path) -> None:
    load_extract(
        empty_warehouse, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, [crime(0)]), now=NOW
    )
    header = ["crime_id", "victim_id", "vcc_agreed", "hub_referral_declined"]
    rows = [["CR00000", "V1", "true", "false"], ["CR99999", "V2", "false", "false"]]
    r = load_extract(
        empty_warehouse, "crime_victims", write_csv(tmp_path / "v.csv", header, rows), now=NOW
    )
    assert (r.rows_loaded, r.rows_quarantined) == (1, 1)
    assert fetch(empty_warehouse, "SELECT rule, value FROM quarantine") == [
        ("reference", "CR99999")
    ]


def test_integers_must_be_whole_and_in_range(empty_warehouse: Path, tmp_path: Path) -> None:
    header = ["snapshot_date", "crimes_awaiting_qa"]
    rows = [
        ["2019-12-01", "12"],
        ["2019-12-02", "13.0"],
        ["2019-12-03", "3.5"],
        ["2019-12-04", "-1"],
        ["04/12/2019", "7"],
    ]
    r = load_extract(
        empty_warehouse, "qa_backlog", write_csv(tmp_path / "qa.csv", header, rows), now=NOW
    )
    # 12 and 13.0 load; 3.5 is not a whole number; -1 is below the minimum 0; 04/12/2019 is the
    # same day as row 4, which was rejected, so it loads
    assert (r.rows_loaded, r.rows_quarantined) == (3, 2)
    assert fetch(empty_warehouse, "SELECT row_number, rule FROM quarantine ORDER BY 1") == [
        (3, "type"),
        (4, "range"),
    ]
    assert fetch(empty_warehouse, "SELECT crimes_awaiting_qa FROM qa_backlog ORDER BY 1") == [
        (7,),
        (12,),
        (13,),
    ]


def test_surrounding_spaces_are_ignored(empty_warehouse: Path, tmp_path: Path) -> None:
    row = incident(
        0,
        grade=" immediate ",
        created_at=" 2019-12-01 00:00:00",
        district_code="E07000008 ",
        verbal_only=" TRUE ",
    )
    r = load_extract(
        empty_warehouse, "incidents", write_csv(tmp_path / "i.csv", INCIDENT_HEADER, [row]), now=NOW
    )
    assert r.rows_loaded == 1
    assert fetch(
        empty_warehouse, "SELECT grade, district_code, verbal_only, created_at FROM incidents"
    ) == [("immediate", "E07000008", True, dt.datetime(2019, 12, 1))]
