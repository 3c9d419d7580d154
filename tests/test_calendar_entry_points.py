"""Every place a person gives forcepack a month reads it with forcepack.calendar, so a bad month
gets calendar's one message everywhere; and the month arithmetic of the paper, the public pack,
harm scoring and the dashboard is calendar's."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from dashboard_support import client, dash_warehouse, login
from forcepack import calendar
from forcepack.calendar import Month
from forcepack.errors import ConfigError, InputError

__all__ = ["client", "dash_warehouse"]  # fixtures

#: calendar.parse's message, whatever the value is called.
ONE_MESSAGE = r'"{bad}" is not a month; give it as YYYY-MM, e.g. 2019-12'
#: Months the hand-written parsers accepted and calendar refuses, and plain bad ones.
BAD = ["2019-1", "2019-13", "Dec 2019", "2019/01"]
days = st.dates(dt.date(1901, 1, 1), dt.date(2199, 12, 31))


def _message(what: str, bad: str) -> str:
    return what + " " + ONE_MESSAGE.format(bad=bad)


@pytest.mark.parametrize("bad", BAD)
def test_the_paper_reads_a_month_with_the_calendar(bad: str) -> None:
    from forcepack.report import format as fmt

    with pytest.raises(InputError) as err:
        fmt.parse_month(bad)
    assert str(err.value) == _message("month", bad)
    assert fmt.parse_month("2019-02") == dt.date(2019, 2, 28)


@pytest.mark.parametrize("bad", BAD)
def test_build_paper_refuses_a_bad_month_with_the_one_message(bad: str, tmp_path: Path) -> None:
    from forcepack.report import build_paper

    db = tmp_path / "w.duckdb"
    db.touch()  # the month is read before the warehouse is opened
    with pytest.raises(InputError) as err:
        build_paper(db, bad)
    assert str(err.value) == _message("--month", bad)


@pytest.mark.parametrize("bad", BAD)
def test_the_public_pack_reads_a_month_with_the_calendar(bad: str) -> None:
    from forcepack.public.pack import build_pack, parse_month

    with pytest.raises(InputError) as err:
        build_pack(":memory:", "Bedfordshire", bad)
    assert str(err.value) == _message("--month", bad)
    assert parse_month(" 2019-01 ") == dt.date(2019, 1, 1)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--month", "2019-1"],
        ["public", "pack", "--force", "Bedfordshire", "--month", "2019-1"],
    ],
)
def test_the_commands_give_the_one_message(args: list[str], tmp_path: Path) -> None:
    from forcepack.cli.main import cli

    db = tmp_path / "w.duckdb"
    db.touch()
    res = CliRunner().invoke(cli, [*args, "--db", str(db), "--out", str(tmp_path / "out")])
    assert isinstance(res.exception, InputError), res.output
    assert str(res.exception) == _message("--month", "2019-1")


def test_a_change_point_month_in_paper_toml_gets_the_one_message(tmp_path: Path) -> None:
    from forcepack.report.inputs import demo_inputs_dir, read_inputs

    folder = tmp_path / "inputs"
    shutil.copytree(demo_inputs_dir(), folder)
    with (folder / "paper.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[change_points]]\nmeasure = "crime.recorded"\ndate = "2019-1"\nreason = "x"\n')
    with pytest.raises(ConfigError) as err:
        read_inputs(folder)
    text = str(err.value)
    assert "change_points entry 1 (crime.recorded): date" in text
    assert text.endswith(ONE_MESSAGE.format(bad="2019-1"))


@given(days, st.integers(-40, 40))
def test_the_public_packs_months_are_calendar_months(day: dt.date, n: int) -> None:
    from forcepack.public.tables import first_of

    assert first_of(day, n) == calendar.add(day, n) == (Month.of(day) + n).first


@given(days, st.integers(0, 40))
def test_the_dashboards_month_ends_are_calendar_month_ends(day: dt.date, back: int) -> None:
    from forcepack.dashboard.data import month_end

    got = month_end(day, back)
    assert got == (Month.of(day) - back).last
    assert (got + dt.timedelta(days=1)).day == 1 and Month.of(day).since(Month.of(got)) == back


@given(st.builds(Month, st.integers(1901, 2199), st.integers(1, 12)), st.integers(1, 60))
def test_the_harm_window_is_calendar_months(m: Month, n: int) -> None:
    from forcepack.harm.score import window

    start, end = window(str(m), n)
    assert calendar.span(start, end - dt.timedelta(days=1)) == [
        x.first for x in calendar.months(m - (n - 1), m)
    ]


@pytest.mark.parametrize(
    ("latest", "quarter"),
    [
        ("2019-12-31 23:00", "2019Q4"),
        ("2019-11-05 10:00", "2019Q3"),
        ("2020-01-31 10:00", "2019Q4"),
        ("2020-02-01 10:00", "2019Q4"),
        ("2020-03-01 00:00", "2020Q1"),
        ("2020-06-15 00:00", "2020Q2"),
        ("2020-09-30 00:00", "2020Q3"),
    ],
)
def test_the_dashboards_default_quarter_is_the_latest_finished_one(
    latest: str, quarter: str
) -> None:
    from forcepack.dashboard.lists import _quarter, latest_month

    con = duckdb.connect()
    con.execute("CREATE TABLE crimes (recorded_at TIMESTAMP)")
    con.execute(
        "INSERT INTO crimes VALUES (TIMESTAMP '2015-01-01'), (CAST(? AS TIMESTAMP))", [latest]
    )
    assert latest_month(con) == Month.of(dt.datetime.fromisoformat(latest)).first
    assert _quarter(con, None) == quarter
    assert _quarter(con, "2018Q2") == "2018Q2"


def test_a_quarter_is_three_consecutive_months() -> None:
    for m in calendar.months(Month(2018, 1), Month(2020, 12)):
        run = [
            x
            for x in calendar.months(Month(m.year, 1), Month(m.year, 12))
            if x.quarter == m.quarter
        ]
        assert len(run) == 3 and m in run
        assert all(b.since(a) == 1 for a, b in itertools.pairwise(run))


def test_the_scale_demos_years_count_back_calendar_months() -> None:
    from forcepack.demo.scale import ScaleOptions

    got = ScaleOptions.make(forces=1, years=5, end="2019-12")
    assert (got.start, got.end) == ("2015-01", "2019-12")
    assert ScaleOptions.make(forces=1, years=1, end="2020-03").start == "2019-04"


@pytest.mark.parametrize(
    "url",
    ["/measures/crime.recorded?month=2019-1", "/lists/harm-victims?area=North&month=2019-1"],
)
def test_the_dashboard_gives_the_one_message(client: TestClient, url: str) -> None:
    login(client, "ana")
    r = client.get(url)
    assert r.status_code == 404
    assert _message("month", "2019-1") in html.unescape(r.text)
