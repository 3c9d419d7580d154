"""The public pack's figures for one force and month, from the data.police.uk tables alone.

Every count comes from the measure catalogue (``public.*`` measures); rates divide them by the
shipped resident population (:mod:`forcepack.contract.forces`). Judgements use the board
paper's rules (:mod:`forcepack.stats`): a monthly series is judged on an XmR chart only with at
least ``MIN_MONTHS`` consecutive usable months, and otherwise the pack says it is too short.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from forcepack import calendar
from forcepack.contract.forces import Force, find_force, match_force
from forcepack.contract.vocab import LoadStatus
from forcepack.errors import DataError, InputError, WarehouseError
from forcepack.measures import compute, get
from forcepack.public.coverage import COVERAGE_GATE, coverage
from forcepack.public.peers import METHOD, Peer
from forcepack.public.tables import (
    categories,
    comparison,
    first_of,
    local_authority_table,
    lsoa_table,
    monthly,
)
from forcepack.settings import SUPPRESSION_THRESHOLD as C_SUPPRESS
from forcepack.stats import constants as C
from forcepack.stats import spc
from forcepack.stats.vocab import Improvement, PointType, improvement_of
from forcepack.vocab import Kind
from forcepack.warehouse.core import connect, data_hash
from forcepack.warehouse.sql import ident

#: Consecutive usable months a series needs before it is judged (the paper's own rule: a
#: baseline of ``MIN_CHANGE_BASELINE`` months before the latest).
MIN_MONTHS = C.MIN_CHANGE_BASELINE + 1
#: The words the board paper gives the latest point of a control chart.
CHART_WORDS = {
    PointType.COMMON_CAUSE: "common cause variation, within its usual range",
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: "special cause variation (higher)",
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: "special cause variation (lower)",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "special cause variation of an improving nature",
    PointType.SPECIAL_CAUSE_CONCERN: "special cause variation of a concerning nature",
}
NOT_JUDGED = "too few months of data to judge against the series’ own variation"


@dataclass(frozen=True)
class Headline:
    """One headline figure: the month, the month before, a year before, and its judgement."""

    name: str
    unit: Kind  # how the value is shown: a count, a rate per 1,000 or a share
    value: float | None
    previous: float | None
    last_year: float | None
    judgement: str
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class PublicPack:
    force: Force
    month: dt.date
    gate: float
    headlines: list[Headline]
    comparison: pd.DataFrame  # label, crimes, population, per_1000, role (a ComparisonRole)
    england_wales: str  # what the England and Wales line is, or why there is none
    peers: list[Peer]
    peer_method: str
    categories: pd.DataFrame  # category, crimes, previous, change, last_year
    local_authorities: pd.DataFrame  # local_authority, crimes, population, per_1000
    lsoas: pd.DataFrame  # lsoa, lsoa_name, crimes, shown (suppressed below the threshold)
    coverage: pd.DataFrame  # the force's months
    series: pd.DataFrame  # month, crimes, per_1000 (the force's usable months)
    snapshots: list[tuple[str, str]]  # (file, loaded at)
    archives: list[str]  # data.police.uk snapshots (archive names) of the force's rows
    data_hash: str  # of the public tables the pack was built from
    caveats: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return f"public-pack-{self.force.force_id}-{self.month:%Y-%m}"


def parse_month(text: str) -> dt.date:
    """``--month``'s first day; a bad month is :func:`forcepack.calendar.parse`'s message."""
    return calendar.parse(text, "--month").first


def _loaded_force(cov: pd.DataFrame, force: Force) -> pd.DataFrame:
    mine = cov[cov["falls_within"].map(lambda t: _same(t, force))]
    if mine.empty:
        loaded = sorted({f.label for t in cov["falls_within"] if (f := match_force(t))})
        raise DataError(
            f"no data.police.uk files for {force.falls_within} are loaded; loaded forces: "
            + (", ".join(loaded) or "none"),
            hint="load its files with forcepack ingest police-uk",
        )
    return mine


def _same(text: str, force: Force) -> bool:
    found = match_force(text)
    return found is not None and found.force_id == force.force_id


def _check_month(mine: pd.DataFrame, force: Force, month: dt.date, gate: float) -> None:
    row = mine[mine["month"] == month]
    first, last = min(mine["month"]), max(mine["month"])
    if row.empty or not bool(row.iloc[0]["present"]):
        raise DataError(
            f"{force.falls_within} {month:%Y-%m} is not loaded: its loaded months run "
            f"{first:%Y-%m} to {last:%Y-%m}"
            + ("" if row.empty else f" and {month:%Y-%m} is missing from them"),
            hint="load that month's street file, or give another --month",
        )
    r = row.iloc[0]
    if not bool(r["usable"]):
        raise DataError(
            f"{force.falls_within} {month:%Y-%m}: {r['located_share']:.1%} of its "
            f"{int(r['crimes']):,} crimes have a location, below the coverage gate of "
            f"{gate:.0%}; the pack would print misleading rates",
            hint="give another --month, or a lower --coverage-gate if the shortfall is known",
        )


def _judge(values: list[float], dates: list[dt.date], measure_id: str | None) -> str:
    """The latest point of the series in the paper's words, or why it is not judged; the
    direction of improvement is ``measure_id``'s polarity in the catalogue."""
    if len(values) < MIN_MONTHS:
        return (
            f"{NOT_JUDGED} ({len(values)} consecutive month{'s' if len(values) != 1 else ''}; "
            f"at least {MIN_MONTHS} needed)"
        )
    # a series that is no catalogue measure (measure_id None) has no polarity to read, so
    # neither direction is an improvement
    improvement = (
        Improvement.NEUTRAL if measure_id is None else improvement_of(get(measure_id).polarity)
    )
    result = spc(values, pd.to_datetime(pd.Series(dates)), improvement=improvement)
    kind = PointType(result.points["point_type"].iloc[-1])
    return CHART_WORDS[kind]


