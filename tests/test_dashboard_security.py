"""The dashboard's security: login, sessions, CSRF, login limits, scope, audit, bad URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from dashboard_support import PASSWORDS, client, csrf_of, dash_warehouse, login, make_client
from forcepack.dashboard.app import LOGIN_ATTEMPTS

__all__ = ["client", "dash_warehouse"]  # fixtures


def _log(client: TestClient) -> list[dict[str, object]]:
    path: Path = client.app.state.log.path  # type: ignore[attr-defined]
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_pages_need_login(client: TestClient) -> None:
    for url in ("/", "/measures/crime.recorded", "/lists/harm-victims?area=North", "/access-log"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login", url


def test_login_sets_a_strict_http_only_cookie_and_logout_ends_it(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"username": "ana", "password": PASSWORDS["ana"], "csrf": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert client.get("/", follow_redirects=False).status_code == 200
    page = client.get("/").text
    r = client.post("/logout", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_cookie_is_secure_over_tls(dash_warehouse: Path, tmp_path: Path) -> None:
    with make_client(dash_warehouse, tmp_path / "log.jsonl", secure_cookies=True) as c:
        r = c.get("/login")
        assert "secure" in r.headers["set-cookie"].lower()


def test_wrong_password_and_unknown_user_are_refused_alike(client: TestClient) -> None:
    for name, password in (("ana", "not-her-password"), ("nobody", "whatever-it-is")):
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": name, "password": password, "csrf": token})
        assert r.status_code == 401
        assert "Wrong user name or password." in r.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_attempts_are_limited(client: TestClient) -> None:
    for _ in range(LOGIN_ATTEMPTS):
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": "ana", "password": "wrong", "csrf": token})
        assert r.status_code == 401
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "ana", "password": PASSWORDS["ana"], "csrf": token})
    assert r.status_code == 429  # even the right password, until the window has passed


def test_forged_posts_are_rejected(client: TestClient) -> None:
    r = client.post("/login", data={"username": "ana", "password": PASSWORDS["ana"]})
    assert r.status_code == 403
    client.get("/login")
    r = client.post(
        "/login", data={"username": "ana", "password": PASSWORDS["ana"], "csrf": "forged"}
    )
    assert r.status_code == 403
    login(client, "ana")
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200  # still logged in


def test_tampered_session_cookie_is_rejected(client: TestClient) -> None:
    login(client, "sgt")
    value = client.cookies["forcepack_session"]
    client.cookies.clear()
    # the payload says "ana" but the signature is for "sgt"'s session
    forged = value.replace(value.split(".")[0], "eyJ1c2VyIjogImFuYSJ9")
    client.cookies.set("forcepack_session", forged)
    assert client.get("/access-log", follow_redirects=False).status_code == 303


def test_neighbourhood_user_sees_own_list_and_is_denied_another(client: TestClient) -> None:
    login(client, "sgt")
    r = client.get("/lists/harm-victims?neighbourhood=CAM-01")
    assert r.status_code == 200
    assert "OFFICIAL-SENSITIVE" in r.text and "CAM-01" in r.text
    r = client.get("/lists/harm-victims?neighbourhood=CAM-02")
    assert r.status_code == 403
    assert "outside the scope of user sgt" in r.text
    for url in (
        "/lists/harm-victims",  # no place: no rows, not an empty list
        "/lists/harm-victims?district=E07000008",  # wider than the neighbourhood
        "/lists/breaches?neighbourhood=CAM-01",  # not built per neighbourhood
        "/lists/harm-victims?neighbourhood=CAM-01&area=North",  # two places
    ):
        assert client.get(url).status_code == 403, url
    log = _log(client)
    assert [e["outcome"] for e in log] == [
        "viewed",
        "denied",
        "denied",
        "denied",
        "denied",
        "denied",
    ]
    assert log[1]["user"] == "sgt" and log[1]["role"] == "neighbourhood"
    assert log[1]["scope"] == "neighbourhood=CAM-02" and "outside" in str(log[1]["reason"])
    assert log[0]["rows"] and int(str(log[0]["rows"])) > 0


def test_area_user_is_limited_to_the_area(client: TestClient) -> None:
    login(client, "north")
    assert client.get("/lists/harm-offenders?district=E07000010").status_code == 200  # Fenland
    assert client.get("/lists/breaches?area=North").status_code == 200
    assert client.get("/lists/harm-victims?area=South").status_code == 403
    assert client.get("/lists/harm-victims?district=E07000008").status_code == 403  # Cambridge
    assert client.get("/access-log").status_code == 403


def test_board_users_see_aggregates_only(client: TestClient) -> None:
    login(client, "chair")
    assert client.get("/").status_code == 200
    assert client.get("/measures/crime.recorded").status_code == 200
    for name in ("harm-victims", "harm-offenders", "breaches", "audit-sample"):
        r = client.get(f"/lists/{name}?area=North")
        assert r.status_code == 403 and "aggregates only" in r.text


def test_list_download_is_marked_and_logged(client: TestClient) -> None:
    login(client, "ana")
    r = client.get("/lists/audit-sample?area=South&format=csv")
    assert r.status_code == 200
    lines = r.text.splitlines()
    assert "attachment" in r.headers["content-disposition"]
    # the one CSV form of a list, as the commands write it: the marking on every row
    header = lines[0].split(",")
    assert header[0] == "marking" and "victim_id" in header and "area" in header
    assert len(lines) > 1 and all(row.startswith("OFFICIAL-SENSITIVE,") for row in lines[1:])
    areas = {row.split(",")[header.index("area")] for row in lines[1:]}
    assert areas == {"South"}
    assert _log(client)[-1]["outcome"] == "downloaded"


def test_access_log_page_lists_denials_for_analysts(client: TestClient) -> None:
    login(client, "ana")
    client.get("/lists/harm-victims")  # denied: no place named
    r = client.get("/access-log")
    assert r.status_code == 200 and "denied" in r.text and "(no place named)" in r.text
    assert "access.jsonl" in r.text


@pytest.mark.parametrize(
    "url",
    [
        "/measures/no.such.measure",
        "/measures/crime.recorded?district=E99999999",
        "/measures/crime.recorded?month=2031-01",
        "/measures/crime.recorded?window=weekly",
        "/measures/crime.recorded.csv?neighbourhood=XX-99",
        "/lists/no-such-list?area=North",
        "/lists/harm-victims?area=Atlantis",
        "/lists/harm-victims?area=North&month=2031-13",
        "/papers/board-paper-2019-12.exe",
        "/papers/..%2Fwarehouse.duckdb",
    ],
)
def test_unknown_things_in_urls_are_plain_404s(client: TestClient, url: str) -> None:
    login(client, "ana")
    r = client.get(url)
    assert r.status_code == 404, url
    assert "Not found" in r.text and "Traceback" not in r.text


def test_users_cli_adds_with_password_from_stdin(dash_warehouse: Path, tmp_path: Path) -> None:
    import shutil

    from forcepack.cli.main import cli
    from forcepack.dashboard import users

    db = tmp_path / "w.duckdb"
    shutil.copyfile(dash_warehouse, db)  # read only by the command; users go beside it
    runner = CliRunner()
    args = ["users", "add", "pat", "--role", "neighbourhood", "--neighbourhood", "cambridge north"]
    r = runner.invoke(cli, [*args, "--password-stdin", "--db", str(db)], input="a-long-password\n")
    assert r.exit_code == 0, r.output
    stored = users.load(users.users_path(db))["pat"]
    assert stored.neighbourhood == "CAM-02"  # resolved to the code by name
    assert "a-long-password" not in users.users_path(db).read_text()
    assert users.users_path(db).stat().st_mode & 0o077 == 0
    assert users.authenticate({"pat": stored}, "pat", "a-long-password") == stored
    r = runner.invoke(
        cli,
        ["users", "add", "x", "--role", "area", "--password-stdin", "--db", str(db)],
        input="a-long-password\n",
    )
    assert r.exit_code != 0 and "needs --area" in str(r.exception)


def test_user_validation_messages() -> None:
    from forcepack.dashboard.users import make_user
    from forcepack.errors import InputError

    with pytest.raises(InputError, match="at least 10"):
        make_user("a", "analyst", "short")
    with pytest.raises(InputError, match="not one of analyst"):
        make_user("a", "admin", "long-enough-password")
    with pytest.raises(InputError, match="not restricted to a place"):
        make_user("a", "board", "long-enough-password", area="North")
    with pytest.raises(InputError, match="not allowed"):
        make_user("a b", "analyst", "long-enough-password")


def test_a_quarter_is_read_by_the_commands_rule(client: TestClient) -> None:
    """The dashboard's audit sample takes the quarter as victims audit-sample does: 2019q4 is
    2019Q4, and a quarter that is not one gets that command's message."""
    login(client, "ana")
    typed = client.get("/lists/audit-sample?area=South&quarter=2019q4&format=csv")
    assert typed.status_code == 200
    assert typed.text == client.get("/lists/audit-sample?area=South&format=csv").text
    bad = client.get("/lists/audit-sample?area=South&quarter=2019Q5")
    assert bad.status_code in (400, 404) and "n from 1 to 4" in bad.text
