"""Harm weights: the shipped default table and the loaders for official CCHI and ONS CSS tables."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import pytest

from forcepack import harm
from forcepack.contract.reference import rows as reference_rows
from forcepack.errors import ConfigError, MissingFileError
from forcepack.harm import weights as w
from harm_helpers import add_crime, new_warehouse


def test_default_table_covers_every_offence_and_agrees_with_the_contract() -> None:
    default = w.default()
    shipped = {str(r["offence_code"]): r["harm_days"] for r in reference_rows("offences")}
    # every shipped offence is in the default table, weighted or listed as missing, once
    listed = [row["offence_code"] for row in w.default_rows()]
    assert sorted(listed) == sorted(shipped)
    assert default.as_dict() == {c: d for c, d in shipped.items() if d is not None}
    assert set(default.unweighted) == {c for c, d in shipped.items() if d is None}
    names = {str(r["offence_code"]): r["offence_name"] for r in reference_rows("offences")}
    assert all(row["offence_name"] == names[row["offence_code"]] for row in w.default_rows())


def test_a_missing_weight_is_listed_never_zero() -> None:
    rows = {row["offence_code"]: row for row in w.default_rows()}
    missing = [c for c, row in rows.items() if row["basis"] == "missing"]
    assert missing, "the default table lists offences it cannot weigh"
    for code in missing:
        assert rows[code]["harm_days"] == ""
        assert code not in w.default().as_dict()
        assert w.bases(w.default())[code] == "missing"
    assert all(x.harm_days > 0 for x in w.default().weights)


def test_a_malformed_default_row_is_refused() -> None:
    row = {"offence_code": "X1", "offence_name": "x", "harm_days": "", "basis": "estimate"}
    with pytest.raises(ConfigError, match=r"row 7: offence X1: harm_days '' .*basis missing"):
        w._default_row(7, {**row, "source": "s"})
    with pytest.raises(ConfigError, match="basis missing but harm_days is '5'"):
        w._default_row(7, {**row, "basis": "missing", "harm_days": "5", "source": "s"})
    with pytest.raises(ConfigError, match="basis 'guess' is not one of published, estimate"):
        w._default_row(7, {**row, "basis": "guess", "source": "s"})


def test_every_default_weight_says_how_it_was_obtained() -> None:
    for weight in w.default().weights:
        assert weight.basis in (w.Basis.PUBLISHED, w.Basis.ESTIMATE)
        assert len(weight.source) > 20, weight.offence_code
        if weight.basis is w.Basis.PUBLISHED:
            assert "CCHI" in weight.source, weight.offence_code  # cites the published index
    published = {x.offence_code for x in w.default().weights if x.basis is w.Basis.PUBLISHED}
    assert {"1", "34A", "34B", "46"} <= published
    assert "8N" not in published  # assault with injury is an estimate


def test_codes_are_normalised() -> None:
    assert w.normalise_code(" 008n ") == "8N"
    assert w.normalise_code("105A") == "105A"
    assert w.normalise_code(1.0) == "1"
    assert w.normalise_code("4.1") == "4.1"


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_load_cchi_csv_finds_the_header_and_combines_sub_offences(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "cchi.csv",
        [
            ["Cambridge Crime Harm Index"],  # a title row above the header
            [],
            ["HO Code", "Offence title", "CCHI (days)"],
            ["008N", "ABH", "20"],
            ["8N", "ABH on a constable", "40"],
            ["8N", "ABH, other", "120"],
            ["1", "Murder", "5,475"],
            ["", "note without a code", "3"],
            ["46", "Shoplifting", "n/a"],
        ],
    )
    loaded = w.load_table(path, value_column="CCHI (days)")
    # 8N has 20, 40, 120: median 40
    assert loaded.as_dict() == {"8N": 40.0, "1": 5475.0}
    assert loaded.kind is w.Kind.CCHI and loaded.name == "cchi:cchi.csv"
    assert len(loaded.skipped) == 2  # the note without a code and the non-numeric value
    assert any("row 9" in s and "46" in s for s in loaded.skipped)
    assert w.load_table(path, value_column="CCHI (days)", duplicates="max").as_dict()["8N"] == 120
    with pytest.raises(ConfigError, match="8N has 3 different values"):
        w.load_table(path, value_column="CCHI (days)", duplicates="error")


def test_headers_are_recognised_by_their_prefix(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "chi2026.csv",
        [
            ["HOCODE_2024", "FULL_OFFENCE_TITLE", "SUB_GROUP", "CCHI_2026"],
            ["105A", "Common assault", "VIOLENCE WITHOUT INJURY", "10"],
        ],
    )
    assert w.load_table(path).as_dict() == {"105A": 10.0}


def test_load_css_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "weights"
    ws.append(["Offence code", "Offence", "Severity weight"])
    ws.append(["8N", "ABH", 57.4])
    ws.append([46, "Shoplifting", 0.96])
    book.save(tmp_path / "css.xlsx")
    loaded = w.load_table(tmp_path / "css.xlsx", kind="css", sheet="weights")
    assert loaded.as_dict() == {"8N": 57.4, "46": 0.96}
    assert loaded.kind is w.Kind.CSS


def test_load_errors_name_the_file_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="does not exist"):
        w.load_table(tmp_path / "none.csv")
    bad = _write_csv(tmp_path / "bad.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(ConfigError, match="no header row"):
        w.load_table(bad)
    (tmp_path / "t.json").write_text("{}")
    with pytest.raises(ConfigError, match="not supported"):
        w.load_table(tmp_path / "t.json")


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = new_warehouse(tmp_path / "w.duckdb")
    add_crime(c, "A", "2019-03-01 10:00", "8N", victims=("V1",))
    add_crime(c, "B", "2019-04-01 10:00", "28E", victims=("V1",))
    add_crime(c, "C", "2019-04-01 10:00", "28E", victims=("V2",))
    return c


def test_coverage_reports_recorded_offences_without_a_weight(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    partial = w.load_table(
        _write_csv(tmp_path / "p.csv", [["offence_code", "harm_days"], ["8N", "60"]])
    )
    cover = w.coverage(con, partial)
    assert not cover.complete
    assert cover.missing_recorded == (("28E", "Burglary - residential (dwelling)", 2),)
    assert "28E" in cover.message() and "2 crimes" in cover.message()
    shipped = {str(r["offence_code"]) for r in reference_rows("offences")}
    assert set(cover.missing_reference) == shipped - {"8N"}  # every shipped offence but 8N
    assert w.coverage(con, w.default()).complete


def test_build_refuses_incomplete_weights_unless_filled(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    partial = w.load_table(
        _write_csv(tmp_path / "p.csv", [["offence_code", "harm_days"], ["8N", "60"]])
    )
    with pytest.raises(ConfigError, match="28E"):
        harm.build(con, partial)
    assert con.execute("SELECT count(*) FROM crime_harm").fetchone() == (0,)
    result = harm.build(con, partial, fill_from_default=True)
    # A scores 60 from the file; B and C 273.5 each from the default
    assert result.harm_days == pytest.approx(60 + 2 * 273.5)
    filled = len(w.default().weights) - 1  # every default weight but 8N's
    assert result.weighting == f"cchi:p.csv (+{filled} from forcepack default CCHI)"
    meta = con.execute("SELECT value FROM forcepack_meta WHERE key = 'harm.weighting'").fetchone()
    assert meta == (result.weighting,)
