"""The dashboard in a real browser: Debian's chromium driven by Playwright, checked by axe-core.

Nothing is downloaded: the browser is /usr/bin/chromium (``.ci/run`` installs it with apt) and
axe-core comes inside axe-playwright-python. Screenshots of each page go to
``$FORCEPACK_SCREENSHOTS`` (default: the test's temporary folder).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard_support import PASSWORDS, dash_warehouse

__all__ = ["dash_warehouse"]  # fixture

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def access_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser") / "access.jsonl"


@pytest.fixture(scope="module")
def server(dash_warehouse: Path, access_log: Path) -> Iterator[str]:
    import uvicorn

    from forcepack.dashboard.app import create_app
    from forcepack.dashboard.audit import AccessLog

    app = create_app(
        dash_warehouse, secret="browser-test-" + "k" * 20, access_log=AccessLog(access_log)
    )
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not srv.started:
        assert time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: install Debian's chromium (`apt-get install -y chromium`, "
        "as .ci/run does); the browser tests never download one"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FORCEPACK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _axe(page: object, where: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{where}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad
    )


def _login_by_keyboard(page: object, base: str, name: str) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]  # the skip link first
    page.focus("#username")  # type: ignore[attr-defined]
    page.keyboard.type(name)  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    page.keyboard.type(PASSWORDS[name])  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/")  # type: ignore[attr-defined]


def test_analyst_logs_in_drills_down_downloads_and_logs_out(
    server: str, browser: object, dash_warehouse: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from forcepack.cli.main import cli

    shots = _shots(tmp_path)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{server}/login")
    _axe(page, "login")
    page.screenshot(path=str(shots / "login.png"), full_page=True)
    _login_by_keyboard(page, server, "ana")
    assert page.locator("h1").inner_text() == "Force performance overview"
    _axe(page, "overview")
    page.screenshot(path=str(shots / "overview.png"), full_page=True)

    page.get_by_role("link", name="Recorded crime", exact=False).first.click()
    page.wait_for_url(f"{server}/measures/crime.recorded")
    _axe(page, "measure")
    page.screenshot(path=str(shots / "measure-force.png"), full_page=True)
    page.get_by_role("link", name="North", exact=True).click()
    page.wait_for_url("**area=North")
    page.get_by_role("link", name="Peterborough (E06000031)").click()
    page.wait_for_url("**district=E06000031")
    assert "Peterborough" in page.locator("h1").inner_text()
    _axe(page, "measure, district")
    page.screenshot(path=str(shots / "measure-district.png"), full_page=True)

    page.get_by_role("link", name="Force", exact=True).click()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    downloaded = Path(info.value.path()).read_text(encoding="utf-8")
    r = CliRunner().invoke(
        cli,
        ["measures", "compute", "crime.recorded", "--db", str(dash_warehouse), "--format", "csv"],
    )
    assert r.exit_code == 0 and downloaded == r.output

    for path, name in (
        ("/summary", "summary"),
        ("/papers", "papers"),
        ("/quality", "quality"),
        ("/lists", "lists"),
        ("/lists/harm-victims?neighbourhood=CAM-01", "list-victims"),
        ("/access-log", "access-log"),
    ):
        page.goto(server + path)
        _axe(page, name)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{server}/login")
    page.goto(f"{server}/")
    assert page.url == f"{server}/login"
    context.close()


def test_sergeant_is_denied_another_neighbourhood_and_it_is_logged(
    server: str, browser: object, access_log: Path, tmp_path: Path
) -> None:
    shots = _shots(tmp_path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    _login_by_keyboard(page, server, "sgt")
    page.goto(f"{server}/lists")
    page.get_by_role("link", name="Harm: victims at greatest risk", exact=False).click()
    assert "OFFICIAL-SENSITIVE" in page.content()
    response = page.goto(f"{server}/lists/harm-victims?neighbourhood=CAM-02")
    assert response is not None and response.status == 403
    assert "outside the scope of user sgt" in page.content()
    _axe(page, "denied")
    page.screenshot(path=str(shots / "denied.png"), full_page=True)
    response = page.goto(f"{server}/measures/no.such.measure")
    assert response is not None and response.status == 404
    page.screenshot(path=str(shots / "not-found.png"), full_page=True)
    context.close()
    entries = [json.loads(line) for line in access_log.read_text().splitlines()]
    denied = [e for e in entries if e["user"] == "sgt" and e["outcome"] == "denied"]
    assert denied and denied[-1]["scope"] == "neighbourhood=CAM-02"


def test_every_page_link_is_reachable_by_keyboard(server: str, browser: object) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    _login_by_keyboard(page, server, "ana")
    reached = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim()"))
    for name in ("Skip to content", "Overview", "Lists", "Papers", "Data quality", "Log out"):
        assert name in reached, (name, reached)
    context.close()
