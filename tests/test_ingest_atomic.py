"""A load that fails or is killed part-way leaves the warehouse exactly as it was."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from forcepack.ingest import LoadStatus, load_extract
from forcepack.ingest import load as load_module
from ingest_helpers import INCIDENT_HEADER, fetch, incident, write_csv

NOW = dt.datetime(2020, 1, 15, 12, 0)
BIG = 30_000

# The child loads the big file; just before COMMIT (every row inserted, quarantine and
# restatements written) it says so and waits to be killed.
CHILD = """
import sys, time, datetime as dt
from forcepack.ingest import load as L
original = L._log
def log_then_wait(*args, **kwargs):
    original(*args, **kwargs)
    print("about to commit", flush=True)
    time.sleep(120)
L._log = log_then_wait
L.load_extract(sys.argv[1], "incidents", sys.argv[2], now=dt.datetime(2020, 1, 15, 12))
print("committed", flush=True)
"""


def _snapshot(db: Path) -> tuple:
    con = duckdb.connect(str(db))  # read-write: replays the write-ahead log if one was left
    try:
        return tuple(
            con.execute(sql).fetchall()
            for sql in (
                "SELECT count(*), count(DISTINCT grade) FROM incidents",
                "SELECT load_id, rows_read, status FROM load_log ORDER BY load_id",
                "SELECT count(*) FROM quarantine",
                "SELECT count(*) FROM restatements",
            )
        )
    finally:
        con.close()


@pytest.fixture
def loaded(empty_warehouse: Path, tmp_path: Path) -> Path:
    """A warehouse holding one earlier load of 100 incidents."""
    first = write_csv(tmp_path / "first.csv", INCIDENT_HEADER, [incident(i) for i in range(100)])
    load_extract(empty_warehouse, "incidents", first, now=NOW)
    return empty_warehouse


@pytest.mark.slow
def test_kill_minus_9_before_commit_leaves_warehouse_unchanged(
    loaded: Path, tmp_path: Path
) -> None:
    # 30,000 rows: the first 100 restate the earlier load (grade changed), 1 in 1,000 is bad
    rows = [incident(i, grade="prompt" if i < 100 else "immediate") for i in range(BIG)]
    for i in range(500, BIG, 1000):
        rows[i] = incident(i, grade="urgent")
    big = write_csv(tmp_path / "big.csv", INCIDENT_HEADER, rows)
    before = _snapshot(loaded)
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(loaded), str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        line = child.stdout.readline()
        if line.strip() != "about to commit":
            child.kill()
            pytest.fail(f"the child did not reach the commit: {child.communicate()[1]}")
        child.kill()  # SIGKILL: no cleanup, no rollback, no close
        child.communicate(timeout=30)
    assert child.returncode == -9
    after = _snapshot(loaded)
    assert after == before
    assert after[0] == [(100, 1)]
    # and the same file then loads normally: it was never recorded as loaded
    r = load_extract(loaded, "incidents", big, now=NOW)
    assert (r.status, r.rows_read, r.rows_quarantined) == (LoadStatus.LOADED, BIG, BIG // 1000)
    assert (r.updated, r.inserted) == (100, BIG - 100 - BIG // 1000)


@pytest.mark.slow
def test_kill_at_an_arbitrary_moment_is_all_or_nothing(loaded: Path, tmp_path: Path) -> None:
    rows = [incident(i) for i in range(BIG)]
    big = write_csv(tmp_path / "big2.csv", INCIDENT_HEADER, rows)
    plain = CHILD.replace("L._log = log_then_wait", "print('about to commit', flush=True)")
    with subprocess.Popen(
        [sys.executable, "-c", plain, str(loaded), str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        child.stdout.readline()  # the child has imported forcepack and starts the load now
        time.sleep(0.5)
        child.kill()
        child.communicate(timeout=30)
    snap = _snapshot(loaded)
    [(count, _grades)] = snap[0]
    logged = snap[1]
    # either the load committed completely or it left no trace
    assert (count, len(logged)) in {(100, 1), (BIG, 2)}


def test_failure_part_way_rolls_back(
    loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [incident(i, grade="prompt") for i in range(150)] + [incident(150, grade="x")]
    f = write_csv(tmp_path / "second.csv", INCIDENT_HEADER, rows)
    before = _snapshot(loaded)

    def broken_log(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(load_module, "_log", broken_log)
    with pytest.raises(OSError, match="disk full"):
        load_extract(loaded, "incidents", f, now=NOW)
    assert _snapshot(loaded) == before
    monkeypatch.undo()
    r = load_extract(loaded, "incidents", f, now=NOW)
    assert (r.updated, r.inserted, r.rows_quarantined) == (100, 50, 1)
    assert fetch(loaded, "SELECT count(*) FROM restatements") == [(100,)]
