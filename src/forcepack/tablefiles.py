"""Small tables a user gives forcepack (CSV or XLSX), read by one rule: every value as text.

The harm weights table, a returned list or audit workbook and ``national.csv`` are read here;
extracts, which may be large, are read into DuckDB by :mod:`forcepack.ingest.read` instead.

- **CSV** (``.csv``): the encoding by the rule of :mod:`forcepack.textfiles` (UTF-8 with or
  without a byte-order mark, or Windows-1252, never a guess; a file mixing them is refused
  naming the byte and line), parsed by Python's ``csv`` module in its default (Excel) dialect:
  comma-separated, fields quoted with ``"`` (a quoted field may hold commas and line breaks).
- **XLSX** (``.xlsx``, ``.xlsm``): the first sheet, or the one named, read with openpyxl. A
  formula cell gives the value Excel cached when it last calculated the workbook (empty when it
  was never calculated). Values become text as for an Excel extract: an integer ``46`` (or
  ``46.0``) is ``46``, ``57.4`` is ``57.4``, a date is ``2019-12-03 10:00:00`` (a date typed
  without a time ``2019-12-03 00:00:00``: Excel stores both alike), a time ``09:30:00``, a
  boolean ``true`` or ``false``, an empty cell ``""``.

:func:`read_rows` gives every row as it stands (title rows, blank rows, rows of any width), for
a table whose header is not on the first line. :func:`read_table` (or :meth:`Rows.table`)
takes a header row and gives one dict per row, refusing what would make a value land in the
wrong column, or in none: an empty file, a header row naming a column twice or leaving one in
the middle unnamed, a CSV row with more or fewer values than the header, a value to the right
of the last named column, and (unless the caller allows it) a header with no row below it.
Blank rows (every value empty, as Excel leaves below a table) are skipped. Every refusal is a
:class:`~forcepack.errors.DataError` naming the file, the line (CSV) or row (XLSX) and what
was allowed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from forcepack.errors import ConfigError, DataError
from forcepack.textfiles import read_text

#: The file types a small table may have.
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


def cell_text(value: object) -> str:
    """A workbook cell's value as text (see the module docstring); an empty cell is ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True, slots=True)
class Table:
    """A table read under its header row: the column names and one dict per row (every value
    text), with the line (CSV) or sheet row (XLSX) each row is on."""

    header: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Rows:
    """Every row of a CSV file or of one sheet of a workbook, as text. A blank row (every
    value empty) is ``()``; ``numbers`` holds each row's line (CSV, where the row starts) or
    sheet row (XLSX), counted from 1. ``encoding`` is the CSV's, None for a workbook."""

    path: Path
    what: str
    cells: tuple[tuple[str, ...], ...]
    numbers: tuple[int, ...]
    encoding: str | None
    sheet: str | None = None

    def where(self, number: int) -> str:
        """``harm table t.csv line 4`` / ``harm table t.xlsx sheet weights row 4``."""
        if self.sheet is None:
            return f"{self.what} {self.path.name} line {number:,}"
        return f"{self.what} {self.path.name} sheet {self.sheet} row {number:,}"

    def table(self, start: int = 0, *, empty_ok: bool = False) -> Table:
        """The table whose header is the first non-blank row at or after index ``start``
        (see the module docstring for what is refused); ``empty_ok`` allows a header alone."""
        at = next((i for i in range(start, len(self.cells)) if self.cells[i]), None)
        if at is None:
            raise DataError(
                f"{self.what} {self.path.name} is empty: no header row; allowed: a header "
                "row naming the columns, then one row per record",
                hint="save the table with its header row",
            )
        raw = self.cells[at]
        width = len(raw)
        named = width
        while named and not raw[named - 1].strip():
            named -= 1
        header = raw[:named]
        seen: set[str] = set()
        for i, name in enumerate(header, start=1):
            if not name.strip():
                raise DataError(
                    f"{self.where(self.numbers[at])}: column {i} of the header has no name; "
                    "allowed: a header row naming every column",
                    hint="name the column, or delete it",
                )
            if name in seen:
                raise DataError(
                    f'{self.where(self.numbers[at])}: the header names column "{name}" '
                    "twice; allowed: each column named once",
                    hint="rename or delete one of them",
                )
            seen.add(name)
        rows: list[dict[str, str]] = []
        numbers: list[int] = []
        for cells, n in zip(self.cells[at + 1 :], self.numbers[at + 1 :], strict=True):
            if not cells:
                continue
            if self.sheet is None and len(cells) != width:
                raise DataError(
                    f"{self.where(n)}: {len(cells)} values, but the header (line "
                    f"{self.numbers[at]:,}) has {width} columns; allowed: one value per "
                    "column (a value holding a comma is quoted)",
                    hint="re-export the file from the spreadsheet, or correct that line",
                )
            extra = next((i for i in range(named, len(cells)) if cells[i] != ""), None)
            if extra is not None:
                raise DataError(
                    f"{self.where(n)}: value {cells[extra][:60]!r} in column {extra + 1} lies "
                    f"to the right of the last named column ({header[-1]}, column {named}); "
                    "allowed: values under a named column",
                    hint="name that column in the header row, or delete the value",
                )
            padded = (*cells[:named], *([""] * (named - len(cells))))
            rows.append(dict(zip(header, padded, strict=True)))
            numbers.append(n)
        if not rows and not empty_ok:
            raise DataError(
                f"{self.what} {self.path.name}: a header row (line {self.numbers[at]:,}) and "
                "no rows below it; allowed: at least one row",
                hint="check that the file is the one you meant",
            )
        return Table(tuple(header), tuple(rows), tuple(numbers))


