"""Public measures over the data.police.uk fixture files: every figure equals a plain count of
the files (counted here with the csv module, never through forcepack)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from forcepack.ingest import load_police_uk
from forcepack.ingest.police_uk import outcome_groups
from forcepack.measures import compute
from forcepack.warehouse import create

DATA = Path(__file__).parent / "data" / "police-uk"
ASB = "Anti-social behaviour"


def _rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for path in sorted(DATA.glob("*/*-street.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            out.extend(csv.DictReader(f))
    return out


def _la(name: str) -> str | None:
    return name.rsplit(" ", 1)[0] if name else None


@pytest.fixture(scope="module")
def bch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = create(tmp_path_factory.mktemp("bch") / "bch.duckdb")
    load_police_uk(db, [DATA])
    return db


def _values(df: pd.DataFrame, *keys: str, column: str = "value") -> dict[tuple, float]:
    return {tuple(r[k] for k in keys): r[column] for _, r in df.iterrows()}


def test_crimes_by_force_and_month_are_file_counts(bch: Path) -> None:
    rows = _rows()
    want = Counter((r["Falls within"], r["Month"]) for r in rows if r["Crime type"] != ASB)
    df = compute("public.crimes", db=bch, by="falls_within", cache_results=False)
    got = {
        (f, p.strftime("%Y-%m")): v
        for (f, p), v in _values(df, "falls_within", "period_end").items()
    }
    assert got == dict(want)


def test_crimes_by_category_exclude_asb(bch: Path) -> None:
    rows = [r for r in _rows() if r["Falls within"] == "Cambridgeshire Constabulary"]
    want = Counter((r["Month"], r["Crime type"]) for r in rows if r["Crime type"] != ASB)
    df = compute(
        "public.crimes", db=bch, by=["falls_within", "police_uk_category"], cache_results=False
    )
    df = df[(df.falls_within == "Cambridgeshire Constabulary") & (df.value > 0)]
    got = {
        (p.strftime("%Y-%m"), c): v
        for (p, c), v in _values(df, "period_end", "police_uk_category").items()
    }
    assert got == dict(want)
    assert ASB not in set(df.police_uk_category)


def test_located_share_by_local_authority(bch: Path) -> None:
    rows = [r for r in _rows() if r["Crime type"] != ASB and r["Month"] == "2019-01"]
    n = Counter(r["Falls within"] for r in rows)
    located = Counter(r["Falls within"] for r in rows if r["LSOA code"])
    df = compute(
        "public.located_share", db=bch, months="2019-01", by="falls_within", cache_results=False
    )
    got = _values(df, "falls_within")
    assert got == pytest.approx({(f,): located[f] / n[f] for f in n})
    by_la = Counter(_la(r["LSOA name"]) for r in rows)  # None: no location
    df = compute(
        "public.crimes", db=bch, months="2019-01", by="local_authority", cache_results=False
    )
    assert {r.local_authority: r.value for r in df.itertuples() if r.value} == dict(by_la)


def test_charged_share_uses_the_outcome_mapping(bch: Path) -> None:
    mapping = {k.lower(): v for k, v in outcome_groups().items()}
    rows = [r for r in _rows() if r["Crime type"] != ASB and r["Month"] == "2018-12"]
    rows = [r for r in rows if r["Falls within"] == "Hertfordshire Constabulary"]
    charged = sum(
        1 for r in rows if mapping.get(r["Last outcome category"].lower()) == "Charged/Summonsed"
    )
    df = compute(
        "public.outcome.charged_share",
        db=bch,
        months="2018-12",
        by="falls_within",
        cache_results=False,
    )
    row = df[df.falls_within == "Hertfordshire Constabulary"].iloc[0]
    assert (row.numerator, row.denominator) == (charged, len(rows))


def test_lsoa_counts(bch: Path) -> None:
    rows = [r for r in _rows() if r["Crime type"] != ASB and r["Month"] == "2019-02"]
    rows = [r for r in rows if r["Falls within"] == "Bedfordshire Police"]
    want = Counter(r["LSOA code"] for r in rows if r["LSOA code"])
    df = compute(
        "public.crimes",
        db=bch,
        months="2019-02",
        by=["falls_within", "lsoa"],
        cache_results=False,
    )
    df = df[(df.falls_within == "Bedfordshire Police") & df.lsoa.notna() & (df.value > 0)]
    assert dict(zip(df.lsoa, df.value, strict=True)) == dict(want)


@pytest.mark.spark
@pytest.mark.filterwarnings("ignore:unclosed <socket:ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("measure", ["public.crimes", "public.located_share"])
def test_public_measures_on_spark_equal_duckdb(bch: Path, measure: str) -> None:
    by = ["falls_within", "local_authority"]
    duck = compute(measure, db=bch, by=by, window=["month", "rolling:3"], cache_results=False)
    spark = compute(
        measure,
        db=bch,
        by=by,
        window=["month", "rolling:3"],
        backend="pyspark",
        cache_results=False,
    )
    keys = ["window", "period_end", *by]
    a = duck.sort_values(keys, na_position="first").reset_index(drop=True)
    b = spark.sort_values(keys, na_position="first").reset_index(drop=True)
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
