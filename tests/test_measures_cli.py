"""`forcepack measures` commands, exports and their safety against formula injection."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from force_helpers import create_force
from forcepack.cli.main import cli, main
from forcepack.measures import get
from forcepack.measures.dimensions import CRIME_FLAGS as FLAGS
from forcepack.measures.export import defuse

HOSTILE = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    db = create_force(tmp_path / "cli.duckdb")
    rows = [
        {
            "crime_id": f"c{i}",
            "recorded_at": pd.Timestamp(f"2019-{m:02d}-10"),
            "offence_code": "8N",
            "district_code": "E07000008",
            "status": "open",
            "owning_unit": unit,
            **{f: False for f in FLAGS},
        }
        for i, (m, unit) in enumerate([(11, "CID"), (12, HOSTILE), (12, "-1+1"), (12, "CID")])
    ]
    con = duckdb.connect(str(db))
    con.register("_rows", pd.DataFrame(rows))
    con.execute("INSERT INTO crimes BY NAME SELECT * FROM _rows")
    con.close()
    return db


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list_and_show() -> None:
    out = invoke("measures", "list")
    assert "crime.recorded" in out and "response.immediate.median_minutes" in out
    shown = invoke("measures", "show", "response.delay_resourcing_share")
    assert "delay_reason = resource_unavailable" in shown and "| kind | share |" in shown


def test_columns_lists_lookup_and_derived_columns() -> None:
    out = invoke("measures", "columns", "incidents")
    assert "call_type_category" in out and "minutes_to_arrival" in out


def test_compute_table_csv_and_json(wh: Path) -> None:
    out = invoke("measures", "compute", "crime.recorded", "--db", str(wh), "--month", "2019-12")
    assert "2019-12-31" in out and "2019-11-30" not in out
    csv = invoke("measures", "compute", "crime.recorded", "--db", str(wh), "--format", "csv")
    lines = csv.strip().splitlines()
    assert lines[0] == "measure_id,period_end,window,value,numerator,denominator,n"
    assert lines[2] == "crime.recorded,2019-12-31,month,3,3,,3"  # counts are integers
    data = json.loads(
        invoke(
            "measures",
            "compute",
            "crime.recorded",
            "--db",
            str(wh),
            "--window",
            "rolling:2",
            "--format",
            "json",
        )
    )
    assert data == [
        {
            "measure_id": "crime.recorded",
            "period_end": "2019-12-31",
            "window": "rolling:2",
            "value": 4,
            "numerator": 4,
            "denominator": None,
            "n": 4,
        }
    ]
    assert all(isinstance(data[0][k], int) for k in ("value", "numerator", "n"))


def test_csv_defuses_formulas(wh: Path) -> None:
    csv = invoke(
        "measures",
        "compute",
        "crime.recorded",
        "--db",
        str(wh),
        "--by",
        "owning_unit",
        "--format",
        "csv",
        "--month",
        "2019-12",
    )
    assert "'" + HOSTILE.replace('"', '""') in csv and "'-1+1" in csv
    assert "\n=" not in csv and ",=" not in csv and ",-1+1" not in csv


def test_xlsx_cells_are_text_not_formulas(wh: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    invoke(
        "measures",
        "compute",
        "crime.recorded",
        "--db",
        str(wh),
        "--by",
        "owning_unit",
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    ws = openpyxl.load_workbook(out).active
    units = [c.value for c in ws["D"][1:]]
    assert "'" + HOSTILE in units and "'-1+1" in units
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    values = [c.value for c in ws["E"][1:]]
    assert all(isinstance(v, int | float) for v in values)  # numbers stay numbers


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_defuse_prefixes_every_formula_trigger(text: str) -> None:
    assert defuse(text) == "'" + text
    assert defuse("North") == "North" and defuse(-2) == -2


def test_errors_are_one_line_with_exit_codes(wh: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["measures", "compute", "crime.nope", "--db", str(wh)])
    assert exit_info.value.code == 2
    assert 'measure "crime.nope" is not in the catalogue' in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["measures", "compute", "crime.recorded", "--db", str(wh), "--format", "xlsx"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["measures", "compute", "crime.recorded", "--db", str(wh.parent / "none.duckdb")])
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_compute_several_windows_and_refresh_stores_the_catalogue(wh: Path) -> None:
    csv = invoke(
        "measures", "compute", "crime.recorded", "--db", str(wh), "--window", "month,rolling:2",
        "--window", "fytd", "--format", "csv",
    )  # fmt: skip
    rows = [line.split(",")[:4] for line in csv.strip().splitlines()[1:]]
    assert [r for r in rows if r[1] == "2019-12-31"] == [
        ["crime.recorded", "2019-12-31", "month", "3"],
        ["crime.recorded", "2019-12-31", "rolling:2", "4"],
    ]  # no fytd rows: the financial year began in April, before the first month of data
    assert not [r for r in rows if r[2] == "fytd"]
    out = invoke("measures", "refresh", "crime.recorded", "--db", str(wh), "--window", "month")
    n_cuts = 1 + len(get("crime.recorded").dimensions)  # force level and each dimension
    assert out.startswith(f"recomputed and stored all {n_cuts} measure x window x cut results")
    assert "0 stale rows" in out
    again = invoke("measures", "refresh", "crime.recorded", "--db", str(wh), "--window", "month")
    assert again.startswith(f"all {n_cuts} measure x window x cut results already stored")
    invoke("measures", "clear-cache", "--db", str(wh))
    after_clear = invoke(
        "measures", "refresh", "crime.recorded", "--db", str(wh), "--window", "month"
    )
    assert after_clear.startswith(f"recomputed and stored all {n_cuts} measure x window")
    con = duckdb.connect(str(wh), read_only=True)
    try:
        cuts = con.execute(
            "SELECT count(DISTINCT cache_key) FROM measure_results "
            "WHERE measure_id = 'crime.recorded'"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert cuts == n_cuts


@pytest.mark.parametrize("args", [["measures", "list"], ["measures", "show", "crime.recorded"]])
def test_list_and_show_do_not_load_the_engine(args: list[str]) -> None:
    """They answer from the catalogue alone: no pandas, DuckDB or Ibis (seconds of imports)."""
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io\n"
        "from forcepack.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({args!r})\n"
        "print(sorted(m for m in ('pandas', 'duckdb', 'ibis', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr
