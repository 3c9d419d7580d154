"""Benchmark: the dashboard's overview and a measure page under 20 concurrent users.

Starts ``forcepack serve`` on 127.0.0.1 (a free port) over a copy of the demo warehouse (so a
benchmark user can be added beside it without touching the original), logs 20 users in, and has
each request the overview and a measure page a fixed number of times. Reports p50 and p95 per
page, and the same for the stylesheet (``/static/style.css``, no warehouse work) as the baseline
measured in the same run: the ratio is what to compare between machines. Bounded: a fixed number
of requests, a per-request timeout and an overall deadline; the server is stopped at the end.
It never fails on time.

    uv run --no-sync python benchmarks/bench_dashboard.py [--db out/demo/warehouse.duckdb]
        [--users 20] [--requests 25] [--workers 1]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

PASSWORD = "benchmark-password"
DEADLINE_SECONDS = 600


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _login(base: str) -> urllib.request.OpenerDirector:
    op = _opener()
    html = op.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', html)
    assert token, "no CSRF field on the login page"
    body = urllib.parse.urlencode(
        {"username": "bench", "password": PASSWORD, "csrf": token.group(1)}
    ).encode()
    page = op.open(f"{base}/login", data=body, timeout=30).read().decode()
    assert "Force performance overview" in page, "login failed"
    return op


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("out/demo/warehouse.duckdb"))
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per user and page")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--measure", default="crime.recorded")
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist: run `make demo` first, or give --db")

    tmp = Path(tempfile.mkdtemp(prefix="forcepack-bench-dashboard-"))
    db = tmp / "warehouse.duckdb"
    shutil.copyfile(args.db, db)
    forcepack = [sys.executable, "-m", "forcepack.cli.main"]
    if Path(sys.executable).with_name("forcepack").exists():
        forcepack = [str(Path(sys.executable).with_name("forcepack"))]
    subprocess.run(
        [*forcepack, "users", "add", "bench", "--role", "analyst", "--password-stdin",
         "--db", str(db)],
        input=PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*forcepack, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ},
    )  # fmt: skip
    try:
        started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(f"{base}/login", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() - started > 180:
                    err = server.stderr.read().decode() if server.stderr else ""
                    sys.exit(f"the server did not start: {err[-2000:]}")
                time.sleep(0.25)
        startup = time.monotonic() - started
        pages = {
            "baseline /static/style.css": "/static/style.css",
            "overview /": "/",
            f"measure /measures/{args.measure}": f"/measures/{args.measure}",
            "measure, district": f"/measures/{args.measure}?district=E06000031",
        }
        openers = [_login(base) for _ in range(args.users)]
        for op in openers[:1]:  # one warm-up pass (first chart of each page drawn)
            for path in pages.values():
                op.open(base + path, timeout=60).read()
        times: dict[str, list[float]] = {name: [] for name in pages}
        errors: list[str] = []
        lock = threading.Lock()
        deadline = time.monotonic() + DEADLINE_SECONDS

        def user(op: urllib.request.OpenerDirector) -> None:
            for _ in range(args.requests):
                for name, path in pages.items():
                    if time.monotonic() > deadline:
                        return
                    t0 = time.perf_counter()
                    try:
                        op.open(base + path, timeout=30).read()
                    except OSError as err:
                        with lock:
                            errors.append(f"{path}: {err}")
                        continue
                    with lock:
                        times[name].append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=user, args=(op,)) for op in openers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    base_p95 = _percentile(times["baseline /static/style.css"], 95)
    report = {
        "users": args.users,
        "requests_per_user_and_page": args.requests,
        "workers": args.workers,
        "server_start_seconds": round(startup, 1),
        "wall_seconds": round(wall, 1),
        "errors": len(errors),
        "pages": {
            name: {
                "n": len(v),
                "p50_ms": round(statistics.median(v) * 1000, 1),
                "p95_ms": round(_percentile(v, 95) * 1000, 1),
                "p95_ratio_to_baseline": round(_percentile(v, 95) / base_p95, 1),
            }
            for name, v in times.items()
            if v
        },
    }
    print(json.dumps(report, indent=2))
    if errors:
        print("first errors:", *errors[:5], sep="\n  ")


if __name__ == "__main__":
    main()
