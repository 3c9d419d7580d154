"""Hostile files, one test per kind of bad file: injection through a header, mixed encodings,
Excel formulas, an unterminated quote, mixed line endings, blank lines, and a harm table in the
wrong encoding. Each asserts the outcome (loaded, quarantined with its rule, or refused with its
message), that rows read = loaded + quarantined, and that a refused file leaves the warehouse
exactly as it was (same tables, same row counts, same data hash)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import duckdb
import pytest

from forcepack.errors import DataError
from forcepack.ingest import LoadStatus, load_extract
from forcepack.warehouse import data_hash, table_counts
from ingest_helpers import INCIDENT_HEADER, assert_accounts, fetch, incident, write_csv

NOW = dt.datetime(2020, 1, 15, 12, 0)
ATTACK = "x\" AS c0 FROM read_parquet('f'); CREATE TABLE pwned AS SELECT 1; --"
DOWNTIME = ["system", "start_at", "end_at", "planned"]


def _downtime(system: str, hour: int = 1) -> list[str]:
    return [system, f"2019-12-01 {hour:02d}:00:00", f"2019-12-01 {hour + 1:02d}:00:00", "true"]


def snapshot(db: Path) -> tuple[set[str], dict[str, int], str, int, int]:
    """Every table in the file, the contract tables' row counts, the data hash, and the rows of
    the load log and quarantine."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        (logged,) = con.execute("SELECT count(*) FROM load_log").fetchone()  # type: ignore[misc]
        (held,) = con.execute("SELECT count(*) FROM quarantine").fetchone()  # type: ignore[misc]
        return tables, table_counts(con), data_hash(con), int(logged), int(held)
    finally:
        con.close()


@pytest.fixture
def loaded(empty_warehouse: Path, tmp_path: Path) -> Path:
    """A warehouse already holding a month of incidents, so a failed load has something to
    damage."""
    f = write_csv(tmp_path / "first.csv", INCIDENT_HEADER, [incident(i) for i in range(30)])
    assert load_extract(empty_warehouse, "incidents", f, now=NOW).rows_loaded == 30
    return empty_warehouse


def _refused(db: Path, table: str, path: Path, pattern: str) -> DataError:
    before = snapshot(db)
    with pytest.raises(DataError, match=pattern) as err:
        load_extract(db, table, path, now=NOW)
    assert snapshot(db) == before
    return err.value


# -- SQL injection through a header ---------------------------------------------------------


#: A column name that, pasted unquoted into the staging cast, ends the first statement after a
#: valid SELECT and creates a table: the staging cast before it was quoted did create ``pwned``.
WORKING_ATTACK = (
    'x" AS VARCHAR) AS c0 FROM (SELECT 1 AS x, 0 AS file_row_number); '
    'CREATE TABLE pwned AS SELECT 1; SELECT 0 AS file_row_number, CAST("x'
)


@pytest.mark.parametrize("attack", [ATTACK, WORKING_ATTACK])
def test_parquet_header_that_tries_to_create_a_table_is_refused(
    loaded: Path, tmp_path: Path, attack: str
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [incident(100 + i) for i in range(5)]
    cols = {attack: ["1"] * 5}  # first, so that the cast it would break comes first
    cols.update({h: [r[k] for r in rows] for k, h in enumerate(INCIDENT_HEADER)})
    f = tmp_path / "attack.parquet"
    pq.write_table(pa.table(cols), f)
    err = _refused(loaded, "incidents", f, "column 1 is named")
    assert "CREATE TABLE pwned" in str(err) and "attack.parquet" in str(err)
    assert "pwned" not in snapshot(loaded)[0]


def test_csv_header_that_tries_to_create_a_table_is_refused(loaded: Path, tmp_path: Path):
    f = write_csv(tmp_path / "attack.csv", [*INCIDENT_HEADER, ATTACK], [[*incident(200), "1"]])
    err = _refused(loaded, "incidents", f, "column 11 is named")
    assert "may not hold control characters or ;" in str(err)
    assert "pwned" not in snapshot(loaded)[0]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_header_with_quotes_that_is_not_an_attack_is_reported(
    loaded: Path, tmp_path: Path, fmt: str
) -> None:
    odd = 'officer\'s "note"'
    rows = [[*incident(300 + i), "x"] for i in range(4)]
    header = [*INCIDENT_HEADER, odd]
    if fmt == "csv":
        f = write_csv(tmp_path / "quotes.csv", header, rows)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        f = tmp_path / "quotes.parquet"
        pq.write_table(pa.table({h: [r[k] for r in rows] for k, h in enumerate(header)}), f)
    r = load_extract(loaded, "incidents", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.extra_columns) == (4, 4, (odd,))
    assert_accounts(loaded, r)


def test_xlsx_header_that_tries_to_create_a_table_is_refused(loaded: Path, tmp_path: Path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*INCIDENT_HEADER, ATTACK])
    sheet.append([*incident(400), "1"])
    f = tmp_path / "attack.xlsx"
    book.save(f)
    _refused(loaded, "incidents", f, "column 11 is named")