def read_rows(path: Path, what: str, *, sheet: str | None = None) -> Rows:
    """Every row of the CSV or XLSX file ``path`` (``what`` names its role in messages);
    ``sheet`` picks a workbook's sheet (default the first). An empty file is refused."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out = _csv_rows(path, what)
    elif suffix in (".xlsx", ".xlsm"):
        out = _xlsx_rows(path, what, sheet)
    else:
        raise ConfigError(
            f"{what} {path.name}: file type {suffix or '(none)'} is not supported; "
            "allowed: .csv, .xlsx",
            hint="save the table as CSV or XLSX",
        )
    if not any(out.cells):
        place = "file" if out.sheet is None else f"sheet {out.sheet}"
        raise DataError(
            f"{what} {path.name} is empty: the {place} has no rows; allowed: a header row "
            "naming the columns, then one row per record",
            hint="check that the file is the one you meant",
        )
    return out


def read_table(path: Path, what: str, *, sheet: str | None = None, empty_ok: bool = False) -> Table:
    """The table in the CSV or XLSX file ``path`` under its first row (see :meth:`Rows.table`)."""
    return read_rows(path, what, sheet=sheet).table(empty_ok=empty_ok)


def _csv_rows(path: Path, what: str) -> Rows:
    text, encoding = read_text(path, what)
    reader = csv.reader(io.StringIO(text, newline=""))
    cells: list[tuple[str, ...]] = []
    numbers: list[int] = []
    end = 0
    try:
        for row in reader:
            numbers.append(end + 1)
            end = reader.line_num
            cells.append(tuple(row) if any(v != "" for v in row) else ())
    except csv.Error as err:
        raise DataError(
            f"{what} {path.name} line {end + 1:,}: not readable as CSV ({err}); allowed: "
            'comma-separated values, quoted with " where a value holds a comma or quote',
            hint="re-export the file from the spreadsheet as CSV",
        ) from None
    return Rows(path, what, tuple(cells), tuple(numbers), encoding)


def _xlsx_rows(path: Path, what: str, sheet: str | None) -> Rows:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several unrelated types for a bad file
        raise DataError(
            f"{what} {path.name} is not a readable .xlsx workbook: {err}",
            hint="open it in Excel and save it again as .xlsx",
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ConfigError(
                f'{what} {path.name}: no sheet "{sheet}"; sheets are {", ".join(book.sheetnames)}'
            )
        title = sheet if sheet is not None else book.sheetnames[0]
        rows = book[title].iter_rows(values_only=True)
        cells: list[tuple[str, ...]] = []
        try:
            for values in rows:
                row = [cell_text(v) for v in values]
                while row and row[-1] == "":
                    row.pop()
                cells.append(tuple(row))
        finally:
            rows.close()  # the sheet's XML stream, which keeps the file open after book.close()
    finally:
        book.close()
    return Rows(path, what, tuple(cells), tuple(range(1, len(cells) + 1)), None, title)
