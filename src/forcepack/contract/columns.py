"""Columns several tables of the contract share, defined once: a table that holds one of them
uses it from here, so its name, type, description and reference cannot drift apart."""

from __future__ import annotations

from forcepack.contract.types import INT, B, Column, ColumnType, Reference, S
from forcepack.contract.vocab import PRIORITY_GROUPS


def foreign_key(
    table: str, column: str, description: str, *, nullable: bool = False, type: ColumnType = S
) -> Column:
    """A column holding a key of ``table`` under the key's own name (``district_code`` of
    ``districts``): ingest checks that every value exists there."""
    return Column(column, type, description, nullable=nullable, references=Reference(table, column))


def stable_key(column: str, what: str) -> Column:
    """The key column a force table gains beyond DESIGN.md so that a re-extract restates its
    rows instead of adding them again; ``what`` names the value (``Event reference``)."""
    return Column(column, S, f"{what} (extension: a stable key for re-extracts)", nullable=False)


def person_id(column: str, description: str) -> Column:
    """A pseudonymous person id: required, and marked personal so that it never reaches a
    public output."""
    return Column(column, S, description, nullable=False, personal=True)


CRIME_REF = foreign_key("crimes", "crime_id", "Crime reference")
VICTIM_ID = person_id("victim_id", "Pseudonymous person id of the victim")
#: A victim's Victims' Code priority group as the derived tables copy it from ``crime_victims``.
PRIORITY_GROUP_COPY = Column(
    "priority_group", S, "Victims' Code priority group (null = standard)", enum=PRIORITY_GROUPS
)
SUSPECT_ID = person_id("person_id", "Pseudonymous person id of the suspect")

#: A crime's flags (``crimes``), in the order results list them, with what each marks.
_CRIME_FLAGS = {
    "domestic_abuse": "Domestic abuse",
    "hate_crime": "Hate crime",
    "child_sexual_abuse": "Child sexual abuse",
    "child_sexual_exploitation": "Child sexual exploitation",
    "serious_sexual_offence": "Serious sexual offence",
    "knife_crime": "Knife or sharp instrument",
}
CRIME_FLAGS = tuple(_CRIME_FLAGS)


def crime_flag_columns(
    names: tuple[str, ...] = CRIME_FLAGS, *, copied: bool = False
) -> tuple[Column, ...]:
    """The flag columns ``names`` (all of them by default); ``copied``: as a derived table
    holds them, copied from the crime."""
    suffix = " of the crime" if copied else ""
    return tuple(
        Column(name, B, f"{_CRIME_FLAGS[name]} flag{suffix}", nullable=False) for name in names
    )


#: Where a row of a file-per-row table came from. A new file or row number is not a
#: restatement of the record (they are updated along with a record that did change).
SOURCE_COLUMNS = (
    Column("source_file", S, "File the row came from", nullable=False),
    Column("source_row", INT, "Row number in the file (1 = first data row)", nullable=False),
)

#: The contract table a bookkeeping row (a quarantined row, a restated value) belongs to.
CONTRACT_TABLE = Column("table_name", S, "Contract table", nullable=False)

#: What a table file's ``use = "NAME"`` names (``contract/tables/*.toml``): the columns and
#: groups of columns above, each declared once.
SHARED: dict[str, tuple[Column, ...]] = {
    "crime_ref": (CRIME_REF,),
    "victim_id": (VICTIM_ID,),
    "suspect_id": (SUSPECT_ID,),
    "priority_group_copy": (PRIORITY_GROUP_COPY,),
    "crime_flags": crime_flag_columns(),
    "crime_flags_copied": crime_flag_columns(copied=True),
    "domestic_abuse_copied": crime_flag_columns(("domestic_abuse",), copied=True),
    "source_columns": SOURCE_COLUMNS,
    "contract_table": (CONTRACT_TABLE,),
}
