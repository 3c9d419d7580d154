"""Board-quality layout, checked in fragments of the rendered paper: charts with a headline
title, axis titles and a table alternative, value labels on bar charts, measure ids that break
only between words, one apostrophe, an A4 Word file with the agenda line, a compact annex and
provenance worded for a board."""

from __future__ import annotations

import html as htmllib
import io
import re
from typing import Any

import pytest
from docx import Document

from forcepack.report import build_paper
from forcepack.report.inputs import demo_inputs_dir
from forcepack.report.model import Chart
from forcepack.report.render_docx import docx_bytes
from forcepack.report.render_html import html_string, stylesheet

pytestmark = pytest.mark.slow  # each test builds and renders a paper (seconds each)


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from force_helpers import create_force
    from test_report_render import fake_compute

    w = create_force(tmp_path_factory.mktemp("layout") / "warehouse.duckdb")
    return build_paper(w, "2019-12", inputs=demo_inputs_dir(), compute=fake_compute)


@pytest.fixture(scope="module")
def html(paper: Any) -> str:
    return html_string(paper)


def _charts(paper: Any) -> list[Chart]:
    return [b for s in paper.all_sections() for b in s.blocks if isinstance(b, Chart)]


def test_every_chart_has_a_headline_axis_titles_and_a_table_alternative(
    paper: Any, html: str
) -> None:
    charts = _charts(paper)
    assert len(charts) >= 6
    figures = re.findall(r'<figure class="chart">(.*?)</figure>', html, re.S)
    assert len(figures) == len(charts)
    for chart, fig in zip(charts, figures, strict=True):
        # the headline title above the picture, the caption (what it shows) below
        assert fig.index('class="chart-title"') < fig.index("<img")
        assert htmllib.unescape(re.search(r'class="chart-title">(.*?)</p>', fig).group(1)) == (  # type: ignore[union-attr]
            chart.title
        )
        # a table of the chart's data beside it, one row per point or bar
        assert chart.table is not None and chart.table.rows
        assert fig.count("<tr>") == len(chart.table.rows) + 1
        # the value axis has a title (its unit)
        assert re.search(r'aria-label="Y-axis titled|aria-label="X-axis titled', chart.svg)
    # the table alternative is for the screen; the printed paper has the picture
    assert re.search(r"@media print \{[^}]*details\.chart-data", stylesheet())


def test_bar_charts_label_their_values(paper: Any) -> None:
    bars = [c for c in _charts(paper) if "bar chart" in c.alt]
    assert bars
    for chart in bars:
        assert chart.table is not None
        for _, label in chart.table.rows:
            assert f">{label}</text>" in chart.svg, (chart.title, label)


def test_measure_ids_break_only_between_words(paper: Any, html: str) -> None:
    annex = html[html.index('id="appendix"') :]
    for d in paper.definitions:
        shown = d.measure_id.replace(".", ".<wbr>").replace("_", "_<wbr>")
        assert f'<span class="id">{shown}</span>' in annex
    css = stylesheet()
    assert "break-all" not in css and "overflow-wrap: anywhere" not in css


def test_one_apostrophe(html: str) -> None:
    main = html[html.index("<main") :]
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="[^"]*"', "", main)))
    assert not re.findall(r".{30}\w'.{30}", text)


def test_provenance_is_worded_for_a_board(html: str) -> None:
    prov = html[html.index('id="provenance"') :]
    assert "This paper was built from data" in prov and "for December 2019." in prov


def test_word_file_is_a4_with_the_agenda_line(paper: Any) -> None:
    doc = Document(io.BytesIO(docx_bytes(paper)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    cover = doc.tables[0].rows[0].cells
    assert cover[0].text == "OFFICIAL" and cover[1].text.startswith("Agenda Item ")
    annex = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure")
    assert len(annex.columns) == 2  # a compact annex: the id beside the measure's name
