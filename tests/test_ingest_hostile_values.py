"""Hostile values: one bad value in an otherwise good file, for every kind of extract.

Each kind states its outcome (loaded with the value read exactly, quarantined with the named
rule and column, or the file refused with its message) and every load keeps rows read = rows
loaded + rows quarantined. File-level faults (encodings, quoting, line endings) are in
``test_ingest_hostile_files.py``; the shape faults of the first suite in
``test_ingest_hostile.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from force_helpers import create_force
from forcepack.contract.spec import TABLES, Role
from forcepack.errors import DataError
from forcepack.ingest import LoadResult, Rule, load_extract, load_police_uk
from forcepack.ingest.grammar import DATE_FUTURE_ALLOWANCE, EARLIEST_DATE, MAX_SPANS
from ingest_helpers import (
    CRIME_HEADER,
    DISTRICTS,
    INCIDENT_HEADER,
    assert_accounts,
    count,
    crime,
    fetch,
    incident,
)
from rows import csv_row

NOW = dt.datetime(2020, 1, 15, 12, 0)
N_CRIMES = 10

CALL_HEADER = list(TABLES["calls"].column_names)
SURVEY_HEADER = list(TABLES["survey_responses"].column_names)
VICTIM_HEADER = list(TABLES["crime_victims"].column_names)
CONTACT_HEADER = list(TABLES["victim_contacts"].column_names)
#: An offences extract with the optional columns left out (a table of codes and weights).
OFFENCE_HEADER = ["offence_code", "offence_name", "ho_group", "police_uk_category", "harm_days"]
STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]


def _row(header: list[str], row: dict[str, str], change: dict[str, str]) -> list[str]:
    row.update(change)
    return [row[h] for h in header]


def call(i: int, **change: str) -> list[str]:
    """A 101 call offered 1 Dec 2019 plus i minutes, answered after 30 s, lasting 5 minutes."""
    t = dt.datetime(2019, 12, 1, 10, 0) + dt.timedelta(minutes=i)
    row = {
        "call_id": f"CALL{i:05d}",
        "line": "101",
        "offered_at": t,
        "answered_at": t + dt.timedelta(seconds=30),
        "ended_at": t + dt.timedelta(minutes=5),
        "secondary": False,
    }
    return csv_row("calls", CALL_HEADER, **{**row, **change})


def survey(i: int, **change: str) -> list[str]:
    row = {
        "response_id": f"SR{i:05d}",
        "survey": "victim",
        "crime_id": f"CR{i % N_CRIMES:05d}",
        "interviewed_at": f"2019-12-{1 + i % 28:02d} 14:00:00",
        "district_code": DISTRICTS[i % 6],
        "crime_group": "burglary",
        "ease_of_contact": 1,
        "actions_taken": 2,
        "follow_up": 3,
        "treatment": 1,
        "overall": 2,
    }
    return csv_row("survey_responses", SURVEY_HEADER, **{**row, **change})


def victim(i: int, **change: str) -> list[str]:
    row = {
        "crime_id": f"CR{i % N_CRIMES:05d}",
        "victim_id": f"P{i:06d}",
        "vcc_agreed": True,
        "vcc_contact_days": 7,
        "hub_referred_at": f"2019-11-{1 + i % 28:02d} 12:00:00",
        "hub_referral_declined": False,
    }
    return csv_row("crime_victims", VICTIM_HEADER, **{**row, **change})


def contact(i: int, **change: str) -> list[str]:
    row = {
        "contact_id": f"VC{i:05d}",
        "crime_id": f"CR{i % N_CRIMES:05d}",
        "victim_id": f"P{i:06d}",
        "contact_at": f"2019-12-{1 + i % 28:02d} 11:00:00",
        "contact_type": "update",
        "channel": "phone",
    }
    return csv_row("victim_contacts", CONTACT_HEADER, **{**row, **change})


def offence(i: int, **change: str) -> list[str]:
    row = {
        "offence_code": f"ZZ{i}",
        "offence_name": f"Test offence {i}",
        "ho_group": "Theft offences",
        "police_uk_category": "Other theft",
        "harm_days": 2.5,
    }
    return csv_row("offences", OFFENCE_HEADER, **{**row, **change})


def street(i: int, **change: str) -> list[str]:
    row = {
        "Crime ID": f"{i:064x}",
        "Month": "2019-12",
        "Reported by": "Cambridgeshire Constabulary",
        "Falls within": "Cambridgeshire Constabulary",
        "Longitude": "0.123456",
        "Latitude": "52.205337",
        "Location": "On or near Mill Road",
        "LSOA code": "E01017959",
        "LSOA name": "Cambridge 012A",
        "Crime type": "Burglary",
        "Last outcome category": "Under investigation",
        "Context": "",
    }
    return _row(STREET_HEADER, row, change)


OUTCOME_HEADER = [*STREET_HEADER[:9], "Outcome type"]


def outcome(i: int, **change: str) -> list[str]:
    row = dict(zip(STREET_HEADER, street(i), strict=True))
    row["Month"] = "2020-01"
    row["Outcome type"] = "Investigation complete; no suspect identified"
    return _row(OUTCOME_HEADER, row, change)


MAKERS: dict[str, tuple[list[str], Callable[..., list[str]]]] = {
    "crimes": (CRIME_HEADER, crime),
    "incidents": (INCIDENT_HEADER, incident),
    "calls": (CALL_HEADER, call),
    "survey_responses": (SURVEY_HEADER, survey),
    "crime_victims": (VICTIM_HEADER, victim),
    "victim_contacts": (CONTACT_HEADER, contact),
    "offences": (OFFENCE_HEADER, offence),
    "police_uk": (STREET_HEADER, street),
    "police_uk_outcomes": (OUTCOME_HEADER, outcome),
}


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse holding ten crimes (for the tables that refer to crimes)."""
    folder = tmp_path_factory.mktemp("hostile-values")
    db = create_force(folder / "base.duckdb")
    f = folder / "crimes.csv"
    f.write_bytes(csv_bytes(CRIME_HEADER, [crime(i) for i in range(N_CRIMES)]))
    r = load_extract(db, "crimes", f, now=NOW)
    assert r.rows_loaded == N_CRIMES
    return db


