"""``forcepack victims``: victim care compliance, breach lists and the quarterly audit sample."""

from __future__ import annotations

from pathlib import Path

import click

from forcepack.cli.common import progress, warehouse_path
from forcepack.cli.options import area_option, district_option, file_option
from forcepack.cli.options import db_option as shared_db_option
from forcepack.cli.out import force_option, warn_location

db_option = shared_db_option()
write_db_option = shared_db_option(writes=True)


@click.group()
def victims() -> None:
    """Victim care contract and Victims' Code compliance (breach lists and the audit sample
    are OFFICIAL-SENSITIVE)."""


@victims.command("build")
@write_db_option
def build_cmd(db: Path | None) -> None:
    """Rebuild the victim care tables from the loaded extracts."""
    from forcepack.compliance import build
    from forcepack.warehouse import connect

    con = connect(warehouse_path(db, writes=True), read_only=False)
    try:
        with progress("building victim care"):
            result = build(con)
    finally:
        con.close()
    owed = ", ".join(f"{k} {v:,}" for k, v in result.obligations.items())
    click.echo(
        f"victim care built as of {result.as_of:%Y-%m-%d %H:%M}: "
        f"{result.victims:,} victims; obligations due: {owed}"
    )


@victims.command("summary")
@db_option
@click.option("--month", "month", required=True, metavar="YYYY-MM", help="Reporting month.")
def summary_cmd(db: Path | None, month: str) -> None:
    """The month's aggregate compliance figures (no personal data)."""
    from forcepack.cli.format import words
    from forcepack.summaries import Pair, Rate, victim_care_summary
    from forcepack.warehouse import connect

    con = connect(warehouse_path(db))
    try:
        s = victim_care_summary(con, month)
    finally:
        con.close()

    def fmt(r: Rate) -> str:
        return "-" if r.value is None else f"{r.value:6.1%} ({r.numerator:,}/{r.denominator:,})"

    def show(label: str, pair: Pair) -> None:
        click.echo(f"  {label:<44} {fmt(pair.month):<24} {fmt(pair.rolling12)}")

    click.echo(f"victim care, {s.month}: month | rolling 12 months")
    show("VCC compliance", s.vcc_compliance)
    for area, pair in s.vcc_compliance_by_area.items():
        show(f"  VCC compliance, {area}", pair)
    show("Victims' Code compliance", s.code_compliance)
    for name, pair in s.code_compliance_by_entitlement.items():
        show(f"  {words(name)}", pair)
    show("Hub referral rate", s.hub_referral_rate)
    show("Priority group identified at first contact", s.priority_identified_at_first_contact)
    avg = "-" if s.average_investigation_days is None else f"{s.average_investigation_days:.1f}"
    click.echo(
        f"  open investigations at month end {s.open_investigations:,}; overdue for "
        f"review {s.overdue_reviews:,}; average age {avg} days"
    )


@victims.command("breaches")
@write_db_option
@click.option("--month", "month", required=True, metavar="YYYY-MM", help="Reporting month.")
@area_option()
@district_option()
@file_option(
    "--out",
    help="Write the list here (.csv or .xlsx). Without it only the count is shown.",
)
@force_option()
def breaches_cmd(
    db: Path | None,
    month: str,
    area: str | None,
    district: str | None,
    out: Path | None,
    force: bool,
) -> None:
    """OFFICIAL-SENSITIVE: victims owed a contact, update, referral or assessment."""
    from forcepack.compliance import breach_list, write_breach_list
    from forcepack.compliance.breaches import LIST_NAME
    from forcepack.outputs import check_out
    from forcepack.sensitive import asked_scope, logged_refusals
    from forcepack.warehouse import connect, data_hash

    warehouse = warehouse_path(db, writes=out is not None)
    asked = asked_scope(area=area, district=district)
    with logged_refusals(warehouse, list_name=LIST_NAME, scope=asked, period=month, path=out):
        if out is not None:
            check_out(out, force=force, warehouse=warehouse)
        con = connect(warehouse, read_only=out is None)
        try:
            result = breach_list(con, month, area=area, district=district)
            counts = result.rows["status"].value_counts().to_dict() if len(result.rows) else {}
            detail = ", ".join(f"{v:,} {k}" for k, v in sorted(counts.items()))
            click.echo(
                f"{len(result.rows):,} breaches for {result.scope}, {result.month.label}"
                + (f" ({detail})" if detail else "")
            )
            if out is None:
                click.echo(
                    "the list is OFFICIAL-SENSITIVE: give --out FILE.csv or FILE.xlsx to "
                    "write it (the export is logged)"
                )
                return
            path = write_breach_list(
                con, result, out, data_hash=data_hash(con), force=force, warehouse=warehouse
            )
        finally:
            con.close()
    click.echo(f"OFFICIAL-SENSITIVE list written to {path} (logged in access_log)")
    warn_location(path)


