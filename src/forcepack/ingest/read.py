"""Reading extract files: format and encoding detection, hashing, staging into DuckDB.

A file is read once in Python to hash it (SHA-256, for provenance and idempotency) and to check
its encoding; everything else happens in DuckDB. A staged file is a temporary table whose
columns are all text (``c0``, ``c1``... in header order) plus ``_row``, the row number in the
file (1 = first data row), so that validation can report every problem against the row the
analyst can find in the file.

Encodings: UTF-8 (with or without a byte-order mark) is read directly; a file that is not valid
UTF-8 but is valid Windows-1252 (cp1252, what Excel and many Windows tools export) is transcoded
to a temporary UTF-8 copy first. Anything else is a :class:`DataError` naming the byte offset.

Rows that cannot be parsed as CSV at all (too few or too many fields, an unterminated quote, a
line over the size limit such as a 10 MB field) are kept by DuckDB's reject tables and become
``malformed_row`` quarantine rows; they still count as rows read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from forcepack.errors import DataError, MissingFileError

CHUNK = 1 << 22  # 4 MiB
#: CSV lines longer than this are rejected as malformed (DuckDB's own default is 2 MB).
MAX_LINE_BYTES = 2_000_000
#: Delimiters that, found in a one-column header, mean the file was exported with the wrong one.
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}
UTF8_BOM = codecs.BOM_UTF8


class Format(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    XLSX = "xlsx"


class Encoding(StrEnum):
    UTF8 = "utf-8"
    UTF8_BOM = "utf-8-sig"
    CP1252 = "cp1252"
    BINARY = "binary"  # Parquet and Excel carry their own encoding


_SUFFIXES = {
    ".csv": Format.CSV,
    ".txt": Format.CSV,
    ".parquet": Format.PARQUET,
    ".pq": Format.PARQUET,
    ".xlsx": Format.XLSX,
}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file as found on disk: where it is, what it is, and its fingerprint."""

    path: Path
    name: str
    size: int
    sha256: str
    format: Format
    encoding: Encoding


@dataclass(frozen=True, slots=True)
class Staged:
    """A file staged as a temporary table ``view`` with ``_row`` and ``c0..cN`` text columns."""

    view: str
    header: tuple[str, ...]
    rows_staged: int
    malformed_table: str | None  # rejected lines: row_number, column_name, value, message
    rows_malformed: int

    @property
    def rows_read(self) -> int:
        return self.rows_staged + self.rows_malformed


def detect_format(path: Path) -> Format:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is not None:
        return fmt
    with path.open("rb") as f:
        magic = f.read(4)
    if magic == b"PAR1":
        return Format.PARQUET
    if magic.startswith(b"PK"):
        return Format.XLSX
    return Format.CSV


