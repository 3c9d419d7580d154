"""The board paper: the monthly Victims update as HTML, PDF and Word, written from the data.

``build_paper(db, month)`` gathers the measures, statistics and force-written inputs into a
:class:`~forcepack.report.model.Paper`; ``render_html``, ``render_pdf`` and ``render_docx``
write it out. ``write_paper`` does both for the formats asked for.
"""

from __future__ import annotations

from forcepack.report.build import BuildOptions, build_paper, write_paper
from forcepack.report.model import Paper
from forcepack.report.render_docx import render_docx
from forcepack.report.render_html import render_html
from forcepack.report.render_pdf import render_pdf

__all__ = [
    "BuildOptions",
    "Paper",
    "build_paper",
    "render_docx",
    "render_html",
    "render_pdf",
    "write_paper",
]
