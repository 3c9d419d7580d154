"""``forcepack harm``: Crime Harm Index scores, the monthly victim and offender lists.

The lists are OFFICIAL-SENSITIVE: they are made only for a named neighbourhood, district or
area (force-wide only with ``--force-wide``), written only to ``--out`` (never printed), and
every list made is recorded in the warehouse's ``access_log``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from forcepack.cli.common import progress, warehouse_path
from forcepack.cli.options import (
    EnumChoice,
    area_option,
    district_option,
    file_option,
    neighbourhood_option,
)
from forcepack.cli.options import db_option as shared_db_option
from forcepack.cli.out import force_option, warn_location

if TYPE_CHECKING:
    from forcepack.harm import Exclusions

db_option = shared_db_option()
write_db_option = shared_db_option(writes=True)
month_option = click.option("--month", required=True, help="Last month of the window, YYYY-MM.")
months_option = click.option(
    "--months",
    type=int,
    default=12,
    show_default=True,
    help="Length of the window in months, ending with --month.",
)


def _pct(x: float | None) -> str:
    """A share as the harm commands print it: ``12.3%``, or ``-`` when there is none."""
    return "-" if x is None else f"{x:.1%}"


@click.group()
def harm() -> None:
    """Crime Harm Index: build scores, victim and offender lists, concentration."""


def _exclusions(
    no_exclusions: bool, late_report_days: int | None, proactive: str | None
) -> Exclusions:
    from forcepack.harm import Exclusions
    from forcepack.harm.score import LATE_REPORT_DAYS, PROACTIVE_OFFENCES

    if no_exclusions:
        return Exclusions.none()
    codes = (
        PROACTIVE_OFFENCES
        if proactive is None
        else frozenset(c.strip() for c in proactive.split(",") if c.strip())
    )
    days = LATE_REPORT_DAYS if late_report_days is None else late_report_days
    return Exclusions(codes, None if days == 0 else days)


def _weights_file_options(file: str, short: str, xlsx: str) -> Any:
    """``--kind``, ``--code-column``, ``--value-column`` and ``--sheet``: how to read a weights
    table (named ``file``, ``short`` or ``xlsx`` in the help, as the sentence needs)."""

    def decorate(command: Any) -> Any:
        for option in reversed(
            (
                click.option(
                    "--kind",
                    type=EnumChoice("forcepack.harm.weights:Kind"),
                    default="cchi",
                    show_default=True,
                    help=f"Which index {file} holds (Cambridge CHI or ONS CSS).",
                ),
                click.option(
                    "--code-column", default=None, help=f"Offence-code column of {short}."
                ),
                click.option("--value-column", default=None, help=f"Weight column of {short}."),
                click.option("--sheet", default=None, help=f"Sheet of {xlsx} (default: first)."),
            )
        ):
            command = option(command)
        return command

    return decorate


@harm.command("build")
@write_db_option
@file_option(
    "--weights",
    "weights_file",
    help="Official weights table (CSV or XLSX); default: forcepack's.",
)
@_weights_file_options("the --weights file", "--weights", "an XLSX --weights file")
@click.option(
    "--duplicates",
    type=EnumChoice("forcepack.harm.weights:Duplicates"),
    default="median",
    show_default=True,
    help="How to combine several values for one offence code.",
)
@click.option(
    "--fill-default",
    is_flag=True,
    help="Take offences missing from --weights from forcepack's default table.",
)
@click.option("--no-exclusions", is_flag=True, help="Score every crime into the totals.")
@click.option(
    "--late-report-days",
    type=int,
    default=None,
    help="Exclude crimes recorded more than N days after they happened (default 365; "
    "0 keeps late reports).",
)
@click.option(
    "--proactive",
    default=None,
    help="Comma-separated offence codes found by police activity, excluded "
    "(default: drug offences and weapon possession).",
)
def build_cmd(
    db: Path | None,
    weights_file: Path | None,
    kind: str,
    code_column: str | None,
    value_column: str | None,
    sheet: str | None,
    duplicates: str,
    fill_default: bool,
    no_exclusions: bool,
    late_report_days: int | None,
    proactive: str | None,
) -> None:
    """Score every recorded crime into crime_harm, victim_harm and offender_harm."""
    from forcepack.harm import build
    from forcepack.harm.weights import load_table
    from forcepack.warehouse import connect

    weights = None
    if weights_file is not None:
        weights = load_table(
            weights_file,
            kind=kind,
            code_column=code_column,
            value_column=value_column,
            sheet=sheet,
            duplicates=duplicates,
        )
        for line in weights.skipped[:20]:
            click.echo(f"skipped {line}", err=True)
        if len(weights.skipped) > 20:
            click.echo(f"skipped {len(weights.skipped) - 20} more rows", err=True)
    con = connect(warehouse_path(db, writes=True), read_only=False)
    try:
        with progress("scoring crime harm"):
            result = build(
                con,
                weights,
                _exclusions(no_exclusions, late_report_days, proactive),
                fill_from_default=fill_default,
            )
    finally:
        con.close()
    click.echo(f"weighting: {result.weighting}")
    click.echo(f"exclusions: {result.exclusions}")
    click.echo(
        f"scored {result.crimes:,} crimes ({result.excluded:,} excluded), "
        f"{result.victim_rows:,} victim rows, {result.offender_rows:,} offender rows; "
        f"{result.harm_days:,.1f} harm days"
    )


@harm.command("weights")
@db_option
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@_weights_file_options("PATH", "PATH", "an XLSX PATH")
def weights_cmd(
    db: Path | None,
    path: Path | None,
    kind: str,
    code_column: str | None,
    value_column: str | None,
    sheet: str | None,
) -> None:
    """Check a weights table PATH (default: forcepack's) covers every recorded offence.

    Reads the warehouse only; exits with an error naming the offences that have crimes but no
    weight.
    """
    from forcepack.harm import weights as w
    from forcepack.warehouse import connect

    table = (
        w.default()
        if path is None
        else w.load_table(
            path, kind=kind, code_column=code_column, value_column=value_column, sheet=sheet
        )
    )
    con = connect(warehouse_path(db))
    try:
        cover = w.coverage(con, table)
    finally:
        con.close()
    click.echo(
        f"{table.name}: {len(table.weights)} offences weighted, "
        f"{len(table.unweighted)} listed without a weight, {len(table.skipped)} rows skipped"
    )
    if cover.complete:
        click.echo(cover.message())
    if cover.missing_reference:
        click.echo("not weighted (no crimes recorded): " + ", ".join(cover.missing_reference))
    if not cover.complete:
        from forcepack.errors import ConfigError

        raise ConfigError(
            cover.message(),
            hint="add the missing offences to the table, or build with --fill-default",
        )


def _list_command(kind: str) -> Any:
    @write_db_option
    @month_option
    @months_option
    @neighbourhood_option()
    @district_option()
    @area_option()
    @click.option(
        "--force-wide",
        is_flag=True,
        help="The whole force: only when explicitly needed (logged as force-wide).",
    )
    @click.option(
        "--top",
        type=int,
        default=None,
        help="Rows on the list (default 50; 0 = everyone with harm).",
    )
    @file_option(
        "--out",
        required=True,
        help="File to write: .csv or .xlsx (the list is never printed).",
    )
    @force_option()
    def command(
        db: Path | None,
        month: str,
        months: int,
        neighbourhood: str | None,
        district: str | None,
        area: str | None,
        force_wide: bool,
        top: int | None,
        out: Path,
        force: bool,
    ) -> None:
        from forcepack.harm import DEFAULT_TOP, resolve_scope, write_list
        from forcepack.harm.lists import ListKind
        from forcepack.outputs import check_out
        from forcepack.sensitive import MARKING, asked_scope, logged_refusals, require_scope
        from forcepack.warehouse import connect

        list_kind = ListKind(kind)
        warehouse = warehouse_path(db, writes=True)
        asked = asked_scope(
            area=area, district=district, neighbourhood=neighbourhood, force_wide=force_wide
        )
        with logged_refusals(
            warehouse, list_name=list_kind.list_name, scope=asked, period=month, path=out
        ):
            scope_kind, value = require_scope(
                area=area,
                district=district,
                neighbourhood=neighbourhood,
                force_wide=force_wide,
                list_name=list_kind.list_name,
            )
            check_out(out, force=force, warehouse=warehouse)
            con = connect(warehouse, read_only=False)
            try:
                scope = resolve_scope(con, scope_kind, value)
                rows = DEFAULT_TOP if top is None else (None if top == 0 else top)
                result = write_list(
                    con,
                    list_kind,
                    month,
                    scope,
                    out,
                    top=rows,
                    months=months,
                    force=force,
                    warehouse=warehouse,
                )
            finally:
                con.close()
        click.echo(
            f"{MARKING}: wrote {len(result.rows)} {kind} for {scope} "
            f"({result.period}) to {out}; recorded in the access log"
        )
        warn_location(out)

    command.__doc__ = (
        f"Rank the {kind} of a neighbourhood, district or area by harm in the 12 months to "
        "--month (OFFICIAL-SENSITIVE: written only to --out, logged)."
    )
    return command


harm.command("victims")(_list_command("victims"))
harm.command("offenders")(_list_command("offenders"))


@harm.command("summary")
@db_option
@month_option
@months_option
def summary_cmd(db: Path | None, month: str, months: int) -> None:
    """Aggregate harm figures (no person ids): totals, rate, concentration, list sizes."""
    from forcepack.summaries import harm_summary
    from forcepack.warehouse import connect

    con = connect(warehouse_path(db))
    try:
        s = harm_summary(con, month, months=months)
    finally:
        con.close()

    click.echo(f"harm, {months} months to {s.month:%Y-%m} ({s.weighting})")
    click.echo(
        f"  total {s.total_days:,.0f} days from {s.crimes:,} crimes; "
        f"per 1,000 people {s.per_1000 or 0:,.1f}"
    )
    click.echo(
        f"  victims with harm {s.victims:,}; top 1% suffered {_pct(s.top_1pct_share)}, "
        f"top 5% {_pct(s.top_5pct_share)}; "
        f"repeat victimisations {_pct(s.repeat_victim_share)}"
    )
    for p in s.areas + s.districts:
        click.echo(
            f"  {p.name:<22} {p.harm_days:>12,.0f} days  "
            f"{(p.per_1000 or 0):>8,.1f} per 1,000  {p.victims_on_lists:>6,} on lists"
        )


@harm.command("coverage")
@db_option
@click.option(
    "--month", default=None, help="Last month of the window, YYYY-MM (default: the latest)."
)
@months_option
def coverage_cmd(db: Path | None, month: str | None, months: int) -> None:
    """Share of recorded crimes and of their harm with published, estimated or missing weights."""
    from forcepack.harm.coverage import crime_coverage
    from forcepack.warehouse import connect

    con = connect(warehouse_path(db))
    try:
        c = crime_coverage(con, month=month, months=months)
    finally:
        con.close()

    last = c.end.replace(day=1) - dt.timedelta(days=1)
    click.echo(f"harm coverage, {months} months to {last:%Y-%m} ({c.weighting})")
    click.echo(
        f"  {c.crimes:,} recorded crimes; {c.harm_days:,.0f} harm days from the weighted ones "
        "(before the exclusions of the harm totals)"
    )
    for s in c.by_basis:
        harm_text = (
            "harm unknown (not scored)"
            if s.harm_days is None
            else f"{s.harm_days:>14,.0f} days ({_pct(s.harm_share)} of harm)"
        )
        share = _pct(s.crime_share)
        click.echo(f"  {s.basis.value:<10} {s.crimes:>10,} crimes ({share})  {harm_text}")
    if not c.uncovered_codes:
        click.echo("  every recorded crime has a weight")
        return
    click.echo(f"  offence codes without a weight: {c.uncovered_codes:,} (most crimes first)")
    for u in c.uncovered:
        why = "listed as missing" if u.listed else "not in the weighting"
        name = u.offence_name or "(not in the offences table)"
        click.echo(f"    {u.offence_code:<6} {name:<50} {u.crimes:>8,} crimes  {why}")
    if c.uncovered_codes > len(c.uncovered):
        click.echo(f"    and {c.uncovered_codes - len(c.uncovered):,} more")
