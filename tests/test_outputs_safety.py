"""Files a person opens: no formula injection in any list, no output that replaces what it
should not, every request for a list logged, the marking in every file and where it lands."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from force_helpers import create_force
from forcepack.cli.main import main
from forcepack.compliance import audit_sample, breach_list, write_audit_workbook
from forcepack.compliance import write_breach_list as write_breaches
from forcepack.compliance.audit import FINDINGS
from forcepack.errors import AccessError, InputError
from forcepack.harm import resolve_scope, write_list
from forcepack.outputs import check_out, defuse, is_warehouse_file
from forcepack.sensitive import MARKING, location_warning, read_list
from forcepack.warehouse import connect
from harm_helpers import add_crime, new_warehouse
from test_compliance_helpers import PETERBOROUGH, World, new_world

HOSTILE = '=HYPERLINK("http://x","y")'


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- formula injection ------------------------------------------------------------------------


@pytest.fixture
def hostile_world(tmp_path: Path) -> World:
    """A breach and a finalised case whose owning unit, victim id and offence name are all a
    spreadsheet formula."""
    w = new_world(tmp_path)
    w.con.execute("UPDATE offences SET offence_name = ? WHERE offence_code = '1'", [HOSTILE])
    w.crime("N1", "2019-12-02 09:00", district=PETERBOROUGH, owning_unit=HOSTILE)
    w.victim("N1", HOSTILE, priority_group="vulnerable")
    w.event("N1", "2019-12-03 12:00")
    w.crime(
        "F1",
        "2019-09-01 09:00",
        district=PETERBOROUGH,
        status="finalised",
        outcome_at="2019-11-15 12:00",
        outcome_code=1,
        owning_unit=HOSTILE,
    )
    w.victim("F1", HOSTILE)
    w.build("2020-01-01")
    return w


def _xlsx_cells(path: Path) -> list[openpyxl.cell.cell.Cell]:
    book = openpyxl.load_workbook(path)
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def _assert_defused_xlsx(path: Path, expected: int) -> None:
    cells = _xlsx_cells(path)
    assert all(c.data_type != "f" for c in cells), "a cell is a formula"
    hostile = [c for c in cells if isinstance(c.value, str) and HOSTILE in c.value]
    assert len(hostile) >= expected
    assert all(c.value == "'" + HOSTILE and c.data_type == "s" for c in hostile)


def _assert_defused_csv(path: Path, columns: tuple[str, ...]) -> None:
    frame = pd.read_csv(path, dtype=str)
    for col in columns:
        assert (frame[col] == "'" + HOSTILE).any(), col
    assert not frame.map(lambda v: isinstance(v, str) and v.startswith("=")).any().any()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_breach_list_defuses_owning_unit_and_victim_id(
    hostile_world: World, tmp_path: Path, suffix: str
) -> None:
    breaches = breach_list(hostile_world.con, "2019-12", area="North")
    assert HOSTILE in set(breaches.rows["victim_id"])
    out = write_breaches(hostile_world.con, breaches, tmp_path / f"b{suffix}", data_hash="t")
    if suffix == ".csv":
        _assert_defused_csv(out, ("owning_unit", "victim_id"))
    else:
        _assert_defused_xlsx(out, expected=2 * len(breaches.rows))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_audit_sample_defuses_victim_id_and_offence_name(
    hostile_world: World, tmp_path: Path, suffix: str
) -> None:
    sample = audit_sample(hostile_world.con, "2019Q4")
    assert list(sample.cases["offence_name"]) == [HOSTILE]
    out = write_audit_workbook(hostile_world.con, sample, tmp_path / f"a{suffix}", data_hash="t")
    if suffix == ".csv":
        _assert_defused_csv(out, ("victim_id", "offence_name"))
        back = read_list(out)  # read back without the marking column
        assert back.columns[0] == "area" and "auditor notes" in back.columns
        assert list(back["crime_id"]) == ["F1"]
    else:
        _assert_defused_xlsx(out, expected=2)


@pytest.fixture
def hostile_harm(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    path = tmp_path / "harm.duckdb"
    con = new_warehouse(path)
    con.execute(
        "UPDATE neighbourhoods SET neighbourhood_name = ? WHERE neighbourhood_code = 'CAM1'",
        [HOSTILE],
    )
    add_crime(con, "C1", "2019-06-01 10:00", "28E", victims=(HOSTILE,), suspects=(HOSTILE,))
    from forcepack.harm import build

    build(con)
    return con


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize(("kind", "person"), [("victims", "victim_id"), ("offenders", "person_id")])
def test_harm_lists_defuse_person_ids_and_names(
    hostile_harm: duckdb.DuckDBPyConnection, tmp_path: Path, suffix: str, kind: str, person: str
) -> None:
    scope = resolve_scope(hostile_harm, "neighbourhood", "CAM1")
    out = tmp_path / f"{kind}{suffix}"
    result = write_list(hostile_harm, kind, "2019-12", scope, out)
    assert len(result.rows) == 1
    if suffix == ".csv":
        _assert_defused_csv(out, (person,))
    else:
        # the person id, and the neighbourhood name in the "what the list covers" line
        cells = [c for c in _xlsx_cells(out) if isinstance(c.value, str) and HOSTILE in c.value]
        assert {c.value[:2] for c in cells} == {"'=", "ha"}  # "'=..." id; "harm ... =..." line
        assert all(c.data_type == "s" for c in cells)
        assert all(c.data_type != "f" for c in _xlsx_cells(out))


def test_headers_and_about_lines_are_defused_too(tmp_path: Path) -> None:
    con = duckdb.connect(str(create_force(tmp_path / "w.duckdb")))
    from forcepack.sensitive import write_sensitive

    frame = pd.DataFrame({"+cmd": ["@SUM(A1)"], "ok": [-3]})
    for suffix in (".csv", ".xlsx"):
        out = write_sensitive(
            con,
            frame,
            tmp_path / f"h{suffix}",
            list_name="test",
            scope="force-wide",
            period="2019-12",
            about=("-about",),
            sheet="=sheet",
        )
        if suffix == ".csv":
            assert out.read_text().splitlines()[:2] == [
                "marking,'+cmd,ok",
                f"{MARKING},'@SUM(A1),-3",
            ]
        else:
            book = openpyxl.load_workbook(out)
            ws = book.worksheets[0]
            assert ws.title == "_=sheet" and ws["A3"].value == "'-about"
            assert [c.value for c in ws[5]] == ["'+cmd", "ok"] and ws["B6"].value == -3


# --- where outputs go -------------------------------------------------------------------------


def test_measures_compute_never_replaces_the_warehouse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = create_force(tmp_path / "w.duckdb")
    before = _digest(db)
    for extra in ([], ["--force"]):
        with pytest.raises(SystemExit) as exit_info:
            main(
                [
                    "measures",
                    "compute",
                    "crime.recorded",
                    "--db",
                    str(db),
                    "--format",
                    "csv",
                    "--out",
                    str(db),
                    *extra,
                ]
            )
        assert exit_info.value.code == InputError.exit_code
        assert "is the warehouse this command uses" in capsys.readouterr().err
    assert _digest(db) == before
    connect(db).close()  # still a warehouse


def test_any_duckdb_file_or_wal_is_refused_even_with_force(tmp_path: Path) -> None:
    other = create_force(tmp_path / "other.db")  # a warehouse whatever its name
    wal = tmp_path / "x.duckdb.wal"
    for target in (other, wal):
        with pytest.raises(InputError, match="DuckDB warehouse file"):
            check_out(target, force=True)
    assert is_warehouse_file(other) and not is_warehouse_file(tmp_path / "none.csv")
    with pytest.raises(InputError, match="is the warehouse"):
        check_out(tmp_path / "w.duckdb.wal", warehouse=tmp_path / "w.duckdb")


def test_an_existing_file_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from forcepack.ingest import load_extract
    from ingest_helpers import CRIME_HEADER, crime, write_csv

    db = create_force(tmp_path / "w.duckdb")
    load_extract(db, "crimes", write_csv(tmp_path / "c.csv", CRIME_HEADER, [crime(0)]))
    out = tmp_path / "analyst-extract.csv"
    out.write_text("keep me\n")
    args = [
        "measures",
        "compute",
        "crime.recorded",
        "--db",
        str(db),
        "--format",
        "csv",
        "--out",
        str(out),
    ]
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == InputError.exit_code
    err = capsys.readouterr().err
    assert f"--out {out} already exists" in err and "--force" in err
    assert out.read_text() == "keep me\n"
    main([*args, "--force"])
    assert out.read_text().startswith("measure_id,")


def test_a_symlink_is_refused_always_and_never_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = create_force(tmp_path / "w.duckdb")
    target = tmp_path / "elsewhere.csv"
    target.write_text("precious\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    for extra in ([], ["--force"]):
        with pytest.raises(SystemExit) as exit_info:
            main(
                [
                    "measures",
                    "compute",
                    "crime.recorded",
                    "--db",
                    str(db),
                    "--format",
                    "csv",
                    "--out",
                    str(link),
                    *extra,
                ]
            )
        assert exit_info.value.code == InputError.exit_code
        assert "is a symbolic link" in capsys.readouterr().err
    assert target.read_text() == "precious\n" and link.is_symlink()
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    with pytest.raises(InputError, match="symbolic link"):
        check_out(dangling, force=True)
    assert not (tmp_path / "nowhere.csv").exists()


def test_a_list_to_a_symlink_is_refused_and_the_log_records_the_link(
    hostile_harm: duckdb.DuckDBPyConnection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Path(
        hostile_harm.execute(
            "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
        ).fetchone()[0]
    )
    hostile_harm.close()
    target = tmp_path / "shared" / "list.csv"
    target.parent.mkdir()
    link = tmp_path / "list.csv"
    link.symlink_to(target)
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "harm",
                "victims",
                "--db",
                str(db),
                "--month",
                "2019-12",
                "--area",
                "South",
                "--out",
                str(link),
                "--force",
            ]
        )
    assert exit_info.value.code == InputError.exit_code
    assert not target.exists()
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute("SELECT scope, path, outcome, reason FROM access_log").fetchall()
    con.close()
    assert log == [("area South", str(link.absolute()), "refused", log[0][3])]
    assert "symbolic link" in log[0][3]


def test_granted_lists_log_the_real_path(
    hostile_harm: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    real = tmp_path / "real"
    real.mkdir()
    via = tmp_path / "via"
    via.symlink_to(
        real, target_is_directory=True
    )  # a linked folder is allowed; the log resolves it
    write_list(
        hostile_harm,
        "victims",
        "2019-12",
        resolve_scope(hostile_harm, "area", "South"),
        via / "v.csv",
    )
    (path,) = hostile_harm.execute("SELECT path FROM access_log").fetchone()
    assert path == str((real / "v.csv").resolve())


def test_lists_refuse_an_existing_file_without_force(
    hostile_harm: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    out = tmp_path / "extract.xlsx"
    out.write_bytes(b"an analyst's own workbook")
    scope = resolve_scope(hostile_harm, "area", "South")
    with pytest.raises(InputError, match="already exists"):
        write_list(hostile_harm, "victims", "2019-12", scope, out)
    assert out.read_bytes() == b"an analyst's own workbook"
    write_list(hostile_harm, "victims", "2019-12", scope, out, force=True)
    assert openpyxl.load_workbook(out).active["A1"].value == MARKING
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # personal data: owner only


def test_docs_and_report_outputs_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "contract.md"
    doc.write_text("mine\n")
    with pytest.raises(SystemExit):
        main(["contract", "docs", "--out", str(doc)])
    assert "already exists" in capsys.readouterr().err and doc.read_text() == "mine\n"
    main(["contract", "docs", "--out", str(doc), "--force"])
    assert doc.read_text().startswith("#")
    db = create_force(tmp_path / "w.duckdb")
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "board-paper-2019-12.html").write_text("last month's approved paper")
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "report",
                "--month",
                "2019-12",
                "--db",
                str(db),
                "--format",
                "html",
                "--out",
                str(folder),
            ]
        )
    assert exit_info.value.code == InputError.exit_code
    assert "board-paper-2019-12.html already exists" in capsys.readouterr().err
    before = _digest(db)
    with pytest.raises(SystemExit):
        main(["report", "--month", "2019-12", "--db", str(db), "--out", str(db)])
    assert "is a file" in capsys.readouterr().err and _digest(db) == before
    assert (folder / "board-paper-2019-12.html").read_text() == "last month's approved paper"


# --- the access log ---------------------------------------------------------------------------


def test_an_older_access_log_gains_outcome_and_reason(tmp_path: Path) -> None:
    db = create_force(tmp_path / "old.duckdb")
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE access_log DROP COLUMN outcome")
    con.execute("ALTER TABLE access_log DROP COLUMN reason")
    con.execute("ALTER TABLE access_log ALTER COLUMN path SET NOT NULL")
    con.execute(
        "INSERT INTO access_log VALUES ('2019-12-01 10:00', 'a', 'harm victims', 'area North', "
        "'2019-11', 3, '/tmp/x.csv')"
    )
    con.close()
    read = connect(db)  # read-only: left as it is
    assert "outcome" not in [r[0] for r in read.execute("DESCRIBE access_log").fetchall()]
    read.close()
    con = connect(db, read_only=False)
    described = {r[0]: r[2] for r in con.execute("DESCRIBE access_log").fetchall()}
    assert described["outcome"] == "NO" and described["reason"] == "YES"
    assert described["path"] == "YES"
    assert con.execute("SELECT outcome, reason FROM access_log").fetchall() == [("granted", None)]
    con.close()
    create_force(db)  # `warehouse create` on an up-to-date warehouse changes nothing
    con = connect(db, read_only=False)
    assert con.execute("SELECT count(*) FROM access_log").fetchone() == (1,)
    con.close()


def test_warehouse_create_upgrades_an_older_access_log(tmp_path: Path) -> None:
    db = create_force(tmp_path / "old.duckdb")
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE access_log DROP COLUMN outcome")
    con.close()
    create_force(db)
    con = duckdb.connect(str(db), read_only=True)
    assert "outcome" in [r[0] for r in con.execute("DESCRIBE access_log").fetchall()]
    con.close()


def test_every_refusal_of_a_list_is_logged_with_its_exit_code(
    hostile_world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_world.con.close()
    db = tmp_path / "victims.duckdb"
    attempts = [
        (["victims", "breaches", "--month", "2019-12"], AccessError.exit_code, "none named"),
        (
            ["victims", "breaches", "--month", "2019-12", "--area", "North", "--district", "X"],
            AccessError.exit_code,
            "area North, district X",
        ),
        (["victims", "breaches", "--month", "2019-12", "--area", "East"], 2, "area East"),
        (
            ["victims", "audit-sample", "--quarter", "2019Q4", "--out", str(tmp_path / "a.txt")],
            2,
            "force-wide",
        ),
    ]
    for args, code, _ in attempts:
        with pytest.raises(SystemExit) as exit_info:
            main([*args, "--db", str(db)])
        assert exit_info.value.code == code
    capsys.readouterr()
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute(
        "SELECT user_name, scope, rows, outcome, reason FROM access_log ORDER BY accessed_at"
    ).fetchall()
    con.close()
    assert [(r[1], r[2], r[3]) for r in log] == [(scope, 0, "refused") for _, _, scope in attempts]
    assert all(r[0] and r[4] for r in log)  # who, and why
    assert ".csv or .xlsx" in log[3][4]


def test_breach_and_audit_workbooks_carry_the_marking_when_printed(
    hostile_world: World, tmp_path: Path
) -> None:
    breaches = breach_list(hostile_world.con, "2019-12", area="North")
    b = write_breaches(hostile_world.con, breaches, tmp_path / "b.xlsx", data_hash="t")
    a = write_audit_workbook(
        hostile_world.con,
        audit_sample(hostile_world.con, "2019Q4"),
        tmp_path / "a.xlsx",
        data_hash="t",
    )
    for path in (a, b):
        for ws in openpyxl.load_workbook(path).worksheets:
            assert ws.oddHeader.center.text == MARKING
            assert ws.oddFooter.center.text == MARKING
            assert ws["A1"].value == MARKING


# --- where lists land -------------------------------------------------------------------------


def test_a_list_in_a_git_work_tree_or_synced_folder_is_warned_about(
    hostile_harm: duckdb.DuckDBPyConnection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    synced = tmp_path / "OneDrive - Constabulary" / "lists"
    synced.mkdir(parents=True)
    plain = tmp_path / "plain"
    plain.mkdir()
    assert "git work tree" in (location_warning(repo / "sub" / "v.csv") or "")
    assert "synced folder" in (location_warning(synced / "v.csv") or "")
    for name in ("Dropbox", "Google Drive", "iCloud Drive"):
        assert location_warning(tmp_path / name / "v.csv")
    assert location_warning(plain / "v.csv") is None
    db = hostile_harm.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]
    hostile_harm.close()
    for folder, words in ((repo, "git work tree"), (synced, "synced folder"), (plain, None)):
        out = folder / "victims.csv"
        main(
            [
                "harm",
                "victims",
                "--db",
                db,
                "--month",
                "2019-12",
                "--area",
                "South",
                "--out",
                str(out),
            ]
        )
        err = capsys.readouterr().err
        if words:
            assert words in err and str(out) in err
        else:
            assert [line for line in err.splitlines() if not line.startswith("warehouse: ")] == []


def test_gitignore_keeps_lists_out_of_the_repository_root() -> None:
    root = Path(__file__).resolve().parents[1]
    patterns = (root / ".gitignore").read_text().splitlines()
    assert "/*.csv" in patterns and "/*.xlsx" in patterns
    assert not any(p in ("*.csv", "*.xlsx") for p in patterns)  # tests/data stays tracked


def test_read_list_checks_the_marking_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("victim_id\nV1\n")
    with pytest.raises(Exception, match='header "victim_id" is not "marking"'):
        read_list(bad)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(f"marking,victim_id\n{MARKING},V1\nOFFICIAL,V2\n")
    with pytest.raises(Exception, match='row 2, column marking: value "OFFICIAL"'):
        read_list(wrong)


def test_defuse_leaves_safe_values_alone() -> None:
    assert defuse("North") == "North" and defuse(-2) == -2 and defuse(None) is None
    assert defuse("'=x") == "'=x"


def test_read_list_reads_a_workbook_below_its_marking_rows(
    hostile_world: World, tmp_path: Path
) -> None:
    sample = audit_sample(hostile_world.con, "2019Q4")
    out = write_audit_workbook(hostile_world.con, sample, tmp_path / "a.xlsx", data_hash="t")
    back = read_list(out)
    assert list(back.columns) == [*sample.cases.columns, *FINDINGS]
    assert list(back["crime_id"]) == ["F1"] and back["auditor notes"].isna().all()


def test_a_control_character_in_a_workbook_list_is_a_clear_error(tmp_path: Path) -> None:
    from forcepack.errors import DataError
    from forcepack.sensitive import write_sensitive

    con = duckdb.connect(str(create_force(tmp_path / "w.duckdb")))
    frame = pd.DataFrame({"victim_id": ["V1", "V\x012"]})
    out = tmp_path / "v.xlsx"
    with pytest.raises(DataError, match=r"row 2 of the list, column victim_id: value 'V\\x012'"):
        write_sensitive(con, frame, out, list_name="t", scope="s", period="p", about=(), sheet="s")
    assert not out.exists() and not list(tmp_path.glob(".v.xlsx.*"))
    assert con.execute("SELECT count(*) FROM access_log").fetchone() == (0,)


def test_the_library_writer_knows_its_own_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "odd-name.csv"  # a warehouse whatever its name
    con = new_warehouse(db)
    add_crime(con, "C1", "2019-06-01 10:00", "28E", victims=("V1",))
    from forcepack.harm import build

    build(con)
    con.execute("CHECKPOINT")
    before = _digest(db)
    scope = resolve_scope(con, "area", "South")
    with pytest.raises(InputError, match="is the warehouse this command uses"):
        write_list(con, "victims", "2019-12", scope, db, force=True)
    assert _digest(db) == before
    assert con.execute("SELECT count(*) FROM access_log").fetchone() == (0,)
