"""The public pack: three BCH packs from one warehouse, each beside the other two; figures equal
plain counts of the files (counted here with the csv module); bad input is one line."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import POLICE_UK, full_police_uk
from forcepack.cli.main import cli
from forcepack.contract.forces import find_force
from forcepack.errors import DataError, InputError
from forcepack.ingest import load_police_uk
from forcepack.outputs import SUPPRESSED
from forcepack.public.pack import MIN_MONTHS, NOT_JUDGED, build_pack
from forcepack.public.render import figures, html_string
from forcepack.warehouse import create

ASB = "Anti-social behaviour"
BCH = {
    "bedfordshire": "Bedfordshire Police",
    "cambridgeshire": "Cambridgeshire Constabulary",
    "hertfordshire": "Hertfordshire Constabulary",
}
#: The trimmed fixtures keep many rows with no location on purpose: a gate they all pass.
GATE = 0.8


def _rows(folder: Path) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for path in sorted(folder.glob("*/*-street.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            out.extend(csv.DictReader(f))
    return out


def _crimes(rows: list[dict[str, str]], falls_within: str, month: str) -> list[dict[str, str]]:
    return [
        r
        for r in rows
        if r["Falls within"] == falls_within and r["Month"] == month and r["Crime type"] != ASB
    ]


@pytest.fixture(scope="module")
def bch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = create(tmp_path_factory.mktemp("bch") / "bch.duckdb")
    load_police_uk(db, [POLICE_UK])
    return db


def _check_pack(db: Path, folder: Path, force_id: str, month: str, gate: float) -> None:
    rows = _rows(folder)
    pack = build_pack(db, force_id, month, gate=gate)
    force = find_force(force_id)
    mine = _crimes(rows, BCH[force_id], month)
    head = {h.name: h for h in pack.headlines}
    crimes = head["Crimes (excluding anti-social behaviour)"]
    assert crimes.value == len(mine)
    rate = head["Crimes per 1,000 residents"].value
    assert rate == pytest.approx(1000 * len(mine) / (force.population or 0))
    asb = [r for r in rows if r["Falls within"] == BCH[force_id] and r["Month"] == month]
    assert head["Anti-social behaviour incidents"].value == sum(r["Crime type"] == ASB for r in asb)
    located = head["Share of crimes with a location"]
    assert (located.numerator, located.denominator) == (
        sum(1 for r in mine if r["LSOA code"]),
        len(mine),
    )
    # the other two forces are the comparison group, each at its own plain count
    assert sorted(p.force.force_id for p in pack.peers) == sorted(set(BCH) - {force_id})
    by_label = {r.label: r for r in pack.comparison.itertuples()}
    for other, text in BCH.items():
        f = find_force(other)
        assert by_label[f.label].crimes == len(_crimes(rows, text, month))
        assert by_label[f.label].per_1000 == pytest.approx(
            1000 * len(_crimes(rows, text, month)) / (f.population or 0)
        )
    assert list(pack.comparison["per_1000"]) == sorted(pack.comparison["per_1000"], reverse=True)
    # categories and LSOAs: plain counts, LSOAs below 5 suppressed
    cats = Counter(r["Crime type"] for r in mine)
    assert {r.category: r.crimes for r in pack.categories.itertuples() if r.crimes} == dict(cats)
    lsoas = Counter(r["LSOA code"] for r in mine if r["LSOA code"])
    assert dict(zip(pack.lsoas["lsoa"], pack.lsoas["crimes"], strict=True)) == dict(lsoas)
    for n, shown in zip(pack.lsoas["crimes"], pack.lsoas["shown"], strict=True):
        assert shown == (SUPPRESSED if 0 < n < 5 else n)
    las = Counter(r["LSOA name"].rsplit(" ", 1)[0] for r in mine if r["LSOA name"])
    got = {
        r.local_authority: r.crimes
        for r in pack.local_authorities.itertuples()
        if r.crimes and r.population == r.population  # the force's own local authorities
    }
    assert got == {k: v for k, v in las.items() if k in got}
    assert sum(pack.local_authorities["crimes"]) == len(mine)


@pytest.mark.parametrize("force_id", sorted(BCH))
def test_three_packs_from_one_warehouse_equal_the_files(bch: Path, force_id: str) -> None:
    _check_pack(bch, POLICE_UK, force_id, "2019-01", GATE)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = create(tmp_path_factory.mktemp("full") / "full.duckdb")
    load_police_uk(db, [full_police_uk()])
    return db


@pytest.mark.slow
@pytest.mark.parametrize("force_id", sorted(BCH))
def test_three_packs_on_the_full_files(full: Path, force_id: str) -> None:
    _check_pack(full, full_police_uk(), force_id, "2019-02", 0.95)


def test_short_series_says_so_in_the_papers_words(bch: Path) -> None:
    pack = build_pack(bch, "Bedfordshire", "2019-02", gate=GATE)
    crimes = pack.headlines[0]
    assert crimes.judgement.startswith(NOT_JUDGED)
    assert f"at least {MIN_MONTHS} needed" in crimes.judgement
    # five usable months loaded: the month before is shown, a year before is not loaded
    assert crimes.previous == len(_crimes(_rows(POLICE_UK), BCH["bedfordshire"], "2019-01"))
    assert crimes.last_year is None
    assert "England and Wales is not shown: 3 of the 43" in pack.england_wales


def test_html_is_marked_and_csv_is_defused(bch: Path) -> None:
    pack = build_pack(bch, "Hertfordshire Constabulary", "2019-01", gate=GATE)
    html = html_string(pack)
    assert html.count("OFFICIAL") >= 2
    assert "Hertfordshire Constabulary, January 2019" in html
    # self-contained: nothing fetched when it is opened (SVG namespaces are not requests)
    for fetches in ('src="http', 'href="http', "url(http", "@import"):
        assert fetches not in html
    df = figures(pack)
    text = df.to_csv(index=False)
    back = pd.read_csv(io.StringIO(text), dtype=str)
    lsoa = back[back["section"] == "lsoa"]
    small = pack.lsoas[(pack.lsoas["crimes"] > 0) & (pack.lsoas["crimes"] < 5)]
    assert len(small) and (lsoa["value"] == SUPPRESSED).sum() == len(small)


@pytest.mark.slow
def test_cli_writes_html_pdf_and_csv(bch: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["public", "pack", "--force", "cambridgeshire", "--month", "2019-01"]
    args += ["--db", str(bch), "--out", str(out), "--coverage-gate", str(GATE)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    stem = "public-pack-cambridgeshire-2019-01"
    assert sorted(p.name for p in out.iterdir()) == [
        f"{stem}.csv",
        f"{stem}.html",
        f"{stem}.pdf",
    ]
    assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    again = CliRunner().invoke(cli, args)
    assert isinstance(again.exception, InputError)
    assert "already exists" in str(again.exception) and "--replace" in str(again.exception)


@pytest.mark.parametrize(
    ("force", "month", "error", "text"),
    [
        ("Bedforshire", "2019-01", InputError, 'did you mean "Bedfordshire"'),
        ("Kent", "2019-01", DataError, "no data.police.uk files for Kent Police are loaded"),
        ("btp", "2019-01", InputError, "has no resident population"),
        ("Bedfordshire", "2019-06", DataError, "2019-06 is not loaded"),
        ("Bedfordshire", "2019/01", InputError, "is not a month"),
        ("Cambridgeshire", "2019-02", DataError, "below the coverage gate of 95%"),
    ],
)
def test_bad_input_is_one_line(
    bch: Path, force: str, month: str, error: type[Exception], text: str
) -> None:
    with pytest.raises(error) as err:
        build_pack(bch, force, month)
    assert text in str(err.value)
    assert "\n" not in str(err.value)


def _months_of_files(tmp_path: Path, counts: list[int]) -> Path:
    """Bedfordshire street files, one a month from 2018-01, with the given crime counts (rows
    copied from a real fixture row, each with its own Crime ID)."""
    with next(POLICE_UK.glob("2019-01/*-bedfordshire-street.csv")).open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        row = next(r for r in reader if r["Crime ID"] and r["LSOA code"])
    folder = tmp_path / "long"
    for i, n in enumerate(counts):
        month = f"{2018 + i // 12}-{i % 12 + 1:02d}"
        (folder / month).mkdir(parents=True)
        with (folder / month / f"{month}-bedfordshire-street.csv").open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header)
            w.writeheader()
            for j in range(n):
                w.writerow({**row, "Crime ID": f"{month}-{j:04d}", "Month": month})
    return folder


@pytest.mark.parametrize(
    ("last", "words"),
    [
        (52, "common cause variation, within its usual range"),
        (95, "special cause variation (higher)"),
    ],
)
@pytest.mark.slow
def test_thirteen_months_are_judged_on_an_xmr_chart(tmp_path: Path, last: int, words: str) -> None:
    counts = [50, 53, 48, 51, 47, 52, 49, 50, 54, 46, 51, 49, last]
    db = create(tmp_path / "long.duckdb")
    load_police_uk(db, [_months_of_files(tmp_path, counts)])
    pack = build_pack(db, "Bedfordshire", "2019-01")
    crimes = pack.headlines[0]
    assert crimes.value == last and crimes.previous == counts[-2]
    assert crimes.last_year == counts[0]  # 2018-01, twelve months before
    assert crimes.judgement == words


@pytest.mark.slow
def test_a_forces_own_warehouse_holds_its_peers_public_files(tmp_path: Path) -> None:
    """A force's warehouse (its own districts loaded) takes its peers' public files too: the
    pack of each force is the same as from a warehouse of public files alone."""
    from force_helpers import create_force

    db = create_force(tmp_path / "force.duckdb")
    load_police_uk(db, [POLICE_UK])
    for force_id in sorted(BCH):
        _check_pack(db, POLICE_UK, force_id, "2019-01", GATE)


def test_pack_names_the_data_it_was_built_from(bch: Path, tmp_path: Path) -> None:
    from forcepack.warehouse.core import connect, data_hash

    pack = build_pack(bch, "Bedfordshire", "2019-01", gate=GATE)
    with connect(bch) as con:
        assert pack.data_hash == data_hash(con, ["public_crimes", "public_outcomes"])
    assert f"from data with hash {pack.data_hash}" in html_string(pack)
    df = figures(pack)
    assert list(df[df["measure"] == "data_hash"]["value"]) == [pack.data_hash]
    # the same warehouse gives the same HTML twice
    assert html_string(pack) == html_string(build_pack(bch, "Bedfordshire", "2019-01", gate=GATE))
