"""Docs as tests: every command in the README's shell blocks runs as written after `make demo`.

The commands run through ``bin/forcepack`` in a temporary folder laid out as the repository is
after ``make demo`` (``out/demo/warehouse.duckdb``, a copy of the session's demo warehouse),
with the files the README says are the user's own: ``extracts/districts.csv`` (the demo
force's districts), ``extracts/crimes-2019-12.csv`` (a small valid crimes extract) and
``paper-inputs/`` (a copy of the demo inputs, as the README says to start from). ``make``
lines are checked to name a Makefile target, not run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import REPO
from ingest_helpers import CRIME_HEADER, crime, write_csv

pytestmark = pytest.mark.slow

README = REPO / "README.md"
WRAPPER = REPO / "bin" / "forcepack"


def readme_commands() -> list[str]:
    """Every command line of the README's ``bash`` blocks, comments removed."""
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        for line in block.splitlines():
            if shlex.split(line, comments=True):
                lines.append(line)
    return lines


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


def test_readme_shows_only_commands_this_test_can_run() -> None:
    commands = readme_commands()
    assert len(commands) >= 10
    for line in commands:
        argv = shlex.split(line, comments=True)
        assert argv[0] in ("bin/forcepack", "make"), f"README line not run by its test: {line}"
        if argv[0] == "make":
            assert set(argv[1:]) <= make_targets(), f"README names no Makefile target: {line}"


def test_wrapper_says_what_to_do_without_an_environment(tmp_path: Path) -> None:
    copy = tmp_path / "checkout" / "bin" / "forcepack"
    copy.parent.mkdir(parents=True)
    shutil.copy(WRAPPER, copy)
    done = subprocess.run([str(copy), "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 127
    assert done.stderr.strip() == (
        f"forcepack is not installed in {tmp_path / 'checkout'}/.venv: "
        f"run `make demo` in {tmp_path / 'checkout'} first"
    )


@pytest.fixture
def checkout(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A folder laid out as the repository after `make demo`, with the user's own files."""
    work = tmp_path / "work"
    (work / "out" / "demo").mkdir(parents=True)
    shutil.copyfile(demo_warehouse, work / "out" / "demo" / "warehouse.duckdb")
    (work / "extracts").mkdir()
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:  # the demo force's own districts, as a force writes its districts extract
        con.execute(f"COPY districts TO '{work / 'extracts' / 'districts.csv'}' (HEADER)")
    finally:
        con.close()
    rows = [crime(i, recorded_at=f"2019-12-{1 + i % 28:02d} 09:30:00") for i in range(40)]
    write_csv(work / "extracts" / "crimes-2019-12.csv", CRIME_HEADER, rows)
    shutil.copytree(REPO / "src" / "forcepack" / "report" / "demo_inputs", work / "paper-inputs")
    return work


#: What a reader types when a README command reads a password from standard input.
PASSWORD = "a long passphrase for the README test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Start the README's `serve` line on a free port, check it answers, then stop it."""
    port = _free_port()
    server = subprocess.Popen(
        [str(WRAPPER), *argv[1:], "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, f"serve stopped: {server.stderr.read()[-2000:]}"
                assert time.monotonic() < deadline, "serve did not answer within 120 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()


def test_every_readme_command_runs_as_written(checkout: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FORCEPACK_DB"}
    ran = []
    for line in readme_commands():
        argv = shlex.split(line, comments=True)
        if argv[0] == "make":
            continue
        if argv[1] == "serve":
            _serve(argv, checkout, env)
            ran.append("serve")
            continue
        done = subprocess.run(
            [str(WRAPPER), *argv[1:]],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            input=PASSWORD + "\n" if "--password-stdin" in argv else None,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{line}\nexit {done.returncode}: {done.stderr[-2000:]}"
        ran.append(argv[1])
    assert {"warehouse", "ingest", "measures", "report", "harm", "victims"} <= set(ran)
    assert (checkout / "pack" / "board-paper-2019-12.pdf").stat().st_size > 0
    assert (checkout / "out" / "paper" / "board-paper-2019-12.html").stat().st_size > 0
    for name in ("victims.xlsx", "breaches.xlsx", "audit.xlsx"):
        assert (checkout / name).stat().st_size > 0
