"""Inputs a force writes rather than computes: cover details, national context, updates.

An inputs folder holds (every file optional; a missing one leaves a marked gap, never a crash):

``paper.toml``
    The cover and meeting details: ``title``, ``to``, ``from``, ``agenda_item``,
    ``board_date`` and ``performance_meeting_date`` (ISO dates), ``priorities`` (a list of
    words for paragraph 3.2), ``force_name``, and ``[[change_points]]`` tables (``measure``,
    ``date`` as YYYY-MM, ``reason``): a month from which a measure's process changed, used as
    its chart's baseline.
``national.csv``
    National and regional figures from the latest official release, one row per figure, with
    the columns of :data:`NATIONAL_COLUMNS` (documented in ``docs/report.md``).
``updates/<slot>.md``
    Qualitative updates in Markdown, one file per slot of :class:`UpdateSlot`. Paragraphs are
    separated by blank lines. In ``victim_updates.md`` a ``## `` heading starts a Police and
    Crime Plan outcome (6.1, 6.2...) and a ``### `` heading quotes one of its commitments
    (6.1.1...); paragraphs below a commitment are not numbered, as in the model paper.
``updates/why/<paragraph key>.md``
    The force's own "why" for a data paragraph (``crime.recorded.md``...), shown after it.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from forcepack import calendar
from forcepack.errors import ConfigError, InputError, MissingFileError
from forcepack.report import format as fmt
from forcepack.report.model import Gap
from forcepack.tablefiles import read_table
from forcepack.textfiles import read_text

NATIONAL_FILE = "national.csv"
PAPER_FILE = "paper.toml"
UPDATES_DIR = "updates"
#: ``updates/why/<paragraph key>.md``: the force's own account of why a figure moved, shown
#: after the data paragraph of that key.
WHY_DIR = "why"
#: Columns of ``national.csv``, in order; each is described in docs/report.md.
NATIONAL_COLUMNS = (
    "release_date",
    "publisher",
    "period_end",
    "geography",
    "source",
    "indicator",
    "label",
    "value",
    "unit",
)


class Geography(enum.StrEnum):
    """Where a national figure is about (``national.csv`` ``geography``)."""

    NATIONAL = "national"
    REGIONAL = "regional"


class FigureSource(enum.StrEnum):
    """What a national figure comes from (``national.csv`` ``source``): the Crime Survey for
    England and Wales, or police recorded crime."""

    SURVEY = "survey"
    RECORDED = "recorded"


class FigureUnit(enum.StrEnum):
    """What a national figure's value is (``national.csv`` ``unit``)."""

    PERCENT_CHANGE = "percent_change"
    PER_1000 = "per_1000"


class UpdateSlot(enum.StrEnum):
    """Where a qualitative update goes in the paper."""

    RESPONSE_CALL_TYPES = "response_call_types"  # 4.1.10
    DEMAND_HUB = "demand_hub"
    CRIME_MANAGEMENT = "crime_management"
    OUTCOMES = "outcomes"
    NATIONAL_CONTEXT = "national_context"
    DOMESTIC_ABUSE_CALL_TYPES = "domestic_abuse_call_types"  # 5.1.2
    DOMESTIC_ABUSE = "domestic_abuse"
    CHILD_ABUSE = "child_abuse"
    SERIOUS_SEXUAL_OFFENCES = "serious_sexual_offences"
    VICTIM_UPDATES = "victim_updates"
    GOOD_PRACTICE = "good_practice"
    # section 6: the force's own account of each Police and Crime Plan commitment
    PRIORITY_GROUPS = "priority_groups"  # 6.1.1
    INVESTIGATION = "investigation"  # 6.1.2
    PERFORMANCE_MATRIX = "performance_matrix"  # 6.1.3
    CIVIL_POWERS = "civil_powers"  # 6.1.4
    SAFEGUARDING = "safeguarding"  # 6.1.5
    HIGHEST_HARM = "highest_harm"  # 6.1.6
    CHILD_EXPERIENCE = "child_experience"  # 6.1.7
    PARTNERSHIP = "partnership"  # 6.2.1
    HUB_REFERRAL = "hub_referral"  # 6.2.2
    SARC = "sarc"  # 6.2.3
    JUSTICE_PROCESSES = "justice_processes"  # 6.3.1
    CODE_COMPLIANCE = "code_compliance"  # 6.3.2
    VICTIM_STRATEGY = "victim_strategy"  # 6.3.3
    CIVIL_PROCEEDINGS = "civil_proceedings"  # 6.3.4


