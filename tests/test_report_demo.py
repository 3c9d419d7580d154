"""The demo force's December 2019 paper states each calibration figure with the right words.

Built once through the command line (``forcepack report``) from the session demo warehouse.
Tolerances follow docs/calibration.md: percentages within 1.0 point, medians within 3 minutes,
counts and comparisons as stated.
"""

from __future__ import annotations

import html as htmllib
import io
import re
from pathlib import Path

import pytest
from docx import Document

from forcepack.cli.main import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("paper")
    main(
        [
            "report",
            "--month",
            "2019-12",
            "--db",
            str(demo_warehouse),
            "--inputs",
            "demo",
            "--out",
            str(folder),
            "--format",
            "html,docx",
        ]
    )
    return folder


@pytest.fixture(scope="module")
def text(out: Path) -> dict[str, str]:
    """The HTML's numbered paragraphs as plain text (without their numbers), by paper spec key."""
    raw = (out / "board-paper-2019-12.html").read_text("utf-8")
    found = re.findall(r'<p class="para[^>]*data-key="([^"]+)"[^>]*>(.*?)</p>', raw, re.S)
    out_: dict[str, str] = {}
    for key, body in found:
        body = re.sub(r'<span class="num">[^<]*</span>', "", body)
        out_[key] = htmllib.unescape(" ".join(re.sub("<[^>]+>", "", body).split()))
    return out_


def para(text: dict[str, str], key: str) -> str:
    assert key in text, f"paragraph {key} is missing"
    return text[key]


def pct(s: str) -> float:
    return float(s.rstrip("%"))


def test_no_gaps_in_the_demo_paper_but_unbuilt_victim_care(out: Path) -> None:
    # The session warehouse does not run `forcepack victims build`; every other input is there.
    raw = htmllib.unescape((out / "board-paper-2019-12.html").read_text("utf-8"))
    gaps = re.findall(r"<strong>Missing input: ([^<]*)\.</strong>", raw)
    # the auditors' findings are the force's to load (forcepack victims audit-results)
    assert set(gaps) <= {"victim care compliance", "the auditors’ findings for 2019Q4"}
    assert "The figures could not be computed" not in raw
    if "victim care compliance" in gaps:
        assert "run `forcepack victims build`" in raw
    if "the auditors’ findings for 2019Q4" in gaps:
        assert "forcepack victims audit-results FILE" in raw


def test_overall_satisfaction_figures_1_and_2(text: dict[str, str]) -> None:
    p = para(text, "satisfaction.overall")
    m = re.match(
        r"([\d,]+) victims of crime were surveyed in the 12 months ending December 2019, with "
        r"(\d+\.\d)% of survey respondents at least fairly satisfied with overall service "
        r"delivery\. This is lower than both the 12 months ending December 2018 \((\d+\.\d)%\) "
        r"and September 2019 \((\d+\.\d)%\)",
        p,
    )
    assert m, p
    assert abs(int(m.group(1).replace(",", "")) - 1340) <= 10
    for got, seed in zip(m.groups()[1:], (76.5, 79.2, 77.5), strict=True):
        assert abs(float(got) - seed) <= 1.0
    # the month is judged on its p' chart and the claim's phrase says so; no test in the body
    assert re.search(r"Satisfaction in December alone was (within the usual range|a real)", p)
    assert "significant" not in p and "p =" not in p


def test_follow_up_range_figure_3(text: dict[str, str]) -> None:
    m = re.search(
        r"ranging from a low of (\d+\.\d)% to a high of (\d+\.\d)%",
        para(text, "satisfaction.follow_up"),
    )
    assert m
    assert abs(float(m.group(1)) - 61.3) <= 1.0 and abs(float(m.group(2)) - 71.3) <= 1.0
    assert para(text, "satisfaction.follow_up").startswith(
        "Follow up continues to attract the lowest levels"
    )


def test_ease_of_contact_figure_4(text: dict[str, str]) -> None:
    m = re.search(
        r"(\d+\.\d)% \(n = (\d+)\) in the latest 12 month period, lower than (\d+\.\d)% "
        r"\(n = (\d+)\) in the 12 months ending September 2019",
        para(text, "satisfaction.ease_of_contact"),
    )
    assert m
    assert abs(float(m.group(1)) - 92.3) <= 1.0 and abs(int(m.group(2)) - 915) <= 10
    assert abs(float(m.group(3)) - 93.3) <= 1.0 and abs(int(m.group(4)) - 945) <= 10