@pytest.fixture
def db(base: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(base, tmp_path / "warehouse.duckdb"))


def load(db: Path, table: str, path: Path) -> LoadResult:
    if table.startswith("police_uk"):
        (result,) = load_police_uk(db, [path])
        return result
    return load_extract(db, table, path, now=NOW)


def write(tmp_path: Path, table: str, rows: list[list[str]]) -> Path:
    header = MAKERS[table][0]
    name = {
        "police_uk": "2019-12-cambridgeshire-street.csv",
        "police_uk_outcomes": "2020-01-cambridgeshire-outcomes.csv",
    }.get(table, f"{table}.csv")
    path = tmp_path / name
    path.write_bytes(csv_bytes(header, rows))
    return path


@dataclass(frozen=True)
class Kind:
    """One hostile value: row 2 of a four-row file of ``table`` gets ``change``."""

    name: str
    table: str
    change: dict[str, str]
    rule: Rule | None = None  # quarantined with this rule on ``column``
    column: str | None = None
    stored: tuple[str, object] | None = None  # loaded: (SQL over the row, expected value)
    extra: dict[str, str] = field(default_factory=dict)  # other columns of the bad row


def q(name: str, table: str, rule: Rule, column: str, **change: str) -> Kind:
    return Kind(name, table, change, rule, column)


def ok(name: str, table: str, change: dict[str, str], sql: str, value: object) -> Kind:
    return Kind(name, table, change, stored=(sql, value))