@dataclass(frozen=True, slots=True)
class NationalFigure:
    """One row of ``national.csv``."""

    release_date: dt.date
    publisher: str
    period_end: dt.date
    geography: Geography
    source: FigureSource
    indicator: str
    label: str
    value: float
    unit: FigureUnit


@dataclass(frozen=True, slots=True)
class Update:
    """A qualitative update: plain paragraphs, or (victim updates) outcomes and commitments."""

    slot: UpdateSlot
    paragraphs: tuple[str, ...] = ()
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True, slots=True)
class Commitment:
    """A quoted Police and Crime Plan commitment and the paragraphs reporting on it."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A Police and Crime Plan outcome (6.1...) with its commitments."""

    title: str
    paragraphs: tuple[str, ...]
    commitments: tuple[Commitment, ...]


@dataclass(frozen=True, slots=True)
class DeclaredChange:
    """A change point the force declares for a measure's chart (``[[change_points]]`` in
    ``paper.toml``): the month from which the process changed, and why."""

    measure: str
    month: dt.date  # the month's last day
    reason: str


@dataclass(frozen=True, slots=True)
class PaperDetails:
    """Cover and meeting details from ``paper.toml`` (defaults derived from the month)."""

    title: str = "Police and Crime Plan Update: Victims"
    to: str = "Business Coordination Board"
    from_: str = "Chief Constable"
    agenda_item: str = "[agenda item]"
    board_date: dt.date | None = None
    performance_meeting_date: dt.date | None = None
    priorities: tuple[str, ...] = (
        "domestic abuse",
        "child exploitation",
        "serious sexual offences",
    )
    force_name: str = "the force"
    change_points: tuple[DeclaredChange, ...] = ()

    def changes_for(self, measure: str) -> tuple[DeclaredChange, ...]:
        """The change points declared for ``measure``, in date order."""
        return tuple(
            sorted((c for c in self.change_points if c.measure == measure), key=lambda c: c.month)
        )


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything read from an inputs folder, and what was missing."""

    folder: Path | None
    details: PaperDetails
    national: tuple[NationalFigure, ...] | None
    updates: dict[UpdateSlot, Update] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    why: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def update(self, slot: UpdateSlot) -> Update | Gap:
        """The update for ``slot``, or a gap saying which file to write."""
        if slot in self.updates:
            return self.updates[slot]
        where = self.folder / UPDATES_DIR if self.folder else Path("<inputs>") / UPDATES_DIR
        return Gap(
            what=f"{slot.value.replace('_', ' ')} update",
            reason=f"No file {UPDATES_DIR}/{slot.value}.md was found in the inputs folder.",
            fix=f"write the update as Markdown in {where / (slot.value + '.md')} and rebuild "
            "the paper with --inputs.",
        )

    def national_gap(self) -> Gap:
        """The gap shown when no national figures were supplied."""
        return Gap(
            what="national and regional context",
            reason=f"No {NATIONAL_FILE} was found in the inputs folder.",
            fix=f"save the latest national and regional figures as {NATIONAL_FILE} (columns "
            f"{', '.join(NATIONAL_COLUMNS)}) in the inputs folder and rebuild with --inputs.",
        )


def demo_inputs_dir() -> Path:
    """The inputs folder shipped for the demo force."""
    return Path(str(resources.files("forcepack.report").joinpath("demo_inputs")))


def _date(value: object, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as err:
        raise ConfigError(
            f"{what}: {value!r} is not a date", hint="write dates as YYYY-MM-DD"
        ) from err


def read_details(path: Path) -> PaperDetails:
    """Read ``paper.toml``; unknown keys are an error so a typo is not silently ignored."""
    try:
        data = tomllib.loads(read_text(path, "paper details")[0])
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from err
    allowed = {
        "title",
        "to",
        "from",
        "agenda_item",
        "board_date",
        "performance_meeting_date",
        "priorities",
        "force_name",
        "change_points",
    }
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed are {', '.join(sorted(allowed))}"
        )
    kw: dict[str, object] = {
        k: str(v) for k, v in data.items() if k in {"title", "to", "agenda_item", "force_name"}
    }
    if "from" in data:
        kw["from_"] = str(data["from"])
    for key in ("board_date", "performance_meeting_date"):
        if key in data:
            kw[key] = _date(data[key], f"{path} {key}")
    if "priorities" in data:
        kw["priorities"] = tuple(str(p) for p in data["priorities"])
    if "change_points" in data:
        kw["change_points"] = _change_points(path, data["change_points"])
    return PaperDetails(**kw)  # type: ignore[arg-type]


_CHANGE_KEYS = ("measure", "date", "reason")


def _change_points(path: Path, items: object) -> tuple[DeclaredChange, ...]:
    """``[[change_points]]`` tables: measure, date (YYYY-MM) and reason, each required."""
    if not isinstance(items, list):
        raise ConfigError(
            f"{path} change_points: expected [[change_points]] tables, received {items!r}",
            hint='write [[change_points]] measure = "..." date = "2019-01" reason = "..."',
        )
    out = []
    for i, item in enumerate(items, start=1):
        where = f"{path} change_points entry {i}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a table, received {item!r}")
        unknown = sorted(set(item) - set(_CHANGE_KEYS))
        missing = [k for k in _CHANGE_KEYS if not str(item.get(k, "")).strip()]
        if unknown or missing:
            raise ConfigError(
                f"{where}: "
                + "; ".join(
                    ([f"unknown key(s) {', '.join(unknown)}"] if unknown else [])
                    + ([f"missing {', '.join(missing)}"] if missing else [])
                )
                + f"; each change point has {', '.join(_CHANGE_KEYS)}",
                hint='e.g. measure = "response.prompt.median_minutes" date = "2019-01" '
                'reason = "new response model"',
            )
        try:
            month = calendar.parse(str(item["date"]), f"{where} ({item['measure']}): date").last
        except InputError as err:
            raise ConfigError(err.message, hint=err.hint) from None
        out.append(DeclaredChange(str(item["measure"]), month, str(item["reason"]).strip()))
    return tuple(out)


def read_national(path: Path) -> tuple[NationalFigure, ...]:
    """Read ``national.csv``, checking its columns and every value."""
    # UTF-8 or a Windows export, never a guess; a header alone is a file with no figures yet
    table = read_table(path, "national context file", empty_ok=True)
    missing = [c for c in NATIONAL_COLUMNS if c not in table.header]
    if missing:
        raise ConfigError(
            f"{path}: missing column(s) {', '.join(missing)}; the columns are "
            f"{', '.join(NATIONAL_COLUMNS)}",
            hint="see docs/report.md, 'National context'",
        )
    vocabularies = (("geography", Geography), ("source", FigureSource), ("unit", FigureUnit))
    out = []
    for i, row in zip(table.numbers, table.rows, strict=True):
        where = f"{path} line {i}"
        for col, allowed in vocabularies:
            if row[col] not in set(allowed):
                names = ", ".join(allowed)
                raise ConfigError(f"{where}: {col} {row[col]!r} is not one of {names}")
        try:
            value = float(row["value"])
        except ValueError as err:
            raise ConfigError(f"{where}: value {row['value']!r} is not a number") from err
        out.append(
            NationalFigure(
                release_date=_date(row["release_date"], f"{where} release_date"),
                publisher=row["publisher"],
                period_end=_date(row["period_end"], f"{where} period_end"),
                geography=Geography(row["geography"]),
                source=FigureSource(row["source"]),
                indicator=row["indicator"],
                label=row["label"],
                value=value,
                unit=FigureUnit(row["unit"]),
            )
        )
    return tuple(out)


_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPH = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")


def plain(text: str) -> str:
    """Markdown inline markup to plain text: links keep their words, emphasis is dropped,
    and an apostrophe after a letter is the paper's typographic one (``’``)."""
    text = _LINK.sub(r"\1", text)
    text = _EMPH.sub(r"\2", text)
    text = fmt.typographic(text)
    return " ".join(text.split())


