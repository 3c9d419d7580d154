"""data.police.uk files: the real street files load with counts equal to a plain count of the
raw files; outcomes map to Home Office groups; anti-social behaviour is kept apart.

The real files are the trimmed ones shipped in ``tests/data/police-uk``; the tests over every
file run on the full published set too (``tests/data/police-uk-full``, marked ``slow``)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import POLICE_UK, full_police_uk
from force_helpers import create_force
from forcepack.errors import ConfigError, DataError
from forcepack.ingest import LoadStatus, load_police_uk, outcome_groups
from ingest_helpers import fetch

FORCE_DISTRICTS = {
    "Cambridge",
    "East Cambridgeshire",
    "Fenland",
    "Huntingdonshire",
    "Peterborough",
    "South Cambridgeshire",
}


def _raw_rows(paths: list[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for p in paths:
        with p.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    return rows


def _district(lsoa_name: str) -> str | None:
    m = re.fullmatch(r"(.+) \d{3}[A-Z]", lsoa_name)
    return m.group(1) if m else None


#: The sets of real files, and how many of each quirk the Cambridgeshire files hold at least.
SETS = [
    pytest.param(("trimmed", (100, 50, 20)), id="trimmed"),
    pytest.param(("full", (1000, 100, 10)), id="full", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module", params=SETS)
def real(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list, Path, tuple[int, int, int]]:
    """Every real street file of one set (three forces, five months) loaded once."""
    which, least = request.param
    folder = POLICE_UK if which == "trimmed" else full_police_uk()
    db = create_force(tmp_path_factory.mktemp("pu") / "warehouse.duckdb")
    return db, load_police_uk(db, [folder]), folder, least


def test_real_files_counts_by_district_and_type_equal_raw_counts(real: tuple) -> None:
    db, results, folder, _ = real
    files = sorted(folder.rglob("*-street.csv"))
    assert len(results) == len(files) == 15
    raw = _raw_rows(files)
    expected = Counter((r["Falls within"], _district(r["LSOA name"]), r["Crime type"]) for r in raw)
    got = {
        (f, d, t): n
        for f, d, t, n in fetch(
            db,
            "SELECT falls_within, district_name, crime_type, count(*) FROM public_crimes "
            "GROUP BY ALL",
        )
    }
    assert got == dict(expected)
    assert sum(got.values()) == len(raw)
    for r in results:
        assert r.status is LoadStatus.LOADED
        assert r.rows_read == r.rows_loaded + r.rows_quarantined


def test_real_files_asb_no_location_and_outside_force(real: tuple) -> None:
    db, _, folder, least = real
    raw = _raw_rows(sorted(folder.rglob("*cambridgeshire-street.csv")))
    asb = sum(r["Crime type"] == "Anti-social behaviour" for r in raw)
    no_location = sum(r["LSOA name"] == "" for r in raw)
    outside = sum(
        r["LSOA name"] != "" and _district(r["LSOA name"]) not in FORCE_DISTRICTS for r in raw
    )
    got = fetch(
        db,
        """
        SELECT count(*) FILTER (WHERE is_asb), count(*) FILTER (WHERE is_asb AND crime_id IS NULL),
               count(*) FILTER (WHERE district_name IS NULL),
               count(*) FILTER (WHERE district_name IS NOT NULL AND NOT in_force_area)
        FROM public_crimes WHERE falls_within = 'Cambridgeshire Constabulary'""",
    )[0]
    assert got == (asb, asb, no_location, outside)
    assert asb > least[0] and no_location > least[1] and outside > least[2]  # quirks are there


def test_each_street_load_reports_its_quirks(real: tuple) -> None:
    _, results, folder, _ = real
    name = "2018-10-cambridgeshire-street.csv"
    (r,) = [r for r in results if r.file == name]
    raw = _raw_rows([folder / "2018-10" / name])
    asb = sum(x["Crime type"] == "Anti-social behaviour" for x in raw)
    no_loc = sum(x["LSOA name"] == "" for x in raw)
    outside = sum(
        x["LSOA name"] != "" and _district(x["LSOA name"]) not in FORCE_DISTRICTS for x in raw
    )
    assert r.notes[0] == (
        f"{asb:,} anti-social behaviour, {no_loc:,} with no location, "
        f"{outside:,} geocoded outside this warehouse's districts (kept and flagged)"
    )


def test_same_folder_again_adds_nothing(real: tuple) -> None:
    db, _, folder, _ = real
    before = fetch(db, "SELECT count(*) FROM public_crimes")
    again = load_police_uk(db, [folder / "2018-10"])
    assert [r.status for r in again] == [LoadStatus.DUPLICATE] * 3
    assert fetch(db, "SELECT count(*) FROM public_crimes") == before


def _street(tmp_path: Path, name: str, rows: int = 400) -> tuple[Path, list[list[str]]]:
    source = POLICE_UK / "2019-01" / "2019-01-cambridgeshire-street.csv"
    with source.open(encoding="utf-8", newline="") as f:
        data = list(csv.reader(f))
    header, body = data[0], data[1:]
    # keep some ASB and some no-location rows in the sample
    sample = body[:rows] + [r for r in body if r[0] == ""][:50] + body[-20:]
    out = tmp_path / name
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *sample])
    return out, [header, *sample]


def test_redownloaded_month_restates_outcomes_and_replaces_asb(tmp_path: Path) -> None:
    db = create_force(tmp_path / "w.duckdb")
    first, rows = _street(tmp_path, "2019-01-cambridgeshire-street.csv")
    (r1,) = load_police_uk(db, [first])
    asb = sum(r[9] == "Anti-social behaviour" for r in rows[1:])
    # a later download of the same month: one crime has a new outcome, one ASB row is gone
    later = [list(r) for r in rows]
    crime_row = next(i for i, r in enumerate(later) if i and r[0] and r[10] != "Local resolution")
    later[crime_row][10] = "Local resolution"
    asb_rows = [i for i, r in enumerate(later) if i and r[9] == "Anti-social behaviour"]
    del later[asb_rows[0]]
    second = tmp_path / "later" / first.name
    second.parent.mkdir()
    with second.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(later)
    # one row fewer than the month holds: a partial download unless the user says it supersedes
    (kept,) = load_police_uk(db, [second])
    assert kept.status is LoadStatus.KEPT and "1 fewer than" in kept.summary()
    (r2,) = load_police_uk(db, [second], supersede=True)
    assert r2.updated == 1 and r2.rows_read == r1.rows_read - 1
    assert fetch(db, "SELECT count(*) FROM public_crimes WHERE is_asb") == [(asb - 1,)]
    assert fetch(db, "SELECT count(*) FROM public_crimes") == [(r1.rows_read - 1,)]
    # the restated outcome text, and its outcome group through the mapping
    assert fetch(db, "SELECT column_name, new_value FROM restatements ORDER BY 1") == [
        ("last_outcome_category", "Local resolution"),
        ("last_outcome_group", "Out-of-court (informal)"),
    ]
    assert any("replaced" in n for n in r2.notes)


def _outcomes(tmp_path: Path, extra: list[list[str]]) -> tuple[Path, list[list[str]]]:
    """An outcomes file derived from a street file: Crime ID ... LSOA name, Outcome type."""
    _, rows = _street(tmp_path, "street.csv")
    header = [*rows[0][:9], "Outcome type"]
    body = [[*r[:9], r[10]] for r in rows[1:] if r[0] and r[10]]
    out = tmp_path / "2019-01-cambridgeshire-outcomes.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *body, *extra])
    return out, body


def test_outcomes_are_mapped_to_home_office_groups(tmp_path: Path) -> None:
    db = create_force(tmp_path / "w.duckdb")
    unknown = [
        "abc123",
        "2019-01",
        "Cambridgeshire Constabulary",
        "Cambridgeshire Constabulary",
        "",
        "",
        "No location",
        "",
        "",
        "Offender banished to Mars",
    ]
    f, body = _outcomes(tmp_path, [unknown])
    (r,) = load_police_uk(db, [f])
    assert r.rows_read == r.rows_loaded == len(body) + 1
    mapping = outcome_groups()
    expected = Counter(mapping.get(row[9]) for row in body)
    expected[None] += 1  # the unknown text
    got = dict(fetch(db, "SELECT outcome_group, count(*) FROM public_outcomes GROUP BY 1"))
    assert got == dict(expected)
    assert r.notes == (
        'outcome text "Offender banished to Mars" (1 rows) is not in the outcome '
        "mapping: no group given",
    )
    assert fetch(
        db,
        "SELECT outcome_group FROM public_outcomes WHERE outcome_type = "
        "'Investigation complete; no suspect identified' LIMIT 1",
    ) == [("Investigation complete: no suspect identified",)]


def test_outcome_mapping_is_configurable_and_validated(tmp_path: Path) -> None:
    custom = tmp_path / "map.toml"
    custom.write_text(
        '[outcome_groups]\n"Unable to prosecute suspect" = '
        '"Evidential difficulties (victim supports action)"\n'
    )
    db = create_force(tmp_path / "w.duckdb")
    f, body = _outcomes(tmp_path, [])
    load_police_uk(db, [f], outcome_map=custom)
    unable = sum(r[9] == "Unable to prosecute suspect" for r in body)
    assert unable > 0
    assert fetch(
        db,
        "SELECT count(*) FROM public_outcomes WHERE outcome_group = "
        "'Evidential difficulties (victim supports action)'",
    ) == [(unable,)]
    bad = tmp_path / "bad.toml"
    bad.write_text('[outcome_groups]\n"Local resolution" = "Sorted"\n')
    with pytest.raises(ConfigError, match=r'"Local resolution" maps to \'Sorted\''):
        outcome_groups(bad)


@pytest.mark.parametrize("real_set", SETS)
def test_every_shipped_mapping_text_covers_the_real_outcome_texts(real_set: tuple) -> None:
    folder = POLICE_UK if real_set[0] == "trimmed" else full_police_uk()
    raw = _raw_rows(sorted(folder.rglob("*-street.csv")))
    texts = {r["Last outcome category"] for r in raw} - {""}
    assert texts <= set(outcome_groups())


def test_unknown_crime_type_is_quarantined_and_other_files_are_refused(tmp_path: Path) -> None:
    db = create_force(tmp_path / "w.duckdb")
    f, rows = _street(tmp_path, "2019-01-x-street.csv", rows=30)
    text = f.read_text().replace(",Burglary,", ",Burglery,")
    f.write_text(text)
    (r,) = load_police_uk(db, [f])
    n = sum(row[9] == "Burglary" for row in rows[1:])
    assert r.rows_quarantined == n and r.rows_read == r.rows_loaded + n
    other = tmp_path / "stop-and-search.csv"
    other.write_text("Type,Date\nPerson search,2019-01-01\n")
    with pytest.raises(DataError, match=r"neither a data\.police\.uk street file nor an outcomes"):
        load_police_uk(db, [other])
