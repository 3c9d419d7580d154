"""Hostile files, derived in a temporary folder from a good extract: each gets its expected
error or quarantine, and rows read = rows loaded + rows quarantined for every load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forcepack.errors import DataError
from forcepack.ingest import LoadStatus, load_extract, quality_report
from ingest_helpers import INCIDENT_HEADER, assert_accounts, count, fetch, incident, write_csv

NOW = dt.datetime(2020, 1, 15, 12, 0)
N = 20


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A clean 20-row incidents extract."""
    return write_csv(tmp_path / "good.csv", INCIDENT_HEADER, [incident(i) for i in range(N)])


def _derive(good: Path, name: str, data: bytes) -> Path:
    path = good.with_name(name)
    path.write_bytes(data)
    return path


def test_truncated_last_line_is_quarantined(empty_warehouse: Path, good: Path) -> None:
    data = good.read_bytes()
    cut = data[: data.rstrip(b"\n").rfind(b",", 0, len(data) - 40)]  # mid-way through the last row
    r = load_extract(empty_warehouse, "incidents", _derive(good, "cut.csv", cut), now=NOW)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (N, N - 1, 1)
    assert_accounts(empty_warehouse, r)
    (row, rule, msg) = fetch(empty_warehouse, "SELECT row_number, rule, message FROM quarantine")[0]
    assert (row, rule) == (N, "malformed_row")
    assert "not a CSV row of the header's 10 columns" in msg


def test_malformed_row_mid_file_keeps_later_row_numbers_right(
    empty_warehouse: Path, good: Path
) -> None:
    lines = good.read_text().splitlines()
    lines[3] = "INC999999,2019-12-01 10:00:00"  # data row 3: too few fields
    lines[6] = lines[6].replace("immediate", "urgent")  # data row 6: a bad grade
    r = load_extract(
        empty_warehouse,
        "incidents",
        _derive(good, "mid.csv", ("\n".join(lines) + "\n").encode()),
        now=NOW,
    )
    assert (r.rows_read, r.rows_quarantined) == (N, 2)
    assert_accounts(empty_warehouse, r)
    assert fetch(empty_warehouse, "SELECT row_number, rule FROM quarantine ORDER BY 1") == [
        (3, "malformed_row"),
        (6, "enum"),
    ]


def test_wrong_delimiter_is_an_error_saying_so(empty_warehouse: Path, good: Path) -> None:
    semi = good.read_text().replace(",", ";").encode()
    with pytest.raises(
        DataError,
        match=r"looks semicolon-separated; forcepack reads "
        r"comma-separated files",
    ):
        load_extract(empty_warehouse, "incidents", _derive(good, "semi.csv", semi), now=NOW)
    assert count(empty_warehouse, "SELECT count(*) FROM load_log") == 0


def test_bom_is_read_and_the_first_column_still_matches(empty_warehouse: Path, good: Path) -> None:
    r = load_extract(
        empty_warehouse,
        "incidents",
        _derive(good, "bom.csv", b"\xef\xbb\xbf" + good.read_bytes()),
        now=NOW,
    )
    assert (r.rows_loaded, r.encoding) == (N, "utf-8-sig")
    assert_accounts(empty_warehouse, r)
    assert (
        count(empty_warehouse, "SELECT count(*) FROM incidents WHERE incident_id LIKE 'INC%'") == N
    )