def test_a_path_with_quotes_loads(empty_warehouse: Path, tmp_path: Path) -> None:
    folder = tmp_path / 'it\'s "odd"; DROP TABLE incidents; --'
    folder.mkdir()
    f = write_csv(folder / "o'brien.csv", INCIDENT_HEADER, [incident(i) for i in range(3)])
    r = load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert (r.rows_read, r.rows_loaded) == (3, 3)
    assert_accounts(empty_warehouse, r)


def test_header_with_a_control_character_is_refused(loaded: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "ctl.csv", [*INCIDENT_HEADER, "bell\x07"], [[*incident(1), "x"]])
    _refused(loaded, "incidents", f, r"column 11 is named 'bell\\x07'")


# -- encodings ----------------------------------------------------------------------------


def _bytes_of(rows: list[list[str]], encoding: str) -> bytes:
    text = "\n".join(",".join(r) for r in [DOWNTIME, *rows]) + "\n"
    return text.encode(encoding)


def test_utf8_file_with_a_stray_cp1252_byte_is_refused_naming_offset_and_line(
    loaded: Path, tmp_path: Path
) -> None:
    good = _bytes_of([_downtime("Caf\u00e9 Mill Road", h) for h in range(1, 6)], "utf-8")
    stray = _downtime("Storm \u2013 north", 8)[0].encode("cp1252")  # the en dash is 0x96
    data = good + stray + b",2019-12-01 08:00:00,2019-12-01 09:00:00,true\n"
    offset = len(good) + stray.index(b"\x96")
    f = tmp_path / "mixed.csv"
    f.write_bytes(data)
    err = _refused(loaded, "system_downtime", f, f"line 7: byte {offset:,} \\(0x96\\) is not UTF-8")
    assert "wholly UTF-8 or wholly Windows-1252" in str(err)


def test_stray_byte_before_the_first_utf8_character_is_refused_too(
    loaded: Path, tmp_path: Path
) -> None:
    data = (
        _bytes_of([_downtime("Storm \u2013 north")], "cp1252")
        + _bytes_of([_downtime("Caf\u00e9", 3)], "utf-8").split(b"\n", 1)[1]
    )
    f = tmp_path / "mixed2.csv"
    f.write_bytes(data)
    _refused(loaded, "system_downtime", f, r"line 2: byte \d+ \(0x96\) is not UTF-8")


@pytest.mark.parametrize(
    ("encoding", "expected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")]
)
def test_a_file_wholly_in_one_encoding_loads_its_text_exactly(
    empty_warehouse: Path, tmp_path: Path, encoding: str, expected: str
) -> None:
    names = ["Caf\u00e9 \u2013 \u2018Mill Road\u2019", "St Neots \u00a3 \u20ac"]
    f = tmp_path / "one.csv"
    f.write_bytes(_bytes_of([_downtime(n, 1 + 2 * i) for i, n in enumerate(names)], encoding))
    r = load_extract(empty_warehouse, "system_downtime", f, now=NOW)
    assert (r.rows_loaded, r.encoding) == (2, expected)
    assert ("Windows-1252" in r.summary()) == (encoding == "cp1252")
    got = fetch(empty_warehouse, "SELECT system FROM system_downtime ORDER BY start_at")
    assert [g[0] for g in got] == names
    assert_accounts(empty_warehouse, r)


