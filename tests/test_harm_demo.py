"""Harm on the demo force: plausible lists, power-few concentration, refusal and access log."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from forcepack import harm
from forcepack.cli.main import main
from forcepack.errors import AccessError
from forcepack.harm.score import victim_source, window
from forcepack.summaries import harm_summary
from forcepack.warehouse import connect

MONTH = "2019-12"


@pytest.fixture(scope="module")
def demo(demo_warehouse: Path) -> duckdb.DuckDBPyConnection:
    con = connect(demo_warehouse)  # read-only: harm is scored on the fly if not built
    yield con
    con.close()


def _rows(result: harm.HarmList) -> list[dict[str, object]]:
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


def _repeat_da(row: dict[str, object]) -> bool:
    return bool(row["domestic_abuse"]) and int(row["repeat_count"]) >= 1  # type: ignore[call-overload]


def test_repeat_domestic_abuse_victims_rise_to_the_top(demo: duckdb.DuckDBPyConnection) -> None:
    start, end = window(MONTH)
    (share_all,) = demo.execute(  # type: ignore[misc]
        "SELECT avg(CASE WHEN da AND n >= 2 THEN 1 ELSE 0 END) FROM ("
        "SELECT victim_id, bool_or(domestic_abuse) AS da, count(*) AS n "
        f"FROM {victim_source(demo)} WHERE NOT excluded AND recorded_at >= ? "
        "AND recorded_at < ? GROUP BY victim_id HAVING sum(harm_days) > 0)",
        [start, end],
    ).fetchone()
    top = _rows(
        harm.make_list(demo, "victims", MONTH, harm.resolve_scope(demo, "force", None), top=100)
    )
    share_top = sum(map(_repeat_da, top)) / 100
    # a small minority of all victims, but a large part of the top of the list
    assert share_all < 0.15
    assert share_top > 3 * share_all
    for area in ("North", "South"):
        top = _rows(
            harm.make_list(demo, "victims", MONTH, harm.resolve_scope(demo, "area", area), top=20)
        )
        assert len(top) == 20
        # each area's list leads with repeat domestic abuse victims, and they are at least five
        # times as common in its top 20 as among all victims (single very high-harm crimes,
        # such as rapes, take many of the other places)
        assert _repeat_da(top[0]), area
        assert sum(map(_repeat_da, top)) / 20 >= 5 * share_all, area
        totals = [float(r["total_harm_days"]) for r in top]  # type: ignore[arg-type]
        assert totals == sorted(totals, reverse=True)


def test_every_neighbourhood_gets_a_list(demo: duckdb.DuckDBPyConnection) -> None:
    codes = [r[0] for r in demo.execute("SELECT neighbourhood_code FROM neighbourhoods").fetchall()]
    assert codes
    s = harm_summary(demo, MONTH, top=10)
    # each neighbourhood's list is full (10) when it has that many victims with harm
    assert sum(a.victims_on_lists for a in s.areas) == 10 * len(codes)


def test_harm_is_concentrated_in_a_power_few(demo: duckdb.DuckDBPyConnection) -> None:
    c = harm.concentration(demo, MONTH)
    assert c.victims > 1000
    assert c.top_1pct_share is not None and c.top_5pct_share is not None
    assert 0.01 < c.top_1pct_share < c.top_5pct_share < 1
    assert c.top_5pct_share > 0.25  # the top 5% of victims suffer over a quarter of the harm
    s = harm_summary(demo, MONTH)
    assert s.total_days == pytest.approx(sum(a.harm_days for a in s.areas))
    assert s.per_1000 is not None and s.per_1000 > 0
    assert 0 < s.repeat_victims < s.victims


def test_refusal_without_an_area_and_the_access_log(demo_warehouse: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"  # lists write to the access log: work on a copy
    shutil.copyfile(demo_warehouse, db)
    out = tmp_path / "victims.csv"
    with pytest.raises(SystemExit) as refused:
        main(["harm", "victims", "--db", str(db), "--month", MONTH, "--out", str(out)])
    assert refused.value.code == AccessError.exit_code and not out.exists()
    code = (
        duckdb.connect(str(db), read_only=True)
        .execute("SELECT min(neighbourhood_code) FROM neighbourhoods")
        .fetchone()[0]
    )  # type: ignore[index]
    main(
        [
            "harm",
            "victims",
            "--db",
            str(db),
            "--month",
            MONTH,
            "--neighbourhood",
            code,
            "--top",
            "25",
            "--out",
            str(out),
        ]
    )
    con = duckdb.connect(str(db), read_only=True)
    log = con.execute(
        "SELECT list_name, scope, period, rows, path, outcome FROM access_log ORDER BY accessed_at"
    ).fetchall()
    con.close()
    assert len(log) == 2  # the refusal, then the list
    assert log[0][1:4] + log[0][5:] == ("none named", MONTH, 0, "refused")
    name, scope, period, rows, path, outcome = log[1]
    assert (name, period, rows, path, outcome) == (
        "harm victims",
        MONTH,
        25,
        str(out.resolve()),
        "granted",
    )
    assert scope.startswith(f"neighbourhood {code}")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("marking,rank,victim_id") and len(lines) == 1 + 25
    assert all(line.startswith("OFFICIAL-SENSITIVE,") for line in lines[1:])
