"""Entry point of the ``forcepack`` command.

Subcommands live one module per concern under ``forcepack.cli`` and are imported only when
invoked, so ``forcepack --help`` stays fast and a broken optional module cannot stop the rest.
Errors are translated to a one-line message and an exit code here, at the edge, and nowhere else.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from forcepack import __version__
from forcepack.cli.common import quiet_option
from forcepack.errors import ForcepackError

# command name -> "module:attribute" of a click command or group
SUBCOMMANDS: dict[str, str] = {
    "demo": "forcepack.cli.demo:demo",
    "warehouse": "forcepack.cli.warehouse:warehouse",
    "contract": "forcepack.cli.contract:contract",
    "ingest": "forcepack.cli.ingest:ingest",
    "measures": "forcepack.cli.measures:measures",
    "report": "forcepack.cli.report:report",
    "harm": "forcepack.cli.harm:harm",
    "victims": "forcepack.cli.victims:victims",
    "update": "forcepack.cli.update:update",
    "serve": "forcepack.cli.serve:serve",
    "users": "forcepack.cli.users:users",
    "public": "forcepack.cli.public:public",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="forcepack")
@click.option("--debug", is_flag=True, help="Show the full traceback when a command fails.")
@quiet_option()
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """forcepack: a police force's monthly performance pack from its own records.

    Load extracts into the warehouse (ingest), compute the measure catalogue (measures),
    write the board paper (report), and make the OFFICIAL-SENSITIVE lists (harm, victims).
    `forcepack demo` builds everything for a synthetic demo force.

    The warehouse is --db, else $FORCEPACK_DB, else out/demo/warehouse.duckdb (the demo's);
    a command names it on stderr when it writes to it or when --db was not given. Only
    `forcepack warehouse create` and `forcepack demo` create a warehouse.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, turning forcepack errors into a one-line message and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        return cli.main(args=args, prog_name="forcepack", standalone_mode=False)
    except ForcepackError as err:
        if debug:
            raise
        click.secho(f"Error: {err}", fg="red", err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as err:  # an unexpected failure: a bug, not bad input
        if debug:
            raise
        click.secho(
            f"Error: unexpected {type(err).__name__}: {err} "
            "(run again with --debug for the traceback, and please report it)",
            fg="red",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
