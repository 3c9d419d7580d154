"""The catalogue: every DESIGN.md measure id present, validated against the contract on load."""

from __future__ import annotations

from pathlib import Path

import pytest

from forcepack.errors import ConfigError, InputError
from forcepack.measures import Kind, Window, WindowKind, catalogue, get
from forcepack.measures.docs import render_markdown
from forcepack.measures.spec import load_catalogue, parse_measure

REPO = Path(__file__).resolve().parents[1]

# The seed's measures, by id (DESIGN.md "Measures").
DESIGN_IDS = [
    "satisfaction.overall",
    "satisfaction.ease_of_contact",
    "satisfaction.actions_taken",
    "satisfaction.follow_up",
    "satisfaction.treatment",
    "satisfaction.da.overall",
    "satisfaction.da.follow_up",
    "response.immediate.median_minutes",
    "response.prompt.median_minutes",
    "response.prompt.median_dispatch_minutes",
    "response.immediate_share",
    "response.delay_resourcing_share",
    "demand.calls_999",
    "demand.calls_101",
    "demand.abandonment_101",
    "demand.abandonment_secondary",
    "demand.qa_backlog",
    "crime.recorded",
    "crime.recorded_per_1000",
    "crime.domestic_abuse",
    "crime.child_sexual_abuse",
    "crime.serious_sexual",
    "crime.hate",
    "crime.knife",
    "outcomes.prosecution_possible_rate",
    "investigations.average_length_days",
    "investigations.overdue_reviews",
    "vulnerability.missing_children",
    "vulnerability.care_home_callouts",
    "vulnerability.civil_orders",
]
OTHER_FILES_IDS = [
    "victims.vcc_compliance",
    "victims.code_compliance",
    "victims.hub_referral_rate",
    "harm.total_days",
    "harm.repeat_victim_share",
]

BASE = {
    "title": "T",
    "definition": "D",
    "kind": "count",
    "source": "crimes",
    "date": "recorded_at",
    "polarity": "neutral",
    "unit": "crimes",
}


def test_catalogue_holds_every_design_measure() -> None:
    specs = catalogue()
    missing = [i for i in DESIGN_IDS + OTHER_FILES_IDS if i not in specs]
    assert missing == []
    assert get("crime.recorded").kind is Kind.COUNT
    assert get("satisfaction.overall").dimensions == (
        "force",
        "area",
        "district",
        "crime_group",
    )


def test_every_measure_cut_by_area_can_be_cut_by_force() -> None:
    """Force, like area, comes from the districts table: a warehouse holding several forces
    (a scale run) cuts by it wherever it cuts by area."""
    specs = catalogue().values()
    by_area = [s.id for s in specs if "area" in s.dimensions]
    assert len(by_area) > 30
    assert [i for i in by_area if "force" not in get(i).dimensions] == []
    assert [s.id for s in specs if "force" in s.dimensions and "area" not in s.dimensions] == []


def test_every_measure_has_words_for_the_reader() -> None:
    for spec in catalogue().values():
        assert spec.title and len(spec.definition) > 20, spec.id
        assert spec.unit, spec.id


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"filter": {"grade": "immediate"}}, 'measure x.y filter: unknown column "grade"'),
        (
            {"filter": {"status": "closed"}},
            'measure x.y filter.status: value "closed" is not one of open, finalised, cancelled',
        ),
        ({"dimensions": ["beat"]}, 'measure x.y dimensions: unknown dimension "beat"'),
        (
            {"dimensions": ["call_type_category"]},
            'dimension "call_type_category" cannot be reached from table crimes',
        ),
        ({"source": "crimez"}, 'measure x.y source: table "crimez" is not in the data contract'),
        ({"kind": "average"}, 'measure x.y kind: "average" is not one of count'),
        ({"date": "status"}, 'measure x.y date: "status" is not a date or time column'),
        ({"kind": "median"}, 'kind median needs "column"'),
        ({"kind": "share"}, 'kind share needs "numerator"'),
        ({"filter": {"status": {"like": "o%"}}}, 'unknown operator "like"'),
        ({"filter": {"domestic_abuse": "yes"}}, "domestic_abuse is true/false"),
        ({"colour": "red"}, "unknown field(s) colour"),
    ],
)
def test_invalid_specs_name_the_measure_and_the_field(change: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_measure("x.y", {**BASE, **change})
    assert message in str(err.value)


def test_any_contract_table_is_a_source_including_lookup_and_derived_columns() -> None:
    spec = parse_measure(
        "t.delayed",
        {
            **BASE,
            "source": "incidents",
            "date": "created_at",
            "filter": {"delayed": True, "area": "North"},
            "dimensions": ["call_type_category"],
        },
    )
    assert [c.column for c in spec.filter] == ["delayed", "area"]


def test_ids_are_unique_across_files(tmp_path: Path) -> None:
    entry = '[measures."a.b"]\n' + "\n".join(f'{k} = "{v}"' for k, v in BASE.items())
    (tmp_path / "one.toml").write_text(entry)
    (tmp_path / "two.toml").write_text(entry)
    with pytest.raises(ConfigError, match=r"a\.b is defined in both one\.toml and two\.toml"):
        load_catalogue(tmp_path)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[measures\n")
    with pytest.raises(ConfigError, match=r"bad\.toml is not valid TOML"):
        load_catalogue(tmp_path)


def test_definition_hash_ignores_words_but_not_filters() -> None:
    a = parse_measure("x.y", BASE)
    assert a.definition_hash() == parse_measure("x.y", {**BASE, "title": "Other"}).definition_hash()
    b = parse_measure("x.y", {**BASE, "filter": {"status": "open"}})
    assert a.definition_hash() != b.definition_hash()


@pytest.mark.parametrize(
    ("text", "kind", "months", "label"),
    [
        ("month", WindowKind.MONTH, 1, "month"),
        ("rolling12", WindowKind.ROLLING, 12, "rolling12"),
        ("rolling:9", WindowKind.ROLLING, 9, "rolling:9"),
        ("rolling", WindowKind.ROLLING, 12, "rolling12"),
        ("fytd", WindowKind.FYTD, 12, "fytd"),
    ],
)
def test_window_parsing(text: str, kind: WindowKind, months: int, label: str) -> None:
    w = Window.parse(text)
    assert (w.kind, w.months, w.label) == (kind, months, label)


def test_window_rejects_nonsense() -> None:
    with pytest.raises(InputError, match="rolling:N"):
        Window.parse("quarterly")
    with pytest.raises(InputError, match="1 to 120"):
        Window.parse("rolling:0")


def test_measures_doc_is_generated_from_the_catalogue() -> None:
    text = (REPO / "docs" / "measures.md").read_text(encoding="utf-8")
    assert text == render_markdown(), "docs/measures.md is stale: run `make docs` and commit it"
    for mid in catalogue():
        assert f"`{mid}`" in text
