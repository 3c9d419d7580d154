"""The board paper as a Word file through python-docx: real headings, tables and images.

The same inputs give the same bytes: core properties carry a fixed date and the zip entries are
rewritten with a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from forcepack.report.charts import to_png
from forcepack.report.format import typographic
from forcepack.report.model import Chart, Gap, Paper, Paragraph, ParagraphStyle, Section, Table

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_ZIP_DATE = (2000, 1, 1, 0, 0, 0)
_INDENT = Cm(1.4)


def _field(paragraph: Any, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _header_footer(doc: Any, paper: Paper) -> None:
    section = doc.sections[0]
    # A4, like the PDF (python-docx's default template is US Letter)
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.0)
    head = section.header.paragraphs[0]
    head.text = paper.cover.marking.value
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.runs[0].bold = True
    foot = section.footer.paragraphs[0]
    foot.text = f"{paper.cover.marking.value}    {paper.cover.meeting}    Agenda Item "
    foot.add_run(f"{paper.cover.agenda_item}    Page ")
    _field(foot, "PAGE")
    foot.add_run(" of ")
    _field(foot, "NUMPAGES")
    for run in foot.runs:
        run.font.size = Pt(8)


def _para(doc: Any, block: Paragraph) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.left_indent = _INDENT
    fmt.space_after = Pt(6)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if block.number:
        fmt.first_line_indent = -_INDENT
        fmt.tab_stops.add_tab_stop(_INDENT)
        p.add_run(f"{block.number}\t")
    run = p.add_run(block.text)
    run.italic = block.style == ParagraphStyle.QUOTE


def _table(doc: Any, block: Table) -> None:
    cap = doc.add_paragraph()
    cap.paragraph_format.left_indent = _INDENT
    cap.add_run(block.caption).bold = True
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(8.5)
    if block.note:
        note = doc.add_paragraph()
        note.paragraph_format.left_indent = _INDENT
        note.add_run(block.note).font.size = Pt(8)


def _chart(doc: Any, block: Chart) -> None:
    doc.add_picture(io.BytesIO(to_png(block.svg)), width=Cm(15))
    pic = doc.paragraphs[-1]
    pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for el in pic._p.iter(qn("wp:docPr")):
        el.set("descr", block.alt)
        el.set("title", block.title)
    cap = doc.add_paragraph()
    cap.paragraph_format.left_indent = _INDENT
    text = block.title + (f". {block.caption}" if block.caption else "")
    r = cap.add_run(text)
    r.font.size = Pt(8)
    r.italic = True


def _gap(doc: Any, block: Gap) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = _INDENT
    r = p.add_run(f"Missing input: {typographic(block.what)}. ")
    r.bold = True
    r.font.color.rgb = RGBColor(0xB3, 0x59, 0x00)
    p.add_run(f"{typographic(block.reason)} To complete this section: {block.fix}")


def _blocks(doc: Any, section: Section) -> None:
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _para(doc, block)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Chart):
            _chart(doc, block)
        elif isinstance(block, Gap):
            _gap(doc, block)


def _section(doc: Any, section: Section, level: int) -> None:
    number = f"{section.number}.0" if level == 1 else section.number
    title = f"‘{section.title}’" if section.quote_title else section.title
    doc.add_heading(f"{number}  {title}", level=level)
    _blocks(doc, section)
    for sub in section.subsections:
        _section(doc, sub, min(level + 1, 3))


def docx_bytes(paper: Paper) -> bytes:
    """The paper as .docx bytes, identical for identical papers."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10.5)
    props = doc.core_properties
    props.title = paper.cover.title
    props.author = paper.cover.from_
    props.last_modified_by = paper.cover.from_
    props.created = props.modified = props.last_printed = FIXED_DATE
    props.revision = 1
    props.keywords = paper.cover.marking.value
    props.comments = (
        f"forcepack {paper.provenance.forcepack_version}; data {paper.provenance.data_hash}"
        if paper.provenance
        else ""
    )
    _header_footer(doc, paper)
    meta = doc.add_table(rows=1, cols=2)
    left, right = meta.rows[0].cells
    left.text = paper.cover.marking.value
    right.text = f"Agenda Item {paper.cover.agenda_item}"
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in (left, right):
        cell.paragraphs[0].runs[0].bold = True
    for label, value in (
        ("To", paper.cover.to),
        ("From", paper.cover.from_),
        ("Date", paper.cover.date),
    ):
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    doc.add_heading(paper.cover.title, level=0)
    for section in paper.sections:
        _section(doc, section, 1)
    if paper.definitions:
        doc.add_heading("Appendix A: Measures used in this paper", level=1)
        _table(
            doc,
            Table(
                caption="Measure definitions",
                columns=("Measure", "Definition"),
                rows=tuple(
                    (f"{d.title} ({d.measure_id})", d.definition) for d in paper.definitions
                ),
            ),
        )
    if paper.footnotes:
        doc.add_heading("Notes", level=1)
        for i, note in enumerate(paper.footnotes, 1):
            doc.add_paragraph(f"{i}. {note}")
    if paper.provenance:
        prov = paper.provenance
        doc.add_heading("Provenance", level=1)
        built = (
            f"This paper was built from data loaded on {prov.loaded_on}, for {prov.month}."
            if prov.loaded_on
            else "This paper was built from data written directly into the warehouse (no "
            f"loads are recorded in its load log), for {prov.month}."
        )
        lines = [
            built,
            f"Built by forcepack {prov.forcepack_version}"
            + (f" (revision {prov.git_revision})" if prov.git_revision else ""),
            f"Reporting month: {prov.month}",
            f"Data hash: {prov.data_hash}",
        ]
        if prov.inputs:
            lines.append("Force-written inputs: " + "; ".join(prov.inputs))
        for line in lines:
            doc.add_paragraph(line)
        if prov.loads:
            _table(
                doc,
                Table(
                    caption="Loads the warehouse was built from",
                    columns=("Table", "File", "Rows loaded", "SHA-256", "Loaded"),
                    rows=tuple(
                        (
                            ld.table_name,
                            ld.file_name,
                            f"{ld.rows_loaded:,}",
                            ld.sha256[:12],
                            ld.finished_at,
                        )
                        for ld in prov.loads
                    ),
                ),
            )
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps so identical content gives identical bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(paper: Paper, path: str | Path) -> Path:
    """Write the paper as a Word file; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docx_bytes(paper))
    return path