T = dt.datetime
KINDS = [
    # dates and timestamps: words, extreme years, broken calendars
    q("ts-infinity", "crimes", Rule.TYPE, "recorded_at", recorded_at="infinity"),
    q("ts-minus-infinity", "crimes", Rule.TYPE, "recorded_at", recorded_at="-infinity"),
    q("ts-epoch", "crimes", Rule.TYPE, "recorded_at", recorded_at="epoch"),
    q("ts-today", "crimes", Rule.TYPE, "recorded_at", recorded_at="today"),
    q("ts-now", "crimes", Rule.TYPE, "recorded_at", recorded_at="now"),
    q("ts-year-1", "crimes", Rule.RANGE, "recorded_at", recorded_at="0001-01-01 00:00:00"),
    q("ts-1899", "crimes", Rule.RANGE, "recorded_at", recorded_at="1899-12-31 23:59:59"),
    q("ts-bc", "crimes", Rule.TYPE, "recorded_at", recorded_at="-2019-12-01"),
    q("ts-bc-word", "crimes", Rule.TYPE, "recorded_at", recorded_at="2019-12-01 (BC)"),
    q("ts-5-digit-year", "crimes", Rule.TYPE, "recorded_at", recorded_at="20190-12-01 09:00"),
    q("ts-30-february", "crimes", Rule.TYPE, "recorded_at", recorded_at="2019-02-30 10:00:00"),
    q("ts-31-02-slash", "crimes", Rule.TYPE, "recorded_at", recorded_at="31/02/2019 10:00"),
    q("ts-bad-offset", "crimes", Rule.TYPE, "recorded_at", recorded_at="2019-07-02T09:07+99:00"),
    q("ts-unix-seconds", "crimes", Rule.TYPE, "recorded_at", recorded_at="1575190800"),
    q("ts-nbsp", "incidents", Rule.TYPE, "arrived_at", arrived_at="2019-12-01 00:12:00\u00a0"),
    q("date-9999", "crimes", Rule.RANGE, "next_review_due", next_review_due="9999-12-31"),
    q("date-with-time", "crimes", Rule.TYPE, "next_review_due", next_review_due="2019-12-31 17:30"),
    q("date-year-1", "crimes", Rule.RANGE, "next_review_due", next_review_due="0001-01-01"),
    q("month-13", "police_uk", Rule.TYPE, "month", Month="2019-13"),
    q("month-year-1", "police_uk", Rule.RANGE, "month", Month="0001-01"),
    q("month-infinity", "police_uk", Rule.TYPE, "month", Month="infinity"),
    # times with an offset are converted to Europe/London; naive ones are kept
    ok(
        "ts-z-summer",
        "crimes",
        {"recorded_at": "2019-07-02T09:07Z"},
        "SELECT recorded_at FROM crimes WHERE crime_id = 'CR00001'",
        T(2019, 7, 2, 10, 7),
    ),
    ok(
        "ts-offset-summer",
        "crimes",
        {"recorded_at": "2019-07-02T09:07:00+01:00"},
        "SELECT recorded_at FROM crimes WHERE crime_id = 'CR00001'",
        T(2019, 7, 2, 9, 7),
    ),
    ok(
        "ts-offset-india",
        "crimes",
        {"recorded_at": "2019-07-02 09:07:00+0530"},
        "SELECT recorded_at FROM crimes WHERE crime_id = 'CR00001'",
        T(2019, 7, 2, 4, 37),
    ),
    ok(
        "ts-z-winter-fraction",
        "calls",
        {"ended_at": "2019-12-01T10:06:00.250Z"},
        "SELECT ended_at FROM calls WHERE call_id = 'CALL00001'",
        T(2019, 12, 1, 10, 6, 0, 250000),
    ),
    ok(
        "ts-offset-us",
        "crime_victims",
        {"hub_referred_at": "2019-11-02T10:00:00-05:00"},
        "SELECT hub_referred_at FROM crime_victims WHERE victim_id = 'P000001'",
        T(2019, 11, 2, 15, 0),
    ),
    ok(
        "ts-naive-kept",
        "crimes",
        {"recorded_at": "2019-07-02T09:07"},
        "SELECT recorded_at FROM crimes WHERE crime_id = 'CR00001'",
        T(2019, 7, 2, 9, 7),
    ),
    # one US-style date proves the column month-first
    ok(
        "date-us-proves-order",
        "survey_responses",
        {"interviewed_at": "12/25/2019 14:00"},
        "SELECT interviewed_at FROM survey_responses WHERE response_id = 'SR00001'",
        T(2019, 12, 25, 14, 0),
    ),
    # numbers: only plain decimals
    q("int-underscore", "survey_responses", Rule.TYPE, "overall", overall="1_4"),
    q("int-exponent", "survey_responses", Rule.TYPE, "overall", overall="1e0"),
    q("int-hex", "survey_responses", Rule.TYPE, "overall", overall="0x5"),
    q("int-thousands", "crime_victims", Rule.TYPE, "vcc_contact_days", vcc_contact_days="1,000"),
    q("int-plus", "survey_responses", Rule.TYPE, "overall", overall="+5"),
    q("int-nan", "survey_responses", Rule.TYPE, "overall", overall="NaN"),
    q("int-inf", "survey_responses", Rule.TYPE, "overall", overall="inf"),
    q("int-fraction", "crime_victims", Rule.TYPE, "vcc_contact_days", vcc_contact_days="7.5"),
    q("int-overflow", "crime_victims", Rule.TYPE, "vcc_contact_days", vcc_contact_days="9" * 25),
    q("int-arabic-digit", "survey_responses", Rule.TYPE, "overall", overall="\u0665"),
    q("int-zero-range", "survey_responses", Rule.RANGE, "overall", overall="0"),
    q("int-outcome-code-hex", "crimes", Rule.TYPE, "outcome_code", outcome_code="0x1"),
    q("dec-exponent", "offences", Rule.TYPE, "harm_days", harm_days="1e3"),
    q("dec-overflow", "offences", Rule.TYPE, "harm_days", harm_days="9" * 400),
    q("dec-comma", "offences", Rule.TYPE, "harm_days", harm_days="2,5"),
    q("dec-negative", "offences", Rule.RANGE, "harm_days", harm_days="-0.5"),
    q("dec-longitude-exponent", "police_uk", Rule.TYPE, "longitude", Longitude="1e-05"),
    q("dec-latitude-range", "police_uk", Rule.RANGE, "latitude", Latitude="91.5"),
    ok(
        "int-spaces-trimmed",
        "survey_responses",
        {"overall": " 5 "},
        "SELECT overall FROM survey_responses WHERE response_id = 'SR00001'",
        5,
    ),
    ok(
        "int-whole-decimal",
        "survey_responses",
        {"overall": "5.0"},
        "SELECT overall FROM survey_responses WHERE response_id = 'SR00001'",
        5,
    ),
    # control characters in ids and text
    q("nul-in-crime-id", "crimes", Rule.CONTROL, "crime_id", crime_id="CR\x0000001"),
    q("tab-in-crime-id", "crimes", Rule.CONTROL, "crime_id", crime_id="CR\t00001"),
    q("nul-in-victim-id", "crime_victims", Rule.CONTROL, "victim_id", victim_id="P\x00000001"),
    q("ansi-in-victim-id", "crime_victims", Rule.CONTROL, "victim_id", victim_id="\x1b[31mP1"),
    q("del-in-person", "victim_contacts", Rule.CONTROL, "victim_id", victim_id="P0000\x7f01"),
    q(
        "c1-in-lsoa-name",
        "police_uk",
        Rule.CONTROL,
        "lsoa_name",
        **{"LSOA name": "Cambridge\x85012A"},
    ),
    q("vt-in-district", "incidents", Rule.CONTROL, "district_code", district_code="E07000008\x0b"),
    q("nul-in-police-crime-id", "police_uk", Rule.CONTROL, "crime_id", **{"Crime ID": "ab\x00"}),
    q(
        "outcome-text-with-tab",
        "police_uk_outcomes",
        Rule.CONTROL,
        "outcome_type",
        **{"Outcome type": "Local resolution\t"},
    ),
    q("outcome-month-words", "police_uk_outcomes", Rule.TYPE, "month", Month="January 2020"),
    q("outcome-month-future", "police_uk_outcomes", Rule.RANGE, "month", Month="2999-01"),
    # order of times, and spans
    q(
        "call-answered-after-end",
        "calls",
        Rule.TIME_ORDER,
        "ended_at",
        answered_at="2019-12-01 10:09:00",
    ),
    q(
        "call-offered-after-answer",
        "calls",
        Rule.TIME_ORDER,
        "answered_at",
        offered_at="2019-12-01 10:01:40",
    ),
    q("call-40-days", "calls", Rule.IMPLAUSIBLE, "ended_at", ended_at="2020-01-10 10:01:00"),
    q(
        "call-25-hour-queue",
        "calls",
        Rule.IMPLAUSIBLE,
        "answered_at",
        answered_at="2019-12-02 11:01",
    ),
    q(
        "incident-8-days",
        "incidents",
        Rule.IMPLAUSIBLE,
        "arrived_at",
        arrived_at="2019-12-09 00:02",
    ),
    q(
        "contact-future",
        "victim_contacts",
        Rule.FUTURE,
        "contact_at",
        contact_at="2020-02-01 09:00",
    ),
]


