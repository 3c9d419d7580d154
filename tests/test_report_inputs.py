"""Force-written inputs: cover details, national figures and Markdown updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from forcepack.errors import ConfigError, InputError, MissingFileError
from forcepack.report.build import default_board_date, default_meeting_date, parse_formats
from forcepack.report.inputs import (
    NATIONAL_COLUMNS,
    UpdateSlot,
    demo_inputs_dir,
    plain,
    read_inputs,
)
from forcepack.report.model import Gap
from forcepack.report.narrative_crime import national


def test_demo_inputs_fill_every_slot() -> None:
    from forcepack.report.paper_spec import SectionSpec, read_spec

    def slots(s: SectionSpec) -> set[UpdateSlot]:
        own = {p.slot for p in s.paragraphs if p.slot is not None}
        return own.union(*(slots(sub) for sub in s.sections))

    got = read_inputs(demo_inputs_dir())
    # every slot the shipped paper names, and no other (victim_updates, the whole of section 6
    # in one file, and outcomes are for a force's own spec)
    named = set().union(*(slots(s) for s in read_spec().sections))
    assert set(got.updates) == named
    assert named == set(UpdateSlot) - {UpdateSlot.VICTIM_UPDATES, UpdateSlot.OUTCOMES}
    assert got.details.agenda_item == "9.1"
    assert got.details.board_date == dt.date(2020, 2, 25)
    assert got.national is not None and len(got.national) == 8
    assert all(u.paragraphs for u in got.updates.values())
    # one apostrophe: a straight one after a letter is printed as the paper's ’
    hub = got.updates[UpdateSlot.PRIORITY_GROUPS].paragraphs[0]
    assert "Demand Hub’s staffing" in hub and "'" not in hub


def test_the_whole_of_section_6_from_one_file(tmp_path: Path) -> None:
    (tmp_path / "updates").mkdir()
    (tmp_path / "updates" / "victim_updates.md").write_text(
        "## An outcome\n\n### 'Ensure that victims from priority groups are identified'\n\n"
        "First paragraph.\n\n## Another outcome\n\n### A commitment\n\nText.\n",
        encoding="utf-8",
    )
    victims = read_inputs(tmp_path).updates[UpdateSlot.VICTIM_UPDATES]
    assert [o.title for o in victims.outcomes] == ["An outcome", "Another outcome"]
    assert victims.outcomes[0].commitments[0].title.startswith("Ensure that victims from")
    assert all(c.paragraphs for o in victims.outcomes for c in o.commitments)


def test_national_sentences_from_the_demo_csv() -> None:
    figures = read_inputs(demo_inputs_dir()).national
    assert figures is not None
    text = " ".join(national(figures, "the demo force", 80.2))
    assert text.startswith(
        "On 23rd January 2020, the Office for National Statistics released crime figures for "
        "the 12 months ending September 2019."
    )
    assert "overall fraud up 9% year on year" in text
    assert "robbery (12%)" in text and "burglary (all) (5%) down" in text
    assert "(80.2) is lower than both the regional (84.9) and national (98.1) averages" in text


def test_missing_slots_are_gaps_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "updates").mkdir()
    (tmp_path / "updates" / "good_practice.md").write_text("One.\n\nTwo **bold** [link](x).\n")
    got = read_inputs(tmp_path)
    assert got.updates[UpdateSlot.GOOD_PRACTICE].paragraphs == ("One.", "Two bold link.")
    gap = got.update(UpdateSlot.DOMESTIC_ABUSE)
    assert isinstance(gap, Gap)
    assert "updates/domestic_abuse.md" in gap.reason
    assert got.national is None and "national.csv" in got.national_gap().fix


def test_a_bad_national_row_names_line_column_and_allowed_values(tmp_path: Path) -> None:
    header = ",".join(NATIONAL_COLUMNS)
    row = "2020-01-23,ONS,2019-09-30,national,recorded,robbery,robbery,12,percent"
    (tmp_path / "national.csv").write_text(f"{header}\n{row}\n")
    with pytest.raises(ConfigError, match=r"line 2: unit 'percent' is not one of percent_change"):
        read_inputs(tmp_path)
    (tmp_path / "national.csv").write_text("release_date,value\n")
    with pytest.raises(ConfigError, match="missing column"):
        read_inputs(tmp_path)


def test_unknown_keys_and_slots_are_errors(tmp_path: Path) -> None:
    (tmp_path / "paper.toml").write_text('agenda = "9.1"\n')
    with pytest.raises(ConfigError, match=r"unknown key.*agenda"):
        read_inputs(tmp_path)
    (tmp_path / "paper.toml").unlink()
    (tmp_path / "updates").mkdir()
    (tmp_path / "updates" / "domestic.md").write_text("x\n")
    with pytest.raises(InputError, match="not one of the paper's slots"):
        read_inputs(tmp_path)
    with pytest.raises(MissingFileError, match="inputs folder"):
        read_inputs(tmp_path / "nowhere")


def test_markdown_inline_markup_becomes_plain_text() -> None:
    assert plain("The **Hub** and *MASH* ([site](http://x)) _now_") == "The Hub and MASH (site) now"


def test_default_meeting_dates_follow_the_seed() -> None:
    dec = dt.date(2019, 12, 31)
    assert default_board_date(dec) == dt.date(2020, 2, 25)  # fourth Tuesday of February
    assert default_meeting_date(dec) == dt.date(2020, 1, 20)  # third Monday of January


def test_formats_are_checked() -> None:
    assert parse_formats("pdf, HTML,pdf") == ("pdf", "html")
    with pytest.raises(InputError, match="format odt is not one of html, pdf, docx"):
        parse_formats("html,odt")


def test_cli_reports_a_bad_month_and_a_missing_warehouse(tmp_path: Path) -> None:
    from forcepack.cli.main import cli

    runner = CliRunner()
    res = runner.invoke(cli, ["report", "--month", "2019-12", "--db", str(tmp_path / "x.duckdb")])
    assert isinstance(res.exception, MissingFileError)
    assert "x.duckdb does not exist" in str(res.exception)
    from force_helpers import create_force

    db = create_force(tmp_path / "w.duckdb")
    res = runner.invoke(cli, ["report", "--month", "Dec-2019", "--db", str(db)])
    assert isinstance(res.exception, InputError)
    assert "YYYY-MM" in str(res.exception)


def test_inputs_saved_by_windows_tools_are_read_as_written(tmp_path: Path) -> None:
    """A national.csv or update exported as Windows-1252 reads exactly (one encoding rule for
    every file forcepack reads); a file mixing encodings is refused naming the byte."""
    from forcepack.errors import DataError

    header = ",".join(NATIONAL_COLUMNS)
    row = "2020-01-23,ONS,2019-09-30,national,recorded,robbery,robbery,12,percent_change"
    (tmp_path / "national.csv").write_bytes(f"{header}\n{row}\n".encode("cp1252"))
    (tmp_path / "updates").mkdir()
    (tmp_path / "updates" / "good_practice.md").write_bytes(
        "The Hub’s work with Café Nero staff – 95% of victims.\n".encode("cp1252")
    )
    got = read_inputs(tmp_path)
    assert got.national is not None and len(got.national) == 1
    assert got.updates[UpdateSlot.GOOD_PRACTICE].paragraphs == (
        "The Hub’s work with Café Nero staff – 95% of victims.",
    )
    mixed = "Café".encode() + " – ".encode("cp1252") + b"\n"
    (tmp_path / "updates" / "good_practice.md").write_bytes(mixed)
    with pytest.raises(DataError, match=r"good_practice\.md"):
        read_inputs(tmp_path)
