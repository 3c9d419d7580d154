"""The dashboard's pages: overview, measure pages, drill-down, downloads, stored results."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from fastapi.testclient import TestClient

from dashboard_support import STORED, client, dash_warehouse, login, make_client
from forcepack.measures import catalogue

__all__ = ["client", "dash_warehouse"]  # fixtures


def test_overview_lists_every_measure_by_theme_with_icons(client: TestClient) -> None:
    login(client, "chair")
    html = client.get("/").text
    for spec in catalogue().values():
        assert f'href="/measures/{spec.id}"' in html, spec.id
    for theme in ("Satisfaction", "Response", "Crime", "Harm", "Victim care"):
        assert f">{theme}</h2>" in html
    # stored measures carry MDC icons (SVG with a spoken title); the others say so
    assert html.count("<svg") >= len(STORED)
    assert "not stored" in html
    summary = client.get("/summary").text
    assert summary.count("<svg") >= len(STORED)


def test_measure_page_drills_from_force_to_area_to_district(client: TestClient) -> None:
    login(client, "ana")
    force = client.get("/measures/crime.recorded").text
    assert "<svg" in force and "By area" in force
    area_link = re.search(r'href="(/measures/crime\.recorded\?window=month&amp;area=North)"', force)
    assert area_link
    north = client.get(area_link.group(1).replace("&amp;", "&")).text
    assert "By district" in north and "Peterborough" in north and "Cambridge (" not in north
    district = client.get("/measures/crime.recorded?window=month&district=E06000031").text
    assert "By neighbourhood" in district  # crime.recorded is cut by neighbourhood
    for window in ("rolling12", "fytd"):
        assert client.get(f"/measures/crime.recorded?window={window}&area=South").status_code == 200


def test_csv_download_equals_measures_compute(client: TestClient, dash_warehouse: Path) -> None:
    from forcepack.cli.main import cli

    login(client, "ana")
    downloaded = client.get("/measures/crime.recorded.csv").text
    r = CliRunner().invoke(
        cli,
        ["measures", "compute", "crime.recorded", "--db", str(dash_warehouse), "--format", "csv"],
    )
    assert r.exit_code == 0, r.output
    assert downloaded == r.output
    # a district's series is the district rows of the stored cut
    rows = pd.read_csv(
        io.StringIO(
            client.get("/measures/harm.total_days.csv?window=rolling12&district=E07000008").text
        )
    )
    assert set(rows["district"]) == {"Cambridge"} and set(rows["window"]) == {"rolling12"}
    xlsx = client.get("/measures/crime.recorded.xlsx?area=North")
    frame = pd.read_excel(io.BytesIO(xlsx.content))
    assert set(frame["area"]) == {"North"} and len(frame) > 12


def test_a_measure_not_stored_names_the_command_that_builds_it(client: TestClient) -> None:
    login(client, "ana")
    r = client.get("/measures/demand.calls_999")
    assert r.status_code == 200
    assert "forcepack measures refresh --db" in r.text


def test_a_warehouse_without_stored_results_says_how_to_build_them(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    from forcepack.dashboard import users

    users.add(
        users.users_path(empty_warehouse), users.make_user("ana", "analyst", "analyst-password")
    )
    with make_client(empty_warehouse, tmp_path / "log.jsonl") as c:
        login(c, "ana", "analyst-password")
        html = c.get("/").text
        assert "holds no stored measure results" in html
        assert f"forcepack measures refresh --db {empty_warehouse}" in html


def test_server_reads_the_new_file_after_a_swap(empty_warehouse: Path, tmp_path: Path) -> None:
    from forcepack.dashboard.warehouse import Warehouse
    from forcepack.warehouse import create

    handle = Warehouse(empty_warehouse)
    first = handle.view()
    assert handle.view() is first  # unchanged file: the same view
    fresh = create(tmp_path / "new.duckdb")
    os.replace(fresh, empty_warehouse)  # how `forcepack update` swaps in a new build
    second = handle.view()
    assert second is not first
    assert first.con.execute("SELECT 1").fetchall() == [(1,)]  # old readers keep working


def test_papers_page_lists_the_built_papers(client: TestClient, dash_warehouse: Path) -> None:
    login(client, "chair")
    html = client.get("/papers").text
    assert 'href="/papers/board-paper-2019-12.html"' in html
    assert client.get("/papers/board-paper-2019-12.html").text == "<p>paper</p>"


def test_quality_page_shows_loads_quarantine_and_coverage(client: TestClient) -> None:
    login(client, "ana")
    html = client.get("/quality").text
    assert "Load log" in html and "Quarantine by rule" in html
    assert "Dec 2019" in html and "crimes" in html


def test_serve_refuses_a_warehouse_without_users(empty_warehouse: Path) -> None:
    from forcepack.cli.main import cli

    r = CliRunner().invoke(cli, ["serve", "--db", str(empty_warehouse)])
    assert r.exit_code != 0 and "forcepack users add" in str(r.exception)


def test_reporting_month_is_the_last_month_most_measures_have() -> None:
    import datetime as dt

    from forcepack.dashboard.data import reporting_end

    dec, jan = dt.date(2019, 12, 31), dt.date(2020, 1, 31)
    assert reporting_end([dec, dec, jan]) == dec  # a partial month after the data end
    assert reporting_end([dec, jan]) == dec  # a tie: the earlier month
    assert reporting_end([jan, jan, dec]) == jan
    assert reporting_end([]) is None


def test_a_share_is_judged_on_a_laney_p_prime_chart_and_a_count_on_xmr() -> None:
    """The dashboard judges as the paper does: proportions by their numerators and
    denominators (Laney p'), other measures by XmR limits of their values."""
    import numpy as np
    import pandas as pd

    from forcepack.dashboard.data import judge
    from forcepack.measures import get
    from forcepack.stats import attribute_chart, spc

    months = pd.date_range("2017-01-31", periods=36, freq="ME")
    rng = np.random.default_rng(7)
    denominators = rng.integers(80, 140, size=36).astype(float)
    numerators = np.round(denominators * 0.76 + rng.normal(0, 3, size=36))
    numerators[-1] = round(denominators[-1] * 0.45)  # a month far below the others
    series = pd.DataFrame(
        {
            "period_end": months.date,
            "value": numerators / denominators,
            "numerator": numerators,
            "denominator": denominators,
        }
    )
    got = judge(get("satisfaction.overall"), series)
    assert got is not None
    want = attribute_chart(numerators, denominators, months, chart="pp", improvement="increase")
    assert got.variation == str(want.summary.variation)
    assert list(got.points["ucl"]) == list(want.points["upl"])
    assert got.points["ucl"].nunique() > 1  # per-month limits: the denominators vary
    counts = series.assign(value=numerators)
    xmr = judge(get("crime.recorded"), counts)
    assert xmr is not None and xmr.points["ucl"].nunique() == 1
    assert list(xmr.points["ucl"]) == list(spc(numerators, months).points["upl"])


def test_the_access_log_page_shows_the_command_lines_lists_too(
    dash_warehouse: Path, tmp_path: Path
) -> None:
    """One place for an analyst to read every access to personal data: the dashboard's own log
    and the warehouse's access_log of lists made with forcepack commands, refusals included."""
    import shutil

    from forcepack.dashboard import users
    from forcepack.sensitive import record_access
    from forcepack.warehouse import connect

    db = tmp_path / "w.duckdb"
    shutil.copyfile(dash_warehouse, db)
    shutil.copyfile(users.users_path(dash_warehouse), users.users_path(db))
    con = connect(db, read_only=False)
    try:
        record_access(
            con,
            list_name="victim list",
            scope="neighbourhood CAM-02",
            period="2019-01 to 2019-12",
            rows=0,
            path="",
            user="pc.smith",
            outcome="refused",
            reason="no area named",
        )
    finally:
        con.close()
    with make_client(db, tmp_path / "access.jsonl") as c:
        login(c, "ana")
        html = c.get("/access-log").text
    assert "Lists made with the command line" in html
    assert "pc.smith" in html and "neighbourhood CAM-02" in html and "refused" in html
