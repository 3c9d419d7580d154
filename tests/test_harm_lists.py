"""The OFFICIAL-SENSITIVE victim and offender lists: ranking, ties, scope, marking, access log."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from forcepack import harm
from forcepack.cli.main import main
from forcepack.errors import AccessError, InputError
from forcepack.harm import ListKind, make_list, resolve_scope, write_list
from forcepack.sensitive import MARKING, read_list
from forcepack.summaries import harm_summary
from harm_helpers import PETERBOROUGH, add_crime, new_warehouse


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Victims in CAM1 built so that every tie-break is needed.

    | victim | crimes (harm)                             | total | latest crime      | home |
    |--------|-------------------------------------------|-------|-------------------|------|
    | V1     | 28E 273.5 (Mar), 105A 2 x 2 (Apr, May) DA | 277.5 | 2019-05-01        | CAM1 |
    | V2     | 28E 273.5 (Nov), 105A 2 (Dec) ... + 2     | 277.5 | 2019-12-01        | CAM1 |
    | V3     | 28E 273.5, 105A 2, 105A 2 (Jun)           | 277.5 | 2019-06-01        | CAM1 |
    | V4     | 8N 30 (Feb)                               | 30    | 2019-02-01        | CAM1 |
    | V5     | 8N 30 (Feb)                               | 30    | 2019-02-01        | CAM1 |
    | V6     | 19C 1825 in CAM1 (Jan), then 105A 2 (Jul) in PBO1 | 1827 | 2019-07-01  | PBO1 |
    | V7     | 92E cannabis (excluded)                   | 0     |                   | -    |
    """
    path = tmp_path / "w.duckdb"
    c = new_warehouse(path)
    add_crime(c, "V1a", "2019-03-01 10:00", "28E", victims=("V1",), suspects=("S1",))
    add_crime(
        c, "V1b", "2019-04-01 10:00", "105A", victims=("V1",), domestic_abuse=True, suspects=("S1",)
    )
    add_crime(
        c,
        "V1c",
        "2019-05-01 10:00",
        "105A",
        victims=("V1",),
        domestic_abuse=True,
        suspects=("S1",),
        status="finalised",
    )
    add_crime(c, "V2a", "2019-11-01 10:00", "28E", victims=("V2",))
    add_crime(c, "V2b", "2019-12-01 09:00", "105A", victims=("V2",))
    add_crime(c, "V2c", "2019-12-01 10:00", "105A", victims=("V2",), priority_group="vulnerable")
    add_crime(c, "V3a", "2019-06-01 10:00", "28E", victims=("V3",))
    add_crime(c, "V3b", "2019-06-01 10:00", "105A", victims=("V3",))
    add_crime(c, "V3c", "2019-06-01 10:00", "105A", victims=("V3",))
    add_crime(c, "V45", "2019-02-01 10:00", "8N", victims=("V5", "V4"), suspects=("S2", "S3"))
    add_crime(c, "V6a", "2019-01-05 10:00", "19C", victims=("V6",), suspects=("S4",))
    add_crime(
        c,
        "V6b",
        "2019-07-01 10:00",
        "105A",
        victims=("V6",),
        district=PETERBOROUGH,
        neighbourhood="PBO1",
    )
    add_crime(c, "V7a", "2019-08-01 10:00", "92E", victims=("V7",))
    c.execute(
        "INSERT INTO victim_contacts VALUES ('K1', 'V1c', 'V1', '2019-05-20 10:00', "
        "'update', 'phone'), ('K2', 'V1c', 'V1', '2020-01-20 10:00', 'update', 'phone')"
    )
    c.close()
    return path


@pytest.fixture
def con(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db))


def test_ranking_and_documented_tie_break(con: duckdb.DuckDBPyConnection) -> None:
    result = make_list(
        con, ListKind.VICTIMS, "2019-12", resolve_scope(con, "neighbourhood", "CAM1")
    )
    ranked = [(r[0], r[1], r[2]) for r in result.rows]
    # V1, V2, V3 tie on 277.5 days and 3 crimes: the more recent latest crime first
    # (V2 December, V3 June, V1 May); V4 and V5 tie on everything but the id.
    # V6 lives in PBO1 (latest crime) and V7's only crime is excluded.
    assert ranked == [
        (1, "V2", 277.5),
        (2, "V3", 277.5),
        (3, "V1", 277.5),
        (4, "V4", 30.0),
        (5, "V5", 30.0),
    ]


