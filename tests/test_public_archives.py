"""data.police.uk monthly archives and their quirks, with archives built here from the shipped
(trimmed, real) street files: a zip of the published layout, a --force filter, the snapshot
stamp, a force-month missing from an archive, exact duplicate rows, anti-social behaviour and
rows with no location."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from conftest import POLICE_UK
from forcepack.errors import DataError
from forcepack.ingest import load_police_uk
from forcepack.public.coverage import coverage
from forcepack.public.pack import build_pack
from forcepack.warehouse import create
from forcepack.warehouse.core import connect
from ingest_helpers import fetch

ASB = "Anti-social behaviour"


def _archive(path: Path, months: list[str], skip: frozenset[tuple[str, str]] = frozenset()) -> Path:
    """A zip laid out as data.police.uk's: YYYY-MM/YYYY-MM-<force>-street.csv for each month,
    plus a stop-and-search file and a Northern Ireland file that must be left out."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for month in months:
            for f in sorted((POLICE_UK / month).glob("*-street.csv")):
                force = f.name[len(month) + 1 : -len("-street.csv")]
                if (month, force) in skip:
                    continue
                zf.write(f, f"{month}/{f.name}")
            zf.writestr(f"{month}/{month}-bedfordshire-stop-and-search.csv", "Type,Date\n")
            zf.writestr(f"{month}/{month}-northern-ireland-street.csv", "Crime ID,Month\n")
    return path


