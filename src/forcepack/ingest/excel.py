"""Reading Excel workbooks (the first sheet) into a staged table, as ``read.py`` does for CSV.

openpyxl reads the sheet row by row (the format gives no other way) into Arrow, then DuckDB.

**Formulas.** A formula cell loads its cached value: the value Excel stored when it last
calculated the workbook. A formula with no cached value (a workbook written by a program that
does not calculate) puts its row in the quarantine under the rule ``formula``, naming the cell.
The sheet is read once as written (formulas as their text); only a sheet holding formulas is
read a second time, for the cached values. A text cell that merely starts with ``=`` is text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from forcepack.errors import DataError
from forcepack.ingest.read import SourceFile, Staged, check_header
from forcepack.tablefiles import cell_text
from forcepack.warehouse.sql import ident, insert_rows

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

#: The quarantine rule of an Excel formula cell with no cached value.
FORMULA_RULE = "formula"


def _cell_text(value: object) -> str | None:
    """A cell's value as text, by the rule every workbook forcepack reads follows
    (:func:`forcepack.tablefiles.cell_text`); an empty cell is null, not ``""``."""
    return None if value is None else cell_text(value)


def _is_formula(value: object) -> bool:
    """A cell value read without cached values is a formula (``=...``, or an array formula)."""
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def _cell_name(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row}"


def stage_xlsx(con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str) -> Staged:
    """Excel is read with openpyxl (row by row: the format gives no other way) into Arrow.

    The sheet is read once as written (formulas as their text); only a sheet holding formulas
    is read a second time, for the values Excel cached when it last calculated them.
    """
    import pyarrow as pa

    formulas: dict[tuple[int, int], str] = {}  # (data row, column index) -> formula text
    header, data, numbers = _read_sheet(source, data_only=False, formulas=formulas)
    rejected: list[tuple[int, str, str, str]] = []  # row, column name, value, message
    if formulas:
        cached = _cached_values(source, formulas)
        for (n, i), text in sorted(formulas.items()):
            value = cached.get((n, i))
            if value is None:
                column = header[i] or f"column {i + 1}"
                rejected.append(
                    (
                        n,
                        column,
                        text[:200],
                        f"{source.name} row {n:,}: cell {_cell_name(n + 1, i)} ({column}) "
                        f"holds the formula {text[:60]} with no cached value; open and save "
                        "the workbook in Excel, or paste the values, and load it again",
                    )
                )
        position = {n: k for k, n in enumerate(numbers)}
        for (n, i), value in cached.items():
            data[i][position[n]] = _cell_text(value)
    bad_rows = {r[0] for r in rejected}
    keep = [k for k, n in enumerate(numbers) if n not in bad_rows]
    arrays = {"_row": pa.array([numbers[k] for k in keep], type=pa.int64())}
    arrays.update(
        {f"c{i}": pa.array([col[k] for k in keep], type=pa.string()) for i, col in enumerate(data)}
    )
    view = f"{prefix}_stage"
    con.register(f"{prefix}_arrow", pa.table(arrays))
    con.execute(f"CREATE TEMP TABLE {ident(view)} AS SELECT * FROM {ident(prefix + '_arrow')}")
    con.unregister(f"{prefix}_arrow")
    bad = f"{prefix}_bad_lines"
    con.execute(
        f"CREATE TEMP TABLE {ident(bad)} (row_number BIGINT, column_name VARCHAR, "
        "value VARCHAR, rule VARCHAR, message VARCHAR)"
    )
    if rejected:
        insert_rows(
            con,
            bad,
            ("row_number", "column_name", "value", "rule", "message"),
            ([n, c, v, FORMULA_RULE, m] for n, c, v, m in rejected),
        )
    return Staged(view, tuple(header), len(keep), bad, len(bad_rows))


def _open_book(source: SourceFile, *, data_only: bool) -> Workbook:
    import openpyxl

    try:
        return openpyxl.load_workbook(source.path, read_only=True, data_only=data_only)
    except Exception as err:  # openpyxl raises several unrelated types for a bad file
        raise DataError(f"extract {source.name} is not a readable .xlsx workbook: {err}") from None


def _read_sheet(
    source: SourceFile, *, data_only: bool, formulas: dict[tuple[int, int], str]
) -> tuple[list[str], list[list[str | None]], list[int]]:
    """The first sheet's header, its columns of text, and the data row numbers kept; formula
    cells are recorded in ``formulas`` (their text stays in the columns until replaced)."""
    book = _open_book(source, data_only=data_only)
    rows = book.worksheets[0].iter_rows(values_only=True)
    try:
        first = next(rows, None)
        if first is None or all(v is None for v in first):
            raise DataError(f"extract {source.name} is empty: the first sheet has no header row")
        header = [str(v).strip() if v is not None else "" for v in first]
        check_header(header, source.name)
        data: list[list[str | None]] = [[] for _ in header]
        numbers: list[int] = []
        for n, row in enumerate(rows, start=1):
            if all(v is None for v in row):
                continue  # Excel's trailing blank rows are not data
            numbers.append(n)
            for i in range(len(header)):
                value = row[i] if i < len(row) else None
                if _is_formula(value):
                    text = value if isinstance(value, str) else str(getattr(value, "text", ""))
                    formulas[(n, i)] = text
                data[i].append(_cell_text(value))
    finally:
        rows.close()  # the sheet's XML stream, which keeps the file open after book.close()
        book.close()
    return header, data, numbers


def _cached_values(
    source: SourceFile, formulas: dict[tuple[int, int], str]
) -> dict[tuple[int, int], object]:
    """The cached value of each formula cell (absent when the workbook holds none)."""
    book = _open_book(source, data_only=True)
    out: dict[tuple[int, int], object] = {}
    wanted: dict[int, list[int]] = {}
    for n, i in formulas:
        wanted.setdefault(n, []).append(i)
    rows = book.worksheets[0].iter_rows(values_only=True)
    try:
        next(rows, None)
        for n, row in enumerate(rows, start=1):
            for i in wanted.get(n, ()):
                value = row[i] if i < len(row) else None
                if value is not None:
                    out[(n, i)] = value
    finally:
        rows.close()
        book.close()
    return out
