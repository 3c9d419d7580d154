"""Fixtures for the dashboard tests: a copy of the demo warehouse with a few stored measures.

The session's demo warehouse holds no stored results (and other tests read it), so the
dashboard gets its own copy, built once per session (shared by xdist workers), where a few
measures are refreshed and four users added: an analyst, an area user (North), a
neighbourhood sergeant (CAM-01) and a board member.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

#: Measures stored in the dashboard's warehouse (crime.recorded and harm.total_days are also
#: cut by neighbourhood); the rest of the catalogue is left unstored on purpose.
STORED = (
    "crime.recorded",
    "harm.total_days",
    "satisfaction.overall",
    "response.immediate.median_minutes",
)
PASSWORDS = {
    "ana": "analyst-password",
    "north": "north-area-password",
    "sgt": "sergeant-password",
    "chair": "board-password",
}


@pytest.fixture(scope="session")
def dash_warehouse(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from filelock import FileLock

    from forcepack.dashboard import users
    from forcepack.measures.refresh import refresh_file

    root = demo_warehouse.parent.with_name(demo_warehouse.parent.name + "-dashboard")
    root.mkdir(exist_ok=True)
    db = root / "warehouse.duckdb"
    done = root / "built"
    with FileLock(str(root / "build.lock")):
        if not done.exists():
            shutil.copyfile(demo_warehouse, db)
            refresh_file(db, ids=list(STORED))
            path = users.users_path(db)
            for name, role, area, hood in (
                ("ana", "analyst", None, None),
                ("north", "area", "North", None),
                ("sgt", "neighbourhood", None, "CAM-01"),
                ("chair", "board", None, None),
            ):
                user = users.make_user(name, role, PASSWORDS[name], area=area, neighbourhood=hood)
                users.add(path, user, replace=True)
            (root / "board-paper-2019-12.html").write_text("<p>paper</p>", encoding="utf-8")
            done.write_text("ok\n")
    return db


def make_client(db: Path, log: Path, **kwargs: object) -> TestClient:
    from forcepack.dashboard.app import create_app
    from forcepack.dashboard.audit import AccessLog

    app = create_app(db, secret="test-secret-" + "x" * 20, access_log=AccessLog(log), **kwargs)
    return TestClient(app)


@pytest.fixture
def client(dash_warehouse: Path, tmp_path: Path) -> Iterator[TestClient]:
    with make_client(dash_warehouse, tmp_path / "access.jsonl") as c:
        yield c


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def login(client: TestClient, name: str, password: str | None = None) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": name, "password": password or PASSWORDS[name], "csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