def _rows(month: str, force: str) -> list[dict[str, str]]:
    path = next((POLICE_UK / month).glob(f"*-{force}-street.csv"))
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_archive_loads_each_force_month_stamped_with_its_snapshot(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    zip_path = _archive(tmp_path / "2019-01.zip", ["2018-12", "2019-01"])
    results = load_police_uk(db, [zip_path])
    assert len(results) == 6  # 3 forces x 2 months; stop-and-search and Northern Ireland out
    assert any("northern-ireland files left out" in n for r in results for n in r.notes)
    want = Counter()
    for month in ("2018-12", "2019-01"):
        for force in ("bedfordshire", "cambridgeshire", "hertfordshire"):
            want[(force, month)] = len(_rows(month, force))
    got = fetch(
        db,
        "SELECT split_part(source_file, '/', 2), snapshot, count(*) FROM public_crimes "
        "GROUP BY ALL ORDER BY 1",
    )
    assert {(f, s) for f, s, _ in got} == {
        (f"{m}-{force}-street.csv", "2019-01") for force, m in want
    }
    assert {f: n for f, _, n in got} == {
        f"{m}-{force}-street.csv": n for (force, m), n in want.items()
    }
    # the load log names the archive member
    names = [r.file for r in results]
    assert "2019-01.zip:2019-01/2019-01-bedfordshire-street.csv" in names


def test_force_filter_keeps_one_force(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    zip_path = _archive(tmp_path / "2019-01.zip", ["2019-01"])
    load_police_uk(db, [tmp_path], forces=["hertfordshire"])  # a folder of archives
    assert fetch(db, "SELECT DISTINCT falls_within FROM public_crimes") == [
        ("Hertfordshire Constabulary",)
    ]
    assert fetch(db, "SELECT count(*) FROM public_crimes") == [
        (len(_rows("2019-01", "hertfordshire")),)
    ]
    assert zip_path.exists()


@pytest.mark.slow
def test_a_force_month_missing_from_the_archive_is_said(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    zip_path = _archive(
        tmp_path / "2019-02.zip",
        ["2018-12", "2019-01", "2019-02"],
        skip=frozenset({("2019-01", "bedfordshire")}),
    )
    load_police_uk(db, [zip_path])
    with connect(db) as con:
        cov = coverage(con)
    beds = cov[cov["falls_within"] == "Bedfordshire Police"]
    assert list(zip(beds["month"].astype(str), beds["present"], strict=True)) == [
        ("2018-12-01", True),
        ("2019-01-01", False),
        ("2019-02-01", True),
    ]
    with pytest.raises(DataError, match=r"2019-01 is not loaded: .* missing from them"):
        build_pack(db, "Bedfordshire", "2019-01")
    pack = build_pack(db, "Bedfordshire", "2019-02")
    assert pack.headlines[0].previous is None  # the month before is missing, not zero
    assert any("Months missing from the files loaded: 2019-01" in c for c in pack.caveats)


def test_another_layout_is_one_line(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    bad = tmp_path / "export.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("crimes.csv", "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"export.zip is not a data.police.uk archive: .*crimes"):
        load_police_uk(db, [bad])
    notzip = tmp_path / "2019-01.zip"
    notzip.write_text("not a zip")
    with pytest.raises(DataError, match=r"2019-01\.zip is not a zip archive"):
        load_police_uk(db, [notzip])


def test_unknown_force_in_a_street_file_is_refused(tmp_path: Path) -> None:
    db = create(tmp_path / "w.duckdb")
    src = next((POLICE_UK / "2019-01").glob("*-bedfordshire-street.csv"))
    text = src.read_text(encoding="utf-8").replace("Bedfordshire Police", "Gotham City Police")
    bad = tmp_path / "2019-01-gotham-street.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r'row 1: Falls within "Gotham City Police" is not a force'):
        load_police_uk(db, [bad])
    assert fetch(db, "SELECT count(*) FROM public_crimes") == [(0,)]


def test_exact_duplicates_asb_apart_and_no_location(tmp_path: Path) -> None:
    """A published file can repeat a row exactly: a crime (same Crime ID) counts once; an
    anti-social behaviour row has no Crime ID, so both copies are kept as published."""
    src = next((POLICE_UK / "2019-01").glob("*-cambridgeshire-street.csv"))
    with src.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    crime = next(r for r in rows if r[0])
    asb = next(r for r in rows if r[9] == ASB)
    doubled = tmp_path / "2019-01-cambridgeshire-street.csv"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows([header, *rows, crime, asb])
    doubled.write_text(buf.getvalue(), encoding="utf-8")
    db = create(tmp_path / "w.duckdb")
    (result,) = load_police_uk(db, [doubled])
    assert result.rows_read == len(rows) + 2
    n_asb = sum(r[9] == ASB for r in rows)
    assert fetch(db, "SELECT count(*) FROM public_crimes WHERE is_asb") == [(n_asb + 1,)]
    assert fetch(db, "SELECT count(*) FROM public_crimes WHERE NOT is_asb") == [
        (len({r[0] for r in rows if r[0]}),)
    ]
    # every row read is loaded or quarantined: the repeated crime is quarantined by key
    assert result.rows_loaded + result.rows_quarantined == result.rows_read
    assert result.top_reasons == (("duplicate_key", "record_key", 1),)
    no_location = sum(1 for r in rows if r[9] != ASB and not r[7])
    assert fetch(
        db, "SELECT count(*) FROM public_crimes WHERE NOT is_asb AND lsoa_code IS NULL"
    ) == [(no_location,)]


@pytest.mark.slow
def test_an_older_warehouse_gains_the_public_columns_on_its_next_load(tmp_path: Path) -> None:
    import duckdb

    from forcepack.errors import WarehouseError

    db = create(tmp_path / "w.duckdb")
    load_police_uk(db, [POLICE_UK / "2019-01"])
    con = duckdb.connect(str(db))
    for col in ("snapshot", "last_outcome_group"):  # as a warehouse made before they existed
        con.execute(f"ALTER TABLE public_crimes DROP COLUMN {col}")
    con.close()
    with pytest.raises(WarehouseError, match="older forcepack: public_crimes lacks"):
        build_pack(db, "Bedfordshire", "2019-01")
    load_police_uk(db, [POLICE_UK / "2019-02"])
    rows = _rows("2019-01", "bedfordshire")
    charged = fetch(
        db,
        "SELECT count(*) FROM public_crimes WHERE month = DATE '2019-01-01' "
        "AND falls_within = 'Bedfordshire Police' AND last_outcome_group = 'Charged/Summonsed'",
    )
    from forcepack.ingest.police_uk import outcome_groups

    mapping = {k.lower(): v for k, v in outcome_groups().items()}
    want = sum(mapping.get(r["Last outcome category"].lower()) == "Charged/Summonsed" for r in rows)
    assert charged == [(want,)]
    assert build_pack(db, "Bedfordshire", "2019-01").headlines[0].value == sum(
        r["Crime type"] != ASB for r in rows
    )
