"""Handling OFFICIAL-SENSITIVE lists: victim and offender lists, breach lists, audit samples.

The rules (DESIGN.md, "Handling personal data"): a list is built only for a named area, district
or neighbourhood (a force-wide list only when the user asks for it explicitly), carries only
pseudonymous ids, is written only to the path the user gives, is marked OFFICIAL-SENSITIVE in the
file itself, and every list made is recorded in the warehouse's ``access_log``.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import duckdb

from forcepack.errors import AccessError, MissingFileError

MARKING = "OFFICIAL-SENSITIVE"
HANDLING = (
    "OFFICIAL-SENSITIVE: personal data (pseudonymous ids). Do not forward outside the policing "
    "purpose it was made for; do not publish; delete when no longer needed."
)
FORCE_WIDE = "force-wide"


@dataclass(frozen=True, slots=True)
class Scope:
    """What a list is restricted to: ``kind`` is area, district, neighbourhood or force."""

    kind: str
    code: str
    label: str

    def __str__(self) -> str:
        return f"{self.kind} {self.label}" if self.kind != "force" else FORCE_WIDE


def require_scope(
    *,
    area: str | None = None,
    district: str | None = None,
    neighbourhood: str | None = None,
    force_wide: bool = False,
    list_name: str,
    allowed: tuple[str, ...] = ("area", "district", "neighbourhood", "force-wide"),
) -> tuple[str, str | None]:
    """Check exactly one scope was named, or force-wide was asked for explicitly.

    ``allowed`` names the scope options the calling command offers, so the message points only
    at options the user can give. Returns ``(kind, value)``; raises :class:`AccessError`.
    """
    named = [
        (k, v)
        for k, v in (("area", area), ("district", district), ("neighbourhood", neighbourhood))
        if v
    ]
    scopes = [s for s in allowed if s != "force-wide"]
    options = ", ".join(f"--{s}" for s in scopes[:-1]) + f" or --{scopes[-1]}"
    if len(scopes) == 1:
        options = f"--{scopes[0]}"
    if force_wide and named:
        raise AccessError(f"{list_name}: give {options}, or --force-wide, not both")
    if force_wide:
        return ("force", None)
    if len(named) != 1:
        wide = " (or --force-wide, which is logged as such)" if "force-wide" in allowed else ""
        raise AccessError(
            f"{list_name} is OFFICIAL-SENSITIVE and is built only for a named "
            + (", ".join(scopes[:-1]) + " or " if len(scopes) > 1 else "")
            + scopes[-1],
            hint=f"give exactly one of {options}{wide}",
        )
    return named[0]


def check_output_path(path: Path) -> Path:
    """The user's output path must be given and its folder must exist and be writable."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise MissingFileError(
            f"output folder {parent} does not exist",
            hint="create it first, or choose another --out",
        )
    return path


def record_access(
    con: duckdb.DuckDBPyConnection,
    *,
    list_name: str,
    scope: str,
    period: str,
    rows: int,
    path: Path | str,
    user: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one row to ``access_log`` (the connection must be writable)."""
    con.execute(
        "INSERT INTO access_log (accessed_at, user_name, list_name, scope, period, rows, path) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            at or dt.datetime.now(dt.UTC).replace(tzinfo=None),
            user or _user(),
            list_name,
            scope,
            period,
            rows,
            str(Path(path).resolve()),
        ],
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