def test_there_are_at_least_forty_kinds() -> None:
    assert len(KINDS) >= 40
    assert len({k.name for k in KINDS}) == len(KINDS)
    tables = {k.table for k in KINDS}
    assert {"crimes", "incidents", "calls", "survey_responses", "crime_victims", "police_uk"} <= (
        tables
    )


def _inner_loop(kinds: list[Kind]) -> list[Any]:
    """The cases as parameters: the first of each rule and of each table run in the inner loop
    (every rule and every table is met there), the rest of the matrix is marked ``slow``."""
    rules: set[object] = set()
    tables: set[str] = set()
    out = []
    for k in kinds:
        first = k.rule not in rules or k.table not in tables
        rules.add(k.rule)
        tables.add(k.table)
        out.append(pytest.param(k, id=k.name, marks=() if first else pytest.mark.slow))
    return out


@pytest.mark.parametrize("kind", _inner_loop(KINDS))
def test_hostile_value(db: Path, tmp_path: Path, kind: Kind) -> None:
    make = MAKERS[kind.table][1]
    rows = [make(0), make(1, **kind.change), make(2), make(3)]
    if kind.rule is not None and kind.table in TABLES and TABLES[kind.table].role is Role.REFERENCE:
        # a reference list loads whole or not at all: the bad row refuses the file
        before = fetch(db, f"SELECT count(*) FROM {kind.table}")
        with pytest.raises(DataError, match="was not loaded") as err:
            load(db, kind.table, write(tmp_path, kind.table, rows))
        assert f"row 2: {kind.column}" in str(err.value)
        assert fetch(db, f"SELECT count(*) FROM {kind.table}") == before
        return
    r = load(db, kind.table, write(tmp_path, kind.table, rows))
    assert_accounts(db, r)
    assert r.rows_read == 4 == r.rows_loaded + r.rows_quarantined
    if kind.rule is None:
        assert kind.stored is not None
        assert (r.rows_loaded, r.rows_quarantined) == (4, 0)
        sql, value = kind.stored
        assert fetch(db, sql) == [(value,)]
        return
    assert (r.rows_loaded, r.rows_quarantined) == (3, 1)
    got = fetch(
        db,
        "SELECT row_number, column_name, rule, message FROM quarantine "
        f"WHERE load_id = '{r.load_id}' ORDER BY rule",
    )
    assert (2, kind.column, str(kind.rule)) in [g[:3] for g in got]
    message = next(g[3] for g in got if g[2] == str(kind.rule))
    assert message.startswith(f"{r.file} row 2: "), message
    assert kind.column is not None and kind.column in message
    assert not any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in message), message