@victims.command("audit-sample")
@write_db_option
@click.option(
    "--quarter",
    required=True,
    metavar="YYYYQn",
    help="Calendar quarter of finalisation, e.g. 2019Q4 = October-December 2019.",
)
@click.option("--seed", type=int, default=None, help="Sampling seed (default 1).")
@file_option(
    "--out",
    required=True,
    help="Audit workbook to write (.xlsx, or .csv for the cases alone).",
)
@force_option()
def audit_sample_cmd(
    db: Path | None, quarter: str, seed: int | None, out: Path, force: bool
) -> None:
    """OFFICIAL-SENSITIVE: the quarter's 30 finalised cases for the Victims' Code audit."""
    from forcepack.compliance import audit_sample, write_audit_workbook
    from forcepack.compliance.audit import LIST_NAME
    from forcepack.compliance.rules import DEFAULT_AUDIT_SEED
    from forcepack.outputs import check_out
    from forcepack.sensitive import FORCE_WIDE, logged_refusals
    from forcepack.warehouse import connect, data_hash

    warehouse = warehouse_path(db, writes=True)
    with logged_refusals(
        warehouse, list_name=LIST_NAME, scope=FORCE_WIDE, period=quarter, path=out
    ):
        check_out(out, force=force, warehouse=warehouse)
        con = connect(warehouse, read_only=False)
        try:
            sample = audit_sample(con, quarter, seed=DEFAULT_AUDIT_SEED if seed is None else seed)
            path = write_audit_workbook(
                con, sample, out, data_hash=data_hash(con), force=force, warehouse=warehouse
            )
        finally:
            con.close()
    alloc = ", ".join(f"{a} {n} of {sample.eligible[a]:,}" for a, n in sample.allocation.items())
    click.echo(
        f"{len(sample.cases)} cases for {sample.quarter.label} (seed {sample.seed}; "
        f"{alloc}) written to {path} (OFFICIAL-SENSITIVE, logged in access_log)"
    )
    warn_location(path)


@victims.command("audit-results")
@write_db_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed the sample was drawn with, for a CSV workbook (an XLSX names its own; default 1).",
)
@click.option(
    "--quarter",
    default=None,
    metavar="YYYYQn",
    help="Quarter of the sample, for a CSV workbook (default: the quarter its cases' outcomes "
    "fall in).",
)
def audit_results_cmd(db: Path | None, file: Path, seed: int | None, quarter: str | None) -> None:
    """Load the completed audit workbook back: check it against its sample and store the
    auditors' findings (the paper's 6.3.3 counts them per audited area)."""
    from forcepack.compliance.audit_results import load_audit_results
    from forcepack.warehouse import connect

    con = connect(warehouse_path(db, writes=True), read_only=False)
    try:
        got = load_audit_results(con, file, seed=seed, quarter_text=quarter)
    finally:
        con.close()
    click.echo(
        f"audit findings for {got.quarter.label} (seed {got.seed}) loaded from {file.name}: "
        f"{got.cases} cases"
        + (f"; replaced the {got.replaced:,} findings loaded before" if got.replaced else "")
    )
    for area, counts in got.counts.items():
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        click.echo(f"  {area:<20} {detail}")
