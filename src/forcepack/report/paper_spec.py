"""A board paper declared as data: its sections, paragraphs and their order.

A paper spec is a TOML file (the shipped Victims paper is ``report/papers/victims.toml``)::

    [paper]
    name = "Police and Crime Plan Update: Victims"

    [[section]]
    key = "purpose"
    title = "Purpose"
    paragraphs = ["paper.purpose"]

    [[section]]
    key = "performance"
    title = "Performance Meeting Updates"

    [[section.section]]
    key = "strategic"
    title = "Strategic measures"
    paragraphs = ["strategic.lead", "satisfaction.overall", { slot = "demand_hub" }]

A paragraph is the name of a builder (:mod:`forcepack.report.builders`; ``forcepack report
--list-builders`` lists them), a table ``{ builder = "...", key = "..." }``, or an input slot a
force writes, ``{ slot = "demand_hub" }``. A section may instead name a section builder
(``builder = "victims.updates"``) that makes the whole section from the force's inputs.
A section with ``quote = true`` is a quoted Police and Crime Plan commitment (6.1.1): its
title is printed in quotes and its paragraphs are not numbered, as in the model paper.

Numbers come from position: sections ``1``, ``2``...; sub-sections ``4.1``...; paragraphs
``4.1.1``... in the order they appear. Keys (the builder's name unless given) are unique, so
tests and forces address paragraphs by key, never by number. A force copies the spec, drops,
reorders or adds paragraphs and slots, and builds with ``forcepack report --paper FILE``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from forcepack.errors import ConfigError, MissingFileError
from forcepack.report.inputs import UpdateSlot
from forcepack.textfiles import read_text

DEFAULT_PAPER = "victims"


@dataclass(frozen=True, slots=True)
class ParagraphSpec:
    """One paragraph: built by ``builder``, or the force's text for ``slot``."""

    key: str
    builder: str | None = None
    slot: UpdateSlot | None = None
    where: str = ""  # "victims.toml line 57": where the spec names it, for messages


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    title: str
    paragraphs: tuple[ParagraphSpec, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    builder: str | None = None  # a section builder: the whole section from the inputs
    quote: bool = False  # a quoted commitment: its title in quotes, its paragraphs unnumbered


@dataclass(frozen=True, slots=True)
class PaperSpec:
    name: str
    sections: tuple[SectionSpec, ...]
    source: str  # the file it was read from, for messages

    def keys(self) -> list[str]:
        """Every section and paragraph key, in reading order."""
        out: list[str] = []

        def walk(s: SectionSpec) -> None:
            out.append(s.key)
            out.extend(p.key for p in s.paragraphs)
            for sub in s.sections:
                walk(sub)

        for s in self.sections:
            walk(s)
        return out


def _line(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    return None


class _Reader:
    def __init__(
        self,
        source: str,
        text: str,
        builders: set[str],
        section_builders: set[str],
        measures: dict[str, tuple[str, ...]] | None = None,
        catalogue: set[str] | None = None,
    ):
        self.source = source
        self.text = text
        self.builders = builders
        self.section_builders = section_builders
        self.measures = measures or {}
        self.catalogue = catalogue or set()
        self.seen: dict[str, str] = {}

    def error(self, message: str, needle: str | None = None, hint: str | None = None) -> None:
        line = _line(self.text, needle) if needle else None
        where = f"{self.source} line {line}" if line else self.source
        raise ConfigError(f"paper spec {where}: {message}", hint=hint)

    def key(self, key: str, what: str) -> str:
        if key in self.seen:
            self.error(
                f'key "{key}" is used twice ({self.seen[key]} and {what})',
                f'"{key}"',
                hint="give each paragraph and section its own key",
            )
        self.seen[key] = what
        return key

    def check_measures(self, name: str, where: str) -> None:
        """A builder whose measures are not in the measure catalogue is refused, naming the
        spec line (the catalogue was changed, or the spec names a builder for another one)."""
        missing = [m for m in self.measures.get(name, ()) if m not in self.catalogue]
        if missing:
            raise ConfigError(
                f"paper spec {where}: builder {name} reads measure(s) {', '.join(missing)}, "
                "which the measure catalogue does not hold",
                hint="`forcepack measures list` lists the catalogue; add the measures there or "
                "drop the paragraph",
            )

    def paragraph(self, raw: object, section: str) -> ParagraphSpec:
        if isinstance(raw, str):
            raw = {"builder": raw}
        if not isinstance(raw, dict):
            self.error(f"a paragraph of section {section} must be a builder name or a table")
            raise AssertionError  # unreachable: error raises
        unknown = set(raw) - {"key", "builder", "slot"}
        if unknown:
            self.error(
                f"paragraph field(s) {', '.join(sorted(unknown))} in section {section} are not "
                "key, builder or slot",
                sorted(unknown)[0],
            )
        name, slot = raw.get("builder"), raw.get("slot")
        if (name is None) == (slot is None):
            self.error(f"a paragraph of section {section} names neither or both of builder, slot")
        if name is not None:
            if name not in self.builders:
                self.error(
                    f'no paragraph builder named "{name}"',
                    f'"{name}"',
                    hint="forcepack report --list-builders lists them",
                )
            key = str(raw.get("key", name))
            line = _line(self.text, f'"{raw["key"]}"' if "key" in raw else f'"{name}"')
            where = f"{self.source} line {line}" if line else self.source
            self.check_measures(str(name), where)
            return ParagraphSpec(self.key(key, f"builder {name}"), builder=str(name), where=where)
        slots = [s.value for s in UpdateSlot]
        if slot not in slots:
            self.error(
                f'no input slot named "{slot}"',
                f'"{slot}"',
                hint="allowed: " + ", ".join(slots),
            )
        key = str(raw.get("key", f"slot:{slot}"))
        return ParagraphSpec(self.key(key, f"slot {slot}"), slot=UpdateSlot(str(slot)))

    def section(self, raw: object, where: str) -> SectionSpec:
        if not isinstance(raw, dict):
            self.error(f"{where}: a section must be a table")
            raise AssertionError
        unknown = set(raw) - {"key", "title", "paragraphs", "section", "builder", "quote"}
        if unknown:
            self.error(
                f"section field(s) {', '.join(sorted(unknown))} are not key, title, paragraphs, "
                "section, builder or quote",
                sorted(unknown)[0],
            )
        quote = raw.get("quote", False)
        if not isinstance(quote, bool):
            self.error(
                f"{where}: quote is {quote!r}; allowed: true or false",
                "quote",
            )
        if "key" not in raw or "title" not in raw:
            self.error(f"{where}: a section needs a key and a title", raw.get("title"))
        key = self.key(str(raw["key"]), f"section {raw['title']}")
        name = raw.get("builder")
        if name is not None and name not in self.section_builders:
            self.error(
                f'no section builder named "{name}"',
                f'"{name}"',
                hint="section builders: " + ", ".join(sorted(self.section_builders)),
            )
        paragraphs = tuple(self.paragraph(p, key) for p in raw.get("paragraphs", []))
        subs = tuple(
            self.section(s, f"section {key}, sub-section {i}")
            for i, s in enumerate(raw.get("section", []), start=1)
        )
        if name is not None and (paragraphs or subs):
            self.error(f"section {key} has a builder and paragraphs; give one or the other")
        return SectionSpec(key, str(raw["title"]), paragraphs, subs, name, quote)


def read_spec(path: str | Path | None = None) -> PaperSpec:
    """The paper spec at ``path`` (default: the shipped Victims paper), checked."""
    from forcepack.report.builders import registry

    if path is None:
        source = f"report/papers/{DEFAULT_PAPER}.toml"
        text = (
            resources.files("forcepack.report")
            .joinpath("papers", f"{DEFAULT_PAPER}.toml")
            .read_text(encoding="utf-8")
        )
    else:
        p = Path(path)
        if not p.is_file():
            raise MissingFileError(f"paper spec {p} does not exist", hint="check --paper")
        source = p.name
        text = read_text(p, "paper spec")[0]  # UTF-8 or a Windows export, never a guess
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"paper spec {source} is not valid TOML: {err}") from None
    reg = registry()
    try:
        from forcepack.measures import catalogue

        ids = set(catalogue())
    except ImportError:  # no measure engine installed: the builders' gaps say so
        ids = {m for r in reg.values() for m in r.measures}
    reader = _Reader(
        source,
        text,
        {n for n, r in reg.items() if r.make is not None},
        {n for n, r in reg.items() if r.make_section is not None},
        {n: r.measures for n, r in reg.items()},
        ids,
    )
    unknown = set(raw) - {"paper", "section"}
    if unknown:
        reader.error(f"top-level table(s) {', '.join(sorted(unknown))} are not paper or section")
    sections = tuple(
        reader.section(s, f"section {i}") for i, s in enumerate(raw.get("section", []), start=1)
    )
    if not sections:
        reader.error("the paper has no sections")
    name = str(raw.get("paper", {}).get("name", source))
    return PaperSpec(name, sections, source)