def test_burglary_satisfaction_figures_5_and_6(text: dict[str, str]) -> None:
    p = para(text, "satisfaction.burglary")
    assert p.startswith("Levels of satisfaction are higher for burglary victims")
    overall = re.search(r"December 2019, (\d+\.\d)% of burglary victims", p)
    follow = re.search(
        r"follow up was (\d+\.\d)% in the 12 months ending December 2019, "
        r"compared to (\d+\.\d)% at the end of September 2019",
        p,
    )
    assert overall and follow
    assert abs(float(overall.group(1)) - 84.3) <= 1.0
    assert abs(float(follow.group(1)) - 78.7) <= 1.0
    assert abs(float(follow.group(2)) - 75.6) <= 1.0
    assert re.search(r"with North \(\d+\.\d%\) above South \(\d+\.\d%\)", p)


def test_domestic_abuse_survey_figure_7(text: dict[str, str]) -> None:
    m = re.search(
        r"(\d+\.\d)% \(n = (\d+)\) of victims surveyed in the last 9 months.*"
        r"follow up was lower at (\d+\.\d)% \(n = (\d+)\)",
        para(text, "satisfaction.domestic_abuse"),
    )
    assert m
    assert abs(float(m.group(1)) - 81.8) <= 1.0 and abs(int(m.group(2)) - 162) <= 5
    assert abs(float(m.group(3)) - 59.4) <= 1.0 and abs(int(m.group(4)) - 111) <= 5
    body = para(text, "satisfaction.domestic_abuse")
    assert "uncertain by several points" in body  # uncertainty called out in the body ...
    assert "confidence interval" not in body  # ... its interval in the section's notes


def test_the_body_carries_no_test_p_value_or_interval(out: Path) -> None:
    raw = htmllib.unescape((out / "board-paper-2019-12.html").read_text("utf-8"))
    paragraphs = re.findall(r'<p class="([^"]*)"[^>]*data-key="([^"]+)"[^>]*>(.*?)</p>', raw, re.S)
    body = [re.sub("<[^>]+>", "", t) for cls, key, t in paragraphs if key != "notes"]
    notes = [re.sub("<[^>]+>", "", t) for cls, key, t in paragraphs if key == "notes"]
    pattern = re.compile(r"\bp [=<] 0|confidence interval|significan|Mann-Kendall|Poisson")
    assert body and not [t for t in body if pattern.search(t)]
    # the DA survey's interval is a note at the end of 4.1, numbered after its paragraph
    assert any(
        re.search(
            r"4\.1\.6 satisfaction\.da\.follow_up: satisfaction with follow up [\d.]+% to "
            r"[\d.]+% \(95% confidence interval",
            t,
        )
        for t in notes
    )


def test_response_times_figures_8_and_9(text: dict[str, str]) -> None:
    p = para(text, "response.grades")
    imm = re.search(r"immediate grade incidents was (\d+) minutes in December 2019", p)
    prm = re.search(r"For prompt grade incidents it was (\d+) minutes", p)
    assert imm and prm
    assert abs(int(imm.group(1)) - 18) <= 3 and abs(int(prm.group(1)) - 105) <= 3
    assert "Over two thirds of response incidents" in p


def test_incident_type_medians_and_delays_figures_10_and_11(text: dict[str, str]) -> None:
    burglary = re.search(
        r"dwelling burglary incidents was (\d+) minutes", para(text, "response.burglary")
    )
    assert burglary and abs(int(burglary.group(1)) - 191) <= 3
    assert re.search(
        r"higher in North \(\d+ minutes\) than in South", para(text, "response.burglary")
    )
    p = para(text, "response.domestic_abuse")
    da = re.search(r"domestic abuse incidents was (\d+) minutes", p)
    assert da and abs(int(da.group(1)) - 249) <= 3
    delay = re.search(
        r"In (\d+\.\d)% of delayed domestic abuse incident attendances in "
        r"December, non-availability of resources was cited",
        p,
    )
    assert delay and abs(float(delay.group(1)) - 54.0) <= 1.0
    assert p.endswith("the highest of any incident type.")
    nov = re.search(r"; (\d+\.\d)% in November", p)
    assert nov is None or abs(float(nov.group(1)) - 54.0) <= 1.0


