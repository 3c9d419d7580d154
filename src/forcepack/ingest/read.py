"""Reading extract files: format and encoding detection, hashing, staging into DuckDB.

A file is read once in Python to hash it (SHA-256, for provenance and idempotency), to check
its encoding and to count its lines; everything else happens in DuckDB. A staged file is a
temporary table whose columns are all text (``c0``, ``c1``... in header order) plus ``_row``,
the row number in the file (1 = first data row, the file's second line), so that validation can
report every problem against the row the analyst can find in the file.

File-level rules (each documented in docs/ingest.md):

- **Encoding.** A file that is wholly valid UTF-8 (with or without a byte-order mark) is UTF-8.
  A file with no valid multi-byte UTF-8 character that is valid Windows-1252 (cp1252, what Excel
  and many Windows tools export) is cp1252, transcoded to a temporary UTF-8 copy first. A file
  holding both UTF-8 characters and bytes that are not UTF-8 is refused, naming the first bad
  byte's offset and line: decoding it either way would alter some of its text.
- **Line endings.** LF, CRLF, or a mixture of the two (normalised to LF in a temporary copy).
- **One record per line.** A quoted field may not hold a line break (no contract column holds
  free text). A quote that opens and is not closed on its line would make DuckDB read every line
  up to the next quote as one field, so such a file is refused, naming the line where the quote
  opens. Lines that are not a CSV row of the header's width (too few or too many fields, a line
  over the size limit such as a 10 MB field, a stray quote that closes nothing) are kept by
  DuckDB's reject tables and become ``malformed_row`` quarantine rows. Blank lines hold no
  record: they are not rows, and the rows after them keep their line's number.
- **Header names** may not hold control characters or ``;`` (they end SQL statements; a real
  export has neither in a column name), checked for CSV, Parquet and Excel alike.
- **Excel** workbooks are read by ``excel.py`` (formula cells and their cached values).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import tempfile
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from forcepack.errors import DataError, MissingFileError
from forcepack.ingest.validate import Rule
from forcepack.textfiles import CHUNK, encoding_of, scan_file
from forcepack.warehouse.sql import ident, ident_list, insert_rows, lit

#: CSV lines longer than this are rejected as malformed (DuckDB's own default is 2 MB).
MAX_LINE_BYTES = 2_000_000
#: Delimiters that, found in a one-column header, mean the file was exported with the wrong one.
OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}
#: Characters a header name may not hold besides control characters.
HEADER_FORBIDDEN = ";"


class Format(StrEnum):
    """The formats an extract may come in, known from the file's suffix."""

    CSV = "csv"
    PARQUET = "parquet"
    XLSX = "xlsx"


class Encoding(StrEnum):
    """How an extract's text is encoded, as found in its bytes (never guessed)."""

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
    lines: int = 0  # physical lines of a text file, the header's included
    mixed_line_endings: bool = False  # both CRLF and LF line ends


@dataclass(frozen=True, slots=True)
class Staged:
    """A file staged as a temporary table ``view`` with ``_row`` and ``c0..cN`` text columns."""

    view: str
    header: tuple[str, ...]
    rows_staged: int
    #: rows kept out of the view: row_number, column_name, value, rule, message
    malformed_table: str | None
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
    """Hash the file and work out its format, text encoding and line endings, in one pass."""
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
    text = fmt is Format.CSV
    scan, first = scan_file(path, text=text, each=digest.update)  # hashed and scanned in one pass
    size = path.stat().st_size
    lines = scan.lines or scan.cr  # a file with no line feed may end its lines with CR alone
    ends = b"\n" if scan.lines else b"\r"
    encoding = Encoding(encoding_of(path, "extract", scan, first)) if text else Encoding.BINARY
    return SourceFile(
        path,
        path.name,
        size,
        digest.hexdigest(),
        fmt,
        encoding,
        lines=lines + (1 if scan.last not in (b"", ends) else 0),
        mixed_line_endings=scan.crlf > 0 and scan.lf > 0,
    )


