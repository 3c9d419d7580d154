"""Gather measures, statistics and force-written inputs into the board paper model.

``build_paper(db, month)`` reads only: the measures (``forcepack.measures.compute``), the SPC
and survey tests, the harm summary where it exists, and the inputs folder. Anything missing
leaves a marked gap. The output depends only on its inputs: dates come from the month or the
inputs, never from the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from forcepack import __version__, calendar
from forcepack.contract.vocab import LoadStatus
from forcepack.errors import InputError
from forcepack.pdf import PdfProcess
from forcepack.report import format as fmt
from forcepack.report.build_performance import SOFT_ERRORS, updates
from forcepack.report.builders import AUTO, Context, Registered, Said, registry
from forcepack.report.data import Compute, MeasureData
from forcepack.report.inputs import Inputs, read_inputs
from forcepack.report.model import (
    Block,
    Chart,
    Claim,
    Cover,
    Definition,
    Gap,
    Load,
    Paper,
    Paragraph,
    ParagraphStyle,
    Provenance,
    Section,
)
from forcepack.report.narrative import say
from forcepack.report.notes import note_of
from forcepack.report.paper_spec import PaperSpec, ParagraphSpec, SectionSpec, read_spec
from forcepack.warehouse.core import require_warehouse

FORMATS = ("html", "pdf", "docx")
#: Most loads listed in the provenance block (the newest); the rest are counted.
MAX_LOADS = 40


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build a paper: the warehouse, the month and the force-written inputs."""

    db: Path
    month: dt.date
    inputs: Path | None = None
    paper_date: dt.date | None = None
    git_revision: str | None = None


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` (Monday 0) of a month."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def default_board_date(month: dt.date) -> dt.date:
    """The Board meets on the fourth Tuesday of the second month after the reporting month."""
    m = fmt.add_months(month, 2)
    return nth_weekday(m.year, m.month, 1, 4)


def default_meeting_date(month: dt.date) -> dt.date:
    """The Force Performance Meeting is on the third Monday of the following month."""
    m = fmt.add_months(month, 1)
    return nth_weekday(m.year, m.month, 0, 3)


def git_revision() -> str | None:
    """The short git revision of the forcepack source, when it runs from a checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def _provenance(
    con: duckdb.DuckDBPyConnection, month: dt.date, inputs: Inputs, revision: str | None
) -> Provenance:
    from forcepack.warehouse.core import data_hash

    digest = data_hash(con)
    try:
        rows = con.execute(
            "SELECT table_name, file_name, sha256, rows_loaded, "
            "strftime(finished_at, '%Y-%m-%d %H:%M') FROM load_log "
            "WHERE status = ? ORDER BY finished_at DESC, load_id LIMIT ?",
            [LoadStatus.LOADED.value, MAX_LOADS],
        ).fetchall()
    except duckdb.Error:
        rows = []
    loads = tuple(Load(str(t), str(f), str(s), int(n or 0), str(w or "")) for t, f, s, n, w in rows)
    latest = loads[0].finished_at[:10] if loads else ""
    loaded_on = fmt.long_date(dt.date.fromisoformat(latest)) if latest else None
    return Provenance(
        forcepack_version=__version__,
        git_revision=revision,
        data_hash=digest,
        month=fmt.month(month),
        loads=loads,
        inputs=inputs.files,
        loaded_on=loaded_on,
    )


def _definitions(used: Iterable[str]) -> tuple[Definition, ...]:
    try:
        from forcepack.measures import catalogue
    except ImportError:
        return ()
    specs = catalogue()
    return tuple(
        Definition(m, fmt.typographic(specs[m].title), fmt.typographic(specs[m].definition))
        for m in sorted(set(used))
        if m in specs
    )


def build_paper(
    db: str | Path,
    month: str | dt.date,
    *,
    inputs: str | Path | None = None,
    paper_date: dt.date | None = None,
    revision: str | None = None,
    compute: Compute | None = None,
    paper: str | Path | None = None,
) -> Paper:
    """Build the board paper for ``month`` (``YYYY-MM``) from the warehouse at ``db``.

    ``paper`` is a paper spec (:mod:`forcepack.report.paper_spec`); the shipped Victims paper
    when not given."""
    spec = read_spec(paper)
    db = require_warehouse(db)
    month = calendar.parse(month, "--month").last
    got = read_inputs(inputs)
    details = got.details
    board = paper_date or details.board_date or default_board_date(month)
    meeting = details.performance_meeting_date or default_meeting_date(month)
    from forcepack.warehouse import connect

    con = connect(db, read_only=True)
    try:
        return _build(con, month, got, board, meeting, revision, compute, spec)
    finally:
        con.close()


def _build(
    con: duckdb.DuckDBPyConnection,
    month: dt.date,
    got: Inputs,
    board: dt.date,
    meeting: dt.date,
    revision: str | None,
    compute: Compute | None,
    spec: PaperSpec,
) -> Paper:
    details = got.details
    from forcepack.warehouse.freshness import require_fresh

    # the paper refuses, in one line, to report harm or victim care from derived tables built
    # before the latest load, rather than print their figures under a new data hash
    require_fresh(con)
    provenance = _provenance(con, month, got, revision)
    data = MeasureData(con, compute)
    check_change_points(data, got, month)
    ctx = Context(data=data, con=con, month=month, inputs=got, board=board, meeting=meeting)
    claims: list[Claim] = []
    sections = assemble(spec, ctx, claims)
    cover = Cover(
        title=details.title,
        to=details.to,
        from_=details.from_,
        date=fmt.long_date(board),
        agenda_item=details.agenda_item,
    )
    return Paper(
        cover=cover,
        sections=sections,
        definitions=_definitions(data.used),
        provenance=provenance,
        claims=tuple(claims),
    )


def check_change_points(data: MeasureData, got: Inputs, month: dt.date) -> None:
    """Every change point declared in ``paper.toml`` lies inside its measure's monthly series
    (after its first month, no later than the reporting month); otherwise an error naming the
    measure and the month, before anything is built."""
    for c in got.details.change_points:
        frame = data.frame(c.measure, "month")
        months = sorted(frame["period_end"].dropna().unique()) if len(frame) else []
        months = [m for m in months if m <= fmt.month_end(month)]
        if not months or not (fmt.month_end(months[0]) < c.month <= fmt.month_end(months[-1])):
            span = f"{fmt.month(months[0])} to {fmt.month(months[-1])}" if months else "no months"
            raise InputError(
                f"paper.toml change point for {c.measure}: {fmt.month(c.month)} ({c.reason}) is "
                f"outside the measure's series ({span})",
                hint="declare a month after the series' first month and no later than the "
                "reporting month, or remove the change point",
            )


def assemble(
    spec: PaperSpec, ctx: Context, claims: list[Claim] | None = None
) -> tuple[Section, ...]:
    """The paper's sections built from ``spec``: numbers from position, blocks from builders
    and slots, a marked gap where a builder's figures are missing. The judgements made are
    appended to ``claims`` in reading order."""
    reg = registry()
    got: list[Claim] = [] if claims is None else claims
    return tuple(_section(s, str(i), ctx, reg, got) for i, s in enumerate(spec.sections, start=1))


def _gap(what: str, err: Exception, where: str = "") -> Gap:
    at = f" (paragraph of paper spec {where})" if where else ""
    return Gap(
        what=what,
        reason=f"The figures could not be computed{at}: {err}.",
        fix="check that the warehouse holds data for the reporting month and that "
        "`forcepack measures compute` runs for the measures named.",
    )


#: Where one sentence ends and the next begins.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘(])")


def sentence_of(text: str, phrase: str, skip: int = 0) -> str | None:
    """The sentence of ``text`` that holds the ``skip``-th later occurrence of ``phrase`` (the
    first when 0), or None."""
    seen = 0
    for sentence in _SENTENCE.split(text):
        found = sentence.count(phrase)
        if seen + found > skip:
            return sentence
        seen += found
    return None


def _placed(said: Sequence[Said], blocks: Sequence[Block]) -> list[Claim]:
    """Each judgement a builder made, placed in the paragraph (or the chart caption after it)
    whose text holds its phrase; judgements with the same phrase take its occurrences in
    order. A judgement whose phrase no block says is not a claim of the paper (the builder
    judged, then left the sentence out) and is not listed."""
    out: list[Claim] = []
    taken: dict[str, int] = {}
    for j in said:
        number, key = None, None
        skip = taken.get(j.phrase, 0)
        taken[j.phrase] = skip + 1
        for block in blocks:
            text = None
            if isinstance(block, Paragraph):
                number, key, text = block.number, block.key, block.text
            elif isinstance(block, Chart):
                text = block.caption or ""
            if not text:
                continue
            sentence = sentence_of(text, j.phrase, skip)
            if sentence is not None:
                out.append(
                    Claim(number, key, sentence, j.phrase, j.measure_id, j.window, j.cut, j.record)
                )
                break
            skip -= text.count(j.phrase)
    return out


def _notes(notes: Sequence[str]) -> list[Block]:
    """The section's notes: how each of its judgements was reached (methods, limits,
    p-values) and the intervals and caveats its builders noted, in paragraph order."""
    if not notes:
        return []
    lines = [f"{i}. {t}" for i, t in enumerate(notes, start=1)]
    return [
        Paragraph(text=say("paper.notes.heading"), style=ParagraphStyle.NOTE, key="notes"),
        *(Paragraph(text=t, style=ParagraphStyle.NOTE, key="notes") for t in lines),
    ]


def _section(
    s: SectionSpec, number: str, ctx: Context, reg: dict[str, Registered], claims: list[Claim]
) -> Section:
    if s.builder is not None:
        made = reg[s.builder].make_section
        assert made is not None
        try:
            return replace(made(ctx, number), title=s.title)
        except SOFT_ERRORS as err:
            return Section(number, s.title, (_gap(reg[s.builder].what, err),))
    blocks: list[Block] = []
    notes: list[str] = []
    k = 0
    for p in s.paragraphs:
        first = True
        before = len(ctx.said)
        noted = len(ctx.noted)
        got: list[Block] = []
        for block in _paragraph(p, ctx, reg):
            if isinstance(block, Paragraph) and block.number == AUTO:
                k += 1
                key = p.key if first else f"{p.key}.{k}"
                first = False
                # under a quoted commitment (6.1.1) the paragraphs carry no number of their own
                block = replace(block, number=None if s.quote else f"{number}.{k}", key=key)
            got.append(block)
        placed = _placed(ctx.said[before:], got)
        if s.quote:  # a commitment's judgements are said under the commitment's number
            placed = [c if c.number else replace(c, number=number) for c in placed]
        claims.extend(placed)
        notes.extend(note_of(c) for c in placed)
        at = next((b.number for b in got if isinstance(b, Paragraph) and b.number), None) or number
        notes.extend(f"{at} {m}: {t}" for m, t in ctx.noted[noted:])
        blocks.extend(got)
        if p.builder is not None and p.key in ctx.inputs.why:
            # the force's own "why" for this data paragraph (updates/why/<key>.md)
            blocks.extend(
                Paragraph(text=t, number=None, key=f"why:{p.key}") for t in ctx.inputs.why[p.key]
            )
    blocks.extend(_notes(notes))
    subs = tuple(
        _section(sub, f"{number}.{j}", ctx, reg, claims)
        for j, sub in enumerate(s.sections, start=1)
    )
    return Section(number, s.title, tuple(blocks), subs, quote_title=s.quote)


def _paragraph(p: ParagraphSpec, ctx: Context, reg: dict[str, Registered]) -> list[Block]:
    if p.slot is not None:
        return updates(ctx.inputs, p.slot)
    assert p.builder is not None
    r = reg[p.builder]
    assert r.make is not None
    try:
        return r.make(ctx)
    except SOFT_ERRORS as err:
        return [_gap(r.what, err, p.where)]


def parse_formats(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"html,pdf"`` -> ``("html", "pdf")``; an unknown format is an input error."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise InputError(
            f"format {', '.join(bad) or '(none)'} is not one of {', '.join(FORMATS)}",
            hint="give --format as a comma-separated list, e.g. html,pdf,docx",
        )
    return out


def write_paper(
    paper: Paper,
    out: str | Path,
    formats: str | Sequence[str] = FORMATS,
    *,
    stem: str | None = None,
    pdf_process: PdfProcess | None = None,
) -> list[Path]:
    """Write the paper in each format to ``out``; returns the files written. With
    ``pdf_process`` (:class:`forcepack.pdf.PdfProcess`), the PDF is laid out there while the
    other formats are written here; the files are the same."""
    from forcepack.report.render_docx import render_docx
    from forcepack.report.render_html import render_html
    from forcepack.report.render_pdf import pdf_html, render_pdf

    out = Path(out)
    month = paper.provenance.month if paper.provenance else "paper"
    if stem is None:
        stem = (
            f"board-paper-{calendar.Month.from_label(month)}" if paper.provenance else "board-paper"
        )
    wanted = parse_formats(formats)
    pending = None
    if pdf_process is not None and "pdf" in wanted:
        pending = pdf_process.submit(pdf_html(paper))
    renderers = {"html": render_html, "pdf": render_pdf, "docx": render_docx}
    done = {
        f: renderers[f](paper, out / f"{stem}.{f}")
        for f in wanted
        if not (f == "pdf" and pending is not None)
    }
    if pending is not None:
        path = out / f"{stem}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pending.result())
        done["pdf"] = path
    written = [done[f] for f in wanted]
    written.append(write_claims(paper, out / f"{stem}.claims.json"))
    return written


def claims_json(paper: Paper) -> str:
    """The claims file's text: every judgement of the paper, in reading order (fixed key order,
    so the same paper always gives the same bytes)."""
    entries = [c.as_json() for c in paper.claims]
    month = paper.provenance.month if paper.provenance else None
    doc = {"month": month, "claims": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_claims(paper: Paper, path: str | Path) -> Path:
    """Write the paper's claims file (``board-paper-YYYY-MM.claims.json``) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(claims_json(paper), encoding="utf-8")
    return path
