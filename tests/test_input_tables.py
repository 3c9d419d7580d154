"""One reader for every small table and text file a user gives forcepack (forcepack.tablefiles):
the harm weights table, a returned list or audit workbook, national.csv, the --paper spec, the
--columns mapping and the outcome mapping. UTF-8 or Windows-1252 by one rule, a mixed file
refused naming the byte and line, an XLSX read as the same text as the CSV of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from forcepack.compliance import audit_sample, write_audit_workbook
from forcepack.compliance.audit_results import NOTES, load_audit_results, read_findings
from forcepack.errors import ConfigError, DataError
from forcepack.harm.weights import load_table
from forcepack.ingest.columns import read_column_map
from forcepack.ingest.police_uk import outcome_groups
from forcepack.report.inputs import NATIONAL_COLUMNS, read_national
from forcepack.report.paper_spec import read_spec
from forcepack.sensitive import MARKING, read_list
from forcepack.tablefiles import cell_text, read_rows, read_table
from test_compliance_helpers import World, finalised_world

CAFE = "Seen at Café Nero – victim updated"  # é and the en dash differ in UTF-8 and cp1252


def _world(tmp_path: Path, cases: int = 6) -> World:
    return finalised_world(tmp_path, cases)


def _xlsx(path: Path, rows: list[list[object]], title: str = "Sheet") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


# -- the audit workbook and lists ----------------------------------------------------------


def test_a_windows_1252_audit_csv_is_read_as_written(tmp_path: Path) -> None:
    """What Excel on Windows saves: the notes keep their é and dash, the findings load."""
    w = _world(tmp_path)
    sample = audit_sample(w.con, "2019Q4", seed=3)
    out = write_audit_workbook(w.con, sample, tmp_path / "audit.csv", data_hash="test")
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    frame["finding: referral"] = "met"
    frame[NOTES] = CAFE
    out.write_bytes(frame.to_csv(index=False).encode("cp1252"))
    got = load_audit_results(w.con, out, seed=3)
    assert got.cases == len(sample.cases) and got.counts["referral"]["met"] == got.cases
    notes = w.con.execute("SELECT DISTINCT notes FROM audit_results").fetchall()
    assert notes == [(CAFE,)]


def test_a_mixed_encoding_list_is_refused_naming_the_byte_and_line(tmp_path: Path) -> None:
    head = f"marking,victim_id\n{MARKING},Café\n".encode()
    f = tmp_path / "list.csv"
    f.write_bytes(head + f"{MARKING},x – y\n".encode("cp1252"))
    offset = len(head) + len(f"{MARKING},x ")
    with pytest.raises(DataError, match=rf"list list\.csv line 3: byte {offset:,} \(0x96\)"):
        read_list(f)


def test_an_audit_workbook_and_its_csv_give_the_same_findings(tmp_path: Path) -> None:
    """The same sample written as XLSX and as CSV reads back as the same text, outcome dates
    included (a workbook's date cell is the CSV's ``2019-11-15 12:00:00``)."""
    w = _world(tmp_path)
    sample = audit_sample(w.con, "2019Q4")
    book = read_findings(write_audit_workbook(w.con, sample, tmp_path / "a.xlsx", data_hash="t"))
    text = read_findings(write_audit_workbook(w.con, sample, tmp_path / "a.csv", data_hash="t"))
    assert len(book) == len(sample.cases) > 0
    assert set(book["outcome_at"]) == {"2019-11-15 12:00:00"}
    pd.testing.assert_frame_equal(book, text)


def test_an_empty_list_file_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "list.csv"
    f.write_bytes(b"")
    with pytest.raises(DataError, match=r"list list\.csv is empty"):
        read_list(f)
    f.write_text(f"marking,victim_id\n{MARKING},V1,extra\n")
    with pytest.raises(DataError, match=r"list list\.csv line 2: 3 values, but the header"):
        read_list(f)
    f.write_text("marking,victim_id\n")  # a list with no rows is still a list
    assert list(read_list(f).columns) == ["victim_id"] and read_list(f).empty


def test_a_workbook_value_with_no_column_is_refused_naming_its_row(tmp_path: Path) -> None:
    f = _xlsx(
        tmp_path / "list.xlsx",
        [[MARKING], ["handling"], [], ["victim_id", "area"], ["V1", "North", "stray note"]],
    )
    with pytest.raises(
        DataError,
        match=r"list list\.xlsx sheet Sheet row 5: value 'stray note' in column 3 lies to "
        r"the right of the last named column \(area, column 2\)",
    ):
        read_list(f)


# -- the harm weights table ----------------------------------------------------------------


def test_a_mixed_encoding_harm_table_is_refused_with_the_byte_and_line(tmp_path: Path) -> None:
    good = "HO code,CCHI days,Offence\n8N,20,ABH – injury\n".encode()
    f = tmp_path / "chi.csv"
    f.write_bytes(good + "28E,365,Burglary\n1,5475,Murder – adult\n".encode("cp1252"))
    offset = len(good) + len(b"28E,365,Burglary\n1,5475,Murder ")
    with pytest.raises(DataError, match=rf"harm table chi\.csv line 4: byte {offset:,} \(0x96\)"):
        load_table(f)


def test_a_harm_table_reads_the_same_from_xlsx_and_csv(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Cambridge Crime Harm Index"],
        [],
        ["HO code", "Offence", "CCHI days"],
        [8.0, "ABH", 120],  # a number typed as a code: 8, as the CSV's "8"
        ["008N", "ABH", 57.4],
        [46, "Shoplifting", "n/a"],
        [None, "note", 3],
    ]
    book = load_table(_xlsx(tmp_path / "chi.xlsx", rows))
    csv = tmp_path / "chi.csv"
    csv.write_text(
        "Cambridge Crime Harm Index,,\n,,\nHO code,Offence,CCHI days\n8,ABH,120\n"
        "008N,ABH,57.4\n46,Shoplifting,n/a\n,note,3\n"
    )
    text = load_table(csv)
    assert book.as_dict() == text.as_dict() == {"8": 120.0, "8N": 57.4}
    assert book.skipped == text.skipped
    assert text.skipped == ("row 6: offence 46: value 'n/a' is not a non-negative number",
                            "row 7: no offence code")  # fmt: skip


def test_harm_table_sheet_and_type_errors_keep_their_messages(tmp_path: Path) -> None:
    f = _xlsx(tmp_path / "css.xlsx", [["Offence code", "Severity weight"], ["8N", 5]], "weights")
    with pytest.raises(
        ConfigError, match=r'harm table css\.xlsx: no sheet "other"; sheets are weights'
    ):
        load_table(f, kind="css", sheet="other")
    (tmp_path / "t.txt").write_text("x")
    with pytest.raises(ConfigError, match=r"file type \.txt is not supported; allowed: \.csv"):
        load_table(tmp_path / "t.txt")


# -- the reader itself -----------------------------------------------------------------------


def test_an_xlsx_and_the_same_csv_give_the_same_rows(tmp_path: Path) -> None:
    when = dt.datetime(2019, 12, 3, 10, 0)
    f = _xlsx(
        tmp_path / "t.xlsx",
        [
            ["code", "count", "rate", "when", "day", "flag", "note"],
            ["8N", 46, 57.4, when, dt.date(2019, 12, 3), True, None],
            [],  # a blank row, as Excel leaves them
            ["28E", 12.0, 0.1, None, None, False, "Café"],
        ],
    )
    csv = tmp_path / "t.csv"
    csv.write_bytes(
        (
            "code,count,rate,when,day,flag,note\n"
            "8N,46,57.4,2019-12-03 10:00:00,2019-12-03 00:00:00,true,\n"
            ",,,,,,\n"
            "28E,12,0.1,,,false,Café\n"
        ).encode("cp1252")
    )
    book, text = read_table(f, "test table"), read_table(csv, "test table")
    assert book.header == text.header == ("code", "count", "rate", "when", "day", "flag", "note")
    assert book.rows == text.rows
    assert text.rows[1] == {
        "code": "28E", "count": "12", "rate": "0.1", "when": "", "day": "", "flag": "false",
        "note": "Café",
    }  # fmt: skip
    assert book.numbers == text.numbers == (2, 4)
    assert read_rows(csv, "test table").encoding == "cp1252"


def test_cell_text_renders_as_an_excel_extract_does() -> None:
    assert [cell_text(v) for v in (None, 46, 46.0, 0.1, True, dt.time(9, 30), "'=x")] == [
        "",
        "46",
        "46",
        "0.1",
        "true",
        "09:30:00",
        "'=x",
    ]


def test_a_quoted_line_break_keeps_the_line_numbers_right(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text('a,b\n1,"two\nlines"\n3\n')
    with pytest.raises(DataError, match=r"test table t\.csv line 4: 1 values, but the header"):
        read_table(f, "test table")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"t\.csv is empty: the file has no rows"),
        ("\n\n", r"t\.csv is empty"),
        ("a,b\n", r"t\.csv: a header row \(line 1\) and no rows below it; allowed: at least"),
        ("a,a\n1,2\n", r't\.csv line 1: the header names column "a" twice'),
        ("a,,c\n1,2,3\n", r"t\.csv line 1: column 2 of the header has no name"),
        ("a,b\n1,2\n1,2,3\n", r"t\.csv line 3: 3 values, but the header \(line 1\) has 2"),
        ("a,b,\n1,2,3\n", r"t\.csv line 2: value '3' in column 3 lies to the right"),
    ],
)
def test_what_would_misplace_a_value_is_refused(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "t.csv"
    f.write_text(text)
    with pytest.raises(DataError, match=message):
        read_table(f, "test table")


def test_a_header_alone_is_allowed_where_the_caller_says_so(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("a,b,\n1,2,\n")  # an empty column Excel added at the right is no column
    assert read_table(f, "test table").rows == ({"a": "1", "b": "2"},)
    f.write_text("a,b\n")
    assert read_table(f, "test table", empty_ok=True).rows == ()


# -- national.csv and the TOML files -------------------------------------------------------------


def test_a_national_row_with_a_stray_value_is_refused_naming_its_line(tmp_path: Path) -> None:
    header = ",".join(NATIONAL_COLUMNS)
    row = "2020-01-23,ONS,2019-09-30,national,recorded,robbery,robbery,12,percent_change"
    f = tmp_path / "national.csv"
    f.write_text(f"{header}\n{row}\n{row},3\n")  # once read as the first nine, silently
    with pytest.raises(DataError, match=r"national\.csv line 3: 10 values, but the header"):
        read_national(f)
    f.write_text(f"{header}\n{row}\n\n{row}\n")
    assert len(read_national(f)) == 2  # a blank line is not a row


def test_toml_inputs_saved_as_windows_1252_are_read_as_written(tmp_path: Path) -> None:
    shipped = Path(__file__).parents[1] / "src/forcepack/report/papers/victims.toml"
    paper = tmp_path / "paper.toml"
    paper.write_bytes(shipped.read_text(encoding="utf-8").encode("cp1252"))
    got = repr(read_spec(paper).sections).replace(
        "'paper.toml line", "'report/papers/victims.toml line"
    )
    assert "individual’s immediate needs" in got and got == repr(read_spec().sections)
    mapping = tmp_path / "columns.toml"
    mapping.write_bytes('[crimes]\n"Réf crime" = "crime_id"\n'.encode("cp1252"))
    assert read_column_map(mapping) == {"crimes": {"réfcrime": "crime_id"}}
    outcomes = tmp_path / "outcomes.toml"
    outcomes.write_bytes('[outcome_groups]\n"Résolution locale" = ""\n'.encode("cp1252"))
    assert outcome_groups(outcomes) == {"Résolution locale": None}


def test_a_mixed_encoding_toml_input_is_refused_naming_the_byte_and_line(tmp_path: Path) -> None:
    head = '[crimes]\n"Réf" = "crime_id"\n'.encode()
    mapping = tmp_path / "columns.toml"
    mapping.write_bytes(head + '"Date – recorded" = "recorded_at"\n'.encode("cp1252"))
    offset = len(head) + len('"Date ')
    with pytest.raises(DataError, match=rf"column mapping columns\.toml line 3: byte {offset:,}"):
        read_column_map(mapping)
    outcomes = tmp_path / "outcomes.toml"
    outcomes.write_bytes(head.replace(b"[crimes]", b"[outcome_groups]") + b'"\x96" = ""\n')
    with pytest.raises(DataError, match=r"outcome mapping outcomes\.toml line 3: byte"):
        outcome_groups(outcomes)
