"""Handling OFFICIAL-SENSITIVE lists: victim and offender lists, breach lists, audit samples.

The rules (DESIGN.md, "Handling personal data"): a list is built only for a named area, district
or neighbourhood (a force-wide list only when the user asks for it explicitly), carries only
pseudonymous ids, is written only to the path the user gives, is marked OFFICIAL-SENSITIVE in the
file itself, and every attempt to make one is recorded in the warehouse's ``access_log``,
refused attempts included.

This module holds the one writer of such files (:func:`write_sensitive`, CSV or XLSX) and its
reader (:func:`read_list`):

- **CSV**: the first column is ``marking``, holding ``OFFICIAL-SENSITIVE`` on every row, so
  Excel and pandas read a plain table and the marking travels with every row copied out of it.
- **XLSX**: the marking in row 1 (then the handling note and what the list covers), a blank
  row, the header and the rows; the marking is also in every sheet's printed header and footer.
- Every cell, header and sheet name goes through :func:`forcepack.outputs.defuse`; the path
  through :func:`forcepack.outputs.check_out` (never the warehouse, never through a link, an
  existing file only with ``force``). The file appears only once its ``access_log`` row is
  committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from forcepack.contract.vocab import ACCESS_OUTCOMES, NAMED_PLACE_KINDS, AccessOutcome, PlaceKind
from forcepack.errors import AccessError, DataError, ForcepackError, InputError
from forcepack.outputs import FORMULA_PREFIXES, check_out, defuse, defuse_frame, replace_file
from forcepack.warehouse.core import transaction

MARKING = "OFFICIAL-SENSITIVE"
HANDLING = (
    "OFFICIAL-SENSITIVE: personal data (pseudonymous ids). Do not forward outside the policing "
    "purpose it was made for; do not publish; delete when no longer needed."
)
FORCE_WIDE = "force-wide"


@dataclass(frozen=True, slots=True)
class Scope:
    """What a list is restricted to: a named area, district or neighbourhood, or the force."""

    kind: PlaceKind
    code: str
    label: str

    def __str__(self) -> str:
        return f"{self.kind} {self.label}" if self.kind is not PlaceKind.FORCE else FORCE_WIDE


def require_scope(
    *,
    area: str | None = None,
    district: str | None = None,
    neighbourhood: str | None = None,
    force_wide: bool = False,
    list_name: str,
    allowed: tuple[str, ...] = (*NAMED_PLACE_KINDS, FORCE_WIDE),
) -> tuple[PlaceKind, str | None]:
    """Check exactly one scope was named, or force-wide was asked for explicitly.

    ``allowed`` names the scope options the calling command offers, so the message points only
    at options the user can give. Returns ``(kind, value)``; raises :class:`AccessError`.
    """
    asked = (area, district, neighbourhood)
    named = [(k, v) for k, v in zip(NAMED_PLACE_KINDS, asked, strict=True) if v]
    scopes = [s for s in allowed if s != FORCE_WIDE]
    options = ", ".join(f"--{s}" for s in scopes[:-1]) + f" or --{scopes[-1]}"
    if len(scopes) == 1:
        options = f"--{scopes[0]}"
    if force_wide and named:
        raise AccessError(f"{list_name}: give {options}, or --force-wide, not both")
    if force_wide:
        return (PlaceKind.FORCE, None)
    if len(named) != 1:
        wide = " (or --force-wide, which is logged as such)" if FORCE_WIDE in allowed else ""
        raise AccessError(
            f"{list_name} is OFFICIAL-SENSITIVE and is built only for a named "
            + (", ".join(scopes[:-1]) + " or " if len(scopes) > 1 else "")
            + scopes[-1],
            hint=f"give exactly one of {options}{wide}",
        )
    return named[0]


#: File types a list can be written as, by the suffix of ``--out``.
FORMATS = (".csv", ".xlsx")
#: The first column of every OFFICIAL-SENSITIVE CSV.
MARKING_COLUMN = "marking"


def output_format(path: Path | str, allowed: Sequence[str] = FORMATS) -> str:
    """The suffix of ``path`` (``.csv`` or ``.xlsx``); anything else is an input error."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise InputError(
            f'--out "{path}": file type "{suffix or "no extension"}" is not allowed; '
            f"give a {' or '.join(allowed)} path"
        )
    return suffix