def _normalised_copy(source: SourceFile, folder: Path) -> Path:
    """A UTF-8, LF-only copy of a cp1252 file or a file mixing CRLF and LF line endings,
    written chunk by chunk (memory stays bounded)."""
    out = folder / (source.path.stem + ".utf8.csv")
    codec = "cp1252" if source.encoding is Encoding.CP1252 else "utf-8"
    decoder = codecs.getincrementaldecoder(codec)("strict")
    held = ""  # a carriage return at the end of a chunk, until the next chunk shows what follows
    with source.path.open("rb") as src, out.open("wb") as dst:
        while chunk := src.read(CHUNK):
            text = held + decoder.decode(chunk)
            held = ""
            if source.mixed_line_endings:
                if text.endswith("\r"):
                    text, held = text[:-1], "\r"
                text = text.replace("\r\n", "\n")
            dst.write(text.encode("utf-8"))
        dst.write((held + decoder.decode(b"", final=True)).encode("utf-8"))
    return out


def check_header(header: list[str], source_name: str) -> None:
    """Refuse a header name holding a control character or ``;`` (see the module docstring)."""
    for i, name in enumerate(header, start=1):
        bad = next(
            (ch for ch in name if ch in HEADER_FORBIDDEN or unicodedata.category(ch) == "Cc"),
            None,
        )
        if bad is not None:
            raise DataError(
                f"extract {source_name}: column {i} is named {name[:120]!r}, which holds "
                f"{bad!r}; a column name may not hold control characters or "
                f"{', '.join(HEADER_FORBIDDEN)}",
                hint="rename the column in the export",
            )


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
    header = [h.rstrip("\r\n").strip() for h in header]
    check_header(header, source.name)
    return header


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
    from forcepack.ingest.excel import stage_xlsx  # it imports this module

    return stage_xlsx(con, source, prefix)


@dataclass(frozen=True, slots=True)
class _Lines:
    """What a line-by-line look at a file found: blank data rows, and the first quoted field
    running over a line break (the line its quote opens on, and closes on or None)."""

    blank_rows: tuple[int, ...]
    quote_opens: int | None
    quote_closes: int | None


def _look_at_lines(path: Path) -> _Lines:
    """Walk the lines of a (UTF-8) file: run only when DuckDB's record count and the file's
    line count disagree, to say why (the common case never loops over lines)."""
    with path.open("rb") as f:
        sample = f.read(CHUNK)
    sep = b"\n" if b"\n" in sample or b"\r" not in sample else b"\r"
    blank: list[int] = []
    opens: int | None = None
    closes: int | None = None
    inside = False
    with path.open("rb") as f:
        lines = f if sep == b"\n" else iter(f.read().split(b"\r"))
        for number, line in enumerate(lines, start=1):
            if line.count(b'"') % 2:
                inside = not inside
                if opens is None:
                    opens = number
                elif closes is None and not inside:
                    closes = number
            elif not inside and number > 1 and not line.strip(b"\r\n"):
                blank.append(number - 1)
    return _Lines(tuple(blank), opens, closes)


