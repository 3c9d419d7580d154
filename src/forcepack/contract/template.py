"""Extract templates: what a force's export of each contract table must look like.

``forcepack contract template TABLE --out FILE`` writes a CSV a force's analyst can hand to
whoever builds the export: a comment block (lines starting ``#``) describing every column (its
type, whether it is required, what values are allowed, what it refers to), then the header row
and one example row. The comment lines and the example row are deleted before the file is
filled with real records; ingest reads the header from the first line.
"""

from __future__ import annotations

import csv
import io

from forcepack.contract.spec import TABLES, Column, ColumnType, Role, Table
from forcepack.errors import InputError

#: Example values of a kind of column, where the type alone would say too little.
_EXAMPLES: dict[str, str] = {
    "district_code": "E06000001",
    "district_name": "Hartlepool",
    "area": "Central",
    "force": "Example Police",
    "population": "92000",
    "population_year": "2021",
    "neighbourhood_code": "HTL-01",
    "neighbourhood_name": "Hartlepool Central",
    "offence_code": "28E",
    "offence_name": "Burglary - residential (dwelling)",
    "crime_id": "CR19120001",
    "incident_id": "INC19120001",
    "call_id": "CALL19120001",
    "response_id": "SR19120001",
    "episode_id": "MIS19120001",
    "order_id": "ORD19120001",
    "victim_id": "P00012345",
    "person_id": "P00067890",
    "call_type_code": "BURD",
    "call_type_name": "Burglary Dwelling",
    "outcome_code": "1",
    "owning_unit": "CID North",
    "system": "Crime recording system",
    "vcc_contact_days": "28",
    "age": "15",
    "crimes_awaiting_qa": "412",
}


def loadable_tables() -> list[Table]:
    """The tables a force loads from its own files, in load order of the contract."""
    return [t for t in TABLES.values() if t.role in (Role.REFERENCE, Role.FORCE)]


def example(col: Column) -> str:
    """An example value for ``col``: a valid one where the contract allows only a few."""
    if col.enum:
        return col.enum[0]
    if col.name in _EXAMPLES:
        return _EXAMPLES[col.name]
    if col.minimum is not None and col.type in (ColumnType.INTEGER, ColumnType.DOUBLE):
        return f"{col.minimum:g}"
    return col.type.example


def describe(col: Column) -> str:
    """One line about a column: type, required or optional, allowed values, reference."""
    parts = [col.type.words, "required" if not col.nullable else "optional"]
    if col.enum:
        parts.append("one of " + ", ".join(col.enum))
    if col.minimum is not None:
        parts.append(f"at least {col.minimum:g}")
    if col.maximum is not None:
        parts.append(f"at most {col.maximum:g}")
    if col.references is not None:
        parts.append(f"must match a loaded {col.references.table}.{col.references.column}")
    if col.personal:
        parts.append("a pseudonymous person id, never a name")
    return f"{col.name}: {col.description}. " + "; ".join(parts)


def template(name: str) -> str:
    """The template CSV of contract table ``name``."""
    spec = TABLES.get(name)
    loadable = [t.name for t in loadable_tables()]
    if spec is None or name not in loadable:
        raise InputError(
            f'no extract table named "{name}"', hint="allowed: " + ", ".join(sorted(loadable))
        )
    lines = [
        f"# forcepack extract template: {spec.name}",
        f"# {spec.description}",
        "# Delete these comment lines and the example row, then one row per record.",
        "# Key: " + (", ".join(spec.key) if spec.key else "(none)"),
    ]
    lines += [f"# {describe(c)}" for c in spec.columns]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(spec.column_names)
    writer.writerow([example(c) for c in spec.columns])
    return "\n".join(lines) + "\n" + buf.getvalue()
