"""Writing OFFICIAL-SENSITIVE tables: CSV or Excel, marked in the file itself.

A CSV starts with ``#`` lines (the marking, the handling note and what the list is; read it back
with ``pandas.read_csv(path, comment="#")``); a workbook's first row is the marking.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from forcepack.errors import InputError
from forcepack.sensitive import HANDLING, MARKING, check_output_path

FORMATS = (".csv", ".xlsx")
_BOLD = Font(bold=True)
_MARK = Font(bold=True, color="C00000", size=14)
_FINDINGS = PatternFill("solid", fgColor="FFF2CC")


def output_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f'output file "{path}" must end in {" or ".join(FORMATS)}; '
            f'received "{suffix or "no extension"}"'
        )
    return suffix


def write_csv(frame: pd.DataFrame, path: Path, about: Sequence[str]) -> Path:
    path = check_output_path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        for line in (MARKING, HANDLING, *about):
            fh.write(f"# {line}\n")
        frame.to_csv(fh, index=False, date_format="%Y-%m-%d %H:%M:%S")
    return path


def write_xlsx(
    frame: pd.DataFrame,
    path: Path,
    about: Sequence[str],
    *,
    sheet: str,
    findings: Sequence[str] = (),
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> Path:
    """A workbook: marking row, handling and ``about`` rows, then the table.

    ``findings`` names empty columns appended for reviewers to fill in (shaded).
    """
    path = check_output_path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    _sheet(ws, frame, about, findings)
    for name, extra in (extra_sheets or {}).items():
        _sheet(wb.create_sheet(name), extra, about, ())
    wb.save(path)
    return path


def _sheet(
    ws: Worksheet, frame: pd.DataFrame, about: Sequence[str], findings: Sequence[str]
) -> None:
    ws.append([MARKING])
    ws["A1"].font = _MARK
    ws.append([HANDLING])
    for line in about:
        ws.append([line])
    ws.append([])
    header_row = ws.max_row + 1
    columns = [*map(str, frame.columns), *findings]
    ws.append(columns)
    for cell in ws[header_row]:
        cell.font = _BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    blanks = [None] * len(findings)
    for record in frame.itertuples(index=False):
        ws.append([_cell(v) for v in record] + blanks)
    first_finding = len(frame.columns) + 1
    for col in range(first_finding, first_finding + len(findings)):
        for row in range(header_row, ws.max_row + 1):
            ws.cell(row=row, column=col).fill = _FINDINGS
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(name) + 2))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)


def _cell(value: object) -> object:
    """A value openpyxl can write: missing values (None, NaN, NaT, NA) become empty cells."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # not a scalar
        return str(value)
    return value
