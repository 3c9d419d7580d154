"""The second demo force: another geography, codes and call types, through the whole cycle
(a new warehouse, ``forcepack update``, the paper and a neighbourhood list) with nothing of the
first demo force's in it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcepack.cli.main import cli
from forcepack.demo.generate import build_demo
from forcepack.demo.shape_other import FORCE_NAME, NEW_DISTRICTS, OFFENCE_CODES, SPLIT_DATE
from forcepack.measures import compute
from forcepack.report import build_paper
from forcepack.report.model import Chart, Paragraph, Table
from forcepack.update import update
from forcepack.warehouse import create
from ingest_helpers import fetch

pytestmark = pytest.mark.slow

#: Words of the first demo force that must not appear anywhere in the second's outputs.
FIRST_FORCE = (
    "Cambridge",
    "Peterborough",
    "Fenland",
    "Huntingdon",
    "North",
    "South",
    "Demo Force",
)


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of the second force, generated to Parquet, then loaded the way a force would:
    a new warehouse and `forcepack update` on the folder."""
    root = tmp_path_factory.mktemp("other")
    built = build_demo(root / "gen", start="2018-01", end="2019-12", shape="other", derive=False)
    db = create(root / "force.duckdb")
    result = update(db, built.out / "parquet")
    assert sum(r.rows_quarantined for r in result.loads) == 0
    assert sum(r.rows_loaded for r in result.loads) == sum(built.rows.values())
    assert result.derived and result.measures_refreshed > 0
    return db


def test_its_geography_is_its_own(other: Path) -> None:
    districts = fetch(other, "SELECT district_name, area, force FROM districts ORDER BY 1")
    assert len(districts) == 7
    assert {a for _, a, _ in districts} == {"West", "Central", "East"}
    assert {f for _, _, f in districts} == {FORCE_NAME}
    assert {d for d, _, _ in districts} == {d.name for d in NEW_DISTRICTS}
    by_area = compute("crime.recorded", db=other, months=["2019-12"], by="area")
    assert set(by_area["area"]) == {"West", "Central", "East"}
    total = compute("crime.recorded", db=other, months=["2019-12"])
    assert by_area["value"].sum() == total["value"].sum() > 0


def test_it_uses_offence_codes_and_a_call_type_split_of_its_own(other: Path) -> None:
    new_codes = tuple(new for _, new, _ in OFFENCE_CODES)
    used = dict(
        fetch(
            other,
            "SELECT offence_code, count(*) FROM crimes WHERE offence_code IN "
            f"({', '.join(repr(c) for c in new_codes)}) GROUP BY 1",
        )
    )
    assert set(used) == set(new_codes)
    split = SPLIT_DATE.isoformat()
    before, after = fetch(
        other,
        "SELECT count(*) FILTER (WHERE i.created_at < DATE '" + split + "'), "
        "count(*) FILTER (WHERE i.created_at >= DATE '" + split + "') "
        "FROM incidents i JOIN call_types t USING (call_type_code) "
        "WHERE t.category = 'domestic_abuse'",
    )[0]
    assert before > 0 and after > 0  # the category spans the split of its codes
    codes_after = fetch(
        other,
        "SELECT DISTINCT call_type_code FROM incidents i JOIN call_types t USING "
        f"(call_type_code) WHERE t.category = 'domestic_abuse' AND created_at >= DATE '{split}'",
    )
    assert {c for (c,) in codes_after} == {"C02", "C03"}


def _paper_text(db: Path) -> str:
    paper = build_paper(db, "2019-12")
    parts: list[str] = [paper.cover.title]
    for section in paper.all_sections():
        parts.append(section.title)
        for b in section.blocks:
            if isinstance(b, Paragraph):
                parts.append(b.text)
            elif isinstance(b, Table):
                parts += [b.caption, *b.columns, *(c for row in b.rows for c in row)]
            elif isinstance(b, Chart):
                parts += [b.title, b.alt, b.svg]
    return "\n".join(parts)


def test_its_paper_names_its_own_areas_and_none_of_the_first_force(other: Path) -> None:
    text = _paper_text(other)
    for word in FIRST_FORCE:
        assert word not in text, f"the second force's paper says {word!r}"
    assert "West" in text and "Central" in text


def test_its_neighbourhood_list_names_its_own_places(other: Path, tmp_path: Path) -> None:
    out = tmp_path / "victims.csv"
    got = CliRunner().invoke(
        cli,
        [
            *("harm", "victims", "--month", "2019-12", "--area", "west"),
            *("--db", str(other), "--out", str(out)),
        ],
    )
    assert got.exit_code == 0, got.output
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    text = "\n".join(",".join(r) for r in rows)
    assert len(rows) > 1
    for word in FIRST_FORCE:
        assert word not in text
    assert "Westhaven" in text or "Marlcombe" in text
