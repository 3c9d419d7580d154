"""Which warehouse a command uses, and that only `warehouse create` and `demo` make one."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcepack.cli.main import main
from forcepack.settings import DEFAULT_DB

# Every command that opens a warehouse, with the arguments it needs besides --db.
COMMANDS = [
    ["ingest", "incidents", "{extract}"],
    ["ingest", "load", "incidents", "{extract}"],
    ["ingest", "police-uk", "{extract}"],
    ["ingest", "report"],
    ["measures", "compute", "crime.recorded"],
    ["measures", "compute", "crime.recorded", "--store"],
    ["measures", "refresh"],
    ["measures", "clear-cache"],
    ["warehouse", "info"],
    ["warehouse", "derive"],
    ["harm", "build"],
    ["harm", "weights"],
    ["harm", "summary", "--month", "2019-12"],
    ["harm", "victims", "--month", "2019-12", "--area", "North", "--out", "{out}.csv"],
    ["harm", "offenders", "--month", "2019-12", "--area", "North", "--out", "{out}.csv"],
    ["victims", "build"],
    ["victims", "summary", "--month", "2019-12"],
    ["victims", "breaches", "--month", "2019-12", "--area", "North"],
    ["victims", "breaches", "--month", "2019-12", "--area", "North", "--out", "{out}.csv"],
    ["victims", "audit-sample", "--quarter", "2019Q4", "--out", "{out}.xlsx"],
    ["report", "--month", "2019-12", "--out", "{out}"],
]


def _args(cmd: list[str], tmp_path: Path) -> list[str]:
    extract = tmp_path / "incidents.csv"
    extract.write_text("incident_id\nI1\n", encoding="utf-8")
    return [a.format(extract=extract, out=tmp_path / "out") for a in cmd]


def _run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return int(exit_info.value.code or 0)


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_missing_warehouse_is_refused_never_created(
    cmd: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "typo" / "wharehouse.duckdb"
    assert _run([*_args(cmd, tmp_path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"warehouse {db} does not exist (from --db)" in err
    assert "`forcepack warehouse create --db PATH`" in err and "`forcepack demo`" in err
    assert len(err.strip().splitlines()) == 1
    assert not db.exists() and not db.parent.exists()


@pytest.mark.parametrize("cmd", COMMANDS[:6], ids=lambda c: " ".join(c[:2]))
def test_outside_the_project_the_demo_default_is_named_and_not_created(
    cmd: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCEPACK_DB", raising=False)
    assert _run(_args(cmd, tmp_path)) == 2
    err = capsys.readouterr().err
    assert f"warehouse {DEFAULT_DB} does not exist (the demo default, as neither --db nor" in err
    assert not (tmp_path / "out").exists()


def test_the_environment_variable_is_named_as_the_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    missing = tmp_path / "env.duckdb"
    monkeypatch.setenv("FORCEPACK_DB", str(missing))
    assert _run(["warehouse", "info"]) == 2
    assert f"warehouse {missing} does not exist (from $FORCEPACK_DB)" in capsys.readouterr().err
    main(["warehouse", "create"])
    out = capsys.readouterr()
    assert out.err == f"warehouse: {missing} (from $FORCEPACK_DB)\n" and missing.exists()
    main(["warehouse", "info"])  # a read without --db names the warehouse it read
    assert capsys.readouterr().err == f"warehouse: {missing} (from $FORCEPACK_DB)\n"


def test_writes_name_the_warehouse_reads_with_db_do_not(
    empty_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(empty_warehouse)
    main(["warehouse", "info", "--db", db])
    assert capsys.readouterr().err == ""
    main(["measures", "clear-cache", "--db", db])
    captured = capsys.readouterr()
    assert captured.err == f"warehouse: {db} (from --db)\n"
    assert captured.out == "removed 0 stored result rows\n"
    main(["--quiet", "measures", "clear-cache", "--db", db])
    assert capsys.readouterr().err == ""


@pytest.mark.slow
def test_derive_and_refresh_show_no_progress_in_a_pipe(
    empty_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["warehouse", "derive", "--db", str(empty_warehouse)])
    captured = capsys.readouterr()
    assert captured.err == f"warehouse: {empty_warehouse} (from --db)\n"  # no progress bar
    assert captured.out.startswith("harm: 0 crimes scored")
    main(["measures", "refresh", "crime.recorded", "--db", str(empty_warehouse), "-q"])
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.startswith("recomputed and stored all ")


def test_compute_with_no_data_says_so_and_fails(
    empty_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(["measures", "compute", "crime.recorded", "--db", str(empty_warehouse)])
    assert code == 3
    assert "no results: the warehouse" in capsys.readouterr().err
    db = str(empty_warehouse)
    code = _run(["measures", "compute", "crime.recorded", "--db", db, "--month", "2030-01"])
    assert code == 3
    assert "has no data for crime.recorded in 2030-01" in capsys.readouterr().err


def test_help_says_what_the_warehouse_option_does(capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", "report", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "created if missing" not in help_text
    assert "changes nothing" in help_text and "It must exist" in help_text
    main(["ingest", "load", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "never creates one" in help_text


def test_the_ingest_library_does_not_create_a_warehouse(tmp_path: Path) -> None:
    from forcepack.errors import MissingFileError
    from forcepack.ingest import load_extract, load_police_uk

    db = tmp_path / "missing.duckdb"
    extract = tmp_path / "incidents.csv"
    extract.write_text("incident_id\nI1\n", encoding="utf-8")
    with pytest.raises(MissingFileError, match="forcepack warehouse create"):
        load_extract(db, "incidents", extract)
    street = tmp_path / "2019-01-somewhere-street.csv"
    street.write_text("Crime ID,Month\n", encoding="utf-8")
    with pytest.raises(MissingFileError, match="forcepack warehouse create"):
        load_police_uk(db, [street])
    assert not db.exists()
