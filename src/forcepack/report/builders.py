"""The paragraph builders a paper spec names, and what they are given.

A builder is a top-level function ``(ctx) -> list[Block]`` registered under a dotted name
(``satisfaction.overall``, ``crime.recorded``) with :func:`builder`. ``ctx`` is the
:class:`Context`: the measure results (``ctx.data``), the warehouse connection, the reporting
month and the force's inputs. A builder returns its blocks with numbered paragraphs marked
:data:`AUTO`; the paper's spec decides where they go and the position decides their numbers.

A builder raises :class:`~forcepack.report.data.MissingFigure` (or a forcepack error) when a
figure it needs is not in the warehouse: the paper then shows a marked gap naming what is
missing. Any other exception is a bug and stops the build.

A section builder (:func:`section_builder`) makes a whole section whose shape comes from the
force's inputs (section 6's outcomes and commitments): ``(ctx, number) -> Section``.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from forcepack import calendar
from forcepack.report.data import MeasureData
from forcepack.report.inputs import Inputs
from forcepack.report.model import Block, Paragraph, Section
from forcepack.report.narrative import say
from forcepack.stats.evidence import Judgement, evidence

#: The number of a paragraph that the paper numbers by position.
AUTO = "#"
#: Modules that register builders (imported by :func:`registry`).
MODULES = (
    "forcepack.report.build_intro",
    "forcepack.report.build_performance",
    "forcepack.report.build_headlines",
    "forcepack.report.build_victims",
    "forcepack.report.build_commitments",
    "forcepack.report.build_harm",
    "forcepack.report.build_audit",
)


@dataclass(frozen=True, slots=True)
class Said:
    """A judgement a builder has made, waiting for the paragraph it is said in."""

    phrase: str
    measure_id: str
    window: str
    cut: tuple[tuple[str, str], ...]
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Context:
    """What every builder is given.

    ``claim`` is the only way a builder words a judgement: it records the result's evidence
    and returns the verdict's phrase from ``sentences/judgement.toml``, so no sentence carries
    a direction or significance word that no claim backs."""

    data: MeasureData
    con: duckdb.DuckDBPyConnection
    month: dt.date  # the reporting month's last day (so builders never re-derive it)
    inputs: Inputs
    board: dt.date
    meeting: dt.date
    said: list[Said] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.month != calendar.last_day(self.month):
            raise ValueError(f"Context.month {self.month} is not the last day of its month")

    def note(self, measure_id: str, text: str) -> None:
        """A note for the end of the section (ONS style): an interval, a test or a caveat
        that the body does not carry. It is numbered with the section's other notes, after
        the paragraph it belongs to."""
        self.noted.append((measure_id, text))

    def claim(
        self,
        result: Judgement,
        *,
        measure_id: str,
        words: str,
        window: str = "month",
        cut: Mapping[str, str] | None = None,
        basis: Judgement | None = None,
        **fields: object,
    ) -> str:
        """Record ``result`` as a judgement on ``measure_id`` (``window``, ``cut``) and return
        its verdict worded by the ``judgement.<words>`` sentences (variant: the verdict, or
        ``none`` when the result has no verdict); ``fields`` fill the phrase. ``basis`` is the
        chart a shift or a recent improvement was read from: its evidence is recorded too
        (``chart``), so the verdict reproduces from the series."""
        record = evidence(result)
        if basis is not None:
            chart = evidence(basis)
            record["chart"] = chart
            # every claim names the series and baseline it was computed on
            record.setdefault("series", chart["series"])
            record.setdefault("baseline", chart["baseline"])
        if "baseline" not in record and "window" in record:  # a trend: the window it tested
            record["baseline"] = {"kind": "trend_window", **record["window"]}
        variant = record["verdict"] or "none"
        phrase = say(f"judgement.{words}.{variant}", **fields)
        self.said.append(
            Said(phrase, measure_id, window, tuple(sorted((cut or {}).items())), record)
        )
        return phrase


Builder = Callable[[Context], list[Block]]
SectionBuilder = Callable[[Context, str], Section]


@dataclass(frozen=True, slots=True)
class Registered:
    name: str
    what: str  # what the paragraph reports, for a gap's message and the docs
    make: Builder | None = None
    make_section: SectionBuilder | None = None
    measures: tuple[str, ...] = ()  # measures it reads, for the docs


_BUILDERS: dict[str, Registered] = {}


def builder(
    name: str, what: str, *, measures: tuple[str, ...] = ()
) -> Callable[[Builder], Builder]:
    """Register a paragraph builder under ``name``."""

    def register(fn: Builder) -> Builder:
        if name in _BUILDERS:
            raise ValueError(f"builder {name} is registered twice")
        _BUILDERS[name] = Registered(name, what, make=fn, measures=measures)
        return fn

    return register


def section_builder(name: str, what: str) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a builder of a whole section under ``name``."""

    def register(fn: SectionBuilder) -> SectionBuilder:
        if name in _BUILDERS:
            raise ValueError(f"builder {name} is registered twice")
        _BUILDERS[name] = Registered(name, what, make_section=fn)
        return fn

    return register


def registry() -> dict[str, Registered]:
    """Every registered builder, by name."""
    for module in MODULES:
        importlib.import_module(module)
    return dict(_BUILDERS)


def para(text: str) -> Paragraph:
    """A body paragraph numbered by its position in the paper."""
    return Paragraph(text=text, number=AUTO)