def write_sensitive(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame,
    path: Path | str,
    *,
    list_name: str,
    scope: str,
    period: str,
    about: Sequence[str],
    sheet: str,
    findings: Sequence[str] = (),
    extra_sheets: dict[str, pd.DataFrame] | None = None,
    formats: Sequence[str] = FORMATS,
    force: bool = False,
    warehouse: Path | str | None = None,
    user: str | None = None,
) -> Path:
    """Write an OFFICIAL-SENSITIVE list and record it in ``access_log`` (``con`` writable).

    The file is written to a temporary file beside ``path`` first; the ``access_log`` row is
    inserted and committed; only then is the file renamed into place. So no list exists without
    its log row, and a failure (a read-only warehouse, a full disk) leaves neither.
    ``findings`` names empty columns appended for reviewers to fill in (shaded in XLSX).
    ``warehouse`` defaults to the file ``con`` is open on, which is never overwritten.
    """
    path = Path(path)
    fmt = output_format(path, formats)
    path = check_out(path, force=force, warehouse=warehouse or _database_file(con))
    real = path.resolve()
    with replace_file(path, private=True) as tmp:
        if fmt == ".csv":
            _write_csv(frame, tmp, findings)
        else:
            _write_xlsx(frame, tmp, about, sheet, findings, extra_sheets or {})
        with transaction(con):
            record_access(
                con,
                list_name=list_name,
                scope=scope,
                period=period,
                rows=len(frame),
                path=real,
                user=user,
            )
    return path


def _database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the database ``con`` is open on (None in memory)."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else None


def csv_text(frame: pd.DataFrame, findings: Sequence[str] = ()) -> str:
    """A list as OFFICIAL-SENSITIVE CSV text: the ``marking`` column first, every cell and
    header defused, empty ``findings`` columns last. The one CSV form of a list: the files the
    commands write and the dashboard's downloads (:func:`read_list` reads both)."""
    safe = defuse_frame(frame)
    for name in findings:
        safe[defuse(name)] = None
    safe.insert(0, MARKING_COLUMN, MARKING)
    text: str = safe.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S", lineterminator="\n")
    return text


def _write_csv(frame: pd.DataFrame, path: Path, findings: Sequence[str]) -> None:
    path.write_text(csv_text(frame, findings), encoding="utf-8", newline="")


_BOLD_RED = ("C00000", 14)
_FINDINGS_FILL = "FFF2CC"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def sheet_title(name: str) -> str:
    """A sheet name Excel accepts that cannot start like a formula (at most 31 characters)."""
    title = _BAD_SHEET_CHARS.sub("_", name)
    if title.startswith(FORMULA_PREFIXES):
        title = "_" + title
    return title[:31] or "_"


def _write_xlsx(
    frame: pd.DataFrame,
    path: Path,
    about: Sequence[str],
    sheet: str,
    findings: Sequence[str],
    extra_sheets: dict[str, pd.DataFrame],
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet_title(sheet)
    _fill_sheet(ws, frame, about, findings)
    for name, extra in extra_sheets.items():
        _fill_sheet(book.create_sheet(sheet_title(name)), extra, about, ())
    book.save(path)


def _fill_sheet(
    ws: object, frame: pd.DataFrame, about: Sequence[str], findings: Sequence[str]
) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(ws, Worksheet)
    ws.append([MARKING])
    ws["A1"].font = Font(bold=True, color=_BOLD_RED[0], size=_BOLD_RED[1])
    ws.append([HANDLING])
    for line in about:
        ws.append([defuse(line)])
    ws.append([])
    header_row = ws.max_row + 1
    columns = [defuse(str(c)) for c in (*frame.columns, *findings)]
    ws.append(columns)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    blanks = [None] * len(findings)
    for i, record in enumerate(frame.itertuples(index=False), start=1):
        try:
            ws.append([_cell(v) for v in record] + blanks)
        except IllegalCharacterError:
            column, value = next(
                (
                    (name, v)
                    for name, v in zip(frame.columns, record, strict=True)
                    if isinstance(v, str) and ILLEGAL_CHARACTERS_RE.search(v)
                ),
                ("?", "?"),
            )
            raise DataError(
                f"row {i:,} of the list, column {column}: value {value!r} holds a control "
                "character a workbook cannot store; allowed: printable text",
                hint="write the list as .csv, or correct the record and reload it",
            ) from None
    fill = PatternFill("solid", fgColor=_FINDINGS_FILL)
    first_finding = len(frame.columns) + 1
    for col in range(first_finding, first_finding + len(findings)):
        for row in range(header_row, ws.max_row + 1):
            ws.cell(row=row, column=col).fill = fill
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(name) + 2))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for hf in (ws.oddHeader, ws.oddFooter):
        hf.center.text = MARKING