def test_victim_row_carries_crimes_contact_investigations_and_flags(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = make_list(con, "victims", "2019-12", resolve_scope(con, "neighbourhood", "CAM1"))
    row = dict(zip(result.columns, next(r for r in result.rows if r[1] == "V1"), strict=True))
    assert row["crime_ids"] == "V1a; V1b; V1c"
    assert row["offences"] == "28E; 105A; 105A"
    # the offences in words, in the same order, for a team that does not know the codes
    assert row["offence_names"] == (
        "Burglary - residential (dwelling); Assault without injury; Assault without injury"
    )
    assert (row["neighbourhood_code"], row["neighbourhood_name"]) == (
        "CAM1",
        "Cambridge City Centre",
    )
    assert row["district_name"] == "Cambridge"
    assert row["crime_dates"] == "2019-03-01; 2019-04-01; 2019-05-01"
    assert row["crime_harm_days"] == "273.5; 2; 2"
    assert (row["crime_count"], row["repeat_count"], row["open_investigations"]) == (3, 2, 2)
    # the January 2020 contact is after the list's month
    assert row["latest_contact"] == dt.datetime(2019, 5, 20, 10, 0)
    assert row["domestic_abuse"] is True and row["vulnerable"] is False
    v2 = dict(zip(result.columns, result.rows[0], strict=True))
    assert v2["priority_groups"] == "vulnerable" and v2["vulnerable"] is True


def test_people_are_listed_once_where_their_latest_crime_was(
    con: duckdb.DuckDBPyConnection,
) -> None:
    pbo = make_list(con, "victims", "2019-12", resolve_scope(con, "neighbourhood", "PBO1"))
    assert [(r[1], r[2]) for r in pbo.rows] == [("V6", 1827.0)]  # counts the CAM1 rape too
    south = make_list(con, "victims", "2019-12", resolve_scope(con, "area", "south"), top=2)
    assert [r[1] for r in south.rows] == ["V2", "V3"]
    force = make_list(con, "victims", "2019-12", resolve_scope(con, "force", None), top=None)
    assert [r[1] for r in force.rows] == ["V6", "V2", "V3", "V1", "V4", "V5"]


def test_window_drops_crimes_older_than_twelve_months(con: duckdb.DuckDBPyConnection) -> None:
    # 12 months to 2020-03 start on 1 April 2019: V1 keeps April and May (2 + 2) but not the
    # March burglary; V6 loses the January rape
    result = make_list(con, "victims", "2020-03", resolve_scope(con, "force", None), top=None)
    totals = {r[1]: r[2] for r in result.rows}
    assert totals["V1"] == 4.0 and totals["V6"] == 2.0


def test_homicide_victims_are_not_listed(con: duckdb.DuckDBPyConnection) -> None:
    add_crime(con, "M1", "2019-10-01 10:00", "1", victims=("V9",), suspects=("S9",))
    victims = make_list(con, "victims", "2019-12", resolve_scope(con, "force", None), top=None)
    assert "V9" not in [r[1] for r in victims.rows]  # cannot suffer further harm
    offenders = make_list(con, "offenders", "2019-12", resolve_scope(con, "force", None))
    assert offenders.rows[0][1:3] == ("S9", 5475.0)  # the offender is listed first


def test_offender_list(con: duckdb.DuckDBPyConnection) -> None:
    result = make_list(con, "offenders", "2019-12", resolve_scope(con, "district", "Cambridge"))
    rows = [dict(zip(result.columns, r, strict=True)) for r in result.rows]
    assert [(r["person_id"], r["total_harm_days"]) for r in rows] == [
        ("S4", 1825.0),
        ("S1", 277.5),
        ("S2", 30.0),
        ("S3", 30.0),
    ]
    assert rows[1]["victims"] == 1 and rows[2]["victims"] == 2
    assert rows[1]["domestic_abuse"] is True


def test_unknown_scope_and_bad_top_are_input_errors(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(InputError, match="CAM1"):
        resolve_scope(con, "neighbourhood", "NOWHERE")
    with pytest.raises(InputError, match="North, South"):
        resolve_scope(con, "area", "East")
    with pytest.raises(InputError, match="--top"):
        make_list(con, "victims", "2019-12", resolve_scope(con, "area", "North"), top=0)


def test_csv_is_marked_and_the_access_log_records_it(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    out = tmp_path / "cam1.csv"
    scope = resolve_scope(con, "neighbourhood", "CAM1")
    write_list(con, "victims", "2019-12", scope, out, top=3, user="analyst")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("marking,rank,victim_id,")
    body = list(csv.DictReader(lines))
    assert [r["marking"] for r in body] == [MARKING] * 3  # on every row, no '#' lines
    assert [r["victim_id"] for r in body] == ["V2", "V3", "V1"]
    assert list(read_list(out)["victim_id"]) == ["V2", "V3", "V1"]
    assert "marking" not in read_list(out).columns
    log = con.execute(
        "SELECT user_name, list_name, scope, period, rows, path FROM access_log"
    ).fetchall()
    assert log == [
        (
            "analyst",
            "harm victims",
            "neighbourhood CAM1 Cambridge City Centre",
            "2019-12",
            3,
            str(out.resolve()),
        )
    ]


def test_xlsx_carries_the_marking(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = tmp_path / "north.xlsx"
    write_list(con, "offenders", "2019-12", resolve_scope(con, "area", "North"), out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["A1"].value == MARKING
    assert ws.oddHeader.center.text == MARKING
    assert [c.value for c in ws[5]][:2] == ["rank", "person_id"]


def test_other_file_types_are_refused(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        write_list(
            con, "victims", "2019-12", resolve_scope(con, "area", "North"), tmp_path / "list.txt"
        )
    assert con.execute("SELECT count(*) FROM access_log").fetchone() == (0,)


def test_no_list_is_written_where_it_cannot_be_logged(db: Path, tmp_path: Path) -> None:
    read_only = duckdb.connect(str(db), read_only=True)
    out = tmp_path / "cam1.csv"
    with pytest.raises(duckdb.Error):
        write_list(read_only, "victims", "2019-12", resolve_scope(read_only, "area", "South"), out)
    read_only.close()
    assert not out.exists()


def test_cli_refuses_a_list_without_an_area_and_logs_the_refusal(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.csv"
    with pytest.raises(SystemExit) as exit_info:
        main(["harm", "victims", "--db", str(db), "--month", "2019-12", "--out", str(out)])
    assert exit_info.value.code == AccessError.exit_code
    err = capsys.readouterr().err
    assert "OFFICIAL-SENSITIVE" in err and "could not be recorded" not in err
    assert not out.exists()
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute(
        "SELECT list_name, scope, period, rows, path, outcome, reason FROM access_log"
    ).fetchall()
    con.close()
    assert len(log) == 1
    name, scope, period, rows, path, outcome, reason = log[0]
    assert (name, scope, period, rows, path, outcome) == (
        "harm victims",
        "none named",
        "2019-12",
        0,
        str(out.absolute()),
        "refused",
    )
    assert "built only for a named" in reason


def test_a_refusal_that_cannot_be_logged_says_so(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # another process holds the warehouse for writing, so the refusal cannot be logged
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', "
            "flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(SystemExit) as exit_info:
            main(
                [
                    "harm",
                    "offenders",
                    "--db",
                    str(db),
                    "--month",
                    "2019-12",
                    "--area",
                    "North",
                    "--district",
                    "E07000008",
                    "--out",
                    str(tmp_path / "x.csv"),
                ]
            )
    finally:
        holder.kill()
        holder.communicate()
    assert exit_info.value.code == AccessError.exit_code  # the refusal's own code
    assert "could not be recorded in the access log" in capsys.readouterr().err


def test_cli_writes_only_to_out_and_logs_each_list(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "force.csv"
    main(
        [
            "harm",
            "victims",
            "--db",
            str(db),
            "--month",
            "2019-12",
            "--force-wide",
            "--top",
            "0",
            "--out",
            str(out),
        ]
    )
    main(
        [
            "harm",
            "offenders",
            "--db",
            str(db),
            "--month",
            "2019-12",
            "--neighbourhood",
            "cam1",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    printed = capsys.readouterr().out
    assert "V2" not in printed and "S1" not in printed  # no person ids on the terminal
    assert "wrote 6 victims" in printed
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute("SELECT list_name, scope, rows FROM access_log ORDER BY accessed_at")
    assert log.fetchall() == [
        ("harm victims", "force-wide", 6),
        ("harm offenders", "neighbourhood CAM1 Cambridge City Centre", 4),
    ]
    con.close()


def test_summary_counts_listed_victims_without_ids(con: duckdb.DuckDBPyConnection) -> None:
    harm.build(con)
    s = harm_summary(con, "2019-12", top=3)
    areas = {p.code: p.victims_on_lists for p in s.areas}
    assert areas == {"North": 1, "South": 3}  # CAM1 has five victims, capped at three