def test_cp1252_harm_table_loads_and_a_mixed_one_is_refused(tmp_path: Path) -> None:
    from forcepack.harm.weights import load_table

    text = "offence_code,offence_name,harm_days\n8N,Assault \u2013 no injury,1\n28E,Burglary,20\n"
    f = tmp_path / "weights.csv"
    f.write_bytes(text.encode("cp1252"))
    table = load_table(f)
    assert {w.offence_code: w.harm_days for w in table.weights} == {"8N": 1.0, "28E": 20.0}
    f.write_bytes("caf\u00e9\n".encode() + text.encode("cp1252"))
    offset = len("caf\u00e9\n".encode()) + text.encode("cp1252").index(b"\x96")
    with pytest.raises(DataError, match=f"harm table weights.csv line 3: byte {offset:,}"):
        load_table(f)


# -- Excel formulas -----------------------------------------------------------------------


def _workbook_with_formulas(path: Path) -> Path:
    """Row 1 holds a formula with a cached value, row 2 one with none, row 3 plain text."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(DOWNTIME)
    sheet.append(['=CONCAT("Storm", " north")', *_downtime("", 1)[1:]])
    sheet.append(['=CONCAT("Flood", " south")', *_downtime("", 3)[1:]])
    sheet.append(_downtime("Plain", 5))
    book.save(path)
    # openpyxl writes no cached values; give the first formula one, as Excel would
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml, n = re.subn(
        r'<c r="A2"><f>(.*?)</f><v\s*/?>(</v>)?',
        r'<c r="A2" t="str"><f>\1</f><v>Storm north</v>',
        xml,
    )
    assert n == 1
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_xlsx_formula_loads_its_cached_value_or_is_quarantined(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    f = _workbook_with_formulas(tmp_path / "downtime.xlsx")
    r = load_extract(empty_warehouse, "system_downtime", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (3, 2, 1)
    assert_accounts(empty_warehouse, r)
    got = fetch(empty_warehouse, "SELECT system FROM system_downtime ORDER BY start_at")
    assert got == [("Storm north",), ("Plain",)]
    (q,) = fetch(
        empty_warehouse, "SELECT row_number, column_name, value, rule, message FROM quarantine"
    )
    assert q[:4] == (2, "system", '=CONCAT("Flood", " south")', "formula")
    assert "cell A3 (system)" in q[4] and "no cached value" in q[4]
    assert ("formula", "system", 1) in r.top_reasons


# -- quotes, line endings, blank lines ------------------------------------------------------


def _lines(n: int) -> list[bytes]:
    rows = [",".join(incident(i)).encode() for i in range(n)]
    return [",".join(INCIDENT_HEADER).encode(), *rows]


def test_unterminated_quote_in_a_2000_row_file_is_refused_naming_its_line(
    loaded: Path, tmp_path: Path
) -> None:
    lines = _lines(2000)
    lines[10] = lines[10].replace(b",BURD,", b',"BURD,', 1)  # line 11 (data row 10) opens
    f = tmp_path / "unterminated.csv"
    f.write_bytes(b"\n".join(lines) + b"\n")
    err = _refused(loaded, "incidents", f, "line 11: a quote opens in this line and never closes")
    assert "one record per line" in str(err)


def test_quote_that_swallows_990_lines_is_refused_naming_both_lines(
    loaded: Path, tmp_path: Path
) -> None:
    lines = _lines(2000)
    lines[10] = lines[10].replace(b",BURD,", b',"BURD,', 1)
    lines[1001] = lines[1001].replace(b",BURD,", b',BURD",', 1)  # closes on line 1,002
    f = tmp_path / "swallow.csv"
    f.write_bytes(b"\n".join(lines) + b"\n")
    _refused(
        loaded, "incidents", f, "line 11: a quote opens in this line and closes only on line 1,002"
    )


def test_stray_quote_within_one_line_is_quarantined_with_its_row(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    lines = _lines(2000)
    # a quote inside a bare field is data: BU"RD is then not a call type
    lines[1999] = lines[1999].replace(b",BURD,", b',BU"RD,', 1)
    lines[2000] = lines[2000].replace(b",BURD,", b',"BURD,', 1)  # the last line: opens, ends
    f = tmp_path / "stray.csv"
    f.write_bytes(b"\n".join(lines) + b"\n")
    r = load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (2000, 1998, 2)
    assert_accounts(empty_warehouse, r)
    rows = fetch(empty_warehouse, "SELECT DISTINCT row_number, rule FROM quarantine ORDER BY 1")
    assert rows == [(1999, "reference"), (2000, "malformed_row")]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_mixed_crlf_and_lf_line_endings_load_every_row(
    empty_warehouse: Path, tmp_path: Path, encoding: str
) -> None:
    lines = _lines(50)
    data = b"".join(line + (b"\r\n" if i % 3 else b"\n") for i, line in enumerate(lines))
    if encoding == "cp1252":  # a Windows export: one id holds an en dash (0x96)
        data = data.replace(b"INC000040", b"INC\x96000040")
    f = tmp_path / "mixed-endings.csv"
    f.write_bytes(data)
    r = load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined, r.encoding) == (50, 50, 0, encoding)
    assert data.count(b"\n") == 1 + r.rows_read  # every physical line is the header or a row
    if encoding == "cp1252":
        sql = "SELECT count(*) FROM incidents WHERE incident_id = 'INC\u2013000040'"
        assert fetch(empty_warehouse, sql) == [(1,)]
    assert_accounts(empty_warehouse, r)
    # no carriage return left in the last column of any row
    assert fetch(empty_warehouse, "SELECT count(*) FROM incidents WHERE verbal_only") == [(0,)]
    assert fetch(empty_warehouse, "SELECT count(*) FROM incidents WHERE NOT verbal_only") == [(50,)]


def test_blank_lines_are_not_rows_and_keep_later_row_numbers(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    lines = _lines(20)
    lines[15] = lines[15].replace(b",immediate,", b",imediate,", 1)  # data row 15: bad grade
    lines[18] = b"too,few,fields"  # data row 18: malformed
    data = b"\n".join([*lines[:6], b"", b"", *lines[6:]]) + b"\n\n"
    f = tmp_path / "blank.csv"
    f.write_bytes(data)
    r = load_extract(empty_warehouse, "incidents", f, now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (20, 18, 2)
    assert_accounts(empty_warehouse, r)
    physical = data.split(b"\n")[:-1]  # the file ends with a line feed
    blank = sum(1 for line in physical if not line)
    assert (len(physical), blank) == (24, 3) and len(physical) == 1 + blank + r.rows_read
    # two blank lines after data row 5: row 15 is on line 18 of the file, so row 17
    rows = fetch(empty_warehouse, "SELECT DISTINCT row_number, rule FROM quarantine ORDER BY 1")
    assert rows == [(17, "enum"), (20, "malformed_row")]


def test_duplicate_load_of_a_refused_file_is_refused_again(loaded: Path, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "attack.csv", [*INCIDENT_HEADER, ATTACK], [[*incident(200), "1"]])
    for _ in range(2):
        _refused(loaded, "incidents", f, "column 11 is named")
    r = load_extract(loaded, "incidents", tmp_path / "first.csv", now=NOW)
    assert r.status is LoadStatus.DUPLICATE


# -- data.police.uk partial re-download ---------------------------------------------------

STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
FORCE = "Cambridgeshire Constabulary"
ASB_TAIL = ["E01017975", "Cambridge 012A", "Anti-social behaviour", "", ""]


def _street_file(path: Path, crimes: int, asb: int) -> Path:
    rows = [
        [
            f"{i:064x}",
            "2019-12",
            FORCE,
            FORCE,
            "0.12",
            "52.2",
            "On or near Mill Road",
            "E01017975",
            "Cambridge 012A",
            "Burglary",
            "Under investigation",
            "",
        ]
        for i in range(crimes)
    ] + [
        [*["", "2019-12", FORCE, FORCE, "0.12", "52.2", "On or near Mill Road"], *ASB_TAIL]
        for _ in range(asb)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(path, STREET_HEADER, rows)


@pytest.mark.parametrize("supersede", [False, True])
def test_partial_redownload_keeps_the_month_unless_it_supersedes(
    empty_warehouse: Path, tmp_path: Path, supersede: bool
) -> None:
    from forcepack.ingest import load_police_uk

    name = "2019-12-cambridgeshire-street.csv"
    full = _street_file(tmp_path / "first" / name, crimes=40, asb=10)
    (first,) = load_police_uk(empty_warehouse, [full])
    assert (first.status, first.rows_loaded) == (LoadStatus.LOADED, 50)
    partial = _street_file(tmp_path / "again" / name, crimes=25, asb=5)
    before = snapshot(empty_warehouse)
    (again,) = load_police_uk(empty_warehouse, [partial], supersede=supersede)
    held = fetch(
        empty_warehouse, "SELECT count(*), count(*) FILTER (WHERE is_asb) FROM public_crimes"
    )
    if not supersede:
        assert again.status is LoadStatus.KEPT
        assert again.summary() == (
            f"{name} -> public_crimes: {name} holds 30 rows for {FORCE} 2019-12, 20 fewer than "
            "the 50 already loaded; kept what was loaded (a partial download?) (load it with "
            "--supersede (supersede=True) if it replaces the month)"
        )
        assert snapshot(empty_warehouse) == before
        assert held == [(50, 10)]
    else:
        assert (again.status, again.rows_read, again.rows_loaded) == (LoadStatus.LOADED, 30, 30)
        assert_accounts(empty_warehouse, again)
        assert held == [(30, 5)]
        # the 10 earlier anti-social behaviour rows are replaced, the 15 crimes gone removed
        assert (
            f"superseded {FORCE} 2019-12: 50 rows were held, the file has 30; 15 stored rows "
            "not in the file removed"
        ) in again.notes
        assert any("replaced 10 anti-social behaviour rows" in n for n in again.notes)


def test_police_uk_command_reports_a_shortfall_in_one_line_and_supersedes_on_request(
    empty_warehouse: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from forcepack.cli.main import cli

    name = "2019-12-cambridgeshire-street.csv"
    full = _street_file(tmp_path / "first" / name, crimes=8, asb=2)
    partial = _street_file(tmp_path / "again" / name, crimes=5, asb=0)
    db = ["--db", str(empty_warehouse)]
    assert CliRunner().invoke(cli, ["ingest", "police-uk", str(full), *db]).exit_code == 0
    kept = CliRunner().invoke(cli, ["ingest", "police-uk", str(partial), *db])
    assert kept.exit_code == 0
    lines = [line for line in kept.output.splitlines() if not line.startswith("warehouse: ")]
    assert lines == [
        f"{name} -> public_crimes: {name} holds 5 rows for {FORCE} 2019-12, 5 fewer than the "
        "10 already loaded; kept what was loaded (a partial download?) (load it with "
        "--supersede (supersede=True) if it replaces the month)"
    ]
    assert fetch(empty_warehouse, "SELECT count(*) FROM public_crimes") == [(10,)]
    done = CliRunner().invoke(cli, ["ingest", "police-uk", str(partial), *db, "--supersede"])
    assert done.exit_code == 0 and "superseded" in done.output
    assert fetch(empty_warehouse, "SELECT count(*) FROM public_crimes") == [(5,)]