def _stage_csv(
    con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str, workdir: Path | None
) -> Staged:
    path = source.path
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if source.encoding is Encoding.CP1252 or source.mixed_line_endings:
        tmp = tempfile.TemporaryDirectory(prefix="forcepack-", dir=workdir)
        path = _normalised_copy(source, Path(tmp.name))
    raw, rej, scan, view = (
        f"{prefix}_raw",
        f"{prefix}_rej",
        f"{prefix}_scan",
        f"{prefix}_stage",
    )
    bad_lines, adj = f"{prefix}_bad_lines", f"{prefix}_adj"
    try:
        header = _csv_header(path, source)
        columns = "{" + ", ".join(f"{lit(f'c{i}')}: 'VARCHAR'" for i in range(len(header))) + "}"
        con.execute(
            f"CREATE TEMP TABLE {ident(raw)} AS SELECT * "
            f"FROM read_csv({lit(path)}, "
            f"columns={columns}, header=true, auto_detect=false, delim=',', quote='\"', "
            f"escape='\"', ignore_errors=true, store_rejects=true, rejects_table={lit(rej)}, "
            f"rejects_scan={lit(scan)}, max_line_size={MAX_LINE_BYTES})"
        )
        (n_raw,) = con.execute(  # type: ignore[misc]
            f"SELECT count(*) FROM {ident(raw)}"
        ).fetchone()
        # DuckDB's reject "line" is the physical line (the header is line 1): row = line - 1.
        con.execute(
            f"CREATE TEMP TABLE {ident(bad_lines)} AS SELECT line - 1 AS row_number, "
            f"CAST(NULL AS VARCHAR) AS column_name, any_value(left(csv_line, 200)) AS value, "
            f"{lit(Rule.MALFORMED)} AS rule, "
            f"arg_min(error_type || ': ' || error_message, coalesce(column_idx, -1)) AS message "
            f"FROM {ident(rej)} GROUP BY line"
        )
        con.execute(f"DROP TABLE IF EXISTS {ident(rej)}; DROP TABLE IF EXISTS {ident(scan)}")
        (n_bad,) = con.execute(  # type: ignore[misc]
            f"SELECT count(*) FROM {ident(bad_lines)}"
        ).fetchone()
        blank: tuple[int, ...] = ()
        if int(n_raw) + int(n_bad) != max(source.lines - 1, 0):
            blank = _explain_line_count(path, source, int(n_raw) + int(n_bad))
    finally:
        if tmp is not None:
            tmp.cleanup()
    cols = ident_list(f"c{i}" for i in range(len(header)))
    if n_bad == 0 and not blank:
        row_expr = "rowid + 1"
        source_sql = f"FROM {ident(raw)}"
    else:
        # Good row k is file row k + (number of rejected or blank rows before it). Skipped row
        # i (in file order, 1-based) has g_i = row_number_i - i good rows before it.
        con.execute(f"CREATE TEMP TABLE {ident(adj + '_rows')} (row_number BIGINT)")
        con.execute(f"INSERT INTO {ident(adj + '_rows')} SELECT row_number FROM {ident(bad_lines)}")
        if blank:
            insert_rows(con, adj + "_rows", ("row_number",), ([r] for r in blank))
        con.execute(
            f"CREATE TEMP TABLE {ident(adj)} AS SELECT row_number - i AS g, max(i) AS shift "
            f"FROM (SELECT row_number, row_number() OVER (ORDER BY row_number) AS i "
            f"FROM {ident(adj + '_rows')}) GROUP BY 1"
        )
        row_expr = "r.k + coalesce(a.shift, 0)"
        source_sql = (
            f"FROM (SELECT rowid + 1 AS k, * FROM {ident(raw)}) r "
            f"ASOF LEFT JOIN {ident(adj)} a ON r.k > a.g"
        )
    con.execute(f"CREATE TEMP VIEW {ident(view)} AS SELECT {row_expr} AS _row, {cols} {source_sql}")
    return Staged(view, tuple(header), int(n_raw), bad_lines, int(n_bad))


def _explain_line_count(path: Path, source: SourceFile, records: int) -> tuple[int, ...]:
    """The blank rows that explain why DuckDB read fewer records than the file has data lines,
    or a DataError naming the line where a quoted field runs over a line break."""
    found = _look_at_lines(path)
    if records + len(found.blank_rows) == source.lines - 1:
        return found.blank_rows
    if found.quote_opens is not None:
        where = (
            f"closes only on line {found.quote_closes:,}"
            if found.quote_closes is not None
            else "never closes"
        )
        raise DataError(
            f"extract {source.name} line {found.quote_opens:,}: a quote opens in this line and "
            f"{where}, so the lines between would be read as one field; forcepack reads one "
            "record per line and a field may not hold a line break",
            hint="close the quote (a quote inside a quoted field is written twice) or remove "
            "the line break from the field, and export again",
        )
    raise DataError(
        f"extract {source.name}: {source.lines - 1:,} data lines but {records:,} CSV "
        f"records and {len(found.blank_rows):,} blank lines; the line structure of the "
        "file could not be read",
        hint="re-export the file as CSV with one record per line",
    )


def _stage_parquet(con: duckdb.DuckDBPyConnection, source: SourceFile, prefix: str) -> Staged:
    try:
        schema = con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit(source.path)})").fetchall()
    except duckdb.Error as err:
        raise DataError(f"extract {source.name} is not a readable Parquet file: {err}") from None
    header = [str(r[0]) for r in schema]
    check_header(header, source.name)
    cols = ", ".join(
        f"CAST({ident(h)} AS VARCHAR) AS {ident(f'c{i}')}" for i, h in enumerate(header)
    )
    view = f"{prefix}_stage"
    con.execute(
        f"CREATE TEMP TABLE {ident(view)} AS SELECT file_row_number + 1 AS _row, {cols} "
        f"FROM read_parquet({lit(source.path)}, file_row_number=true)"
    )
    (n,) = con.execute(f"SELECT count(*) FROM {ident(view)}").fetchone()  # type: ignore[misc]
    return Staged(view, tuple(header), int(n), None, 0)
