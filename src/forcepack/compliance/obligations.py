"""The shape every entitlement's obligations share, as SQL.

Each entitlement (``vcc``, ``code``) writes a query whose rows carry ``crime_id``,
``victim_id``, ``enhanced``, ``trigger``, ``trigger_ref``, ``starts_at``, ``due_date``,
``fulfilled_at`` and ``closes_at``, selected from the temporary ``_victims_base`` table (alias
``b``) built by :mod:`forcepack.compliance.build`, and from the base's own contacts, events and
suspects (:func:`base_tables`). :func:`select_obligations` turns it into rows
of ``victim_care_obligations``: the deadline instant is 00:00 after the due date (a contact at
exactly that instant is in time), the reporting month is the due date's month, and only
obligations whose deadline has passed by ``$as_of`` are kept.
"""

from __future__ import annotations

from forcepack.contract.derived_compliance import CODE_ENTITLEMENTS, DIMENSIONS, ENTITLEMENTS
from forcepack.errors import InputError

DIMENSION_NAMES = tuple(c.name for c in DIMENSIONS)

#: The victims being built, with their crimes' facts (made by :mod:`forcepack.compliance.build`).
BASE = "_victims_base"
#: The column a query names a victim's row number in :data:`BASE` by (the row's ``rowid``): one
#: integer by which to sort and join back a victim's rows, where its key is two strings.
VK = "_vk"
#: SQL: the row's crime is one of the base's.
BASE_CRIMES = f"crime_id IN (SELECT crime_id FROM {BASE})"

#: The rows of the force tables the entitlements read, narrowed to ``_victims_base``'s crimes
#: once per build or slice (:func:`base_tables`): every query then joins and sorts only the
#: crimes being built, and a slice of a national build scans ``victim_contacts`` once rather than
#: once for each entitlement that reads it.
CONTACTS = "_base_contacts"
EVENTS = "_base_events"
SUSPECTS = "_base_suspects"


def base_crimes(where: str | None = None) -> str:
    """SQL: the row's crime is one of the base's, and matches the base's own condition on
    ``crime_id`` (``where``), repeated so that a slice's read of a table skips the rows of other
    crimes by their stored range of ``crime_id`` rather than probing every one."""
    return BASE_CRIMES if where is None else f"{BASE_CRIMES} AND ({where})"


def base_tables(where: str | None = None) -> list[tuple[str, str]]:
    """``(name, SELECT)`` of each temporary table of the base's contacts, investigation events
    and crimes with a suspect, to be created after ``_victims_base`` (``where``: the base's own
    condition, see :func:`base_crimes`)."""
    narrow = base_crimes(where)
    return [
        (
            CONTACTS,
            "SELECT contact_id, crime_id, victim_id, contact_at, contact_type "
            f"FROM victim_contacts WHERE {narrow}",
        ),
        (
            EVENTS,
            "SELECT event_id, crime_id, event_type, event_at "
            f"FROM investigation_events WHERE {narrow}",
        ),
        (SUSPECTS, f"SELECT DISTINCT crime_id FROM crime_suspects WHERE {narrow}"),
    ]


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
        SELECT o.crime_id, o.victim_id, '{entitlement}', {code}, o.enhanced, o.trigger,
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
