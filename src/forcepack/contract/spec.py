"""The data contract: one spec per table, and the one place to look them up.

The tables are declared as data, by family, in ``contract/tables/``: ``reference.toml`` (the
force's geography and the classifications), ``force.toml`` (a force's extracts),
``public.toml`` (data.police.uk), ``system.toml`` (forcepack's own bookkeeping), and
``compliance.toml`` and ``harm.toml`` (the derived tables, loaded by the ``derived_*`` modules
beside the vocabularies their builders own). ``declared`` reads them, ``types`` holds the
building blocks, ``columns`` the columns several tables share and ``vocab`` the closed
vocabularies. Importing this module registers them all, in that order, in :data:`TABLES`.
Together they are the single definition of every table forcepack stores. From them come the
DuckDB DDL (:func:`forcepack.contract.ddl.create_statements`), the ingest
validation rules and ``docs/data-contract.md`` (:func:`forcepack.contract.docs.render_markdown`).
Table and column names follow ``DESIGN.md``; where a table gains a column DESIGN.md does not
list (a surrogate key such as ``event_id``, or ``owning_unit``), the column's description says
why.
"""

from __future__ import annotations

from forcepack.contract import vocab
from forcepack.contract.columns import CRIME_REF, VICTIM_ID
from forcepack.contract.declared import check_references, load_family
from forcepack.contract.types import (
    TABLES,
    Column,
    ColumnType,
    Reference,
    Role,
    Table,
    TimeOrder,
)
from forcepack.contract.vocab import *  # noqa: F403 (re-exported whole: vocab.__all__)

# What consumers import from here: the contract's building blocks, the table specs themselves and
# every vocabulary (all that ``vocab`` exports, so a new one needs no second listing here).
__all__ = [
    "CRIME_REF",
    "TABLES",
    "VICTIM_ID",
    "Column",
    "ColumnType",
    "Reference",
    "Role",
    "Table",
    "TimeOrder",
    "load_order",
    "table",
]
__all__ += vocab.__all__


def table(name: str) -> Table:
    """The spec of ``name``; an unknown name is an input error listing the allowed ones."""
    from forcepack.errors import InputError

    try:
        return TABLES[name]
    except KeyError:
        allowed = ", ".join(sorted(TABLES))
        raise InputError(
            f'table "{name}" is not in the data contract; allowed: {allowed}'
        ) from None


def load_order() -> list[str]:
    """Tables ordered so that every referenced table comes before the tables that reference it."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for col in TABLES[name].columns:
            if col.references and col.references.table != name:
                visit(col.references.table)
        order.append(name)

    for name in TABLES:
        visit(name)
    return order


# The tables, family by family; reading them registers them with the one contract in this
# order, which the docs and the load order follow. The derived tables are loaded by the modules
# of the concern that builds them (with the vocabularies that concern owns), so each concern
# owns its schema.
for _family in ("reference", "force", "public", "system"):
    load_family(_family)
from forcepack.contract import derived_compliance, derived_harm  # noqa: E402, F401

check_references(TABLES)
