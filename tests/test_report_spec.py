"""The paper declared as data: the shipped spec's numbering, a force's own spec, bad specs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forcepack.errors import ConfigError
from forcepack.report import build_paper
from forcepack.report import builders as registry_module
from forcepack.report.builders import Registered, registry
from forcepack.report.data import MissingFigure
from forcepack.report.inputs import UpdateSlot, demo_inputs_dir
from forcepack.report.model import Gap, Paragraph
from forcepack.report.paper_spec import read_spec

REPO = Path(__file__).resolve().parents[1]

#: The model paper's numbers of the paragraphs forcepack builds (with the demo's inputs).
MODEL_NUMBERS = {
    "paper.purpose": "1.1",
    "paper.recommendation": "2.1",
    "paper.background.meeting": "3.1",
    "paper.background.priorities": "3.2",
    "strategic.lead": "4.1.1",
    "satisfaction.overall": "4.1.2",
    "satisfaction.follow_up": "4.1.3",
    "satisfaction.ease_of_contact": "4.1.4",
    "satisfaction.burglary": "4.1.5",
    "satisfaction.domestic_abuse": "4.1.6",
    "response.grades": "4.1.7",
    "response.burglary": "4.1.8",
    "response.domestic_abuse": "4.1.9",
    "demand.calls": "4.3.1",
    "demand.qa_backlog": "4.3.2",
    "crime.recorded": "4.3.4",
    "crime.management": "4.3.5",
    "slot:crime_management": "4.3.6",
    "outcomes.prosecution_possible": "4.3.7",
    "crime.child_sexual_abuse": "5.2.1",
    "paper.recommendation.closing": "8.1",
}


def test_the_shipped_spec_is_the_victims_paper() -> None:
    spec = read_spec()
    assert spec.name == "Police and Crime Plan Update: Victims"
    assert [s.title for s in spec.sections] == [
        "Purpose",
        "Recommendation",
        "Background",
        "Performance Meeting Updates",
        "Priority Updates",
        "Victim Updates",
        "Highlighted Good Practice",
        "Recommendation",
    ]
    keys = spec.keys()
    assert len(keys) == len(set(keys))


def test_every_builder_and_slot_is_documented() -> None:
    doc = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    for name in registry():
        assert f"`{name}`" in doc, f"docs/report.md does not list builder {name}"
    for slot in UpdateSlot:
        assert f"`{slot.value}`" in doc, f"docs/report.md does not list slot {slot.value}"


def test_the_builders_table_lists_the_measures_each_builder_declares() -> None:
    """docs/report.md's "measures it reads" is what ``@builder(measures=...)`` declares (which
    tests/test_report_builder_measures.py holds to what the builder really reads)."""
    doc = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9_.]+)` \| (?:paragraph|section) \| .* \| (.+) \|$", doc, re.M)
    documented = {name: set(re.findall(r"`([a-z0-9_.]+)`", cell)) for name, cell in rows}
    reg = registry()
    assert set(documented) == set(reg)
    for name, r in reg.items():
        assert documented[name] == set(r.measures), f"docs/report.md: builder {name}"


@pytest.mark.slow
def test_default_numbering_follows_the_model_paper(demo_warehouse: Path) -> None:
    paper = build_paper(demo_warehouse, "2019-12", inputs=demo_inputs_dir(), revision=None)
    got = {k: paper.by_key(k).number for k in MODEL_NUMBERS}
    assert got == MODEL_NUMBERS


@pytest.mark.slow
def test_a_force_spec_with_three_paragraphs_builds(demo_warehouse: Path, tmp_path: Path) -> None:
    spec = tmp_path / "short.toml"
    spec.write_text(
        '[paper]\nname = "Crime in brief"\n\n[[section]]\nkey = "crime"\ntitle = "Crime"\n'
        'paragraphs = ["crime.domestic_abuse", "crime.recorded", { slot = "domestic_abuse" }]\n',
        encoding="utf-8",
    )
    paper = build_paper(demo_warehouse, "2019-12", inputs=demo_inputs_dir(), paper=spec)
    (section,) = paper.sections
    paras = [b for b in section.blocks if isinstance(b, Paragraph)]
    numbered = [(p.number, p.key) for p in paras if p.number]
    assert numbered[:2] == [("1.1", "crime.domestic_abuse"), ("1.2", "crime.recorded")]
    assert numbered[2][0] == "1.3" and numbered[2][1] == "slot:domestic_abuse"
    assert "crimes were recorded in December against" in paper.by_key("crime.recorded").text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = ["crime.recordd"]\n',
            r'line 4: no paragraph builder named "crime\.recordd"',
        ),
        (
            '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = [{ slot = "weather" }]\n',
            r'line 4: no input slot named "weather"',
        ),
        (
            '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = ["paper.purpose"]\n\n'
            '[[section]]\nkey = "b"\ntitle = "B"\nparagraphs = ["paper.purpose"]\n',
            r'key "paper\.purpose" is used twice',
        ),
        (
            '[[section]]\nkey = "a"\ntitle = "A"\nbuilder = "victims.updates"\n'
            'paragraphs = ["paper.purpose"]\n',
            "has a builder and paragraphs",
        ),
        ('[[section]]\ntitle = "A"\n', "a section needs a key and a title"),
        ("[paper]\nname = 'x'\n", "the paper has no sections"),
        ("[[section]\n", "not valid TOML"),
    ],
    ids=["builder", "slot", "duplicate", "builder-and-paragraphs", "no-key", "empty", "toml"],
)
def test_a_bad_spec_is_refused_naming_its_line(tmp_path: Path, text: str, message: str) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_spec(spec)


def _register(monkeypatch: pytest.MonkeyPatch, name: str, exc: Exception) -> None:
    def make(ctx):  # type: ignore[no-untyped-def]
        raise exc

    registry()  # import every builder module first, then add one
    monkeypatch.setitem(registry_module._BUILDERS, name, Registered(name, "a test", make=make))


@pytest.mark.slow
def test_a_missing_figure_is_a_gap_and_a_bug_is_an_error(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, "test.missing", MissingFigure("no figures for the test measure"))
    _register(monkeypatch, "test.bug", ZeroDivisionError("a bug"))
    spec = tmp_path / "s.toml"
    spec.write_text(
        '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = ["test.missing"]\n', encoding="utf-8"
    )
    paper = build_paper(demo_warehouse, "2019-12", paper=spec)
    (gap,) = paper.sections[0].blocks
    assert isinstance(gap, Gap) and "no figures for the test measure" in gap.reason
    assert "(paragraph of paper spec s.toml line 4)" in gap.reason  # where the spec names it
    spec.write_text(
        '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = ["test.bug"]\n', encoding="utf-8"
    )
    with pytest.raises(ZeroDivisionError):
        build_paper(demo_warehouse, "2019-12", paper=spec)
    # a sentence template the code names but the sentence files lack is a bug too, not a gap
    from forcepack.report.narrative import TemplateError, say

    def missing_template(ctx):  # type: ignore[no-untyped-def]
        return [say("victims.nothing.here")]

    monkeypatch.setitem(
        registry_module._BUILDERS,
        "test.template",
        Registered("test.template", "a test", make=missing_template),
    )
    spec.write_text(
        '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = ["test.template"]\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=r"no sentence template 'victims\.nothing\.here'"):
        build_paper(demo_warehouse, "2019-12", paper=spec)


def test_a_builder_whose_measure_is_not_in_the_catalogue_is_refused_naming_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry()
    monkeypatch.setitem(
        registry_module._BUILDERS,
        "test.gone",
        Registered("test.gone", "a test", make=lambda ctx: [], measures=("crime.gone",)),
    )
    spec = tmp_path / "gone.toml"
    spec.write_text(
        '[[section]]\nkey = "a"\ntitle = "A"\nparagraphs = [\n  "paper.purpose",\n'
        '  "test.gone",\n]\n',
        encoding="utf-8",
    )
    with pytest.raises(
        ConfigError,
        match=r"paper spec gone\.toml line 6: builder test\.gone reads measure\(s\) crime\.gone, "
        "which the measure catalogue does not hold",
    ):
        read_spec(spec)
