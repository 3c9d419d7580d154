"""Extract templates and the table list: what a force's export must look like."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcepack.cli.main import cli
from forcepack.contract.spec import TABLES
from forcepack.contract.template import loadable_tables, template
from forcepack.errors import InputError
from forcepack.ingest import load_extract
from forcepack.warehouse import create


def _parts(text: str) -> tuple[list[str], list[list[str]]]:
    comments = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.reader(line for line in text.splitlines() if not line.startswith("#")))
    return comments, rows


@pytest.mark.parametrize("name", [t.name for t in loadable_tables()])
def test_every_loadable_table_has_a_template(name: str) -> None:
    comments, rows = _parts(template(name))
    spec = TABLES[name]
    assert rows[0] == list(spec.column_names)
    assert len(rows) == 2 and len(rows[1]) == len(spec.columns)
    for col in spec.columns:
        (line,) = [c for c in comments if c.startswith(f"# {col.name}: ")]
        assert ("required" if not col.nullable else "optional") in line
        for value in col.enum or ():
            assert value in line
        if col.enum:
            assert rows[1][spec.column_names.index(col.name)] in col.enum


def test_the_districts_template_example_loads(tmp_path: Path) -> None:
    text = template("districts")
    body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    path = tmp_path / "districts.csv"
    path.write_text(body, encoding="utf-8")
    r = load_extract(create(tmp_path / "w.duckdb"), "districts", path)
    assert (r.rows_read, r.rows_loaded) == (1, 1)


def test_an_unknown_table_is_refused_with_the_allowed_ones() -> None:
    with pytest.raises(InputError, match='no extract table named "crime"') as err:
        template("crime")
    assert "crimes" in str(err.value) and "load_log" not in str(err.value)


def test_cli_lists_tables_and_writes_a_template(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["contract", "tables"], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    for name in TABLES:
        assert name in listed.output
    out = tmp_path / "crimes-template.csv"
    made = runner.invoke(cli, ["contract", "template", "crimes", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert _parts(out.read_text(encoding="utf-8"))[1][0][0] == "crime_id"