def _run(months: list[dt.date], usable: set[dt.date], end: dt.date) -> list[dt.date]:
    """The consecutive usable months ending at ``end``."""
    out = []
    m = end
    while m in usable and m in months:
        out.append(m)
        m = first_of(m, -1)
    return sorted(out)


def _value(series: dict[dt.date, float], m: dt.date, usable: set[dt.date]) -> float | None:
    return series.get(m) if m in usable else None


def _snapshots(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    rows = con.execute(
        f"SELECT file_name, min(started_at) FROM {ident('load_log')} "
        "WHERE table_name IN ('public_crimes', 'public_outcomes') AND status = ? "
        "GROUP BY 1 ORDER BY 1",
        [LoadStatus.LOADED.value],
    ).fetchall()
    return [(str(f), f"{t:%Y-%m-%d}") for f, t in rows]


def _archives(con: duckdb.DuckDBPyConnection, text: str) -> list[str]:
    rows = con.execute(
        f"SELECT DISTINCT snapshot FROM {ident('public_crimes')} "
        "WHERE falls_within = ? AND snapshot IS NOT NULL ORDER BY 1",
        [text],
    ).fetchall()
    return [str(r[0]) for r in rows]


def build_pack(
    db: str | Path | duckdb.DuckDBPyConnection,
    force: str,
    month: str,
    *,
    gate: float = COVERAGE_GATE,
) -> PublicPack:
    """The figures of the public pack for ``force`` (any of its names) and ``month``."""
    the_force = find_force(force)
    when = parse_month(month)
    if not 0 < gate <= 1:
        raise InputError(f"--coverage-gate {gate} is not a share between 0 and 1")
    if the_force.population is None:
        raise InputError(
            f"{the_force.falls_within} has no resident population (it polices the railways, "
            "not an area); the public pack gives rates per 1,000 residents",
            hint="give one of the 43 territorial forces",
        )
    if isinstance(db, duckdb.DuckDBPyConnection):
        return _build(db, the_force, when, gate)
    con = connect(db, read_only=True)
    try:
        return _build(con, the_force, when, gate)
    finally:
        con.close()


def _check_columns(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse made before the public columns existed is named, with the fix."""
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'public_crimes' AND table_schema = 'main'"
        ).fetchall()
    }
    missing = [c for c in ("last_outcome_group", "snapshot") if c not in have]
    if missing:
        raise WarehouseError(
            "the warehouse was made by an older forcepack: public_crimes lacks "
            + ", ".join(missing),
            hint="load any data.police.uk file with `forcepack ingest police-uk` once to add "
            "them (rows already loaded are kept)",
        )


def _build(con: duckdb.DuckDBPyConnection, force: Force, when: dt.date, gate: float) -> PublicPack:
    _check_columns(con)
    cov = coverage(con, gate=gate)
    mine = _loaded_force(cov, force)
    _check_month(mine, force, when, gate)
    text = str(mine.iloc[0]["falls_within"])
    usable = {m for m, u in zip(mine["month"], mine["usable"], strict=True) if u}
    months = sorted(mine["month"])
    crimes = dict(zip(mine["month"], mine["crimes"].astype(float), strict=True))
    pop = float(force.population or 0)
    per = {m: 1000 * v / pop for m, v in crimes.items()}
    run = _run(months, usable, when)
    prev, year = first_of(when, -1), first_of(when, -12)

    asb = monthly(
        compute("public.anti_social_behaviour", con=con, by="falls_within", cache_results=False)
    )
    asb = asb[asb["falls_within"] == text]
    asb_m = dict(zip(asb["month"], asb["value"].astype(float), strict=True))
    charged = monthly(
        compute("public.outcome.charged_share", con=con, by="falls_within", cache_results=False)
    )
    charged = charged[charged["falls_within"] == text]
    ch = {r.month: r for r in charged.itertuples()}
    share = {r["month"]: float(r["located_share"]) for _, r in mine.iterrows() if r["present"]}

    def series(d: dict[dt.date, float]) -> tuple[list[float], list[dt.date]]:
        return [d[m] for m in run if m in d], [m for m in run if m in d]

    def headline(
        name: str, unit: Kind, d: dict[dt.date, float], judgement: str, **counts: float
    ) -> Headline:
        """The month's figure of ``d``, with the month before and a year before where usable."""
        return Headline(
            name,
            unit,
            d.get(when),
            _value(d, prev, usable),
            _value(d, year, usable),
            judgement,
            **counts,
        )

    # the crimes are public.crimes' count (coverage reads it as public.located_share's
    # denominator); their rate per 1,000 residents is judged on the same monthly counts
    crimes_judged = _judge(*series(crimes), "public.crimes")
    headlines = [
        headline("Crimes (excluding anti-social behaviour)", Kind.COUNT, crimes, crimes_judged),
        headline("Crimes per 1,000 residents", Kind.PER_1000, per, crimes_judged),
        headline(
            "Anti-social behaviour incidents",
            Kind.COUNT,
            asb_m,
            _judge(*series(asb_m), "public.anti_social_behaviour"),
        ),
        headline(
            "Share of crimes with a location",
            Kind.SHARE,
            share,
            "coverage, not judged",
            numerator=float(mine[mine["month"] == when].iloc[0]["located"]),
            denominator=crimes[when],
        ),
    ]
    if when in ch:
        r = ch[when]
        headlines.append(
            Headline(
                "Share of crimes charged or summonsed (approximate: last known outcome)",
                Kind.SHARE,
                float(r.value) if pd.notna(r.value) else None,
                float(ch[prev].value) if prev in ch and prev in usable else None,
                float(ch[year].value) if year in ch and year in usable else None,
                "not judged: outcomes are still being added to recent months",
                numerator=float(r.numerator),
                denominator=float(r.denominator),
            )
        )

    comparison_df, peers, ew = comparison(con, cov, force, when)
    return PublicPack(
        force=force,
        month=when,
        gate=gate,
        headlines=headlines,
        comparison=comparison_df,
        england_wales=ew,
        peers=peers,
        peer_method=METHOD,
        categories=categories(con, text, when, usable),
        local_authorities=local_authority_table(con, force, text, when),
        lsoas=lsoa_table(con, text, when),
        coverage=mine.drop(columns=["falls_within"]).reset_index(drop=True),
        series=pd.DataFrame(
            {
                "month": [m for m in months if m in usable],
                "crimes": [crimes[m] for m in months if m in usable],
                "per_1000": [per[m] for m in months if m in usable],
            }
        ),
        snapshots=_snapshots(con),
        archives=_archives(con, text),
        data_hash=data_hash(con, ["public_crimes", "public_outcomes"]),
        caveats=_caveats(force, when, gate, mine),
    )


def _caveats(force: Force, when: dt.date, gate: float, mine: pd.DataFrame) -> list[str]:
    missing = [f"{m:%Y-%m}" for m, p in zip(mine["month"], mine["present"], strict=True) if not p]
    low = [
        f"{m:%Y-%m}"
        for m, p, u in zip(mine["month"], mine["present"], mine["usable"], strict=True)
        if p and not u
    ]
    out = [
        "data.police.uk publishes the crimes and anti-social behaviour that forces report to "
        "it each month, at an anonymised location (the nearest of a set of map points), with "
        "the last outcome known when the file was made. It is not the force's recorded crime: "
        "records added, reclassified or cancelled after publication are not reflected, and "
        "forces' recording practice differs.",
        "Anti-social behaviour is not crime and is shown apart.",
        f"Rates per 1,000 residents use the Census 2011 usual resident population "
        f"({force.population:,} for {force.label}), the latest population whose source could "
        "be named for every force; later growth makes every force's rate somewhat higher than "
        "on a current estimate.",
        "Outcome shares are approximate: the last outcome known at publication, which for "
        "recent months is often still 'under investigation'.",
        f"A month is compared only when at least {gate:.0%} of its crimes carry a location "
        "(the coverage gate).",
        f"Counts below {C_SUPPRESS} for a single LSOA are shown as [c].",
        "Comparison forces are computed from public facts, not the published most similar "
        "force groups.",
    ]
    if missing:
        out.append("Months missing from the files loaded: " + ", ".join(missing) + ".")
    if low:
        out.append("Months below the coverage gate, never compared: " + ", ".join(low) + ".")
    return out