# ---------------------------------------------------------------------------------------------
# Day and month order: decided per column from the whole file, never per row


def _crimes(tmp_path: Path, changes: list[dict[str, str]], name: str = "crimes.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(CRIME_HEADER, [crime(100 + i, **c) for i, c in enumerate(changes)]))
    return path


def _recorded(db: Path) -> list[dt.datetime]:
    return [r[0] for r in fetch(db, "SELECT recorded_at FROM crimes WHERE crime_id >= 'CR00100'")]


def test_day_first_evidence_reads_ambiguous_dates_day_first(db: Path, tmp_path: Path) -> None:
    f = _crimes(tmp_path, [{"recorded_at": "25/11/2019 09:30"}, {"recorded_at": "03/01/2019"}])
    r = load_extract(db, "crimes", f, now=NOW)
    assert (r.rows_loaded, r.rows_quarantined) == (2, 0)
    assert sorted(_recorded(db)) == [T(2019, 1, 3), T(2019, 11, 25, 9, 30)]
    assert not any("recorded_at" in n for n in r.notes)


def test_month_first_evidence_reads_the_whole_column_month_first(db: Path, tmp_path: Path) -> None:
    f = _crimes(tmp_path, [{"recorded_at": "03/01/2019 08:00"}, {"recorded_at": "12/25/2019"}])
    r = load_extract(db, "crimes", f, now=NOW)
    assert (r.rows_loaded, r.rows_quarantined) == (2, 0)
    assert sorted(_recorded(db)) == [T(2019, 3, 1, 8, 0), T(2019, 12, 25)]
    assert any("recorded_at" in n and "month-first" in n and "12/25/2019" in n for n in r.notes)


def test_a_column_with_both_orders_is_refused_naming_rows_and_values(
    db: Path, tmp_path: Path
) -> None:
    f = _crimes(
        tmp_path,
        [
            {"recorded_at": "01/02/2019 10:00"},
            {"recorded_at": "25/11/2019 10:00"},
            {"recorded_at": "11/26/2019 10:00"},
        ],
    )
    with pytest.raises(DataError) as err:
        load_extract(db, "crimes", f, now=NOW)
    text = str(err.value)
    assert text.startswith("extract crimes.csv: recorded_at has day-first dates (row 2: ")
    assert '"25/11/2019 10:00"' in text and '(row 3: "11/26/2019 10:00")' in text
    assert "DD/MM/YYYY or MM/DD/YYYY" in text
    assert count(db, "SELECT count(*) FROM crimes") == N_CRIMES
    assert count(db, "SELECT count(*) FROM load_log WHERE file_name = 'crimes.csv'") == 1


def test_no_evidence_reads_day_first_and_the_load_says_so(db: Path, tmp_path: Path) -> None:
    f = _crimes(tmp_path, [{"recorded_at": "03/01/2019 10:00"}, {"recorded_at": "2019-06-01"}])
    r = load_extract(db, "crimes", f, now=NOW)
    assert sorted(_recorded(db)) == [T(2019, 1, 3, 10, 0), T(2019, 6, 1)]
    (note,) = [n for n in r.notes if n.startswith("recorded_at")]
    assert "day-first" in note and "no date in the file shows its day/month order" in note


def test_a_column_without_evidence_follows_the_files_other_columns(
    db: Path, tmp_path: Path
) -> None:
    f = _crimes(tmp_path, [{"recorded_at": "11/25/2019 10:00", "next_review_due": "03/01/2020"}])
    r = load_extract(db, "crimes", f, now=NOW)
    assert fetch(
        db, "SELECT recorded_at, next_review_due FROM crimes WHERE crime_id = 'CR00100'"
    ) == [(T(2019, 11, 25, 10, 0), dt.date(2020, 3, 1))]
    assert any(n.startswith("next_review_due") and "month-first" in n for n in r.notes)


def test_order_messages_name_the_files_order(db: Path, tmp_path: Path) -> None:
    f = _crimes(tmp_path, [{"recorded_at": "12/25/2019"}, {"recorded_at": "13/13/2019"}])
    r = load_extract(db, "crimes", f, now=NOW)
    assert (r.rows_loaded, r.rows_quarantined) == (1, 1)
    (msg,) = fetch(db, f"SELECT message FROM quarantine WHERE load_id = '{r.load_id}'")[0]
    assert msg.startswith('crimes.csv row 2: recorded_at "13/13/2019" is not a timestamp; allowed:')
    assert "MM/DD/YYYY" in msg


# ---------------------------------------------------------------------------------------------
# Parquet timestamps with a time zone


def test_parquet_timestamps_with_a_zone_are_converted_to_london(db: Path, tmp_path: Path) -> None:
    utc = [T(2019, 7, 2, 9, 7), T(2019, 12, 1, 9, 7)]
    table = pa.table(
        {
            "call_id": ["A1", "A2"],
            "line": ["999", "101"],
            "offered_at": pa.array(utc, type=pa.timestamp("us", tz="UTC")),
            "answered_at": pa.array(
                [t + dt.timedelta(minutes=1) for t in utc],
                type=pa.timestamp("us", tz="America/New_York"),
            ),
            "ended_at": pa.array(  # naive: local time already
                [T(2019, 7, 2, 10, 10), T(2019, 12, 1, 9, 10)], type=pa.timestamp("ms")
            ),
            "secondary": [False, True],
        }
    )
    f = tmp_path / "calls.parquet"
    pq.write_table(table, f)
    con = duckdb.connect(str(db))
    try:
        # the staging cast writes zoned times in the session's zone: any zone must give London
        con.execute("SET TimeZone = 'Asia/Tokyo'")
        r = load_extract(con, "calls", f, now=NOW)
    finally:
        con.close()
    assert (r.rows_loaded, r.rows_quarantined) == (2, 0)
    got = fetch(db, "SELECT offered_at, answered_at, ended_at FROM calls ORDER BY call_id")
    assert got == [
        # 09:07 UTC is 10:07 BST in July and 09:07 GMT in December
        (T(2019, 7, 2, 10, 7), T(2019, 7, 2, 10, 8), T(2019, 7, 2, 10, 10)),
        (T(2019, 12, 1, 9, 7), T(2019, 12, 1, 9, 8), T(2019, 12, 1, 9, 10)),
    ]


# ---------------------------------------------------------------------------------------------
# Messages and the documented constants


def test_control_character_message_names_the_code_point(db: Path, tmp_path: Path) -> None:
    rows = [victim(0), victim(1, victim_id="P\x0012")]
    r = load(db, "crime_victims", write(tmp_path, "crime_victims", rows))
    assert (r.rows_loaded, r.rows_quarantined) == (1, 1)
    (msg, value) = fetch(db, "SELECT message, value FROM quarantine")[0]
    assert msg == (
        'crime_victims.csv row 2: victim_id "P\ufffd12" holds control character U+0000 at '
        "character 2; allowed: text without control characters (U+0000-U+001F, U+007F-U+009F: "
        "NUL, tab, line breaks)"
    )
    assert value == "P\x0012"  # the quarantine keeps the value as received


def test_number_and_time_messages_say_what_is_allowed(db: Path, tmp_path: Path) -> None:
    rows = [survey(0, overall="1_4"), survey(1, interviewed_at="today")]
    r = load(db, "survey_responses", write(tmp_path, "survey_responses", rows))
    assert r.rows_quarantined == 2
    msgs = [m for (m,) in fetch(db, "SELECT message FROM quarantine ORDER BY row_number")]
    assert msgs[0].startswith(
        'survey_responses.csv row 1: overall "1_4" is not an integer; allowed: a whole number'
    )
    assert msgs[1].startswith('survey_responses.csv row 2: interviewed_at "today" is not a')
    assert "YYYY-MM-DD HH:MM[:SS]" in msgs[1] and "DD/MM/YYYY" in msgs[1]


def test_plausible_date_range_uses_the_named_constants(db: Path, tmp_path: Path) -> None:
    latest = NOW.date() + DATE_FUTURE_ALLOWANCE
    changes = [
        {"next_review_due": f"{latest:%Y-%m-%d}"},
        {"next_review_due": f"{latest + dt.timedelta(days=1):%Y-%m-%d}"},
        {"next_review_due": f"{EARLIEST_DATE:%Y-%m-%d}"},
        {"next_review_due": f"{EARLIEST_DATE - dt.timedelta(days=1):%Y-%m-%d}"},
    ]
    r = load_extract(db, "crimes", _crimes(tmp_path, changes), now=NOW)
    assert (r.rows_loaded, r.rows_quarantined) == (2, 2)
    got = fetch(
        db, f"SELECT row_number, rule, message FROM quarantine WHERE load_id = '{r.load_id}'"
    )
    assert sorted(g[0] for g in got) == [2, 4] and {g[1] for g in got} == {"range"}
    assert f"outside the plausible dates {EARLIEST_DATE} to {latest}" in got[0][2]


def test_call_span_limit_is_the_documented_one(db: Path, tmp_path: Path) -> None:
    limit = MAX_SPANS[("calls", "offered_at")]

    def ended(i: int, extra: dt.timedelta) -> str:  # call(i) is offered at 10:00 plus i minutes
        offered = dt.datetime(2019, 12, 1, 10, i)
        return f"{offered + limit + extra:%Y-%m-%d %H:%M:%S}"

    zero = dt.timedelta(0)
    rows = [call(0), call(1, ended_at=ended(1, zero)), call(2, ended_at=ended(2, zero))]
    rows.append(call(3, ended_at=ended(3, dt.timedelta(seconds=1))))  # one second too long
    r = load(db, "calls", write(tmp_path, "calls", rows))
    assert (r.rows_loaded, r.rows_quarantined) == (3, 1)
    (row, rule, msg) = fetch(db, "SELECT row_number, rule, message FROM quarantine")[0]
    assert (row, rule) == (4, "implausible")
    assert "more than 24 hours is not plausible" in msg


def test_every_rule_has_a_row_in_the_docs_table_with_an_example() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "ingest.md").read_text()
    rows = {
        line.split("|")[1].strip(" `"): line for line in docs.splitlines() if line.startswith("| `")
    }
    for rule in Rule:
        assert rule.value in rows, f"docs/ingest.md has no table row for rule {rule}"
        example = rows[rule.value].split("|")[3]
        assert " row " in example, f"the docs row of {rule} has no example message"


