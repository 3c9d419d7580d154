"""``forcepack serve``: the dashboard, a read-only view of the warehouse."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.options import db_option, file_option, folder_option
from forcepack.errors import InputError, MissingFileError
from forcepack.settings import default_db


@click.command()
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--workers", type=int, default=1, show_default=True, help="Worker processes serving it."
)
@folder_option(
    "--papers",
    help="Folder of the board papers (default: the warehouse's folder).",
)
@file_option(
    "--certfile",
    help="TLS certificate (then cookies are sent over HTTPS only).",
)
@file_option(
    "--keyfile",
    help="TLS private key.",
)
def serve(
    db: Path | None,
    host: str,
    port: int,
    workers: int,
    papers: Path | None,
    certfile: Path | None,
    keyfile: Path | None,
) -> None:
    """Serve the dashboard over the warehouse (opened read-only)."""
    import os

    import uvicorn

    from forcepack.dashboard.app import session_secret
    from forcepack.dashboard.users import users_path
    from forcepack.warehouse.core import connect

    path = Path(db) if db is not None else default_db()
    connect(path, read_only=True).close()  # a missing or foreign file fails here, plainly
    if not 1 <= port <= 65535:
        raise InputError(f"--port {port} is not a port; give 1 to 65535")
    if workers < 1:
        raise InputError(f"--workers {workers} is not allowed; give 1 or more")
    if bool(certfile) != bool(keyfile):
        raise InputError("give both --certfile and --keyfile, or neither")
    if not users_path(path).exists():
        raise MissingFileError(
            f"no users for {path} yet ({users_path(path)} does not exist)",
            hint="add one with `forcepack users add NAME --role analyst`",
        )
    os.environ["FORCEPACK_SERVE_DB"] = str(path.resolve())
    os.environ["FORCEPACK_SESSION_KEY"] = session_secret(path)  # one key for every worker
    if papers is not None:
        os.environ["FORCEPACK_SERVE_PAPERS"] = str(papers.resolve())
    if certfile:
        os.environ["FORCEPACK_SERVE_TLS"] = "1"
    click.echo(
        f"forcepack dashboard on http{'s' if certfile else ''}://{host}:{port}/ "
        f"(warehouse {path}, read-only)"
    )
    uvicorn.run(
        "forcepack.dashboard.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        log_level="warning",
    )
