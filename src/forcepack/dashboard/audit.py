"""The dashboard's access log: one JSON line per view, download or denial of personal data.

The server opens the warehouse read-only (``forcepack update`` may be replacing it), so it cannot
insert into the warehouse's ``access_log``. It appends instead to ``<warehouse>.access.jsonl``
beside it: user, role, what, scope asked, outcome (``viewed``, ``downloaded``, ``denied``),
reason and time (UTC). Lines are written with one ``write`` on a file opened for appending, so
several worker processes can log to the same file without interleaving.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

OUTCOMES = ("viewed", "downloaded", "denied")


@dataclass(frozen=True, slots=True)
class Entry:
    at: str
    user: str
    role: str
    what: str
    scope: str
    outcome: str
    reason: str
    rows: int | None = None


def log_path(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".access.jsonl")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


class AccessLog:
    """Append-only JSON lines; ``clock`` is injectable for tests."""

    def __init__(self, path: Path, clock: Callable[[], dt.datetime] = _now) -> None:
        self.path = path
        self.clock = clock

    def record(
        self,
        *,
        user: str,
        role: str,
        what: str,
        scope: str,
        outcome: str,
        reason: str = "",
        rows: int | None = None,
    ) -> Entry:
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        entry = Entry(self.clock().isoformat(), user, role, what, scope, outcome, reason, rows)
        line = (json.dumps(asdict(entry), sort_keys=True) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return entry

    def entries(self, limit: int = 500) -> list[Entry]:
        """The latest ``limit`` entries, newest first."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()[-limit:]
        out = []
        for line in reversed(lines):
            if line.strip():
                raw = json.loads(line)
                out.append(Entry(**{k: raw.get(k) for k in Entry.__slots__}))
        return out