def _paragraphs(lines: list[str]) -> tuple[str, ...]:
    out, cur = [], []
    for line in [*lines, ""]:
        if line.strip():
            cur.append(
                line.strip().lstrip("-* ").strip()
                if line.lstrip()[:2] in ("- ", "* ")
                else line.strip()
            )
        elif cur:
            out.append(plain(" ".join(cur)))
            cur = []
    return tuple(p for p in out if p)


def read_update(slot: UpdateSlot, path: Path) -> Update:
    """Read one Markdown update (see the module docstring for the structure)."""
    lines = read_text(path, "paper update")[0].splitlines()
    lines = [ln for ln in lines if not ln.startswith("# ")]  # a title line is optional
    if slot is not UpdateSlot.VICTIM_UPDATES:
        return Update(slot=slot, paragraphs=_paragraphs(lines))
    outcomes: list[Outcome] = []
    lead: list[str] = []
    o_title: str | None = None
    o_lead: list[str] = []
    commitments: list[Commitment] = []
    c_title: str | None = None
    c_lines: list[str] = []

    def close_commitment() -> None:
        nonlocal c_title, c_lines
        if c_title is not None:
            commitments.append(Commitment(c_title, _paragraphs(c_lines)))
        c_title, c_lines = None, []

    def close_outcome() -> None:
        nonlocal o_title, o_lead, commitments
        close_commitment()
        if o_title is not None:
            outcomes.append(Outcome(o_title, _paragraphs(o_lead), tuple(commitments)))
        o_title, o_lead, commitments = None, [], []

    for line in lines:
        if line.startswith("## "):
            close_outcome()
            o_title = plain(line[3:])
        elif line.startswith("### "):
            if o_title is None:
                raise ConfigError(
                    f"{path}: commitment {line[4:].strip()!r} comes before any '## ' outcome",
                    hint="start each Police and Crime Plan outcome with a '## ' heading",
                )
            close_commitment()
            c_title = plain(line[4:]).strip("'‘’\"")
        elif c_title is not None:
            c_lines.append(line)
        elif o_title is not None:
            o_lead.append(line)
        else:
            lead.append(line)
    close_outcome()
    return Update(slot=slot, paragraphs=_paragraphs(lead), outcomes=tuple(outcomes))


