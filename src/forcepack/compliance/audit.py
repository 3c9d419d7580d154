"""The quarterly Victims' Code audit sample: 30 finalised cases, stratified by area.

A case is one victim of one crime finalised (``status = 'finalised'``) with its outcome in the
calendar quarter. The sample size is shared between areas in proportion to their eligible cases
(largest-remainder rounding: each area gets the whole part of its share, then the seats left go
to the largest fractional parts, ties to the area named first alphabetically). Within an area
the cases are ordered by ``md5(crime_id | victim_id | seed)`` and the first ones taken: the same
data, quarter and seed always give the same cases, and a different seed a different sample.

The workbook is OFFICIAL-SENSITIVE: it carries pseudonymous victim ids, every export is logged in
``access_log``, and it is written only where the user asks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from forcepack import __version__
from forcepack.compliance.build import require_built
from forcepack.compliance.periods import Period, quarter
from forcepack.compliance.rules import AUDIT_SAMPLE_SIZE, DEFAULT_AUDIT_SEED
from forcepack.contract.derived_compliance import Entitlement
from forcepack.contract.vocab import ContactType, CrimeStatus
from forcepack.errors import InputError
from forcepack.sensitive import FORCE_WIDE, require_scope, write_sensitive
from forcepack.warehouse.sql import lit

LIST_NAME = "victims' code audit sample"
#: Columns left empty for the auditors (generic: the reporting areas themselves are not public).
FINDINGS = (
    "finding: needs assessment",
    "finding: information",
    "finding: updates",
    "finding: referral",
    "finding: VPS offered",
    "auditor notes",
)


@dataclass(frozen=True, slots=True)
class AuditSample:
    quarter: Period
    seed: int
    eligible: dict[str, int]  # area -> finalised cases in the quarter
    allocation: dict[str, int]  # area -> cases drawn
    cases: pd.DataFrame


def allocate(sizes: Mapping[str, int], total: int = AUDIT_SAMPLE_SIZE) -> dict[str, int]:
    """Proportional allocation with largest-remainder rounding (see the module docstring).

    Never gives an area more cases than it has; if fewer than ``total`` cases exist, all are
    taken.
    """
    if total < 0:
        raise InputError(f"audit sample size must be at least 0, received {total}")
    population = sum(sizes.values())
    if population <= total:
        return dict(sizes)
    quotas = {a: total * n / population for a, n in sizes.items()}
    out = {a: math.floor(q) for a, q in quotas.items()}
    left = total - sum(out.values())
    for a in sorted(quotas, key=lambda a: (-(quotas[a] - out[a]), a))[:left]:
        out[a] += 1
    return out


def audit_sample(
    con: duckdb.DuckDBPyConnection,
    quarter_text: str,
    *,
    seed: int = DEFAULT_AUDIT_SEED,
    size: int = AUDIT_SAMPLE_SIZE,
) -> AuditSample:
    """Draw the quarter's sample (reads ``victim_care_victims``: run ``build`` first)."""
    q = quarter(quarter_text)
    require_built(con)
    eligible_sql = f"""
        SELECT crime_id, victim_id, coalesce(area, 'unknown') AS stratum
        FROM victim_care_victims
        WHERE status = {lit(CrimeStatus.FINALISED)} AND outcome_at >= $start AND outcome_at < $end
    """
    params = {"start": q.start, "end": q.end}
    sizes = dict(
        con.execute(f"SELECT stratum, count(*) FROM ({eligible_sql}) GROUP BY 1", params).fetchall()
    )
    allocation = allocate({k: int(v) for k, v in sizes.items()}, size)
    quotas = ", ".join(f"({lit(a)}, {int(n)})" for a, n in allocation.items()) or "(NULL, 0)"
    cases = con.execute(
        f"""
        WITH eligible AS ({eligible_sql}),
        ranked AS (
            SELECT e.*, row_number() OVER (
                PARTITION BY stratum
                ORDER BY md5(crime_id || '|' || victim_id || '|' || $seed), crime_id, victim_id
            ) AS draw
            FROM eligible e
        ),
        picked AS (
            SELECT r.* FROM ranked r
            JOIN (VALUES {quotas}) AS q(stratum, quota) USING (stratum)
            WHERE r.draw <= q.quota
        ),
        contacts AS (
            SELECT crime_id, victim_id, count(*) AS contacts,
                   count(*) FILTER (WHERE contact_type = {lit(ContactType.KEY_EVENT)})
                       AS key_event_contacts,
                   count(*) FILTER (WHERE contact_type = {lit(ContactType.UPDATE)})
                       AS update_contacts,
                   min(contact_at) AS first_contact_at, max(contact_at) AS last_contact_at
            FROM victim_contacts JOIN picked USING (crime_id, victim_id)
            GROUP BY ALL
        ),
        events AS (
            SELECT crime_id, count(*) AS key_events,
                   string_agg(event_type || ' ' || strftime(event_at, '%Y-%m-%d'), '; '
                              ORDER BY event_at) AS key_event_list
            FROM investigation_events WHERE crime_id IN (SELECT crime_id FROM picked)
            GROUP BY ALL
        ),
        ke AS (
            SELECT crime_id, victim_id, count(*) AS key_events_due,
                   count(*) FILTER (WHERE met) AS key_events_told_in_time
            FROM victim_care_obligations JOIN picked USING (crime_id, victim_id)
            WHERE entitlement = {lit(Entitlement.KEY_EVENT_CONTACT)}
            GROUP BY ALL
        )
        SELECT p.stratum AS area, ds.district_name AS district, p.crime_id, c.offence_code,
               o.offence_name, c.recorded_at, c.outcome_at, c.outcome_code, ot.outcome_name,
               p.victim_id, v.priority_group, v.priority_group_recorded_at,
               v.vcc_agreed, v.vcc_contact_days, v.vcc_contacts_due, v.vcc_contacts_missed,
               coalesce(k.contacts, 0) AS contacts,
               coalesce(k.update_contacts, 0) AS update_contacts,
               coalesce(k.key_event_contacts, 0) AS key_event_contacts,
               k.first_contact_at, k.last_contact_at,
               coalesce(ev.key_events, 0) AS key_events, ev.key_event_list,
               coalesce(ke.key_events_due, 0) AS key_events_due,
               coalesce(ke.key_events_told_in_time, 0) AS key_events_told_in_time,
               v.needs_assessed, v.hub_referred_at, v.hub_referral_declined,
               v.code_obligations_due, v.code_obligations_missed
        FROM picked p
        JOIN crimes c USING (crime_id)
        JOIN victim_care_victims v USING (crime_id, victim_id)
        LEFT JOIN offences o ON o.offence_code = c.offence_code
        LEFT JOIN outcome_types ot ON ot.outcome_code = c.outcome_code
        LEFT JOIN districts ds ON ds.district_code = c.district_code
        LEFT JOIN contacts k USING (crime_id, victim_id)
        LEFT JOIN events ev USING (crime_id)
        LEFT JOIN ke USING (crime_id, victim_id)
        ORDER BY p.stratum, p.draw
        """,
        {**params, "seed": str(seed)},
    ).df()
    return AuditSample(
        q,
        seed,
        {k: int(v) for k, v in sorted(sizes.items())},
        dict(sorted(allocation.items())),
        cases,
    )