def test_recorded_crime_figures_12_to_15(text: dict[str, str]) -> None:
    p = para(text, "crime.recorded")
    # The model paper says "fell"; recorded crime varies far more than Poisson counts, and by
    # its own moving ranges the demo's fall is ordinary: the paper says so, with both figures,
    # and names Peterborough's increase.
    mom = re.match(
        r"([\d,]+) crimes were recorded in December against ([\d,]+) in November, within the "
        r"usual range of month-to-month variation; Peterborough was the only district to record "
        r"more crimes than in November",
        p,
    )
    assert mom, p[:300]
    dec, nov = (int(g.replace(",", "")) for g in mom.groups())
    assert dec < nov
    m = re.search(
        r"Over (\d)00 more crimes were recorded in December 2019 than in the same "
        r"month last year \(([\d,]+) against ([\d,]+)\), (within the usual range|a real rise)",
        p,
    )
    assert m and m.group(1) == "7"
    diff = int(m.group(2).replace(",", "")) - int(m.group(3).replace(",", ""))
    assert 700 <= diff <= 799
    assert "above the upper limit of the long term benchmark for the second consecutive month" in p
    assert not re.search(r"significan|p [=<]|Poisson", p)
    growth = re.search(
        r"Cambridge and East Cambridgeshire both recorded double digit growth year "
        r"on year \(Cambridge (\d+\.\d)%; East Cambridgeshire (\d+\.\d)%\)",
        p,
    )
    assert growth and min(float(growth.group(1)), float(growth.group(2))) >= 10.0


def test_priority_crimes_figures_16_and_17(text: dict[str, str]) -> None:
    da = para(text, "crime.domestic_abuse")
    m = re.match(
        r"More than ([\d,]+) domestic abuse crimes were recorded in December \(([\d,]+)\); "
        r"the highest number recorded in a single month\.",
        da,
    )
    assert m and int(m.group(2).replace(",", "")) > 1000
    csa = re.match(
        r"(Almost|About) double the number of child sexual abuse crimes were recorded "
        r"in December 2019 \((\d+)\) than in the same month last year \((\d+)\)",
        para(text, "crime.child_sexual_abuse"),
    )
    assert csa and 1.8 <= int(csa.group(2)) / int(csa.group(3)) <= 2.2


def test_outcomes_figures_18_and_19(text: dict[str, str]) -> None:
    p = para(text, "outcomes.prosecution_possible")
    assert "prosecution possible outcome rate" in p
    m = re.search(r"rate of (\d+\.\d)% was the highest achieved in the last 12 months", p)
    assert m and abs(float(m.group(1)) - 11.7) <= 1.0
    r = re.search(r"The rolling 12 month rate remained unchanged at (\d+\.\d)%", p)
    assert r and abs(float(r.group(1)) - 9.7) <= 1.0


def test_calls_figures_20_and_21(text: dict[str, str]) -> None:
    p = para(text, "demand.calls")
    # calls vary tens of times more than Poisson counts: each move is judged by the series' own
    # moving ranges, and the 101 record low is still stated
    assert re.match(r"[\d,]+ 999 calls were received in December against [\d,]+ in November, ", p)
    assert re.search(r"[\d,]+ 101 calls were received, the lowest month in the data, against", p)
    assert not re.search(r"significan|p [=<]", p)


def test_word_file_opens_with_headings_and_tables(out: Path) -> None:
    doc = Document(io.BytesIO((out / "board-paper-2019-12.docx").read_bytes()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for h in (
        "1.0  Purpose",
        "4.2  National Context",
        "5.3  Serious Sexual Offences",
        "6.0  Victim Updates",
        "7.0  Highlighted Good Practice",
        "8.0  Recommendation",
    ):
        assert h in headings
    assert len(doc.tables) >= 6 and len(doc.inline_shapes) >= 5
    texts = "\n".join(p.text for p in doc.paragraphs)
    assert "Peterborough was the only district to record more crimes" in texts


def test_victim_care_figures_sit_under_their_commitments(out: Path) -> None:
    raw = htmllib.unescape((out / "board-paper-2019-12.html").read_text("utf-8"))
    at = {
        k: raw.index(f'<span class="num">{k}</span>') for k in ("6.2.2", "6.2.3", "6.3.2", "6.3.3")
    }
    table = raw.index("Victims’ Code compliance by entitlement, December 2019")
    assert at["6.3.2"] < table < at["6.3.3"]
    hub = raw.index("were referred to the Victim and Witness Hub (")
    assert at["6.2.2"] < hub < at["6.2.3"]
    assert re.search(
        r"Of the referrals due in December 2019, \d+\.\d% were made within 2 days", raw
    )
