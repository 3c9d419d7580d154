"""Outputs for the public: small counts by district or neighbourhood suppressed, marked OFFICIAL."""

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
from forcepack.errors import InputError
from forcepack.measures.dimensions import CRIME_FLAGS
from forcepack.measures.export import for_public
from forcepack.outputs import SUPPRESSED, suppress
from forcepack.settings import SUPPRESSION_THRESHOLD

CAMBRIDGE, PETERBOROUGH = "E07000008", "E06000031"


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (4.0, SUPPRESSED), (5, 5), (1200, 1200)],
)
def test_suppress_hides_one_to_four(count: float, shown: object) -> None:
    assert SUPPRESSION_THRESHOLD == 5
    assert suppress(count) == shown


def test_suppress_leaves_missing_values_and_flags_alone() -> None:
    assert suppress(None) is None and suppress(True) is True
    assert pd.isna(suppress(float("nan"))) and suppress(pd.NA) is pd.NA


def test_for_public_suppresses_small_district_counts_and_what_reveals_them() -> None:
    frame = pd.DataFrame(
        {
            "measure_id": ["crime.recorded"] * 3 + ["outcomes.prosecution_possible_rate"] * 2,
            "period_end": ["2019-12-31"] * 5,
            "window": ["month"] * 5,
            "district": ["Cambridge", "Peterborough", "Fenland", "Cambridge", "Peterborough"],
            "value": [3.0, 40.0, 0.0, 0.5, 0.1],
            "numerator": [3.0, 40.0, 0.0, 2.0, 30.0],
            "denominator": [None, None, None, 4.0, 300.0],
            "n": [3, 40, 0, 4, 300],
        }
    )
    out = for_public(frame)
    assert list(out.columns[:2]) == ["marking", "measure_id"]
    assert set(out["marking"]) == {"OFFICIAL"}
    # 3 crimes in Cambridge: hidden; 40 in Peterborough and 0 in Fenland: shown
    assert list(out["value"][:3]) == [SUPPRESSED, 40.0, 0.0]
    assert list(out["numerator"][:3]) == [SUPPRESSED, 40.0, 0.0]
    # a rate of 2 out of 4: both counts hidden, and the rate with them; 30 of 300 is shown
    assert list(out.iloc[3][["value", "numerator", "denominator", "n"]]) == [SUPPRESSED] * 4
    assert list(out.iloc[4][["value", "numerator", "denominator", "n"]]) == [0.1, 30.0, 300.0, 300]
    # the input is not changed
    assert frame["value"].iloc[0] == 3.0


def test_for_public_leaves_force_and_area_rows() -> None:
    frame = pd.DataFrame(
        {
            "measure_id": ["crime.recorded", "crime.recorded"],
            "area": ["North", "South"],
            "value": [2.0, 3.0],
            "numerator": [2.0, 3.0],
            "denominator": [None, None],
            "n": [2, 3],
        }
    )
    out = for_public(frame)
    assert list(out["value"]) == [2.0, 3.0] and set(out["marking"]) == {"OFFICIAL"}


@pytest.fixture
def wh(tmp_path: Path) -> Path:
    """December 2019: 3 crimes in Cambridge, 6 in Peterborough (one child sexual abuse)."""
    db = create_force(tmp_path / "public.duckdb")
    rows = [
        {
            "crime_id": f"c{i}",
            "recorded_at": pd.Timestamp("2019-12-10"),
            "offence_code": "8N",
            "district_code": district,
            "status": "open",
            **{f: False for f in CRIME_FLAGS},
        }
        for i, district in enumerate([CAMBRIDGE] * 3 + [PETERBOROUGH] * 6)
    ]
    con = duckdb.connect(str(db))
    con.register("_rows", pd.DataFrame(rows))
    con.execute("INSERT INTO crimes BY NAME SELECT * FROM _rows")
    con.close()
    return db


def _compute(wh: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["measures", "compute", "crime.recorded", "--db", str(wh), "--month", "2019-12", *extra],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_public_csv_and_json_by_district(wh: Path) -> None:
    text = _compute(wh, "--by", "district", "--format", "csv", "--public")
    frame = pd.read_csv(pd.io.common.StringIO(text), dtype=str)
    assert frame.columns[0] == "marking" and set(frame["marking"]) == {"OFFICIAL"}
    got = dict(zip(frame["district"], frame["value"], strict=True))
    assert got["Cambridge"] == SUPPRESSED
    assert float(got["Peterborough"]) == 6
    assert all(got[d] in ("0.0", "0") for d in got if d not in ("Cambridge", "Peterborough"))
    records = json.loads(_compute(wh, "--by", "district", "--format", "json", "--public"))
    cam = next(r for r in records if r["district"] == "Cambridge")
    assert cam["marking"] == "OFFICIAL" and cam["value"] == cam["n"] == SUPPRESSED
    # without --public the figures are as computed
    plain = pd.read_csv(pd.io.common.StringIO(_compute(wh, "--by", "district", "--format", "csv")))
    assert "marking" not in plain.columns
    assert plain.loc[plain["district"] == "Cambridge", "value"].item() == 3


def test_public_xlsx_is_marked_in_its_header_and_footer(wh: Path, tmp_path: Path) -> None:
    out = tmp_path / "public.xlsx"
    _compute(wh, "--by", "district", "--format", "xlsx", "--out", str(out), "--public")
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert ws["A1"].value == "marking" and ws["A2"].value == "OFFICIAL"
    assert ws.oddHeader.center.text == "OFFICIAL" and ws.oddFooter.center.text == "OFFICIAL"
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    cambridge = next(r for r in rows if r["district"] == "Cambridge")
    assert cambridge["value"] == SUPPRESSED and cambridge["n"] == SUPPRESSED


def test_public_needs_a_file_format(wh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["measures", "compute", "crime.recorded", "--db", str(wh), "--public"])
    assert exit_info.value.code == InputError.exit_code
    assert "--public applies to exports" in capsys.readouterr().err
