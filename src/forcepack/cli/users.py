"""``forcepack users``: who may log in to ``forcepack serve``, with which role and scope.

Users are kept in ``<warehouse>.users.json`` beside the warehouse (salted argon2 hashes), so the
server never writes to the warehouse itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from forcepack.cli.options import EnumChoice, db_option
from forcepack.errors import InputError
from forcepack.settings import default_db


def _db(db: Path | None) -> Path:
    return Path(db) if db is not None else default_db()


@click.group()
def users() -> None:
    """Dashboard users: add, list, remove."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=EnumChoice("forcepack.dashboard.users:Role"),
    required=True,
    help="analyst: everything; area / neighbourhood: personal data of that place only; "
    "board: aggregates only.",
)
@click.option("--area", default=None, help="The area user's policing area (name).")
@click.option("--neighbourhood", default=None, help="The neighbourhood user's neighbourhood.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)
@click.option("--replace", is_flag=True, help="Replace an existing user of that name.")
@db_option()
def add_cmd(
    name: str,
    role: str,
    area: str | None,
    neighbourhood: str | None,
    password_stdin: bool,
    replace: bool,
    db: Path | None,
) -> None:
    """Add a user (the password from a prompt, or from standard input)."""
    from forcepack.contract.vocab import PlaceKind
    from forcepack.dashboard import users as store
    from forcepack.dashboard.scope import Places
    from forcepack.warehouse.core import connect

    path = _db(db)
    con = connect(path, read_only=True)
    try:
        places = Places(con)
        if area:
            area = places.find(PlaceKind.AREA, area).code
        if neighbourhood:
            neighbourhood = places.find(PlaceKind.NEIGHBOURHOOD, neighbourhood).code
    finally:
        con.close()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = store.make_user(name, role, password, area=area, neighbourhood=neighbourhood)
    file = store.users_path(path)
    store.add(file, user, replace=replace)
    click.echo(f"user {user.name} ({user.role}, {user.scope_label}) saved in {file}")


@users.command("list")
@db_option()
def list_cmd(db: Path | None) -> None:
    """List the users (never their password hashes)."""
    from forcepack.dashboard import users as store

    for user in store.load(store.users_path(_db(db))).values():
        click.echo(f"{user.name:<24} {user.role.value:<14} {user.scope_label}")


@users.command("remove")
@click.argument("name")
@db_option()
def remove_cmd(name: str, db: Path | None) -> None:
    """Remove a user; their sessions stop working at their next request."""
    from forcepack.dashboard import users as store

    if not name:
        raise InputError("give the user name to remove")
    store.remove(store.users_path(_db(db)), name)
    click.echo(f"user {name} removed")
