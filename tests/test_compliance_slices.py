"""A full victim care build in slices of crimes gives the tables of one pass.

Slicing bounds what each query joins and spills at national scale; it must never change a row.
A small copy of the demo warehouse is built once in one pass and once with slices of a few
hundred victims, and every row of both tables is compared.
"""

from __future__ import annotations

import importlib
import itertools
import shutil
from pathlib import Path

import pytest

from forcepack.warehouse import connect
from holdout_helpers import differences, smallest_district_copy
from ingest_helpers import count

TABLES = ("victim_care_obligations", "victim_care_victims")
#: The build module (``forcepack.compliance.build`` names the package's build function).
BUILD = importlib.import_module("forcepack.compliance.build")


@pytest.fixture(scope="module")
def small(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("care-slices")
    return smallest_district_copy(demo_warehouse, root / "small.duckdb")


def _build(src: Path, dest: Path, monkeypatch: pytest.MonkeyPatch, most: int | None) -> list:
    """Build ``dest`` (a copy of ``src``) with slices of at most ``most`` victims; the slices."""
    module = BUILD
    shutil.copy2(src, dest)
    if most is not None:
        monkeypatch.setattr(module, "SLICE_VICTIMS", most)
    con = connect(dest, read_only=False)
    seen: list[tuple[int, int]] = []
    try:
        slices = module.crime_slices(con)
        module.build(con, progress=lambda done, total: seen.append((done, total)))
    finally:
        con.close()
        monkeypatch.undo()
    assert seen == [(i, len(slices)) for i in range(1, len(slices) + 1)]
    return slices


def test_a_sliced_build_equals_one_pass(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _build(small, tmp_path / "one.duckdb", monkeypatch, None)
    assert len(one) == 1
    sliced = _build(small, tmp_path / "sliced.duckdb", monkeypatch, 300)
    assert len(sliced) >= 5  # the small copy holds a few thousand victims
    assert differences(tmp_path / "one.duckdb", tmp_path / "sliced.duckdb", TABLES) == {}
    assert count(tmp_path / "sliced.duckdb", "SELECT count(*) FROM victim_care_obligations") > 1000


def test_slices_are_consecutive_crime_ranges_within_the_limit(small: Path) -> None:
    """The ranges cover every crime once, in order, each holding at most the limit and one
    more crime's victims; the build reads each range's rows by its bounds."""
    con = connect(small)
    try:
        slices = BUILD.crime_slices(con, 300)
        per_crime = dict(
            con.execute(
                "SELECT crime_id, count(*) FROM crime_victims JOIN crimes c USING (crime_id) "
                "WHERE c.status <> 'cancelled' GROUP BY 1"
            ).fetchall()
        )
        crimes = [r[0] for r in con.execute("SELECT crime_id FROM crimes").fetchall()]
        assert BUILD.crime_slices(con, sum(per_crime.values())) == [(None, None)]
    finally:
        con.close()
    assert len(slices) >= 5
    assert slices[0][0] is None and slices[-1][1] is None
    assert all(a[1] == b[0] and a[1] is not None for a, b in itertools.pairwise(slices))
    most_per_crime = max(per_crime.values())
    for lo, hi in slices:
        held = [
            n for c, n in per_crime.items() if (lo is None or c >= lo) and (hi is None or c < hi)
        ]
        assert 0 < sum(held) <= 300 + most_per_crime - 1
    inside = [
        sum(1 for lo, hi in slices if (lo is None or c >= lo) and (hi is None or c < hi))
        for c in crimes
    ]
    assert set(inside) == {1}  # every crime in exactly one slice


def test_derive_says_which_slice_is_built(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from forcepack.derive import derive

    monkeypatch.setattr(BUILD, "SLICE_VICTIMS", 300)
    db = tmp_path / "said.duckdb"
    shutil.copy2(small, db)
    said: list[str] = []
    done: list[str] = []
    derive(db, full=True, progress=done.append, detail=said.append)
    assert done == ["harm", "victim care"]
    n = len(said)
    assert n >= 5 and said == [f"victim care: slice {i} of {n} built" for i in range(1, n + 1)]


def test_a_build_failing_in_a_later_slice_keeps_the_old_tables(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each slice commits into new tables; a failure at the third drops them and leaves the
    victim care tables (and their fresh stamp) as they were."""
    import duckdb

    from forcepack.errors import WarehouseError
    from forcepack.warehouse import freshness

    good = tmp_path / "good.duckdb"
    _build(small, good, monkeypatch, 300)
    db = tmp_path / "fails.duckdb"
    shutil.copy2(good, db)
    real = BUILD._build_slice
    calls: list[int] = []

    def third_fails(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise duckdb.IOException("No space left on device (simulated)")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(BUILD, "SLICE_VICTIMS", 300)
    monkeypatch.setattr(BUILD, "_build_slice", third_fails)
    con = connect(db, read_only=False)
    try:
        with pytest.raises(WarehouseError, match="simulated"):
            BUILD.build(con)
        left = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '%building%'"
        ).fetchall()
        assert freshness.stale(con, ("victim_care_obligations", "victim_care_victims")) == []
    finally:
        con.close()
    assert len(calls) == 3 and left == []
    assert differences(good, db, TABLES) == {}
