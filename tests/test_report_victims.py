"""Section 6 of the paper: the model's numbering and quoted commitments, each commitment's slot
and figures, the figures against independent SQL on the demo warehouse, and the audit loop
from the sample drawn to the findings reported."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from forcepack.compliance import audit_sample, write_audit_workbook
from forcepack.compliance.audit_results import AUDITED, load_audit_results
from forcepack.report import build_paper
from forcepack.report.inputs import demo_inputs_dir
from forcepack.report.model import Chart, Gap, Paragraph, Section, Table
from forcepack.report.paper_spec import read_spec
from test_compliance_helpers import PETERBOROUGH, World, new_world

pytestmark = pytest.mark.slow  # each test builds section 6 of a paper (seconds each)

#: The model paper's section 6: each commitment's number and the start of its quoted text.
MODEL_COMMITMENTS = {
    "6.1.1": "Ensure that victims from the three priority groups",
    "6.1.2": "Ensure victims of crime receive a timely and high quality investigation",
    "6.1.3": "Develop a performance matrix which incorporates a qualitative measurement",
    "6.1.4": "Ensure we maximise the use of civil powers, for example SHPOs and DVPOs",
    "6.1.5": "Ensure investigation strategies record safeguarding measures",
    "6.1.6": "Develop a clear understanding of those most at risk from the highest harm",
    "6.1.7": "Ensure the “lived experience of the child” has been captured",
    "6.2.1": "Fully engage with the countywide partnership response",
    "6.2.2": "Ensure effective and efficient use of the referral process into Victim and",
    "6.2.3": "Ensure suitable forensic and welfare medical facilities are available (SARC)",
    "6.3.1": "Ensure that when new Criminal Justice processes are implemented",
    "6.3.2": "Develop an effective way to measure compliance with the Victims Code",
    "6.3.3": "Ensure there is a comprehensive victim strategy in place",
    "6.3.4": "Where a criminal threshold is not reached police support partners",
}
#: Where each section 6 builder reports, as numbered by the shipped spec.
FIGURES_UNDER = {
    "victims.priority_identified": "6.1.1",
    "victims.care_contract": "6.1.2",
    "vulnerability.civil_orders": "6.1.4",
    "investigations.da_bail": "6.1.5",
    "harm.lists": "6.1.6",
    "vulnerability.missing_children": "6.1.7",
    "victims.hub_referral": "6.2.2",
    "victims.code_compliance": "6.3.2",
    "victims.audit": "6.3.3",
}


def _sections(paper: Any) -> dict[str, Section]:
    return {s.number: s for s in paper.all_sections()}


def _under(paper: Any, key: str) -> tuple[Section, list[Any]]:
    """The section holding paragraph ``key`` and the blocks from it up to the next keyed
    paragraph of another builder (its tables, charts and gaps)."""
    for s in paper.all_sections():
        keys = [getattr(b, "key", None) for b in s.blocks]
        if key in keys:
            i = keys.index(key)
            j = i + 1
            while j < len(s.blocks) and (
                not isinstance(s.blocks[j], Paragraph) or (s.blocks[j].key or "").startswith(key)
            ):
                j += 1
            return s, list(s.blocks[i:j])
    raise KeyError(key)


def test_the_spec_declares_section_6_as_the_model() -> None:
    spec = read_spec()
    six = next(s for s in spec.sections if s.key == "victim_updates")
    assert len(six.sections) == 3
    commitments = [c for o in six.sections for c in o.sections]
    assert all(c.quote for c in commitments)
    numbers = [
        f"6.{i}.{j}" for i, o in enumerate(six.sections, 1) for j in range(1, len(o.sections) + 1)
    ]
    assert numbers == list(MODEL_COMMITMENTS)
    for c, start in zip(commitments, MODEL_COMMITMENTS.values(), strict=True):
        assert c.title.startswith(start), c.title
        assert "'" not in c.title  # one apostrophe style: ’
        assert c.paragraphs[0].slot is not None  # the force's own account comes first


def _finalised_world(tmp_path: Path) -> World:
    w = new_world(tmp_path)
    for i in range(40):
        crime = f"C{i:03d}"
        w.crime(
            crime,
            "2019-09-01 09:00",
            district=PETERBOROUGH if i % 3 == 0 else "E07000008",
            status="finalised",
            outcome_at="2019-11-15 12:00",
            outcome_code=1,
        )
        w.victim(crime, f"V{i:03d}")
    w.build("2020-02-01")
    from forcepack import harm

    harm.build(w.con)  # the paper refuses derived tables that were never built
    return w


def test_section_6_numbering_slots_and_the_audit_loop(tmp_path: Path) -> None:
    from test_report_render import fake_compute

    w = _finalised_world(tmp_path)
    sample = audit_sample(w.con, "2019Q4")
    book = write_audit_workbook(w.con, sample, tmp_path / "audit.xlsx", data_hash="test")
    # the auditors' answers: case i meets area j unless (i + j) % 4 == 0; n/a when % 7 == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Audit sample"]
    header = next(c[0].row for c in ws.iter_rows() if c[0].value == "area")
    names = [c.value for c in ws[header]]
    expected: dict[str, tuple[int, int, int]] = {}
    for j, column in enumerate(AUDITED):
        met = not_met = na = 0
        for i in range(1, len(sample.cases) + 1):
            value = "n/a" if (i + j) % 7 == 0 else "not met" if (i + j) % 4 == 0 else "met"
            met, not_met, na = (
                met + (value == "met"),
                not_met + (value == "not met"),
                na + (value == "n/a"),
            )
            ws.cell(row=header + i, column=names.index(column) + 1, value=value)
        label = column.removeprefix("finding: ")
        expected[label[0].upper() + label[1:]] = (met, not_met, na)
    wb.save(book)
    load_audit_results(w.con, book)
    w.con.close()

    paper = build_paper(
        tmp_path / "victims.duckdb",
        "2019-12",
        inputs=demo_inputs_dir(),
        compute=fake_compute,
    )
    sections = _sections(paper)
    assert sections["6"].title == "Victim Updates"
    for number, start in MODEL_COMMITMENTS.items():
        s = sections[number]
        assert s.quote_title and s.title.startswith(start)
        assert s.blocks, number
        # the force's text first, unnumbered like every paragraph under a commitment
        assert all(b.number is None for b in s.blocks if isinstance(b, Paragraph))
    assert sections["6.1.3"].blocks[0].text.startswith("The performance framework")  # type: ignore[union-attr]
    # the audit: the sample sentence and the findings table, counted as the auditors wrote
    s, blocks = _under(paper, "victims.audit")
    assert s.number == "6.3.3"
    text = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "takes 30 of the 40 cases finalised in the quarter" in text
    assert "have been loaded for 30 of the 30 cases" in text
    table = next(b for b in blocks if isinstance(b, Table))
    for row in table.rows:
        met, not_met, na = expected[row[0]]
        assert row[1:4] == (str(met), str(not_met), str(na)), row
        assert row[4] == "0"
        assert row[5] == f"{met / (met + not_met) * 100:.1f}%"
    assert not [g for g in paper.gaps() if "audit" in g.what]


def test_without_loaded_findings_the_audit_leaves_a_marked_gap(tmp_path: Path) -> None:
    from test_report_render import fake_compute

    w = _finalised_world(tmp_path)
    w.con.close()
    paper = build_paper(
        tmp_path / "victims.duckdb", "2019-12", inputs=demo_inputs_dir(), compute=fake_compute
    )
    gap = next(g for g in paper.gaps() if g.what == "the auditors' findings for 2019Q4")
    assert "forcepack victims audit-results FILE" in gap.fix


@pytest.fixture(scope="module")
def demo_paper(demo_warehouse: Path) -> Any:
    return build_paper(demo_warehouse, "2019-12", inputs=demo_inputs_dir())


@pytest.fixture(scope="module")
def sql(demo_warehouse: Path) -> Any:
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    yield con
    con.close()


DEC = ("2019-12-01", "2020-01-01")
YEAR = ("2019-01-01", "2020-01-01")
YEAR_BEFORE = ("2018-01-01", "2019-01-01")


def _n(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.mark.slow
def test_demo_figures_sit_under_their_commitments(demo_paper: Any) -> None:
    for key, number in FIGURES_UNDER.items():
        s, blocks = _under(demo_paper, key)
        assert s.number == number, key
        assert not any(isinstance(b, Gap) and "could not be computed" in b.reason for b in blocks)


@pytest.mark.slow
def test_demo_civil_orders_agree_with_sql(demo_paper: Any, sql: Any) -> None:
    _, blocks = _under(demo_paper, "vulnerability.civil_orders")
    table = next(b for b in blocks if isinstance(b, Table))
    assert any(isinstance(b, Chart) for b in blocks)
    rows = {r[0]: r[1:] for r in table.rows}

    def by_type(span: tuple[str, str]) -> dict[str, int]:
        return dict(
            sql.execute(
                "SELECT order_type, count(*) FROM civil_orders WHERE applied_at >= ? AND "
                "applied_at < ? GROUP BY 1",
                list(span),
            ).fetchall()
        )

    month, year, before = by_type(DEC), by_type(YEAR), by_type(YEAR_BEFORE)
    for label, cells in rows.items():
        code = re.search(r"\((\w+)\)$", label)
        t = (
            code.group(1)
            if code
            else {
                "Disclosure scheme: right to ask": "DVDS_ask",
                "Disclosure scheme: right to know": "DVDS_tell",
            }.get(label)
        )
        if t is None:  # the total row
            assert [_n(c) for c in cells] == [
                sum(month.values()),
                sum(year.values()),
                sum(before.values()),
            ]
            continue
        assert [_n(c) for c in cells] == [month.get(t, 0), year.get(t, 0), before.get(t, 0)], label
    text = blocks[0].text
    assert (
        f"{sum(year.values()):,} civil orders" in text
        and f"against {sum(before.values()):,}" in text
    )


@pytest.mark.slow
def test_demo_bail_share_agrees_with_sql(demo_paper: Any, sql: Any) -> None:
    bailed, decisions = sql.execute(
        "SELECT count(*) FILTER (WHERE e.event_type = 'bail'), count(*) "
        "FROM investigation_events e JOIN crimes c USING (crime_id) WHERE c.domestic_abuse "
        "AND e.event_type IN ('bail', 'released_under_investigation') "
        "AND e.event_at >= ? AND e.event_at < ?",
        list(DEC),
    ).fetchone()
    text = demo_paper.by_key("investigations.da_bail").text
    assert f"{bailed / decisions * 100:.1f}% were bail ({decisions:,} decisions;" in text
    assert "p =" not in text and "significant" not in text


@pytest.mark.slow
def test_demo_missing_children_agree_with_sql(demo_paper: Any, sql: Any) -> None:
    def count(span: tuple[str, str], where: str) -> int:
        return int(
            sql.execute(
                f"SELECT count(*) FROM missing_episodes WHERE {where} AND reported_at >= ? "
                "AND reported_at < ?",
                list(span),
            ).fetchone()[0]
        )

    _s, blocks = _under(demo_paper, "vulnerability.missing_children")
    text = blocks[0].text
    assert text.startswith(
        f"{count(YEAR, 'age < 18'):,} missing children reports were made in the 12 months "
        f"ending December 2019, against {count(YEAR_BEFORE, 'age < 18'):,}"
    )
    table = next(b for b in blocks if isinstance(b, Table))
    three = dict(
        sql.execute(
            "SELECT d.district_name, count(*) FROM missing_episodes m JOIN districts d "
            "USING (district_code) WHERE m.from_care_home AND m.reported_at >= '2019-10-01' "
            "AND m.reported_at < '2020-01-01' GROUP BY 1"
        ).fetchall()
    )
    assert {r[0]: _n(r[1]) for r in table.rows if _n(r[1])} == three
    care = next(b for b in blocks[1:] if isinstance(b, Paragraph))
    top = sorted(three, key=lambda d: (-three[d], d))[:2]
    assert all(d in care.text for d in top) and "episodes, not call-outs" in care.text


@pytest.mark.slow
def test_demo_audit_sample_sentence_agrees_with_sql(demo_paper: Any, sql: Any) -> None:
    (eligible,) = sql.execute(
        "SELECT count(*) FROM crimes c JOIN crime_victims v USING (crime_id) WHERE "
        "c.status = 'finalised' AND c.outcome_at >= '2019-10-01' AND c.outcome_at < '2020-01-01'"
    ).fetchone()
    text = demo_paper.by_key("victims.audit").text
    assert f"takes 30 of the {eligible:,} cases finalised in the quarter" in text


@pytest.mark.slow
def test_demo_harm_table_has_no_ids_and_adds_up(demo_paper: Any) -> None:
    _, blocks = _under(demo_paper, "harm.lists")
    text = blocks[0].text
    named = int(re.search(r"lists name ([\d,]+) victims", text).group(1).replace(",", ""))  # type: ignore[union-attr]
    table = next(b for b in blocks if isinstance(b, Table))
    assert sum(_n(r[3]) for r in table.rows) == named
    assert re.search(r"about [\d.]+ million days of harm|about [\d,]+ days of harm", text)