def _cell(value: object) -> object:
    """A value openpyxl can write, defused: missing values (None, NaN, NaT, NA) are empty."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # not a scalar
        return defuse(str(value))
    return defuse(value)


def read_list(path: Path | str) -> pd.DataFrame:
    """Read an OFFICIAL-SENSITIVE list forcepack wrote (CSV or XLSX) back as a table of text.

    Both are read by :mod:`forcepack.tablefiles` (a CSV in UTF-8 or Windows-1252, as Excel on
    Windows saves it; a workbook's values as text). CSV: the ``marking`` column is checked
    (``OFFICIAL-SENSITIVE`` on every row) and dropped. XLSX: the marking rows above the first
    blank row are skipped; the first sheet is read, an empty cell is missing (None). Cells are
    returned as written (a defused cell keeps its leading apostrophe).
    """
    from forcepack.tablefiles import read_rows

    path = Path(path)
    if not path.is_file():
        from forcepack.errors import MissingFileError

        raise MissingFileError(f"list {path} does not exist")
    fmt = output_format(path)
    rows = read_rows(path, "list")
    if fmt == ".csv":
        table = rows.table(empty_ok=True)  # a list may have no rows
        if not table.header or table.header[0] != MARKING_COLUMN:
            first = table.header[0] if table.header else "(none)"
            raise DataError(
                f'list {path} column 1: header "{first}" is not "{MARKING_COLUMN}"; allowed: '
                f"a list forcepack wrote, whose first column is {MARKING_COLUMN}"
            )
        frame = pd.DataFrame(list(table.rows), columns=list(table.header), dtype=str)
        wrong = frame.index[frame[MARKING_COLUMN] != MARKING]
        if len(wrong):
            row = int(wrong[0])
            raise DataError(
                f"list {path} row {row + 1:,}, column {MARKING_COLUMN}: value "
                f'"{frame.at[row, MARKING_COLUMN]}" is not "{MARKING}"'
            )
        return frame.drop(columns=[MARKING_COLUMN])
    cells = rows.cells
    if cells[0][:1] != (MARKING,):
        raise DataError(f'list {path} sheet 1 cell A1: not "{MARKING}"; not a list forcepack wrote')
    blank = next((i for i, r in enumerate(cells) if not r), None)
    if blank is None or not any(cells[blank + 1 :]):
        raise DataError(f"list {path} sheet 1: no header row below the marking rows")
    table = rows.table(blank + 1, empty_ok=True)
    body = [[v if v != "" else None for v in r.values()] for r in table.rows]
    return pd.DataFrame(body, columns=list(table.header), dtype=object)


#: Folder names that a sync client copies off the machine (matched case-insensitively).
SYNCED_FOLDERS = re.compile(
    r"^(onedrive\b.*|dropbox\b.*|google ?drive|my drive|icloud.*|com~apple~clouddocs|box sync)$",
    re.IGNORECASE,
)


def location_warning(path: Path | str) -> str | None:
    """A warning when ``path`` lies inside a git work tree or a synced folder, else None."""
    real = Path(path).resolve()
    for folder in real.parents:
        if (folder / ".git").exists():
            return (
                f"warning: {path} is OFFICIAL-SENSITIVE and was written inside the git work "
                f"tree {folder}; do not commit it (move it out of the repository)"
            )
    for part in real.parts[:-1]:
        if SYNCED_FOLDERS.match(part):
            return (
                f"warning: {path} is OFFICIAL-SENSITIVE and was written inside the synced folder "
                f'"{part}"; the sync client may copy it off this machine'
            )
    return None


def asked_scope(
    *,
    area: str | None = None,
    district: str | None = None,
    neighbourhood: str | None = None,
    force_wide: bool = False,
) -> str:
    """The scope as the user asked for it, for the access log ("area North", "none named")."""
    given = dict(zip(NAMED_PLACE_KINDS, (area, district, neighbourhood), strict=True))
    named = [f"{k} {v}" for k, v in given.items() if v]
    if force_wide:
        named.append(FORCE_WIDE)
    return ", ".join(named) or "none named"


def record_access(
    con: duckdb.DuckDBPyConnection,
    *,
    list_name: str,
    scope: str,
    period: str,
    rows: int,
    path: Path | str | None,
    user: str | None = None,
    at: dt.datetime | None = None,
    outcome: str = AccessOutcome.GRANTED,
    reason: str | None = None,
) -> None:
    """Append one row to ``access_log`` (the connection must be writable).

    ``path`` is recorded as given when refused (None when no file was asked for) and with
    every link resolved when granted.
    """
    if outcome not in ACCESS_OUTCOMES:
        raise ValueError(f"outcome {outcome!r} is not {' or '.join(ACCESS_OUTCOMES)}")
    if path is None:
        shown = None
    elif outcome == AccessOutcome.GRANTED:
        shown = str(Path(path).resolve())
    else:
        shown = str(Path(path).absolute())
    con.execute(
        "INSERT INTO access_log (accessed_at, user_name, list_name, scope, period, rows, path, "
        "outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            at or dt.datetime.now(dt.UTC).replace(tzinfo=None),
            user or _user(),
            list_name,
            scope,
            period,
            rows,
            shown,
            str(outcome),
            reason,
        ],
    )


#: Errors that refuse a request for a list (the rules, the scope, the month, the output path).
REFUSALS: tuple[type[ForcepackError], ...] = (AccessError, InputError, DataError)


def record_refusal(
    db: Path | str,
    *,
    list_name: str,
    scope: str,
    period: str,
    path: Path | str | None,
    reason: str,
    user: str | None = None,
) -> str | None:
    """Log a refused request in the warehouse ``db``; returns None, or why it could not."""
    from forcepack.warehouse import connect

    try:
        con = connect(db, read_only=False)
    except (ForcepackError, duckdb.Error) as err:
        return str(err)
    try:
        record_access(
            con,
            list_name=list_name,
            scope=scope,
            period=period,
            rows=0,
            path=path,
            user=user,
            outcome=AccessOutcome.REFUSED,
            reason=reason,
        )
    except duckdb.Error as err:
        return f"cannot write to warehouse {db}: {err}"
    finally:
        con.close()
    return None


@contextlib.contextmanager
def logged_refusals(
    db: Path | str,
    *,
    list_name: str,
    scope: str,
    period: str,
    path: Path | str | None,
    user: str | None = None,
) -> Iterator[None]:
    """Run a request for a list; if it is refused (:data:`REFUSALS`), log the refusal in
    ``access_log`` and re-raise. The block must close its own connection to ``db`` first.

    When the refusal cannot be logged (the warehouse is missing, locked or read-only), the
    error is raised again with that said in its message; its exit code is unchanged.
    """
    try:
        yield
    except REFUSALS as err:
        why = record_refusal(
            db,
            list_name=list_name,
            scope=scope,
            period=period,
            path=path,
            reason=err.message,
            user=user,
        )
        if why is None:
            raise
        noted = type(err)(
            f"{err.message}; this refusal could not be recorded in the access log: {why}",
            hint=err.hint,
        )
        raise noted from err


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"
