"""The shape every entitlement's obligations share, as SQL.

Each entitlement (``vcc``, ``code``) writes a query whose rows carry ``crime_id``,
``victim_id``, ``enhanced``, ``trigger``, ``trigger_ref``, ``starts_at``, ``due_date``,
``fulfilled_at`` and ``closes_at``, selected from the temporary ``_victims_base`` table (alias
``b``) built by :mod:`forcepack.compliance.build`. :func:`select_obligations` turns it into rows
of ``victim_care_obligations``: the deadline instant is 00:00 after the due date (a contact at
exactly that instant is in time), the reporting month is the due date's month, and only
obligations whose deadline has passed by ``$as_of`` are kept.
"""

from __future__ import annotations

from forcepack.contract.derived_compliance import CODE_ENTITLEMENTS, DIMENSIONS, ENTITLEMENTS
from forcepack.errors import InputError

DIMENSION_NAMES = tuple(c.name for c in DIMENSIONS)

#: SQL: the row's crime is one of ``_victims_base``'s. Every read of a force table keyed by
#: crime is narrowed to the crimes being built, so a slice of a build reads and sorts only its
#: own crimes' contacts, events and suspects, not the whole table's.
BASE_CRIMES = "crime_id IN (SELECT crime_id FROM _victims_base)"


def enhanced_at(start: str) -> str:
    """SQL: the victim has enhanced entitlement for a clock started at ``start``.

    A priority group applies from the moment it was recorded; one with no recording time is
    taken to have applied from the start.
    """
    return (
        f"(b.priority_group IS NOT NULL AND (b.priority_group_recorded_at IS NULL "
        f"OR b.priority_group_recorded_at <= {start}))"
    )


def dimensions(alias: str = "b") -> str:
    return ", ".join(f"{alias}.{d}" for d in DIMENSION_NAMES)


def select_obligations(entitlement: str, body: str) -> str:
    """Wrap an entitlement's query (``body``) as an ``INSERT ... SELECT`` over the table."""
    if entitlement not in ENTITLEMENTS:
        raise InputError(f'entitlement "{entitlement}" is not one of {", ".join(ENTITLEMENTS)}')
    code = "true" if entitlement in CODE_ENTITLEMENTS else "false"
    return f"""
        WITH o AS ({body})
        SELECT '{entitlement}:' || o.crime_id || ':' || o.victim_id || ':'
                   || coalesce(o.trigger_ref, 'recorded'),
               o.crime_id, o.victim_id, '{entitlement}', {code}, o.enhanced, o.trigger,
               o.trigger_ref, o.starts_at, o.due_date, (o.due_date + 1)::TIMESTAMP,
               date_trunc('month', o.due_date)::DATE, o.fulfilled_at,
               coalesce(o.fulfilled_at <= (o.due_date + 1)::TIMESTAMP, false), o.closes_at,
               {dimensions("o")}
        FROM o
        WHERE (o.due_date + 1)::TIMESTAMP <= $as_of
    """


def working_day_deadline(day_expr: str, n_expr: str, alias: str) -> str:
    """SQL join clauses giving ``{alias}_due.day``: the Nth working day after ``day_expr``."""
    return (
        f"JOIN working_days {alias}_from ON {alias}_from.day = {day_expr} "
        f"JOIN working_days {alias}_due ON {alias}_due.working_day_index = "
        f"{alias}_from.working_day_index + {n_expr} AND {alias}_due.is_working_day"
    )
