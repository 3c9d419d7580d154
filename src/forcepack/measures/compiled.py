"""The DuckDB SQL of compiled measure plans, kept between runs in the user's cache folder.

Compiling a plan to SQL through Ibis costs 20 to 40 ms, about 4 s for the catalogue's 200
queries: a third of a month's refresh on the demo force, paid again by every ``forcepack``
command that computes. A plan's SQL depends only on the plan's period-free key (see
:func:`forcepack.measures.engine._plan_key`) and on the code that compiles it, so it is kept in
one file per state of that code: forcepack's version, the versions of Ibis, sqlglot and DuckDB,
and the source of ``forcepack.measures`` and ``forcepack.contract``. Editing the compiler, the
contract or a library gives another file, never stale SQL; results never depend on the file.

The folder is ``$FORCEPACK_CACHE_DIR``, else ``$XDG_CACHE_HOME/forcepack``, else
``~/.cache/forcepack``; ``FORCEPACK_CACHE_DIR=`` (empty) turns the file off. The file holds
SQL that forcepack runs, so it is trusted only as the user's own code is: it is written
private (0600, in a 0700 folder) and ignored when another user owns it or others may write
it. A damaged or unreadable file is ignored (the plans are compiled again).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import stat
from importlib import metadata
from pathlib import Path
from typing import Any

from forcepack.outputs import replace_file

CACHE_ENV = "FORCEPACK_CACHE_DIR"
_PREFIX = "compiled-sql-"
#: The most entries a file keeps (the catalogue needs about 200).
MAX_ENTRIES = 4096


def folder() -> Path | None:
    """Where the file lives, or None when it is turned off."""
    if CACHE_ENV in os.environ:
        given = os.environ[CACHE_ENV]
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "forcepack"


def _stamp() -> str:
    """A short hash of everything a plan's SQL depends on besides the plan."""
    import forcepack

    digest = hashlib.sha256()
    for dist in ("ibis-framework", "sqlglot", "duckdb"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{dist}={version};".encode())
    digest.update(f"forcepack={forcepack.__version__};".encode())
    root = Path(forcepack.__file__).parent
    for package in ("measures", "contract"):
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _trusted(path: Path) -> bool:
    """The file is the user's own and only the user may write it."""
    info = path.stat()
    same_owner = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
    return same_owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


class CompiledSQL:
    """The kept SQL of one state of the code, read on first use and written when it grew."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._kept: dict[str, str] | None = None
        self._new = 0

    def _entries(self) -> dict[str, str]:
        """The kept SQL by key text, read once per process."""
        if self._kept is None:
            base = folder()
            self._path = None if base is None else base / f"{_PREFIX}{_stamp()}.json"
            self._kept = _read(self._path) if self._path is not None else {}
        return self._kept

    def get(self, key: tuple[Any, ...]) -> str | None:
        return self._entries().get(repr(key))

    def put(self, key: tuple[Any, ...], sql: str) -> None:
        kept = self._entries()
        if self._path is not None and repr(key) not in kept and len(kept) < MAX_ENTRIES:
            kept[repr(key)] = sql
            self._new += 1
            if self._new == 1:
                atexit.register(self.save)

    def save(self) -> None:
        """Write the file if this process compiled something new, merged with what other
        processes wrote meanwhile (atomic, private); a failure only loses the saving."""
        if not self._new or self._path is None or self._kept is None:
            return
        path = self._path
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            merged = {**_read(path), **self._kept}
            kept = dict(list(merged.items())[:MAX_ENTRIES])
            with replace_file(path, private=True) as tmp:
                tmp.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
            for old in path.parent.glob(f"{_PREFIX}*.json"):
                if old != path:  # another state of the code: never read again by this one
                    old.unlink(missing_ok=True)
            self._new = 0
        except (OSError, TypeError, ValueError):
            return


def _read(path: Path) -> dict[str, str]:
    """The entries of ``path``; none when it is missing, damaged or not trusted."""
    try:
        if not path.is_file() or not _trusted(path):
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


#: The one store of this process.
STORE = CompiledSQL()