def read_inputs(folder: str | Path | None) -> Inputs:
    """Read an inputs folder; ``None`` means no force-written inputs (every slot a gap)."""
    if folder is None:
        return Inputs(folder=None, details=PaperDetails(), national=None)
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError(
            f"inputs folder {folder} does not exist",
            hint="give --inputs a folder with paper.toml, national.csv and updates/*.md "
            "(see docs/report.md), or leave it out to mark those sections as gaps",
        )
    files: list[str] = []
    details = PaperDetails()
    if (folder / PAPER_FILE).is_file():
        details = read_details(folder / PAPER_FILE)
        files.append(PAPER_FILE)
    national = None
    if (folder / NATIONAL_FILE).is_file():
        national = read_national(folder / NATIONAL_FILE)
        files.append(NATIONAL_FILE)
    updates = {}
    for slot in UpdateSlot:
        path = folder / UPDATES_DIR / f"{slot.value}.md"
        if path.is_file():
            updates[slot] = read_update(slot, path)
            files.append(f"{UPDATES_DIR}/{slot.value}.md")
    why: dict[str, tuple[str, ...]] = {}
    why_dir = folder / UPDATES_DIR / WHY_DIR
    for path in sorted(why_dir.glob("*.md")) if why_dir.is_dir() else []:
        paragraphs = _paragraphs(read_text(path, "paper update")[0].splitlines())
        if paragraphs:
            why[path.stem] = paragraphs
            files.append(f"{UPDATES_DIR}/{WHY_DIR}/{path.name}")
    for extra in (
        sorted((folder / UPDATES_DIR).glob("*.md")) if (folder / UPDATES_DIR).is_dir() else []
    ):
        if extra.stem not in {s.value for s in UpdateSlot}:
            raise InputError(
                f"update file {extra} is not one of the paper's slots "
                f"({', '.join(s.value for s in UpdateSlot)})",
                hint="rename it to the slot it belongs to",
            )
    return Inputs(
        folder=folder,
        details=details,
        national=national,
        updates=updates,
        files=tuple(files),
        why=why,
    )
