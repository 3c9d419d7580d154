"""Dashboard users: a JSON file beside the warehouse with salted argon2 password hashes.

The file (``<warehouse>.users.json``) keeps the warehouse itself read-only for the server. Each
user has a role: ``analyst`` (everything, force-wide), ``area`` (personal data of one policing
area), ``neighbourhood`` (personal data of one neighbourhood) or ``board`` (aggregates only).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from forcepack.errors import ConfigError, InputError
from forcepack.outputs import replace_file

#: Shortest password ``forcepack users add`` accepts.
MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HASHER = PasswordHasher()
#: Verified when the user is unknown, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class Role(StrEnum):
    ANALYST = "analyst"
    AREA = "area"
    NEIGHBOURHOOD = "neighbourhood"
    BOARD = "board"


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role
    area: str | None = None
    neighbourhood: str | None = None
    password_hash: str = ""

    @property
    def scope_label(self) -> str:
        if self.role is Role.AREA:
            return f"area {self.area}"
        if self.role is Role.NEIGHBOURHOOD:
            return f"neighbourhood {self.neighbourhood}"
        return "force-wide" if self.role is Role.ANALYST else "aggregates only"


def users_path(db: str | Path) -> Path:
    """Where the users of warehouse ``db`` are kept."""
    db = Path(db)
    return db.with_name(db.name + ".users.json")


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise InputError(
            f'user name "{name}" is not allowed; use 1 to 64 letters, digits, ".", "_" or "-", '
            "starting with a letter or digit"
        )
    return name


def make_user(
    name: str,
    role: Role | str,
    password: str,
    *,
    area: str | None = None,
    neighbourhood: str | None = None,
) -> User:
    """A new user with a freshly salted hash; the scope options must fit the role."""
    check_name(name)
    try:
        role = Role(role)
    except ValueError:
        raise InputError(
            f'role "{role}" is not one of {", ".join(r.value for r in Role)}'
        ) from None
    if role is Role.AREA and (not area or neighbourhood):
        raise InputError(f"role area needs --area (the user's policing area), user {name}")
    if role is Role.NEIGHBOURHOOD and (not neighbourhood or area):
        raise InputError(f"role neighbourhood needs --neighbourhood (its code), user {name}")
    if role in (Role.ANALYST, Role.BOARD) and (area or neighbourhood):
        raise InputError(
            f"role {role} is not restricted to a place: give no --area or --neighbourhood "
            f"for user {name}"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"password of user {name} has {len(password)} characters; give at least "
            f"{MIN_PASSWORD_LENGTH}"
        )
    return User(name, role, area, neighbourhood, _HASHER.hash(password))


def load(path: Path) -> dict[str, User]:
    """The users in ``path`` (none when the file does not exist yet)."""
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        users = {}
        for entry in raw["users"]:
            user = User(
                entry["name"],
                Role(entry["role"]),
                entry.get("area"),
                entry.get("neighbourhood"),
                entry["password_hash"],
            )
            users[user.name] = user
    except (ValueError, KeyError, TypeError) as err:
        raise ConfigError(
            f"users file {path} is not a forcepack users file ({err})",
            hint="recreate it with `forcepack users add`",
        ) from None
    return users


def save(path: Path, users: dict[str, User]) -> Path:
    """Write ``users`` to ``path`` atomically (a new file swapped in), readable by its owner."""
    body = {
        "users": [
            {**asdict(u), "role": u.role.value}
            for u in sorted(users.values(), key=lambda u: u.name)
        ]
    }
    with replace_file(path, private=True) as tmp:
        tmp.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return path


def add(path: Path, user: User, *, replace: bool = False) -> None:
    users = load(path)
    if user.name in users and not replace:
        raise InputError(
            f"user {user.name} already exists in {path}",
            hint="give --replace to set a new role or password",
        )
    users[user.name] = user
    save(path, users)


def remove(path: Path, name: str) -> None:
    users = load(path)
    if name not in users:
        raise InputError(f"user {name} is not in {path}; known: {', '.join(users) or '(none)'}")
    del users[name]
    save(path, users)


def authenticate(users: dict[str, User], name: str, password: str) -> User | None:
    """The user when ``password`` is theirs, else None (the same work either way)."""
    user = users.get(name)
    try:
        _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return user
