"""Make the trimmed data.police.uk street files shipped under tests/data/police-uk/.

    python tests/data/police-uk/trim.py FULL_FOLDER

FULL_FOLDER holds the published files as ``YYYY-MM/YYYY-MM-<force>-street.csv``. Each trimmed
file keeps the published header and lines byte for byte and in their published order: the first
rows of the file, some anti-social behaviour rows, some rows with no location, some geocoded
outside the Cambridgeshire districts, one row of every crime type in the file and the first row
of every outcome text not yet kept in an earlier file. The tests count what they assert from
these files, so any selection loads; this one keeps every quirk the tests look for.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST = 120
#: the file the restatement and outcomes tests sample 400 rows, 50 ASB rows and 20 more from
SAMPLED = ("2019-01-cambridgeshire-street.csv", 450)
EACH = {"asb": 15, "no_location": 15, "outside": 10}
DISTRICTS = {
    "Cambridge",
    "East Cambridgeshire",
    "Fenland",
    "Huntingdonshire",
    "Peterborough",
    "South Cambridgeshire",
}


def _district(lsoa_name: str) -> str | None:
    m = re.fullmatch(r"(.+) \d{3}[A-Z]", lsoa_name)
    return m.group(1) if m else None


def _kinds(row: dict[str, str]) -> set[str]:
    kinds = set()
    if row["Crime type"] == "Anti-social behaviour":
        kinds.add("asb")
    if row["LSOA name"] == "":
        kinds.add("no_location")
    elif _district(row["LSOA name"]) not in DISTRICTS:
        kinds.add("outside")
    return kinds


def trim(full: Path) -> None:
    outcomes: set[str] = set()
    for source in sorted(full.glob("*/*-street.csv")):
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        rows = list(csv.DictReader(lines))
        if len(rows) != len(lines) - 1:
            raise SystemExit(f"{source}: a quoted field spans lines; copy it by hand")
        first = SAMPLED[1] if source.name == SAMPLED[0] else FIRST
        keep = set(range(min(first, len(rows))))
        taken = dict.fromkeys(EACH, 0)
        types: set[str] = set()
        for i, row in enumerate(rows):
            for kind in _kinds(row):
                if taken[kind] < EACH[kind]:
                    taken[kind] += 1
                    keep.add(i)
            if row["Crime type"] not in types:
                types.add(row["Crime type"])
                keep.add(i)
            if row["Last outcome category"] not in outcomes:
                outcomes.add(row["Last outcome category"])
                keep.add(i)
        out = HERE / source.parent.name / source.name
        out.parent.mkdir(exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as f:
            f.writelines([lines[0], *(lines[i + 1] for i in sorted(keep))])
        print(f"{out.relative_to(HERE)}: {len(keep)} of {len(rows)} rows")


if __name__ == "__main__":
    trim(Path(sys.argv[1]))
