"""docs/report.md documents every option, input column, update slot and sentence file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from forcepack.cli.report import report
from forcepack.report.inputs import NATIONAL_COLUMNS, UpdateSlot

DOC = (Path(__file__).resolve().parents[1] / "docs" / "report.md").read_text("utf-8")


def test_every_option_is_documented() -> None:
    options = [opt for p in report.params for opt in p.opts if opt.startswith("--")]
    assert len(options) == 9
    for opt in options:
        assert f"`{opt}" in DOC, opt


def test_every_input_column_and_slot_is_documented() -> None:
    for col in NATIONAL_COLUMNS:
        assert f"| `{col}` |" in DOC, col
    for slot in UpdateSlot:
        assert f"| `{slot.value}` |" in DOC, slot


def test_every_sentence_file_is_named() -> None:
    files = resources.files("forcepack.report").joinpath("sentences").iterdir()
    groups = sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml"))
    assert groups == ["crime", "judgement", "paper", "response", "satisfaction", "victims"]
    for g in groups:
        assert f"`{g}`" in DOC
