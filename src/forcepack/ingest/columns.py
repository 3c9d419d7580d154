"""A force's own column names: a mapping file so that an export need not be renamed by hand.

A mapping file is TOML with one table per contract table, each line ``"export's name" =
"contract column"``::

    [crimes]
    "Crime Ref" = "crime_id"
    "Date Recorded" = "recorded_at"
    "HO Code" = "offence_code"

    [incidents]
    "Incident No" = "incident_id"

Names are matched as the header's names are (case, spaces, underscores and hyphens do not
matter). A header name with no mapping is matched to the contract by its own name, as always.
A mapping to a column the table does not have, or two names mapped to one column, is an error
naming the file and the line.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from forcepack.contract.spec import TABLES
from forcepack.errors import ConfigError, MissingFileError
from forcepack.ingest.validate import normalise
from forcepack.textfiles import read_text

#: contract table -> {normalised export name -> contract column}
ColumnMapping = Mapping[str, Mapping[str, str]]


def read_column_map(path: str | Path) -> dict[str, dict[str, str]]:
    """Read and check a mapping file."""
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(f"column mapping {path} does not exist", hint="check --columns")
    text = read_text(path, "column mapping")[0]  # UTF-8 or a Windows export, never a guess
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"column mapping {path.name} is not valid TOML: {err}") from None
    out: dict[str, dict[str, str]] = {}
    for table, names in data.items():
        if table not in TABLES:
            raise ConfigError(
                f"column mapping {path.name}: [{table}] is not a contract table",
                hint="allowed: " + ", ".join(sorted(TABLES)),
            )
        if not isinstance(names, dict):
            raise ConfigError(f"column mapping {path.name}: [{table}] must be a table of names")
        columns = set(TABLES[table].column_names)
        seen: dict[str, str] = {}
        out[table] = {}
        for source, target in names.items():
            if not isinstance(target, str) or target not in columns:
                raise ConfigError(
                    f'column mapping {path.name} [{table}]: "{source}" = {target!r} is not a '
                    f"{table} column",
                    hint="allowed: " + ", ".join(TABLES[table].column_names),
                )
            if target in seen:
                raise ConfigError(
                    f'column mapping {path.name} [{table}]: "{seen[target]}" and "{source}" '
                    f"are both mapped to {target}"
                )
            seen[target] = source
            out[table][normalise(source)] = target
    return out


def rename(header: tuple[str, ...], mapping: Mapping[str, str] | None) -> tuple[str, ...]:
    """The header with the force's names replaced by contract column names."""
    if not mapping:
        return header
    return tuple(mapping.get(normalise(h), h) for h in header)
