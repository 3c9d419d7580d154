"""The board paper as PDF through WeasyPrint: A4, page numbers, the marking on every page."""

from __future__ import annotations

from pathlib import Path

from forcepack.pdf import FIXED_DATE, pdf_from_html
from forcepack.report.model import Paper
from forcepack.report.render_html import html_string


def _page_css(paper: Paper) -> str:
    marking = paper.cover.marking.value
    footer = f"{paper.cover.meeting} \u2002 Agenda Item {paper.cover.agenda_item}"
    font = '"DejaVu Sans", Arial, sans-serif'
    return f"""
@page {{
  size: A4; margin: 22mm 20mm 22mm 20mm; font-family: {font};
  @top-center {{ content: "{marking}"; font-family: {font}; font-size: 9pt; font-weight: bold; }}
  @bottom-left {{ content: "{footer}\\A {paper.cover.date}"; white-space: pre;
                  font-family: {font}; font-size: 8pt; color: #333; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
                   font-family: {font}; font-size: 8pt; color: #333; }}
  @bottom-center {{ content: "{marking}"; font-family: {font}; font-size: 9pt; font-weight: bold; }}
}}
/* page 1 carries its marking once, beside the agenda item on the cover */
@page :first {{ @top-center {{ content: none; }} }}
body {{ font-size: 10pt; }}
h2 {{ break-after: avoid; }} h3, h4 {{ break-after: avoid; }}
table {{ break-inside: auto; }} tr {{ break-inside: avoid; }}
"""


def pdf_html(paper: Paper) -> str:
    """The page the paper's PDF is laid out from: the HTML paper with the page rules."""
    return html_string(paper, extra_css=_page_css(paper), created=FIXED_DATE)


def pdf_bytes(paper: Paper) -> bytes:
    """The paper as PDF bytes (metadata dates fixed, so output depends only on the paper)."""
    return pdf_from_html(pdf_html(paper))


def render_pdf(paper: Paper, path: str | Path) -> Path:
    """Write the paper as PDF; returns the path (:func:`forcepack.report.write_paper` can lay
    it out in a process of its own instead)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(paper))
    return path