# ---------------------------------------------------------------------------------------------
# Parquet and Excel values are validated through the same grammars


def test_parquet_typed_values_follow_the_same_rules(db: Path, tmp_path: Path) -> None:
    rows = [crime(200 + i) for i in range(4)]
    columns = {h: [r[j] for r in rows] for j, h in enumerate(CRIME_HEADER)}
    columns["recorded_at"] = [T(2019, 11, 1, 9, 0), T(1, 1, 1), T(2019, 11, 3), T(2019, 11, 4)]
    columns["next_review_due"] = [
        dt.date(2019, 12, 31),
        dt.date(2019, 12, 31),
        dt.date(9999, 12, 31),
        dt.date(2020, 1, 31),
    ]
    table = pa.table(columns).set_column(
        CRIME_HEADER.index("outcome_code"),
        "outcome_code",
        pa.array([None, None, None, 3.0], type=pa.float64()),  # a whole double is a whole number
    )
    f = tmp_path / "crimes.parquet"
    pq.write_table(table, f)
    r = load_extract(db, "crimes", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (4, 2, 2)
    assert_accounts(db, r)
    got = fetch(
        db, f"SELECT row_number, column_name, rule FROM quarantine WHERE load_id = '{r.load_id}'"
    )
    assert sorted(got) == [(2, "recorded_at", "range"), (3, "next_review_due", "range")]
    assert fetch(db, "SELECT outcome_code FROM crimes WHERE crime_id = 'CR00203'") == [(3,)]


def test_excel_dates_load_and_times_in_date_columns_do_not(db: Path, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(CRIME_HEADER)
    for i, due in enumerate([T(2019, 12, 31), T(2019, 12, 31, 17, 30)]):
        row: list[object] = list(crime(300 + i))
        row[CRIME_HEADER.index("recorded_at")] = T(2019, 11, 5, 9, 30)
        row[CRIME_HEADER.index("next_review_due")] = due
        sheet.append(row)
    f = tmp_path / "crimes.xlsx"
    book.save(f)
    r = load_extract(db, "crimes", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    assert fetch(
        db, "SELECT recorded_at, next_review_due FROM crimes WHERE crime_id = 'CR00300'"
    ) == [(T(2019, 11, 5, 9, 30), dt.date(2019, 12, 31))]
    (rule, value) = fetch(db, f"SELECT rule, value FROM quarantine WHERE load_id = '{r.load_id}'")[
        0
    ]
    assert (rule, value) == ("type", "2019-12-31 17:30:00")


def test_a_line_break_inside_a_quoted_field_refuses_the_file(db: Path, tmp_path: Path) -> None:
    """A field holding a line break (legal CSV, but never a contract value) is refused naming
    its lines, so a stray quote can never swallow the lines after it (see docs/ingest.md)."""
    make = MAKERS["police_uk"][1]
    rows = [make(0), make(1, Location="On or near\nX"), make(2)]
    with pytest.raises(DataError, match=r"line 3: a quote opens in this line and closes only on"):
        load(db, "police_uk", write(tmp_path, "police_uk", rows))
