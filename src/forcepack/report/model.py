"""The board paper as data: frozen dataclasses that every renderer reads.

A :class:`Paper` is a cover block, numbered sections of blocks (paragraphs, tables, charts and
gaps), an appendix of measure definitions and a provenance block. The model carries no
formatting: numbers arrive already worded (see :mod:`forcepack.report.format`) and each renderer
decides how a block looks. Paragraph numbers follow the model paper: section ``4``, sub-section
``4.1``, paragraph ``4.1.2``; they come from each paragraph's position in the paper spec
(:mod:`forcepack.report.paper_spec`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Marking(enum.StrEnum):
    """Government Security Classification marking printed on every page."""

    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


class ParagraphStyle(enum.StrEnum):
    """How a paragraph reads: ordinary body text, or a quoted plan commitment."""

    BODY = "body"
    QUOTE = "quote"
    NOTE = "note"  # a note at the end of a section: how its judgements were reached


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of text; ``number`` is ``"4.1.2"`` or ``None`` for a continuation; ``key``
    is the paper spec's key of the paragraph (``satisfaction.overall``)."""

    text: str
    number: str | None = None
    style: ParagraphStyle = ParagraphStyle.BODY
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A small table of worded cells; the first column names the row."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str | None = None

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.caption!r}: a row has {len(row)} cells, the header has "
                    f"{len(self.columns)}; give every row one cell per column"
                )


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart as SVG (HTML and PDF; Word gets a PNG made from it), with alt text. ``title`` is
    the headline printed above it; ``table`` is the chart's data as a table, the alternative
    the HTML offers beside it."""

    title: str
    svg: str
    alt: str
    caption: str | None = None
    table: Table | None = None


@dataclass(frozen=True, slots=True)
class Gap:
    """A clearly marked hole where an input is missing: what, why, and how to fill it."""

    what: str
    reason: str
    fix: str


Block = Paragraph | Table | Chart | Gap


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section (``"4"``) or sub-section (``"4.1"``) with its blocks and children."""

    number: str
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    quote_title: bool = False

    def walk(self) -> list[Section]:
        """This section and every sub-section below it, in reading order."""
        out: list[Section] = [self]
        for sub in self.subsections:
            out.extend(sub.walk())
        return out


@dataclass(frozen=True, slots=True)
class Claim:
    """One judgement the paper makes: where it is said, what was judged, and the evidence.

    ``record`` is :func:`forcepack.stats.evidence` of the result (method, series, baseline,
    numbers, verdict); ``phrase`` is the wording the verdict gave the sentence."""

    number: str | None
    key: str | None
    sentence: str
    phrase: str
    measure_id: str
    window: str
    cut: tuple[tuple[str, str], ...]
    record: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The claims file's entry: paragraph, key, sentence, measure, window, cut, then the
        evidence (method, series, baseline, verdict and the numbers behind it)."""
        return {
            "paragraph": self.number,
            "key": self.key,
            "sentence": self.sentence,
            "phrase": self.phrase,
            "measure_id": self.measure_id,
            "window": self.window,
            "cut": dict(self.cut),
            **self.record,
        }


@dataclass(frozen=True, slots=True)
class Cover:
    """The cover block of a board paper."""

    title: str
    to: str
    from_: str
    date: str
    agenda_item: str
    marking: Marking = Marking.OFFICIAL
    meeting: str = "Business Coordination Board"


@dataclass(frozen=True, slots=True)
class Definition:
    """One appendix entry: a measure used in the paper and how it is computed."""

    measure_id: str
    title: str
    definition: str


@dataclass(frozen=True, slots=True)
class Load:
    """One load the warehouse was built from (from ``load_log``)."""

    table_name: str
    file_name: str
    sha256: str
    rows_loaded: int
    finished_at: str


@dataclass(frozen=True, slots=True)
class Provenance:
    """What the paper was built from, so every figure can be traced."""

    forcepack_version: str
    git_revision: str | None
    data_hash: str
    month: str
    loads: tuple[Load, ...] = ()
    inputs: tuple[str, ...] = ()
    loaded_on: str | None = None  # the day of the latest load ("1st December 2026")


@dataclass(frozen=True, slots=True)
class Paper:
    """A whole board paper."""

    cover: Cover
    sections: tuple[Section, ...]
    definitions: tuple[Definition, ...] = ()
    provenance: Provenance | None = None
    footnotes: tuple[str, ...] = field(default_factory=tuple)
    claims: tuple[Claim, ...] = ()

    def all_sections(self) -> list[Section]:
        """Every section and sub-section in reading order."""
        out: list[Section] = []
        for s in self.sections:
            out.extend(s.walk())
        return out

    def gaps(self) -> list[Gap]:
        """Every gap in the paper (missing inputs), in reading order."""
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Gap)]

    def paragraphs(self) -> list[Paragraph]:
        """Every paragraph of the paper, in reading order."""
        return [b for s in self.all_sections() for b in s.blocks if isinstance(b, Paragraph)]

    def _find(self, attr: str, value: str) -> Paragraph:
        """The first paragraph whose ``attr`` (key or number) is ``value``; KeyError if none."""
        for p in self.paragraphs():
            if getattr(p, attr) == value:
                return p
        raise KeyError(value)

    def by_key(self, key: str) -> Paragraph:
        """The paragraph the paper spec calls ``key`` (e.g. ``"crime.recorded"``)."""
        return self._find("key", key)

    def paragraph(self, number: str) -> Paragraph:
        """The paragraph numbered ``number`` (e.g. ``"4.1.2"``); KeyError if none."""
        return self._find("number", number)
