"""The completed Victims' Code audit workbook, loaded back: the auditors' findings per case.

The auditors fill the findings columns of the workbook ``forcepack victims audit-sample``
wrote (:data:`~forcepack.compliance.audit.FINDINGS`): for each of the five audited areas,
``met``, ``not met`` or ``n/a``, or leave it empty while the case is still being audited.
:func:`load_audit_results` checks the workbook against the sample it came from (the same
quarter and seed drawn again from the warehouse: every case of the sample, no other, none
twice), checks every finding, and stores them in ``audit_results`` (one row per case and
audited area), replacing any findings loaded before for that quarter. :func:`audit_findings`
counts them per audited area for the board paper (no ids).

``audit_results`` is forcepack's own record of what the auditors found, created the first time
results are loaded; it holds pseudonymous ids and is OFFICIAL-SENSITIVE like the workbook.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from forcepack.compliance.audit import FINDINGS, audit_sample
from forcepack.compliance.periods import Period, quarter
from forcepack.compliance.rules import DEFAULT_AUDIT_SEED
from forcepack.errors import DataError, InputError
from forcepack.sensitive import read_list
from forcepack.tablefiles import read_rows
from forcepack.warehouse.core import transaction
from forcepack.warehouse.sql import ident

TABLE = "audit_results"
#: The audited areas: every findings column but the auditor's notes.
AUDITED = tuple(f for f in FINDINGS if f.startswith("finding: "))
NOTES = "auditor notes"
#: What an auditor may write in a findings cell (any case); empty = not yet audited.
RESULTS = ("met", "not met", "n/a")
NOT_AUDITED = "not audited"
_ABOUT = re.compile(r"audit sample, (\d{4}Q[1-4]) .*?seed (\d+)")
_DDL = f"""
CREATE TABLE IF NOT EXISTS {ident(TABLE)} (
    quarter VARCHAR NOT NULL,
    seed INTEGER NOT NULL,
    area VARCHAR,
    crime_id VARCHAR NOT NULL,
    victim_id VARCHAR NOT NULL,
    finding VARCHAR NOT NULL,
    result VARCHAR NOT NULL,
    notes VARCHAR,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class AuditResults:
    """What a load stored: the quarter, the sample's seed, the cases and the findings counted
    per audited area (``{area: {result: cases}}``), and how many earlier rows it replaced."""

    quarter: Period
    seed: int
    cases: int
    counts: dict[str, dict[str, int]]
    replaced: int


def _about(path: Path) -> tuple[str | None, int | None]:
    """The quarter and seed the workbook's heading names (XLSX only; a CSV has no heading)."""
    if path.suffix.lower() != ".xlsx":
        return None, None
    for row in read_rows(path, "audit workbook").cells[:8]:
        m = _ABOUT.search(row[0] if row else "")
        if m:
            return m.group(1), int(m.group(2))
    return None, None


def _text(value: object) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def _quarter_of(path: Path, frame: pd.DataFrame) -> str:
    """The calendar quarter every case's outcome falls in (a CSV names no quarter)."""
    if "outcome_at" not in frame.columns:
        raise DataError(
            f"audit workbook {path.name}: no outcome_at column to tell the quarter from",
            hint="give --quarter YYYYQn",
        )
    days = pd.to_datetime(frame["outcome_at"].map(_text), errors="coerce")
    labels = {f"{d.year}Q{(d.month - 1) // 3 + 1}" for d in days.dropna()}
    if len(labels) != 1:
        raise DataError(
            f"audit workbook {path.name} column outcome_at: the cases' outcomes fall in "
            f"{', '.join(sorted(labels)) or 'no quarter'}; allowed: one calendar quarter",
            hint="give --quarter YYYYQn",
        )
    return labels.pop()


def read_findings(path: Path) -> pd.DataFrame:
    """The workbook's cases with their findings checked: columns crime_id, victim_id, area,
    every findings column (normalised to ``met``/``not met``/``n/a``/empty) and the notes."""
    frame = read_list(path)
    needed = ("crime_id", "victim_id", *FINDINGS)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(
            f"audit workbook {path.name}: column(s) {', '.join(missing)} missing; allowed: the "
            "workbook `forcepack victims audit-sample` wrote, with its findings columns filled in"
        )
    out = pd.DataFrame(
        {
            "crime_id": frame["crime_id"].map(_text),
            "victim_id": frame["victim_id"].map(_text),
            "area": frame["area"].map(_text) if "area" in frame.columns else "",
            NOTES: frame[NOTES].map(_text),
        }
    )
    for column in AUDITED:
        values = frame[column].map(lambda v: _text(v).lower())
        bad = values[~values.isin(("", *RESULTS))]
        if len(bad):
            row = int(bad.index[0]) + 1
            raise DataError(
                f'audit workbook {path.name} case row {row:,}, column "{column}": value '
                f'"{_text(frame.at[bad.index[0], column])}" is not one of '
                f"{', '.join(RESULTS)} (or empty while the case is being audited)"
            )
        out[column] = values
    empty = out.index[(out["crime_id"] == "") | (out["victim_id"] == "")]
    if len(empty):
        raise DataError(
            f"audit workbook {path.name} case row {int(empty[0]) + 1:,}: crime_id or victim_id "
            "is empty; allowed: the case ids as the sample wrote them"
        )
    if "outcome_at" in frame.columns:
        out["outcome_at"] = frame["outcome_at"]
    return out


def _check_cases(path: Path, got: pd.DataFrame, drawn: pd.DataFrame, label: str, seed: int) -> None:
    """Refuse a workbook whose cases are not exactly the sample drawn for ``label``/``seed``."""
    pairs = list(zip(got["crime_id"], got["victim_id"], strict=True))
    want = set(zip(drawn["crime_id"].astype(str), drawn["victim_id"].astype(str), strict=True))
    redraw = f"forcepack victims audit-sample --quarter {label} --seed {seed}"
    seen: set[tuple[str, str]] = set()
    for i, pair in enumerate(pairs, start=1):
        if pair in seen:
            raise DataError(
                f"audit workbook {path.name} case row {i:,}: case crime_id {pair[0]}, victim_id "
                f"{pair[1]} appears twice; allowed: each case of the sample once"
            )
        seen.add(pair)
        if pair not in want:
            raise DataError(
                f"audit workbook {path.name} case row {i:,}: case crime_id {pair[0]}, victim_id "
                f"{pair[1]} is not in the {label} sample drawn with seed {seed} from this "
                f"warehouse; allowed: the {len(want)} cases of that sample",
                hint=f"load the workbook that `{redraw}` wrote, or give the --seed it was "
                "drawn with",
            )
    absent = sorted(want - seen)
    if absent:
        raise DataError(
            f"audit workbook {path.name}: {len(absent)} case(s) of the {label} sample (seed "
            f"{seed}) are missing, the first crime_id {absent[0][0]}, victim_id "
            f"{absent[0][1]}; allowed: every case of the sample, its findings left empty "
            "while it is being audited",
            hint=f"`{redraw}` writes the whole sample again",
        )


def load_audit_results(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    seed: int | None = None,
    quarter_text: str | None = None,
) -> AuditResults:
    """Check the completed workbook at ``path`` against its sample and store its findings in
    ``audit_results``, replacing findings loaded before for the same quarter (see the module
    docstring). The quarter and seed come from the workbook's heading, else from the
    arguments (the seed defaulting to the sample's default, the quarter to the one the cases'
    outcomes fall in); a heading and an argument that disagree are an error."""
    path = Path(path)
    got = read_findings(path)
    head_quarter, head_seed = _about(path)
    for what, given, head in (("quarter", quarter_text, head_quarter), ("seed", seed, head_seed)):
        if given is not None and head is not None and str(given).upper() != str(head).upper():
            raise InputError(
                f"audit workbook {path.name}: its heading names {what} {head}, but {given} was "
                f"given; allowed: the {what} the sample was drawn with",
                hint=f"leave out --{what}",
            )
    label = head_quarter or quarter_text or _quarter_of(path, got)
    q = quarter(label)
    use_seed = head_seed if head_seed is not None else seed
    use_seed = DEFAULT_AUDIT_SEED if use_seed is None else use_seed
    drawn = audit_sample(con, q.label, seed=use_seed).cases
    _check_cases(path, got, drawn, q.label, use_seed)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = got.melt(
        id_vars=["crime_id", "victim_id", "area", NOTES],
        value_vars=list(AUDITED),
        var_name="finding",
        value_name="result",
    )
    rows["result"] = rows["result"].replace("", NOT_AUDITED)
    rows["finding"] = rows["finding"].str.removeprefix("finding: ")
    stored = pd.DataFrame(
        {
            "quarter": q.label,
            "seed": use_seed,
            "area": rows["area"].replace("", None),
            "crime_id": rows["crime_id"],
            "victim_id": rows["victim_id"],
            "finding": rows["finding"],
            "result": rows["result"],
            "notes": rows[NOTES].replace("", None),
            "file_name": path.name,
            "file_sha256": digest,
        }
    )
    with transaction(con):
        con.execute(_DDL)
        (replaced,) = con.execute(  # type: ignore[misc]
            f"SELECT count(*) FROM {ident(TABLE)} WHERE quarter = ?", [q.label]
        ).fetchone()
        con.execute(f"DELETE FROM {ident(TABLE)} WHERE quarter = ?", [q.label])
        con.register("_audit_rows", stored)
        con.execute(f"INSERT INTO {ident(TABLE)} SELECT * FROM _audit_rows")
        con.unregister("_audit_rows")
    counts = audit_findings(con, q.label) or {}
    return AuditResults(q, use_seed, len(got), counts, int(replaced))


def audit_findings(
    con: duckdb.DuckDBPyConnection, quarter_label: str
) -> dict[str, dict[str, int]] | None:
    """The findings loaded for ``quarter_label`` counted per audited area:
    ``{"needs assessment": {"met": 20, "not met": 3, "n/a": 2, "not audited": 5}, ...}`` in the
    workbook's order, or None when none have been loaded."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if TABLE not in tables:
        return None
    rows = con.execute(
        f"SELECT finding, result, count(*) FROM {ident(TABLE)} WHERE quarter = ? GROUP BY ALL",
        [quarter_label],
    ).fetchall()
    if not rows:
        return None
    order = [a.removeprefix("finding: ") for a in AUDITED]
    out: dict[str, dict[str, int]] = {a: {r: 0 for r in (*RESULTS, NOT_AUDITED)} for a in order}
    for finding, result, n in rows:
        out.setdefault(str(finding), {r: 0 for r in (*RESULTS, NOT_AUDITED)})[str(result)] = int(n)
    return out
