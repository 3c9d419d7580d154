"""The board paper as PDF through WeasyPrint: A4, page numbers, the marking on every page."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from forcepack.report.model import Paper
from forcepack.report.render_html import html_string

#: A fixed creation date for the PDF metadata, so the same inputs give the same file.
FIXED_DATE = "2000-01-01T00:00:00Z"
FIXED_EPOCH = "946684800"  # the same instant, in seconds since 1970


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


def pdf_from_html(html: str) -> bytes:
    """PDF bytes of a self-contained HTML page (no external resources), with the metadata and
    font-subset dates fixed, so the output depends only on the page. The paper and the public
    pack both go through here."""
    with warnings.catch_warnings():
        # WeasyPrint warns at import when the system lacks libharfbuzz-subset (it falls back
        # to fontTools); the output is the same, so the notice is not an error here.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML  # imported here: WeasyPrint is slow to import

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # Embedded font subsets carry a "modified" timestamp; fontTools takes it from
    # SOURCE_DATE_EPOCH when set, which makes the bytes repeatable.
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        document = HTML(string=html, base_url=None).render()
        return bytes(document.write_pdf(uncompressed_pdf=False))
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def pdf_bytes(paper: Paper) -> bytes:
    """The paper as PDF bytes (metadata dates fixed, so output depends only on the paper)."""
    return pdf_from_html(html_string(paper, extra_css=_page_css(paper), created=FIXED_DATE))


def render_pdf(paper: Paper, path: str | Path) -> Path:
    """Write the paper as PDF; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(paper))
    return path
