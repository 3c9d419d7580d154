"""The contract's table files (``contract/tables/*.toml``): read into typed specs, checked as
they are read, so a mistake in a declaration stops the import with the entry that holds it."""

from __future__ import annotations

from importlib import resources

import pytest

from forcepack.contract import TABLES
from forcepack.contract.columns import CRIME_REF, SHARED
from forcepack.contract.declared import (
    _COLUMN_KEYS,
    _FIELD_TYPES,
    DeclarationError,
    check_references,
    read_family,
)
from forcepack.contract.derived_compliance import ENTITLEMENTS
from forcepack.contract.derived_harm import EXCLUSION_REASONS, HARM_STATUSES
from forcepack.contract.spec import ColumnType, Reference, Role, TimeOrder
from forcepack.contract.vocab import GRADES

FAMILIES = ("reference", "force", "public", "system", "compliance", "harm")
EXTRA = {
    "ENTITLEMENTS": ENTITLEMENTS,
    "EXCLUSION_REASONS": EXCLUSION_REASONS,
    "HARM_STATUSES": HARM_STATUSES,
}

TWO_TABLES = """
[[group.when]]
name = "seen_at"
type = "timestamp"
description = "When it was seen"
nullable = false

[[table]]
name = "sightings"
role = "force"
description = "Sightings."
key = ["sighting_id"]
time_order = [["seen_at", "noted_at"]]
date_column = "seen_at"

[[table.column]]
name = "sighting_id"
type = "string"
description = "Sighting reference"
nullable = false

[[table.column]]
use = "when"

[[table.column]]
name = "noted_at"
type = "timestamp"
description = "When it was noted"

[[table.column]]
name = "grade"
type = "string"
description = "Grade"
enum = "GRADES"

[[table.column]]
name = "district_code"
type = "string"
description = "District"
references = "districts.district_code"
minimum = 0
personal = true

[[table.column]]
use = "crime_ref"

[[table]]
name = "sighting_copies"
role = "derived"
description = "A copy."

[[table.column]]
copy = "sightings.grade"

[[table.column]]
copy = "crimes.recorded_at"
"""


def _family_text(family: str) -> str:
    path = resources.files("forcepack.contract").joinpath("tables", f"{family}.toml")
    return path.read_text(encoding="utf-8")


def test_the_family_files_read_in_order_are_the_whole_contract() -> None:
    saved = dict(TABLES)
    read: dict[str, object] = {}
    try:
        TABLES.clear()  # each family sees the families before it, as when the contract loads
        for family in FAMILIES:
            tables, _ = read_family(_family_text(family), family, EXTRA)
            for spec in tables:
                TABLES[spec.name] = spec
                read[spec.name] = spec
    finally:
        TABLES.clear()
        TABLES.update(saved)
    assert read == saved
    assert list(read) == list(saved)


def test_a_file_reads_into_the_specs_it_spells() -> None:
    (sightings, copies), groups = read_family(TWO_TABLES, "test.toml")
    assert sightings.role is Role.FORCE
    assert sightings.key == ("sighting_id",)
    assert sightings.time_order == (TimeOrder("seen_at", "noted_at"),)
    assert sightings.column_names == (
        "sighting_id",
        "seen_at",
        "noted_at",
        "grade",
        "district_code",
        "crime_id",
    )
    assert groups == {"when": (sightings.column("seen_at"),)}
    assert sightings.column("seen_at").type is ColumnType.TIMESTAMP
    assert not sightings.column("seen_at").nullable
    assert sightings.column("noted_at").nullable
    assert sightings.column("grade").enum == GRADES
    district = sightings.column("district_code")
    assert district.references == Reference("districts", "district_code")
    assert (district.minimum, district.personal) == (0, True)
    assert sightings.column("crime_id") is CRIME_REF is SHARED["crime_ref"][0]
    # a copy is the column as it stands where it was declared, in this file or before it
    assert copies.columns == (sightings.column("grade"), TABLES["crimes"].column("recorded_at"))
    assert copies.key == () and copies.date_column is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                'type = "timestamp"\ndescription = "When it was noted"',
                'type = "datetime"\ndescription = "When it was noted"',
            ),
            "table 'sightings', column 3 (noted_at): type 'datetime' is not one of string, integer",
        ),
        (
            ('enum = "GRADES"', 'enum = "GRADS"'),
            "table 'sightings', column 4 (grade): enum 'GRADS' names no vocabulary",
        ),
        (
            ('use = "when"', 'use = "whenever"'),
            "table 'sightings', column 2 (whenever): use 'whenever' is no group or shared column",
        ),
        (
            ('copy = "sightings.grade"', 'copy = "sightings.colour"'),
            "table 'sighting_copies', column 1 (sightings.colour): copy 'sightings.colour': no",
        ),
        (
            ("personal = true", "private = true"),
            "table 'sightings', column 5 (district_code): unknown key 'private'; allowed: backfill",
        ),
        (
            ('role = "derived"', 'role = "made_up"'),
            "table 'sighting_copies': role 'made_up' is not one of reference, force, public",
        ),
        (('name = "sighting_copies"', 'name = "sightings"'), "table 'sightings': declared twice"),
        (('description = "Grade"\n', ""), "table 'sightings', column 4 (grade): missing key 'desc"),
        (("[[group.when]]", "[[groups.when]]"), "the file: unknown section 'groups'"),
        (('key = ["sighting_id"]', "key = [sighting_id]"), "not valid TOML"),
        (("nullable = false", 'nullable = "no"'), "nullable 'no' is not a boolean (true or false)"),
        (("minimum = 0", "minimum = true"), "minimum True is not a number"),
        (('name = "noted_at"', 'name = "sighting_id"'), "column 'sighting_id' is declared twice"),
        (('key = ["sighting_id"]', 'key = ["sighting"]'), "date column 'sighting' is no column"),
        (('date_column = "seen_at"', 'date_column = "seen"'), "date column 'seen' is no column"),
        (('description = "Sightings."\n', ""), "table 'sightings': missing key 'description'"),
    ],
)
def test_a_mistake_names_the_file_and_the_entry(change: tuple[str, str], message: str) -> None:
    old, new = change
    assert old in TWO_TABLES
    with pytest.raises(DeclarationError) as caught:
        read_family(TWO_TABLES.replace(old, new, 1), "contract/tables/test.toml")
    assert str(caught.value).startswith("contract/tables/test.toml")
    assert message in str(caught.value)


def test_a_family_cannot_declare_a_table_the_contract_already_has() -> None:
    with pytest.raises(DeclarationError, match="table 'crimes': declared twice"):
        read_family('[[table]]\nname = "crimes"\nrole = "force"\ndescription = "x"\n', "t.toml")


def test_every_column_field_has_a_type_the_reader_checks() -> None:
    assert set(_FIELD_TYPES) == _COLUMN_KEYS


def test_a_reference_to_an_undeclared_key_is_refused() -> None:
    (sightings, _), _ = read_family(TWO_TABLES, "test.toml")
    check_references({**TABLES, "sightings": sightings})  # districts.district_code is declared
    with pytest.raises(DeclarationError, match=r"references districts\.district_code, which"):
        check_references({"sightings": sightings})
