"""Rendering a paper built from hand-made measure results: HTML, PDF and Word.

The measures are stood in for by ``fake_compute`` (deterministic series per measure, window
and cut), so these tests check the model, the renderers and the gaps without the demo force.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import subprocess
import zlib
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from docx import Document
from PIL import Image

from forcepack.report import build_paper
from forcepack.report.inputs import demo_inputs_dir
from forcepack.report.model import Chart, Gap, Paragraph
from forcepack.report.render_docx import docx_bytes
from forcepack.report.render_html import html_string
from forcepack.report.render_pdf import pdf_bytes

pytestmark = pytest.mark.slow  # each test builds or renders a whole paper (seconds each)

VALUES = {
    "area": ["North", "South"],
    "district": [
        "Peterborough",
        "Fenland",
        "Cambridge",
        "East Cambridgeshire",
        "Huntingdonshire",
        "South Cambridgeshire",
    ],
    "crime_group": ["burglary", "violent_crime", "vehicle_crime", "hate_crime", "other"],
    "call_type_category": ["domestic_abuse", "burglary_dwelling", "violence", "other"],
    "crime_flag": [
        "domestic_abuse",
        "hate_crime",
        "child_sexual_abuse",
        "child_sexual_exploitation",
        "serious_sexual_offence",
    ],
    "order_type": ["DVPN", "DVPO", "SPO", "SHPO", "DVDS_ask", "DVDS_tell"],
}
COUNTS = (
    "satisfaction.victims",
    "crime.",
    "demand.calls",
    "demand.response_incidents",
    "investigations.overdue",
    "vulnerability",
)


def fake_compute(
    ids: list[str],
    *,
    con: object = None,
    window: str = "month",
    by: tuple[str, ...] = (),
    **_: object,
) -> pd.DataFrame:
    """Sixty months (2015-2019) of plausible values for any measure, window and cut."""
    ends = [(pd.Timestamp(2015, 1, 1) + pd.offsets.MonthEnd(i + 1)).date() for i in range(60)]
    frames = []
    for mid in ids:
        groups: list[tuple[str, ...]] = [()]
        for d in by:
            groups = [(*g, v) for g in groups for v in VALUES[d]]
        for g in groups:
            rng = np.random.default_rng(zlib.crc32(f"{mid}|{window}|{g}".encode()))
            k, t = len(ends), np.arange(len(ends))
            nan = np.full(k, np.nan)
            if "median" in mid:
                value = 20 + 100 * ("prompt" in mid) + rng.normal(0, 3, k)
                num, den, n = nan, nan, np.full(k, 300)
            elif mid.startswith(COUNTS) and "per_1000" not in mid:
                value = np.round(800 / len(groups) + t * 3 + rng.normal(0, 20, k)).clip(1)
                num, den, n = value, nan, value
            elif "average_length" in mid or "per_1000" in mid:
                value, num, den, n = 60 + rng.normal(0, 2, k), nan, nan, np.full(k, 100)
            else:
                den = np.round(1300 / len(groups) + rng.normal(0, 5, k)).clip(5)
                num = np.round(den * (0.75 + 0.05 * np.sin(t / 5) + rng.normal(0, 0.01, k)))
                value, n = num / den, den
            df = pd.DataFrame({"measure_id": mid, "period_end": ends, "window": window})
            for d, v in zip(by, g, strict=True):
                df[d] = v
            df["value"], df["numerator"], df["denominator"], df["n"] = value, num, den, n
            frames.append(df)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from force_helpers import create_force

    return create_force(tmp_path_factory.mktemp("report") / "warehouse.duckdb")


@pytest.fixture(scope="module")
def paper(warehouse: Path):  # type: ignore[no-untyped-def]
    return build_paper(
        warehouse, "2019-12", inputs=demo_inputs_dir(), compute=fake_compute, revision="abc1234"
    )


@pytest.fixture(scope="module")
def html(paper) -> str:  # type: ignore[no-untyped-def]
    return html_string(paper)


def test_paper_has_the_seed_structure(paper) -> None:  # type: ignore[no-untyped-def]
    titles = [f"{s.number} {s.title}" for s in paper.sections]
    assert titles == [
        "1 Purpose",
        "2 Recommendation",
        "3 Background",
        "4 Performance Meeting Updates",
        "5 Priority Updates",
        "6 Victim Updates",
        "7 Highlighted Good Practice",
        "8 Recommendation",
    ]
    subs = [s.title for s in paper.sections[3].subsections]
    assert subs == [
        "Strategic measures",
        "National Context",
        "Performance Headlines and Department Updates",
    ]
    assert [s.title for s in paper.sections[4].subsections] == [
        "Domestic Abuse",
        "Child Abuse and Child Exploitation",
        "Serious Sexual Offences",
    ]
    assert re.match(
        r"[\d,]+ victims of crime were surveyed in the 12 months ending December 2019, with "
        r"\d+\.\d% of survey respondents at least fairly satisfied",
        paper.by_key("satisfaction.overall").text,
    )
    # the empty warehouse has no victim care tables: the only gaps (4.3's paragraph, and the
    # Hub, Victims' Code and audit figures of section 6), each saying how to fill it
    gaps = paper.gaps()
    assert [g.what for g in gaps] == [
        "victim care compliance",
        "Hub referral",
        "Victims' Code compliance by entitlement",
        "the Victims' Code audit sample",
    ]
    assert all("forcepack victims build" in g.fix for g in gaps)
    assert paper.cover.date == "25th February 2020"  # from the demo inputs' board_date


def test_html_is_one_self_contained_file(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert html.count('<img src="data:image/svg+xml;base64,') >= 4
    for encoded in re.findall(r"base64,([A-Za-z0-9+/=]+)", html):
        svg = base64.b64decode(encoded).decode("utf-8")
        links = re.findall(r"https?://[^\s\"']+", svg)
        assert set(links) <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
        assert "url(http" not in svg and "@import" not in svg
    assert re.search(
        r'<p class="para body" id="p4\.1\.2"[^>]*><span class="num">4\.1\.2</span>', html
    )
    assert '<td class="marking">OFFICIAL</td>' in html
    assert "Agenda Item 9.1" in html


def test_every_chart_has_alt_text(paper, html: str) -> None:  # type: ignore[no-untyped-def]
    charts = [b for s in paper.all_sections() for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) >= 4
    for c in charts:
        assert len(c.alt) > 40 and c.svg.lstrip().startswith("<svg")
        assert f'alt="{c.alt}"' in html.replace("&#39;", "'")


def test_provenance_block(paper, html: str, warehouse: Path) -> None:  # type: ignore[no-untyped-def]
    from forcepack.warehouse import connect, data_hash

    p = paper.provenance
    con = connect(warehouse)
    try:
        assert p.data_hash == data_hash(con)
    finally:
        con.close()
    assert p.git_revision == "abc1234" and p.month == "December 2019"
    assert f'<dd class="id">{p.data_hash}</dd>' in html
    assert "paper.toml" in p.inputs and "national.csv" in p.inputs


def test_appendix_defines_every_measure_used(paper) -> None:  # type: ignore[no-untyped-def]
    ids = {d.measure_id for d in paper.definitions}
    assert {"satisfaction.overall", "crime.recorded", "response.prompt.median_minutes"} <= ids
    assert all(d.definition for d in paper.definitions)


def test_missing_inputs_leave_marked_gaps_not_a_crash(warehouse: Path) -> None:
    bare = build_paper(
        warehouse,
        "2019-12",
        inputs=None,
        compute=fake_compute,
        revision=None,
        paper_date=dt.date(2020, 3, 3),
    )
    assert bare.cover.date == "3rd March 2020"  # --date wins over every default
    assert bare.cover.agenda_item == "[agenda item]"  # a visible placeholder, not a guess
    gaps = {g.what for g in bare.gaps()}
    assert "national and regional context" in gaps
    assert "domestic abuse update" in gaps and "good practice update" in gaps
    html = html_string(bare)
    assert html.count('<div class="gap" role="note">') == len(bare.gaps())
    assert "Missing input: national and regional context." in html
    assert bare.by_key("satisfaction.overall")  # the data paragraphs are still there


def test_missing_measure_results_become_gaps(warehouse: Path) -> None:
    def no_satisfaction(ids, **kw):  # type: ignore[no-untyped-def]
        df = fake_compute(ids, **kw)
        return df.iloc[0:0] if ids[0].startswith("satisfaction.") else df

    paper = build_paper(warehouse, "2019-12", inputs=demo_inputs_dir(), compute=no_satisfaction)
    gaps = [g for g in paper.gaps() if isinstance(g, Gap)]
    assert any(g.what == "victim satisfaction (overall)" for g in gaps)
    assert "satisfaction.overall" in gaps[0].reason
    assert paper.by_key("response.grades").number == "4.1.2"  # the next paragraph moves up
    assert paper.by_key("response.grades").text.startswith("The median time to respond")


def test_a_missing_sub_sentence_leaves_a_marked_gap(warehouse: Path) -> None:
    dropped = ("demand.abandonment_secondary", "vulnerability.care_home_callouts")

    def without(ids, **kw):  # type: ignore[no-untyped-def]
        df = fake_compute(ids, **kw)
        return df.iloc[0:0] if ids[0] in dropped else df

    paper = build_paper(warehouse, "2019-12", inputs=demo_inputs_dir(), compute=without)
    gaps = {g.what: g for g in paper.gaps()}
    assert "demand.abandonment_secondary" in gaps["secondary call abandonment"].reason
    assert (
        "This sentence was left out"
        in gaps["missing-person episodes from children's care homes"].reason
    )
    # the paragraphs they belong to are still there, without the missing sentence
    assert " 999 calls were received in December" in paper.by_key("demand.calls").text
    assert "secondary calls were abandoned" not in paper.by_key("demand.calls").text
    assert "care homes" not in paper.by_key("crime.child_sexual_abuse").text


def test_same_inputs_give_the_same_bytes(warehouse: Path, paper) -> None:  # type: ignore[no-untyped-def]
    again = build_paper(
        warehouse, "2019-12", inputs=demo_inputs_dir(), compute=fake_compute, revision="abc1234"
    )
    assert again == paper
    assert html_string(again) == html_string(paper)
    assert docx_bytes(again) == docx_bytes(paper)


def test_word_file_has_headings_tables_and_images(paper) -> None:  # type: ignore[no-untyped-def]
    doc = Document(io.BytesIO(docx_bytes(paper)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for h in (
        "1.0  Purpose",
        "4.1  Strategic measures",
        "5.1  Domestic Abuse",
        "8.0  Recommendation",
        "Appendix A: Measures used in this paper",
        "Provenance",
    ):
        assert h in headings
    assert len(doc.tables) >= 6  # cover, satisfaction, districts, incidents, crime, appendix
    charts = [b for s in paper.all_sections() for b in s.blocks if isinstance(b, Chart)]
    assert len(doc.inline_shapes) == len(charts)
    descr = [
        el.get("descr")
        for el in doc.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert descr == [c.alt for c in charts]
    assert doc.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert doc.core_properties.created.year == 2000  # fixed, not the clock


def test_pdf_pages_render_and_are_not_blank(paper, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "paper.pdf"
    data = pdf_bytes(paper)
    pdf.write_bytes(data)
    assert data == pdf_bytes(paper)  # repeatable bytes
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    n_pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    assert len(pages) == n_pages >= 6
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    for i, page in enumerate(pages):
        # every page carries body text beyond its running header and footer (3 lines) ...
        lines = [ln for ln in text[i].splitlines() if ln.strip()]
        assert len(lines) > 6, f"{page.name} has no body text"
        # ... and every full page is visibly inked (the last page may be a short one)
        grey = np.asarray(Image.open(page).convert("L"))
        if i < len(pages) - 1:
            assert (grey < 128).mean() > 0.003, (
                f"{page.name} looks blank"
            )  # a page of notes inks ~0.5%


def test_victim_care_paragraph_from_the_compliance_summary(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forcepack.summaries as summaries
    from forcepack.report.build_victims import victim_care
    from forcepack.summaries import Pair, Rate
    from forcepack.warehouse import connect

    class Summary:  # the fields the paragraph reads
        vcc_compliance = Pair(Rate(912, 1000), Rate(9560, 10000))
        code_compliance = Pair(Rate(846, 1000), Rate(9000, 10000))  # every entitlement
        code_compliance_by_entitlement: ClassVar[dict[str, Pair]] = {
            "key_event_contact": Pair(Rate(188, 200), Rate(2000, 2100)),
            "monthly_update": Pair(Rate(658, 800), Rate(7000, 7900)),
        }
        hub_referral_rate = Pair(Rate(918, 1000), Rate(9000, 10000))

    class NoKeyEvents(Summary):
        code_compliance_by_entitlement: ClassVar[dict[str, Pair]] = {}

    monkeypatch.setattr(summaries, "victim_care_summary", lambda con, month: Summary())
    con = connect(warehouse)
    try:
        para = victim_care(con, pd.Timestamp(2019, 12, 31).date())
        monkeypatch.setattr(summaries, "victim_care_summary", lambda con, month: NoKeyEvents())
        all_ = victim_care(con, pd.Timestamp(2019, 12, 31).date())
        monkeypatch.setattr(
            summaries,
            "victim_care_summary",
            lambda con, month: type(
                "Empty",
                (),
                {
                    "vcc_compliance": Pair(Rate(0, 0), Rate(0, 0)),
                    "code_compliance": Pair(Rate(0, 0), Rate(0, 0)),
                },
            )(),
        )
        gap = victim_care(con, pd.Timestamp(2019, 12, 31).date())
    finally:
        con.close()
    # "key events notified within time" counts key event obligations only (188 of 200), not
    # every Victims' Code entitlement (846 of 1,000)
    assert para.text == (
        "Victim care contract compliance was 91.2% in December 2019 (1,000 contacts due) and "
        "95.6% over the 12 months ending December 2019. Victims’ Code compliance, key events "
        "notified to the victim within time, was 94.0% in December (n = 200 key event "
        "notifications due); 91.8% of victims were referred to the Victim and Witness Hub."
    )
    assert isinstance(all_, Paragraph)
    assert "over all entitlements due was 84.6% in December (n = 1,000 obligations)" in all_.text
    assert "key events" not in all_.text
    assert isinstance(gap, Gap) and "forcepack victims build" in gap.fix