def test_cp1252_export_is_transcoded(empty_warehouse: Path, tmp_path: Path) -> None:
    # "Café – 'Mill Road'": é, en dash and curly quotes are cp1252 bytes, invalid as UTF-8
    header = ["system", "start_at", "end_at", "planned"]
    rows = [
        [
            "Storm \u2013 Caf\u00e9 \u2018Mill Road\u2019",
            "2019-12-01 01:00:00",
            "2019-12-01 03:00:00",
            "true",
        ]
    ]
    f = write_csv(tmp_path / "downtime.csv", header, rows, encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        f.read_bytes().decode("utf-8")
    r = load_extract(empty_warehouse, "system_downtime", f, now=NOW)
    assert (r.rows_loaded, r.encoding) == (1, "cp1252")
    assert fetch(empty_warehouse, "SELECT system FROM system_downtime") == [(rows[0][0],)]


def test_bytes_neither_utf8_nor_cp1252_are_an_error(empty_warehouse: Path, good: Path) -> None:
    bad = good.read_bytes() + b"INC\x81\x8d,broken\n"
    with pytest.raises(DataError, match=r"neither UTF-8 nor Windows-1252"):
        load_extract(empty_warehouse, "incidents", _derive(good, "bin.csv", bad), now=NOW)


def test_duplicate_keys_keep_the_first_row(empty_warehouse: Path, good: Path) -> None:
    text = good.read_text()
    dup_row = incident(4, grade="prompt")  # same key as data row 5, different grade
    r = load_extract(
        empty_warehouse,
        "incidents",
        _derive(good, "dup.csv", (text + ",".join(dup_row) + "\n").encode()),
        now=NOW,
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (N + 1, N, 1)
    assert_accounts(empty_warehouse, r)
    assert fetch(empty_warehouse, "SELECT row_number, rule, value FROM quarantine") == [
        (N + 1, "duplicate_key", "INC000004")
    ]
    assert fetch(
        empty_warehouse, "SELECT grade FROM incidents WHERE incident_id = 'INC000004'"
    ) == [("immediate",)]


def test_unknown_enumerations_are_quarantined(empty_warehouse: Path, good: Path) -> None:
    text = good.read_text().replace(",999,", ",112,", 3)  # source 112 is not a UK line
    r = load_extract(
        empty_warehouse, "incidents", _derive(good, "enum.csv", text.encode()), now=NOW
    )
    assert (r.rows_loaded, r.rows_quarantined) == (N - 3, 3)
    assert_accounts(empty_warehouse, r)
    assert r.top_reasons == (("enum", "source", 3),)


def test_formula_like_strings_are_data_and_flagged(empty_warehouse: Path, tmp_path: Path) -> None:
    header = ["system", "start_at", "end_at", "planned"]
    rows = [
        ['=HYPERLINK("http://x")', "2019-12-01 01:00:00", "2019-12-01 02:00:00", "true"],
        ["@SUM(A1)", "2019-12-02 01:00:00", "2019-12-02 02:00:00", "false"],
        ["Niche RMS", "2019-12-03 01:00:00", "2019-12-03 02:00:00", "false"],
    ]
    r = load_extract(
        empty_warehouse, "system_downtime", write_csv(tmp_path / "f.csv", header, rows), now=NOW
    )
    assert (r.rows_loaded, r.rows_quarantined) == (3, 0)
    assert fetch(empty_warehouse, "SELECT system FROM system_downtime ORDER BY start_at")[0] == (
        rows[0][0],
    )
    report = quality_report(empty_warehouse, "system_downtime").table("system_downtime")
    assert report.formula_like == (("system", 2),)


def test_ten_megabyte_field_is_quarantined_not_loaded(empty_warehouse: Path, good: Path) -> None:
    huge = ",".join(incident(N, delay_reason="x" * 10_000_000)) + "\n"
    r = load_extract(
        empty_warehouse,
        "incidents",
        _derive(good, "huge.csv", good.read_bytes() + huge.encode()),
        now=NOW,
    )
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (N + 1, N, 1)
    assert_accounts(empty_warehouse, r)
    (row, rule, vlen) = fetch(
        empty_warehouse, "SELECT row_number, rule, length(value) FROM quarantine"
    )[0]
    assert (row, rule) == (N + 1, "malformed_row") and vlen <= 200


def test_long_field_within_line_limit_is_quarantined_as_too_long(
    empty_warehouse: Path, good: Path
) -> None:
    row = ",".join(incident(N, incident_id="INC" + "9" * 50_000)) + "\n"
    r = load_extract(
        empty_warehouse,
        "incidents",
        _derive(good, "long.csv", good.read_bytes() + row.encode()),
        now=NOW,
    )
    assert r.top_reasons == (("too_long", "incident_id", 1),)
    assert_accounts(empty_warehouse, r)


def test_empty_file_is_an_error(empty_warehouse: Path, good: Path) -> None:
    with pytest.raises(DataError, match=r"empty\.csv is empty: no header row"):
        load_extract(empty_warehouse, "incidents", _derive(good, "empty.csv", b""), now=NOW)
    assert count(empty_warehouse, "SELECT count(*) FROM load_log") == 0


def test_header_with_no_rows_loads_nothing_and_says_so(empty_warehouse: Path, good: Path) -> None:
    header_only = good.read_bytes().split(b"\n")[0] + b"\n"
    r = load_extract(empty_warehouse, "incidents", _derive(good, "hdr.csv", header_only), now=NOW)
    assert (r.status, r.rows_read, r.rows_loaded, r.rows_quarantined) == (
        LoadStatus.LOADED,
        0,
        0,
        0,
    )
    assert_accounts(empty_warehouse, r)
    assert count(empty_warehouse, "SELECT count(*) FROM incidents") == 0


def test_crlf_line_endings_and_quoted_commas(empty_warehouse: Path, tmp_path: Path) -> None:
    header = ["system", "start_at", "end_at", "planned"]
    text = (
        ",".join(header) + "\r\n" + '"Storm, Athena",2019-12-01 01:00:00,2019-12-01 02:00:00,'
        "true\r\n"
    )
    f = tmp_path / "crlf.csv"
    f.write_bytes(text.encode())
    r = load_extract(empty_warehouse, "system_downtime", f, now=NOW)
    assert r.rows_loaded == 1
    assert fetch(empty_warehouse, "SELECT system, planned FROM system_downtime") == [
        ("Storm, Athena", True)
    ]