def inspect_file(path: str | Path) -> SourceFile:
    """Hash the file and work out its format and text encoding, in one pass over its bytes."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(f"extract {path} does not exist", hint="check the path")
    if not path.is_file():
        raise MissingFileError(
            f"extract {path} is not a file",
            hint="name a CSV, Parquet or "
            ".xlsx file (for a folder of data.police.uk files use police-uk)",
        )
    fmt = detect_format(path)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    utf8_ok = fmt is Format.CSV
    first = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if not first:
                first = chunk[:3]
            digest.update(chunk)
            # ASCII (most extracts) is valid UTF-8: only other chunks, or a chunk following a
            # split multi-byte character, go through the (slower) decoder
            if utf8_ok and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
    if utf8_ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if fmt is not Format.CSV:
        encoding = Encoding.BINARY
    elif utf8_ok:
        encoding = Encoding.UTF8_BOM if first == UTF8_BOM else Encoding.UTF8
    else:
        _check_cp1252(path)
        encoding = Encoding.CP1252
    return SourceFile(path, path.name, path.stat().st_size, digest.hexdigest(), fmt, encoding)


def _check_cp1252(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("cp1252")("strict")
    offset = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                raise DataError(
                    f"extract {path.name}: byte {offset + err.start:,} "
                    f"(0x{chunk[err.start]:02x}) is neither UTF-8 nor Windows-1252 text",
                    hint="re-export the file as UTF-8 CSV",
                ) from None
            offset += len(chunk)


def _transcode(source: SourceFile, folder: Path) -> Path:
    """A UTF-8 copy of a cp1252 file, written chunk by chunk (memory stays bounded)."""
    out = folder / (source.path.stem + ".utf8.csv")
    decoder = codecs.getincrementaldecoder("cp1252")("strict")
    with source.path.open("rb") as src, out.open("wb") as dst:
        while chunk := src.read(CHUNK):
            dst.write(decoder.decode(chunk).encode("utf-8"))
    return out


def _csv_header(path: Path, source: SourceFile) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as f:
        first = f.readline(MAX_LINE_BYTES)
    if not first.strip():
        raise DataError(
            f"extract {source.name} is empty: no header row",
            hint="an extract starts with a header line naming its columns; re-export it",
        )
    header = next(csv.reader(io.StringIO(first)))
    if len(header) == 1:
        for delim, word in OTHER_DELIMITERS.items():
            if delim in header[0]:
                raise DataError(
                    f"extract {source.name}: the header has one column "
                    f'"{header[0][:80]}", which looks {word}-separated; forcepack reads '
                    "comma-separated files",
                    hint="re-export the file as CSV with commas between fields",
                )
    return [h.strip() for h in header]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage(
    con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str, workdir: Path | None = None
) -> Staged:
    """Stage ``source`` into temporary objects named ``{prefix}_*`` on ``con``.

    Call it outside any transaction: CSV row numbers come from the staging table's row ids,
    which follow file order (DuckDB preserves insertion order) and start at 0 only outside one.
    """
    if source.format is Format.CSV:
        return _stage_csv(con, source, prefix, workdir)
    if source.format is Format.PARQUET:
        return _stage_parquet(con, source, prefix)
    return _stage_xlsx(con, source, prefix)


def _stage_csv(
    con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str, workdir: Path | None
) -> Staged:
    path = source.path
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if source.encoding is Encoding.CP1252:
        tmp = tempfile.TemporaryDirectory(prefix="forcepack-", dir=workdir)
        path = _transcode(source, Path(tmp.name))
    try:
        header = _csv_header(path, source)
        raw, rej, scan, view = (
            f"{prefix}_raw",
            f"{prefix}_rej",
            f"{prefix}_scan",
            f"{prefix}_stage",
        )
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
        con.execute(
            f"CREATE TEMP TABLE {raw} AS SELECT * "
            f"FROM read_csv({_quote(str(path))}, "
            f"columns={columns}, header=true, auto_detect=false, delim=',', quote='\"', "
            f"escape='\"', ignore_errors=true, store_rejects=true, rejects_table='{rej}', "
            f"rejects_scan='{scan}', max_line_size={MAX_LINE_BYTES})"
        )
    finally:
        if tmp is not None:
            tmp.cleanup()
    (n_raw,) = con.execute(f"SELECT count(*) FROM {raw}").fetchone()  # type: ignore[misc]
    # DuckDB's reject "line" counts records from the header (= 1): data row = line - 1.
    con.execute(
        f"CREATE TEMP TABLE {prefix}_bad_lines AS SELECT line - 1 AS row_number, "
        f"any_value(left(csv_line, 200)) AS value, "
        f"arg_min(error_type || ': ' || error_message, coalesce(column_idx, -1)) AS message "
        f"FROM {rej} GROUP BY line"
    )
    con.execute(f"DROP TABLE IF EXISTS {rej}; DROP TABLE IF EXISTS {scan}")
    (n_bad,) = con.execute(  # type: ignore[misc]
        f"SELECT count(*) FROM {prefix}_bad_lines"
    ).fetchone()
    cols = ", ".join(f"c{i}" for i in range(len(header)))
    if n_bad == 0:
        row_expr = "rowid + 1"
        source_sql = f"FROM {raw}"
    else:
        # Good row k is file row k + (number of rejected rows before it). Rejected row i (in
        # file order, 1-based) has g_i = row_number_i - i good rows before it.
        con.execute(
            f"CREATE TEMP TABLE {prefix}_adj AS SELECT row_number - i AS g, max(i) AS shift "
            f"FROM (SELECT row_number, row_number() OVER (ORDER BY row_number) AS i "
            f"FROM {prefix}_bad_lines) GROUP BY 1"
        )
        row_expr = "r.k + coalesce(a.shift, 0)"
        source_sql = (
            f"FROM (SELECT rowid + 1 AS k, * FROM {raw}) r "
            f"ASOF LEFT JOIN {prefix}_adj a ON r.k > a.g"
        )
    con.execute(f"CREATE TEMP VIEW {view} AS SELECT {row_expr} AS _row, {cols} {source_sql}")
    return Staged(view, tuple(header), int(n_raw), f"{prefix}_bad_lines", int(n_bad))


def _stage_parquet(con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str) -> Staged:
    try:
        schema = con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({_quote(str(source.path))})"
        ).fetchall()
    except duckdb.Error as err:
        raise DataError(f"extract {source.name} is not a readable Parquet file: {err}") from None
    header = [r[0] for r in schema]
    cols = ", ".join(f'CAST("{h}" AS VARCHAR) AS c{i}' for i, h in enumerate(header))
    view = f"{prefix}_stage"
    con.execute(
        f"CREATE TEMP TABLE {view} AS SELECT file_row_number + 1 AS _row, {cols} "
        f"FROM read_parquet({_quote(str(source.path))}, file_row_number=true)"
    )
    (n,) = con.execute(f"SELECT count(*) FROM {view}").fetchone()  # type: ignore[misc]
    return Staged(view, tuple(header), int(n), None, 0)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _stage_xlsx(con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str) -> Staged:
    """Excel is read with openpyxl (row by row: the format gives no other way) into Arrow."""
    import openpyxl
    import pyarrow as pa

    try:
        book = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises several unrelated types for a bad file
        raise DataError(f"extract {source.name} is not a readable .xlsx workbook: {err}") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or all(v is None for v in first):
            raise DataError(f"extract {source.name} is empty: the first sheet has no header row")
        header = [str(v).strip() if v is not None else "" for v in first]
        data: list[list[str | None]] = [[] for _ in header]
        numbers: list[int] = []
        for n, row in enumerate(rows, start=1):
            if all(v is None for v in row):
                continue  # Excel's trailing blank rows are not data
            numbers.append(n)
            for i in range(len(header)):
                data[i].append(_cell_text(row[i]) if i < len(row) else None)
    finally:
        book.close()
    arrays = {"_row": pa.array(numbers, type=pa.int64())}
    arrays.update({f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(data)})
    arrow = pa.table(arrays)
    view = f"{prefix}_stage"
    con.register(f"{prefix}_arrow", arrow)
    con.execute(f"CREATE TEMP TABLE {view} AS SELECT * FROM {prefix}_arrow")
    con.unregister(f"{prefix}_arrow")
    return Staged(view, tuple(header), len(numbers), None, 0)