def write_audit_workbook(
    con: duckdb.DuckDBPyConnection,
    sample: AuditSample,
    path: Path,
    *,
    data_hash: str,
    force: bool = False,
    warehouse: Path | None = None,
) -> Path:
    """Write the audit sample and record it in ``access_log`` (by
    :func:`forcepack.sensitive.write_sensitive`).

    XLSX: the cases with the findings columns shaded for the auditors, and an ``Allocation``
    sheet. CSV: the cases and the (empty) findings columns, after the ``marking`` column; read
    it back with :func:`forcepack.sensitive.read_list`.
    """
    require_scope(force_wide=True, list_name="The audit sample")
    about = (
        f"Victims' Code audit sample, {sample.quarter.label} (calendar quarter "
        f"{sample.quarter.start:%d %B %Y} to {sample.quarter.last_day:%d %B %Y}), seed "
        f"{sample.seed}: finalised cases stratified by area.",
        f"forcepack {__version__}; data hash {data_hash}; {len(sample.cases)} cases.",
    )
    method = pd.DataFrame(
        {
            "area": list(sample.eligible),
            "finalised cases": [sample.eligible[a] for a in sample.eligible],
            "drawn": [sample.allocation.get(a, 0) for a in sample.eligible],
        }
    )
    return write_sensitive(
        con,
        sample.cases,
        path,
        list_name=LIST_NAME,
        scope=FORCE_WIDE,
        period=sample.quarter.label,
        about=about,
        sheet="Audit sample",
        findings=FINDINGS,
        extra_sheets={"Allocation": method},
        force=force,
        warehouse=warehouse,
    )
