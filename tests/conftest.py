"""Shared fixtures: tiny composable warehouses and one session-scoped demo warehouse."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# The compiled SQL kept between runs (forcepack.measures.compiled) goes to a folder of the
# tests' own, shared by the workers and runs of one user, never the user's cache folder.
os.environ.setdefault(
    "FORCEPACK_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"forcepack-tests-{os.getuid()}")
)
#: Real data.police.uk street files, trimmed, shipped with the tests (see its README.md).
POLICE_UK = REPO / "tests" / "data" / "police-uk"
#: The full published data.police.uk street files of the same three forces and five months,
#: shipped as the monthly archives data.police.uk publishes (see its README.md).
POLICE_UK_FULL_ARCHIVES = REPO / "tests" / "data" / "police-uk-full"


@functools.cache
def full_police_uk() -> Path:
    """The full set unpacked once per test process into a folder of ``YYYY-MM/*-street.csv``,
    the layout the raw counts of the tests read (removed when the process ends)."""
    folder = Path(tempfile.mkdtemp(prefix="forcepack-police-uk-full-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    for archive in sorted(POLICE_UK_FULL_ARCHIVES.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            zf.extractall(folder)
    return folder


#: Fixtures that build a whole demo force (about a minute): a test that uses one, directly or
#: through another fixture, is marked ``slow``, so the inner loop
#: ``pytest -m "not slow and not spark"`` never waits for a demo build.
SLOW_FIXTURES = frozenset({"demo_warehouse"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests on a demo force ``slow``."""
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> Path:
    """A new warehouse with the contract tables, the shipped national reference data and the
    demo force's own districts and call types; no other force data."""
    from force_helpers import create_force

    return create_force(tmp_path / "warehouse.duckdb")


def _demo_fingerprint() -> str:
    """A hash of the generator, warehouse and contract sources, so a stale build is never
    reused."""
    import hashlib

    import forcepack

    digest = hashlib.sha256()
    package = Path(forcepack.__file__).parent
    patterns = (
        "demo/*.py",
        "warehouse/*.py",
        "contract/*.py",
        "contract/reference/*.csv",
        "demo/reference/*.csv",
        "derive.py",
        "harm/*.py",
        "harm/weights/*",
        "compliance/*.py",
    )
    for pattern in patterns:
        for path in sorted(package.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo force's warehouse, built once per test session (shared by xdist workers).

    Open it read-only (``forcepack.warehouse.connect``): other tests use the same file.
    """
    from filelock import FileLock

    from forcepack.demo import build_demo

    base = tmp_path_factory.getbasetemp().parent
    root = base / f"demo-{_demo_fingerprint()}"
    root.mkdir(parents=True, exist_ok=True)
    done = root / "built"
    db = root / "warehouse.duckdb"
    with FileLock(str(root / "build.lock")):
        if not done.exists():
            import shutil
            import time

            # builds of older sources take ~400 MB each; leave recent ones, which another test
            # session may still be reading
            for old in base.glob("demo-*"):
                if old != root and time.time() - old.stat().st_mtime > 6 * 3600:
                    shutil.rmtree(old, ignore_errors=True)

            result = build_demo(root)
            shutil.rmtree(result.out / "parquet", ignore_errors=True)  # only the warehouse is used
            done.write_text("ok\n")
    return db
